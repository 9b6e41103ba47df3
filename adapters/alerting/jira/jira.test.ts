import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertNotification, NotificationAlert, NotificationKind } from '../../../core/alerting/notification';
import { parseAllowList } from '../../../core/net/outbound-policy';
import type { Severity } from '../../../core/schema/event';
import type { FakeRequest, RunningFake } from '../../../test/fakes/fake-server';
import { jiraFakeApiToken, jiraFakeEmail, jiraFakeProjectKey, startJiraFake, validateAdf, type JiraFakeIssue } from '../../../test/fakes/jira';
import { guardedFetch } from '../../http/guarded-fetch';
import type { DeliveryContext, DeliveryReceipt } from '../destination';
import { jiraConfigSchema, jiraDestination } from './index';
import { renderJiraComment, renderJiraIssueFields } from './render-jira-issue';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const sample = JSON.parse(readFileSync(fixture('notification.json'), 'utf8')) as AlertNotification;
/** No line break, NUL or bidi override survived into a one-line field. */
const isOneCleanLine = (value: unknown) => typeof value === 'string' && !['\r', '\n', '\u0000', '\u202E'].some((c) => value.includes(c));

function notification(kind: NotificationKind, alert: Partial<NotificationAlert> = {}): AlertNotification {
  const status = kind === 'trigger' ? 'open' : kind === 'acknowledge' ? 'acknowledged' : 'closed';
  return { ...sample, kind, deliveryKey: `${sample.alert.id}:jira:${kind}:1`, actor: kind === 'trigger' ? null : 'carol@example.com', alert: { ...sample.alert, status, ...alert } };
}

let fake: RunningFake;
let secrets: Record<string, string | undefined>;

function context(previous: DeliveryReceipt | null = null, overrides: Partial<DeliveryContext> = {}, allow = `127.0.0.1:${fake.port}`): DeliveryContext {
  return { fetch: guardedFetch(parseAllowList(allow)), secret: (name) => secrets[name], now: new Date(sample.at), previous, ...overrides };
}
const config = (overrides: Record<string, unknown> = {}) =>
  jiraConfigSchema.parse({ baseUrl: fake.origin, emailSecret: 'JIRA_EMAIL', apiTokenSecret: 'JIRA_API_TOKEN', projectKey: jiraFakeProjectKey, labels: ['siem'], ...overrides });
const receipt = (key: string): DeliveryReceipt => ({ externalId: key, detail: `created ${key}` });

async function admin<T>(action: string, body?: unknown): Promise<T> {
  const res = await fetch(`${fake.origin}/__fake/${action}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return (await res.json()) as T;
}
const issues = () => admin<JiraFakeIssue[]>('issues');
const requests = () => admin<FakeRequest[]>('requests');
const adfText = (node: unknown): string => JSON.stringify(node);

async function trigger(alert: Partial<NotificationAlert> = {}, overrides: Record<string, unknown> = {}) {
  return jiraDestination.deliver(notification('trigger', alert), config(overrides), context());
}

async function closedOrigin(): Promise<{ origin: string; host: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { origin: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` };
}

beforeAll(async () => {
  fake = await startJiraFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  secrets = { JIRA_EMAIL: jiraFakeEmail, JIRA_API_TOKEN: jiraFakeApiToken };
  await admin('reset');
});

describe('jiraDestination lifecycle', () => {
  it('creates an issue, comments on acknowledge, and moves it to Done with a comment on resolve', async () => {
    const created = await trigger();
    expect(created).toEqual({ kind: 'success', value: { externalId: 'SEC-1', detail: 'created SEC-1' } });
    const acked = await jiraDestination.deliver(notification('acknowledge'), config(), context(receipt('SEC-1')));
    expect(acked).toEqual({ kind: 'success', value: { externalId: 'SEC-1', detail: 'commented on SEC-1 (acknowledged by carol@example.com)' } });
    const resolved = await jiraDestination.deliver(notification('resolve'), config(), context(receipt('SEC-1')));
    expect(resolved).toEqual({ kind: 'success', value: { externalId: 'SEC-1', detail: 'moved SEC-1 through "Done" and commented (resolved by carol@example.com)' } });

    expect((await requests()).map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /rest/api/3/issue',
      'POST /rest/api/3/issue/SEC-1/comment',
      'GET /rest/api/3/issue/SEC-1/transitions',
      'POST /rest/api/3/issue/SEC-1/transitions',
      'POST /rest/api/3/issue/SEC-1/comment',
    ]);
    const [issue] = await issues();
    expect(issue).toMatchObject({ key: 'SEC-1', status: 'Done', transitions: ['Done'] });
    expect(issue!.comments.map((c) => adfText(c.body))).toEqual([
      expect.stringContaining(`Acknowledged in Mantissa Log by carol@example.com at ${sample.at}.`),
      expect.stringContaining(`Resolved in Mantissa Log by carol@example.com at ${sample.at}.`),
    ]);
  });

  it('matches the transition name without regard to case', async () => {
    await trigger();
    const resolved = await jiraDestination.deliver(notification('resolve'), config({ resolveTransition: 'done' }), context(receipt('SEC-1')));
    expect(resolved.kind).toBe('success');
    expect((await issues())[0]!.status).toBe('Done');
  });

  it('comments only, and says so, when the workflow has no transition of that name', async () => {
    await trigger();
    const resolved = await jiraDestination.deliver(notification('resolve'), config({ resolveTransition: 'Close Issue' }), context(receipt('SEC-1')));
    expect(resolved).toMatchObject({ kind: 'success', value: { detail: expect.stringContaining('No transition named "Close Issue" is available for this issue (available: "In Progress", "Done")') } });
    const [issue] = await issues();
    expect(issue).toMatchObject({ status: 'To Do', transitions: [] });
    expect(adfText(issue!.comments[0]!.body)).toContain('No transition named \\"Close Issue\\"');
  });

  it('says a false positive was marked, not resolved', async () => {
    await trigger();
    await jiraDestination.deliver(notification('resolve', { status: 'false_positive' }), config(), context(receipt('SEC-1')));
    expect(adfText((await issues())[0]!.comments[0]!.body)).toContain('Marked a false positive in Mantissa Log by carol@example.com');
  });

  it.each<NotificationKind>(['acknowledge', 'resolve'])('answers success "no issue to update" on %s without a trigger receipt, sending nothing', async (kind) => {
    const result = await jiraDestination.deliver(notification(kind), config(), context(null));
    expect(result).toEqual({ kind: 'success', value: { externalId: null, detail: 'no issue to update' } });
    expect(await requests()).toEqual([]);
  });

  it('refuses a trigger receipt that is not an issue key rather than putting it in a URL', async () => {
    const result = await jiraDestination.deliver(notification('acknowledge'), config(), context(receipt('../../rest/api/3/myself')));
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('not a Jira issue key') });
    expect(await requests()).toEqual([]);
  });
});

describe('jiraDestination issue content', () => {
  it('matches the reviewed golden create body', () => {
    const actual = { fields: renderJiraIssueFields(sample, config({ baseUrl: 'https://acme.atlassian.net' })) };
    const goldenPath = fixture('create-issue.golden.json');
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) writeFileSync(goldenPath, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(goldenPath, 'utf8')));
  });

  it('creates the issue with project, type, priority, labels and an ADF description with link and attribution', async () => {
    await trigger({ tags: ['attack.t1110.003', 'needs review'] });
    const { fields } = (await issues())[0]!;
    expect(fields).toMatchObject({
      project: { key: 'SEC' },
      issuetype: { name: 'Task' },
      summary: sample.alert.title,
      priority: { name: 'High' },
      labels: ['mantissa-log', 'severity-high', 'siem', 'attack.t1110.003', 'needs_review'],
    });
    const description = adfText(fields.description);
    expect(description).toContain(JSON.stringify({ type: 'text', text: 'Open the alert in Mantissa Log', marks: [{ type: 'link', attrs: { href: sample.alert.url } }] }));
    expect(description).toContain(JSON.stringify({ type: 'text', text: sample.alert.attribution }));
    expect(description).toContain('"type":"codeBlock","attrs":{"language":"json"}');
    expect(description).toContain('alice@example.com, bob@example.com');
  });

  it.each<[Severity, string]>([
    ['critical', 'Highest'],
    ['high', 'High'],
    ['medium', 'Medium'],
    ['low', 'Low'],
    ['info', 'Lowest'],
  ])('maps severity %s to priority %s', async (severity, priority) => {
    await trigger({ severity });
    expect((await issues())[0]!.fields.priority).toEqual({ name: priority });
  });

  it('uses configured priority names and leaves priority out when told to', async () => {
    expect((await trigger({ severity: 'critical' }, { priorities: { critical: 'Medium' } })).kind).toBe('success');
    expect((await trigger({}, { priorities: false })).kind).toBe('success');
    const [configured, without] = await issues();
    expect(configured!.fields.priority).toEqual({ name: 'Medium' });
    expect(without!.fields).not.toHaveProperty('priority');
  });

  it('sends a Bearer token when no email secret is configured', async () => {
    const result = await jiraDestination.deliver(notification('trigger'), config({ emailSecret: undefined }), context());
    expect(result.kind).toBe('success');
    expect((await requests())[0]!.headers.authorization).toBe(`Bearer ${jiraFakeApiToken}`);
  });

  it('produces an issue Jira accepts from hostile, oversized content, attribution kept', async () => {
    const hostile = `🚨 "quoted" \\ {"type":"doc","content":[{"type":"text","text":""}]} <script>x</script> \u202Eevil\u202C \u0000\u0008 \ud800 ]]>\r\n\n`.repeat(40) + 'x'.repeat(10_000);
    const result = await trigger({
      title: hostile,
      ruleName: hostile,
      summary: hostile,
      attribution: `DRL 1.1 ${hostile}`,
      entities: { users: Array.from({ length: 500 }, (_, i) => `${i}${hostile}`), ips: [hostile], hosts: [hostile] },
      tags: Array.from({ length: 100 }, (_, i) => `${i} ${hostile}`),
      sources: [hostile, hostile],
      evidence: Array.from({ length: 50 }, () => ({ message: hostile.repeat(5), quote: '"\\"'.repeat(2000) })),
      enrichment: Array.from({ length: 200 }, () => ({ subject: hostile, provider: hostile, text: hostile })),
    });
    expect(result).toMatchObject({ kind: 'success' });
    const { fields } = (await issues())[0]!;
    expect((fields.summary as string).length).toBeLessThanOrEqual(255);
    expect(fields.summary).toSatisfy(isOneCleanLine);
    expect(JSON.stringify(fields.description).length).toBeLessThanOrEqual(32_767);
    expect(adfText(fields.description)).toContain('"text":"DRL 1.1 🚨 \\"quoted\\"');
    expect(validateAdf(fields.description)).toBeNull();
  });

  it('never makes a non-web alert URL clickable', async () => {
    await trigger({ url: 'javascript:alert(document.cookie)' });
    const description = adfText((await issues())[0]!.fields.description);
    expect(description).not.toContain('"type":"link"');
    expect(description).toContain('"text":"Alert: javascript:alert(document.cookie)"');
  });

  it('writes comments that are valid ADF', () => {
    expect(validateAdf(renderJiraComment(notification('resolve', { url: 'https://mantissa.example.com/a' }), 'a note\nwith lines'))).toBeNull();
  });
});

describe('Jira fake ADF validation (what the acceptance tests rely on)', () => {
  const paragraphOf = (content: unknown[]) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content }] });
  it.each<[string, unknown]>([
    ['a plain string', 'not a document'],
    ['a missing version', { type: 'doc', content: [] }],
    ['an empty text node', paragraphOf([{ type: 'text', text: '' }])],
    ['marks inside a codeBlock', { type: 'doc', version: 1, content: [{ type: 'codeBlock', content: [{ type: 'text', text: 'x', marks: [{ type: 'strong' }] }] }] }],
    ['a link without href', paragraphOf([{ type: 'text', text: 'x', marks: [{ type: 'link', attrs: {} }] }])],
    ['a heading level 7', { type: 'doc', version: 1, content: [{ type: 'heading', attrs: { level: 7 }, content: [] }] }],
    ['an empty bulletList', { type: 'doc', version: 1, content: [{ type: 'bulletList', content: [] }] }],
    ['an unknown node', paragraphOf([{ type: 'mention', attrs: { id: '1' } }])],
    ['an unknown property', paragraphOf([{ type: 'text', text: 'x', style: 'bold' }])],
  ])('rejects %s with Jira’s 400', async (_name, description) => {
    const res = await fetch(`${fake.origin}/rest/api/3/issue`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jiraFakeApiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { project: { key: 'SEC' }, issuetype: { name: 'Task' }, summary: 'x', description } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errorMessages: [], errors: { description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)' } });
  });
});

describe('jiraDestination errors', () => {
  it('fails with Jira’s field message on a 400', async () => {
    const result = await trigger({}, { projectKey: 'OPS' });
    expect(result).toEqual({ kind: 'failure', message: 'Jira POST /rest/api/3/issue answered 400: project: Specify a valid project ID or key' });
  });

  it('fails with Jira’s message for an issue type the project does not have', async () => {
    const result = await trigger({}, { issueType: 'Incident' });
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('issuetype: Specify a valid issue type') });
  });

  it('fails on a 401 when the token is wrong', async () => {
    secrets.JIRA_API_TOKEN = 'not-the-token';
    const result = await trigger();
    expect(result).toEqual({ kind: 'failure', message: 'Jira POST /rest/api/3/issue answered 401: Client must be authenticated to access this resource.' });
  });

  it('fails on a 403', async () => {
    await admin('fail', { status: 403, times: 1, body: JSON.stringify({ errorMessages: ['You do not have permission to create issues in this project.'], errors: {} }) });
    expect(await trigger()).toMatchObject({ kind: 'failure', message: expect.stringContaining('You do not have permission to create issues') });
  });

  it('fails when the issue of the receipt no longer exists', async () => {
    const result = await jiraDestination.deliver(notification('acknowledge'), config(), context(receipt('SEC-999')));
    expect(result).toEqual({ kind: 'failure', message: 'Jira POST /rest/api/3/issue/SEC-999/comment answered 404: Issue does not exist or you do not have permission to see it.' });
  });

  it('is retryable on a 429, with the Retry-After Jira gave', async () => {
    await admin('fail', { status: 429, times: 1, retryAfterSeconds: 7 });
    expect(await trigger()).toMatchObject({ kind: 'retryable', retryAfterMs: 7000 });
  });

  it('is retryable on a 500 in the middle of a resolve, and the retry completes it', async () => {
    await trigger();
    await admin('fail', { status: 500, times: 1 });
    expect(await jiraDestination.deliver(notification('resolve'), config(), context(receipt('SEC-1')))).toMatchObject({ kind: 'retryable', message: expect.stringContaining('answered 500') });
    expect(await jiraDestination.deliver(notification('resolve'), config(), context(receipt('SEC-1')))).toMatchObject({ kind: 'success' });
    expect((await issues())[0]!.status).toBe('Done');
  });

  it('is retryable when the connection is refused', async () => {
    const closed = await closedOrigin();
    const result = await jiraDestination.deliver(notification('trigger'), config({ baseUrl: closed.origin }), context(null, {}, closed.host));
    expect(result).toMatchObject({ kind: 'retryable', message: expect.stringContaining('Jira POST /rest/api/3/issue failed') });
  });

  it.each(['JIRA_API_TOKEN', 'JIRA_EMAIL'])('fails naming %s when it is not set, without sending anything', async (name) => {
    secrets[name] = undefined;
    expect(await trigger()).toEqual({ kind: 'failure', message: `the secret ${name} is not set (wrangler secret put ${name})` });
    expect(await requests()).toEqual([]);
  });

  it.each(['http://169.254.169.254', 'https://10.0.0.5'])('refuses baseUrl %s before any request is made', async (baseUrl) => {
    const attempted: string[] = [];
    const spy = ((url: URL, init?: RequestInit) => {
      attempted.push(String(url));
      return fetch(url, init);
    }) as typeof fetch;
    const result = await jiraDestination.deliver(notification('trigger'), config({ baseUrl }), context(null, { fetch: guardedFetch(parseAllowList(`127.0.0.1:${fake.port}`), spy) }));
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('outbound request refused') });
    expect(attempted).toEqual([]);
  });
});

describe('jiraConfigSchema', () => {
  it('fills the defaults', () => {
    expect(jiraConfigSchema.parse({ baseUrl: 'https://acme.atlassian.net/', projectKey: 'SEC' })).toEqual({
      baseUrl: 'https://acme.atlassian.net',
      apiTokenSecret: 'JIRA_API_TOKEN',
      projectKey: 'SEC',
      issueType: 'Task',
      priorities: { critical: 'Highest', high: 'High', medium: 'Medium', low: 'Low', info: 'Lowest' },
      resolveTransition: 'Done',
      labels: [],
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ['a label with a space', { labels: ['needs review'] }],
    ['a lower-case project key', { projectKey: 'sec' }],
    ['a token where the secret name belongs', { apiTokenSecret: 'ATATT3xFfGF0abc' }],
  ])('rejects %s', (_name, overrides) => {
    expect(jiraConfigSchema.safeParse({ baseUrl: 'https://acme.atlassian.net', projectKey: 'SEC', ...overrides }).success).toBe(false);
  });
});
