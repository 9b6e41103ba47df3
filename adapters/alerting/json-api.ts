/**
 * The JSON REST call the ticketing destinations share (Jira Cloud, ServiceNow): Basic auth from Worker secrets,
 * a bounded request through the caller's (guarded) fetch, the shared status classification (retry on 429/5xx
 * and network errors, fail on a refused outbound address or another 4xx), and the vendor's own error text in
 * the message, so the delivery log says why the vendor refused.
 */
import { classifyResponse, type HttpFetch, type TransportResult } from '../../core/collect/transport';
import { OutboundRefusedError } from '../http/guarded-fetch';

const requestTimeoutMs = 10_000;

export function missingSecret(name: string): TransportResult<never> {
  return { kind: 'failure', message: `the secret ${name} is not set (wrangler secret put ${name})` };
}

/** `Basic base64(user:password)`, UTF-8 safe (btoa alone takes Latin-1 only). */
export function basicAuthorization(user: string, password: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${user}:${password}`)) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/**
 * `vendor` names the system in messages (`Jira POST /rest/api/3/issue answered 400: …`); `errorText` turns the
 * vendor's error body into one line, or null when the body is not the vendor's error shape.
 */
export async function callJsonApi(
  fetchImpl: HttpFetch,
  vendor: string,
  errorText: (body: string) => string | null,
  authorization: string,
  method: string,
  url: string,
  body?: unknown,
): Promise<TransportResult<Response>> {
  const what = `${vendor} ${method} ${new URL(url).pathname}`;
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method,
      headers: { authorization, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
  } catch (err) {
    const message = `${what} failed: ${err instanceof Error ? err.message : String(err)}`;
    return err instanceof OutboundRefusedError ? { kind: 'failure', message } : { kind: 'retryable', message };
  }
  const classified = await classifyResponse(response.clone(), what);
  if (classified.kind === 'success') return classified;
  const detail = errorText(await response.text().catch(() => ''));
  return detail ? { ...classified, message: `${what} answered ${response.status}: ${detail}` } : classified;
}
