/**
 * The seam between the LLM translator (pure: prompt, parsing, Translation) and one provider's transport
 * (adapters/llm/<provider>/): a provider sends a prompt and returns the model's raw answer or says why it
 * could not.
 *
 * Outcomes:
 * - `answer`: the model answered; `payload` is the tool input / JSON-mode object, or the text to parse;
 * - `refused`: the provider answered but gave no usable answer (a content-filter refusal, no tool call, an
 *   empty or cut-off message): the question gets a refusal, not an offline fallback;
 * - `unavailable`: the provider itself failed — network, timeout, 401/403, 429, 5xx, a bad model name — and
 *   the pipeline falls back to the offline engine. `message` never contains a credential.
 */
import type { LlmPrompt } from './prompt';

export type LlmOutcome =
  | { readonly kind: 'answer'; readonly payload: unknown }
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'unavailable'; readonly message: string; readonly status?: number; readonly retryAfterMs?: number };

export interface LlmCall {
  readonly prompt: LlmPrompt;
  /** Aborts the request (the translator's timeout). */
  readonly signal: AbortSignal;
  readonly maxTokens: number;
}

export interface LlmProvider {
  /** The provider id, also the Translation's `engine`: 'anthropic', 'openai', 'workers-ai', … */
  readonly id: string;
  readonly model: string;
  complete(call: LlmCall): Promise<LlmOutcome>;
}

/** A thrown error's message, for `unavailable` outcomes. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message;
  return String(err);
}
