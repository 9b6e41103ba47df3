/**
 * Loopback fake of Amazon SES API v2 SendEmail (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html):
 * `POST /v2/email/outbound-emails`.
 *
 * - SigV4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html) is verified
 *   independently of aws4fetch (node:crypto): the Authorization header must be `AWS4-HMAC-SHA256
 *   Credential=<key>/<yyyymmdd>/<region>/ses/aws4_request, SignedHeaders=…, Signature=<64 hex>` with `host` and
 *   `x-amz-date` signed, the scope's date equal to x-amz-date's, the fake's region and the `ses` service; the
 *   canonical request is rebuilt from what arrived (method, path, sorted query, the signed headers' values, the
 *   body's SHA-256) and signed with the key derived from the known test secret. REST-JSON errors as SES sends
 *   them — `x-amzn-ErrorType` header and `{"message"}` body: 403 `MissingAuthenticationTokenException`,
 *   `IncompleteSignatureException`, `UnrecognizedClientException` (unknown key), `InvalidSignatureException`,
 *   400 `InvalidSignatureException` "Signature expired" (more than 5 minutes off, SigV4's window for most services).
 * - The body: `FromEmailAddress` (must be a verified identity: 400 `MessageRejected` "Email address is not
 *   verified…" otherwise), `Destination.ToAddresses` (1–50), `Content.Simple` with `Subject.Data` and a Text or
 *   Html body, Charsets UTF-8 when given. Answers 200 `{"MessageId"}`.
 * - Throttling: /__fake/throttle answers 429 `TooManyRequestsException`; /__fake/sending-rate answers 400
 *   `ThrottlingException` "Maximum sending rate exceeded." (the quota error of the SES developer guide).
 *
 * What it cannot reproduce: real identities and DKIM, the account's actual quotas, sandbox recipient checks,
 * and the error types AWS uses for cases the docs do not show (the 403 signature error names above follow AWS's
 * REST-JSON services in general, not an SES-specific capture).
 *
 * Admin: POST /__fake/reset, /__fake/verify {identity}, /__fake/throttle {times}, /__fake/sending-rate {times},
 * /__fake/fail {status, times, retryAfterSeconds?, body?}, GET /__fake/sent, GET /__fake/requests.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { startFakeServer, type FakeRequest, type RunningFake } from './fake-server';

export const sesFake = {
  region: 'eu-west-1',
  accessKeyId: 'AKIAIOSFODNN7SESFAKE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSESFAKEKEY',
  verifiedIdentities: ['alerts@mantissa.example', 'mantissa.example'],
} as const;

const sha256 = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding, as SigV4 canonicalises query strings. */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface SigV4Request {
  readonly method: string;
  /** Path and query as sent, e.g. `/v2/email/outbound-emails`. */
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export type SigV4Check = { ok: true; accessKeyId: string } | { ok: false; status: number; type: string; message: string };

/** Checks a request's SigV4 Authorization header against `secrets` (access key id → secret key). */
export function verifySigV4(req: SigV4Request, expect: { region: string; service: string; secrets: Record<string, string>; now: Date; maxSkewMs?: number }): SigV4Check {
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(',') : v;
  };
  const authorization = header('authorization');
  if (!authorization) return { ok: false, status: 403, type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  const m = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
  if (!m) return { ok: false, status: 403, type: 'IncompleteSignatureException', message: `Authorization header requires Credential, SignedHeaders and Signature: ${authorization}` };
  const [, accessKeyId, scopeDate, region, service, signedHeadersList, signature] = m as unknown as [string, string, string, string, string, string, string];
  const signedHeaders = signedHeadersList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) {
    return { ok: false, status: 403, type: 'IncompleteSignatureException', message: 'SignedHeaders must include host and x-amz-date' };
  }
  if ([...signedHeaders].sort().join(';') !== signedHeadersList) return { ok: false, status: 403, type: 'IncompleteSignatureException', message: 'SignedHeaders must be sorted' };
  const amzDate = header('x-amz-date') ?? '';
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== scopeDate) {
    return { ok: false, status: 403, type: 'IncompleteSignatureException', message: 'x-amz-date must be yyyyMMddTHHmmssZ and match the credential scope date' };
  }
  if (region !== expect.region || service !== expect.service) {
    return { ok: false, status: 403, type: 'InvalidSignatureException', message: `Credential should be scoped to a valid region (${expect.region}) and service (${expect.service}), not ${region}/${service}.` };
  }
  const secret = expect.secrets[accessKeyId];
  if (!secret) return { ok: false, status: 403, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  const signedAt = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
  if (Math.abs(expect.now.getTime() - signedAt) > (expect.maxSkewMs ?? 5 * 60_000)) {
    return { ok: false, status: 400, type: 'InvalidSignatureException', message: `Signature expired: ${amzDate} is now earlier or later than the allowed window.` };
  }
  const target = new URL(req.url, 'http://fake');
  const query = [...target.searchParams.entries()]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${(header(name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  // The body as received is what is hashed: SES has no unsigned-payload mode, so a changed body fails the check.
  const payloadHash = sha256(req.body);
  const canonicalRequest = [req.method, target.pathname, query, canonicalHeaders, signedHeadersList, payloadHash].join('\n');
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, scopeDate), region), service), 'aws4_request');
  const expected = hmac(signingKey, stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    return {
      ok: false,
      status: 403,
      type: 'InvalidSignatureException',
      message: `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. The Canonical String for this request should have been '${canonicalRequest}' The String-to-Sign should have been '${stringToSign}'`,
    };
  }
  return { ok: true, accessKeyId };
}

function sesError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazonaws.sesv2/`, 'x-amzn-requestid': randomUUID() });
  res.end(JSON.stringify({ message }));
}

interface SentEmail {
  readonly messageId: string;
  readonly body: Record<string, unknown>;
}

/** The first problem SES would report for this SendEmail body, as [type, message], or null. */
function bodyError(body: Record<string, unknown>, verified: ReadonlySet<string>): [string, string] | null {
  const from = body.FromEmailAddress;
  if (typeof from !== 'string' || !from.includes('@')) return ['BadRequestException', 'FromEmailAddress is required when no FromEmailAddressIdentityArn is given.'];
  const to = (body.Destination as { ToAddresses?: unknown } | undefined)?.ToAddresses;
  if (!Array.isArray(to) || to.length === 0 || !to.every((a) => typeof a === 'string' && a.includes('@'))) return ['BadRequestException', 'Destination.ToAddresses must list at least one address.'];
  if (to.length > 50) return ['MessageRejected', 'Recipient count exceeds 50.'];
  const simple = (body.Content as { Simple?: Record<string, unknown> } | undefined)?.Simple;
  if (!simple) return ['BadRequestException', 'Content must contain exactly one of Simple, Raw or Template.'];
  const subject = simple.Subject as { Data?: unknown; Charset?: unknown } | undefined;
  if (typeof subject?.Data !== 'string' || subject.Data === '') return ['BadRequestException', 'Content.Simple.Subject.Data is required.'];
  const bodyPart = simple.Body as { Text?: { Data?: unknown; Charset?: unknown }; Html?: { Data?: unknown; Charset?: unknown } } | undefined;
  const parts = [bodyPart?.Text, bodyPart?.Html].filter((p) => p !== undefined);
  if (parts.length === 0 || !parts.every((p) => typeof p.Data === 'string')) return ['BadRequestException', 'Content.Simple.Body needs Text or Html with Data.'];
  for (const charset of [subject.Charset, ...parts.map((p) => p.Charset)]) {
    if (charset !== undefined && String(charset).toUpperCase() !== 'UTF-8') return ['BadRequestException', `Unsupported charset ${String(charset)}.`];
  }
  const domain = from.slice(from.lastIndexOf('@') + 1);
  if (!verified.has(from) && !verified.has(domain)) {
    return ['MessageRejected', `Email address is not verified. The following identities failed the check in region ${sesFake.region.toUpperCase()}: ${from}`];
  }
  return null;
}

export async function startSesFake(): Promise<RunningFake> {
  let sent: SentEmail[] = [];
  let verified = new Set<string>(sesFake.verifiedIdentities);
  let throttles = 0;
  let rateErrors = 0;

  return startFakeServer(
    (req: FakeRequest, res, url) => {
      if (url.pathname !== '/v2/email/outbound-emails' || req.method !== 'POST') return sesError(res, 404, 'NotFoundException', 'Resource not found');
      const auth = verifySigV4(req, { region: sesFake.region, service: 'ses', secrets: { [sesFake.accessKeyId]: sesFake.secretAccessKey }, now: new Date() });
      if (!auth.ok) return sesError(res, auth.status, auth.type, auth.message);
      if (throttles > 0) {
        throttles--;
        return sesError(res, 429, 'TooManyRequestsException', 'Too Many Requests');
      }
      if (rateErrors > 0) {
        rateErrors--;
        return sesError(res, 400, 'ThrottlingException', 'Maximum sending rate exceeded.');
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body) as Record<string, unknown>;
      } catch {
        return sesError(res, 400, 'BadRequestException', 'Could not parse the request body as JSON.');
      }
      const problem = bodyError(body, verified);
      if (problem) return sesError(res, 400, problem[0], problem[1]);
      const messageId = `0102019${Date.now().toString(16)}-${randomUUID()}-000000`;
      sent.push({ messageId, body });
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify({ MessageId: messageId }));
    },
    (action, body) => {
      const b = (body ?? {}) as { times?: number; identity?: string };
      if (action === 'reset') {
        sent = [];
        verified = new Set(sesFake.verifiedIdentities);
        throttles = 0;
        rateErrors = 0;
      } else if (action === 'verify' && b.identity) verified.add(b.identity);
      else if (action === 'throttle') throttles = b.times ?? 1;
      else if (action === 'sending-rate') rateErrors = b.times ?? 1;
      else if (action === 'sent') return sent;
      return { sent: sent.length };
    },
  );
}
