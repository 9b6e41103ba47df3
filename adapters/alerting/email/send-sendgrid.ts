/**
 * Sending through Twilio SendGrid's v3 Mail Send (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send):
 * `POST {base}/v3/mail/send` with `Authorization: Bearer <API key>` (the key needs the `mail.send` scope) and
 * `{personalizations: [{to: [{email}…]}], from: {email}, subject, content: [{type: 'text/plain'}, {type: 'text/html'}]}`
 * — text/plain must come before text/html, or SendGrid answers 400. `custom_args` carry the alert id and the
 * deliveryKey into SendGrid's event webhook, so its delivery events can be matched back to ours.
 *
 * Answers: 202 Accepted, empty body, the message's id in `X-Message-Id` (the receipt's externalId).
 * Errors (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/errors) are `{errors: [{message, field, help}]}`:
 * 400/413 and 401/403 fail with SendGrid's own messages; 429 is retryable, waiting for `Retry-After` or else until
 * `X-RateLimit-Reset` (epoch seconds, https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/rate-limits);
 * 5xx, timeouts and network errors are retryable.
 */
import { parseRetryAfter, type TransportResult } from '../../../core/collect/transport';
import type { AlertNotification } from '../../../core/alerting/notification';
import type { DeliveryContext, DeliveryReceipt } from '../destination';
import type { SendgridEmailConfig } from './email-config';
import type { RenderedEmail } from './render-alert-email';
import { networkError, vendorTimeoutMs } from './vendor-errors';

export function sendgridMailBody(notification: AlertNotification, config: SendgridEmailConfig, rendered: RenderedEmail) {
  return {
    personalizations: [{ to: config.to.map((email) => ({ email })) }],
    from: { email: config.from },
    subject: rendered.subject,
    content: [
      { type: 'text/plain', value: rendered.text },
      { type: 'text/html', value: rendered.html },
    ],
    custom_args: { mantissa_alert_id: notification.alert.id, mantissa_delivery_key: notification.deliveryKey },
  };
}

/** SendGrid's `{errors: [{message, field}]}` as one line; the raw text when it is not that. */
function sendgridErrors(text: string): string {
  try {
    const parsed = JSON.parse(text) as { errors?: { message?: unknown; field?: unknown }[] };
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
      return parsed.errors
        .map((e) => `${typeof e.message === 'string' ? e.message : 'error'}${typeof e.field === 'string' && e.field ? ` (field ${e.field})` : ''}`)
        .join('; ');
    }
  } catch {
    // not JSON: fall through to the text itself
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function rateLimitResetMs(response: Response, now: Date): number | undefined {
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now.getTime());
  if (retryAfter !== undefined) return retryAfter;
  const reset = response.headers.get('x-ratelimit-reset');
  if (!reset || !/^\d+$/.test(reset.trim())) return undefined;
  return Math.max(0, Number(reset) * 1000 - now.getTime());
}

export async function sendViaSendgrid(
  notification: AlertNotification,
  config: SendgridEmailConfig,
  ctx: DeliveryContext,
  rendered: RenderedEmail,
): Promise<TransportResult<DeliveryReceipt>> {
  const apiKey = ctx.secret(config.apiKeySecret);
  if (!apiKey) return { kind: 'failure', message: `SendGrid API key secret ${config.apiKeySecret} is not set (wrangler secret put ${config.apiKeySecret})` };
  const what = 'SendGrid mail send';
  let response: Response;
  try {
    response = await ctx.fetch(`${config.baseUrl}/v3/mail/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(sendgridMailBody(notification, config, rendered)),
      signal: AbortSignal.timeout(vendorTimeoutMs),
    });
  } catch (err) {
    return networkError(err, what);
  }
  if (response.ok) {
    await response.body?.cancel();
    const id = response.headers.get('x-message-id');
    const n = config.to.length;
    return { kind: 'success', value: { externalId: id, detail: `accepted by SendGrid for ${n} recipient${n === 1 ? '' : 's'}${id ? ` (${id})` : ''}` } };
  }
  const message = `${what} answered ${response.status}: ${sendgridErrors(await response.text().catch(() => ''))}`;
  if (response.status === 429 || response.status >= 500) {
    const retryAfterMs = response.status === 429 ? rateLimitResetMs(response, ctx.now) : parseRetryAfter(response.headers.get('retry-after'), ctx.now.getTime());
    return retryAfterMs === undefined ? { kind: 'retryable', message } : { kind: 'retryable', message, retryAfterMs };
  }
  return { kind: 'failure', message };
}
