/**
 * Azure OpenAI (https://learn.microsoft.com/azure/ai-services/openai/reference) through the `openai` SDK's
 * AzureOpenAI client with our guarded fetch: `POST {endpoint}/openai/deployments/{deployment}/chat/completions
 * ?api-version=…` with the `api-key` header. The deployment, not a model name, selects the model.
 */
import { AzureOpenAI } from 'openai';
import type { HttpFetch } from '../../../core/collect/transport';
import type { LlmProvider } from '../../../core/nlq/llm/provider';
import { completeChat, type ResponseFormatMode } from '../openai/chat-completions';
import { sdkFetch } from '../shared/sdk-fetch';

export interface AzureOpenAiConfig {
  readonly apiKey: string;
  /** The resource endpoint, e.g. https://acme.openai.azure.com */
  readonly endpoint: string;
  readonly deployment: string;
  readonly apiVersion: string;
  readonly responseFormat?: ResponseFormatMode;
  readonly maxRetries: number;
}

export function azureOpenAiProvider(config: AzureOpenAiConfig, fetchImpl: HttpFetch): LlmProvider {
  const client = new AzureOpenAI({
    apiKey: config.apiKey,
    endpoint: config.endpoint,
    deployment: config.deployment,
    apiVersion: config.apiVersion,
    fetch: sdkFetch(fetchImpl),
    maxRetries: config.maxRetries,
  });
  const options = { model: config.deployment, responseFormat: config.responseFormat ?? 'json_schema', tokenParameter: 'max_completion_tokens', what: 'Azure OpenAI' } as const;
  return { id: 'azure-openai', model: config.deployment, complete: (call) => completeChat(client, options, call) };
}
