/**
 * Cloudflare Workers AI through the `AI` binding (https://developers.cloudflare.com/workers-ai/): `env.AI.run(model,
 * {messages, response_format: {type: "json_schema", json_schema}, max_tokens, temperature})` — JSON mode
 * (https://developers.cloudflare.com/workers-ai/features/json-mode/) on the models that support it. The answer is
 * `{response}`: a string, or already an object in JSON mode. The binding is not HTTP (no URL, no key: the account
 * is the Worker's), so it needs no outbound guard; it throws on failures (capacity, unknown model), which are
 * provider failures.
 */
import { answerJsonSchema } from '../../../core/nlq/llm/answer';
import type { LlmCall, LlmOutcome, LlmProvider } from '../../../core/nlq/llm/provider';
import { thrownFailure } from '../shared/failure';

/** The part of the `Ai` binding this adapter uses (the generated type is model-indexed and not needed here). */
export interface WorkersAiBinding {
  run(model: string, inputs: Record<string, unknown>): Promise<unknown>;
}

/** A model with JSON mode (function calling and structured output) on Workers AI. */
export const defaultWorkersAiModel = '@cf/meta/llama-3.3-70b-instruct-fp8-fast';

export function workersAiProvider(binding: WorkersAiBinding, model: string = defaultWorkersAiModel): LlmProvider {
  return {
    id: 'workers-ai',
    model,
    async complete({ prompt, maxTokens }: LlmCall): Promise<LlmOutcome> {
      let result: unknown;
      try {
        result = await binding.run(model, {
          messages: [{ role: 'system', content: prompt.system }, ...prompt.messages.map((m) => ({ role: m.role, content: m.content }))],
          response_format: { type: 'json_schema', json_schema: answerJsonSchema },
          max_tokens: maxTokens,
          temperature: 0,
        });
      } catch (err) {
        return thrownFailure(err, `Workers AI (${model})`);
      }
      const response = (result as { response?: unknown } | null)?.response;
      if (response === undefined || response === null || response === '') return { kind: 'refused', message: 'the answer had no response' };
      return { kind: 'answer', payload: response };
    },
  };
}
