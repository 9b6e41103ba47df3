/**
 * Google Gemini API (generativelanguage.googleapis.com): `POST /v1beta/models/{model}:generateContent` with the
 * key in the `x-goog-api-key` header (never in the URL, where proxies would log it), over REST through our
 * guarded fetch. The official @google/genai SDK takes no custom fetch, so it could not be held to the outbound
 * guard; the REST call is small and shared with Vertex AI (generate-content.ts).
 */
import type { HttpFetch } from '../../../core/collect/transport';
import type { LlmProvider } from '../../../core/nlq/llm/provider';
import { responseFailure } from '../shared/failure';
import { withProviderRetries } from '../shared/retry';
import { generateContent, googleErrorText } from './generate-content';

export interface GeminiConfig {
  readonly apiKey: string;
  readonly model: string;
  /** Default https://generativelanguage.googleapis.com */
  readonly baseUrl?: string;
  readonly maxRetries: number;
}

export function geminiProvider(config: GeminiConfig, fetchImpl: HttpFetch): LlmProvider {
  const base = (config.baseUrl ?? 'https://generativelanguage.googleapis.com').replace(/\/+$/, '');
  const model = config.model.replace(/^models\//, '');
  const url = `${base}/v1beta/models/${encodeURIComponent(model)}:generateContent`;
  const what = `Gemini generateContent (${model})`;
  return {
    id: 'gemini',
    model,
    complete: (call) =>
      withProviderRetries(async () => {
        const outcome = await generateContent(fetchImpl, url, { 'x-goog-api-key': config.apiKey }, call, what);
        return outcome.kind === 'unauthorized' ? responseFailure(outcome.response, what, googleErrorText) : outcome;
      }, { maxRetries: config.maxRetries, signal: call.signal }),
  };
}
