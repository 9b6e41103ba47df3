/**
 * Loopback fakes of three Microsoft services, each on its own port as on its own host, sharing the tokens issued:
 *
 * - the Microsoft identity platform token endpoint (login.microsoftonline.com): `POST /{tenant}/oauth2/v2.0/token`,
 *   client credentials grant; checks tenant, client id, client secret and a `/.default` scope the way Entra ID
 *   does (AADSTS90002, AADSTS700016, AADSTS7000215, AADSTS1002012 bodies) and answers
 *   `{token_type, expires_in, ext_expires_in, access_token}`; the token carries its audience and app roles;
 * - Microsoft Graph (graph.microsoft.com): `GET /{v1.0|beta}/auditLogs/{signIns|directoryAudits}` with a bearer
 *   token for https://graph.microsoft.com and the AuditLog.Read.All role (401 InvalidAuthenticationToken, 403
 *   Authorization_RequestDenied), `$filter` on the time field (ge/le/gt/lt joined by `and`), `$orderby`, `$top`
 *   (1000 at most and by default) and `@odata.nextLink` carrying an opaque `$skiptoken` bound to the query;
 * - the Office 365 Management Activity API (manage.office.com): `POST …/subscriptions/start` (AF20024 when already
 *   enabled), `GET …/subscriptions/content` (AF20022 without a subscription, AF20055 for a window over 24 hours
 *   or starting more than 7 days back, `startTime <= contentCreated < endTime`, pages continued by the
 *   `NextPageUri` header), `GET …/audit/{contentId}` (a JSON array of records; AF20051 once expired); a bearer
 *   token for https://manage.office.com with ActivityFeed.Read and the URL's tenant (401 "Authorization has been
 *   denied for this request.", AF10001, AF20010).
 *
 * They serve the real samples of the shared corpus (logs/azure-ad, logs/m365; p_* keys dropped): Graph sign-ins and
 * the Graph resources inside diagnostic-settings records, and Management API audit records (keys lower-cased by a
 * pipeline restored to the API's PascalCase), each given a unique id and a recent time.
 * Admin (per server): POST /__fake/reset, /__fake/fail, GET /__fake/requests, and actions named below.
 *
 * Graph also serves the user-management calls of the identity responder (adapters/entra_id/respond.ts) on a small
 * directory (POST /__fake/directory on the Graph server answers its state): `GET /v1.0/users/{id|userPrincipalName}`
 * ($select honoured; 404 Request_ResourceNotFound), `POST /v1.0/users/{id}/revokeSignInSessions` (moves
 * signInSessionsValidFromDateTime to now), `PATCH /v1.0/users/{id}` (accountEnabled, passwordProfile), `GET
 * /v1.0/users/{id}/authentication/methods` and `DELETE /v1.0/users/{id}/authentication/{type}Methods/{methodId}`, each
 * checking the app role Graph documents for it (403 Authorization_RequestDenied without it). The roles granted to the
 * app are set with POST /__fake/graph-roles {roles} on the token server and apply to tokens issued afterwards.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeServer, type FakeRequest, type RunningFake } from './fake-server';

export const microsoftFakeTenant = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
export const microsoftFakeClientId = 'b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e';
export const microsoftFakeClientSecret = 'fake~Q8~client-secret-value';

const graphResource = 'https://graph.microsoft.com';
const manageResource = 'https://manage.office.com';
const contentTypes = ['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.SharePoint', 'Audit.General', 'DLP.All'];

type Json = Record<string, unknown>;

interface IssuedToken {
  audience: string;
  tenant: string;
  roles: string[];
  expiresAt: number;
}

interface Blob {
  contentType: string;
  contentId: string;
  created: number;
  expired: boolean;
  records: Json[];
}

function corpus(corpusDir: string, dir: string): Json[] {
  const path = join(corpusDir, 'logs', dir);
  return readdirSync(path)
    .filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson'))
    .sort()
    .flatMap((f) => readFileSync(join(path, f), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => ({ file: f, record: JSON.parse(l) as Json })))
    .map(({ file, record }) => ({ ...Object.fromEntries(Object.entries(record).filter(([k]) => !k.startsWith('p_'))), __file: file }));
}

function withoutFile(r: Json): Json {
  const { __file: _file, ...rest } = r;
  return rest;
}

/** The properties of Graph's `directoryAudit` resource (https://learn.microsoft.com/en-us/graph/api/resources/directoryaudit). */
const directoryAuditProperties = [
  'id',
  'category',
  'correlationId',
  'result',
  'resultReason',
  'activityDisplayName',
  'activityDateTime',
  'loggedByService',
  'operationType',
  'initiatedBy',
  'targetResources',
  'additionalDetails',
];

/**
 * Graph `signIn` and `directoryAudit` resources: as Graph serves them, or the `properties` of diagnostic-settings
 * records. Some exports flatten Log Analytics columns (tenantId, operationName, resultType, identity…) into the audit
 * properties; Graph has none of them, so only the resource's own properties are served.
 */
function graphPools(corpusDir: string): { signIns: Json[]; audits: Json[] } {
  const signIns: Json[] = [];
  const audits: Json[] = [];
  for (const r of corpus(corpusDir, 'azure-ad')) {
    const resource = r.properties && typeof r.properties === 'object' ? (r.properties as Json) : withoutFile(r);
    if ('createdDateTime' in resource && ('userPrincipalName' in resource || 'servicePrincipalId' in resource || 'appId' in resource)) signIns.push(resource);
    else if ('activityDisplayName' in resource) audits.push(Object.fromEntries(Object.entries(resource).filter(([k]) => directoryAuditProperties.includes(k))));
  }
  return { signIns, audits };
}

/** Management API keys a pipeline lower-cased (Panther's Exchange samples), back to the API's casing. */
const pascal: Record<string, string> = Object.fromEntries(
  ['ClientIP', 'CreationTime', 'ExternalAccess', 'Id', 'ObjectId', 'Operation', 'OrganizationId', 'OrganizationName', 'OriginatingServer', 'Parameters', 'RecordType', 'ResultStatus', 'UserId', 'UserKey', 'UserType', 'Workload'].map((k) => [
    k.toLowerCase(),
    k,
  ]),
);

function auditRecordPools(corpusDir: string): Record<string, Json[]> {
  const pools: Record<string, Json[]> = {};
  for (const r of corpus(corpusDir, 'm365')) {
    const workload = /Audit\.(AzureActiveDirectory|Exchange|SharePoint)/.exec(String(r.__file))?.[1];
    if (!workload) continue; // message trace rows come from another API
    const record = Object.fromEntries(Object.entries(withoutFile(r)).map(([k, v]) => [pascal[k] ?? k, v]));
    (pools[`Audit.${workload}`] ??= []).push(record);
  }
  return pools;
}

function guid(prefix: string, i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `${prefix.padEnd(8, '0').slice(0, 8)}-0000-4000-8000-${hex}`;
}

function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function entraError(res: ServerResponse, status: number, error: string, code: number, description: string) {
  const now = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  sendJson(res, status, {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${now}`,
    error_codes: [code],
    timestamp: now,
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
}

function graphError(res: ServerResponse, status: number, code: string, message: string) {
  sendJson(res, status, { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID(), 'client-request-id': randomUUID() } } });
}

function bearer(req: FakeRequest): string | null {
  const header = req.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
}

/** `$skiptoken` / `nextPage` / `pageToken`: the offset, bound to the query it belongs to. */
function encodeToken(offset: number, query: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: query })).toString('base64url');
}

function decodeToken(token: string, query: string): number | null {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString()) as { o?: unknown; q?: unknown };
    return t.q === query && typeof t.o === 'number' ? t.o : null;
  } catch {
    return null;
  }
}

/** The application permissions the fake app holds on Graph unless a test changes them. */
const defaultGraphRoles = [
  'AuditLog.Read.All',
  'Directory.Read.All',
  'User.Read.All',
  'User.RevokeSessions.All',
  'User.EnableDisableAccount.All',
  'User-PasswordProfile.ReadWrite.All',
  'UserAuthenticationMethod.ReadWrite.All',
];

export const microsoftFakeUser = 'alice@acme.test';
export const microsoftFakeDisabledUser = 'bob@acme.test';

export interface FakeGraphUser {
  id: string;
  userPrincipalName: string;
  accountEnabled: boolean;
  passwordProfile: { forceChangePasswordNextSignIn: boolean };
  signInSessionsValidFromDateTime: string;
  methods: { '@odata.type': string; id: string; [k: string]: unknown }[];
}

function initialGraphDirectory(): FakeGraphUser[] {
  const since = '2026-01-05T08:00:00Z';
  return [
    {
      id: '7d0f3c2a-1b4e-4c5d-9e8f-a1b2c3d4e5f6',
      userPrincipalName: microsoftFakeUser,
      accountEnabled: true,
      passwordProfile: { forceChangePasswordNextSignIn: false },
      signInSessionsValidFromDateTime: since,
      methods: [
        { '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: '28c10230-6103-485e-b985-444c60001490', createdDateTime: null },
        { '@odata.type': '#microsoft.graph.phoneAuthenticationMethod', id: '3179e48a-750b-4051-897c-87b9720928f7', phoneNumber: '+1 2065555555', phoneType: 'mobile', smsSignInState: 'notConfigured' },
        { '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', id: '6a1f5f7b-2c8d-4e9a-b0c1-d2e3f4a5b6c7', displayName: 'iPhone 15', deviceTag: 'SoftwareTokenActivated', phoneAppVersion: '6.8.9' },
        { '@odata.type': '#microsoft.graph.softwareOathAuthenticationMethod', id: 'b172893e-893e-4a5e-8e8e-1f2e3d4c5b6a', secretKey: null },
        { '@odata.type': '#microsoft.graph.fido2AuthenticationMethod', id: '-2_GRUg2-HYz6_1YG4YRAQ2', displayName: 'YubiKey 5', aaGuid: 'cb69481e-8ff7-4039-93ec-0a2729a154a8', model: 'YubiKey 5 NFC' },
      ],
    },
    {
      id: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
      userPrincipalName: microsoftFakeDisabledUser,
      accountEnabled: false,
      passwordProfile: { forceChangePasswordNextSignIn: false },
      signInSessionsValidFromDateTime: since,
      methods: [{ '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: '28c10230-6103-485e-b985-444c60001490', createdDateTime: null }],
    },
  ];
}

/** Graph's method type of each `…Methods` segment of /authentication. */
const methodSegments: Record<string, string> = {
  microsoftAuthenticatorMethods: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  phoneMethods: '#microsoft.graph.phoneAuthenticationMethod',
  softwareOathMethods: '#microsoft.graph.softwareOathAuthenticationMethod',
  fido2Methods: '#microsoft.graph.fido2AuthenticationMethod',
  emailMethods: '#microsoft.graph.emailAuthenticationMethod',
  windowsHelloForBusinessMethods: '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
  temporaryAccessPassMethods: '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
  platformCredentialMethods: '#microsoft.graph.platformCredentialAuthenticationMethod',
};

export async function startMicrosoftFakes(corpusDir: string): Promise<{ login: RunningFake; graph: RunningFake; manage: RunningFake }> {
  const tokens = new Map<string, IssuedToken>();
  let graphRoles = [...defaultGraphRoles];
  let directory = initialGraphDirectory();
  const pools = graphPools(corpusDir);
  const recordPools = auditRecordPools(corpusDir);

  // ---- identity platform ----
  const login = await startFakeServer(
    (req, res, url) => {
      const match = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
      if (!match || req.method !== 'POST') return sendJson(res, 404, { error: 'not_found' });
      const tenant = decodeURIComponent(match[1]!);
      const form = new URLSearchParams(req.body);
      if (tenant !== microsoftFakeTenant) {
        return entraError(res, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
      }
      if (form.get('grant_type') !== 'client_credentials') {
        return entraError(res, 400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
      }
      const clientId = form.get('client_id') ?? '';
      if (clientId !== microsoftFakeClientId) {
        return entraError(
          res,
          400,
          'unauthorized_client',
          700016,
          `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
        );
      }
      const secret = form.get('client_secret');
      if (!secret) return entraError(res, 401, 'invalid_client', 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
      if (secret !== microsoftFakeClientSecret) {
        return entraError(
          res,
          401,
          'invalid_client',
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
        );
      }
      const scope = form.get('scope') ?? '';
      const audience = [graphResource, manageResource].find((r) => scope === `${r}/.default`);
      if (!audience) {
        return entraError(
          res,
          400,
          'invalid_scope',
          1002012,
          `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        );
      }
      const token = `eyJ0eXAiOiJKV1Qi.fake-${randomUUID()}`;
      const roles = audience === graphResource ? [...graphRoles] : ['ActivityFeed.Read'];
      tokens.set(token, { audience, tenant, roles, expiresAt: Date.now() + 3599_000 });
      sendJson(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
    },
    (action, raw) => {
      // revoke-tokens: every token issued so far stops working (as after a secret rotation or an admin revocation).
      if (action === 'revoke-tokens') tokens.clear();
      // graph-roles: the application permissions admin-consented for the app, in tokens issued from now on.
      else if (action === 'graph-roles') graphRoles = [...((raw as { roles?: string[] } | null)?.roles ?? defaultGraphRoles)];
      else if (action === 'reset') graphRoles = [...defaultGraphRoles];
      return { tokens: tokens.size };
    },
  );

  // ---- Microsoft Graph: users (the identity responder's calls) ----
  const graphUsers = (req: FakeRequest, res: ServerResponse, url: URL) => {
    const token = bearer(req);
    if (!token) return graphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const issued = tokens.get(token);
    if (!issued || issued.audience !== graphResource) return graphError(res, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    if (issued.expiresAt < Date.now()) return graphError(res, 401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
    const allowed = (...roles: string[]) => roles.some((r) => issued.roles.includes(r));
    const denied = () => graphError(res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    const m = /^\/v1\.0\/users\/([^/]+)(?:\/(revokeSignInSessions|authentication\/methods|authentication\/(\w+Methods)\/([^/]+)))?$/.exec(url.pathname);
    if (!m) return graphError(res, 400, 'BadRequest', `Resource not found for the segment '${url.pathname.split('/').pop()}'.`);
    const key = decodeURIComponent(m[1]!);
    const user = directory.find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key.toLowerCase());
    const notFound = () =>
      graphError(res, 404, 'Request_ResourceNotFound', `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
    const origin = `http://${req.headers.host}`;
    if (!m[2] && req.method === 'GET') {
      if (!allowed('User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All')) return denied();
      if (!user) return notFound();
      const select = (url.searchParams.get('$select') ?? 'id,userPrincipalName,accountEnabled').split(',').map((x) => x.trim());
      const shown = Object.fromEntries(select.filter((k) => k in user && k !== 'methods').map((k) => [k, user[k as keyof FakeGraphUser]]));
      return sendJson(res, 200, { '@odata.context': `${origin}/v1.0/$metadata#users(${select.join(',')})/$entity`, ...shown });
    }
    if (!m[2] && req.method === 'PATCH') {
      const patch = JSON.parse(req.body || '{}') as { accountEnabled?: unknown; passwordProfile?: { forceChangePasswordNextSignIn?: unknown } };
      if ('accountEnabled' in patch && !allowed('User.EnableDisableAccount.All', 'User.ReadWrite.All')) return denied();
      if ('passwordProfile' in patch && !allowed('User-PasswordProfile.ReadWrite.All', 'User.ReadWrite.All')) return denied();
      if (!user) return notFound();
      if (typeof patch.accountEnabled === 'boolean') user.accountEnabled = patch.accountEnabled;
      if (typeof patch.passwordProfile?.forceChangePasswordNextSignIn === 'boolean') user.passwordProfile.forceChangePasswordNextSignIn = patch.passwordProfile.forceChangePasswordNextSignIn;
      res.writeHead(204);
      res.end();
      return;
    }
    if (m[2] === 'revokeSignInSessions' && req.method === 'POST') {
      if (!allowed('User.RevokeSessions.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All')) return denied();
      if (!user) return notFound();
      user.signInSessionsValidFromDateTime = graphTime(Date.now());
      return sendJson(res, 200, { '@odata.context': `${origin}/v1.0/$metadata#Edm.Boolean`, value: true });
    }
    if (m[2] === 'authentication/methods' && req.method === 'GET') {
      if (!allowed('UserAuthenticationMethod.Read.All', 'UserAuthenticationMethod.ReadWrite.All')) return denied();
      if (!user) return notFound();
      return sendJson(res, 200, { '@odata.context': `${origin}/v1.0/$metadata#users('${user.id}')/authentication/methods`, value: user.methods });
    }
    if (m[3] && req.method === 'DELETE') {
      if (!allowed('UserAuthenticationMethod.ReadWrite.All')) return denied();
      if (!user) return notFound();
      const type = methodSegments[m[3]];
      const methodId = decodeURIComponent(m[4]!);
      const method = user.methods.find((x) => x.id === methodId && x['@odata.type'] === type);
      if (!method) return graphError(res, 404, 'itemNotFound', `The requested resource '${methodId}' does not exist.`);
      user.methods = user.methods.filter((x) => x !== method);
      res.writeHead(204);
      res.end();
      return;
    }
    return graphError(res, 405, 'Request_BadRequest', `The method ${req.method} is not allowed on ${url.pathname}.`);
  };

  // ---- Microsoft Graph ----
  const graphState: { signIns: Json[]; directoryAudits: Json[] } = { signIns: [], directoryAudits: [] };
  let graphBase = Date.now();
  let serial = 0;
  const makeSignIn = (at: number): Json => {
    const n = serial++;
    return { ...pools.signIns[n % pools.signIns.length]!, id: guid('a1', n), createdDateTime: graphTime(at) };
  };
  const makeAudit = (at: number): Json => {
    const n = serial++;
    return { ...pools.audits[n % pools.audits.length]!, id: guid('b2', n), activityDateTime: new Date(at).toISOString() };
  };
  const resetGraph = (body: { signIns?: number; directoryAudits?: number } | null) => {
    graphBase = Date.now() - 2 * 3600_000;
    serial = 0;
    graphState.signIns = Array.from({ length: body?.signIns ?? 25 }, (_, i) => makeSignIn(graphBase + i * 10_000));
    graphState.directoryAudits = Array.from({ length: body?.directoryAudits ?? 20 }, (_, i) => makeAudit(graphBase + i * 10_000));
  };
  resetGraph(null);
  const timeField = { signIns: 'createdDateTime', directoryAudits: 'activityDateTime' } as const;

  const graph = await startFakeServer(
    (req, res, url) => {
      if (/^\/v1\.0\/users\//.test(url.pathname)) return graphUsers(req, res, url);
      const match = /^\/(v1\.0|beta)\/auditLogs\/(signIns|directoryAudits)$/.exec(url.pathname);
      if (!match || req.method !== 'GET') return graphError(res, 400, 'BadRequest', `Resource not found for the segment '${url.pathname.split('/').pop()}'.`);
      const token = bearer(req);
      if (!token) return graphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
      const issued = tokens.get(token);
      if (!issued) return graphError(res, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
      if (issued.audience !== graphResource) return graphError(res, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
      if (issued.expiresAt < Date.now()) return graphError(res, 401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
      if (!issued.roles.includes('AuditLog.Read.All')) return graphError(res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

      const feed = match[2] as 'signIns' | 'directoryAudits';
      const field = timeField[feed];
      const filter = url.searchParams.get('$filter') ?? '';
      const orderby = url.searchParams.get('$orderby') ?? `${field} desc`;
      const top = Math.min(1000, Number(url.searchParams.get('$top') ?? 1000));
      const query = `${match[1]}|${feed}|${filter}|${orderby}|${top}`;
      const tests: ((t: number) => boolean)[] = [];
      for (const clause of filter === '' ? [] : filter.split(/\s+and\s+/i)) {
        const c = /^\(?\s*(\w+)\s+(ge|le|gt|lt)\s+(\S+?)\s*\)?$/.exec(clause.trim());
        const at = c ? Date.parse(c[3]!) : NaN;
        if (!c || c[1] !== field || Number.isNaN(at)) return graphError(res, 400, 'BadRequest', `Invalid filter clause: ${clause}`);
        tests.push({ ge: (t: number) => t >= at, le: (t: number) => t <= at, gt: (t: number) => t > at, lt: (t: number) => t < at }[c[2] as 'ge']);
      }
      const order = /^(\w+)(?:\s+(asc|desc))?$/i.exec(orderby.trim());
      if (!order || order[1] !== field) return graphError(res, 400, 'BadRequest', `Invalid $orderby: ${orderby}`);
      const skiptoken = url.searchParams.get('$skiptoken');
      const offset = skiptoken === null ? 0 : decodeToken(skiptoken, query);
      if (offset === null) return graphError(res, 400, 'Request_BadRequest', 'Invalid $skiptoken.');

      const matching = graphState[feed]
        .filter((r) => tests.every((test) => test(Date.parse(String(r[field])))))
        .sort((a, b) => Date.parse(String(a[field])) - Date.parse(String(b[field])));
      if ((order[2] ?? 'asc').toLowerCase() === 'desc') matching.reverse();
      const page = matching.slice(offset, offset + top);
      const origin = `http://${req.headers.host}`;
      const body: Json = { '@odata.context': `${origin}/${match[1]}/$metadata#auditLogs/${feed}`, value: page };
      if (offset + top < matching.length) {
        const next = new URLSearchParams({ $filter: filter, $orderby: orderby, $top: String(top), $skiptoken: encodeToken(offset + top, query) });
        body['@odata.nextLink'] = `${origin}${url.pathname}?${next.toString().replace(/\+/g, '%20')}`;
      }
      sendJson(res, 200, body);
    },
    (action, raw) => {
      const body = raw as { signIns?: number; directoryAudits?: number; feed?: 'signIns' | 'directoryAudits'; count?: number; minutesBeforeNewest?: number } | null;
      if (action === 'directory') return directory;
      if (action === 'reset') {
        resetGraph(body);
        directory = initialGraphDirectory();
      }
      else if (action === 'add' || action === 'add-late') {
        // add: records newer than any so far; add-late: records indexed now but dated before the newest one.
        const feed = body?.feed ?? 'signIns';
        const list = graphState[feed];
        const newest = Math.max(...list.map((r) => Date.parse(String(r[timeField[feed]]))));
        for (let i = 0; i < (body?.count ?? 1); i++) {
          const at = action === 'add' ? newest + (i + 1) * 10_000 : newest - (body?.minutesBeforeNewest ?? 5) * 60_000 + i * 1000;
          list.push(feed === 'signIns' ? makeSignIn(at) : makeAudit(at));
        }
      }
      return { signIns: graphState.signIns.length, directoryAudits: graphState.directoryAudits.length };
    },
  );

  // ---- Office 365 Management Activity API ----
  let blobs: Blob[] = [];
  const subscriptions = new Set<string>();
  let listingPageSize = 2;
  let contentOrigin: string | null = null;
  let nextPageOrigin: string | null = null;
  let recordSerial = 0;
  const makeBlob = (contentType: string, created: number, count: number): Blob => {
    const pool = recordPools[contentType] ?? [];
    const records = Array.from({ length: count }, (_, i) => {
      const n = recordSerial++;
      return { ...pool[n % pool.length]!, Id: guid('c3', n), CreationTime: new Date(created - 5 * 60_000 + i * 1000).toISOString().slice(0, 19) };
    });
    const contentId = `${created}$${created}$${microsoftFakeTenant.replace(/-/g, '')}${contentType.split('.')[1]!.toLowerCase()}$${randomUUID().replace(/-/g, '')}$04`;
    return { contentType, contentId, created, expired: false, records };
  };
  const resetManage = (body: { subscribed?: boolean; listingPageSize?: number } | null) => {
    const base = Date.now() - 50 * 60_000;
    recordSerial = 0;
    contentOrigin = null;
    nextPageOrigin = null;
    listingPageSize = body?.listingPageSize ?? 2;
    subscriptions.clear();
    if (body?.subscribed) contentTypes.forEach((t) => subscriptions.add(t));
    const layout: [string, number[]][] = [
      ['Audit.AzureActiveDirectory', [2, 2]],
      ['Audit.Exchange', [4, 3, 3]],
      ['Audit.SharePoint', [3, 2]],
    ];
    blobs = layout.flatMap(([type, sizes], t) => sizes.map((size, i) => makeBlob(type, base + t * 60_000 + i * 5 * 60_000, size)));
  };
  resetManage(null);

  const manageError = (res: ServerResponse, status: number, code: string, message: string) => sendJson(res, status, { error: { code, message } });
  const manage = await startFakeServer(
    (req, res, url) => {
      const match = /^\/api\/v1\.0\/([^/]+)\/activity\/feed\/(subscriptions\/start|subscriptions\/list|subscriptions\/content|audit\/(.+))$/.exec(url.pathname);
      if (!match) return manageError(res, 404, 'AF20050', `The specified content (${url.pathname}) does not exist.`);
      const token = bearer(req);
      const issued = token ? tokens.get(token) : undefined;
      if (!issued || issued.expiresAt < Date.now() || issued.audience !== manageResource) {
        return sendJson(res, 401, { Message: 'Authorization has been denied for this request.' }, { 'www-authenticate': 'Bearer' });
      }
      if (!issued.roles.includes('ActivityFeed.Read')) {
        return manageError(res, 401, 'AF10001', `The permission set (${issued.roles.join(' ')}) sent in the request did not include the expected permission ActivityFeed.Read.`);
      }
      const tenant = decodeURIComponent(match[1]!);
      if (tenant !== issued.tenant) return manageError(res, 401, 'AF20010', `The tenant ID passed in the URL (${tenant}) does not match the tenant ID passed in the access token (${issued.tenant}).`);
      const origin = `http://${req.headers.host}`;
      const contentType = url.searchParams.get('contentType') ?? '';

      if (match[2] === 'subscriptions/start') {
        if (req.method !== 'POST') return manageError(res, 405, 'AF20001', 'Missing parameter: method.');
        if (!contentTypes.includes(contentType)) return manageError(res, 400, 'AF20020', 'The specified content type is not valid.');
        if (subscriptions.has(contentType)) return manageError(res, 400, 'AF20024', 'The subscription is already enabled. No property change.');
        subscriptions.add(contentType);
        return sendJson(res, 200, { contentType, status: 'enabled', webhook: null });
      }
      if (match[2] === 'subscriptions/list') return sendJson(res, 200, [...subscriptions].map((t) => ({ contentType: t, status: 'enabled', webhook: null })));
      if (match[2] === 'subscriptions/content') {
        if (!contentTypes.includes(contentType)) return manageError(res, 400, 'AF20020', 'The specified content type is not valid.');
        if (!subscriptions.has(contentType)) return manageError(res, 400, 'AF20022', 'No subscription found for the specified content type.');
        const startParam = url.searchParams.get('startTime');
        const endParam = url.searchParams.get('endTime');
        const start = startParam ? Date.parse(`${startParam}Z`) : NaN;
        const end = endParam ? Date.parse(`${endParam}Z`) : NaN;
        const rangeMessage =
          'Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time prior to end time and start time no more than 7 days in the past.';
        if (Number.isNaN(start) || Number.isNaN(end) || end < start || end - start > 24 * 3600_000 || start < Date.now() - 7 * 24 * 3600_000) {
          return manageError(res, 400, 'AF20055', rangeMessage);
        }
        const query = `${contentType}|${startParam}|${endParam}`;
        const nextPage = url.searchParams.get('nextPage');
        const offset = nextPage === null ? 0 : decodeToken(nextPage, query);
        if (offset === null) return manageError(res, 400, 'AF20031', `Invalid nextPage Input: ${nextPage}.`);
        const matching = blobs.filter((b) => b.contentType === contentType && start <= b.created && b.created < end).sort((a, b) => a.created - b.created);
        const page = matching.slice(offset, offset + listingPageSize).map((b) => ({
          contentType: b.contentType,
          contentId: b.contentId,
          contentUri: `${contentOrigin ?? origin}/api/v1.0/${tenant}/activity/feed/audit/${b.contentId}`,
          contentCreated: new Date(b.created).toISOString(),
          contentExpiration: new Date(b.created + 7 * 24 * 3600_000).toISOString(),
        }));
        const headers: Record<string, string> = {};
        if (offset + listingPageSize < matching.length) {
          const next = new URLSearchParams({ contentType, startTime: startParam!, endTime: endParam!, nextPage: encodeToken(offset + listingPageSize, query) });
          headers.NextPageUri = `${nextPageOrigin ?? origin}/api/v1.0/${tenant}/activity/feed/subscriptions/content?${next}`;
        }
        return sendJson(res, 200, page, headers);
      }
      const contentId = decodeURIComponent(match[3]!);
      const blob = blobs.find((b) => b.contentId === contentId);
      if (!blob) return manageError(res, 400, 'AF20050', `The specified content (${contentId}) does not exist.`);
      if (blob.expired) return manageError(res, 400, 'AF20051', `Content requested with the key ${contentId} has already expired. Content older than 7 days cannot be retrieved.`);
      return sendJson(res, 200, blob.records);
    },
    (action, raw) => {
      const body = raw as { subscribed?: boolean; listingPageSize?: number; contentType?: string; records?: number; origin?: string | null; agoSeconds?: number } | null;
      if (action === 'reset') resetManage(body);
      // add: a new blob of `records` records became available `agoSeconds` ago.
      else if (action === 'add') blobs.push(makeBlob(body?.contentType ?? 'Audit.Exchange', Date.now() - (body?.agoSeconds ?? 30) * 1000, body?.records ?? 2));
      // stop: an admin stopped the subscription of a content type.
      else if (action === 'stop') subscriptions.delete(body?.contentType ?? 'Audit.Exchange');
      // expire: the first blob of a content type is past its 7 days.
      else if (action === 'expire') {
        const blob = blobs.find((b) => b.contentType === (body?.contentType ?? 'Audit.Exchange'));
        if (blob) blob.expired = true;
      }
      // content-origin / next-page-origin: contentUri values / NextPageUri headers point to another origin.
      else if (action === 'content-origin') contentOrigin = body?.origin ?? null;
      else if (action === 'next-page-origin') nextPageOrigin = body?.origin ?? null;
      return {
        blobs: blobs.length,
        records: blobs.filter((b) => !b.expired).reduce((n, b) => n + b.records.length, 0),
        subscriptions: [...subscriptions].sort(),
      };
    },
  );

  return { login, graph, manage };
}
