import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertNotification, NotificationAlert, NotificationKind } from '../../../core/alerting/notification';
import { parseAllowList } from '../../../core/net/outbound-policy';
import type { Severity } from '../../../core/schema/event';
import type { FakeRequest, RunningFake } from '../../../test/fakes/fake-server';
import { pagerDutyFakeRoutingKey, startPagerDutyFake, type PagerDutyFakeAlert } from '../../../test/fakes/pagerduty';
import { guardedFetch } from '../../http/guarded-fetch';
import type { DeliveryContext } from '../destination';
import { pagerDutyConfigSchema, pagerDutyDestination } from './index';
import { pagerDutyLimits, renderPagerDutyEvent } from './render-pagerduty-event';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const sample = JSON.parse(readFileSync(fixture('notification.json'), 'utf8')) as AlertNotification;
/** No line break, NUL or bidi override survived into a one-line field. */
const isOneCleanLine = (value: unknown) => typeof value === 'string' && !['\r', '\n', '\u0000', '\u202E'].some((c) => value.includes(c));

function notification(kind: NotificationKind, alert: Partial<NotificationAlert> = {}): AlertNotification {
  const status = kind === 'trigger' ? 'open' : kind === 'acknowledge' ? 'acknowledged' : 'closed';
  return { ...sample, kind, deliveryKey: `${sample.alert.id}:pagerduty:${kind}:1`, actor: kind === 'trigger' ? null : 'carol@example.com', alert: { ...sample.alert, status, ...alert } };
}

let fake: RunningFake;
let secrets: Record<string, string | undefined>;

function context(overrides: Partial<DeliveryContext> = {}, allow = `127.0.0.1:${fake.port}`): DeliveryContext {
  return { fetch: guardedFetch(parseAllowList(allow)), secret: (name) => secrets[name], now: new Date(sample.at), previous: null, ...overrides };
}
const config = () => pagerDutyConfigSchema.parse({ routingKeySecret: 'PAGERDUTY_ROUTING_KEY', apiBase: fake.origin });

async function admin<T>(action: string, body?: unknown): Promise<T> {
  const res = await fetch(`${fake.origin}/__fake/${action}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return (await res.json()) as T;
}
const alerts = () => admin<PagerDutyFakeAlert[]>('alerts');
const sentEvents = async () => (await admin<FakeRequest[]>('requests')).map((r) => JSON.parse(r.body) as Record<string, unknown>);

/** An origin nothing listens on: the port was free a moment ago. */
async function closedOrigin(): Promise<{ origin: string; host: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { origin: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` };
}

beforeAll(async () => {
  fake = await startPagerDutyFake();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  secrets = { PAGERDUTY_ROUTING_KEY: pagerDutyFakeRoutingKey };
  await admin('reset');
});

describe('pagerDutyDestination lifecycle', () => {
  it('PagerDuty trigger → acknowledge → resolve share one dedup_key', async () => {
    const receipts = [];
    for (const kind of ['trigger', 'acknowledge', 'resolve'] as const) {
      const result = await pagerDutyDestination.deliver(notification(kind), config(), context());
      expect(result).toMatchObject({ kind: 'success' });
      if (result.kind === 'success') receipts.push(result.value.externalId);
    }
    expect(receipts).toEqual([sample.alert.dedupKey, sample.alert.dedupKey, sample.alert.dedupKey]);
    const events = await sentEvents();
    expect(events.map((e) => [e.event_action, e.dedup_key])).toEqual([
      ['trigger', sample.alert.dedupKey],
      ['acknowledge', sample.alert.dedupKey],
      ['resolve', sample.alert.dedupKey],
    ]);
    const stored = await alerts();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ dedup_key: sample.alert.dedupKey, state: 'resolved', actions: ['trigger', 'acknowledge', 'resolve'] });
  });

  it('sends acknowledge and resolve as the documented minimal events', async () => {
    await pagerDutyDestination.deliver(notification('acknowledge'), config(), context());
    expect((await sentEvents())[0]).toEqual({ routing_key: pagerDutyFakeRoutingKey, event_action: 'acknowledge', dedup_key: sample.alert.dedupKey });
  });

  it('keeps one alert when the trigger is sent again, and opens a new one after a resolve', async () => {
    for (const kind of ['trigger', 'trigger', 'resolve', 'trigger'] as const) {
      expect((await pagerDutyDestination.deliver(notification(kind), config(), context())).kind).toBe('success');
    }
    expect((await alerts()).map((a) => [a.state, a.actions.length])).toEqual([
      ['resolved', 3],
      ['triggered', 1],
    ]);
  });

  it('hashes a dedup key longer than 255 characters and still ties the lifecycle together', async () => {
    const alert = { dedupKey: `okta-password-spray:${'u'.repeat(400)}` };
    const trigger = await pagerDutyDestination.deliver(notification('trigger', alert), config(), context());
    const resolve = await pagerDutyDestination.deliver(notification('resolve', alert), config(), context());
    expect(trigger.kind === 'success' && trigger.value.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(resolve.kind === 'success' && resolve.value.externalId).toBe(trigger.kind === 'success' && trigger.value.externalId);
    expect(await alerts()).toMatchObject([{ state: 'resolved' }]);
  });
});

describe('pagerDutyDestination trigger payload', () => {
  it('matches the reviewed golden event', () => {
    const actual = renderPagerDutyEvent(sample, pagerDutyFakeRoutingKey, sample.alert.dedupKey);
    const goldenPath = fixture('trigger.golden.json');
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) writeFileSync(goldenPath, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(goldenPath, 'utf8')));
  });

  it('carries summary, source, link, client and custom details that PagerDuty stores', async () => {
    await pagerDutyDestination.deliver(notification('trigger'), config(), context());
    const [stored] = await alerts();
    expect(stored).toMatchObject({
      summary: sample.alert.title,
      source: '203.0.113.9',
      severity: 'error',
      component: 'okta',
      group: 'attack.credential_access attack.t1110.003',
      class: sample.alert.ruleName,
      client: 'Mantissa Log',
      client_url: 'https://mantissa.example.com/',
      links: [{ href: sample.alert.url, text: 'Open the alert in Mantissa Log' }],
    });
    expect(stored!.custom_details).toMatchObject({
      entities: sample.alert.entities,
      count: 37,
      rule: { id: sample.alert.ruleId, name: sample.alert.ruleName },
      attribution: sample.alert.attribution,
      enrichment: sample.alert.enrichment,
      evidence: sample.alert.evidence,
    });
  });

  it.each<[Severity, string]>([
    ['critical', 'critical'],
    ['high', 'error'],
    ['medium', 'warning'],
    ['low', 'info'],
    ['info', 'info'],
  ])('maps severity %s to PagerDuty %s', async (severity, expected) => {
    await pagerDutyDestination.deliver(notification('trigger', { severity, dedupKey: `sev:${severity}` }), config(), context());
    expect((await alerts()).map((a) => a.severity)).toEqual([expected]);
  });

  it('leaves attribution out of custom_details only when the alert has none', async () => {
    await pagerDutyDestination.deliver(notification('trigger', { attribution: null }), config(), context());
    expect((await alerts())[0]!.custom_details).not.toHaveProperty('attribution');
  });

  it('produces an event PagerDuty accepts from hostile, oversized content, attribution kept', async () => {
    const hostile = `🚨 "quoted" <b>&amp;</b> \\ \u202Eevil\u202C \u0000\u0007 \ud800 {"type":"doc"} ]]>\r\n`.repeat(40) + 'x'.repeat(10_000);
    const alert: Partial<NotificationAlert> = {
      title: hostile,
      ruleName: hostile,
      summary: hostile,
      attribution: `DRL 1.1 ${hostile}`,
      entities: { users: Array.from({ length: 500 }, (_, i) => `${i}${hostile}`), ips: [hostile], hosts: [hostile] },
      tags: [hostile],
      sources: [hostile],
      evidence: Array.from({ length: 50 }, () => ({ message: hostile.repeat(10), nested: { deep: [hostile] } })),
      enrichment: Array.from({ length: 200 }, () => ({ subject: hostile, provider: hostile, text: hostile })),
    };
    const result = await pagerDutyDestination.deliver(notification('trigger', alert), config(), context());
    expect(result.kind).toBe('success');
    const [request] = await admin<FakeRequest[]>('requests');
    expect(Buffer.byteLength(request!.body)).toBeLessThan(pagerDutyLimits.bodyBytes);
    const [stored] = await alerts();
    expect(stored!.summary.length).toBeLessThanOrEqual(1024);
    expect(stored!.summary).toSatisfy(isOneCleanLine);
    expect(stored!.summary.startsWith('🚨 "quoted" <b>&amp;</b> \\ evil')).toBe(true);
    expect((stored!.custom_details as { attribution: string }).attribution.startsWith('DRL 1.1 🚨')).toBe(true);
  });
});

describe('pagerDutyDestination errors', () => {
  it('fails with PagerDuty’s validation message on a 400', async () => {
    secrets.PAGERDUTY_ROUTING_KEY = 'too-short';
    const result = await pagerDutyDestination.deliver(notification('trigger'), config(), context());
    expect(result).toEqual({ kind: 'failure', message: "PagerDuty Events API answered 400: Event object is invalid: Length of 'routing_key' is incorrect (should be 32 characters)" });
  });

  it('fails when PagerDuty does not know the routing key', async () => {
    secrets.PAGERDUTY_ROUTING_KEY = 'ffffffffffffffffffffffffffffffff';
    const result = await pagerDutyDestination.deliver(notification('trigger'), config(), context());
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('Invalid routing key') });
  });

  it.each([401, 403, 404])('fails for good on a %i', async (status) => {
    await admin('fail', { status, times: 1 });
    const result = await pagerDutyDestination.deliver(notification('trigger'), config(), context());
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining(`answered ${status}`) });
  });

  it('is retryable on a 429, with the Retry-After PagerDuty gave', async () => {
    await admin('fail', { status: 429, times: 1, retryAfterSeconds: 30 });
    const result = await pagerDutyDestination.deliver(notification('trigger'), config(), context());
    expect(result).toMatchObject({ kind: 'retryable', retryAfterMs: 30_000 });
  });

  it('is retryable on a 500 and succeeds once PagerDuty recovers', async () => {
    await admin('fail', { status: 500, times: 1 });
    expect(await pagerDutyDestination.deliver(notification('trigger'), config(), context())).toMatchObject({ kind: 'retryable', message: expect.stringContaining('answered 500') });
    expect(await pagerDutyDestination.deliver(notification('trigger'), config(), context())).toMatchObject({ kind: 'success' });
    expect(await alerts()).toHaveLength(1);
  });

  it('is retryable when the connection is refused', async () => {
    const closed = await closedOrigin();
    const result = await pagerDutyDestination.deliver(notification('trigger'), pagerDutyConfigSchema.parse({ apiBase: closed.origin }), context({}, closed.host));
    expect(result).toMatchObject({ kind: 'retryable', message: expect.stringContaining('PagerDuty Events API failed') });
  });

  it('fails naming the secret when the routing key is not set, without sending anything', async () => {
    secrets = {};
    const result = await pagerDutyDestination.deliver(notification('trigger'), config(), context());
    expect(result).toEqual({ kind: 'failure', message: 'the secret PAGERDUTY_ROUTING_KEY is not set (wrangler secret put PAGERDUTY_ROUTING_KEY)' });
    expect(await admin<FakeRequest[]>('requests')).toEqual([]);
  });

  it.each(['http://169.254.169.254', 'https://10.0.0.5'])('refuses apiBase %s before any request is made', async (apiBase) => {
    const attempted: string[] = [];
    const spy = ((url: URL, init?: RequestInit) => {
      attempted.push(String(url));
      return fetch(url, init);
    }) as typeof fetch;
    const ctx = context({ fetch: guardedFetch(parseAllowList(`127.0.0.1:${fake.port}`), spy) });
    const result = await pagerDutyDestination.deliver(notification('trigger'), pagerDutyConfigSchema.parse({ apiBase }), ctx);
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('outbound request refused') });
    expect(attempted).toEqual([]);
  });
});

describe('pagerDutyConfigSchema', () => {
  it('defaults to the US service region and the PAGERDUTY_ROUTING_KEY secret', () => {
    expect(pagerDutyConfigSchema.parse({})).toEqual({ routingKeySecret: 'PAGERDUTY_ROUTING_KEY', apiBase: 'https://events.pagerduty.com' });
  });

  it('accepts the EU service region and drops a trailing slash', () => {
    expect(pagerDutyConfigSchema.parse({ apiBase: 'https://events.eu.pagerduty.com/' }).apiBase).toBe('https://events.eu.pagerduty.com');
  });

  it('rejects a routing key pasted where the secret name belongs', () => {
    const parsed = pagerDutyConfigSchema.safeParse({ routingKeySecret: 'e93facc04764012d7bfb002500d5d1a6' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/name of a Worker secret/);
  });
});
