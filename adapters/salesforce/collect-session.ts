/**
 * Salesforce sessions for the pull collectors: the OAuth 2.0 JWT bearer flow
 * (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm). An assertion signed
 * RS256 with the connected app's private key — `iss` the consumer key, `sub` the username, `aud` the login URL,
 * `exp` three minutes ahead — is posted to `{loginUrl}/services/oauth2/token` with
 * `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`; Salesforce answers `access_token` and
 * `instance_url`. The connected app must have "Use digital signatures" with the certificate of that key, the
 * user must be pre-authorized (admin-approved users, a profile or permission set), and the scopes must include
 * `api`.
 *
 * The access token is only ever sent to `instance_url`, and only when that is a Salesforce host
 * (`*.salesforce.com`, `*.force.com`), the login URL's own host, or a host the configuration names: an
 * `instance_url` anywhere else is refused. Paths Salesforce returns (`nextRecordsUrl`, `LogFile`) are joined to
 * that instance URL and must be `/services/data/…` paths. Sessions are cached per isolate by (token URL,
 * consumer key, username) and dropped when the API answers 401 (INVALID_SESSION_ID).
 */
import { importPKCS8, SignJWT } from 'jose';
import { z } from 'zod';
import type { CollectorDeps } from '../../core/collect/collector';
import { classifyResponse, fetchResult, type TransportResult } from '../../core/collect/transport';

/** Settings both Salesforce collectors share. */
export const salesforceAuthConfigSchema = z.object({
  /** https://login.salesforce.com, https://test.salesforce.com (sandboxes) or the org's My Domain URL. */
  loginUrl: z.url().default('https://login.salesforce.com').transform((u) => u.replace(/\/+$/, '')),
  /** The connected app's consumer key (client id). */
  consumerKey: z.string().min(1),
  /** The integration user the collector acts as. */
  username: z.string().min(1),
  /** Secret holding the PKCS#8 PEM private key matching the connected app's certificate. */
  privateKeySecretName: z.string().default('SALESFORCE_PRIVATE_KEY'),
  apiVersion: z.string().regex(/^\d{2,3}\.\d$/, 'an API version such as 62.0').default('62.0'),
  /** Further hosts an instance_url may name (a custom domain not under salesforce.com or force.com). */
  allowedInstanceHosts: z.array(z.string().min(1)).default([]),
});
export type SalesforceAuthConfig = z.infer<typeof salesforceAuthConfigSchema>;

export interface SalesforceSession {
  readonly accessToken: string;
  readonly instanceUrl: string;
}

interface CachedSession extends SalesforceSession {
  readonly key: string;
  readonly expiresAt: number;
}

/** Salesforce does not say how long a session lives (an org setting, 2 hours by default): renew well before. */
const sessionCacheMs = 30 * 60_000;
const sessions = new Map<string, CachedSession>();

const tokenResponseSchema = z.looseObject({ access_token: z.string().min(1), instance_url: z.string() });

function cacheKey(config: SalesforceAuthConfig): string {
  return `${config.loginUrl}/services/oauth2/token ${config.consumerKey} ${config.username}`;
}

/** Whether the access token may be sent to this instance URL. */
export function isAllowedInstanceUrl(instanceUrl: string, config: SalesforceAuthConfig): boolean {
  let url: URL;
  try {
    url = new URL(instanceUrl);
  } catch {
    return false;
  }
  if (url.username || url.password || url.pathname.replace(/\/+$/, '') !== '' || url.search || url.hash) return false;
  const login = new URL(config.loginUrl);
  if (url.origin === login.origin) return true;
  if (url.protocol !== 'https:') return false;
  const host = url.hostname.toLowerCase();
  return host.endsWith('.salesforce.com') || host.endsWith('.force.com') || config.allowedInstanceHosts.some((h) => h.toLowerCase() === url.host.toLowerCase());
}

export async function salesforceSession(config: SalesforceAuthConfig, deps: CollectorDeps): Promise<TransportResult<SalesforceSession>> {
  const pem = deps.secret(config.privateKeySecretName);
  if (!pem) return { kind: 'failure', message: `the secret ${config.privateKeySecretName} is not set (wrangler secret put ${config.privateKeySecretName})` };
  const key = cacheKey(config);
  const cached = sessions.get(key);
  if (cached && cached.key === pem && cached.expiresAt > deps.now.getTime()) return { kind: 'success', value: cached };

  let assertion: string;
  try {
    const privateKey = await importPKCS8(pem.replace(/\\n/g, '\n').trim(), 'RS256');
    const now = Math.floor(deps.now.getTime() / 1000);
    assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(config.consumerKey)
      .setSubject(config.username)
      .setAudience(config.loginUrl)
      .setExpirationTime(now + 180)
      .sign(privateKey);
  } catch (err) {
    return { kind: 'failure', message: `the secret ${config.privateKeySecretName} is not a PKCS#8 PEM RSA private key (${err instanceof Error ? err.message : String(err)})` };
  }
  const response = await fetchResult(
    deps.fetch,
    `${config.loginUrl}/services/oauth2/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
    },
    'Salesforce /services/oauth2/token',
  );
  if (response.kind !== 'success') return response;
  const token = tokenResponseSchema.safeParse(await response.value.json().catch(() => null));
  if (!token.success) return { kind: 'failure', message: 'Salesforce /services/oauth2/token did not answer access_token and instance_url' };
  const instanceUrl = token.data.instance_url.replace(/\/+$/, '');
  if (!isAllowedInstanceUrl(instanceUrl, config)) {
    return {
      kind: 'failure',
      message: `Salesforce named the instance ${instanceUrl}, which is not a Salesforce host (*.salesforce.com, *.force.com) nor in allowedInstanceHosts; refusing to send the token there`,
    };
  }
  const session: CachedSession = { accessToken: token.data.access_token, instanceUrl, key: pem, expiresAt: deps.now.getTime() + sessionCacheMs };
  sessions.set(key, session);
  return { kind: 'success', value: session };
}

/**
 * GET of a `/services/data/…` path on the session's instance. A 401 drops the cached session and is retried
 * (a new session is requested); other answers are classified as usual.
 */
export async function salesforceGet(
  config: SalesforceAuthConfig,
  session: SalesforceSession,
  path: string,
  deps: CollectorDeps,
  what: string,
  accept = 'application/json',
): Promise<TransportResult<Response>> {
  if (!path.startsWith('/services/data/') || path.includes('//') || path.includes('\\')) {
    return { kind: 'failure', message: `${what}: Salesforce returned the path ${path.slice(0, 100)}, which is not a /services/data/ path; refusing to follow it` };
  }
  let response: Response;
  try {
    response = await deps.fetch(`${session.instanceUrl}${path}`, { headers: { authorization: `Bearer ${session.accessToken}`, accept } });
  } catch (err) {
    return { kind: 'retryable', message: `${what} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (response.status === 401) {
    sessions.delete(cacheKey(config));
    return { kind: 'retryable', message: `${what} answered 401: ${(await response.text().catch(() => '')).slice(0, 300)} (a new session is requested)` };
  }
  return classifyResponse(response, what);
}

/** A SOQL datetime literal (`2026-01-01T00:00:00Z`); Salesforce keeps these fields to the second. */
export function soqlDateTime(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One page of a SOQL query result. */
export const queryResultSchema = z.looseObject({
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(z.looseObject({})),
});
