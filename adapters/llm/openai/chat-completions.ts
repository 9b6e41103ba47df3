/**
 * One Chat Completions call (https://platform.openai.com/docs/api-reference/chat/create) through the official
 * `openai` SDK, shared by OpenAI, Azure OpenAI and OpenAI-compatible servers (vLLM, Ollama), which differ only
 * in the client (base URL, auth header, api-version) and in the response format they support:
 * - `json_schema`: structured outputs, `strict: true` with the answer's JSON Schema (OpenAI, Azure, vLLM);
 * - `json_object`: JSON mode, the shape given by the prompt (older models, Ollama);
 * - `none`: plain text, the JSON parsed out of it.
 * A `refusal` in the message is a refusal; `finish_reason: "length"` is a cut-off answer.
 */
import type OpenAI from 'openai';
import { answerJsonSchema, answerToolName } from '../../../core/nlq/llm/answer';
import type { LlmCall, LlmOutcome } from '../../../core/nlq/llm/provider';
import { thrownFailure } from '../shared/failure';

export const responseFormats = ['json_schema', 'json_object', 'none'] as const;
export type ResponseFormatMode = (typeof responseFormats)[number];

export interface ChatCompletionOptions {
  readonly model: string;
  readonly responseFormat: ResponseFormatMode;
  /** `max_completion_tokens` (OpenAI, Azure) or the older `max_tokens` (what vLLM and Ollama read). */
  readonly tokenParameter: 'max_completion_tokens' | 'max_tokens';
  /** For error messages: "OpenAI", "Azure OpenAI", "OpenAI-compatible endpoint". */
  readonly what: string;
}

function responseFormat(mode: ResponseFormatMode): OpenAI.ChatCompletionCreateParams['response_format'] {
  if (mode === 'json_schema') return { type: 'json_schema', json_schema: { name: answerToolName, strict: true, schema: answerJsonSchema as unknown as Record<string, unknown> } };
  if (mode === 'json_object') return { type: 'json_object' };
  return undefined;
}

export async function completeChat(client: OpenAI, options: ChatCompletionOptions, { prompt, signal, maxTokens }: LlmCall): Promise<LlmOutcome> {
  const format = responseFormat(options.responseFormat);
  let completion: OpenAI.ChatCompletion;
  try {
    completion = await client.chat.completions.create(
      {
        model: options.model,
        messages: [{ role: 'system', content: prompt.system }, ...prompt.messages.map((m) => ({ role: m.role, content: m.content }))],
        ...(format ? { response_format: format } : {}),
        ...(options.tokenParameter === 'max_tokens' ? { max_tokens: maxTokens } : { max_completion_tokens: maxTokens }),
        temperature: 0,
      },
      { signal },
    );
  } catch (err) {
    return thrownFailure(err, `${options.what} chat completion (${options.model})`);
  }
  const choice = completion.choices?.[0];
  if (!choice) return { kind: 'refused', message: 'the answer had no choices' };
  if (choice.message.refusal) return { kind: 'refused', message: `the model refused: ${choice.message.refusal}` };
  if (choice.finish_reason === 'length') return { kind: 'refused', message: 'the answer was cut off at the token limit' };
  if (choice.finish_reason === 'content_filter') return { kind: 'refused', message: 'the answer was withheld by the content filter' };
  const content = choice.message.content ?? '';
  if (!content.trim()) return { kind: 'refused', message: 'the answer was empty' };
  return { kind: 'answer', payload: content };
}
