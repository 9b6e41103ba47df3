/**
 * What a call to an outside system returns: a value, a failure that retrying will not fix (bad credentials,
 * a 4xx), or a retryable one (429, 5xx, network), with the server's own `Retry-After` when it gave one.
 * Retrying is a wrapper (withRetries), not a loop inside every adapter.
 */
export type TransportResult<T> =
  | { kind: 'success'; value: T }
  | { kind: 'failure'; message: string }
  | { kind: 'retryable'; message: string; retryAfterMs?: number };

export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 };

/** Runs `call` until it succeeds, fails for good, or the attempts are used up; waits honour Retry-After. */
export async function withRetries<T>(
  call: () => Promise<TransportResult<T>>,
  policy: RetryPolicy = defaultRetryPolicy,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<TransportResult<T>> {
  let last: TransportResult<T> = { kind: 'failure', message: 'no attempt made' };
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    last = await call();
    if (last.kind !== 'retryable') return last;
    if (attempt === policy.attempts) break;
    const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    await sleep(Math.min(policy.maxDelayMs, last.retryAfterMs ?? backoff));
  }
  return last.kind === 'retryable' ? { kind: 'failure', message: `${last.message} (gave up after ${policy.attempts} attempts)` } : last;
}

/** Classifies an HTTP response: 2xx success; 429 and 5xx retryable (with Retry-After); other statuses fail. */
export async function classifyResponse(response: Response, what: string): Promise<TransportResult<Response>> {
  if (response.ok) return { kind: 'success', value: response };
  const detail = (await response.text().catch(() => '')).slice(0, 300);
  const message = `${what} answered ${response.status}${detail ? `: ${detail}` : ''}`;
  if (response.status === 429 || response.status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return retryAfterMs === undefined ? { kind: 'retryable', message } : { kind: 'retryable', message, retryAfterMs };
  }
  return { kind: 'failure', message };
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The fetch an adapter is given: a URL (checked by the outbound guard) and options; never a Request. */
export type HttpFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** Turns a thrown network error into a retryable result. */
export async function fetchResult(fetchImpl: HttpFetch, url: string | URL, init: RequestInit, what: string): Promise<TransportResult<Response>> {
  try {
    return await classifyResponse(await fetchImpl(url, init), what);
  } catch (err) {
    return { kind: 'retryable', message: `${what} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}
