/**
 * Loopback fake of Anthropic's Messages API (https://docs.anthropic.com/en/api/messages, errors:
 * https://docs.anthropic.com/en/api/errors): `POST /v1/messages` with `x-api-key` and `anthropic-version`.
 * It checks what the API requires — a known key (401 authentication_error), the version header (400),
 * `model`, a positive integer `max_tokens`, non-empty `messages` alternating from `user`, a `tool_choice` naming
 * a tool that exists — and answers a `message` whose content is a `tool_use` block for the forced tool (the
 * scripted answer as `input`), or a `text` block. Errors are `{type: "error", error: {type, message},
 * request_id}` with the documented statuses: 429 rate_limit_error, 500 api_error, 529 overloaded_error, with
 * `retry-after` when scripted. Admin: /__fake/reset, /__fake/script, /__fake/pending, GET /__fake/requests.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';
import { anthropicFakeKey } from './llm-credentials';
import { answerText, ReplyScript } from './llm-script';


const errorTypes: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 413: 'request_too_large', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error' };

function anthropicError(res: ServerResponse, status: number, message: string, type?: string, retryAfter?: number): void {
  const requestId = `req_${randomUUID().replace(/-/g, '')}`;
  sendJson(res, status, { type: 'error', error: { type: type ?? errorTypes[status] ?? 'api_error', message }, request_id: requestId }, { 'request-id': requestId, ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }) });
}

export async function startAnthropicFake(): Promise<RunningFake> {
  const script = new ReplyScript();
  return startFakeServer(
    (req, res, url) => {
      if (url.pathname !== '/v1/messages' || req.method !== 'POST') return anthropicError(res, 404, 'Not found');
      // The API reference documents `x-api-key`; the official TypeScript SDK (1.x) sends the same key as
      // `Authorization: Bearer`. Either carries it; a wrong or missing key is the documented 401.
      const bearer = /^Bearer (.+)$/.exec((req.headers.authorization as string | undefined) ?? '')?.[1];
      if ((req.headers['x-api-key'] ?? bearer) !== anthropicFakeKey) return anthropicError(res, 401, 'invalid x-api-key');
      if (typeof req.headers['anthropic-version'] !== 'string') return anthropicError(res, 400, 'anthropic-version: header is required');
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body) as Record<string, unknown>;
      } catch {
        return anthropicError(res, 400, 'The request body is not valid JSON.');
      }
      if (typeof body.model !== 'string' || !body.model) return anthropicError(res, 400, 'model: Field required');
      if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) return anthropicError(res, 400, 'max_tokens: Field required');
      const messages = body.messages as { role?: unknown; content?: unknown }[] | undefined;
      if (!Array.isArray(messages) || messages.length === 0) return anthropicError(res, 400, 'messages: at least one message is required');
      for (const [i, m] of messages.entries()) {
        if (m.role !== (i % 2 === 0 ? 'user' : 'assistant')) return anthropicError(res, 400, `messages.${i}.role: roles must alternate between "user" and "assistant", starting with "user"`);
      }
      const tools = (body.tools as { name?: unknown; input_schema?: { type?: unknown } }[] | undefined) ?? [];
      if (tools.some((t) => typeof t.name !== 'string' || t.input_schema?.type !== 'object')) return anthropicError(res, 400, 'tools: each tool needs a name and an input_schema of type object');
      const choice = body.tool_choice as { type?: unknown; name?: unknown } | undefined;
      if (choice?.type === 'tool' && !tools.some((t) => t.name === choice.name)) return anthropicError(res, 400, `tool_choice: tool ${String(choice.name)} not found in tools`);

      const reply = script.next();
      if ('error' in reply) return anthropicError(res, reply.error.status, reply.error.message ?? `scripted ${reply.error.status}`, reply.error.type, reply.error.retryAfter);
      const content =
        'answer' in reply
          ? choice?.type === 'tool'
            ? [{ type: 'tool_use', id: `toolu_${randomUUID().replace(/-/g, '').slice(0, 24)}`, name: choice.name, input: reply.answer }]
            : [{ type: 'text', text: answerText(reply) }]
          : [{ type: 'text', text: reply.text }];
      sendJson(res, 200, {
        id: `msg_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content,
        stop_reason: content[0]!.type === 'tool_use' ? 'tool_use' : 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: Math.ceil(req.body.length / 4), output_tokens: 60 },
      });
    },
    (action, body) => script.admin(action, body),
  );
}
