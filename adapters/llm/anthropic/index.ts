/**
 * Anthropic Messages API (https://docs.anthropic.com/en/api/messages) through the official SDK
 * (@anthropic-ai/sdk), with our guarded fetch. The answer is forced through one tool (`tool_choice: {type:
 * "tool"}`) whose `input_schema` is the answer's JSON Schema, so the model returns `{sql, explanation,
 * assumptions, timeRange}` as the tool_use block's `input`. The SDK (1.x) sends the key as `Authorization:
 * Bearer` with its dated `anthropic-version`; it retries 408/409/429/5xx (honouring `retry-after`) up to
 * `maxRetries`, after which the error is a provider failure and the pipeline answers offline.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { HttpFetch } from '../../../core/collect/transport';
import { answerJsonSchema, answerToolDescription, answerToolName } from '../../../core/nlq/llm/answer';
import type { LlmCall, LlmOutcome, LlmProvider } from '../../../core/nlq/llm/provider';
import { thrownFailure } from '../shared/failure';
import { sdkFetch } from '../shared/sdk-fetch';

export interface AnthropicConfig {
  readonly apiKey: string;
  readonly model: string;
  /** Default https://api.anthropic.com (a gateway or the test fake otherwise). */
  readonly baseUrl?: string;
  readonly maxRetries: number;
}

export function anthropicProvider(config: AnthropicConfig, fetchImpl: HttpFetch): LlmProvider {
  const client = new Anthropic({
    apiKey: config.apiKey,
    baseURL: config.baseUrl ?? 'https://api.anthropic.com',
    fetch: sdkFetch(fetchImpl),
    maxRetries: config.maxRetries,
  });
  return {
    id: 'anthropic',
    model: config.model,
    async complete({ prompt, signal, maxTokens }: LlmCall): Promise<LlmOutcome> {
      let message: Anthropic.Message;
      try {
        message = await client.messages.create(
          {
            model: config.model,
            max_tokens: maxTokens,
            system: prompt.system,
            messages: prompt.messages.map((m) => ({ role: m.role, content: m.content })),
            tools: [{ name: answerToolName, description: answerToolDescription, input_schema: answerJsonSchema as unknown as Anthropic.Tool.InputSchema }],
            tool_choice: { type: 'tool', name: answerToolName },
          },
          { signal },
        );
      } catch (err) {
        return thrownFailure(err, `Anthropic Messages (${config.model})`);
      }
      if (message.stop_reason === 'refusal') return { kind: 'refused', message: 'the model declined to answer' };
      const toolUse = message.content.find((b) => b.type === 'tool_use' && b.name === answerToolName);
      if (toolUse && toolUse.type === 'tool_use') return { kind: 'answer', payload: toolUse.input };
      const text = message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
      if (text.trim()) return { kind: 'answer', payload: text };
      return { kind: 'refused', message: `the answer had no ${answerToolName} tool call (stop_reason ${message.stop_reason ?? 'none'})` };
    },
  };
}
