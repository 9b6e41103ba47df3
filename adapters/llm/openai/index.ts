/**
 * OpenAI (https://platform.openai.com/docs/api-reference) through the official `openai` SDK with our guarded
 * fetch, `Authorization: Bearer <key>`: Chat Completions with strict structured outputs (chat-completions.ts), or
 * the Responses API (responses.ts) when `api` is `responses`. The SDK retries 408/409/429/5xx (honouring
 * `retry-after` / `retry-after-ms`) up to `maxRetries`.
 */
import OpenAI from 'openai';
import type { HttpFetch } from '../../../core/collect/transport';
import type { LlmProvider } from '../../../core/nlq/llm/provider';
import { sdkFetch } from '../shared/sdk-fetch';
import { completeChat, type ResponseFormatMode } from './chat-completions';
import { completeResponse } from './responses';

export const openAiApis = ['chat-completions', 'responses'] as const;
export type OpenAiApi = (typeof openAiApis)[number];

export interface OpenAiConfig {
  readonly apiKey: string;
  readonly model: string;
  /** Default https://api.openai.com/v1. */
  readonly baseUrl?: string;
  readonly organization?: string;
  readonly project?: string;
  readonly responseFormat?: ResponseFormatMode;
  /** Default chat-completions. */
  readonly api?: OpenAiApi;
  readonly maxRetries: number;
}

export function openAiProvider(config: OpenAiConfig, fetchImpl: HttpFetch): LlmProvider {
  const client = new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseUrl ?? 'https://api.openai.com/v1',
    organization: config.organization ?? null,
    project: config.project ?? null,
    fetch: sdkFetch(fetchImpl),
    maxRetries: config.maxRetries,
  });
  const options = { model: config.model, responseFormat: config.responseFormat ?? 'json_schema', tokenParameter: 'max_completion_tokens', what: 'OpenAI' } as const;
  if (config.api === 'responses') return { id: 'openai', model: config.model, complete: (call) => completeResponse(client, config.model, call) };
  return { id: 'openai', model: config.model, complete: (call) => completeChat(client, options, call) };
}
