/**
 * Sending through Amazon SES API v2 SendEmail (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html):
 * `POST https://email.<region>.amazonaws.com/v2/email/outbound-emails`, signed with SigV4 by aws4fetch's
 * AwsV4Signer — service `ses` (SES v2's signing name; the host says `email`, so it is set explicitly) — with a
 * Simple message: `{FromEmailAddress, Destination: {ToAddresses}, Content: {Simple: {Subject: {Data, Charset},
 * Body: {Text, Html}}}}`. SES builds the MIME itself. Answers 200 `{MessageId}` (the receipt's externalId).
 *
 * Errors are REST-JSON: the type in `x-amzn-ErrorType` (`MessageRejected:http://…`), the text in `{message}`.
 * 400 MessageRejected, MailFromDomainNotVerifiedException, AccountSuspendedException, SendingPausedException,
 * BadRequestException and 403 signature/credential errors fail. Retryable: 429 TooManyRequestsException, 5xx,
 * timeouts and network errors, and the sending-quota throttle — which the SES guide documents as a
 * ThrottlingException "Maximum sending rate exceeded" / "Daily message quota exceeded"
 * (https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas-errors.html), whatever its status; for the
 * daily quota the guide says to wait up to ten minutes, so that is the retry hint. SES sends no Retry-After.
 */
import { AwsV4Signer } from 'aws4fetch';
import { parseRetryAfter, type TransportResult } from '../../../core/collect/transport';
import type { DeliveryContext, DeliveryReceipt } from '../destination';
import type { SesEmailConfig } from './email-config';
import type { RenderedEmail } from './render-alert-email';
import { networkError, vendorTimeoutMs } from './vendor-errors';

export function sesEndpoint(config: SesEmailConfig): string {
  return config.endpoint ?? `https://email.${config.region}.amazonaws.com`;
}

export function sesSendEmailBody(config: SesEmailConfig, rendered: RenderedEmail) {
  return {
    FromEmailAddress: config.from,
    Destination: { ToAddresses: [...config.to] },
    Content: {
      Simple: {
        Subject: { Data: rendered.subject, Charset: 'UTF-8' },
        Body: {
          Text: { Data: rendered.text, Charset: 'UTF-8' },
          Html: { Data: rendered.html, Charset: 'UTF-8' },
        },
      },
    },
  };
}

/** SigV4's `x-amz-date` form of a time: `20260101T120000Z`. */
function amzDate(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

const throttledTypes = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling']);

async function sesError(response: Response, what: string, now: Date): Promise<TransportResult<never>> {
  const text = await response.text().catch(() => '');
  let body: { message?: unknown; Message?: unknown; __type?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON (a proxy's page): the text is the message
  }
  const type = (response.headers.get('x-amzn-errortype') ?? (typeof body.__type === 'string' ? body.__type : '')).split(':')[0]!.split('#').pop() ?? '';
  const detail = typeof body.message === 'string' ? body.message : typeof body.Message === 'string' ? body.Message : text.replace(/\s+/g, ' ').trim().slice(0, 300);
  const message = `${what} answered ${response.status}${type ? ` ${type}` : ''}${detail ? `: ${detail}` : ''}`;
  if (/daily message quota exceeded/i.test(detail)) return { kind: 'retryable', message, retryAfterMs: 10 * 60_000 };
  if (response.status === 429 || response.status >= 500 || throttledTypes.has(type) || /maximum sending rate exceeded/i.test(detail)) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now.getTime());
    return retryAfterMs === undefined ? { kind: 'retryable', message } : { kind: 'retryable', message, retryAfterMs };
  }
  return { kind: 'failure', message };
}

export async function sendViaSes(config: SesEmailConfig, ctx: DeliveryContext, rendered: RenderedEmail): Promise<TransportResult<DeliveryReceipt>> {
  const accessKeyId = ctx.secret(config.accessKeyIdSecret);
  if (!accessKeyId) return { kind: 'failure', message: `SES access key id secret ${config.accessKeyIdSecret} is not set (wrangler secret put ${config.accessKeyIdSecret})` };
  const secretAccessKey = ctx.secret(config.secretAccessKeySecret);
  if (!secretAccessKey) {
    return { kind: 'failure', message: `SES secret access key secret ${config.secretAccessKeySecret} is not set (wrangler secret put ${config.secretAccessKeySecret})` };
  }
  const url = `${sesEndpoint(config)}/v2/email/outbound-emails`;
  const body = JSON.stringify(sesSendEmailBody(config, rendered));
  const signed = await new AwsV4Signer({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    body,
    accessKeyId,
    secretAccessKey,
    service: 'ses',
    region: config.region,
    datetime: amzDate(ctx.now),
  }).sign();
  const what = `SES SendEmail (${config.region})`;
  let response: Response;
  try {
    response = await ctx.fetch(signed.url.toString(), { method: 'POST', headers: signed.headers, body, signal: AbortSignal.timeout(vendorTimeoutMs) });
  } catch (err) {
    return networkError(err, what);
  }
  if (!response.ok) return sesError(response, what, ctx.now);
  const answer = (await response.json().catch(() => null)) as { MessageId?: unknown } | null;
  const messageId = typeof answer?.MessageId === 'string' ? answer.MessageId : null;
  const n = config.to.length;
  return { kind: 'success', value: { externalId: messageId, detail: `accepted by SES for ${n} recipient${n === 1 ? '' : 's'}${messageId ? ` (${messageId})` : ''}` } };
}
