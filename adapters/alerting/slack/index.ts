/**
 * Slack alert destination, in one of two modes:
 *
 * - `webhook`: an incoming webhook (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks).
 *   The URL embeds its credential, so it lives in a Worker secret. Slack answers `200 ok`, or a text error
 *   with a 4xx (`invalid_payload` 400, `action_prohibited` 403, `channel_not_found` 404, `channel_is_archived`
 *   410) or `rollup_error` 500 (https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks),
 *   and `no_service` for a removed webhook. A webhook cannot edit or thread, so acknowledge/resolve post a
 *   short standalone message.
 * - `bot`: `chat.postMessage` / `chat.update` with a bot token (`xoxb-…`, `Authorization: Bearer`, JSON body:
 *   https://docs.slack.dev/reference/methods/chat.postMessage, https://docs.slack.dev/reference/methods/chat.update).
 *   The Web API answers HTTP 200 with `{"ok": false, "error": "…"}` for most errors and HTTP 429 with
 *   `Retry-After` when rate limited (https://docs.slack.dev/apis/web-api/rate-limits). The trigger's receipt is
 *   `channel:ts`; acknowledge/resolve update that message in place and reply in its thread.
 *
 * Every request goes through `ctx.fetch` (the outbound guard); a refusal by the guard is a `failure`, since
 * retrying cannot change the policy. Secret values never appear in results or logs, only secret names.
 */
import { z } from 'zod';
import { classifyResponse, parseRetryAfter, type HttpFetch, type TransportResult } from '../../../core/collect/transport';
import type { AlertNotification } from '../../../core/alerting/notification';
import type { DeliveryContext, DeliveryReceipt, DestinationAdapter } from '../destination';
import { renderSlackAlert, renderSlackLifecycleNote, renderSlackThreadReply, type SlackMessage } from './render-slack-message';

const secretNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'a Worker secret name, e.g. SLACK_BOT_TOKEN (the name, never the value)');

export const slackConfigSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('webhook'),
    /** Worker secret holding the incoming webhook URL (https://hooks.slack.com/services/T…/B…/…). */
    webhookUrlSecret: secretNameSchema,
  }),
  z.object({
    mode: z.literal('bot'),
    /** Worker secret holding the bot token (`xoxb-…`, scope `chat:write`). */
    tokenSecret: secretNameSchema,
    /** Channel ID (`C0123456789`, preferred: it survives renames) or name (`#alerts`). */
    channel: z.string().regex(/^#?[^\s#,]{1,80}$/, 'a channel ID such as C0123456789, or a name such as #alerts'),
    /** Web API base; `https://slack-gov.com/api` for GovSlack. */
    apiUrl: z.url().default('https://slack.com/api'),
  }),
]);
export type SlackConfig = z.infer<typeof slackConfigSchema>;
type SlackBotConfig = Extract<SlackConfig, { mode: 'bot' }>;
type SlackWebhookConfig = Extract<SlackConfig, { mode: 'webhook' }>;

export const slackDestination: DestinationAdapter<SlackConfig> = {
  type: 'slack',
  configSchema: slackConfigSchema,
  // chat.postMessage: "one message per second per channel" with short bursts (special tier); incoming
  // webhooks: one per second (https://docs.slack.dev/apis/web-api/rate-limits).
  rateLimit: { requests: 1, perMs: 1000 },
  deliver(notification, config, ctx) {
    return config.mode === 'webhook' ? deliverByWebhook(notification, config, ctx) : deliverByBot(notification, config, ctx);
  },
};

async function deliverByWebhook(notification: AlertNotification, config: SlackWebhookConfig, ctx: DeliveryContext): Promise<TransportResult<DeliveryReceipt>> {
  const url = ctx.secret(config.webhookUrlSecret);
  if (!url) return { kind: 'failure', message: `Slack: secret ${config.webhookUrlSecret} is not set` };
  if (!isUrl(url)) return { kind: 'failure', message: `Slack: secret ${config.webhookUrlSecret} does not hold a URL` };
  const message = notification.kind === 'trigger' ? renderSlackAlert(notification) : renderSlackLifecycleNote(notification);
  const sent = await exchange(ctx.fetch, url, jsonRequest(message), 'Slack incoming webhook');
  if (sent.kind !== 'success') return sent;
  return { kind: 'success', value: { externalId: null, detail: `posted the ${notification.kind} to the Slack incoming webhook` } };
}

async function deliverByBot(notification: AlertNotification, config: SlackBotConfig, ctx: DeliveryContext): Promise<TransportResult<DeliveryReceipt>> {
  const token = ctx.secret(config.tokenSecret);
  if (!token) return { kind: 'failure', message: `Slack: secret ${config.tokenSecret} is not set` };
  if (!token.startsWith('xoxb-')) return { kind: 'failure', message: `Slack: secret ${config.tokenSecret} does not hold a bot token (xoxb-…)` };
  const api = new SlackApi(ctx.fetch, config.apiUrl, token);
  const original = notification.kind === 'trigger' ? null : parseMessageRef(ctx.previous?.externalId);

  if (!original) {
    const message = notification.kind === 'trigger' ? renderSlackAlert(notification) : renderSlackLifecycleNote(notification);
    const posted = await api.call('chat.postMessage', { channel: config.channel, ...message, ...plainPosting });
    if (posted.kind !== 'success') return transportOnly(posted);
    const ref = `${posted.value.channel}:${posted.value.ts}`;
    return { kind: 'success', value: { externalId: ref, detail: `posted the ${notification.kind} as message ${ref}` } };
  }

  // Acknowledge/resolve: show the new status on the original message, then say who in its thread.
  const ref = `${original.channel}:${original.ts}`;
  const updated = await api.call('chat.update', { channel: original.channel, ts: original.ts, ...renderSlackAlert(notification), ...plainPosting });
  // A message that was deleted or can no longer be edited is not a reason to lose the status change: the
  // thread reply still carries it.
  if (updated.kind !== 'success' && !(updated.kind === 'failure' && updated.slackError && messageGone.has(updated.slackError))) {
    return transportOnly(updated);
  }
  const reply = await api.call('chat.postMessage', { channel: original.channel, thread_ts: original.ts, text: renderSlackThreadReply(notification), ...plainPosting });
  if (reply.kind !== 'success') return transportOnly(reply);
  const what = updated.kind === 'success' ? `updated message ${ref}` : `could not update message ${ref} (${updated.slackError})`;
  return { kind: 'success', value: { externalId: ref, detail: `${what}; replied in its thread as ${reply.value.ts}` } };
}

/**
 * Content is escaped by the renderer; these make sure Slack adds no parsing of its own (chat.update's `parse`
 * defaults to `client`, unlike chat.postMessage) and does not unfurl evidence URLs into previews.
 */
const plainPosting = { parse: 'none', link_names: false, unfurl_links: false, unfurl_media: false } as const;

/** chat.update errors after which the original message cannot be changed, but a thread reply can still be posted. */
const messageGone = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/**
 * Web API errors worth retrying: rate limits (`ratelimited` from the rate-limit docs, `rate_limited` from the
 * method's error table) and Slack's own transient failures; `fatal_error` may have half-succeeded, but losing an
 * alert is worse than showing it twice.
 */
const retryableSlackErrors = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

interface SlackPosted {
  readonly channel: string;
  readonly ts: string;
}

type SlackCallResult =
  | { readonly kind: 'success'; readonly value: SlackPosted }
  | { readonly kind: 'failure'; readonly message: string; readonly slackError?: string }
  | { readonly kind: 'retryable'; readonly message: string; readonly retryAfterMs?: number };

const slackAnswerSchema = z.union([
  z.object({ ok: z.literal(true), channel: z.string(), ts: z.string() }),
  z.object({
    ok: z.literal(false),
    error: z.string(),
    response_metadata: z.object({ messages: z.array(z.string()).optional() }).optional(),
  }),
]);

class SlackApi {
  constructor(
    private readonly fetchImpl: HttpFetch,
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call(method: 'chat.postMessage' | 'chat.update', body: object): Promise<SlackCallResult> {
    const what = `Slack ${method}`;
    const url = `${this.baseUrl.replace(/\/+$/, '')}/${method}`;
    const sent = await exchange(this.fetchImpl, url, jsonRequest(body, { authorization: `Bearer ${this.token}` }), what);
    if (sent.kind !== 'success') return sent;
    const response = sent.value;
    const parsed = slackAnswerSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) return { kind: 'failure', message: `${what} answered ${response.status} with something other than a Slack API result` };
    const answer = parsed.data;
    if (answer.ok) return { kind: 'success', value: { channel: answer.channel, ts: answer.ts } };
    const details = answer.response_metadata?.messages?.length ? ` (${answer.response_metadata.messages.join('; ').slice(0, 300)})` : '';
    const message = `${what}: ${answer.error}${details}`;
    if (retryableSlackErrors.has(answer.error)) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      return retryAfterMs === undefined ? { kind: 'retryable', message } : { kind: 'retryable', message, retryAfterMs };
    }
    return { kind: 'failure', message, slackError: answer.error };
  }
}

/** One HTTP exchange: a refusal by the outbound guard fails for good; any other thrown error is a network error, worth retrying. */
async function exchange(fetchImpl: HttpFetch, url: string, init: RequestInit, what: string): Promise<TransportResult<Response>> {
  let response: Response;
  try {
    response = await fetchImpl(url, init);
  } catch (err) {
    const message = `${what} failed: ${describeError(err)}`;
    return err instanceof Error && err.name === 'OutboundRefusedError' ? { kind: 'failure', message } : { kind: 'retryable', message };
  }
  return classifyResponse(response, what);
}

function jsonRequest(body: SlackMessage | object, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

/** The receipt of a trigger: `C0123456789:1712345678.000100`. */
function parseMessageRef(externalId: string | null | undefined): SlackPosted | null {
  const match = /^([A-Z0-9]+):(\d+\.\d+)$/.exec(externalId ?? '');
  return match ? { channel: match[1]!, ts: match[2]! } : null;
}

function transportOnly(result: Exclude<SlackCallResult, { kind: 'success' }>): TransportResult<never> {
  if (result.kind === 'failure') return { kind: 'failure', message: result.message };
  return result.retryAfterMs === undefined ? { kind: 'retryable', message: result.message } : { kind: 'retryable', message: result.message, retryAfterMs: result.retryAfterMs };
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${err.message} (${code})` : err.message;
}

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
