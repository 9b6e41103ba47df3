/**
 * The security path of every route: no credential → 401, a role without the route's permission → 403, the
 * right role → through. Routes are enumerated from the real app, so a new route without an entry in
 * `expectedPermission` fails here until someone decides who may call it.
 */
import { env } from 'cloudflare:workers';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { signHmacSha256Hex } from '../core/auth/webhook-signature';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { roleAllows, roles, type Permission, type Role } from '../core/auth/roles';
import { TokensRepository } from '../adapters/d1/tokens-repository';
import { createApp } from '../workers/index';
import { call, callJson, createToken, tokensByRole } from './helpers';

const expectedPermission: Record<string, Permission | 'any'> = {
  'GET /api/me': 'any',
  'GET /api/health': 'health:read',
  'POST /api/sql': 'events:query',
  'POST /api/query': 'events:query',
  'GET /api/query/conversations': 'events:query',
  'GET /api/query/conversations/:id': 'events:query',
  'GET /api/alerts': 'alerts:read',
  'PATCH /api/alerts/:id': 'alerts:write',
  'GET /api/alerts/:id': 'alerts:read',
  'POST /api/alerts/:id/false-positive': 'alerts:write',
  'GET /api/suppressions': 'alerts:read',
  'POST /api/suppressions': 'rules:write',
  'POST /api/suppressions/:id/review': 'rules:write',
  'DELETE /api/suppressions/:id': 'rules:write',
  'GET /api/incidents': 'alerts:read',
  'GET /api/incidents/:id': 'alerts:read',
  'GET /api/maintenance-windows': 'rules:read',
  'POST /api/maintenance-windows': 'rules:write',
  'DELETE /api/maintenance-windows/:id': 'rules:write',
  'GET /api/routing': 'routing:read',
  'PUT /api/routing': 'routing:manage',
  'POST /api/rules/:id/test': 'rules:read',
  'GET /api/rules/:id/runs': 'rules:read',
  'GET /api/rules': 'rules:read',
  'POST /api/rules': 'rules:write',
  'POST /api/rules/convert': 'rules:read',
  'POST /api/rules/from-question': 'rules:write',
  'PATCH /api/rules/:id': 'rules:write',
  'GET /api/identity/users': 'identity:read',
  'GET /api/identity/users/:id': 'identity:read',
  'GET /api/identity/incidents': 'identity:read',
  'POST /api/identity/rebuild': 'identity:manage',
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
  'GET /ingest/okta': 'events:ingest',
  'POST /ingest/webhooks/github': 'events:ingest',
};

/** Routes whose credential is a vendor's signature rather than a token: tested in their own block below. */
const webhookRoutes = new Set(['POST /ingest/webhooks/github']);

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
  const cases = routes.filter((r) => !webhookRoutes.has(r)).flatMap((route) => roles.map((role) => [route, role] as const));
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

describe('Okta event hook verification', () => {
  it('echoes the challenge to an ingest token', async () => {
    const res = await callJson('GET', '/ingest/okta', { token: tokens.ingest, headers: { 'x-okta-verification-challenge': 'abc-123' } });
    expect(res).toEqual({ status: 200, body: { verification: 'abc-123' } });
  });

  it('explains itself without the challenge header', async () => {
    const res = await callJson<{ error: { message: string } }>('GET', '/ingest/okta', { token: tokens.ingest });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('X-Okta-Verification-Challenge');
  });
});

describe('GitHub webhooks (the HMAC signature is the credential)', () => {
  const secret = 'test-github-webhook-secret';
  const body = JSON.stringify({ action: 'member_added', membership: { user: { login: 'mallory' } }, organization: { login: 'acme' }, sender: { login: 'octocat' } });
  const deliver = async (signature: string | null, extra: Record<string, string> = {}) =>
    callJson<{ accepted?: number; duplicate?: boolean; error?: { code: string; message: string } }>('POST', '/ingest/webhooks/github', {
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'organization',
        'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
        ...(signature ? { 'x-hub-signature-256': signature } : {}),
        ...extra,
      },
    });

  it('refuses a delivery without a signature, even with a token', async () => {
    const res = await deliver(null, { authorization: `Bearer ${tokens.admin}` });
    expect([res.status, res.body.error?.code]).toEqual([401, 'unauthenticated']);
  });

  it('refuses a delivery whose signature does not match', async () => {
    const res = await deliver(`sha256=${await signHmacSha256Hex('another secret', body)}`);
    expect(res.status).toBe(401);
    expect(res.body.error?.message).toContain('does not match');
  });

  it('stores a signed delivery once, whatever GitHub redelivers', async () => {
    const signature = `sha256=${await signHmacSha256Hex(secret, body)}`;
    const first = await deliver(signature);
    expect([first.status, first.body.accepted, first.body.duplicate]).toEqual([200, 1, false]);
    const again = await deliver(signature);
    expect([again.status, again.body.duplicate]).toEqual([200, true]);
  });
});

describe('Google Pub/Sub push with OIDC tokens', () => {
  const audience = 'https://mantissa.test/ingest/gcp_audit';
  async function googleToken(claims: Record<string, unknown>, aud = audience, jwk: JWK = inject('googleFakePrivateJwk')) {
    return new SignJWT({ email_verified: true, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid ?? 'fake-google-key-1' })
      .setIssuer('https://accounts.google.com')
      .setAudience(aud)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(await importJWK(jwk, 'RS256'));
  }
  const logEntry = {
    insertId: 'pubsub-1',
    logName: 'projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity',
    timestamp: '2026-11-01T10:00:00.000Z',
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      serviceName: 'iam.googleapis.com',
      methodName: 'google.iam.admin.v1.CreateServiceAccountKey',
      authenticationInfo: { principalEmail: 'dev@acme.test' },
      requestMetadata: { callerIp: '198.51.100.20' },
    },
  };
  const push = JSON.stringify({ message: { data: btoa(JSON.stringify(logEntry)), messageId: '1', publishTime: '2026-11-01T10:00:01Z' }, subscription: 'projects/acme-prod/subscriptions/mantissa' });
  const post = async (token: string, source = 'gcp_audit') =>
    callJson<{ accepted?: number; error?: { message: string } }>('POST', `/ingest/${source}`, { body: push, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });

  it('accepts a push from the allow-listed service account and unwraps the message', async () => {
    const res = await post(await googleToken({ email: 'pubsub-push@acme-prod.iam.gserviceaccount.com' }));
    expect([res.status, res.body.accepted]).toEqual([200, 1]);
  });

  it.each([
    ['another service account', { email: 'intruder@evil.iam.gserviceaccount.com' }, audience],
    ['an unverified email', { email: 'pubsub-push@acme-prod.iam.gserviceaccount.com', email_verified: false }, audience],
    ['another audience', { email: 'pubsub-push@acme-prod.iam.gserviceaccount.com' }, 'https://elsewhere.test'],
  ])('refuses a token of %s', async (_label, claims, aud) => {
    expect((await post(await googleToken(claims, aud))).status).toBe(401);
  });

  it('refuses a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const forged = await googleToken({ email: 'pubsub-push@acme-prod.iam.gserviceaccount.com' }, audience, { ...(await exportJWK(privateKey)), kid: 'fake-google-key-1' });
    expect((await post(forged)).status).toBe(401);
  });

  it('limits the push identity to its sources and to ingest', async () => {
    const token = await googleToken({ email: 'pubsub-push@acme-prod.iam.gserviceaccount.com' });
    expect((await post(token, 'okta')).status).toBe(403);
    expect((await call('GET', '/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});
