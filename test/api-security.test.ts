/**
 * The security path of every route: no credential → 401, a role without the route's permission → 403, the
 * right role → through. Routes are enumerated from the real app, so a new route without an entry in
 * `expectedPermission` fails here until someone decides who may call it.
 */
import { env } from 'cloudflare:workers';
import { importJWK, SignJWT, type JWK } from 'jose';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { roleAllows, roles, type Permission, type Role } from '../core/auth/roles';
import { TokensRepository } from '../adapters/d1/tokens-repository';
import { createApp } from '../workers/index';
import { call, callJson, createToken, tokensByRole } from './helpers';

const expectedPermission: Record<string, Permission | 'any'> = {
  'GET /api/me': 'any',
  'GET /api/health': 'health:read',
  'POST /api/sql': 'events:query',
  'GET /api/alerts': 'alerts:read',
  'PATCH /api/alerts/:id': 'alerts:write',
  'GET /api/rules': 'rules:read',
  'POST /api/rules': 'rules:write',
  'PATCH /api/rules/:id': 'rules:write',
  'GET /api/identity/users': 'identity:read',
  'GET /api/identity/users/:id': 'identity:read',
  'GET /api/playbooks/runs': 'playbooks:read',
  'POST /api/playbooks/runs': 'playbooks:run',
  'GET /api/playbooks/runs/:id': 'playbooks:read',
  'POST /api/playbooks/runs/:id/decision': 'playbooks:approve',
  'GET /api/sources': 'sources:read',
  'GET /api/tokens': 'tokens:manage',
  'POST /api/tokens': 'tokens:manage',
  'DELETE /api/tokens/:id': 'tokens:manage',
  'GET /api/audit': 'audit:read',
  'POST /ingest/:source': 'events:ingest',
};

const routes = [
  ...new Set(
    createApp()
      .routes.filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path}`),
  ),
];

function concrete(route: string): [string, string] {
  const [method, path] = route.split(' ') as [string, string];
  return [method, path.replace(':source', 'okta').replace(/:[a-z]+/g, 'does-not-exist')];
}

let tokens: Record<Role, string>;
beforeAll(async () => {
  tokens = await tokensByRole();
});

describe('route inventory', () => {
  it('has an expected permission for every route, and a route for every expectation', () => {
    expect(routes.sort()).toEqual(Object.keys(expectedPermission).sort());
  });
});

describe('without a credential', () => {
  it.each(routes)('%s answers 401 with the error shape', async (route) => {
    const [method, path] = concrete(route);
    const res = await call(method, path, { json: method === 'GET' || method === 'DELETE' ? undefined : {} });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('unauthenticated');
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  });

  it.each([
    ['GET', '/api/no-such-route'],
    ['POST', '/v1/traces'],
    ['GET', '/ingest/okta'],
  ])('%s %s (unrouted) also answers 401 before anything else', async (method, path) => {
    expect((await call(method, path)).status).toBe(401);
  });
});

describe('with each role', () => {
  const cases = routes.flatMap((route) => roles.map((role) => [route, role] as const));
  it.each(cases)('%s as %s is allowed exactly when the role has the permission', async (route, role) => {
    const [method, path] = concrete(route);
    const permission = expectedPermission[route]!;
    const res = await call(method, path, {
      token: tokens[role],
      json: method === 'GET' || method === 'DELETE' ? undefined : {},
    });
    const allowed = permission === 'any' || roleAllows(role, permission);
    if (allowed) {
      expect([401, 403]).not.toContain(res.status);
    } else {
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
  });
});

describe('API tokens', () => {
  it.each([
    ['a malformed header', 'Token abc'],
    ['a string that is not a token', 'Bearer hello'],
    ['an unknown token', `Bearer mlt_${'A'.repeat(40)}`],
  ])('refuses %s with 401', async (_label, header) => {
    const res = await call('GET', '/api/me', { headers: { authorization: header } });
    expect(res.status).toBe(401);
  });

  it('refuses a revoked token', async () => {
    const { token, view } = await createToken('analyst');
    expect((await call('GET', '/api/me', { token })).status).toBe(200);
    await new TokensRepository(env.DB).revoke(view.id, new Date());
    expect((await call('GET', '/api/me', { token })).status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const { token } = await createToken('analyst', { expiresAt: '2020-01-01T00:00:00.000Z' });
    expect((await call('GET', '/api/me', { token })).status).toBe(401);
  });

  it('lets an admin create a scoped ingest token that works only for its source', async () => {
    const created = await callJson<{ token: string; role: string; source: string; tokenHash?: string }>('POST', '/api/tokens', {
      token: tokens.admin,
      json: { name: 'okta-webhook', role: 'ingest', source: 'okta' },
    });
    expect(created.status).toBe(201);
    expect(created.body.tokenHash).toBeUndefined();
    const body = '{"eventType":"user.session.start","published":"2026-01-01T00:00:00Z"}';
    expect((await call('POST', '/ingest/okta', { token: created.body.token, body })).status).toBe(200);
    const other = await callJson<{ error: { message: string } }>('POST', '/ingest/cloudtrail', { token: created.body.token, body });
    expect(other.status).toBe(403);
    expect(other.body.error.message).toContain('only into source "okta"');
    expect((await call('POST', '/api/sql', { token: created.body.token, json: { sql: 'SELECT 1' } })).status).toBe(403);
  });

  it('never lists secrets or hashes', async () => {
    const { body } = await callJson<{ tokens: Record<string, unknown>[] }>('GET', '/api/tokens', { token: tokens.admin });
    expect(body.tokens.length).toBeGreaterThan(0);
    for (const t of body.tokens) {
      expect(Object.keys(t)).not.toContain('tokenHash');
      expect(JSON.stringify(t)).not.toMatch(/mlt_[A-Za-z0-9]{40}/);
    }
  });

  it('refuses an ingest token without a source', async () => {
    const res = await callJson<{ error: { message: string } }>('POST', '/api/tokens', {
      token: tokens.admin,
      json: { name: 'x', role: 'ingest' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('body.source');
  });
});

describe('Cloudflare Access JWTs', () => {
  const issuer = () => `http://127.0.0.1:${inject('accessFakePort')}`;

  async function accessJwt(claims: Record<string, unknown>, options: { audience?: string; expiresIn?: string; jwk?: JWK } = {}) {
    const jwk = options.jwk ?? inject('accessFakePrivateJwk');
    const key = await importJWK(jwk, 'RS256');
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid ?? 'fake-access-key-1' })
      .setIssuer(issuer())
      .setAudience(options.audience ?? 'test-audience')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .setSubject('user-1')
      .sign(key);
  }

  it('signs in with the role mapped from the email', async () => {
    const jwt = await accessJwt({ email: 'Boss@acme.test' });
    const res = await callJson('GET', '/api/me', { headers: { 'cf-access-jwt-assertion': jwt } });
    expect(res).toEqual({ status: 200, body: { id: 'access:boss@acme.test', name: 'boss@acme.test', role: 'admin', source: null, via: 'access' } });
  });

  it('maps groups, reads the CF_Authorization cookie, and defaults to viewer', async () => {
    const responder = await accessJwt({ email: 'r@acme.test', groups: ['soc-responders'] });
    expect((await callJson('GET', '/api/me', { headers: { cookie: `CF_Authorization=${responder}` } })).body.role).toBe('responder');
    const plain = await accessJwt({ email: 'someone@acme.test' });
    expect((await callJson('GET', '/api/me', { headers: { 'cf-access-jwt-assertion': plain } })).body.role).toBe('viewer');
  });

  it.each([
    ['another application', { audience: 'other-app' }],
    ['an expired token', { expiresIn: '-1m' }],
  ])('refuses a token for %s', async (_label, options) => {
    const jwt = await accessJwt({ email: 'boss@acme.test' }, options);
    expect((await call('GET', '/api/me', { headers: { 'cf-access-jwt-assertion': jwt } })).status).toBe(401);
  });

  it('refuses a token signed by another key', async () => {
    const { generateKeyPair, exportJWK } = await import('jose');
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const forged = await accessJwt({ email: 'boss@acme.test' }, { jwk: { ...(await exportJWK(privateKey)), kid: 'fake-access-key-1' } });
    expect((await call('GET', '/api/me', { headers: { 'cf-access-jwt-assertion': forged } })).status).toBe(401);
  });
});

describe('audit, CORS and errors', () => {
  it('records state-changing calls, refused ones included', async () => {
    await call('POST', '/api/sql', { token: tokens.ingest, json: { sql: 'SELECT 1' } });
    const { body } = await callJson<{ entries: { path: string; status: number; role: string }[] }>('GET', '/api/audit', {
      token: tokens.admin,
    });
    expect(body.entries).toContainEqual(expect.objectContaining({ path: '/api/sql', status: 403, role: 'ingest' }));
  });

  it('gives cross-origin browsers no CORS grant unless the origin is allow-listed', async () => {
    const res = await call('GET', '/api/me', { token: tokens.viewer, headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers malformed JSON with 400 and the reason', async () => {
    const res = await callJson<{ error: { code: string; message: string } }>('POST', '/api/sql', {
      token: tokens.analyst,
      body: '{"sql": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/not valid JSON/);
  });
});
