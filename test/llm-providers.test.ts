/**
 * The eight LLM providers of natural-language queries (adapters/llm/*), inside workerd: each provider's real
 * client code (the Anthropic and OpenAI SDKs, aws4fetch's SigV4, the Google REST calls) built by
 * createLlmTranslator from Worker-style configuration, calling out through the outbound guard to the loopback
 * fakes of test/fakes/group-llm.ts, which speak each vendor's wire format and record what they received.
 * Per provider: a good answer, the wire format (auth, path, body), a malformed answer, a 5xx, a 429 retried,
 * a refused key. Then the pipeline (core/nlq/pipeline.ts) with a provider: the validator refusing the first SQL
 * and the repaired SQL running on D1, and a provider that is down with the offline engine answering.
 * Workers AI's binding is not HTTP: it is driven through an object implementing the binding's `run`.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { createLlmTranslator, LlmConfigError, type LlmProviderId } from '../adapters/llm';
import type { WorkersAiBinding } from '../adapters/llm/workers-ai';
import { estimateQueryCost, sumPartitions } from '../core/nlq/cost';
import { offlineTranslator } from '../core/nlq/offline';
import { answerQuestion, defaultPipelineOptions, type PipelinePorts } from '../core/nlq/pipeline';
import type { TranslateInput } from '../core/nlq/translator';
import { sqliteSqlSupport } from '../core/sql/sqlite-sql-support';
import type { FakeRequest } from './fakes/fake-server';
import {
  anthropicFakeKey,
  azureOpenAiFakeDeployment,
  azureOpenAiFakeKey,
  bedrockFakeAccessKeyId,
  bedrockFakeModelId,
  bedrockFakeRegion,
  bedrockFakeSecretKey,
  geminiFakeKey,
  openAiFakeKey,
  vertexFakeLocation,
  vertexFakeProject,
} from './fakes/llm-credentials';
import type { ScriptedReply } from './fakes/llm-script';

const origin = (fake: string) => `http://127.0.0.1:${inject('fakePorts')[fake]}`;

async function admin<T>(fake: string, action: string, body?: unknown): Promise<T> {
  const res = await fetch(`${origin(fake)}/__fake/${action}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return (await res.json()) as T;
}
const script = (fake: string, ...replies: ScriptedReply[]) => admin(fake, 'script', { replies });
const received = (fake: string) => admin<FakeRequest[]>(fake, 'requests');
const header = (req: FakeRequest, name: string) => req.headers[name] as string | undefined;
const json = (req: FakeRequest) => JSON.parse(req.body) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const now = new Date('2026-11-27T16:00:00.000Z');
const input: TranslateInput = {
  question: 'How many failed logins this week?',
  history: [],
  now,
  dialect: 'd1',
  values: { users: ['alice@acme.com'], countries: ['United States'], sources: ['okta'], actions: ['user.session.start'] },
};
const goodSql = "SELECT count(*) AS failed_logins FROM events WHERE identity_action = 'auth_failure' AND event_time >= '2026-11-23T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' LIMIT 1";
const good: ScriptedReply = {
  answer: { sql: goodSql, explanation: 'Failed logins since Monday.', assumptions: ['this week = since Monday 2026-11-23 00:00 UTC'], timeRange: { from: '2026-11-23T00:00:00.000Z', to: '2026-11-27T16:00:00.000Z' } },
};
const malformed: ScriptedReply = { answer: { query: goodSql, notes: 'a shape nobody asked for' } };

interface ProviderCase {
  readonly id: Exclude<LlmProviderId, 'workers-ai'>;
  /** OpenAI's second API (the Responses API); the case is named after it. */
  readonly api?: 'responses';
  /** The fake answering the model calls. */
  readonly fake: string;
  /** Fakes reset before each test (Vertex's token endpoint too). */
  readonly fakes: readonly string[];
  config(): Promise<Record<string, string>>;
  /** The secret that must never appear in a message. */
  readonly secret: string;
  /** Configuration with a wrong credential. */
  wrongCredential(config: Record<string, string>): Record<string, string>;
  expectWire(req: FakeRequest): void;
  /** The status the vendor uses for overload (Anthropic's 529) besides 500. */
  readonly overloadStatus: number;
}

const allowlist = () => env.OUTBOUND_ALLOWLIST;

const cases: ProviderCase[] = [
  {
    id: 'anthropic',
    fake: 'llmAnthropic',
    fakes: ['llmAnthropic'],
    config: async () => ({ NLQ_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: anthropicFakeKey, NLQ_LLM_BASE_URL: origin('llmAnthropic'), NLQ_LLM_MODEL: 'claude-test-1' }),
    secret: anthropicFakeKey,
    wrongCredential: (c) => ({ ...c, ANTHROPIC_API_KEY: 'sk-ant-wrong' }),
    overloadStatus: 529,
    expectWire(req) {
      expect(req.method).toBe('POST');
      expect(req.url).toBe('/v1/messages');
      // The official SDK (1.x) sends the API key as a bearer token, with its dated API version.
      expect(header(req, 'authorization')).toBe(`Bearer ${anthropicFakeKey}`);
      expect(header(req, 'anthropic-version')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const body = json(req);
      expect(body.model).toBe('claude-test-1');
      expect(body.max_tokens).toBe(1024);
      expect(body.system).toContain('TABLE events');
      expect(body.tools).toEqual([expect.objectContaining({ name: 'answer_with_sql', input_schema: expect.objectContaining({ type: 'object', required: ['sql', 'explanation', 'assumptions', 'timeRange'] }) })]);
      expect(body.tool_choice).toEqual({ type: 'tool', name: 'answer_with_sql' });
      expect(body.messages.at(-1)).toEqual({ role: 'user', content: input.question });
    },
  },
  {
    id: 'openai',
    fake: 'llmOpenAi',
    fakes: ['llmOpenAi'],
    config: async () => ({ NLQ_PROVIDER: 'openai', OPENAI_API_KEY: openAiFakeKey, NLQ_LLM_BASE_URL: `${origin('llmOpenAi')}/v1` }),
    secret: openAiFakeKey,
    wrongCredential: (c) => ({ ...c, OPENAI_API_KEY: 'sk-wrong' }),
    overloadStatus: 503,
    expectWire(req) {
      expect(req.url).toBe('/v1/chat/completions');
      expect(header(req, 'authorization')).toBe(`Bearer ${openAiFakeKey}`);
      const body = json(req);
      expect(body.model).toBe('gpt-4.1-mini');
      expect(body.messages[0]).toEqual({ role: 'system', content: expect.stringContaining('TABLE events') });
      expect(body.messages.at(-1)).toEqual({ role: 'user', content: input.question });
      expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'answer_with_sql', strict: true, schema: expect.objectContaining({ additionalProperties: false }) } });
      expect(body.max_completion_tokens).toBe(1024);
    },
  },
  {
    id: 'openai',
    api: 'responses',
    fake: 'llmOpenAi',
    fakes: ['llmOpenAi'],
    config: async () => ({ NLQ_PROVIDER: 'openai', NLQ_OPENAI_API: 'responses', OPENAI_API_KEY: openAiFakeKey, NLQ_LLM_BASE_URL: `${origin('llmOpenAi')}/v1`, NLQ_LLM_MODEL: 'gpt-5-mini' }),
    secret: openAiFakeKey,
    wrongCredential: (c) => ({ ...c, OPENAI_API_KEY: 'sk-wrong' }),
    overloadStatus: 503,
    expectWire(req) {
      expect(req.url).toBe('/v1/responses');
      expect(header(req, 'authorization')).toBe(`Bearer ${openAiFakeKey}`);
      const body = json(req);
      expect(body.model).toBe('gpt-5-mini');
      expect(body.instructions).toContain('TABLE events');
      expect(body.input.at(-1)).toEqual({ role: 'user', content: input.question });
      expect(body.text.format).toEqual({ type: 'json_schema', name: 'answer_with_sql', strict: true, schema: expect.objectContaining({ additionalProperties: false }) });
      expect(body.store).toBe(false);
      expect(body.max_output_tokens).toBe(1024);
    },
  },
  {
    id: 'azure-openai',
    fake: 'llmAzureOpenAi',
    fakes: ['llmAzureOpenAi'],
    config: async () => ({ NLQ_PROVIDER: 'azure-openai', AZURE_OPENAI_API_KEY: azureOpenAiFakeKey, AZURE_OPENAI_ENDPOINT: origin('llmAzureOpenAi'), AZURE_OPENAI_DEPLOYMENT: azureOpenAiFakeDeployment }),
    secret: azureOpenAiFakeKey,
    wrongCredential: (c) => ({ ...c, AZURE_OPENAI_API_KEY: 'ffffffffffffffffffffffffffffffff' }),
    overloadStatus: 503,
    expectWire(req) {
      expect(req.url).toBe(`/openai/deployments/${azureOpenAiFakeDeployment}/chat/completions?api-version=2024-10-21`);
      expect(header(req, 'api-key')).toBe(azureOpenAiFakeKey);
      expect(header(req, 'authorization')).toBeUndefined();
      const body = json(req);
      expect(body.response_format.type).toBe('json_schema');
      expect(body.messages[0].role).toBe('system');
    },
  },
  {
    id: 'openai-compatible',
    fake: 'llmOpenAiCompatible',
    fakes: ['llmOpenAiCompatible'],
    config: async () => ({ NLQ_PROVIDER: 'openai-compatible', NLQ_OPENAI_COMPATIBLE_BASE_URL: `${origin('llmOpenAiCompatible')}/v1`, NLQ_LLM_MODEL: 'llama3.1:8b', NLQ_OPENAI_COMPATIBLE_API_KEY: 'vllm-token-1' }),
    secret: 'vllm-token-1',
    wrongCredential: (c) => c,
    overloadStatus: 503,
    expectWire(req) {
      expect(req.url).toBe('/v1/chat/completions');
      expect(header(req, 'authorization')).toBe('Bearer vllm-token-1');
      const body = json(req);
      expect(body.model).toBe('llama3.1:8b');
      expect(body.response_format).toEqual({ type: 'json_object' });
      expect(body.max_tokens).toBe(1024);
      expect(body.max_completion_tokens).toBeUndefined();
    },
  },
  {
    id: 'bedrock',
    fake: 'llmBedrock',
    fakes: ['llmBedrock'],
    config: async () => ({
      NLQ_PROVIDER: 'bedrock',
      BEDROCK_REGION: bedrockFakeRegion,
      BEDROCK_ACCESS_KEY_ID: bedrockFakeAccessKeyId,
      BEDROCK_SECRET_ACCESS_KEY: bedrockFakeSecretKey,
      NLQ_LLM_MODEL: bedrockFakeModelId,
      NLQ_LLM_BASE_URL: origin('llmBedrock'),
    }),
    secret: bedrockFakeSecretKey,
    wrongCredential: (c) => ({ ...c, BEDROCK_SECRET_ACCESS_KEY: 'wrong/secret' }),
    overloadStatus: 503,
    expectWire(req) {
      expect(req.url).toBe(`/model/${encodeURIComponent(bedrockFakeModelId)}/converse`);
      expect(req.url).toContain('v1%3A0');
      expect(header(req, 'authorization')).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${bedrockFakeAccessKeyId}/\\d{8}/${bedrockFakeRegion}/bedrock/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$`));
      expect(header(req, 'x-amz-date')).toMatch(/^\d{8}T\d{6}Z$/);
      const body = json(req);
      expect(body.system).toEqual([{ text: expect.stringContaining('TABLE events') }]);
      expect(body.messages.at(-1)).toEqual({ role: 'user', content: [{ text: input.question }] });
      expect(body.toolConfig.toolChoice).toEqual({ tool: { name: 'answer_with_sql' } });
      expect(body.toolConfig.tools[0].toolSpec.inputSchema.json.required).toEqual(['sql', 'explanation', 'assumptions', 'timeRange']);
      expect(body.inferenceConfig).toEqual({ maxTokens: 1024, temperature: 0 });
    },
  },
  {
    id: 'gemini',
    fake: 'llmGemini',
    fakes: ['llmGemini'],
    config: async () => ({ NLQ_PROVIDER: 'gemini', GEMINI_API_KEY: geminiFakeKey, NLQ_LLM_BASE_URL: origin('llmGemini') }),
    secret: geminiFakeKey,
    wrongCredential: (c) => ({ ...c, GEMINI_API_KEY: 'AIzaWrong' }),
    overloadStatus: 503,
    expectWire(req) {
      expect(req.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
      expect(header(req, 'x-goog-api-key')).toBe(geminiFakeKey);
      const body = json(req);
      expect(body.systemInstruction.parts[0].text).toContain('TABLE events');
      expect(body.contents.at(-1)).toEqual({ role: 'user', parts: [{ text: input.question }] });
      expect(body.contents.some((c: { role: string }) => c.role === 'model')).toBe(true);
      expect(body.generationConfig).toMatchObject({ responseMimeType: 'application/json', responseSchema: { type: 'OBJECT' }, maxOutputTokens: 1024 });
    },
  },
  {
    id: 'vertex',
    fake: 'llmVertex',
    fakes: ['llmVertex', 'llmVertexOAuth'],
    config: async () => ({
      NLQ_PROVIDER: 'vertex',
      VERTEX_PROJECT: vertexFakeProject,
      VERTEX_LOCATION: vertexFakeLocation,
      VERTEX_SERVICE_ACCOUNT_KEY: JSON.stringify(await admin('llmVertexOAuth', 'service-account', {})),
      VERTEX_TOKEN_URL: `${origin('llmVertexOAuth')}/token`,
      NLQ_LLM_BASE_URL: origin('llmVertex'),
    }),
    secret: '-----BEGIN PRIVATE KEY-----',
    wrongCredential: (c) => ({ ...c, VERTEX_PROJECT: 'someone-elses-project' }),
    overloadStatus: 503,
    expectWire(req) {
      expect(req.url).toBe(`/v1/projects/${vertexFakeProject}/locations/${vertexFakeLocation}/publishers/google/models/gemini-2.5-flash:generateContent`);
      expect(header(req, 'authorization')).toMatch(/^Bearer ya29\.c\.fake-/);
      expect(header(req, 'x-goog-api-key')).toBeUndefined();
      expect(json(req).generationConfig.responseMimeType).toBe('application/json');
    },
  },
];

async function translator(config: Record<string, string>) {
  const t = createLlmTranslator({ OUTBOUND_ALLOWLIST: allowlist(), NLQ_LLM_MAX_RETRIES: '0', ...config });
  if (!t) throw new Error('no translator configured');
  return t;
}

describe.each(cases.map((c) => ({ ...c, name: c.api ? `${c.id} (${c.api})` : c.id })))('$name', (c) => {
  beforeEach(async () => {
    for (const f of c.fakes) await admin(f, 'reset', {});
  });

  it('turns a good answer into the SQL, with the wire format the vendor documents', async () => {
    await script(c.fake, good);
    const t = await (await translator(await c.config())).translate(input);
    expect(t).toEqual({ ok: true, engine: c.id, sql: goodSql, explanation: 'Failed logins since Monday.', assumptions: ['this week = since Monday 2026-11-23 00:00 UTC'], timeRange: { from: '2026-11-23T00:00:00.000Z', to: '2026-11-27T16:00:00.000Z' } });
    const requests = await received(c.fake);
    expect(requests).toHaveLength(1);
    c.expectWire(requests[0]!);
  });

  it('refuses a malformed answer without falling back (not a provider failure)', async () => {
    await script(c.fake, malformed);
    const t = await (await translator(await c.config())).translate(input);
    expect(t.ok).toBe(false);
    if (t.ok) return;
    expect(t.providerFailure).toBeFalsy();
    expect(t.message).toMatch(/could not be used: the answer does not have the expected shape/);
  });

  it('reads an answer given as text with the JSON in a code fence', async () => {
    await script(c.fake, { text: `Here is the query:\n\`\`\`json\n${JSON.stringify((good as { answer: unknown }).answer)}\n\`\`\`` });
    const t = await (await translator(await c.config())).translate(input);
    expect(t).toMatchObject({ ok: true, sql: goodSql });
  });

  it.each([500, 'overload'] as const)('reports a %s as a provider failure', async (status) => {
    const code = status === 'overload' ? c.overloadStatus : status;
    await script(c.fake, { error: { status: code, message: 'the model is having a bad day' } });
    const t = await (await translator(await c.config())).translate(input);
    expect(t).toMatchObject({ ok: false, engine: c.id, providerFailure: true });
    if (!t.ok) expect(t.message).toContain(String(code));
    expect(await received(c.fake)).toHaveLength(1);
  });

  it('retries a 429 after its Retry-After, then answers', async () => {
    await script(c.fake, { error: { status: 429, retryAfter: 0, message: 'slow down' } }, good);
    const t = await (await translator({ ...(await c.config()), NLQ_LLM_MAX_RETRIES: '1' })).translate(input);
    expect(t).toMatchObject({ ok: true, sql: goodSql });
    expect(await received(c.fake)).toHaveLength(2);
  });

  it('falls back when rate limiting outlasts the retries', async () => {
    await script(c.fake, { error: { status: 429, retryAfter: 0 } }, { error: { status: 429, retryAfter: 0 } });
    const t = await (await translator({ ...(await c.config()), NLQ_LLM_MAX_RETRIES: '1' })).translate(input);
    expect(t).toMatchObject({ ok: false, providerFailure: true, message: expect.stringContaining('429') });
  });


  it('never calls an address the outbound guard refuses', async () => {
    const config = await c.config();
    const redirected = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v.replace(/http:\/\/127\.0\.0\.1:\d+/, 'https://127.0.0.1:9')]));
    const t = await (await translator(redirected)).translate(input);
    expect(t).toMatchObject({ ok: false, providerFailure: true, message: expect.stringContaining('outbound request refused: 127.0.0.1 is a loopback address') });
  });
});

// A keyless OpenAI-compatible server (Ollama) accepts any credential, so it has no refused-credential case.
describe.each(cases.filter((c) => c.id !== 'openai-compatible').map((c) => ({ ...c, name: c.api ? `${c.id} (${c.api})` : c.id })))('$name with a wrong credential', (c) => {
  beforeEach(async () => {
    for (const f of c.fakes) await admin(f, 'reset', {});
  });

  it('reports a refused credential as a provider failure, without the secret', async () => {
    await script(c.fake, good);
    const t = await (await translator(c.wrongCredential(await c.config()))).translate(input);
    expect(t).toMatchObject({ ok: false, providerFailure: true });
    if (!t.ok) expect(t.message).not.toContain(c.secret);
    expect(await admin<{ pending: number }>(c.fake, 'pending')).toEqual({ pending: 1 });
  });
});

describe('vertex access tokens', () => {
  it('exchanges a signed JWT for a token, caches it, and gets a new one after a 401', async () => {
    const config = await cases.find((c) => c.id === 'vertex')!.config();
    const t = await translator(config);
    await script('llmVertex', good);
    expect(await t.translate(input)).toMatchObject({ ok: true }); // a token is cached from here on
    await admin('llmVertex', 'reset', {});
    await admin('llmVertexOAuth', 'reset', {});

    await admin('llmVertexOAuth', 'revoke-tokens', {});
    await script('llmVertex', good, good);
    expect(await t.translate(input)).toMatchObject({ ok: true });
    expect(await t.translate(input)).toMatchObject({ ok: true });
    const api = await received('llmVertex');
    expect(api).toHaveLength(3); // the revoked token's 401, its retry, and the next question on the cached token
    expect(header(api[1]!, 'authorization')).not.toBe(header(api[0]!, 'authorization'));
    expect(header(api[2]!, 'authorization')).toBe(header(api[1]!, 'authorization'));
    const tokenRequests = await received('llmVertexOAuth');
    expect(tokenRequests).toHaveLength(1);
    const form = new URLSearchParams(tokenRequests[0]!.body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const payload = form.get('assertion')!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    expect(JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '=')))).toMatchObject({
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      aud: `${origin('llmVertexOAuth')}/token`,
    });
  });
});

describe('workers-ai (binding)', () => {
  function binding(answer: (model: string, inputs: Record<string, unknown>) => Promise<unknown>) {
    const calls: { model: string; inputs: Record<string, unknown> }[] = [];
    const ai: WorkersAiBinding & { calls: typeof calls } = {
      calls,
      run: (model, inputs) => {
        calls.push({ model, inputs });
        return answer(model, inputs);
      },
    };
    return ai;
  }

  it('is the default when the AI binding exists, and sends JSON mode', async () => {
    const ai = binding(async () => ({ response: (good as { answer: unknown }).answer }));
    const t = createLlmTranslator({ AI: ai });
    expect(t?.id).toBe('workers-ai');
    expect(await t!.translate(input)).toMatchObject({ ok: true, engine: 'workers-ai', sql: goodSql });
    expect(ai.calls[0]!.model).toBe('@cf/meta/llama-3.3-70b-instruct-fp8-fast');
    expect(ai.calls[0]!.inputs).toMatchObject({ response_format: { type: 'json_schema', json_schema: { required: ['sql', 'explanation', 'assumptions', 'timeRange'] } }, max_tokens: 1024 });
    expect((ai.calls[0]!.inputs.messages as { role: string }[])[0]!.role).toBe('system');
  });

  it('reads a string response, refuses a malformed one, and falls back when the binding throws', async () => {
    const replies: (() => unknown)[] = [() => ({ response: JSON.stringify((good as { answer: unknown }).answer) }), () => ({ response: 'SELECT * FROM events' }), () => { throw new Error('3040: Capacity temporarily exceeded'); }];
    const t = createLlmTranslator({ AI: binding(async () => replies.shift()!()), NLQ_LLM_MODEL: '@cf/qwen/qwen2.5-coder-32b-instruct' })!;
    expect(await t.translate(input)).toMatchObject({ ok: true, sql: goodSql });
    const bad = await t.translate(input);
    expect(bad).toMatchObject({ ok: false });
    expect(!bad.ok && bad.providerFailure).toBeFalsy();
    expect(await t.translate(input)).toMatchObject({ ok: false, providerFailure: true, message: expect.stringContaining('Capacity temporarily exceeded') });
  });
});

describe('createLlmTranslator configuration', () => {
  it('is offline-only with no provider and no AI binding, or when told so', () => {
    expect(createLlmTranslator({})).toBeNull();
    expect(createLlmTranslator({ NLQ_PROVIDER: 'offline', ANTHROPIC_API_KEY: 'x' })).toBeNull();
  });

  it.each([
    [{ NLQ_PROVIDER: 'anthropic' }, /needs the secret ANTHROPIC_API_KEY/],
    [{ NLQ_PROVIDER: 'azure-openai', AZURE_OPENAI_API_KEY: 'k' }, /needs the variable AZURE_OPENAI_ENDPOINT/],
    [{ NLQ_PROVIDER: 'openai-compatible', NLQ_OPENAI_COMPATIBLE_BASE_URL: 'https://llm.acme.test/v1' }, /needs the variable NLQ_LLM_MODEL/],
    [{ NLQ_PROVIDER: 'vertex', VERTEX_PROJECT: 'p', VERTEX_SERVICE_ACCOUNT_KEY: 'not a key' }, /VERTEX_SERVICE_ACCOUNT_KEY is unusable/],
    [{ NLQ_PROVIDER: 'workers-ai' }, /add \[ai\] binding = "AI"/],
    [{ NLQ_PROVIDER: 'claude' }, /NLQ_PROVIDER/],
    [{ NLQ_PROVIDER: 'openai', OPENAI_API_KEY: 'k', NLQ_LLM_TIMEOUT_MS: '5' }, /NLQ_LLM_TIMEOUT_MS/],
  ])('refuses %j loudly', (config, message) => {
    expect(() => createLlmTranslator(config)).toThrow(LlmConfigError);
    expect(() => createLlmTranslator(config)).toThrow(message);
  });
});

describe('the pipeline with an LLM provider', () => {
  const anthropic = cases[0]!;
  const sql = sqliteSqlSupport();

  function ports(primary: PipelinePorts['primary']): PipelinePorts {
    return {
      primary,
      offline: offlineTranslator,
      sql,
      entityValues: async () => input.values,
      estimate: async (scope) => estimateQueryCost('d1', scope, sumPartitions([], scope)),
      run: async (query, params, maxRows) => {
        const result = await env.DB.prepare(query).bind(...params).raw({ columnNames: true });
        const [columns, ...rows] = result as unknown[][];
        return { columns: (columns ?? []) as string[], rows: rows.slice(0, maxRows), truncated: rows.length > maxRows };
      },
      cache: null,
    };
  }
  const options = { ...defaultPipelineOptions, dialect: 'd1' as const, schemaVersion: 'test' };
  const request = { question: input.question, history: [], userId: 'analyst-1', now, confirm: false };

  beforeEach(async () => {
    await admin('llmAnthropic', 'reset', {});
  });

  it('feeds the validator’s refusal back to the model and runs the repaired SQL', async () => {
    await script('llmAnthropic', { answer: { sql: 'SELECT name FROM sqlite_master', explanation: 'tables', assumptions: [], timeRange: null } }, good);
    const outcome = await answerQuestion(request, ports(await translator(await anthropic.config())), options);
    expect(outcome.kind).toBe('answered');
    if (outcome.kind !== 'answered') return;
    expect(outcome.answer.engine).toBe('anthropic');
    expect(outcome.answer.fallbackFrom).toBeNull();
    expect(outcome.answer.columns).toEqual(['failed_logins']);
    expect(outcome.answer.rows).toEqual([[0]]);
    const [first, second] = await received('llmAnthropic');
    expect(json(first!).messages.at(-1).content).toBe(input.question);
    const repairMessage = json(second!).messages.at(-1).content as string;
    expect(repairMessage).toContain('Your previous SQL for this question was refused:\nSELECT name FROM sqlite_master');
    expect(repairMessage).toMatch(/Reason: .*sqlite_master/);
  });

  it('gives up after two repairs and refuses, running nothing', async () => {
    const bad = { answer: { sql: 'DELETE FROM events', explanation: 'oops', assumptions: [], timeRange: null } };
    await script('llmAnthropic', bad, bad, bad);
    const outcome = await answerQuestion(request, ports(await translator(await anthropic.config())), options);
    expect(outcome).toMatchObject({ kind: 'refused', engine: 'anthropic', sql: 'DELETE FROM events' });
    expect(await received('llmAnthropic')).toHaveLength(3);
  });

  it('answers offline when the provider is down, and says so', async () => {
    await script('llmAnthropic', { error: { status: 529, message: 'Overloaded' } });
    const outcome = await answerQuestion(request, ports(await translator(await anthropic.config())), options);
    expect(outcome.kind).toBe('answered');
    if (outcome.kind !== 'answered') return;
    expect(outcome.answer.engine).toBe('offline');
    expect(outcome.answer.fallbackFrom).toBe('anthropic');
    expect(outcome.answer.assumptions.join(' ')).toMatch(/The anthropic provider failed \(.*529.*\); the offline engine answered instead/);
  });
});
