/**
 * Loopback fake of Amazon Bedrock's Converse API (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html):
 * `POST /model/{modelId}/converse`. The SigV4 signature is verified independently of aws4fetch (verifySigV4 of
 * the SES fake; service `bedrock`, the fake's region), with the canonical URI double-encoded as SigV4 requires
 * for every service but S3 — so a model id with a `:` (`…-v1:0`, sent as `%3A`) must be signed as `%253A`.
 * The body must have `messages` (alternating roles from `user`, each with a content list), and a `toolChoice`
 * must name a tool of `toolConfig.tools`. The answer is an output message with a `toolUse` block (the scripted
 * answer as `input`) or a `text` block. Errors follow the REST-JSON protocol: the type in `x-amzn-ErrorType`,
 * `{message}` in the body — 400 ValidationException, 403 AccessDeniedException / signature errors,
 * 404 ResourceNotFoundException, 429 ThrottlingException, 500 InternalServerException, 503
 * ServiceUnavailableException. Admin: /__fake/reset, /__fake/script, /__fake/pending, GET /__fake/requests.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';
import { bedrockFakeRegion, bedrockFakeAccessKeyId, bedrockFakeSecretKey, bedrockFakeModelId } from './llm-credentials';
import { ReplyScript } from './llm-script';
import { verifySigV4 } from './ses';


const errorTypes: Record<number, string> = { 400: 'ValidationException', 403: 'AccessDeniedException', 404: 'ResourceNotFoundException', 429: 'ThrottlingException', 500: 'InternalServerException', 503: 'ServiceUnavailableException' };

function bedrockError(res: ServerResponse, status: number, message: string, type?: string, retryAfter?: number): void {
  const errorType = type ?? errorTypes[status] ?? 'InternalServerException';
  sendJson(res, status, { message }, { 'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/`, 'x-amzn-requestid': randomUUID(), ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }) });
}

/** SigV4's canonical URI for non-S3 services: each segment of the path as sent, URI-encoded once more. */
function doubleEncodedPath(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

export async function startBedrockFake(): Promise<RunningFake> {
  const script = new ReplyScript();
  return startFakeServer(
    (req, res, url) => {
      const m = /^\/model\/([^/]+)\/converse$/.exec(url.pathname);
      if (!m || req.method !== 'POST') return bedrockError(res, 404, 'Not Found', 'UnknownOperationException');
      const check = verifySigV4(
        { method: req.method, url: `${doubleEncodedPath(url.pathname)}${url.search}`, headers: req.headers, body: req.body },
        { region: bedrockFakeRegion, service: 'bedrock', secrets: { [bedrockFakeAccessKeyId]: bedrockFakeSecretKey }, now: new Date() },
      );
      if (!check.ok) return bedrockError(res, check.status, check.message, check.type);
      const modelId = decodeURIComponent(m[1]!);
      if (modelId !== bedrockFakeModelId) return bedrockError(res, 404, 'The provided model identifier is invalid.', 'ResourceNotFoundException');
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body) as Record<string, unknown>;
      } catch {
        return bedrockError(res, 400, 'Malformed input request, please reformat your input and try again.');
      }
      const messages = body.messages as { role?: unknown; content?: unknown }[] | undefined;
      if (!Array.isArray(messages) || messages.length === 0) return bedrockError(res, 400, 'A conversation must start with a user message. Try again with a conversation that starts with a user message.');
      for (const [i, msg] of messages.entries()) {
        if (msg.role !== (i % 2 === 0 ? 'user' : 'assistant') || !Array.isArray(msg.content)) {
          return bedrockError(res, 400, 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.');
        }
      }
      const toolConfig = body.toolConfig as { tools?: { toolSpec?: { name?: unknown; inputSchema?: { json?: unknown } } }[]; toolChoice?: { tool?: { name?: unknown } } } | undefined;
      const tools = toolConfig?.tools ?? [];
      if (tools.some((t) => typeof t.toolSpec?.name !== 'string' || typeof t.toolSpec.inputSchema?.json !== 'object')) return bedrockError(res, 400, 'The toolConfig field must be defined with a toolSpec name and an inputSchema.');
      const forced = toolConfig?.toolChoice?.tool?.name;
      if (forced !== undefined && !tools.some((t) => t.toolSpec?.name === forced)) return bedrockError(res, 400, `The tool ${String(forced)} in toolChoice is not defined in toolConfig.tools.`);

      const reply = script.next();
      if ('error' in reply) return bedrockError(res, reply.error.status, reply.error.message ?? `scripted ${reply.error.status}`, reply.error.type, reply.error.retryAfter);
      const content = 'answer' in reply && typeof forced === 'string' ? [{ toolUse: { toolUseId: `tooluse_${randomUUID().slice(0, 12)}`, name: forced, input: reply.answer } }] : [{ text: 'answer' in reply ? JSON.stringify(reply.answer) : reply.text }];
      sendJson(res, 200, {
        output: { message: { role: 'assistant', content } },
        stopReason: 'toolUse' in content[0]! ? 'tool_use' : 'end_turn',
        usage: { inputTokens: Math.ceil(req.body.length / 4), outputTokens: 60, totalTokens: Math.ceil(req.body.length / 4) + 60 },
        metrics: { latencyMs: 42 },
      });
    },
    (action, body) => script.admin(action, body),
  );
}
