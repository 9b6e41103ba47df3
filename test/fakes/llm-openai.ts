/**
 * Loopback fakes of OpenAI's Chat Completions (https://platform.openai.com/docs/api-reference/chat/create, errors:
 * https://platform.openai.com/docs/guides/error-codes) in three flavours, one port each:
 * - `openai`: `POST /v1/chat/completions`, `Authorization: Bearer <key>` (401 invalid_api_key), `model` required;
 *   and the Responses API (https://platform.openai.com/docs/api-reference/responses/create), `POST /v1/responses`:
 *   `model`, `input` (a string or a list of `{role, content}`), a `text.format` of type `json_schema` needs `name`
 *   and `schema`; the answer is a `response` whose `output` holds one `message` with an `output_text` item;
 * - `azure` (https://learn.microsoft.com/azure/ai-services/openai/reference): `POST
 *   /openai/deployments/{deployment}/chat/completions?api-version=…` with the `api-key` header — an unknown
 *   deployment or a missing api-version is Azure's 404 "Resource not found", a wrong key its 401
 *   "Access denied due to invalid subscription key…"; errors are `{error: {code, message}}`;
 * - `compatible` (vLLM, Ollama at another base): `POST /v1/chat/completions`, no key required.
 * Common checks: non-empty `messages` with known roles; a `json_schema` response format needs `name` and
 * `schema`. The answer is `choices[0].message.content` (the scripted answer as JSON text). Admin: /__fake/reset,
 * /__fake/script, /__fake/pending, GET /__fake/requests.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';
import { openAiFakeKey, azureOpenAiFakeKey, azureOpenAiFakeDeployment } from './llm-credentials';
import { answerText, ReplyScript } from './llm-script';


export type OpenAiFlavor = 'openai' | 'azure' | 'compatible';

const openAiErrorTypes: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
  500: { type: 'server_error', code: null },
  503: { type: 'server_error', code: null },
};

function openAiError(flavor: OpenAiFlavor, res: ServerResponse, status: number, message: string, type?: string, retryAfter?: number): void {
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
  if (flavor === 'azure') return sendJson(res, status, { error: { code: type ?? String(status), message } }, headers);
  const known = openAiErrorTypes[status] ?? { type: 'server_error', code: null };
  sendJson(res, status, { error: { message, type: type ?? known.type, param: null, code: known.code } }, { 'x-request-id': `req_${randomUUID().replace(/-/g, '')}`, ...headers });
}

export async function startOpenAiFake(flavor: OpenAiFlavor): Promise<RunningFake> {
  const script = new ReplyScript();
  return startFakeServer(
    (req, res, url) => {
      const fail = (status: number, message: string) => openAiError(flavor, res, status, message);
      let model: string | undefined;
      if (flavor === 'azure') {
        const m = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(url.pathname);
        if (!m || req.method !== 'POST' || !url.searchParams.get('api-version')) return fail(404, 'Resource not found');
        if (req.headers['api-key'] !== azureOpenAiFakeKey) {
          return fail(401, 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.');
        }
        if (decodeURIComponent(m[1]!) !== azureOpenAiFakeDeployment) return openAiError(flavor, res, 404, 'The API deployment for this resource does not exist.', 'DeploymentNotFound');
        model = decodeURIComponent(m[1]!);
      } else {
        const responsesApi = flavor === 'openai' && url.pathname === '/v1/responses';
        if ((url.pathname !== '/v1/chat/completions' && !responsesApi) || req.method !== 'POST') return fail(404, `Invalid URL (${req.method} ${url.pathname})`);
        if (flavor === 'openai' && req.headers.authorization !== `Bearer ${openAiFakeKey}`) return fail(401, 'Incorrect API key provided.');
        if (responsesApi) return answerResponses(req.body, res, script);
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body) as Record<string, unknown>;
      } catch {
        return fail(400, 'We could not parse the JSON body of your request.');
      }
      if (flavor !== 'azure') {
        if (typeof body.model !== 'string' || !body.model) return fail(400, 'you must provide a model parameter');
        model = body.model;
      }
      const messages = body.messages as { role?: unknown; content?: unknown }[] | undefined;
      if (!Array.isArray(messages) || messages.length === 0) return fail(400, "Invalid 'messages': empty array. Expected an array with minimum length 1.");
      if (messages.some((m) => !['system', 'developer', 'user', 'assistant', 'tool'].includes(m.role as string) || typeof m.content !== 'string')) {
        return fail(400, "Invalid value for 'messages': each message needs a known role and content.");
      }
      const format = body.response_format as { type?: unknown; json_schema?: { name?: unknown; schema?: unknown } } | undefined;
      if (format?.type === 'json_schema' && (typeof format.json_schema?.name !== 'string' || typeof format.json_schema.schema !== 'object')) {
        return fail(400, "Missing required parameter: 'response_format.json_schema.name' / 'schema'.");
      }

      const reply = script.next();
      if ('error' in reply) return openAiError(flavor, res, reply.error.status, reply.error.message ?? `scripted ${reply.error.status}`, reply.error.type, reply.error.retryAfter);
      sendJson(res, 200, {
        id: `chatcmpl-${randomUUID().replace(/-/g, '')}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'answer' in reply ? answerText(reply) : reply.text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: Math.ceil(req.body.length / 4), completion_tokens: 60, total_tokens: Math.ceil(req.body.length / 4) + 60 },
      });
    },
    (action, body) => script.admin(action, body),
  );
}

function answerResponses(raw: string, res: ServerResponse, script: ReplyScript): void {
  const fail = (status: number, message: string) => openAiError('openai', res, status, message);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return fail(400, 'We could not parse the JSON body of your request.');
  }
  if (typeof body.model !== 'string' || !body.model) return fail(400, "Missing required parameter: 'model'.");
  const input = body.input as unknown;
  const validInput = typeof input === 'string' || (Array.isArray(input) && input.length > 0 && input.every((m: { role?: unknown }) => ['user', 'assistant', 'system', 'developer'].includes(m.role as string)));
  if (!validInput) return fail(400, "Invalid value for 'input': expected a string or a list of messages with known roles.");
  const format = (body.text as { format?: { type?: unknown; name?: unknown; schema?: unknown } } | undefined)?.format;
  if (format?.type === 'json_schema' && (typeof format.name !== 'string' || typeof format.schema !== 'object')) {
    return fail(400, "Missing required parameter: 'text.format.name' / 'text.format.schema'.");
  }
  const reply = script.next();
  if ('error' in reply) return openAiError('openai', res, reply.error.status, reply.error.message ?? `scripted ${reply.error.status}`, reply.error.type, reply.error.retryAfter);
  const text = 'answer' in reply ? answerText(reply) : reply.text;
  sendJson(res, 200, {
    id: `resp_${randomUUID().replace(/-/g, '')}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    model: body.model,
    output: [{ type: 'message', id: `msg_${randomUUID().replace(/-/g, '')}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] }],
    usage: { input_tokens: Math.ceil(raw.length / 4), output_tokens: 60, total_tokens: Math.ceil(raw.length / 4) + 60 },
  });
}
