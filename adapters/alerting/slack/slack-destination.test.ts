// The Slack destination against the loopback fake (test/fakes/slack-chat.ts), through the real outbound guard.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../core/alerting/notification';
import { parseAllowList } from '../../../core/net/outbound-policy';
import { guardedFetch } from '../../http/guarded-fetch';
import type { FakeRequest, RunningFake } from '../../../test/fakes/fake-server';
import { slackChatFakeChannels, slackChatFakeToken, slackChatFakeWebhookPath, startSlackChatFake, type StoredSlackMessage } from '../../../test/fakes/slack-chat';
import type { DeliveryContext, DeliveryReceipt } from '../destination';
import { slackConfigSchema, slackDestination, type SlackConfig } from './index';

const base = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'alert-notification.json'), 'utf8')) as AlertNotification;
const alertsId = slackChatFakeChannels.alerts.id;

let fake: RunningFake;
beforeAll(async () => {
  fake = await startSlackChatFake();
});
afterAll(() => fake.close());
beforeEach(() => admin('reset'));

async function admin(action: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${fake.origin}/__fake/${action}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}
const requests = () => admin('requests') as Promise<FakeRequest[]>;
const messages = () => admin('messages') as Promise<StoredSlackMessage[]>;

function botConfig(patch: Record<string, unknown> = {}): SlackConfig {
  return slackConfigSchema.parse({ id: 'slack-secops', type: 'slack', mode: 'bot', tokenSecret: 'SLACK_BOT_TOKEN', channel: '#alerts', apiUrl: `${fake.origin}/api`, ...patch });
}
const webhookConfig = (): SlackConfig => slackConfigSchema.parse({ id: 'slack-hook', type: 'slack', mode: 'webhook', webhookUrlSecret: 'SLACK_WEBHOOK_URL' });

function context(patch: Partial<DeliveryContext> & { secrets?: Record<string, string> } = {}): DeliveryContext {
  const secrets = patch.secrets ?? { SLACK_BOT_TOKEN: slackChatFakeToken, SLACK_WEBHOOK_URL: `${fake.origin}${slackChatFakeWebhookPath}` };
  return {
    fetch: guardedFetch(parseAllowList(`127.0.0.1:${fake.port}`)),
    secret: (name) => secrets[name],
    now: new Date('2026-11-27T16:20:05.000Z'),
    previous: null,
    ...patch,
  };
}

function notification(kind: AlertNotification['kind'], patch: Partial<AlertNotification> = {}): AlertNotification {
  return { ...base, kind, deliveryKey: `${base.alert.id}:slack-secops:${kind}:1`, ...patch };
}

async function deliverOk(n: AlertNotification, config: SlackConfig, ctx: DeliveryContext): Promise<DeliveryReceipt> {
  const result = await slackDestination.deliver(n, config, ctx);
  if (result.kind !== 'success') throw new Error(`expected success, got ${result.kind}: ${result.message}`);
  return result.value;
}

describe('slackDestination in bot mode', () => {
  it('posts the trigger with chat.postMessage and returns channel:ts as the receipt', async () => {
    const receipt = await deliverOk(notification('trigger'), botConfig(), context());
    expect(receipt.externalId).toMatch(new RegExp(`^${alertsId}:\\d+\\.\\d{6}$`));
    const [request] = await requests();
    expect(request!.url).toBe('/api/chat.postMessage');
    expect(request!.headers.authorization).toBe(`Bearer ${slackChatFakeToken}`);
    expect(request!.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = JSON.parse(request!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ channel: '#alerts', parse: 'none', link_names: false, unfurl_links: false, unfurl_media: false });
    expect(body.text).toContain('MFA push fatigue against alice@example.com');
    const [stored] = await messages();
    expect(`${stored!.channel}:${stored!.ts}`).toBe(receipt.externalId);
    expect(JSON.stringify(stored!.blocks)).toContain('Detection Rule License (DRL) 1.1');
  });

  it('delivers a huge alert that passes the fake’s Block Kit validation with the attribution kept', async () => {
    const emoji = '😀👨‍👩‍👧';
    const n = notification('trigger', {
      alert: {
        ...base.alert,
        title: ('t'.repeat(143) + emoji).repeat(70),
        summary: ('s'.repeat(2995) + emoji).repeat(4),
        entities: { users: Array.from({ length: 300 }, (_, i) => `u${i}@example.com`), ips: Array.from({ length: 300 }, (_, i) => `192.0.2.${i % 256}`), hosts: [] },
        evidence: Array.from({ length: 500 }, (_, i) => ({ event_time: base.alert.firstSeen, actor: `u${i}@example.com`, message: emoji.repeat(200) })),
        enrichment: Array.from({ length: 40 }, (_, i) => ({ subject: `192.0.2.${i}`, provider: 'abuseipdb', text: emoji.repeat(100) })),
      },
    });
    await deliverOk(n, botConfig(), context());
    const [stored] = await messages();
    const blocks = JSON.stringify(stored!.blocks);
    expect(blocks).toContain('Detection Rule License (DRL) 1.1');
    expect(blocks).toContain('of 500)');
  });

  it('updates the trigger’s message and replies in its thread on acknowledge', async () => {
    const trigger = await deliverOk(notification('trigger'), botConfig(), context());
    const receipt = await deliverOk(notification('acknowledge', { actor: 'bob@example.com', at: '2026-11-27T16:30:00.000Z' }), botConfig(), context({ previous: trigger }));
    const [channel, ts] = trigger.externalId!.split(':');
    expect(receipt.externalId).toBe(trigger.externalId);
    const sent = (await requests()).slice(1).map((r) => ({ url: r.url, body: JSON.parse(r.body) as Record<string, unknown> }));
    expect(sent.map((r) => r.url)).toEqual(['/api/chat.update', '/api/chat.postMessage']);
    expect(sent[0]!.body).toMatchObject({ channel, ts, parse: 'none' });
    expect(sent[1]!.body).toMatchObject({ channel, thread_ts: ts });
    const [original, reply] = await messages();
    expect(original).toMatchObject({ channel, ts, edited: true });
    expect(JSON.stringify(original!.blocks)).toContain('👀 *Acknowledged* by bob@example.com');
    expect(original!.text).toMatch(/^Acknowledged: /);
    expect(reply).toMatchObject({ channel, threadTs: ts });
    expect(reply!.text).toContain('*Acknowledged* by bob@example.com');
  });

  it('still replies in the thread on resolve when the original message is gone', async () => {
    const trigger = await deliverOk(notification('trigger'), botConfig(), context());
    const [channel, ts] = trigger.externalId!.split(':');
    await admin('delete', { channel, ts });
    const receipt = await deliverOk(notification('resolve', { actor: 'carol@example.com' }), botConfig(), context({ previous: trigger }));
    expect(receipt.detail).toContain('could not update message');
    expect(receipt.detail).toContain('message_not_found');
    const [reply] = await messages();
    expect(reply).toMatchObject({ channel, threadTs: ts });
    expect(reply!.text).toContain('✅ *Resolved* by carol@example.com');
  });

  it('posts a standalone note on resolve when there is no trigger receipt', async () => {
    const receipt = await deliverOk(notification('resolve', { actor: 'carol@example.com' }), botConfig(), context({ previous: null }));
    expect(receipt.externalId).toMatch(new RegExp(`^${alertsId}:`));
    const [request] = await requests();
    expect(request!.url).toBe('/api/chat.postMessage');
    expect(JSON.parse(request!.body)).not.toHaveProperty('thread_ts');
  });

  it.each([
    ['a wrong token (invalid_auth)', { secrets: { SLACK_BOT_TOKEN: 'xoxb-wrong' } }, {}, /Slack chat\.postMessage: invalid_auth/],
    ['an unknown channel (channel_not_found)', {}, { channel: '#nope' }, /channel_not_found/],
    ['a channel the bot is not in (not_in_channel)', {}, { channel: slackChatFakeChannels['ops-private'].id }, /not_in_channel/],
  ])('fails for good on %s', async (_name, ctxPatch, configPatch, message) => {
    const result = await slackDestination.deliver(notification('trigger'), botConfig(configPatch), context(ctxPatch));
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringMatching(message) });
  });

  it('is retryable with Slack’s Retry-After when rate limited (HTTP 429, ratelimited)', async () => {
    await admin('ratelimit', { times: 1, retryAfterSeconds: 7 });
    const result = await slackDestination.deliver(notification('trigger'), botConfig(), context());
    expect(result).toEqual({ kind: 'retryable', message: expect.stringContaining('429') as string, retryAfterMs: 7000 });
    expect(await slackDestination.deliver(notification('trigger'), botConfig(), context())).toMatchObject({ kind: 'success' });
  });

  it('is retryable on a server error', async () => {
    await admin('fail', { status: 500, times: 1 });
    expect(await slackDestination.deliver(notification('trigger'), botConfig(), context())).toMatchObject({ kind: 'retryable', message: expect.stringContaining('500') });
  });

  it('is retryable when the connection is refused', async () => {
    const port = await closedPort();
    const config = botConfig({ apiUrl: `http://127.0.0.1:${port}/api` });
    const result = await slackDestination.deliver(notification('trigger'), config, context({ fetch: guardedFetch(parseAllowList(`127.0.0.1:${port}`)) }));
    expect(result).toMatchObject({ kind: 'retryable', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('fails naming the secret when the token is not set, without sending anything', async () => {
    const result = await slackDestination.deliver(notification('trigger'), botConfig(), context({ secrets: {} }));
    expect(result).toEqual({ kind: 'failure', message: 'Slack: secret SLACK_BOT_TOKEN is not set' });
    expect(await requests()).toEqual([]);
  });

  it('refuses a token secret that is not a bot token, without echoing it', async () => {
    const result = await slackDestination.deliver(notification('trigger'), botConfig(), context({ secrets: { SLACK_BOT_TOKEN: 'https://hooks.slack.com/services/T/B/secret' } }));
    expect(result).toEqual({ kind: 'failure', message: 'Slack: secret SLACK_BOT_TOKEN does not hold a bot token (xoxb-…)' });
  });

  it('sends a hostile title escaped, so it cannot ping the channel or inject a link', async () => {
    const hostile = '<!channel> <script>alert(1)</script> <https://evil.example|reset password>';
    await deliverOk(notification('trigger', { alert: { ...base.alert, title: hostile, summary: hostile } }), botConfig(), context());
    const [request] = await requests();
    const body = request!.body;
    expect(body).not.toContain('<!channel>');
    expect(body).not.toContain('<script>');
    expect(body).not.toContain('<https://evil.example');
    expect(body).toContain('&lt;!channel&gt; &lt;script&gt;');
  });
});

describe('slackDestination in webhook mode', () => {
  it('posts the trigger to the incoming webhook, with no external id', async () => {
    const receipt = await deliverOk(notification('trigger'), webhookConfig(), context());
    expect(receipt.externalId).toBeNull();
    const [request] = await requests();
    expect(request!.url).toBe(slackChatFakeWebhookPath);
    expect(request!.headers.authorization).toBeUndefined();
    const [stored] = await messages();
    expect(stored).toMatchObject({ via: 'webhook' });
    expect(JSON.stringify(stored!.blocks)).toContain('Detection Rule License (DRL) 1.1');
  });

  it('posts a short standalone message on acknowledge, even given a previous receipt', async () => {
    await deliverOk(notification('acknowledge', { actor: 'bob@example.com' }), webhookConfig(), context({ previous: { externalId: null, detail: 'posted' } }));
    const [stored] = await messages();
    expect(stored!.text).toMatch(/^Acknowledged: /);
    expect(stored!.blocks!.length).toBeLessThanOrEqual(3);
    expect(JSON.stringify(stored!.blocks)).toContain('👀 *Acknowledged* by bob@example.com');
  });

  it('fails for good on an unknown webhook (404 no_service)', async () => {
    const secrets = { SLACK_WEBHOOK_URL: `${fake.origin}/services/T0FAKETEAM/B0FAKEHOOK/revoked` };
    expect(await slackDestination.deliver(notification('trigger'), webhookConfig(), context({ secrets }))).toEqual({
      kind: 'failure',
      message: 'Slack incoming webhook answered 404: no_service',
    });
  });

  it('is retryable with Retry-After when the webhook is rate limited', async () => {
    await admin('ratelimit', { times: 1, retryAfterSeconds: 2 });
    expect(await slackDestination.deliver(notification('trigger'), webhookConfig(), context())).toMatchObject({ kind: 'retryable', retryAfterMs: 2000 });
  });

  it('fails naming the secret when the webhook URL is not set', async () => {
    expect(await slackDestination.deliver(notification('trigger'), webhookConfig(), context({ secrets: {} }))).toEqual({
      kind: 'failure',
      message: 'Slack: secret SLACK_WEBHOOK_URL is not set',
    });
  });

  it.each([
    ['a private address', 'https://10.0.0.1/services/T0/B0/x', /10\.0\.0\.1 is a private address/],
    ['plain http', 'http://example.com/services/T0/B0/x', /only https URLs are allowed/],
    ['the metadata address', 'https://169.254.169.254/latest/meta-data', /link-local/],
  ])('refuses a webhook URL secret pointing at %s without fetching it', async (_name, url, reason) => {
    const attempted: string[] = [];
    const spy = (async (input: URL) => {
      attempted.push(String(input));
      return new Response('ok');
    }) as unknown as typeof fetch;
    const ctx = context({ fetch: guardedFetch(parseAllowList(`127.0.0.1:${fake.port}`), spy), secrets: { SLACK_WEBHOOK_URL: url } });
    const result = await slackDestination.deliver(notification('trigger'), webhookConfig(), ctx);
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringMatching(reason) });
    expect(result.kind === 'failure' && result.message).not.toContain('/services/T0/B0/x');
    expect(attempted).toEqual([]);
  });
});

describe('slackConfigSchema', () => {
  it.each([
    [{ mode: 'bot', tokenSecret: 'SLACK_BOT_TOKEN' }, 'channel'],
    [{ mode: 'bot', tokenSecret: 'xoxb-123-abc', channel: '#alerts' }, 'tokenSecret'],
    [{ mode: 'webhook', webhookUrlSecret: 'https://hooks.slack.com/services/T/B/x' }, 'webhookUrlSecret'],
    [{ mode: 'email' }, 'mode'],
  ])('rejects %j (%s)', (entry, path) => {
    const parsed = slackConfigSchema.safeParse(entry);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('defaults the Web API base to slack.com', () => {
    expect(slackConfigSchema.parse({ mode: 'bot', tokenSecret: 'SLACK_BOT_TOKEN', channel: 'C0123456789' })).toEqual({
      mode: 'bot',
      tokenSecret: 'SLACK_BOT_TOKEN',
      channel: 'C0123456789',
      apiUrl: 'https://slack.com/api',
    });
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
