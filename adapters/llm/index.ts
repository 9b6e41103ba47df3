/**
 * Which LLM translates natural-language questions, from the Worker's configuration: `NLQ_PROVIDER` names one
 * of eight providers, each with its own variables and secrets (docs/nlq.md, "LLM providers"). Unset, it is
 * Workers AI when the `AI` binding exists and offline-only otherwise; `offline` turns the LLM off.
 *
 * `createLlmTranslator(env)` returns the provider as a Translator, or null for offline only. A provider named
 * but missing what it needs throws LlmConfigError naming the variable — misconfiguration is loud, not a silent
 * offline fallback. Every HTTP provider calls out through the outbound guard built from OUTBOUND_ALLOWLIST;
 * keys are read from secrets and passed only to the SDK or signer, never logged or put in a message.
 */
import { z } from 'zod';
import type { HttpFetch } from '../../core/collect/transport';
import { parseAllowList } from '../../core/net/outbound-policy';
import { llmTranslator } from '../../core/nlq/llm/llm-translator';
import type { LlmProvider } from '../../core/nlq/llm/provider';
import type { Translator } from '../../core/nlq/translator';
import { parseServiceAccountKey } from '../google_workspace/collect-token';
import { guardedFetch } from '../http/guarded-fetch';
import { anthropicProvider } from './anthropic';
import { azureOpenAiProvider } from './azure-openai';
import { bedrockProvider } from './bedrock';
import { geminiProvider } from './gemini';
import { responseFormats } from './openai/chat-completions';
import { openAiApis, openAiProvider } from './openai';
import { openAiCompatibleProvider } from './openai-compatible';
import { vertexProvider } from './vertex';
import { defaultWorkersAiModel, workersAiProvider, type WorkersAiBinding } from './workers-ai';

export const llmProviderIds = ['workers-ai', 'anthropic', 'openai', 'azure-openai', 'bedrock', 'gemini', 'vertex', 'openai-compatible'] as const;
export type LlmProviderId = (typeof llmProviderIds)[number];

/** Each provider's model when NLQ_LLM_MODEL is not set (Azure uses its deployment; OpenAI-compatible needs one). */
export const defaultModels: Record<Exclude<LlmProviderId, 'azure-openai' | 'openai-compatible'>, string> = {
  'workers-ai': defaultWorkersAiModel,
  anthropic: 'claude-sonnet-4-5',
  openai: 'gpt-4.1-mini',
  bedrock: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
  gemini: 'gemini-2.5-flash',
  vertex: 'gemini-2.5-flash',
};

export class LlmConfigError extends Error {
  override readonly name = 'LlmConfigError';
}

const optionalText = z
  .string()
  .optional()
  .transform((s) => (s && s.trim() ? s.trim() : undefined));

const llmEnvSchema = z.object({
  NLQ_PROVIDER: z
    .string()
    .optional()
    .transform((s) => s?.trim().toLowerCase() || undefined)
    .pipe(z.enum([...llmProviderIds, 'offline']).optional()),
  NLQ_LLM_MODEL: optionalText,
  NLQ_LLM_BASE_URL: optionalText,
  NLQ_LLM_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(30_000),
  NLQ_LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
  NLQ_LLM_RESPONSE_FORMAT: z.enum(responseFormats).optional(),
  OUTBOUND_ALLOWLIST: z.string().default(''),
  ANTHROPIC_API_KEY: optionalText,
  OPENAI_API_KEY: optionalText,
  OPENAI_ORGANIZATION: optionalText,
  OPENAI_PROJECT: optionalText,
  NLQ_OPENAI_API: z.enum(openAiApis).default('chat-completions'),
  AZURE_OPENAI_API_KEY: optionalText,
  AZURE_OPENAI_ENDPOINT: optionalText,
  AZURE_OPENAI_DEPLOYMENT: optionalText,
  AZURE_OPENAI_API_VERSION: z.string().default('2024-10-21'),
  BEDROCK_REGION: optionalText,
  BEDROCK_ACCESS_KEY_ID: optionalText,
  BEDROCK_SECRET_ACCESS_KEY: optionalText,
  BEDROCK_SESSION_TOKEN: optionalText,
  GEMINI_API_KEY: optionalText,
  VERTEX_PROJECT: optionalText,
  VERTEX_LOCATION: z.string().default('us-central1'),
  VERTEX_SERVICE_ACCOUNT_KEY: optionalText,
  VERTEX_CLIENT_EMAIL: optionalText,
  VERTEX_TOKEN_URL: optionalText,
  NLQ_OPENAI_COMPATIBLE_BASE_URL: optionalText,
  NLQ_OPENAI_COMPATIBLE_API_KEY: optionalText,
});
type LlmEnv = z.infer<typeof llmEnvSchema>;

function need(value: string | undefined, name: string, provider: string, how: 'secret' | 'var'): string {
  if (value) return value;
  throw new LlmConfigError(
    how === 'secret'
      ? `NLQ_PROVIDER=${provider} needs the secret ${name} (wrangler secret put ${name}; locally in .dev.vars)`
      : `NLQ_PROVIDER=${provider} needs the variable ${name} (wrangler.toml [vars] or .dev.vars)`,
  );
}

function buildProvider(id: LlmProviderId, v: LlmEnv, binding: WorkersAiBinding | undefined, fetchImpl: HttpFetch): LlmProvider {
  const maxRetries = v.NLQ_LLM_MAX_RETRIES;
  const baseUrl = v.NLQ_LLM_BASE_URL;
  const format = v.NLQ_LLM_RESPONSE_FORMAT ? { responseFormat: v.NLQ_LLM_RESPONSE_FORMAT } : {};
  switch (id) {
    case 'workers-ai':
      if (!binding) throw new LlmConfigError('NLQ_PROVIDER=workers-ai needs the Workers AI binding: add [ai] binding = "AI" to wrangler.toml');
      return workersAiProvider(binding, v.NLQ_LLM_MODEL ?? defaultModels['workers-ai']);
    case 'anthropic':
      return anthropicProvider({ apiKey: need(v.ANTHROPIC_API_KEY, 'ANTHROPIC_API_KEY', id, 'secret'), model: v.NLQ_LLM_MODEL ?? defaultModels.anthropic, maxRetries, ...(baseUrl ? { baseUrl } : {}) }, fetchImpl);
    case 'openai':
      return openAiProvider(
        {
          apiKey: need(v.OPENAI_API_KEY, 'OPENAI_API_KEY', id, 'secret'),
          model: v.NLQ_LLM_MODEL ?? defaultModels.openai,
          maxRetries,
          ...(baseUrl ? { baseUrl } : {}),
          ...(v.OPENAI_ORGANIZATION ? { organization: v.OPENAI_ORGANIZATION } : {}),
          ...(v.OPENAI_PROJECT ? { project: v.OPENAI_PROJECT } : {}),
          api: v.NLQ_OPENAI_API,
          ...format,
        },
        fetchImpl,
      );
    case 'azure-openai':
      return azureOpenAiProvider(
        {
          apiKey: need(v.AZURE_OPENAI_API_KEY, 'AZURE_OPENAI_API_KEY', id, 'secret'),
          endpoint: need(v.AZURE_OPENAI_ENDPOINT, 'AZURE_OPENAI_ENDPOINT', id, 'var'),
          deployment: need(v.AZURE_OPENAI_DEPLOYMENT, 'AZURE_OPENAI_DEPLOYMENT', id, 'var'),
          apiVersion: v.AZURE_OPENAI_API_VERSION,
          maxRetries,
          ...format,
        },
        fetchImpl,
      );
    case 'bedrock':
      return bedrockProvider(
        {
          region: need(v.BEDROCK_REGION, 'BEDROCK_REGION', id, 'var'),
          modelId: v.NLQ_LLM_MODEL ?? defaultModels.bedrock,
          accessKeyId: need(v.BEDROCK_ACCESS_KEY_ID, 'BEDROCK_ACCESS_KEY_ID', id, 'secret'),
          secretAccessKey: need(v.BEDROCK_SECRET_ACCESS_KEY, 'BEDROCK_SECRET_ACCESS_KEY', id, 'secret'),
          maxRetries,
          ...(v.BEDROCK_SESSION_TOKEN ? { sessionToken: v.BEDROCK_SESSION_TOKEN } : {}),
          ...(baseUrl ? { endpoint: baseUrl } : {}),
        },
        fetchImpl,
      );
    case 'gemini':
      return geminiProvider({ apiKey: need(v.GEMINI_API_KEY, 'GEMINI_API_KEY', id, 'secret'), model: v.NLQ_LLM_MODEL ?? defaultModels.gemini, maxRetries, ...(baseUrl ? { baseUrl } : {}) }, fetchImpl);
    case 'vertex': {
      const key = parseServiceAccountKey(need(v.VERTEX_SERVICE_ACCOUNT_KEY, 'VERTEX_SERVICE_ACCOUNT_KEY', id, 'secret'), v.VERTEX_CLIENT_EMAIL);
      if (!key.ok) throw new LlmConfigError(`NLQ_PROVIDER=vertex: VERTEX_SERVICE_ACCOUNT_KEY is unusable: ${key.message.replace('set clientEmail in the collector configuration', 'set VERTEX_CLIENT_EMAIL')}`);
      return vertexProvider(
        {
          project: need(v.VERTEX_PROJECT, 'VERTEX_PROJECT', id, 'var'),
          location: v.VERTEX_LOCATION,
          model: v.NLQ_LLM_MODEL ?? defaultModels.vertex,
          key: key.key,
          maxRetries,
          ...(baseUrl ? { endpoint: baseUrl } : {}),
          ...(v.VERTEX_TOKEN_URL ? { tokenUrl: v.VERTEX_TOKEN_URL } : {}),
        },
        fetchImpl,
      );
    }
    case 'openai-compatible':
      return openAiCompatibleProvider(
        {
          baseUrl: need(v.NLQ_OPENAI_COMPATIBLE_BASE_URL, 'NLQ_OPENAI_COMPATIBLE_BASE_URL', id, 'var'),
          model: need(v.NLQ_LLM_MODEL, 'NLQ_LLM_MODEL', id, 'var'),
          maxRetries,
          ...(v.NLQ_OPENAI_COMPATIBLE_API_KEY ? { apiKey: v.NLQ_OPENAI_COMPATIBLE_API_KEY } : {}),
          ...format,
        },
        fetchImpl,
      );
  }
}

function isBinding(value: unknown): value is WorkersAiBinding {
  return typeof value === 'object' && value !== null && typeof (value as { run?: unknown }).run === 'function';
}

/**
 * The configured LLM as a Translator, or null when questions are answered offline only.
 * `fetchImpl` replaces the guarded global fetch (tests); it must itself be guarded.
 */
export function createLlmTranslator(env: object, fetchImpl?: HttpFetch): Translator | null {
  const raw = env as Record<string, unknown>;
  const parsed = llmEnvSchema.safeParse(raw);
  if (!parsed.success) {
    throw new LlmConfigError(`invalid natural-language query configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const v = parsed.data;
  const binding = isBinding(raw.AI) ? raw.AI : undefined;
  const id = v.NLQ_PROVIDER ?? (binding ? 'workers-ai' : 'offline');
  if (id === 'offline') return null;
  const provider = buildProvider(id, v, binding, fetchImpl ?? guardedFetch(parseAllowList(v.OUTBOUND_ALLOWLIST)));
  return llmTranslator(provider, { timeoutMs: v.NLQ_LLM_TIMEOUT_MS });
}
