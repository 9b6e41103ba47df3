/**
 * Loopback fake of Slack's messaging side, as the Slack alert destination uses it (the Audit Logs API fake is
 * slack.ts):
 *
 * - `POST /api/chat.postMessage` and `POST /api/chat.update` (https://docs.slack.dev/reference/methods/chat.postMessage,
 *   https://docs.slack.dev/reference/methods/chat.update): JSON bodies with `Authorization: Bearer xoxb-…`;
 *   errors are HTTP 200 `{"ok": false, "error": "…"}` — `not_authed`, `invalid_auth`, `channel_not_found`,
 *   `not_in_channel`, `no_text`, `msg_too_long` (text over 40,000 characters), `invalid_blocks` (with
 *   `errors` and `response_metadata.messages` naming the JSON pointer, as Slack does), `message_not_found`;
 *   a JSON body without `charset` gets Slack's `missing_charset` warning. Success is `{ok, channel, ts}` with
 *   increasing `ts`; the channel is answered as its ID even when posted to by name.
 * - `POST /services/T…/B…/<secret>` incoming webhook (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks):
 *   `200 ok`; `400 invalid_payload` (not JSON, or neither text nor blocks), `400 invalid_blocks`,
 *   `404 no_service` for an unknown URL.
 * - Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks): ≤ 50 blocks; header plain_text
 *   ≤ 150; section text ≤ 3000, ≤ 10 fields of ≤ 2000; context ≤ 10 elements; actions ≤ 25 elements, button
 *   text ≤ 75 and url ≤ 3000; block_id ≤ 255; text objects non-empty, `plain_text` or `mrkdwn`. Lengths are
 *   counted in UTF-16 units (the strictest reading), and a string with a lone surrogate is refused (stricter
 *   than Slack, which does not document what it does with one) so that cutting an emoji in half shows up.
 *
 * Admin: POST /__fake/reset, /__fake/ratelimit {times, retryAfterSeconds} (HTTP 429 + Retry-After,
 * `ratelimited`), /__fake/delete {channel, ts} (the message disappears: `message_not_found` on update),
 * GET /__fake/messages (what the channel shows now), /__fake/fail, GET /__fake/requests.
 */
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';
import { bearer } from './saas-corpus';

export const slackChatFakeToken = 'xoxb-0000000000-1111111111-fakechatbottoken0000';
/** Channels of the fake workspace: the bot is a member of #alerts only. */
export const slackChatFakeChannels = {
  alerts: { id: 'C0FAKEALERTS', member: true },
  'ops-private': { id: 'C0FAKENOTIN', member: false },
} as const;
export const slackChatFakeWebhookPath = '/services/T0FAKETEAM/B0FAKEHOOK/fakeIncomingWebhookSecret01';

export interface StoredSlackMessage {
  channel: string;
  ts: string;
  text: string | null;
  blocks: unknown[] | null;
  threadTs: string | null;
  edited: boolean;
  via: 'api' | 'webhook';
}

const limits = {
  blocks: 50,
  header: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  textObject: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonUrl: 3000,
  blockId: 255,
  messageText: 40_000,
};

export async function startSlackChatFake(): Promise<RunningFake> {
  let messages: StoredSlackMessage[] = [];
  let rateLimit: { times: number; retryAfterSeconds: number } | null = null;
  let seq = 0;
  const base = Math.floor(Date.now() / 1000);
  const nextTs = () => `${base + Math.floor(seq / 1_000_000)}.${String(++seq % 1_000_000).padStart(6, '0')}`;

  const takeRateLimit = (res: ServerResponse, body: (error: string) => void): boolean => {
    if (!rateLimit || rateLimit.times <= 0) return false;
    rateLimit.times--;
    res.setHeader('retry-after', String(rateLimit.retryAfterSeconds));
    body('ratelimited');
    return true;
  };

  return startFakeServer(
    (req, res, url) => {
      if (req.method === 'POST' && url.pathname.startsWith('/services/')) {
        if (takeRateLimit(res, () => sendText(res, 429, 'rate_limited'))) return;
        if (url.pathname !== slackChatFakeWebhookPath) return sendText(res, 404, 'no_service');
        const payload = parseJson(req.body);
        if (!isObject(payload)) return sendText(res, 400, 'invalid_payload');
        const problem = validateMessage(payload);
        if (problem?.error === 'no_text') return sendText(res, 400, 'invalid_payload');
        if (problem) return sendText(res, 400, problem.error);
        messages.push({ channel: 'webhook', ts: nextTs(), text: stringOrNull(payload.text), blocks: arrayOrNull(payload.blocks), threadTs: null, edited: false, via: 'webhook' });
        return sendText(res, 200, 'ok');
      }

      const method = /^\/api\/(chat\.postMessage|chat\.update)$/.exec(url.pathname)?.[1];
      if (req.method !== 'POST' || !method) return sendJson(res, 404, { ok: false, error: 'unknown_method' });
      if (takeRateLimit(res, (error) => sendJson(res, 429, { ok: false, error }))) return;
      const token = bearer(req.headers.authorization);
      if (!token) return sendJson(res, 200, { ok: false, error: 'not_authed' });
      if (token !== slackChatFakeToken) return sendJson(res, 200, { ok: false, error: 'invalid_auth' });
      const contentType = String(req.headers['content-type'] ?? '');
      if (!contentType.startsWith('application/json')) return sendJson(res, 200, { ok: false, error: 'invalid_form_data' });
      const warning = /charset=/i.test(contentType) ? {} : { warning: 'missing_charset', response_metadata: { warnings: ['missing_charset'] } };
      const args = parseJson(req.body);
      if (!isObject(args)) return sendJson(res, 200, { ok: false, error: 'invalid_json' });

      const channel = resolveChannel(args.channel);
      if (!channel) return sendJson(res, 200, { ok: false, error: 'channel_not_found' });
      if (!channel.member) return sendJson(res, 200, { ok: false, error: 'not_in_channel' });
      const problem = validateMessage(args);
      if (problem) return sendJson(res, 200, { ok: false, ...problem });

      if (method === 'chat.postMessage') {
        const threadTs = stringOrNull(args.thread_ts);
        const stored: StoredSlackMessage = { channel: channel.id, ts: nextTs(), text: stringOrNull(args.text), blocks: arrayOrNull(args.blocks), threadTs, edited: false, via: 'api' };
        messages.push(stored);
        return sendJson(res, 200, { ok: true, channel: channel.id, ts: stored.ts, message: wireMessage(stored), ...warning });
      }
      const existing = messages.find((m) => m.channel === channel.id && m.ts === args.ts);
      if (!existing) return sendJson(res, 200, { ok: false, error: 'message_not_found' });
      // chat.update keeps what is not sent again ("If you don't include this field, the message's previous blocks will be retained").
      if (args.text !== undefined) existing.text = stringOrNull(args.text);
      if (args.blocks !== undefined) existing.blocks = arrayOrNull(args.blocks);
      existing.edited = true;
      return sendJson(res, 200, { ok: true, channel: channel.id, ts: existing.ts, text: existing.text ?? '', message: wireMessage(existing), ...warning });
    },
    (action, body) => {
      if (action === 'reset') {
        messages = [];
        rateLimit = null;
        return { ok: true };
      }
      if (action === 'ratelimit') {
        const b = body as { times?: number; retryAfterSeconds?: number } | null;
        rateLimit = { times: b?.times ?? 1, retryAfterSeconds: b?.retryAfterSeconds ?? 1 };
        return { ok: true };
      }
      if (action === 'delete') {
        const b = body as { channel: string; ts: string };
        const before = messages.length;
        messages = messages.filter((m) => !(m.channel === b.channel && m.ts === b.ts));
        return { deleted: before - messages.length };
      }
      if (action === 'messages') return messages;
      return { ok: false, error: `unknown admin action ${action}` };
    },
  );
}

function resolveChannel(value: unknown): { id: string; member: boolean } | null {
  if (typeof value !== 'string') return null;
  for (const [name, channel] of Object.entries(slackChatFakeChannels)) {
    if (value === channel.id || value === name || value === `#${name}`) return channel;
  }
  return null;
}

function wireMessage(m: StoredSlackMessage) {
  return { type: 'message', text: m.text ?? '', ...(m.blocks ? { blocks: m.blocks } : {}), ts: m.ts, ...(m.threadTs ? { thread_ts: m.threadTs } : {}) };
}

type Problem = { error: string; errors?: string[]; response_metadata?: { messages: string[] } };

/** Text and blocks as chat.postMessage checks them; null when acceptable. */
export function validateMessage(args: Record<string, unknown>): Problem | null {
  const hasText = typeof args.text === 'string' && args.text.length > 0;
  const hasBlocks = Array.isArray(args.blocks) && args.blocks.length > 0;
  if (!hasText && !hasBlocks) return { error: 'no_text' };
  if (typeof args.text === 'string') {
    if (args.text.length > limits.messageText) return { error: 'msg_too_long' };
    if (!args.text.isWellFormed()) return invalidBlocks(['invalid unicode in text [json-pointer:/text]']);
  }
  if (args.blocks !== undefined) {
    const errors = validateBlocks(args.blocks);
    if (errors.length) return invalidBlocks(errors);
  }
  return null;
}

function invalidBlocks(errors: string[]): Problem {
  return { error: 'invalid_blocks', errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } };
}

export function validateBlocks(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return ['must provide an array [json-pointer:/blocks]'];
  const errors: string[] = [];
  if (blocks.length > limits.blocks) errors.push(`no more than ${limits.blocks} items allowed [json-pointer:/blocks]`);
  blocks.forEach((block: unknown, i) => {
    const at = `/blocks/${i}`;
    if (!isObject(block)) return errors.push(`must be an object [json-pointer:${at}]`);
    if (block.block_id !== undefined && !(typeof block.block_id === 'string' && block.block_id.length <= limits.blockId)) {
      errors.push(`must be less than ${limits.blockId + 1} characters [json-pointer:${at}/block_id]`);
    }
    switch (block.type) {
      case 'header':
        checkText(block.text, `${at}/text`, limits.header, errors, 'plain_text');
        break;
      case 'section':
        if (block.text === undefined && block.fields === undefined) errors.push(`must provide text or fields [json-pointer:${at}]`);
        if (block.text !== undefined) checkText(block.text, `${at}/text`, limits.sectionText, errors);
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields) || block.fields.length === 0) errors.push(`must provide a non-empty array [json-pointer:${at}/fields]`);
          else {
            if (block.fields.length > limits.fields) errors.push(`no more than ${limits.fields} items allowed [json-pointer:${at}/fields]`);
            block.fields.forEach((f: unknown, j) => checkText(f, `${at}/fields/${j}`, limits.fieldText, errors));
          }
        }
        break;
      case 'context':
        if (!Array.isArray(block.elements) || block.elements.length === 0) errors.push(`must provide a non-empty array [json-pointer:${at}/elements]`);
        else {
          if (block.elements.length > limits.contextElements) errors.push(`no more than ${limits.contextElements} items allowed [json-pointer:${at}/elements]`);
          block.elements.forEach((e: unknown, j) => checkText(e, `${at}/elements/${j}`, limits.textObject, errors));
        }
        break;
      case 'actions':
        if (!Array.isArray(block.elements) || block.elements.length === 0) errors.push(`must provide a non-empty array [json-pointer:${at}/elements]`);
        else {
          if (block.elements.length > limits.actionsElements) errors.push(`no more than ${limits.actionsElements} items allowed [json-pointer:${at}/elements]`);
          block.elements.forEach((e: unknown, j) => {
            const ep = `${at}/elements/${j}`;
            if (!isObject(e) || e.type !== 'button') return errors.push(`unsupported type [json-pointer:${ep}]`);
            checkText(e.text, `${ep}/text`, limits.buttonText, errors, 'plain_text');
            if (e.url !== undefined && !(typeof e.url === 'string' && e.url.length > 0 && e.url.length <= limits.buttonUrl)) {
              errors.push(`must be less than ${limits.buttonUrl + 1} characters [json-pointer:${ep}/url]`);
            }
          });
        }
        break;
      case 'divider':
        break;
      default:
        errors.push(`unsupported type [json-pointer:${at}/type]`);
    }
  });
  return errors;
}

function checkText(value: unknown, at: string, max: number, errors: string[], only?: 'plain_text'): void {
  if (!isObject(value)) {
    errors.push(`must provide an object [json-pointer:${at}]`);
    return;
  }
  if (value.type !== 'plain_text' && value.type !== 'mrkdwn') errors.push(`must be one of plain_text, mrkdwn [json-pointer:${at}/type]`);
  else if (only && value.type !== only) errors.push(`must be ${only} [json-pointer:${at}/type]`);
  if (value.emoji !== undefined && value.type !== 'plain_text') errors.push(`emoji is only allowed on plain_text [json-pointer:${at}/emoji]`);
  if (typeof value.text !== 'string' || value.text.length === 0) errors.push(`must be more than 0 characters [json-pointer:${at}/text]`);
  else {
    if (value.text.length > max) errors.push(`must be less than ${max + 1} characters [json-pointer:${at}/text]`);
    if (!value.text.isWellFormed()) errors.push(`invalid unicode [json-pointer:${at}/text]`);
  }
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html' });
  res.end(text);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function arrayOrNull(value: unknown): unknown[] | null {
  return Array.isArray(value) ? value : null;
}
