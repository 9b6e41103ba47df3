/**
 * Retries for the providers called without an SDK (Bedrock, Gemini, Vertex): a 429, a 5xx or a network error
 * is tried again up to `maxRetries` times, waiting the provider's Retry-After (or 0.5 s, 1 s, …) but never more
 * than `maxWaitMs` — an analyst is waiting, and the offline engine answers if the provider stays down.
 */
import type { LlmOutcome } from '../../../core/nlq/llm/provider';

export interface RetryOptions {
  readonly maxRetries: number;
  readonly signal: AbortSignal;
  readonly maxWaitMs?: number;
}

function retryable(outcome: LlmOutcome): outcome is Extract<LlmOutcome, { kind: 'unavailable' }> {
  return outcome.kind === 'unavailable' && (outcome.status === undefined || outcome.status === 429 || outcome.status >= 500);
}

export async function withProviderRetries(call: () => Promise<LlmOutcome>, options: RetryOptions): Promise<LlmOutcome> {
  for (let attempt = 0; ; attempt++) {
    const outcome = await call();
    if (!retryable(outcome) || attempt >= options.maxRetries || options.signal.aborted) return outcome;
    const waitMs = Math.min(options.maxWaitMs ?? 5000, outcome.retryAfterMs ?? 500 * 2 ** attempt);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
