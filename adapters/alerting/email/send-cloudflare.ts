/**
 * Sending through the Cloudflare Email Workers `send_email` binding
 * (https://developers.cloudflare.com/email-routing/email-workers/send-email-workers/): the Worker hands the
 * binding an `EmailMessage(from, to, raw MIME)` with one envelope recipient, so a destination with several
 * addresses sends one message per address, each with `To:` naming only that address.
 *
 * Identity and threading: our Message-ID is derived from the deliveryKey (`<sha256….mantissa@from-domain>`), so a
 * resend of the same delivery is recognisably the same message. The binding may put its own Message-ID on the
 * message and answer it as `{messageId}` (workers-types' EmailSendResult; Miniflare's local binding replaces the
 * header that way), so the receipt keeps the id the recipients actually got — one per recipient, space-separated —
 * and acknowledge/resolve mails put all of them in In-Reply-To/References (RFC 5322 §3.6.4 allows several), which
 * threads the follow-up in every mailbox.
 *
 * Errors: the binding throws. Its messages for a refused sender or recipient ("email to … not allowed"), an
 * unverified destination or an invalid message are permanent (`failure`); anything else (quota, outage) is
 * `retryable`. A failure part-way names the recipients already sent to: a retry resends to them too.
 */
import type { TransportResult } from '../../../core/collect/transport';
import type { AlertNotification } from '../../../core/alerting/notification';
import type { DeliveryContext, DeliveryReceipt } from '../destination';
import type { CloudflareEmailConfig } from './email-config';
import { buildMimeMessage, parseMessageIds } from './mime-message';
import type { RenderedEmail } from './render-alert-email';

const encoder = new TextEncoder();

async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(value));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Our Message-ID and MIME boundary for a delivery: the same delivery always gets the same ones. */
export async function messageIdentity(deliveryKey: string, from: string): Promise<{ messageId: string; boundary: string }> {
  const hash = await sha256Hex(deliveryKey);
  const domain = from.slice(from.lastIndexOf('@') + 1).toLowerCase();
  return { messageId: `<${hash.slice(0, 32)}.mantissa@${domain}>`, boundary: `=_mantissa_${hash.slice(32, 56)}` };
}

/** The binding's answer, `{messageId}` (workers-types `EmailSendResult`), as a `<…>` msg-id; null when absent. */
function returnedMessageId(result: unknown): string | null {
  if (!result || typeof result !== 'object' || !('messageId' in result) || typeof result.messageId !== 'string') return null;
  const id = result.messageId.trim();
  const [parsed] = parseMessageIds(id.startsWith('<') ? id : `<${id}>`);
  return parsed ?? null;
}

const permanentBindingError = /not allowed|not verified|unverified|does not match|invalid|could not parse/i;

export async function sendViaBinding(
  notification: AlertNotification,
  config: CloudflareEmailConfig,
  ctx: DeliveryContext,
  rendered: RenderedEmail,
): Promise<TransportResult<DeliveryReceipt>> {
  const binding = ctx.sendEmail;
  if (!binding) {
    return { kind: 'failure', message: 'the send_email binding is not configured (add [[send_email]] name = "SEND_EMAIL" to wrangler.toml)' };
  }
  const { messageId, boundary } = await messageIdentity(notification.deliveryKey, config.from);
  const inReplyTo = notification.kind !== 'trigger' && ctx.previous?.externalId ? parseMessageIds(ctx.previous.externalId) : [];
  const delivered: string[] = [];
  const ids: string[] = [];
  for (const to of config.to) {
    let raw: string;
    try {
      raw = buildMimeMessage({ from: config.from, to: [to], subject: rendered.subject, date: ctx.now, messageId, inReplyTo, text: rendered.text, html: rendered.html, boundary });
    } catch (err) {
      return { kind: 'failure', message: `could not build the email: ${err instanceof Error ? err.message : String(err)}` };
    }
    try {
      const result = await binding.send({ from: config.from, to, raw });
      ids.push(returnedMessageId(result) ?? messageId);
      delivered.push(to);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const already = delivered.length > 0 ? ` (already sent to ${delivered.join(', ')})` : '';
      const message = `send_email binding refused the message to ${to}: ${reason}${already}`;
      return permanentBindingError.test(reason) ? { kind: 'failure', message } : { kind: 'retryable', message };
    }
  }
  const externalId = [...new Set(ids)].join(' ');
  const threaded = inReplyTo.length > 0 ? ', in reply to the alert mail' : '';
  return { kind: 'success', value: { externalId, detail: `sent to ${delivered.length} recipient${delivered.length === 1 ? '' : 's'} via Cloudflare Email${threaded}` } };
}
