/**
 * Turning a provider's failure into an `unavailable` outcome with a message an operator can act on. SDK errors
 * (Anthropic, OpenAI) carry `status`; raw HTTP failures are read here from the response. Messages are built
 * from the status and the vendor's error text only — never from request headers, so a key cannot leak.
 */
import { parseRetryAfter } from '../../../core/collect/transport';
import { errorMessage, type LlmOutcome } from '../../../core/nlq/llm/provider';

const hints: Record<number, string> = {
  401: 'check the API key secret',
  403: 'the credentials are not allowed to use this model',
  404: 'check the model or deployment name and the endpoint',
  429: 'rate limited',
};

function withHint(status: number | undefined, message: string): string {
  const hint = status === undefined ? undefined : hints[status] ?? (status >= 500 ? 'the provider is failing' : undefined);
  return hint ? `${message} (${hint})` : message;
}

/** A thrown SDK or network error. */
export function thrownFailure(err: unknown, what: string): Extract<LlmOutcome, { kind: 'unavailable' }> {
  const status = typeof (err as { status?: unknown })?.status === 'number' ? ((err as { status: number }).status) : undefined;
  const headers = (err as { headers?: unknown })?.headers;
  const retryAfterMs = headers instanceof Headers ? parseRetryAfter(headers.get('retry-after')) : undefined;
  // SDKs wrap network errors ("Connection error."): the cause says what happened, e.g. the outbound guard's refusal.
  const cause = (err as { cause?: unknown })?.cause;
  const detail = cause instanceof Error && !errorMessage(err).includes(cause.message) ? `${errorMessage(err)} (${errorMessage(cause)})` : errorMessage(err);
  const message = withHint(status, `${what} failed: ${detail}`);
  return { kind: 'unavailable', message, ...(status === undefined ? {} : { status }), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}

/** A non-2xx HTTP response of a REST provider; `detail` picks the vendor's error text from its JSON body. */
export async function responseFailure(response: Response, what: string, detail: (body: unknown) => string | undefined): Promise<Extract<LlmOutcome, { kind: 'unavailable' }>> {
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // not JSON (a proxy's error page): the text is the detail
  }
  const vendorText = (body === null ? undefined : detail(body)) ?? text.replace(/\s+/g, ' ').trim().slice(0, 300);
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  const message = withHint(response.status, `${what} answered ${response.status}${vendorText ? `: ${vendorText}` : ''}`);
  return { kind: 'unavailable', message, status: response.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}
