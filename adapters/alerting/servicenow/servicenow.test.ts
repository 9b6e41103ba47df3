import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertNotification, NotificationAlert, NotificationKind } from '../../../core/alerting/notification';
import { parseAllowList } from '../../../core/net/outbound-policy';
import type { Severity } from '../../../core/schema/event';
import type { FakeRequest, RunningFake } from '../../../test/fakes/fake-server';
import { serviceNowFakeOAuthToken, serviceNowFakePassword, serviceNowFakeUser, startServiceNowFake, type ServiceNowFakeIncident } from '../../../test/fakes/servicenow';
import { guardedFetch } from '../../http/guarded-fetch';
import type { DeliveryContext, DeliveryReceipt } from '../destination';
import { serviceNowConfigSchema, serviceNowDestination } from './index';
import { renderServiceNowIncident, serviceNowLimits } from './render-servicenow-incident';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const sample = JSON.parse(readFileSync(fixture('notification.json'), 'utf8')) as AlertNotification;
/** No line break, NUL or bidi override survived into a one-line field. */
const isOneCleanLine = (value: unknown) => typeof value === 'string' && !['\r', '\n', '\u0000', '\u202E'].some((c) => value.includes(c));

function notification(kind: NotificationKind, alert: Partial<NotificationAlert> = {}): AlertNotification {
  const status = kind === 'trigger' ? 'open' : kind === 'acknowledge' ? 'acknowledged' : 'closed';
  return { ...sample, kind, deliveryKey: `${sample.alert.id}:servicenow:${kind}:1`, actor: kind === 'trigger' ? null : 'carol@example.com', alert: { ...sample.alert, status, ...alert } };
}

const groupSysId = '287ebd7da9fe198100f92cc8d1d2154e';
const callerSysId = '6816f79cc0a8016401c5a33be04be441';

let fake: RunningFake;
let secrets: Record<string, string | undefined>;

function context(previous: DeliveryReceipt | null = null, overrides: Partial<DeliveryContext> = {}, allow = `127.0.0.1:${fake.port}`): DeliveryContext {
  return { fetch: guardedFetch(parseAllowList(allow)), secret: (name) => secrets[name], now: new Date(sample.at), previous, ...overrides };
}
const basicAuth = { usernameSecret: 'SERVICENOW_USERNAME', passwordSecret: 'SERVICENOW_PASSWORD' };
const config = (overrides: Record<string, unknown> = {}) =>
  serviceNowConfigSchema.parse({ instanceUrl: fake.origin, ...basicAuth, assignmentGroup: groupSysId, callerId: callerSysId, category: 'security', ...overrides });

async function admin<T>(action: string, body?: unknown): Promise<T> {
  const res = await fetch(`${fake.origin}/__fake/${action}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return (await res.json()) as T;
}
const incidents = () => admin<ServiceNowFakeIncident[]>('incidents');
const requests = () => admin<FakeRequest[]>('requests');

async function deliver(kind: NotificationKind, previous: DeliveryReceipt | null = null, alert: Partial<NotificationAlert> = {}, overrides: Record<string, unknown> = {}) {
  return serviceNowDestination.deliver(notification(kind, alert), config(overrides), context(previous));
}
function externalId(result: Awaited<ReturnType<typeof deliver>>): string {
  if (result.kind !== 'success' || !result.value.externalId) throw new Error(`expected a receipt, got ${JSON.stringify(result)}`);
  return result.value.externalId;
}
const receipt = (sysId: string): DeliveryReceipt => ({ externalId: sysId, detail: 'created' });

async function closedOrigin(): Promise<{ origin: string; host: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { origin: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` };
}

beforeAll(async () => {
  fake = await startServiceNowFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  secrets = { SERVICENOW_USERNAME: serviceNowFakeUser, SERVICENOW_PASSWORD: serviceNowFakePassword, SERVICENOW_TOKEN: serviceNowFakeOAuthToken };
  await admin('reset');
});

describe('serviceNowDestination lifecycle', () => {
  it('creates an incident, reuses it for a retried trigger, then moves it to In Progress and Resolved', async () => {
    const created = await deliver('trigger');
    expect(created).toMatchObject({ kind: 'success', value: { detail: 'created INC0010001' } });
    const sysId = externalId(created);
    const retried = await deliver('trigger');
    expect(retried).toMatchObject({ kind: 'success', value: { externalId: sysId, detail: expect.stringContaining('reused INC0010001') } });
    expect(await deliver('acknowledge', receipt(sysId))).toEqual({ kind: 'success', value: { externalId: sysId, detail: 'set INC0010001 to In Progress for carol@example.com' } });
    expect(await deliver('resolve', receipt(sysId))).toEqual({ kind: 'success', value: { externalId: sysId, detail: 'resolved INC0010001 (close code "Resolved by caller") for carol@example.com' } });

    const stored = await incidents();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ sys_id: sysId, state: '6', close_code: 'Resolved by caller', correlation_id: sample.alert.dedupKey, correlation_display: 'Mantissa Log' });
    expect(stored[0]!.work_notes_journal).toContain(`Acknowledged in Mantissa Log by carol@example.com at ${sample.at}.`);
    expect(stored[0]!.close_notes).toContain(`Resolved in Mantissa Log by carol@example.com at ${sample.at}.`);

    const log = await requests();
    expect(log.map((r) => `${r.method} ${decodeURIComponent(r.url.split('?')[0]!)}`)).toEqual([
      'GET /api/now/table/incident',
      'POST /api/now/table/incident',
      'GET /api/now/table/incident',
      `PATCH /api/now/table/incident/${sysId}`,
      `PATCH /api/now/table/incident/${sysId}`,
    ]);
    const lookup = new URL(log[0]!.url, fake.origin).searchParams;
    expect(Object.fromEntries(lookup)).toEqual({ sysparm_query: `correlation_id=${sample.alert.dedupKey}^active=true^state!=6`, sysparm_limit: '1', sysparm_fields: 'sys_id,number' });
    expect(log.every((r) => r.headers.accept === 'application/json')).toBe(true);
  });

  it('opens a new incident when the alert reopens after its incident was resolved', async () => {
    const first = externalId(await deliver('trigger'));
    await deliver('resolve', receipt(first));
    const second = externalId(await deliver('trigger'));
    expect(second).not.toBe(first);
    expect((await incidents()).map((i) => [i.number, i.state])).toEqual([
      ['INC0010001', '6'],
      ['INC0010002', '1'],
    ]);
  });

  it('keeps one incident per alert when its key must be hashed, and one per alert when two alerts differ', async () => {
    const awkward = { dedupKey: `rule:${'a b^c=d'.repeat(30)}` };
    const first = externalId(await deliver('trigger', null, awkward));
    expect(externalId(await deliver('trigger', null, awkward))).toBe(first);
    externalId(await deliver('trigger', null, { dedupKey: 'another-rule:10.0.0.1' }));
    const stored = await incidents();
    expect(stored).toHaveLength(2);
    expect(stored[0]!.correlation_id).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('records a false positive in the close notes', async () => {
    const sysId = externalId(await deliver('trigger'));
    await deliver('resolve', receipt(sysId), { status: 'false_positive' });
    expect((await incidents())[0]!.close_notes).toContain('Marked a false positive in Mantissa Log by carol@example.com');
  });

  it.each<NotificationKind>(['acknowledge', 'resolve'])('answers success "no incident to update" on %s without a trigger receipt, sending nothing', async (kind) => {
    expect(await deliver(kind, null)).toEqual({ kind: 'success', value: { externalId: null, detail: 'no incident to update' } });
    expect(await requests()).toEqual([]);
  });

  it('refuses a trigger receipt that is not a sys_id rather than putting it in a URL', async () => {
    expect(await deliver('acknowledge', receipt('../sys_user'))).toMatchObject({ kind: 'failure', message: expect.stringContaining('not a ServiceNow sys_id') });
    expect(await requests()).toEqual([]);
  });

  it('authenticates with an OAuth token as Bearer', async () => {
    const result = await serviceNowDestination.deliver(notification('trigger'), config({ usernameSecret: undefined, passwordSecret: undefined, oauthTokenSecret: 'SERVICENOW_TOKEN' }), context());
    expect(result.kind).toBe('success');
    expect((await requests())[0]!.headers.authorization).toBe(`Bearer ${serviceNowFakeOAuthToken}`);
  });
});

describe('serviceNowDestination incident content', () => {
  it('matches the reviewed golden create body', () => {
    const actual = renderServiceNowIncident(sample, config({ instanceUrl: 'https://acme.service-now.com' }), sample.alert.dedupKey);
    const goldenPath = fixture('create-incident.golden.json');
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) writeFileSync(goldenPath, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(goldenPath, 'utf8')));
  });

  it('writes the description with entities, enrichment, evidence, link and attribution, and the configured references', async () => {
    await deliver('trigger');
    const [incident] = await incidents();
    expect(incident).toMatchObject({ short_description: sample.alert.title, assignment_group: groupSysId, caller_id: callerSysId, category: 'security' });
    const description = incident!.description!;
    expect(description).toContain('Users: alice@example.com, bob@example.com');
    expect(description).toContain('- 203.0.113.9 (abuseipdb): abuse confidence 87% (412 reports)');
    expect(description).toContain('Evidence (2 of 2 sample events)\n{"event_time":"2026-11-27T16:18:41.000Z"');
    expect(description).toContain(`Open the alert in Mantissa Log: ${sample.alert.url}`);
    expect(description).toContain(`Rule attribution: ${sample.alert.attribution}`);
  });

  it.each<[Severity, string, string, string]>([
    ['critical', '1', '1', '1'],
    ['high', '2', '1', '2'],
    ['medium', '2', '2', '3'],
    ['low', '3', '3', '5'],
    ['info', '3', '3', '5'],
  ])('maps severity %s to impact %s, urgency %s (priority %s)', async (severity, impact, urgency, priority) => {
    await deliver('trigger', null, { severity });
    expect((await incidents())[0]).toMatchObject({ impact, urgency, priority });
  });

  it('produces an incident ServiceNow stores untruncated from hostile, oversized content, attribution kept', async () => {
    const hostile = `🚨 "quoted" \\ <script>x</script> \u202Eevil\u202C \u0000\u0008 \ud800 ^ORactive=false\r\n`.repeat(40) + 'x'.repeat(10_000);
    const result = await deliver('trigger', null, {
      title: hostile,
      ruleName: hostile,
      summary: hostile,
      attribution: `DRL 1.1 ${hostile}`,
      entities: { users: Array.from({ length: 500 }, (_, i) => `${i}${hostile}`), ips: [hostile], hosts: [hostile] },
      tags: [hostile],
      evidence: Array.from({ length: 50 }, () => ({ message: hostile })),
      enrichment: Array.from({ length: 200 }, () => ({ subject: hostile, provider: hostile, text: hostile })),
    });
    expect(result.kind).toBe('success');
    const [incident] = await incidents();
    expect(incident!.short_description!.length).toBeLessThanOrEqual(serviceNowLimits.shortDescription);
    expect(incident!.short_description).toSatisfy(isOneCleanLine);
    expect(incident!.description!.length).toBeLessThanOrEqual(serviceNowLimits.description);
    expect(incident!.description).toContain('Rule attribution: DRL 1.1 🚨 "quoted"');
    expect(incident!.description).toContain(`Open the alert in Mantissa Log: ${sample.alert.url}`);
  });
});

describe('serviceNowDestination errors', () => {
  it('fails with ServiceNow’s message on a 400', async () => {
    await admin('fail', { status: 400, times: 1, body: JSON.stringify({ error: { message: 'Exception while reading request', detail: 'The payload is not valid JSON.' }, status: 'failure' }) });
    expect(await deliver('trigger')).toEqual({ kind: 'failure', message: 'ServiceNow GET /api/now/table/incident answered 400: Exception while reading request: The payload is not valid JSON.' });
  });

  it('fails on a 401 when the password is wrong', async () => {
    secrets.SERVICENOW_PASSWORD = 'wrong';
    expect(await deliver('trigger')).toEqual({ kind: 'failure', message: 'ServiceNow GET /api/now/table/incident answered 401: User Not Authenticated: Required to provide Auth information' });
  });

  it('fails on a 403 from an ACL', async () => {
    await admin('fail', { status: 403, times: 1, body: JSON.stringify({ error: { message: 'Operation Failed', detail: 'ACL Exception Insert Failed due to security constraints' }, status: 'failure' }) });
    expect(await deliver('trigger')).toMatchObject({ kind: 'failure', message: expect.stringContaining('ACL Exception Insert Failed') });
  });

  it('fails when the incident of the receipt no longer exists', async () => {
    expect(await deliver('acknowledge', receipt('0123456789abcdef0123456789abcdef'))).toMatchObject({ kind: 'failure', message: expect.stringContaining('answered 404: No Record found') });
  });

  it('relies on a fake that enforces the resolution data policy, as the instance does', async () => {
    const sysId = externalId(await deliver('trigger'));
    const res = await fetch(`${fake.origin}/api/now/table/incident/${sysId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${serviceNowFakeOAuthToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ state: '6', close_notes: 'done' }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { message: 'Operation Failed', detail: 'Data Policy Exception: \n\tThe following fields are mandatory: Resolution code\n' }, status: 'failure' });
  });

  it('is retryable on a 429, with the Retry-After the instance gave', async () => {
    await admin('fail', { status: 429, times: 1, retryAfterSeconds: 12 });
    expect(await deliver('trigger')).toMatchObject({ kind: 'retryable', retryAfterMs: 12_000 });
  });

  it('is retryable on a 500, and the retry still finds the incident created before it', async () => {
    const sysId = externalId(await deliver('trigger'));
    await admin('fail', { status: 500, times: 1 });
    expect(await deliver('trigger')).toMatchObject({ kind: 'retryable', message: expect.stringContaining('answered 500') });
    expect(externalId(await deliver('trigger'))).toBe(sysId);
    expect(await incidents()).toHaveLength(1);
  });

  it('is retryable when the connection is refused', async () => {
    const closed = await closedOrigin();
    const result = await serviceNowDestination.deliver(notification('trigger'), config({ instanceUrl: closed.origin }), context(null, {}, closed.host));
    expect(result).toMatchObject({ kind: 'retryable', message: expect.stringContaining('ServiceNow GET /api/now/table/incident failed') });
  });

  it.each(['SERVICENOW_USERNAME', 'SERVICENOW_PASSWORD'])('fails naming %s when it is not set, without sending anything', async (name) => {
    secrets[name] = undefined;
    expect(await deliver('trigger')).toEqual({ kind: 'failure', message: `the secret ${name} is not set (wrangler secret put ${name})` });
    expect(await requests()).toEqual([]);
  });

  it.each(['http://169.254.169.254', 'https://10.0.0.5'])('refuses instanceUrl %s before any request is made', async (instanceUrl) => {
    const attempted: string[] = [];
    const spy = ((url: URL, init?: RequestInit) => {
      attempted.push(String(url));
      return fetch(url, init);
    }) as typeof fetch;
    const result = await serviceNowDestination.deliver(notification('trigger'), config({ instanceUrl }), context(null, { fetch: guardedFetch(parseAllowList(`127.0.0.1:${fake.port}`), spy) }));
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('outbound request refused') });
    expect(attempted).toEqual([]);
  });
});

describe('serviceNowConfigSchema', () => {
  it.each<[string, Record<string, unknown>]>([
    ['no credentials', {}],
    ['a username without a password', { usernameSecret: 'SERVICENOW_USERNAME' }],
    ['both Basic and OAuth', { ...basicAuth, oauthTokenSecret: 'SERVICENOW_TOKEN' }],
    ['an assignment group that is not a sys_id', { ...basicAuth, assignmentGroup: 'Security Operations' }],
  ])('rejects %s', (_name, settings) => {
    expect(serviceNowConfigSchema.safeParse({ instanceUrl: 'https://acme.service-now.com', ...settings }).success).toBe(false);
  });

  it('accepts OAuth alone and defaults the close code', () => {
    expect(serviceNowConfigSchema.parse({ instanceUrl: 'https://acme.service-now.com/', oauthTokenSecret: 'SERVICENOW_TOKEN' })).toEqual({
      instanceUrl: 'https://acme.service-now.com',
      oauthTokenSecret: 'SERVICENOW_TOKEN',
      resolveCloseCode: 'Resolved by caller',
    });
  });
});
