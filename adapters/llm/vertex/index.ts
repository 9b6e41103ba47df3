/**
 * Google Vertex AI generateContent for Gemini models
 * (https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest/v1/projects.locations.publishers.models/generateContent):
 * `POST https://<location>-aiplatform.googleapis.com/v1/projects/<project>/locations/<location>/publishers/google/models/<model>:generateContent`
 * (`aiplatform.googleapis.com` for the `global` location) with `Authorization: Bearer <token>` from the service
 * account's JWT grant (access-token.ts). Body and answer are the Gemini API's (../gemini/generate-content.ts).
 * A 401 to a cached token is retried once with a new token.
 */
import type { HttpFetch } from '../../../core/collect/transport';
import type { LlmCall, LlmOutcome, LlmProvider } from '../../../core/nlq/llm/provider';
import type { ServiceAccountKey } from '../../google_workspace/collect-token';
import { generateContent, googleErrorText } from '../gemini/generate-content';
import { responseFailure } from '../shared/failure';
import { withProviderRetries } from '../shared/retry';
import { googleTokenUrl, serviceAccountAccessToken } from './access-token';

export interface VertexConfig {
  readonly project: string;
  readonly location: string;
  readonly model: string;
  readonly key: ServiceAccountKey;
  /** Default https://<location>-aiplatform.googleapis.com (or https://aiplatform.googleapis.com for "global"). */
  readonly endpoint?: string;
  /** Default https://oauth2.googleapis.com/token */
  readonly tokenUrl?: string;
  readonly maxRetries: number;
}

export function vertexEndpoint(location: string): string {
  return location === 'global' ? 'https://aiplatform.googleapis.com' : `https://${location}-aiplatform.googleapis.com`;
}

export function vertexProvider(config: VertexConfig, fetchImpl: HttpFetch): LlmProvider {
  const base = (config.endpoint ?? vertexEndpoint(config.location)).replace(/\/+$/, '');
  const path = ['projects', config.project, 'locations', config.location, 'publishers', 'google', 'models', config.model].map(encodeURIComponent).join('/');
  const url = `${base}/v1/${path}:generateContent`;
  const tokenUrl = config.tokenUrl ?? googleTokenUrl;
  const what = `Vertex AI generateContent (${config.model}, ${config.location})`;

  async function once(call: LlmCall): Promise<LlmOutcome> {
    for (let attempt = 0; ; attempt++) {
      const token = await serviceAccountAccessToken(fetchImpl, tokenUrl, config.key, call.signal, attempt > 0);
      if (!token.ok) return { kind: 'unavailable', message: `${what}: ${token.message}`, ...(token.status === undefined ? {} : { status: token.status }) };
      const outcome = await generateContent(fetchImpl, url, { authorization: `Bearer ${token.token}` }, call, what);
      if (outcome.kind !== 'unauthorized') return outcome;
      if (!token.cached || attempt > 0) return responseFailure(outcome.response, what, googleErrorText);
      await outcome.response.body?.cancel();
    }
  }

  return { id: 'vertex', model: config.model, complete: (call) => withProviderRetries(() => once(call), { maxRetries: config.maxRetries, signal: call.signal }) };
}
