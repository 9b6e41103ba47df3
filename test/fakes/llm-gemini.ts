/**
 * Loopback fakes of Google's generateContent, as the Gemini API and Vertex AI serve it
 * (https://ai.google.dev/api/generate-content; https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest/v1/projects.locations.publishers.models/generateContent):
 * - Gemini: `POST /v1beta/models/{model}:generateContent` with the key in `x-goog-api-key` or `?key=` — a
 *   missing or wrong key is Google's 400 INVALID_ARGUMENT "API key not valid" / 403 PERMISSION_DENIED;
 * - Vertex (startVertexFake, llm-vertex.ts): the same body at
 *   `/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent`.
 * The body must have `contents` (roles `user`/`model`, each with `parts`); `generationConfig.responseMimeType`
 * `application/json` makes the scripted answer the candidate's JSON text. Errors are `{error: {code, message,
 * status}}`: 429 RESOURCE_EXHAUSTED, 500 INTERNAL, 503 UNAVAILABLE. Admin: /__fake/reset, /__fake/script,
 * /__fake/pending, GET /__fake/requests.
 */
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeServer, type FakeRequest, type RunningFake } from './fake-server';
import { geminiFakeKey } from './llm-credentials';
import { answerText, ReplyScript } from './llm-script';


const statuses: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

export function googleError(res: ServerResponse, code: number, message: string, status?: string, retryAfter?: number): void {
  sendJson(res, code, { error: { code, message, status: status ?? statuses[code] ?? 'UNKNOWN' } }, retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) });
}

/** Validates a generateContent body and answers from the script (shared by the Gemini and Vertex fakes). */
export function answerGenerateContent(req: FakeRequest, res: ServerResponse, model: string, script: ReplyScript): void {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.body) as Record<string, unknown>;
  } catch {
    return googleError(res, 400, 'Invalid JSON payload received.');
  }
  const contents = body.contents as { role?: unknown; parts?: unknown }[] | undefined;
  if (!Array.isArray(contents) || contents.length === 0) return googleError(res, 400, '* GenerateContentRequest.contents: contents is not specified');
  if (contents.some((c) => !['user', 'model'].includes(c.role as string) || !Array.isArray(c.parts) || c.parts.length === 0)) {
    return googleError(res, 400, 'Please use a valid role: user, model.');
  }
  const config = body.generationConfig as { responseMimeType?: unknown; responseSchema?: unknown } | undefined;
  if (config?.responseSchema !== undefined && config.responseMimeType !== 'application/json') {
    return googleError(res, 400, 'responseSchema is only supported with responseMimeType application/json');
  }
  const reply = script.next();
  if ('error' in reply) return googleError(res, reply.error.status, reply.error.message ?? `scripted ${reply.error.status}`, reply.error.type, reply.error.retryAfter);
  sendJson(res, 200, {
    candidates: [{ content: { role: 'model', parts: [{ text: 'answer' in reply ? answerText(reply) : reply.text }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: Math.ceil(req.body.length / 4), candidatesTokenCount: 60, totalTokenCount: Math.ceil(req.body.length / 4) + 60 },
    modelVersion: model,
  });
}

export async function startGeminiFake(): Promise<RunningFake> {
  const script = new ReplyScript();
  return startFakeServer(
    (req, res, url) => {
      const m = /^\/v1beta\/models\/([^/:]+):generateContent$/.exec(url.pathname);
      if (!m || req.method !== 'POST') return googleError(res, 404, `The requested URL ${url.pathname} was not found on this server.`);
      const key = (req.headers['x-goog-api-key'] as string | undefined) ?? url.searchParams.get('key');
      if (!key) return googleError(res, 403, 'Method doesn\'t allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.');
      if (key !== geminiFakeKey) return googleError(res, 400, 'API key not valid. Please pass a valid API key.');
      answerGenerateContent(req, res, decodeURIComponent(m[1]!), script);
    },
    (action, body) => script.admin(action, body),
  );
}
