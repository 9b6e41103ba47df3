/**
 * Any server speaking OpenAI's Chat Completions (vLLM `vllm serve`, Ollama's `/v1`, LM Studio, a gateway), through
 * the `openai` SDK pointed at its base URL with our guarded fetch — a private address must be on
 * OUTBOUND_ALLOWLIST. The key is optional (Ollama needs none; the SDK then sends a placeholder bearer, which such
 * servers ignore). The response format defaults to `json_object`, which both vLLM and Ollama accept;
 * `json_schema` for servers with structured outputs, `none` for the rest.
 */
import OpenAI from 'openai';
import type { HttpFetch } from '../../../core/collect/transport';
import type { LlmProvider } from '../../../core/nlq/llm/provider';
import { completeChat, type ResponseFormatMode } from '../openai/chat-completions';
import { sdkFetch } from '../shared/sdk-fetch';

export interface OpenAiCompatibleConfig {
  /** e.g. http://10.0.0.5:8000/v1 (vLLM) or http://127.0.0.1:11434/v1 (Ollama). */
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string;
  readonly responseFormat?: ResponseFormatMode;
  readonly maxRetries: number;
}

/** Sent when no key is configured: the SDK requires one, and keyless servers ignore it. */
export const keylessPlaceholder = 'no-key';

export function openAiCompatibleProvider(config: OpenAiCompatibleConfig, fetchImpl: HttpFetch): LlmProvider {
  const client = new OpenAI({ apiKey: config.apiKey || keylessPlaceholder, baseURL: config.baseUrl, fetch: sdkFetch(fetchImpl), maxRetries: config.maxRetries });
  const options = { model: config.model, responseFormat: config.responseFormat ?? 'json_object', tokenParameter: 'max_tokens', what: 'OpenAI-compatible endpoint' } as const;
  return { id: 'openai-compatible', model: config.model, complete: (call) => completeChat(client, options, call) };
}
