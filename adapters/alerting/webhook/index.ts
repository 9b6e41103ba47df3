/**
 * Generic webhook destination: one signed JSON POST per lifecycle step, for receivers we do not have an adapter
 * for (SOAR tools, ticketing glue, a team's own service). Wire format and verification: docs/webhook-verification.md.
 *
 * Body: `{version: 1, kind, deliveryKey, at, actor, alert}` with `alert` the NotificationAlert as the pipeline
 * hands it over (already redacted). Headers: `Content-Type: application/json`, `User-Agent: MantissaLog-Webhook/1`,
 * `X-Mantissa-Delivery` (the deliveryKey, also inside the signed body — receivers dedupe on it),
 * `X-Mantissa-Timestamp` and `X-Mantissa-Signature` (signature.ts).
 *
 * Security invariants:
 * - every request goes through `ctx.fetch` (the SSRF guard): no private, link-local or non-http(s) target unless
 *   allow-listed, no credentials in the URL, redirects re-checked hop by hop;
 * - secrets never sit in the routing document: the HMAC key is named by `secretName`, an `Authorization` value by
 *   `authorizationSecret`; the plain `headers` map refuses credential and hop-by-hop headers and our own;
 * - a refused URL is a `failure` (retrying will not make it allowed), never a `retryable`.
 *
 * Classification: 2xx success; 408, 425, 429 and 5xx retryable (Retry-After honoured); timeouts and network
 * errors retryable; any other status fails.
 */
import { z } from 'zod';
import { parseRetryAfter, type TransportResult } from '../../../core/collect/transport';
import type { AlertNotification, NotificationAlert } from '../../../core/alerting/notification';
import type { DeliveryContext, DeliveryReceipt, DestinationAdapter } from '../destination';
import { signWebhookBody } from './signature';

export { signWebhookBody, verifyWebhookSignature, type SignatureCheck, type VerifyWebhookSignatureInput } from './signature';

export const webhookUserAgent = 'MantissaLog-Webhook/1';

/** Worker secret names: what `wrangler secret put` accepts and `env` can hold. */
const secretNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'the name of a Worker secret (letters, digits, underscores)');

/** Headers the `headers` map may not set: credentials (use a secret), hop-by-hop ones, and the ones we own. */
const reservedHeaders = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'te',
  'upgrade',
  'expect',
  'user-agent',
  'x-mantissa-delivery',
  'x-mantissa-timestamp',
  'x-mantissa-signature',
]);

/** RFC 9110 §5.6.2 token. */
const headerNamePattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII, spaces and tabs: no CR/LF (header injection) and nothing a proxy would re-encode. */
const headerValuePattern = /^[\t\x20-\x7e]*$/;

export const webhookConfigSchema = z.strictObject({
  url: z
    .url()
    .refine((u) => /^https?:$/.test(new URL(u).protocol), 'an http(s) URL (plain http only works for allow-listed hosts)')
    .refine((u) => !new URL(u).username && !new URL(u).password, 'no credentials in the URL: use authorizationSecret'),
  /** The Worker secret holding the HMAC key receivers verify X-Mantissa-Signature with. */
  secretName: secretNameSchema,
  /** Non-secret extra headers, e.g. a routing key the receiver expects. */
  headers: z
    .record(z.string().regex(headerNamePattern, 'a header name (RFC 9110 token)'), z.string().regex(headerValuePattern, 'a header value without line breaks').max(1024))
    .refine((h) => Object.keys(h).every((name) => !reservedHeaders.has(name.toLowerCase())), {
      message: `headers may not set ${[...reservedHeaders].join(', ')}; put credentials in a secret named by authorizationSecret`,
    })
    .optional(),
  /** The Worker secret whose value is sent verbatim as `Authorization` (e.g. `Bearer …`). */
  authorizationSecret: secretNameSchema.optional(),
  /** How long to wait for the receiver before calling the attempt retryable. */
  timeoutSeconds: z.number().int().min(1).max(30).default(10),
});
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

/** The JSON body of one delivery (docs/webhook-verification.md#payload). */
export interface WebhookPayload {
  readonly version: 1;
  readonly kind: AlertNotification['kind'];
  readonly deliveryKey: string;
  readonly at: string;
  readonly actor: string | null;
  readonly alert: NotificationAlert;
}

export function webhookPayload(notification: AlertNotification): WebhookPayload {
  return {
    version: 1,
    kind: notification.kind,
    deliveryKey: notification.deliveryKey,
    at: notification.at,
    actor: notification.actor,
    alert: notification.alert,
  };
}

const retryableStatuses = new Set([408, 425, 429]);

/** 2xx success; 408/425/429/5xx retryable with Retry-After; anything else (4xx, a 3xx left unfollowed) fails. */
export async function classifyWebhookResponse(response: Response, what: string): Promise<TransportResult<DeliveryReceipt>> {
  if (response.status >= 200 && response.status < 300) {
    await response.body?.cancel();
    return { kind: 'success', value: { externalId: null, detail: `HTTP ${response.status}` } };
  }
  const text = (await response.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 300);
  const message = `${what} answered HTTP ${response.status}${text ? `: ${text}` : ''}`;
  if (retryableStatuses.has(response.status) || response.status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return retryAfterMs === undefined ? { kind: 'retryable', message } : { kind: 'retryable', message, retryAfterMs };
  }
  return { kind: 'failure', message };
}

/** The error's message, with its cause (undici's "fetch failed" hides ECONNREFUSED and the like there). */
function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `${(err.cause as Error & { code?: unknown }).code ?? ''} ${err.cause.message}`.trim() : '';
  return cause && !err.message.includes(cause) ? `${err.message} (${cause})` : err.message;
}

async function deliverWebhook(notification: AlertNotification, config: WebhookConfig, ctx: DeliveryContext): Promise<TransportResult<DeliveryReceipt>> {
  const secret = ctx.secret(config.secretName);
  if (!secret) return { kind: 'failure', message: `webhook signing secret ${config.secretName} is not set (wrangler secret put ${config.secretName})` };
  let authorization: string | undefined;
  if (config.authorizationSecret) {
    authorization = ctx.secret(config.authorizationSecret);
    if (!authorization) {
      return { kind: 'failure', message: `webhook authorization secret ${config.authorizationSecret} is not set (wrangler secret put ${config.authorizationSecret})` };
    }
    if (!headerValuePattern.test(authorization)) return { kind: 'failure', message: `secret ${config.authorizationSecret} holds a line break; it cannot be a header value` };
  }
  if (!/^[\x21-\x7e]{1,512}$/.test(notification.deliveryKey)) {
    return { kind: 'failure', message: 'deliveryKey is not a valid header value (visible ASCII, at most 512 characters)' };
  }

  const body = JSON.stringify(webhookPayload(notification));
  const timestamp = Math.floor(ctx.now.getTime() / 1000);
  const headers = new Headers(config.headers ?? {});
  headers.set('content-type', 'application/json');
  headers.set('user-agent', webhookUserAgent);
  headers.set('x-mantissa-delivery', notification.deliveryKey);
  headers.set('x-mantissa-timestamp', String(timestamp));
  headers.set('x-mantissa-signature', await signWebhookBody(secret, timestamp, body));
  if (authorization) headers.set('authorization', authorization);

  const what = `webhook ${safeOrigin(config.url)}`;
  let response: Response;
  try {
    response = await ctx.fetch(config.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(config.timeoutSeconds * 1000) });
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    // The outbound guard refused the URL or a redirect: no request was (re)sent, and retrying will not change that.
    if (name === 'OutboundRefusedError') return { kind: 'failure', message: `${what}: ${errorText(err)}` };
    if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'retryable', message: `${what} did not answer within ${config.timeoutSeconds} s` };
    return { kind: 'retryable', message: `${what} failed: ${errorText(err)}` };
  }
  return classifyWebhookResponse(response, what);
}

/** The URL's origin for messages: the path and query may carry a receiver's token, so they are not logged. */
function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

export const webhookDestination: DestinationAdapter<WebhookConfig> = {
  type: 'webhook',
  configSchema: webhookConfigSchema,
  // Our own choice (a receiver is anyone's server): 10 a second keeps a burst of alerts from flooding it.
  rateLimit: { requests: 10, perMs: 1000 },
  deliver: deliverWebhook,
};
