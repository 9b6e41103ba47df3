/**
 * What the email providers' HTTP calls share: how long we wait for SendGrid or SES, and how a thrown fetch is
 * classified. The outbound guard's refusal fails for good (retrying will not make the URL allowed); a timeout or
 * a network error is retryable.
 */
import type { TransportResult } from '../../../core/collect/transport';

export const vendorTimeoutMs = 15_000;

export function networkError(err: unknown, what: string): TransportResult<never> {
  const name = err instanceof Error ? err.name : '';
  const text = describeError(err);
  if (name === 'OutboundRefusedError') return { kind: 'failure', message: `${what}: ${text}` };
  if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'retryable', message: `${what} did not answer within ${vendorTimeoutMs / 1000} s` };
  return { kind: 'retryable', message: `${what} failed: ${text}` };
}

/** The error's message, with its cause (undici's "fetch failed" hides ECONNREFUSED and the like there). */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `${(err.cause as Error & { code?: unknown }).code ?? ''} ${err.cause.message}`.trim() : '';
  return cause && !err.message.includes(cause) ? `${err.message} (${cause})` : err.message;
}
