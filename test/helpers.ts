/** Shared helpers for the workerd integration tests: tokens per role and a fetch against the real Worker. */
import { env, exports } from 'cloudflare:workers';
import type { Role } from '../core/auth/roles';
import { TokensRepository } from '../adapters/d1/tokens-repository';

export const origin = 'http://mantissa.test';

export async function createToken(role: Role, options: { source?: string; name?: string; expiresAt?: string } = {}) {
  return new TokensRepository(env.DB).create({
    name: options.name ?? `test-${role}`,
    role,
    source: role === 'ingest' ? (options.source ?? '*') : null,
    expiresAt: options.expiresAt ?? null,
    createdBy: 'test',
    now: new Date(),
  });
}

/** One token per role, created once per test file (storage is per file). */
export async function tokensByRole(): Promise<Record<Role, string>> {
  const roles: Role[] = ['admin', 'analyst', 'responder', 'viewer', 'ingest'];
  const entries = await Promise.all(roles.map(async (r) => [r, (await createToken(r)).token] as const));
  return Object.fromEntries(entries) as Record<Role, string>;
}

export interface CallOptions {
  token?: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

export async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  let body = options.body;
  if (options.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(options.json);
  }
  return exports.default.fetch(new Request(`${origin}${path}`, { method, headers, body }));
}

export async function callJson<T = Record<string, unknown>>(method: string, path: string, options: CallOptions = {}) {
  const res = await call(method, path, options);
  return { status: res.status, body: (await res.json()) as T };
}

export async function sql(token: string, query: string) {
  const { status, body } = await callJson<{ columns: string[]; rows: unknown[][]; error?: { message: string } }>('POST', '/api/sql', {
    token,
    json: { sql: query },
  });
  if (status !== 200) throw new Error(`SQL failed (${status}): ${body.error?.message}`);
  return body;
}

/** Calls the Worker with some variables or bindings overridden (configuration is read per env object). */
export async function callWithVars(vars: Partial<Cloudflare.Env>, method: string, path: string, options: CallOptions = {}) {
  const { createApp } = await import('../workers/index');
  const { createExecutionContext, waitOnExecutionContext } = await import('cloudflare:test');
  const headers = new Headers(options.headers);
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  const ctx = createExecutionContext();
  const res = await createApp().fetch(
    new Request(`${origin}${path}`, { method, headers, body: options.body }),
    { ...env, ...vars },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

export async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
