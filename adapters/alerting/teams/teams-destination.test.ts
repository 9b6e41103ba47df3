// The Teams destination against the loopback fake (test/fakes/teams.ts), through the real outbound guard.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../core/alerting/notification';
import { parseAllowList } from '../../../core/net/outbound-policy';
import { guardedFetch } from '../../http/guarded-fetch';
import type { FakeRequest, RunningFake } from '../../../test/fakes/fake-server';
import { startTeamsFake, teamsFakeLegacyPath, teamsFakeWorkflowId, teamsFakeWorkflowUrl } from '../../../test/fakes/teams';
import type { DeliveryContext } from '../destination';
import { teamsConfigSchema, teamsDestination } from './index';

const base = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'alert-notification.json'), 'utf8')) as AlertNotification;
const config = teamsConfigSchema.parse({ id: 'teams-secops', type: 'teams', webhookUrlSecret: 'TEAMS_WEBHOOK_URL' });

let fake: RunningFake;
beforeAll(async () => {
  fake = await startTeamsFake();
});
afterAll(() => fake.close());
beforeEach(() => admin('reset'));

async function admin(action: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${fake.origin}/__fake/${action}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}
const requests = () => admin('requests') as Promise<FakeRequest[]>;
const cards = () => admin('cards') as Promise<{ via: string; card: { body: unknown[]; actions?: unknown[] } }[]>;

function context(url: string | undefined = teamsFakeWorkflowUrl(fake.origin), patch: Partial<DeliveryContext> = {}): DeliveryContext {
  return {
    fetch: guardedFetch(parseAllowList(`127.0.0.1:${fake.port}`)),
    secret: (name) => (name === 'TEAMS_WEBHOOK_URL' ? url : undefined),
    now: new Date('2026-11-27T16:20:05.000Z'),
    previous: null,
    ...patch,
  };
}

function notification(kind: AlertNotification['kind'], patch: Partial<AlertNotification> = {}): AlertNotification {
  return { ...base, kind, deliveryKey: `${base.alert.id}:teams-secops:${kind}:1`, ...patch };
}

describe('teamsDestination', () => {
  it('posts the trigger card to the Workflows webhook and succeeds on 202 with no external id', async () => {
    const result = await teamsDestination.deliver(notification('trigger'), config, context());
    expect(result).toEqual({ kind: 'success', value: { externalId: null, detail: expect.stringMatching(/^posted the trigger card to Teams \(202, \d+ bytes\)$/) as string } });
    const [request] = await requests();
    expect(request!.url).toContain(`/workflows/${teamsFakeWorkflowId}/triggers/manual/paths/invoke?`);
    expect(request!.headers['content-type']).toBe('application/json');
    const [accepted] = await cards();
    expect(accepted!.via).toBe('workflow');
    expect(JSON.stringify(accepted!.card)).toContain('Detection Rule License (DRL) 1.1');
    expect(accepted!.card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open alert in Mantissa', url: base.alert.url }]);
  });

  it('delivers a huge alert within the size limit, attribution kept', async () => {
    const emoji = '😀👨‍👩‍👧';
    const alert = {
      ...base.alert,
      title: ('t'.repeat(143) + emoji).repeat(70),
      summary: emoji.repeat(2000),
      evidence: Array.from({ length: 500 }, (_, i) => ({ n: i, message: emoji.repeat(300) })),
      enrichment: Array.from({ length: 60 }, (_, i) => ({ subject: `192.0.2.${i}`, provider: 'abuseipdb', text: emoji.repeat(200) })),
    };
    expect(await teamsDestination.deliver(notification('trigger', { alert }), config, context())).toMatchObject({ kind: 'success' });
    const [request] = await requests();
    expect(Buffer.byteLength(request!.body)).toBeLessThanOrEqual(20_000);
    expect(JSON.stringify((await cards())[0]!.card)).toContain('Detection Rule License (DRL) 1.1');
  });

  it.each(['acknowledge', 'resolve'] as const)('posts a short %s card', async (kind) => {
    const result = await teamsDestination.deliver(notification(kind, { actor: 'bob@example.com' }), config, context(undefined, { previous: { externalId: null, detail: 'posted' } }));
    expect(result).toMatchObject({ kind: 'success', value: { externalId: null } });
    const [accepted] = await cards();
    const text = JSON.stringify(accepted!.card.body);
    expect(text).toContain(kind === 'acknowledge' ? '**Acknowledged** by bob@example.com' : '**Resolved** by bob@example.com');
    expect(text).toContain('Detection Rule License (DRL) 1.1');
    expect(text).not.toContain('**Evidence**');
  });

  it('succeeds on a legacy connector’s 200 "1"', async () => {
    const result = await teamsDestination.deliver(notification('trigger'), config, context(`${fake.origin}${teamsFakeLegacyPath}`));
    expect(result).toMatchObject({ kind: 'success', value: { detail: expect.stringContaining('(200,') } });
    expect((await cards())[0]!.via).toBe('legacy');
  });

  it('is retryable when a legacy connector reports throttling inside a 200', async () => {
    await admin('throttle', { times: 1 });
    const result = await teamsDestination.deliver(notification('trigger'), config, context(`${fake.origin}${teamsFakeLegacyPath}`));
    expect(result).toMatchObject({ kind: 'retryable', message: expect.stringContaining('returned HTTP error 429') });
    expect(await cards()).toEqual([]);
  });

  it('is retryable with Retry-After when the workflow is throttled (429)', async () => {
    await admin('throttle', { times: 1, retryAfterSeconds: 9 });
    expect(await teamsDestination.deliver(notification('trigger'), config, context())).toEqual({
      kind: 'retryable',
      message: 'Teams webhook answered 429: WorkflowTriggerIsThrottled: The workflow trigger is throttled. Retry after the indicated time.',
      retryAfterMs: 9000,
    });
  });

  it('is retryable on an injected 500', async () => {
    await admin('fail', { status: 500, times: 1 });
    expect(await teamsDestination.deliver(notification('trigger'), config, context())).toMatchObject({ kind: 'retryable', message: expect.stringContaining('answered 500') });
  });

  it('is retryable when the connection is refused', async () => {
    const port = await closedPort();
    const ctx = context(`http://127.0.0.1:${port}/workflows/${teamsFakeWorkflowId}`, { fetch: guardedFetch(parseAllowList(`127.0.0.1:${port}`)) });
    expect(await teamsDestination.deliver(notification('trigger'), config, ctx)).toMatchObject({ kind: 'retryable', message: expect.stringContaining('ECONNREFUSED') });
  });

  it.each([
    ['a wrong signature (401)', () => teamsFakeWorkflowUrl(fake.origin, teamsFakeWorkflowId, 'wrong'), /^Teams webhook answered 401: DirectApiInvalidAuthorizationSignature: /],
    ['a deleted workflow (404)', () => teamsFakeWorkflowUrl(fake.origin, 'ffffffffffffffffffffffffffffffff'), /^Teams webhook answered 404: WorkflowNotFound: /],
  ])('fails for good on %s, with the body’s message', async (_name, url, message) => {
    expect(await teamsDestination.deliver(notification('trigger'), config, context(url()))).toMatchObject({ kind: 'failure', message: expect.stringMatching(message) });
  });

  it('fails for good on a 400 and reports Workflows’ message', async () => {
    await admin('fail', { status: 400, times: 1, body: JSON.stringify({ error: { code: 'InvalidRequestContent', message: 'The request content is not valid JSON.' } }) });
    expect(await teamsDestination.deliver(notification('trigger'), config, context())).toEqual({
      kind: 'failure',
      message: 'Teams webhook answered 400: InvalidRequestContent: The request content is not valid JSON.',
    });
  });

  it('fails naming the secret when the webhook URL is not set', async () => {
    expect(await teamsDestination.deliver(notification('trigger'), config, context(undefined, { secret: () => undefined }))).toEqual({
      kind: 'failure',
      message: 'Teams: secret TEAMS_WEBHOOK_URL is not set',
    });
    expect(await requests()).toEqual([]);
  });

  it.each([
    ['a private address', 'https://10.0.0.1/workflows/abc?sig=secret-signature', /10\.0\.0\.1 is a private address/],
    ['plain http', 'http://example.com/workflows/abc?sig=secret-signature', /only https URLs are allowed/],
  ])('refuses a webhook URL secret pointing at %s without fetching it', async (_name, url, reason) => {
    const attempted: string[] = [];
    const spy = (async (input: URL) => {
      attempted.push(String(input));
      return new Response(null, { status: 202 });
    }) as unknown as typeof fetch;
    const result = await teamsDestination.deliver(notification('trigger'), config, context(url, { fetch: guardedFetch(parseAllowList(`127.0.0.1:${fake.port}`), spy) }));
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringMatching(reason) });
    expect(result.kind === 'failure' && result.message).not.toContain('secret-signature');
    expect(attempted).toEqual([]);
  });

  it('rejects a config that puts the URL itself where the secret name goes', () => {
    expect(teamsConfigSchema.safeParse({ webhookUrlSecret: 'https://prod-00.westus.logic.azure.com/workflows/x' }).success).toBe(false);
  });
});

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
