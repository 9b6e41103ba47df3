// The generic webhook destination end to end: the real adapter, through the real outbound guard, against the
// loopback receiver that verifies signatures the way docs/webhook-verification.md tells integrators to.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../core/alerting/notification';
import { parseAllowList } from '../../../core/net/outbound-policy';
import { guardedFetch } from '../../http/guarded-fetch';
import type { DeliveryContext } from '../destination';
import type { FakeRequest, RunningFake } from '../../../test/fakes/fake-server';
import { startWebhookReceiver, webhookReceiverSecret, type ReceiverSummary } from '../../../test/fakes/webhook-receiver';
import { verifyWebhookSignature, webhookConfigSchema, webhookDestination, webhookPayload, type WebhookConfig } from './index';

const trigger = JSON.parse(readFileSync(new URL('./fixtures/trigger-notification.json', import.meta.url), 'utf8')) as AlertNotification;

let receiver: RunningFake;
let other: RunningFake;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  other = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.close();
  await other.close();
});
beforeEach(async () => {
  await admin('reset');
});

async function admin(action: string, body: unknown = {}, fake = receiver): Promise<unknown> {
  return (await fetch(`${fake.origin}/__fake/${action}`, { method: 'POST', body: JSON.stringify(body) })).json();
}

const summary = async () => (await admin('deliveries')) as ReceiverSummary;
const rawRequests = async () => (await (await fetch(`${receiver.origin}/__fake/requests`)).json()) as FakeRequest[];

function config(patch: Partial<WebhookConfig> = {}): WebhookConfig {
  return webhookConfigSchema.parse({ url: `${receiver.origin}/hooks/mantissa`, secretName: 'WEBHOOK_SECRET', timeoutSeconds: 2, ...patch });
}

function context(overrides: Partial<DeliveryContext> & { secrets?: Record<string, string>; allow?: string } = {}): DeliveryContext {
  const { secrets = { WEBHOOK_SECRET: webhookReceiverSecret }, allow = `127.0.0.1:${receiver.port}`, ...rest } = overrides;
  return { fetch: guardedFetch(parseAllowList(allow)), secret: (name) => secrets[name], now: new Date(), previous: null, ...rest };
}

describe('webhook destination: delivery', () => {
  it('posts the signed v1 payload with the documented headers', async () => {
    const now = new Date();
    const result = await webhookDestination.deliver(trigger, config({ headers: { 'X-Team': 'soc-emea' } }), context({ now }));
    expect(result).toEqual({ kind: 'success', value: { externalId: null, detail: 'HTTP 200' } });
    const [request] = await rawRequests();
    expect(request).toMatchObject({ method: 'POST', url: '/hooks/mantissa' });
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'MantissaLog-Webhook/1',
      'x-mantissa-delivery': trigger.deliveryKey,
      'x-mantissa-timestamp': String(Math.floor(now.getTime() / 1000)),
      'x-mantissa-signature': expect.stringMatching(/^v1=[0-9a-f]{64}$/),
      'x-team': 'soc-emea',
    });
    expect(request!.headers.authorization).toBeUndefined();
    expect(JSON.parse(request!.body)).toEqual({ version: 1, kind: 'trigger', deliveryKey: trigger.deliveryKey, at: trigger.at, actor: null, alert: trigger.alert });
    const check = await verifyWebhookSignature({
      secret: webhookReceiverSecret,
      timestamp: request!.headers['x-mantissa-timestamp'] as string,
      signature: request!.headers['x-mantissa-signature'] as string,
      body: request!.body,
    });
    expect(check.ok).toBe(true);
    expect(await summary()).toMatchObject({ unique: 1, received: 1, duplicates: 0, rejected: 0, deliveries: [{ deliveryKey: trigger.deliveryKey, kind: 'trigger', alertId: trigger.alert.id, path: '/hooks/mantissa', attempts: 1 }] });
  });

  it('matches the reviewed golden payload, attribution included', () => {
    const payload = `${JSON.stringify(webhookPayload(trigger), null, 2)}\n`;
    const goldenPath = new URL('./fixtures/trigger.golden.json', import.meta.url);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) writeFileSync(goldenPath, payload);
    expect(payload).toBe(readFileSync(goldenPath, 'utf8'));
    expect(JSON.parse(payload).alert.attribution).toContain('Detection Rule License (DRL) 1.1');
  });

  it('sends acknowledge and resolve with the actor, as separate deliveries', async () => {
    const ack: AlertNotification = { ...trigger, kind: 'acknowledge', actor: 'bob@example.com', deliveryKey: `${trigger.alert.id}:dst:acknowledge:1`, alert: { ...trigger.alert, status: 'acknowledged' } };
    expect((await webhookDestination.deliver(trigger, config(), context())).kind).toBe('success');
    expect((await webhookDestination.deliver(ack, config(), context())).kind).toBe('success');
    const s = await summary();
    expect(s.deliveries.map((d) => d.kind)).toEqual(['trigger', 'acknowledge']);
    expect(JSON.parse((await rawRequests())[1]!.body)).toMatchObject({ kind: 'acknowledge', actor: 'bob@example.com', alert: { status: 'acknowledged' } });
  });

  it('sends the Authorization header from its secret', async () => {
    const result = await webhookDestination.deliver(trigger, config({ authorizationSecret: 'WEBHOOK_AUTH' }), context({ secrets: { WEBHOOK_SECRET: webhookReceiverSecret, WEBHOOK_AUTH: 'Bearer rcv-token-123' } }));
    expect(result.kind).toBe('success');
    expect((await rawRequests())[0]!.headers.authorization).toBe('Bearer rcv-token-123');
  });

  it('lets the receiver dedupe a resent delivery on X-Mantissa-Delivery', async () => {
    await webhookDestination.deliver(trigger, config(), context());
    const again = await webhookDestination.deliver(trigger, config(), context());
    expect(again).toEqual({ kind: 'success', value: { externalId: null, detail: 'HTTP 200' } });
    expect(await summary()).toMatchObject({ unique: 1, received: 2, duplicates: 1, deliveries: [{ attempts: 2 }] });
  });

  it('lets the receiver recognise a captured request replayed verbatim', async () => {
    await webhookDestination.deliver(trigger, config(), context());
    const [captured] = await rawRequests();
    const headers = Object.fromEntries(Object.entries(captured!.headers).filter(([k]) => k.startsWith('x-mantissa-') || k === 'content-type')) as Record<string, string>;
    const replay = await fetch(`${receiver.origin}/hooks/mantissa`, { method: 'POST', headers, body: captured!.body });
    expect(await replay.json()).toEqual({ duplicate: true });
    expect(await summary()).toMatchObject({ unique: 1, duplicates: 1 });
  });

  it('is refused by the receiver (401 → failure) when its timestamp is stale', async () => {
    const result = await webhookDestination.deliver(trigger, config(), context({ now: new Date(Date.now() - 10 * 60_000) }));
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringMatching(/^webhook http:\/\/127\.0\.0\.1:\d+ answered HTTP 401: .*stale_timestamp/) });
    expect(await summary()).toMatchObject({ unique: 0, rejected: 1 });
  });

  it('is refused by the receiver (401 → failure) when signed with another secret', async () => {
    const result = await webhookDestination.deliver(trigger, config(), context({ secrets: { WEBHOOK_SECRET: 'whsec_wrong' } }));
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('"reason":"mismatch"') });
    expect(await summary()).toMatchObject({ unique: 0, rejected: 1 });
  });
});

describe('webhook destination: classification', () => {
  it.each([
    [500, undefined],
    [502, undefined],
    [503, 7],
    [429, 30],
    [408, undefined],
    [425, undefined],
  ])('is retryable on HTTP %i (Retry-After %s)', async (status, retryAfterSeconds) => {
    await admin('fail', { status, times: 1, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}), body: '{"error":"nope"}' });
    const result = await webhookDestination.deliver(trigger, config(), context());
    expect(result).toEqual({
      kind: 'retryable',
      message: `webhook ${receiver.origin} answered HTTP ${status}: {"error":"nope"}`,
      ...(retryAfterSeconds !== undefined ? { retryAfterMs: retryAfterSeconds * 1000 } : {}),
    });
    expect(await summary()).toMatchObject({ unique: 0 });
  });

  it.each([400, 403, 404, 410, 422])('fails on HTTP %i', async (status) => {
    await admin('fail', { status, times: 1, body: '{"error":"rejected"}' });
    expect(await webhookDestination.deliver(trigger, config(), context())).toEqual({ kind: 'failure', message: `webhook ${receiver.origin} answered HTTP ${status}: {"error":"rejected"}` });
  });

  it('recovers after injected 500s: the retry is accepted once', async () => {
    await admin('fail', { status: 500, times: 2 });
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await webhookDestination.deliver(trigger, config(), context())).kind);
    expect(results).toEqual(['retryable', 'retryable', 'success']);
    expect(await summary()).toMatchObject({ unique: 1, received: 1 });
    expect(await rawRequests()).toHaveLength(3);
  });

  it('is retryable on a timeout; the receiver that did the work dedupes the retry', async () => {
    await admin('delay', { ms: 1500, times: 1 });
    const slow = await webhookDestination.deliver(trigger, config({ timeoutSeconds: 1 }), context());
    expect(slow).toEqual({ kind: 'retryable', message: `webhook ${receiver.origin} did not answer within 1 s` });
    const retry = await webhookDestination.deliver(trigger, config({ timeoutSeconds: 1 }), context());
    expect(retry.kind).toBe('success');
    expect(await summary()).toMatchObject({ unique: 1, duplicates: 1 });
  });

  it('is retryable when the connection is refused', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise((r) => server.close(r));
    const result = await webhookDestination.deliver(trigger, config({ url: `http://127.0.0.1:${port}/hook` }), context({ allow: `127.0.0.1:${port}` }));
    expect(result).toMatchObject({ kind: 'retryable', message: expect.stringMatching(/^webhook http:\/\/127\.0\.0\.1:\d+ failed: .*ECONNREFUSED/) });
  });
});

describe('webhook destination: secrets and the outbound guard', () => {
  it('fails, naming it, when the signing secret is not set — without a request', async () => {
    expect(await webhookDestination.deliver(trigger, config(), context({ secrets: {} }))).toEqual({
      kind: 'failure',
      message: 'webhook signing secret WEBHOOK_SECRET is not set (wrangler secret put WEBHOOK_SECRET)',
    });
    expect(await rawRequests()).toHaveLength(0);
  });

  it('fails, naming it, when the authorization secret is not set', async () => {
    expect(await webhookDestination.deliver(trigger, config({ authorizationSecret: 'WEBHOOK_AUTH' }), context())).toEqual({
      kind: 'failure',
      message: 'webhook authorization secret WEBHOOK_AUTH is not set (wrangler secret put WEBHOOK_AUTH)',
    });
  });

  it.each([
    ['another loopback port, not allow-listed', () => `${other.origin}/hook`],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a file: URL', () => 'file:///etc/passwd'],
    ['credentials in the URL', () => `http://user:pass@127.0.0.1:${receiver.port}/hook`],
  ])('refuses %s without sending a request', async (_, url) => {
    // The routing document's schema refuses most of these already; the guard is the backstop at send time.
    const result = await webhookDestination.deliver(trigger, { ...config(), url: url() }, context());
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('outbound request refused') });
    expect(await rawRequests()).toHaveLength(0);
    expect((await admin('deliveries', {}, other)) as ReceiverSummary).toMatchObject({ received: 0 });
  });

  it('rate-limits to 10 deliveries a second', () => {
    expect(webhookDestination.rateLimit).toEqual({ requests: 10, perMs: 1000 });
  });
});

describe('webhook destination: config', () => {
  it('accepts a URL, a secret name and plain extra headers', () => {
    expect(webhookConfigSchema.parse({ url: 'https://soar.example.com/hooks/1', secretName: 'SOAR_WEBHOOK_SECRET', headers: { 'X-Tenant': 'acme' } })).toEqual({
      url: 'https://soar.example.com/hooks/1',
      secretName: 'SOAR_WEBHOOK_SECRET',
      headers: { 'X-Tenant': 'acme' },
      timeoutSeconds: 10,
    });
  });

  it.each([
    ['an Authorization header', { headers: { Authorization: 'Bearer x' } }],
    ['a Cookie header', { headers: { cookie: 'session=1' } }],
    ['a Host header', { headers: { HOST: 'internal' } }],
    ['overriding our signature header', { headers: { 'X-Mantissa-Signature': 'v1=0' } }],
    ['a header value with a line break', { headers: { 'X-Team': 'a\r\nX-Evil: 1' } }],
    ['a header name that is not a token', { headers: { 'X Team': 'a' } }],
    ['a file: URL', { url: 'file:///etc/passwd' }],
    ['credentials in the URL', { url: 'https://user:pass@hooks.example.com/' }],
    ['a secret value instead of a name', { secretName: 'whsec_0123/abc' }],
    ['a misspelt setting', { header: { 'X-Team': 'a' } }],
  ])('refuses %s', (_, patch) => {
    expect(webhookConfigSchema.safeParse({ url: 'https://hooks.example.com/x', secretName: 'WEBHOOK_SECRET', ...patch }).success).toBe(false);
  });
});
