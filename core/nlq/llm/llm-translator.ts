/**
 * A Translator over any LLM provider: builds the prompt (prompt.ts), calls the provider under a timeout, and
 * checks its answer with zod (answer.ts) before it becomes a Translation. The SQL is not trusted: the pipeline
 * validates it, and asks again with `input.repair` set when the validator or the engine refuses it.
 *
 * Failure mapping (the contract of core/nlq/translator.ts):
 * - provider down, slow past the timeout, rate-limited, or refusing our credentials → `ok: false,
 *   providerFailure: true` (the pipeline answers offline instead);
 * - an answer that is not the expected JSON, or an explicit "cannot answer" → `ok: false` without
 *   providerFailure, with the reason for the analyst.
 */
import type { TranslateInput, Translation, Translator } from '../translator';
import { parseLlmAnswer } from './answer';
import { buildLlmPrompt, type PromptOptions } from './prompt';
import { errorMessage, type LlmProvider } from './provider';

export interface LlmTranslatorOptions extends PromptOptions {
  /** Time allowed for one provider call, including the SDK's own retries (default 30 s). */
  readonly timeoutMs?: number;
  /** Output token cap (default 1024). */
  readonly maxTokens?: number;
}

export const defaultLlmTimeoutMs = 30_000;

const suggestionsOnRefusal = ['Name the time range, e.g. "in the last 24 hours"', 'Ask about one thing at a time, e.g. "failed logins by user this week"'];

export function llmTranslator(provider: LlmProvider, options: LlmTranslatorOptions = {}): Translator {
  const timeoutMs = options.timeoutMs ?? defaultLlmTimeoutMs;
  return {
    id: provider.id,
    async translate(input: TranslateInput): Promise<Translation> {
      const engine = provider.id;
      const prompt = buildLlmPrompt(input, options);
      const controller = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => {
          controller.abort(new Error(`timed out after ${timeoutMs} ms`));
          resolve('timeout');
        }, timeoutMs);
      });
      let outcome;
      try {
        // The race also covers transports that ignore the abort signal (the Workers AI binding).
        outcome = await Promise.race([provider.complete({ prompt, signal: controller.signal, maxTokens: options.maxTokens ?? 1024 }), timeout]);
      } catch (err) {
        outcome = { kind: 'unavailable' as const, message: errorMessage(err) };
      } finally {
        clearTimeout(timer);
      }
      if (outcome === 'timeout') {
        return { ok: false, engine, providerFailure: true, message: `The ${engine} model (${provider.model}) did not answer within ${timeoutMs} ms.`, suggestions: [] };
      }
      if (outcome.kind === 'unavailable') {
        return { ok: false, engine, providerFailure: true, message: `The ${engine} model (${provider.model}) is unavailable: ${outcome.message}`, suggestions: [] };
      }
      if (outcome.kind === 'refused') {
        return { ok: false, engine, message: `The ${engine} model gave no usable answer: ${outcome.message}`, suggestions: suggestionsOnRefusal };
      }
      const parsed = parseLlmAnswer(outcome.payload);
      if (!parsed.ok) {
        return { ok: false, engine, message: `The ${engine} model's answer could not be used: ${parsed.message}`, suggestions: suggestionsOnRefusal };
      }
      const { sql, explanation, assumptions, timeRange } = parsed.answer;
      if (sql.trim() === '') {
        return { ok: false, engine, message: explanation.trim() || `The ${engine} model could not answer this question from the schema.`, suggestions: suggestionsOnRefusal };
      }
      return {
        ok: true,
        engine,
        sql: sql.trim(),
        explanation,
        assumptions,
        timeRange: timeRange ? { from: new Date(timeRange.from).toISOString(), to: new Date(timeRange.to).toISOString() } : null,
      };
    },
  };
}
