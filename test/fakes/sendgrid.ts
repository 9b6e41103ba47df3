/**
 * Loopback fake of Twilio SendGrid's v3 Mail Send (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send):
 * `POST /v3/mail/send` with `Authorization: Bearer <key>` (401 "The provided authorization grant is invalid,
 * expired, or revoked" otherwise). The body is checked the way the errors reference lists
 * (https://www.twilio.com/docs/sendgrid/api-reference/mail-send/errors), each failure a 400
 * `{errors: [{message, field, help}]}`: at least one and at most 1,000 personalizations, each with a non-empty
 * `to` of `{email}`, at most 1,000 recipients in all; `from.email`; a `subject` (top level or in every
 * personalization); `content` non-empty, each `{type, value}` with a value, text/plain before text/html; string
 * `custom_args`. Accepted mail answers 202 with an empty body and an `X-Message-Id`, plus SendGrid's
 * X-RateLimit-* headers.
 *
 * What it cannot reproduce: sender identity verification, suppression lists, the real per-account limits, and
 * anything after acceptance (delivery, bounces, the event webhook).
 *
 * Admin: POST /__fake/reset, /__fake/throttle {times, resetInSeconds?} (429 "too many requests" with
 * X-RateLimit-Reset), /__fake/fail {status, times, retryAfterSeconds?, body?}, GET /__fake/sent (accepted
 * messages: {messageId, body}), GET /__fake/requests.
 */
import { randomBytes } from 'node:crypto';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';

export const sendgridFakeApiKey = 'SG.fake-key-id.fake-key-secret-0123456789abcdefghijklmnopqrstuv';

interface SentMail {
  readonly messageId: string;
  readonly body: Record<string, unknown>;
}

type FieldError = { message: string; field: string | null };

const emailPattern = /^[^\s@<>]+@[^\s@<>]+$/;

function recipients(value: unknown): { email?: unknown }[] | null {
  return Array.isArray(value) ? (value as { email?: unknown }[]) : null;
}

/** The first problem SendGrid would report for this body, or null. */
export function sendgridBodyError(body: Record<string, unknown>): FieldError | null {
  const personalizations = body.personalizations;
  if (!Array.isArray(personalizations) || personalizations.length === 0) {
    return { field: 'personalizations', message: 'The personalizations field is required and must have at least one personalization.' };
  }
  if (personalizations.length > 1000) {
    return { field: 'personalizations', message: `The personalization block is limited to 1000 personalizations per API request. You have provided ${personalizations.length} personalizations.` };
  }
  let total = 0;
  for (const [i, p] of (personalizations as Record<string, unknown>[]).entries()) {
    const to = recipients(p?.to);
    if (!to || to.length === 0) return { field: `personalizations.${i}.to`, message: 'The to array is required for all personalization objects, and must have at least one email object with a valid email address.' };
    for (const list of [to, recipients(p.cc) ?? [], recipients(p.bcc) ?? []]) {
      for (const r of list) {
        if (typeof r?.email !== 'string' || !emailPattern.test(r.email)) return { field: `personalizations.${i}.to`, message: 'Does not contain a valid address.' };
        total++;
      }
    }
  }
  if (total > 1000) return { field: 'personalizations', message: 'There is a limit of 1000 total recipients (to + cc + bcc) per request.' };
  const from = body.from as { email?: unknown } | undefined;
  if (typeof from?.email !== 'string' || !emailPattern.test(from.email)) return { field: 'from.email', message: 'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.' };
  const everyPersonalizationHasSubject = (personalizations as Record<string, unknown>[]).every((p) => typeof p.subject === 'string' && p.subject !== '');
  if ((typeof body.subject !== 'string' || body.subject === '') && !everyPersonalizationHasSubject) {
    return { field: 'subject', message: 'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.' };
  }
  const content = body.content;
  if (!Array.isArray(content) || content.length === 0) return { field: 'content', message: 'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.' };
  const types: string[] = [];
  for (const [i, c] of (content as { type?: unknown; value?: unknown }[]).entries()) {
    if (typeof c?.type !== 'string' || c.type === '') return { field: `content.${i}.type`, message: 'The content type must be a string at least one character in length.' };
    if (typeof c.value !== 'string' || c.value === '') return { field: `content.${i}.value`, message: 'The content value must be a string at least one character in length.' };
    types.push(c.type);
  }
  const plain = types.indexOf('text/plain');
  const html = types.indexOf('text/html');
  if ((plain !== -1 && plain !== 0) || (html !== -1 && html !== (plain === -1 ? 0 : 1))) {
    return { field: 'content', message: 'If present, text/plain content must be first, followed by text/html, followed by any other content.' };
  }
  const customArgs = body.custom_args;
  if (customArgs !== undefined && (typeof customArgs !== 'object' || customArgs === null || Object.values(customArgs).some((v) => typeof v !== 'string'))) {
    return { field: 'custom_args', message: 'Invalid type. Expected: object, given: other. custom_args values must be strings.' };
  }
  return null;
}

export async function startSendgridFake(): Promise<RunningFake> {
  let sent: SentMail[] = [];
  let throttle: { times: number; resetInSeconds: number } | null = null;
  const rateHeaders = (remaining: number, resetInSeconds = 60) => ({
    'x-ratelimit-limit': '600',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + resetInSeconds),
  });

  return startFakeServer(
    (req, res, url) => {
      if (url.pathname !== '/v3/mail/send' || req.method !== 'POST') return sendJson(res, 404, { errors: [{ field: null, message: 'resource not found' }] });
      if (req.headers.authorization !== `Bearer ${sendgridFakeApiKey}`) {
        return sendJson(res, 401, { errors: [{ field: null, message: 'The provided authorization grant is invalid, expired, or revoked', help: null }] });
      }
      if (throttle && throttle.times > 0) {
        throttle.times--;
        return sendJson(res, 429, { errors: [{ field: null, message: 'too many requests' }] }, rateHeaders(0, throttle.resetInSeconds));
      }
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return sendJson(res, 400, { errors: [{ field: null, message: 'Content-Type should be application/json.', help: null }] });
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body) as Record<string, unknown>;
      } catch {
        return sendJson(res, 400, { errors: [{ field: null, message: 'Bad Request', help: null }] });
      }
      const problem = sendgridBodyError(body);
      if (problem) return sendJson(res, 400, { errors: [{ ...problem, help: 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html' }] });
      const messageId = randomBytes(16).toString('base64url').slice(0, 22);
      sent.push({ messageId, body });
      res.writeHead(202, { 'x-message-id': messageId, ...rateHeaders(599) });
      res.end();
    },
    (action, body) => {
      if (action === 'reset') {
        sent = [];
        throttle = null;
      } else if (action === 'throttle') {
        const b = (body ?? {}) as { times?: number; resetInSeconds?: number };
        throttle = { times: b.times ?? 1, resetInSeconds: b.resetInSeconds ?? 30 };
      } else if (action === 'sent') return sent;
      return { sent: sent.length };
    },
  );
}
