/**
 * newApp(): the one way a Hono app is made here — request id, config, error rendering and 404 — so every
 * handler answers errors in the same shape: `{error: {code, message, requestId}}`.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import type { z } from 'zod';
import type { Principal } from '../core/auth/roles';
import { ApiError, codeForStatus } from './errors';
import { ConfigError, readConfig, type Config, type Env } from './env';

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    principal: Principal;
    config: Config;
    /** The body as received, when a webhook authenticator had to read it to verify its signature. */
    verifiedBody?: Uint8Array;
  };
}

export type App = Hono<AppEnv>;
export type AppContext = Context<AppEnv>;

export function newApp(): App {
  const app = new Hono<AppEnv>();
  app.use('*', requestId({ headerName: 'x-request-id', limitLength: 64 }));
  app.use('*', async function loadConfig(c, next) {
    c.set('config', readConfig(c.env));
    await next();
  });
  app.notFound((c) => errorResponse(c, new ApiError('not_found', `No route for ${c.req.method} ${c.req.path}`)));
  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err);
    if (err instanceof HTTPException) {
      return errorResponse(c, new ApiError(codeForStatus(err.status), err.message || 'Request refused'));
    }
    const id = c.get('requestId') ?? 'unknown';
    // Logged once, here. Never the request body or headers: they may hold tokens or personal data.
    console.error(JSON.stringify({ level: 'error', requestId: id, path: c.req.path, error: String(err), stack: err instanceof Error ? err.stack : undefined }));
    const message =
      err instanceof ConfigError ? err.message : `Internal error; quote request id ${id} to find it in the logs.`;
    return errorResponse(c, new ApiError('internal', message));
  });
  return app;
}

function errorResponse(c: AppContext, err: ApiError): Response {
  const requestIdValue = c.get('requestId') ?? 'unknown';
  return c.json(
    { error: { code: err.code, message: err.message, requestId: requestIdValue }, ...(err.details ?? {}) },
    err.status,
  );
}

/** Parses a JSON body of at most `maxBytes` with a zod schema; failures are 400s naming the field. */
export async function jsonBody<T extends z.ZodType>(c: AppContext, schema: T, maxBytes = 1024 * 1024): Promise<z.infer<T>> {
  const bytes = await readBody(c.req.raw, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new ApiError('invalid_request', `The body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return validate(schema, value, 'body');
}

export function queryParams<T extends z.ZodType>(c: AppContext, schema: T): z.infer<T> {
  return validate(schema, c.req.query(), 'query');
}

export function validate<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${[where, ...i.path].join('.')}: ${i.message}`)
    .join('; ');
  throw new ApiError('invalid_request', issues);
}

/** Reads a request body, refusing (413) as soon as it exceeds `maxBytes`, whatever Content-Length claims. */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new ApiError('payload_too_large', `The body is ${declared} bytes; the limit is ${maxBytes}.`);
  }
  if (!request.body) return new Uint8Array();
  return readStreamLimited(request.body, maxBytes, (n) => `The body exceeds the limit of ${maxBytes} bytes (read ${n} so far).`);
}

export async function readStreamLimited(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
  tooLarge: (bytesRead: number) => string,
): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ApiError('payload_too_large', tooLarge(total));
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
