/**
 * Identity response actions (adapters/okta/respond.ts, adapters/entra_id/respond.ts,
 * adapters/google_workspace/respond.ts) inside workerd, through the real guarded fetch and token code, against
 * dedicated loopback fakes of Okta, the Microsoft identity platform + Graph, and Google OAuth + the Directory API
 * (test/fakes/group-identity-response.ts): every action on every provider changes the provider's state the way the
 * vendor documents; repeats are safe; unknown users, missing permissions and throttling come back as the vendor's
 * errors; the outbound guard still applies; secrets appear in no result and no log line.
 */
import { introspectWorkflow } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import type { Role } from '../core/auth/roles';
import { callJson, createToken, tokensByRole } from './helpers';
import { guardedFetch } from '../adapters/http/guarded-fetch';
import { configuredResponders, parseIdentityResponders, respondEverywhere } from '../adapters/identity-response/registry';
import { createEntraResponder, entraResponderConfigSchema } from '../adapters/entra_id/respond';
import { createGoogleWorkspaceResponder, googleResponderConfigSchema } from '../adapters/google_workspace/respond';
import { createOktaResponder, oktaResponderConfigSchema } from '../adapters/okta/respond';
import { responseActions, type IdentityResponder, type ResponseAction, type ResponseContext, type ResponseResult } from '../core/identity/respond';
import { parseAllowList } from '../core/net/outbound-policy';

// The fakes' state, as their /__fake/directory answers it (test/fakes/okta.ts, microsoft.ts, google-workspace.ts;
// not imported: those modules are Node code, outside this program).
interface FakeOktaUserState {
  status: string;
  sessions: number;
  clients: { client_id: string; client_name: string; tokens: number }[];
  factors: { id: string; factorType: string }[];
  resetEmailsSent: number;
}
interface FakeGraphUser {
  id: string;
  userPrincipalName: string;
  accountEnabled: boolean;
  passwordProfile: { forceChangePasswordNextSignIn: boolean };
  signInSessionsValidFromDateTime: string;
  methods: { '@odata.type': string; id: string }[];
}
interface FakeDirectoryUser {
  id: string;
  primaryEmail: string;
  suspended: boolean;
  changePasswordAtNextLogin: boolean;
  isEnrolledIn2Sv: boolean;
  signOuts: number;
  backupCodesInvalidated: number;
  tokens: { clientId: string }[];
}

type FakeName = 'respondOkta' | 'respondMsLogin' | 'respondMsGraph' | 'respondGoogleOAuth' | 'respondGoogleAdmin';
const ports = inject('fakePorts');
function origin(name: FakeName): string {
  const port = ports[name];
  if (!port) throw new Error(`no fake named ${name}`);
  return `http://127.0.0.1:${port}`;
}
async function fake<T = unknown>(name: FakeName, action: string, body?: unknown): Promise<T> {
  const res = await fetch(`${origin(name)}/__fake/${action}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json() as Promise<T>;
}
interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body: string;
}
async function requests(name: FakeName): Promise<SeenRequest[]> {
  return (await fetch(`${origin(name)}/__fake/requests`)).json() as Promise<SeenRequest[]>;
}

// Credentials the fakes accept (test/fakes/okta.ts, microsoft.ts, google-workspace.ts).
const oktaToken = '00fake-okta-api-token';
const oktaReadOnlyToken = '00fake-okta-readonly-token';
const tenantId = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const clientId = 'b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e';
const clientSecret = 'fake~Q8~client-secret-value';
let googleKeyFile: string;

const users = { okta: 'homer.simpson@duff.com', entra_id: 'alice@acme.test', google_workspace: 'user@acme.test' } as const;
const oktaHomerId = '00u1hs7q2kHOMER0x697';

const okta = (extra: Record<string, unknown> = {}) =>
  createOktaResponder(oktaResponderConfigSchema.parse({ provider: 'okta', orgUrl: origin('respondOkta'), tokenSecret: 'OKTA_API_TOKEN', ...extra }));
const entra = (extra: Record<string, unknown> = {}) =>
  createEntraResponder(
    entraResponderConfigSchema.parse({
      provider: 'entra_id',
      tenantId,
      clientId,
      clientSecretName: 'GRAPH_CLIENT_SECRET',
      tokenUrl: `${origin('respondMsLogin')}/${tenantId}/oauth2/v2.0/token`,
      graphBaseUrl: origin('respondMsGraph'),
      ...extra,
    }),
  );
const google = (extra: Record<string, unknown> = {}) =>
  createGoogleWorkspaceResponder(
    googleResponderConfigSchema.parse({
      provider: 'google_workspace',
      delegatedAdmin: 'admin@acme.test',
      tokenUrl: `${origin('respondGoogleOAuth')}/token`,
      directoryBaseUrl: origin('respondGoogleAdmin'),
      ...extra,
    }),
  );
const responders = { okta, entra_id: entra, google_workspace: google } as const;
type Provider = keyof typeof responders;

let waits: number[] = [];
function context(secrets?: Record<string, string>, retry = { attempts: 3, baseDelayMs: 1, maxDelayMs: 60_000 }): ResponseContext {
  const values = secrets ?? { OKTA_API_TOKEN: oktaToken, GRAPH_CLIENT_SECRET: clientSecret, GOOGLE_SERVICE_ACCOUNT_KEY: googleKeyFile };
  return {
    fetch: guardedFetch(parseAllowList(env.OUTBOUND_ALLOWLIST)),
    secret: (name) => values[name],
    retry,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
}

const oktaState = async () => (await fake<Record<string, FakeOktaUserState>>('respondOkta', 'directory'))[oktaHomerId]!;
const graphState = async (upn = users.entra_id) => (await fake<FakeGraphUser[]>('respondMsGraph', 'directory')).find((u) => u.userPrincipalName === upn)!;
const googleState = async (email = users.google_workspace) => (await fake<FakeDirectoryUser[]>('respondGoogleAdmin', 'directory')).find((u) => u.primaryEmail === email)!;

beforeEach(async () => {
  waits = [];
  googleKeyFile = JSON.stringify((await fake<{ keyFile: unknown }>('respondGoogleOAuth', 'service-account')).keyFile);
  await Promise.all((['respondOkta', 'respondMsLogin', 'respondMsGraph', 'respondGoogleOAuth', 'respondGoogleAdmin'] as const).map((n) => fake(n, 'reset')));
  // Tokens cached by the adapters from an earlier test stop working (they may carry other roles or scopes):
  // the responders must fetch new ones, through their 401 → fresh token path.
  await fake('respondMsLogin', 'revoke-tokens');
  await fake('respondGoogleOAuth', 'revoke-tokens');
});

function expectOk(result: ResponseResult): asserts result is Extract<ResponseResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected success, got ${result.reason}: ${result.message}`);
}

describe('every action on every provider changes what the provider holds', () => {
  const cases: [Provider, ResponseAction, () => Promise<void>][] = [
    [
      'okta',
      'terminate_sessions',
      async () => {
        const s = await oktaState();
        expect(s.sessions).toBe(0);
        expect(s.clients).toEqual([]); // oauthTokens=true also revokes the user's OAuth tokens
      },
    ],
    [
      'okta',
      'revoke_tokens',
      async () => {
        const s = await oktaState();
        expect(s.clients).toEqual([]);
        expect(s.sessions).toBe(2); // sessions are left alone
      },
    ],
    ['okta', 'disable_account', async () => expect((await oktaState()).status).toBe('SUSPENDED')],
    ['okta', 'force_password_reset', async () => expect(await oktaState()).toMatchObject({ status: 'RECOVERY', resetEmailsSent: 1 })],
    ['okta', 'require_mfa_reenrolment', async () => expect((await oktaState()).factors).toEqual([])],
    ['entra_id', 'terminate_sessions', async () => expect(Date.parse((await graphState()).signInSessionsValidFromDateTime)).toBeGreaterThan(Date.parse('2026-01-05T08:00:00Z'))],
    ['entra_id', 'revoke_tokens', async () => expect(Date.parse((await graphState()).signInSessionsValidFromDateTime)).toBeGreaterThan(Date.parse('2026-01-05T08:00:00Z'))],
    ['entra_id', 'disable_account', async () => expect((await graphState()).accountEnabled).toBe(false)],
    ['entra_id', 'force_password_reset', async () => expect((await graphState()).passwordProfile).toEqual({ forceChangePasswordNextSignIn: true })],
    [
      'entra_id',
      'require_mfa_reenrolment',
      async () => expect((await graphState()).methods.map((m) => m['@odata.type'])).toEqual(['#microsoft.graph.passwordAuthenticationMethod']),
    ],
    ['google_workspace', 'terminate_sessions', async () => expect((await googleState()).signOuts).toBeGreaterThanOrEqual(1)],
    ['google_workspace', 'revoke_tokens', async () => expect((await googleState()).tokens).toEqual([])],
    ['google_workspace', 'disable_account', async () => expect((await googleState()).suspended).toBe(true)],
    ['google_workspace', 'force_password_reset', async () => expect((await googleState()).changePasswordAtNextLogin).toBe(true)],
    [
      'google_workspace',
      'require_mfa_reenrolment',
      async () => {
        const s = await googleState();
        expect(s.isEnrolledIn2Sv).toBe(false);
        expect(s.backupCodesInvalidated).toBeGreaterThanOrEqual(1);
      },
    ],
  ];

  it.each(cases)('%s %s', async (provider, action, check) => {
    const result = await responders[provider]().perform(action, users[provider], context());
    expectOk(result);
    expect(result).toMatchObject({ provider, action, user: users[provider], alreadyDone: false });
    expect(result.userId).not.toBe('');
    expect(result.steps.length).toBeGreaterThanOrEqual(2);
    // A 401 is the cached access token revoked in beforeEach, answered by one retry with a fresh token.
    expect(result.steps.filter((s) => s.status !== 401).every((s) => s.status !== null && s.status < 300)).toBe(true);
    await check();
  });

  it.each(cases)('%s %s is safe to repeat', async (provider, action, check) => {
    const first = await responders[provider]().perform(action, users[provider], context());
    const second = await responders[provider]().perform(action, users[provider], context());
    expectOk(first);
    expectOk(second);
    await check();
  });

  it('records the Okta requests in order, with paths and statuses only', async () => {
    const result = await okta().perform('revoke_tokens', users.okta, context());
    expect(result.steps).toEqual([
      { request: 'GET /api/v1/users/homer.simpson%40duff.com', status: 200, attempt: 1 },
      { request: `GET /api/v1/users/${oktaHomerId}/clients`, status: 200, attempt: 1 },
      { request: `DELETE /api/v1/users/${oktaHomerId}/clients/0oa1slackAPPx697/tokens`, status: 204, attempt: 1 },
      { request: `DELETE /api/v1/users/${oktaHomerId}/clients/0oa1zoomAPP0x697/tokens`, status: 204, attempt: 1 },
    ]);
    expectOk(result);
    expect(result.details).toContain('Slack, Zoom');
  });

  it('removes Entra authentication methods on their type endpoints, phone last, keeping the password', async () => {
    const result = await entra().perform('require_mfa_reenrolment', users.entra_id, context());
    expectOk(result);
    const deletes = result.steps.filter((s) => s.request.startsWith('DELETE')).map((s) => s.request.split('/authentication/')[1]!.split('/')[0]);
    expect(deletes).toEqual(['microsoftAuthenticatorMethods', 'softwareOathMethods', 'fido2Methods', 'phoneMethods']);
  });
});

describe('repeats report what the provider already shows', () => {
  it('does not suspend an Okta user twice', async () => {
    await okta().perform('disable_account', users.okta, context());
    const again = await okta().perform('disable_account', users.okta, context());
    expect(again).toMatchObject({ ok: true, alreadyDone: true, details: 'already SUSPENDED' });
    expect((await requests('respondOkta')).filter((r) => r.url.endsWith('/lifecycle/suspend'))).toHaveLength(1);
  });

  it('does not send a second Okta reset email while a reset is pending', async () => {
    await okta().perform('force_password_reset', users.okta, context());
    const again = await okta().perform('force_password_reset', users.okta, context());
    expect(again).toMatchObject({ ok: true, alreadyDone: true });
    expect((await oktaState()).resetEmailsSent).toBe(1);
  });

  it('treats an Entra user already disabled as done without a PATCH', async () => {
    const result = await entra().perform('disable_account', 'bob@acme.test', context());
    expect(result).toMatchObject({ ok: true, alreadyDone: true });
    expect((await requests('respondMsGraph')).filter((r) => r.method === 'PATCH')).toHaveLength(0);
  });

  it('turns off Google 2SV only while the user is enrolled', async () => {
    await google().perform('require_mfa_reenrolment', users.google_workspace, context());
    const again = await google().perform('require_mfa_reenrolment', users.google_workspace, context());
    expect(again).toMatchObject({ ok: true, alreadyDone: true });
    expect((await requests('respondGoogleAdmin')).filter((r) => r.url.endsWith('/twoStepVerification/turnOff'))).toHaveLength(1);
  });

  it('reports an Okta suspend of a user Okta will not suspend with Okta’s error and the way out', async () => {
    const result = await okta().perform('disable_account', 'tracey_stone@acme.io', context()); // LOCKED_OUT
    expect(result).toMatchObject({ ok: false, reason: 'vendor_error', status: 400 });
    expect(!result.ok && result.message).toContain('E0000001');
    expect(!result.ok && result.message).toContain('disableWith: "deactivate"');
    const deactivated = await okta({ disableWith: 'deactivate' }).perform('disable_account', 'tracey_stone@acme.io', context());
    expect(deactivated).toMatchObject({ ok: true, alreadyDone: false });
    expect((await fake<Record<string, FakeOktaUserState>>('respondOkta', 'directory'))['00u1hs7q2kTRACY0x697']!.status).toBe('DEPROVISIONED');
  });
});

describe('failures carry the vendor’s answer', () => {
  it.each([
    ['okta', 'E0000007: Not found' as string],
    ['entra_id', 'Request_ResourceNotFound'],
    ['google_workspace', 'Resource Not Found: userKey'],
  ] as [Provider, string][])('%s: an unknown user is not_found', async (provider, vendorText) => {
    const result = await responders[provider]().perform('disable_account', 'nobody@nowhere.test', context());
    expect(result).toMatchObject({ ok: false, reason: 'not_found', status: 404, userId: null });
    expect(!result.ok && result.message.replace('E0000007 Not', 'E0000007: Not')).toContain(vendorText);
  });

  it('okta: a read-only admin token is forbidden (E0000006) and nothing changes', async () => {
    const result = await okta().perform('disable_account', users.okta, context({ OKTA_API_TOKEN: oktaReadOnlyToken }));
    expect(result).toMatchObject({ ok: false, reason: 'forbidden', status: 403, userId: oktaHomerId });
    expect(!result.ok && result.message).toContain('E0000006 You do not have permission to perform the requested action');
    expect((await oktaState()).status).toBe('ACTIVE');
  });

  it('entra_id: an app without User.EnableDisableAccount.All is denied (Authorization_RequestDenied) and nothing changes', async () => {
    await fake('respondMsLogin', 'graph-roles', { roles: ['User.Read.All', 'User.RevokeSessions.All'] });
    const result = await entra().perform('disable_account', users.entra_id, context());
    expect(result).toMatchObject({ ok: false, reason: 'forbidden', status: 403 });
    expect(!result.ok && result.message).toContain('Authorization_RequestDenied: Insufficient privileges to complete the operation.');
    expect((await graphState()).accountEnabled).toBe(true);
  });

  it('google_workspace: a delegated user who is not an admin is forbidden', async () => {
    const result = await google({ delegatedAdmin: 'user@acme.test' }).perform('terminate_sessions', users.google_workspace, context());
    expect(result).toMatchObject({ ok: false, reason: 'forbidden', status: 403 });
    expect(!result.ok && result.message).toContain('Not Authorized to access this resource/api');
  });

  it('google_workspace: scopes not granted by domain-wide delegation are refused at the token endpoint', async () => {
    await fake('respondGoogleOAuth', 'delegate', { scopes: ['https://www.googleapis.com/auth/admin.directory.user'] });
    const result = await google().perform('terminate_sessions', users.google_workspace, context());
    expect(result).toMatchObject({ ok: false, reason: 'unauthorized' });
    expect(!result.ok && result.message).toContain('unauthorized_client');
    expect((await googleState()).signOuts).toBe(0);
  });

  it.each(['okta', 'entra_id', 'google_workspace'] as Provider[])('%s: a missing secret is not_configured and names the secret', async (provider) => {
    const result = await responders[provider]().perform('terminate_sessions', users[provider], context({}));
    expect(result).toMatchObject({ ok: false, reason: 'not_configured', steps: [] });
    expect(!result.ok && result.message).toMatch(/wrangler secret put (OKTA_API_TOKEN|GRAPH_CLIENT_SECRET|GOOGLE_SERVICE_ACCOUNT_KEY)/);
  });
});

describe('throttling', () => {
  it('okta: waits until X-Rate-Limit-Reset after a 429, then succeeds', async () => {
    await fake('respondOkta', 'throttle', { times: 1 });
    const result = await okta().perform('disable_account', users.okta, context());
    expectOk(result);
    expect(result.steps.slice(0, 2)).toEqual([
      { request: 'GET /api/v1/users/homer.simpson%40duff.com', status: 429, attempt: 1 },
      { request: 'GET /api/v1/users/homer.simpson%40duff.com', status: 200, attempt: 2 },
    ]);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeLessThanOrEqual(2000); // the reset is at most a second or two away, not the 60 s cap
    expect((await oktaState()).status).toBe('SUSPENDED');
  });

  it('entra_id: honours Retry-After on a 429, then succeeds', async () => {
    await fake('respondMsGraph', 'fail', {
      status: 429,
      times: 1,
      retryAfterSeconds: 7,
      body: JSON.stringify({ error: { code: 'TooManyRequests', message: 'Too many requests.', innerError: {} } }),
    });
    const result = await entra().perform('disable_account', users.entra_id, context());
    expectOk(result);
    expect(waits).toEqual([7000]);
    // 429, then (the token cached before beforeEach revoked it) 401 → fresh token → 200, then the PATCH.
    expect(result.steps.map((s) => s.status)).toEqual([429, 401, 200, 204]);
    expect(result.steps.map((s) => s.attempt)).toEqual([1, 2, 2, 1]);
  });

  it('google_workspace: retries a 429 and a 403 userRateLimitExceeded', async () => {
    await fake('respondGoogleAdmin', 'fail', { status: 429, times: 1, retryAfterSeconds: 3 });
    const first = await google().perform('terminate_sessions', users.google_workspace, context());
    expectOk(first);
    expect(waits).toEqual([3000]);
    const quota = { error: { code: 403, message: 'Quota exceeded for quota metric', errors: [{ message: 'Quota exceeded', domain: 'usageLimits', reason: 'userRateLimitExceeded' }], status: 'PERMISSION_DENIED' } };
    await fake('respondGoogleAdmin', 'fail', { status: 403, times: 1, body: JSON.stringify(quota) });
    const second = await google().perform('disable_account', users.google_workspace, context());
    expectOk(second);
    expect(second.steps.map((s) => s.status)).toEqual([403, 200, 200]);
    expect(waits).toEqual([3000, 1]); // no Retry-After on the quota 403: the policy's backoff
    expect((await googleState()).suspended).toBe(true);
  });

  it('gives up with rate_limited and the vendor message when the 429s do not stop', async () => {
    await fake('respondOkta', 'throttle', { times: 10 });
    const result = await okta().perform('terminate_sessions', users.okta, context());
    expect(result).toMatchObject({ ok: false, reason: 'rate_limited', status: 429 });
    expect(!result.ok && result.message).toContain('E0000047');
    expect(!result.ok && result.message).toContain('gave up after 3 attempts');
    expect(result.steps).toHaveLength(3);
  });
});

describe('the outbound guard', () => {
  it('refuses an Okta org URL on a link-local address, sending nothing', async () => {
    const result = await okta({ orgUrl: 'https://169.254.169.254' }).perform('disable_account', users.okta, context());
    expect(result).toMatchObject({ ok: false, reason: 'refused', status: null });
    expect(!result.ok && result.message).toContain('link-local');
    expect(result.steps).toEqual([{ request: 'GET /api/v1/users/homer.simpson%40duff.com', status: null, attempt: 1 }]);
  });

  it('refuses a Microsoft token URL on a private address: the client secret is never sent', async () => {
    // What reaches the network below the guard (the fakes' logs are shared with the playbook tests running alongside).
    const sent: string[] = [];
    const ctx = {
      ...context(),
      fetch: guardedFetch(parseAllowList(env.OUTBOUND_ALLOWLIST), (input, init) => {
        sent.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      }),
    };
    const result = await entra({ tokenUrl: 'https://10.1.2.3/tenant/oauth2/v2.0/token' }).perform('disable_account', users.entra_id, ctx);
    expect(result).toMatchObject({ ok: false, reason: 'refused', steps: [] });
    expect(!result.ok && result.message).toContain('10.1.2.3 is a private address');
    expect(sent).toEqual([]);
  });

  it('refuses a plain-http Directory API URL that is not allow-listed, after no token left for it', async () => {
    const result = await google({ directoryBaseUrl: 'http://admin.googleapis.example' }).perform('terminate_sessions', users.google_workspace, context());
    expect(result).toMatchObject({ ok: false, reason: 'refused' });
    expect(!result.ok && result.message).toContain('only https URLs are allowed');
  });
});

describe('secrets stay out of results and logs', () => {
  const spies: { mock: { calls: unknown[][] }; mockRestore(): void }[] = [];
  afterEach(() => {
    for (const s of spies.splice(0)) s.mockRestore();
  });

  it('never puts a token, client secret, private key or access token in a result or a log line', async () => {
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) spies.push(vi.spyOn(console, level));
    const results: ResponseResult[] = [];
    for (const provider of Object.keys(responders) as Provider[]) {
      for (const action of responseActions) results.push(await responders[provider]().perform(action, users[provider], context()));
      results.push(await responders[provider]().perform('disable_account', 'nobody@nowhere.test', context()));
    }
    await fake('respondMsLogin', 'graph-roles', { roles: ['User.Read.All'] });
    await fake('respondMsLogin', 'revoke-tokens');
    results.push(await entra().perform('force_password_reset', users.entra_id, context()));
    results.push(await okta().perform('terminate_sessions', users.okta, context({ OKTA_API_TOKEN: oktaReadOnlyToken })));

    // The access tokens the fakes issued, as seen on the wire.
    const bearerTokens = [...(await requests('respondMsGraph')), ...(await requests('respondGoogleAdmin'))]
      .map((r) => r.headers.authorization)
      .filter((h): h is string => typeof h === 'string')
      .map((h) => h.replace(/^Bearer /, ''));
    expect(bearerTokens.length).toBeGreaterThan(0);
    const privateKey = (JSON.parse(googleKeyFile) as { private_key: string }).private_key;
    const secrets = [oktaToken, oktaReadOnlyToken, clientSecret, privateKey.split('\n')[1]!, ...new Set(bearerTokens)];

    const written = [JSON.stringify(results), ...spies.flatMap((s) => s.mock.calls.map((c) => JSON.stringify(c)))].join('\n');
    for (const secret of secrets) expect(written).not.toContain(secret);
    // The failures are part of what is checked: unknown users and refusals carry vendor messages too.
    const reasons = results.filter((r) => !r.ok).map((r) => !r.ok && r.reason);
    expect(reasons.filter((r) => r === 'not_found')).toHaveLength(3);
    expect(reasons.filter((r) => r === 'forbidden').length).toBeGreaterThanOrEqual(2);
  });
});

describe('the responder registry (IDENTITY_RESPONDERS)', () => {
  const setting = () =>
    JSON.stringify([
      { provider: 'okta', orgUrl: origin('respondOkta') },
      { provider: 'entra_id', tenantId, clientId, tokenUrl: `${origin('respondMsLogin')}/${tenantId}/oauth2/v2.0/token`, graphBaseUrl: origin('respondMsGraph') },
      { provider: 'google_workspace', delegatedAdmin: 'admin@acme.test', tokenUrl: `${origin('respondGoogleOAuth')}/token`, directoryBaseUrl: origin('respondGoogleAdmin') },
    ]);

  it('builds one responder per entry, with the collectors’ secret names by default', () => {
    const parsed = parseIdentityResponders(setting());
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.responders.map((r: IdentityResponder) => [r.provider, r.id, r.secretNames])).toEqual([
      ['okta', 'okta', ['OKTA_API_TOKEN']],
      ['entra_id', 'entra_id', ['GRAPH_CLIENT_SECRET']],
      ['google_workspace', 'google_workspace', ['GOOGLE_SERVICE_ACCOUNT_KEY']],
    ]);
    expect(parseIdentityResponders('')).toEqual({ ok: true, responders: [] });
  });

  it.each([
    ['{', 'IDENTITY_RESPONDERS is not valid JSON'],
    ['{}', 'must be a JSON array'],
    ['[{"provider":"okta"}]', 'IDENTITY_RESPONDERS[0]: orgUrl'],
    ['[{"provider":"onelogin","orgUrl":"https://x"}]', 'IDENTITY_RESPONDERS[0]: provider'],
    ['[{"provider":"okta","orgUrl":"https://a.okta.com"},{"provider":"okta","orgUrl":"https://b.okta.com"}]', 'id "okta" is used twice'],
  ])('rejects %s', (value, message) => {
    const parsed = parseIdentityResponders(value);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain(message);
  });

  it('keeps only the responders whose secrets are set', () => {
    const parsed = parseIdentityResponders(setting());
    if (!parsed.ok) throw new Error(parsed.message);
    const present: Record<string, string> = { GRAPH_CLIENT_SECRET: clientSecret };
    expect(configuredResponders(parsed.responders, (n) => present[n]).map((r) => r.provider)).toEqual(['entra_id']);
  });

  it('contains a user on every provider that knows them, and records the rest as not_found', async () => {
    const parsed = parseIdentityResponders(setting());
    if (!parsed.ok) throw new Error(parsed.message);
    const results = await respondEverywhere(parsed.responders, ['terminate_sessions', 'disable_account'], 'alice@acme.test', context());
    expect(results.map((r) => [r.provider, r.action, r.ok ? 'ok' : r.reason])).toEqual([
      ['okta', 'terminate_sessions', 'not_found'],
      ['entra_id', 'terminate_sessions', 'ok'],
      ['entra_id', 'disable_account', 'ok'],
      ['google_workspace', 'terminate_sessions', 'not_found'],
    ]);
    expect((await graphState()).accountEnabled).toBe(false);
  });
});

describe('the contain-user playbook asks the identity providers to contain the user', () => {
  // vitest.workers.config.ts configures IDENTITY_RESPONDERS with the Okta and Entra fakes of this file.
  let introspector: Awaited<ReturnType<typeof introspectWorkflow>> | undefined;
  afterEach(async () => {
    await introspector?.dispose();
  });

  it('ends sessions, revokes tokens and suspends the user on approval, and records every answer in the run', async () => {
    const tokens: Record<Role, string> = await tokensByRole();
    const requester = await createToken('responder', { name: 'identity-requester' });
    introspector = await introspectWorkflow(env.PLAYBOOKS);
    const started = await callJson<{ id: string }>('POST', '/api/playbooks/runs', {
      token: requester.token,
      json: { playbook: 'contain-user', userId: users.okta, reason: 'session hijack from a new ASN' },
    });
    expect(started.status).toBe(202);
    const [instance] = await introspector.get();
    await instance!.waitForStepResult({ name: 'await-approval' });
    expect((await oktaState()).status).toBe('ACTIVE'); // nothing happens before approval

    const approved = await callJson('POST', `/api/playbooks/runs/${started.body.id}/decision`, { token: tokens.responder, json: { approve: true } });
    expect(approved.status).toBe(200);
    await instance!.waitForStatus('complete');

    expect(await oktaState()).toMatchObject({ status: 'SUSPENDED', sessions: 0, clients: [] });
    const row = await callJson<{ status: string; result: { identityResponses: { responders: string[]; results: ResponseResult[] } } }>(
      'GET',
      `/api/playbooks/runs/${started.body.id}`,
      { token: tokens.viewer },
    );
    expect(row.body.status).toBe('complete');
    const summary = row.body.result.identityResponses;
    expect(summary.responders).toEqual(['okta/okta-test', 'entra_id/entra-test']);
    expect(summary.results.map((r) => [r.provider, r.action, r.ok ? 'ok' : r.reason])).toEqual([
      ['okta', 'terminate_sessions', 'ok'],
      ['okta', 'revoke_tokens', 'ok'], // terminate_sessions already revoked them: nothing left, still ok
      ['okta', 'disable_account', 'ok'],
      ['entra_id', 'terminate_sessions', 'not_found'], // Homer has no Entra account
    ]);
    expect(JSON.stringify(summary)).not.toContain(oktaToken);
  });
});
