import { describe, expect, it } from 'vitest';
import { guardedFetch } from '../http/guarded-fetch';
import { parseAllowList } from '../../core/net/outbound-policy';
import type { ResponseContext } from '../../core/identity/respond';
import { VendorSession, type VendorDialect } from './vendor-session';

/** A scripted server: answers in order, recording what it was sent. */
function script(answers: (() => Response)[]) {
  const seen: { url: string; method: string; authorization: string | null; body: string | null }[] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    seen.push({ url: String(input), method: init?.method ?? 'GET', authorization: headers.get('authorization'), body: typeof init?.body === 'string' ? init.body : null });
    const next = answers.shift();
    if (!next) throw new Error('no scripted answer left');
    return next();
  };
  return { seen, fetchImpl };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function dialect(tokens: string[], cachedFirst = true): VendorDialect & { issued: boolean[] } {
  const issued: boolean[] = [];
  return {
    issued,
    baseUrl: 'https://idp.example.com',
    authorize(_fetch, fresh) {
      issued.push(fresh);
      const token = tokens[issued.length - 1] ?? 'none';
      return Promise.resolve({ kind: 'success', value: { headers: { authorization: `Bearer ${token}` }, cached: cachedFirst && !fresh } });
    },
    isRetryable: (a) => a.status === 429 || a.status >= 500,
    retryAfterMs: (a) => (a.headers.get('retry-after') ? Number(a.headers.get('retry-after')) * 1000 : undefined),
    errorMessage: (a) => `idp answered ${a.status} ${JSON.stringify(a.body)}`,
  };
}

function ctx(fetchImpl: ResponseContext['fetch'], waits: number[] = []): ResponseContext {
  return {
    fetch: guardedFetch(parseAllowList(''), fetchImpl as typeof fetch),
    secret: () => undefined,
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 60_000 },
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
}

describe('VendorSession', () => {
  it('sends JSON bodies with the credentials and records the step without them', async () => {
    const server = script([json(200, { ok: true })]);
    const session = new VendorSession(dialect(['t1']), ctx(server.fetchImpl));
    const out = await session.send('PATCH', '/users/42', { accountEnabled: false });
    expect(out).toMatchObject({ kind: 'answer', answer: { status: 200, body: { ok: true } } });
    expect(server.seen).toEqual([{ url: 'https://idp.example.com/users/42', method: 'PATCH', authorization: 'Bearer t1', body: '{"accountEnabled":false}' }]);
    expect(session.steps).toEqual([{ request: 'PATCH /users/42', status: 200, attempt: 1 }]);
  });

  it('retries a 429 after the wait the provider asks for', async () => {
    const waits: number[] = [];
    const server = script([json(429, { error: 'slow down' }, { 'retry-after': '4' }), () => new Response(null, { status: 204 })]);
    const session = new VendorSession(dialect(['t1', 't1']), ctx(server.fetchImpl, waits));
    const out = await session.send('POST', '/users/42/revoke');
    expect(out).toMatchObject({ kind: 'answer', answer: { status: 204 } });
    expect(waits).toEqual([4000]);
    expect(session.steps.map((s) => [s.status, s.attempt])).toEqual([
      [429, 1],
      [204, 2],
    ]);
  });

  it('gives up as rate_limited with the provider message after the attempts', async () => {
    const server = script([json(503, 'a'), json(503, 'b'), json(503, 'c')]);
    const out = await new VendorSession(dialect(['t', 't', 't']), ctx(server.fetchImpl)).send('GET', '/users/42');
    expect(out).toEqual({ kind: 'failure', failure: { reason: 'rate_limited', status: 503, message: 'idp answered 503 "c" (gave up after 3 attempts)' } });
  });

  it('renews a cached token once on a 401, and only once', async () => {
    const server = script([json(401, { e: 1 }), json(200, {}), json(401, { e: 2 }), json(401, { e: 3 })]);
    const d = dialect(['old', 'new', 'old2', 'new2']);
    const session = new VendorSession(d, ctx(server.fetchImpl));
    expect(await session.send('GET', '/a')).toMatchObject({ kind: 'answer', answer: { status: 200 } });
    expect(server.seen.map((s) => s.authorization)).toEqual(['Bearer old', 'Bearer new']);
    const second = await session.send('GET', '/b');
    expect(second).toMatchObject({ kind: 'answer', answer: { status: 401 } });
    expect(d.issued).toEqual([false, true, false, true]);
    if (second.kind !== 'answer') throw new Error('expected an answer');
    expect(session.failureOf(second.answer)).toMatchObject({ reason: 'unauthorized', status: 401 });
  });

  it('reports a URL the outbound guard refuses as refused, without retrying or sending', async () => {
    const server = script([]);
    const d = { ...dialect(['t']), baseUrl: 'http://127.0.0.1:8080' };
    const out = await new VendorSession(d, ctx(server.fetchImpl)).send('GET', '/users/42');
    expect(out).toMatchObject({ kind: 'failure', failure: { reason: 'refused', status: null } });
    expect(server.seen).toEqual([]);
  });

  it('reports a token endpoint failure as unauthorized', async () => {
    const server = script([]);
    const d: VendorDialect = { ...dialect([]), authorize: () => Promise.resolve({ kind: 'failure', message: 'token endpoint answered 401: invalid_client' }) };
    const out = await new VendorSession(d, ctx(server.fetchImpl)).send('GET', '/users/42');
    expect(out).toEqual({ kind: 'failure', failure: { reason: 'unauthorized', status: null, message: 'token endpoint answered 401: invalid_client' } });
    expect(server.seen).toEqual([]);
  });
});
