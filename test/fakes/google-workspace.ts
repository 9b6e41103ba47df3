/**
 * Loopback fakes of Google's OAuth token endpoint (oauth2.googleapis.com) and the Admin SDK Reports API
 * (admin.googleapis.com), each on its own port as on its own host, sharing the tokens issued.
 *
 * - `POST /token`, `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>`: the assertion is checked
 *   as Google checks it — a known service account (`iss`), an RS256 signature by one of its keys (`kid`), `aud` =
 *   this endpoint, `exp - iat` at most one hour around now, scopes granted to the account by domain-wide
 *   delegation, and an existing user as `sub` — with Google's error bodies ("Invalid JWT Signature.",
 *   "Invalid JWT: Failed audience check.", unauthorized_client, "Invalid email or User ID"…); answers
 *   `{access_token, expires_in, token_type}`.
 * - `GET /admin/reports/v1/activity/users/all/applications/{applicationName}?startTime&endTime&maxResults&pageToken`:
 *   a bearer token with the reports audit scope, acting for an admin of the customer named by `customerId` if sent
 *   (401 UNAUTHENTICATED, 403 "Not Authorized to access this resource/api"); activities newest first with `startTime <= id.time <= endTime`, `maxResults`
 *   1–1000, and `nextPageToken`, only valid with the query it came from.
 *
 * Activities are the real samples of the shared corpus (logs/google-workspace, p_* keys dropped); Panther's
 * flattened events are put back in the API's shape (`events: [{type, name, parameters: [{name, value |
 * boolValue | intValue | multiValue | messageValue …}]}]`), each given a unique `uniqueQualifier` and a recent time.
 * The service account's key pair is generated at start; its JSON key file (and a rogue key file with an
 * unregistered key) is the answer of POST /__fake/service-account on the token server.
 *
 * The Admin server also serves the Directory API calls of the identity responder (adapters/google_workspace/respond.ts)
 * on a small directory (POST /__fake/directory answers its state): `GET users/{userKey}`, `PUT|PATCH users/{userKey}`
 * (suspended, changePasswordAtNextLogin), `POST users/{userKey}/signOut`, `GET users/{userKey}/tokens`, `DELETE
 * users/{userKey}/tokens/{clientId}`, `POST users/{userKey}/twoStepVerification/turnOff` and `POST
 * users/{userKey}/verificationCodes/invalidate`, under /admin/directory/v1, each checking the scope Google documents
 * for it (admin.directory.user or admin.directory.user.security; 403 insufficientPermissions) and that the token acts
 * for an admin (403 "Not Authorized to access this resource/api"); 404 notFound for an unknown user. The scopes
 * delegated to the service account are set with POST /__fake/delegate {scopes} on the token server. What turnOff
 * answers for a user not enrolled in 2SV is not documented; the fake answers 400 failedPrecondition, and the
 * responder does not call it then.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { decodeJwt, decodeProtectedHeader, exportPKCS8, generateKeyPair, jwtVerify, type CryptoKey } from 'jose';
import { sendJson, startFakeServer, type FakeRequest, type RunningFake } from './fake-server';

export const googleFakeServiceAccount = 'mantissa-collector@acme-prod.iam.gserviceaccount.com';
export const googleFakeAdmin = 'admin@acme.test';
export const googleFakeUser = 'user@acme.test';
/** The domain's customer id: the `customerId` parameter must name it when sent. */
export const googleFakeCustomer = 'C01acme00';
const reportsScope = 'https://www.googleapis.com/auth/admin.reports.audit.readonly';
const directoryUserScope = 'https://www.googleapis.com/auth/admin.directory.user';
const directoryUserReadonlyScope = 'https://www.googleapis.com/auth/admin.directory.user.readonly';
const directoryUserSecurityScope = 'https://www.googleapis.com/auth/admin.directory.user.security';
const defaultDelegatedScopes = [reportsScope, directoryUserScope, directoryUserSecurityScope];

export interface FakeDirectoryUser {
  id: string;
  primaryEmail: string;
  aliases: string[];
  suspended: boolean;
  changePasswordAtNextLogin: boolean;
  isEnrolledIn2Sv: boolean;
  isEnforcedIn2Sv: boolean;
  signOuts: number;
  backupCodesInvalidated: number;
  tokens: { clientId: string; displayText: string; scopes: string[]; anonymous: boolean; nativeApp: boolean }[];
}

function initialDirectory(): FakeDirectoryUser[] {
  return [
    { id: '100000000000000000001', primaryEmail: googleFakeAdmin, aliases: [], suspended: false, changePasswordAtNextLogin: false, isEnrolledIn2Sv: true, isEnforcedIn2Sv: true, signOuts: 0, backupCodesInvalidated: 0, tokens: [] },
    {
      id: '100000000000000000002',
      primaryEmail: googleFakeUser,
      aliases: ['u.ser@acme.test'],
      suspended: false,
      changePasswordAtNextLogin: false,
      isEnrolledIn2Sv: true,
      isEnforcedIn2Sv: true,
      signOuts: 0,
      backupCodesInvalidated: 0,
      tokens: [
        { clientId: '292824132082.apps.googleusercontent.com', displayText: 'Zapier', scopes: ['https://mail.google.com/'], anonymous: false, nativeApp: false },
        { clientId: '1071289245-calendar.apps.googleusercontent.com', displayText: 'Calendly', scopes: ['https://www.googleapis.com/auth/calendar'], anonymous: false, nativeApp: false },
      ],
    },
  ];
}
const applications = ['login', 'admin', 'drive', 'token'];

type Json = Record<string, unknown>;

interface IssuedToken {
  subject: string;
  scopes: string[];
  expiresAt: number;
}

/** Panther's flattened parameter object → the API's parameter list. */
function apiParameters(params: unknown): Json[] {
  if (!params || typeof params !== 'object' || Array.isArray(params)) return [];
  const out: Json[] = [];
  for (const [name, v] of Object.entries(params as Json)) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'boolean') out.push({ name, boolValue: v });
    else if (typeof v === 'number') out.push({ name, intValue: String(v) });
    else if (typeof v === 'string') out.push({ name, value: v });
    else if (Array.isArray(v)) {
      if (v.every((x) => typeof x === 'string')) out.push({ name, multiValue: v });
      else if (v.every((x) => typeof x === 'number')) out.push({ name, multiIntValue: v.map(String) });
      else out.push({ name, multiMessageValue: v.map((x) => ({ parameter: apiParameters(x) })) });
    } else out.push({ name, messageValue: { parameter: apiParameters(v) } });
  }
  return out;
}

function activityPools(corpusDir: string): Record<string, Json[]> {
  const dir = join(corpusDir, 'logs', 'google-workspace');
  const pools: Record<string, Json[]> = {};
  const records = readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson'))
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim() !== ''))
    .map((l) => Object.fromEntries(Object.entries(JSON.parse(l) as Json).filter(([k]) => !k.startsWith('p_'))));
  for (const r of records) {
    const id = r.id as Json | undefined;
    const app = typeof id?.applicationName === 'string' ? id.applicationName : null;
    if (!app || !applications.includes(app)) continue;
    const { type, name, parameters, ...envelope } = r;
    const events = Array.isArray(r.events) ? r.events : [{ type, name, parameters: apiParameters(parameters) }];
    (pools[app] ??= []).push({ ...envelope, kind: 'admin#reports#activity', events });
  }
  return pools;
}

function googleError(res: ServerResponse, status: number, message: string, reason: string, statusText: string) {
  sendJson(res, status, { error: { code: status, message, errors: [{ message, domain: 'global', reason }], status: statusText } });
}

function oauthError(res: ServerResponse, status: number, error: string, description: string) {
  sendJson(res, status, { error, error_description: description });
}

function bearer(req: FakeRequest): string | null {
  const header = req.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
}

async function keyFile(kid: string, privateKey: CryptoKey, tokenUri: string): Promise<Json> {
  return {
    type: 'service_account',
    project_id: 'acme-prod',
    private_key_id: kid,
    private_key: await exportPKCS8(privateKey),
    client_email: googleFakeServiceAccount,
    client_id: '104857600000000000001',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: tokenUri,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(googleFakeServiceAccount)}`,
    universe_domain: 'googleapis.com',
  };
}

export async function startGoogleWorkspaceFakes(corpusDir: string): Promise<{ oauth: RunningFake; reports: RunningFake }> {
  const tokens = new Map<string, IssuedToken>();
  const registered = await generateKeyPair('RS256', { extractable: true });
  const rogue = await generateKeyPair('RS256', { extractable: true });
  const registeredKid = randomUUID().replace(/-/g, '');
  const rogueKid = randomUUID().replace(/-/g, '');
  /** Keys of the service account, by kid; the rogue key is not among them. */
  const publicKeys = new Map<string, CryptoKey>([[registeredKid, registered.publicKey]]);
  const users = new Map([
    [googleFakeAdmin, { admin: true }],
    [googleFakeUser, { admin: false }],
  ]);
  /** Domain-wide delegation: the scopes the Workspace admin granted to the service account's client id. */
  let delegatedScopes = new Set(defaultDelegatedScopes);
  let directory = initialDirectory();
  /** The JSON key files, once the token server's address is known. */
  let serviceAccount: { keyFile: Json; rogueKeyFile: Json } | null = null;

  const oauth = await startFakeServer(
    async (req, res, url) => {
      if (url.pathname !== '/token' || req.method !== 'POST') return sendJson(res, 404, { error: 'not_found' });
      const tokenUri = `http://${req.headers.host}/token`;
      const form = new URLSearchParams(req.body);
      const grantType = form.get('grant_type');
      if (grantType !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return oauthError(res, 400, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
      const assertion = form.get('assertion') ?? '';
      let claims: Json;
      let kid: string | undefined;
      try {
        claims = decodeJwt(assertion) as Json;
        kid = decodeProtectedHeader(assertion).kid;
      } catch {
        return oauthError(res, 400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
      }
      if (claims.iss !== googleFakeServiceAccount) return oauthError(res, 400, 'invalid_grant', 'Invalid grant: account not found');
      // With a kid, that key of the account; without one (Google's documented header is {alg, typ}), any of them.
      const candidates = kid ? [publicKeys.get(kid)].filter((k) => k !== undefined) : [...publicKeys.values()];
      let verified = false;
      for (const key of candidates) verified ||= await jwtVerify(assertion, key, { algorithms: ['RS256'] }).then(() => true, () => false);
      if (!verified) return oauthError(res, 400, 'invalid_grant', 'Invalid JWT Signature.');
      if (claims.aud !== tokenUri) return oauthError(res, 400, 'invalid_grant', 'Invalid JWT: Failed audience check.');
      const now = Math.floor(Date.now() / 1000);
      const iat = Number(claims.iat);
      const exp = Number(claims.exp);
      if (!Number.isFinite(iat) || !Number.isFinite(exp) || exp - iat > 3600 || iat > now + 300 || exp < now) {
        return oauthError(res, 400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
      }
      const scopes = String(claims.scope ?? '').split(' ').filter(Boolean);
      if (scopes.length === 0) return oauthError(res, 400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
      const subject = typeof claims.sub === 'string' ? claims.sub : '';
      if (!subject || !scopes.every((s) => delegatedScopes.has(s))) {
        return oauthError(res, 401, 'unauthorized_client', 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.');
      }
      if (!users.has(subject)) return oauthError(res, 400, 'invalid_grant', 'Invalid email or User ID');
      const token = `ya29.c.fake-${randomUUID()}`;
      tokens.set(token, { subject, scopes, expiresAt: Date.now() + 3599_000 });
      sendJson(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
    },
    (action, raw) => {
      // service-account: the account's JSON key file, and one with the same email and an unregistered key.
      if (action === 'service-account') return serviceAccount;
      if (action === 'revoke-tokens') tokens.clear();
      // delegate: the scopes granted to the service account by domain-wide delegation, from now on.
      if (action === 'delegate') delegatedScopes = new Set((raw as { scopes?: string[] } | null)?.scopes ?? defaultDelegatedScopes);
      if (action === 'reset') delegatedScopes = new Set(defaultDelegatedScopes);
      return { tokens: tokens.size };
    },
  );
  const tokenUri = `${oauth.origin}/token`;
  serviceAccount = { keyFile: await keyFile(registeredKid, registered.privateKey, tokenUri), rogueKeyFile: await keyFile(rogueKid, rogue.privateKey, tokenUri) };

  const pools = activityPools(corpusDir);
  let served: Record<string, Json[]> = {};
  let serial = 0;
  let base = Date.now();
  const make = (application: string, at: number): Json => {
    const pool = pools[application]!;
    const n = serial++;
    const sample = pool[n % pool.length]!;
    return {
      ...sample,
      etag: `"fake-etag-${n}"`,
      id: { ...(sample.id as Json), applicationName: application, customerId: googleFakeCustomer, time: new Date(at).toISOString(), uniqueQualifier: String(-4611686018427387904n - BigInt(n)) },
    };
  };
  const reset = (perApplication: number) => {
    base = Date.now() - 2 * 3600_000;
    serial = 0;
    served = Object.fromEntries(applications.map((a, ai) => [a, Array.from({ length: perApplication }, (_, i) => make(a, base + ai * 1000 + i * 10_000))]));
  };
  reset(8);

  const directoryApi = (req: FakeRequest, res: ServerResponse, url: URL) => {
    const token = bearer(req);
    const issued = token ? tokens.get(token) : undefined;
    if (!issued || issued.expiresAt < Date.now()) {
      return googleError(res, 401, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.', 'authError', 'UNAUTHENTICATED');
    }
    const m = /^\/admin\/directory\/v1\/users\/([^/]+)(?:\/(signOut|tokens|tokens\/([^/]+)|twoStepVerification\/turnOff|verificationCodes\/invalidate))?$/.exec(url.pathname);
    if (!m) return googleError(res, 404, 'Not Found', 'notFound', 'NOT_FOUND');
    const route = `${req.method} ${m[3] ? 'tokens/{clientId}' : (m[2] ?? '')}`;
    const scopesFor: Record<string, string[]> = {
      'GET ': [directoryUserScope, directoryUserReadonlyScope],
      'PUT ': [directoryUserScope],
      'PATCH ': [directoryUserScope],
      'POST signOut': [directoryUserSecurityScope],
      'GET tokens': [directoryUserSecurityScope],
      'DELETE tokens/{clientId}': [directoryUserSecurityScope],
      'POST twoStepVerification/turnOff': [directoryUserSecurityScope],
      'POST verificationCodes/invalidate': [directoryUserSecurityScope],
    };
    const needed = scopesFor[route];
    if (!needed) return googleError(res, 405, 'Method Not Allowed', 'methodNotAllowed', 'INVALID_ARGUMENT');
    if (!needed.some((scope) => issued.scopes.includes(scope))) return googleError(res, 403, 'Request had insufficient authentication scopes.', 'insufficientPermissions', 'PERMISSION_DENIED');
    if (!users.get(issued.subject)?.admin) return googleError(res, 403, 'Not Authorized to access this resource/api', 'forbidden', 'PERMISSION_DENIED');
    const key = decodeURIComponent(m[1]!).toLowerCase();
    const user = directory.find((u) => u.id === key || u.primaryEmail === key || u.aliases.includes(key));
    if (!user) return googleError(res, 404, 'Resource Not Found: userKey', 'notFound', 'NOT_FOUND');
    const resource = () => ({
      kind: 'admin#directory#user',
      id: user.id,
      etag: `"fake-${user.id}-${Number(user.suspended)}${Number(user.changePasswordAtNextLogin)}${Number(user.isEnrolledIn2Sv)}"`,
      primaryEmail: user.primaryEmail,
      name: { givenName: user.primaryEmail.split('@')[0], familyName: 'Test', fullName: `${user.primaryEmail.split('@')[0]} Test` },
      isAdmin: users.get(user.primaryEmail)?.admin ?? false,
      suspended: user.suspended,
      ...(user.suspended ? { suspensionReason: 'ADMIN' } : {}),
      changePasswordAtNextLogin: user.changePasswordAtNextLogin,
      isEnrolledIn2Sv: user.isEnrolledIn2Sv,
      isEnforcedIn2Sv: user.isEnforcedIn2Sv,
      aliases: user.aliases,
      customerId: googleFakeCustomer,
      orgUnitPath: '/',
    });
    const empty = () => {
      res.writeHead(204);
      res.end();
    };
    switch (route) {
      case 'GET ':
        return sendJson(res, 200, resource());
      case 'PUT ':
      case 'PATCH ': {
        const body = JSON.parse(req.body || '{}') as { suspended?: unknown; changePasswordAtNextLogin?: unknown };
        if (typeof body.suspended === 'boolean') user.suspended = body.suspended;
        if (typeof body.changePasswordAtNextLogin === 'boolean') user.changePasswordAtNextLogin = body.changePasswordAtNextLogin;
        return sendJson(res, 200, resource());
      }
      case 'POST signOut':
        user.signOuts++;
        return empty();
      case 'GET tokens':
        return sendJson(res, 200, {
          kind: 'admin#directory#tokenList',
          etag: `"fake-tokens-${user.tokens.length}"`,
          ...(user.tokens.length ? { items: user.tokens.map((t) => ({ kind: 'admin#directory#token', etag: '"fake"', userKey: user.id, ...t })) } : {}),
        });
      case 'DELETE tokens/{clientId}': {
        const clientId = decodeURIComponent(m[3]!);
        if (!user.tokens.some((t) => t.clientId === clientId)) return googleError(res, 404, 'Resource Not Found: clientId', 'notFound', 'NOT_FOUND');
        user.tokens = user.tokens.filter((t) => t.clientId !== clientId);
        return empty();
      }
      case 'POST twoStepVerification/turnOff':
        if (!user.isEnrolledIn2Sv) return googleError(res, 400, 'Precondition Failed', 'failedPrecondition', 'FAILED_PRECONDITION');
        user.isEnrolledIn2Sv = false;
        return empty();
      case 'POST verificationCodes/invalidate':
        user.backupCodesInvalidated++;
        return empty();
      default:
        return googleError(res, 405, 'Method Not Allowed', 'methodNotAllowed', 'INVALID_ARGUMENT');
    }
  };

  const reports = await startFakeServer(
    (req, res, url) => {
      if (url.pathname.startsWith('/admin/directory/v1/')) return directoryApi(req, res, url);
      const match = /^\/admin\/reports\/v1\/activity\/users\/([^/]+)\/applications\/([^/]+)$/.exec(url.pathname);
      if (!match || req.method !== 'GET') return googleError(res, 404, 'Not Found', 'notFound', 'NOT_FOUND');
      const token = bearer(req);
      const issued = token ? tokens.get(token) : undefined;
      if (!issued || issued.expiresAt < Date.now()) {
        return googleError(
          res,
          401,
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
          'authError',
          'UNAUTHENTICATED',
        );
      }
      if (!issued.scopes.includes(reportsScope)) return googleError(res, 403, 'Request had insufficient authentication scopes.', 'insufficientPermissions', 'PERMISSION_DENIED');
      if (!users.get(issued.subject)?.admin) return googleError(res, 403, 'Not Authorized to access this resource/api', 'forbidden', 'PERMISSION_DENIED');
      const application = match[2]!;
      if (match[1] !== 'all' || !applications.includes(application)) return googleError(res, 400, `Invalid value '${application}'. Values must match the following regular expression: '(access_transparency)|(admin)|(calendar)|(chat)|(drive)|(gcp)|(gplus)|(groups)|(groups_enterprise)|(jamboard)|(login)|(meet)|(mobile)|(rules)|(saml)|(token)|(user_accounts)|(context_aware_access)|(chrome)|(data_studio)|(keep)'`, 'invalid', 'INVALID_ARGUMENT');
      const customerId = url.searchParams.get('customerId');
      if (customerId !== null && customerId !== googleFakeCustomer) return googleError(res, 403, 'Not Authorized to access this resource/api', 'forbidden', 'PERMISSION_DENIED');
      const startTime = url.searchParams.get('startTime');
      const endTime = url.searchParams.get('endTime');
      const start = startTime ? Date.parse(startTime) : 0;
      const end = endTime ? Date.parse(endTime) : Date.now();
      if (Number.isNaN(start) || Number.isNaN(end)) return googleError(res, 400, 'Bad Request', 'badRequest', 'INVALID_ARGUMENT');
      if (start > end) return googleError(res, 400, 'Start time must be less than or equal to the end time.', 'invalid', 'INVALID_ARGUMENT');
      const maxResults = Number(url.searchParams.get('maxResults') ?? 1000);
      if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) return googleError(res, 400, 'Invalid value for maxResults.', 'invalid', 'INVALID_ARGUMENT');
      const query = `${application}|${startTime}|${endTime}|${maxResults}`;
      const pageToken = url.searchParams.get('pageToken');
      let offset = 0;
      if (pageToken !== null) {
        const decoded = (() => {
          try {
            return JSON.parse(Buffer.from(pageToken, 'base64url').toString()) as { o?: unknown; q?: unknown };
          } catch {
            return null;
          }
        })();
        if (!decoded || decoded.q !== query || typeof decoded.o !== 'number') return googleError(res, 400, 'Invalid page token.', 'invalid', 'INVALID_ARGUMENT');
        offset = decoded.o;
      }
      const matching = (served[application] ?? [])
        .filter((a) => {
          const t = Date.parse(String((a.id as Json).time));
          return t >= start && t <= end;
        })
        .sort((a, b) => Date.parse(String((b.id as Json).time)) - Date.parse(String((a.id as Json).time)));
      const items = matching.slice(offset, offset + maxResults);
      const body: Json = { kind: 'admin#reports#activities', etag: `"fake-${randomUUID()}"` };
      if (items.length > 0) body.items = items;
      if (offset + maxResults < matching.length) body.nextPageToken = Buffer.from(JSON.stringify({ o: offset + maxResults, q: query })).toString('base64url');
      sendJson(res, 200, body);
    },
    (action, raw) => {
      const body = raw as { perApplication?: number; application?: string; count?: number } | null;
      if (action === 'directory') return directory;
      if (action === 'reset') {
        reset(body?.perApplication ?? 8);
        directory = initialDirectory();
      }
      else if (action === 'add') {
        const application = body?.application ?? 'login';
        const list = (served[application] ??= []);
        const newest = Math.max(base, ...list.map((a) => Date.parse(String((a.id as Json).time))));
        for (let i = 0; i < (body?.count ?? 1); i++) list.push(make(application, newest + (i + 1) * 10_000));
      }
      return Object.fromEntries(Object.entries(served).map(([a, list]) => [a, list.length]));
    },
  );

  return { oauth, reports };
}
