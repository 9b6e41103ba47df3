/**
 * Access tokens from the Microsoft identity platform for the Microsoft pull collectors (Graph audit logs, the
 * Office 365 Management Activity API): the OAuth 2.0 client credentials grant
 * (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow) —
 * `POST https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token` with `client_id`, `client_secret`,
 * `scope=<resource>/.default` and `grant_type=client_credentials`, answered with
 * `{token_type: "Bearer", expires_in, access_token}`; refusals are `{error, error_description: "AADSTS…"}`.
 *
 * Invariants:
 * - the client secret is only ever sent to the configured token URL, the access token only to the API URL the
 *   caller has checked against its configured origin;
 * - tokens are cached per isolate by (token URL, client id, scope) until shortly before they expire, and a
 *   cached token is only handed out for the same secret (a rotated or mistyped secret is checked anew);
 * - an API answering 401 to a cached token (revoked, or expired early) gets one retry with a new token.
 */
import { z } from 'zod';
import { classifyResponse, fetchResult, type HttpFetch, type TransportResult } from '../../core/collect/transport';

export interface ClientCredentials {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `https://graph.microsoft.com/.default`, `https://manage.office.com/.default`. */
  readonly scope: string;
}

/** The public token endpoint of a tenant (GUID or verified domain). */
export function microsoftTokenUrl(tenant: string): string {
  return `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
  token_type: z.string().optional(),
});

/** A token is not reused in its last minutes, so that a long page never starts with a token about to lapse. */
const expiryMarginMs = 5 * 60_000;

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
  readonly secret: string;
}

const tokens = new Map<string, CachedToken>();

function cacheKey(c: ClientCredentials): string {
  return `${c.tokenUrl}\n${c.clientId}\n${c.scope}`;
}

/** A token for `credentials`: the cached one unless `fresh`, else one from the token endpoint. */
export async function clientCredentialsToken(
  fetchImpl: HttpFetch,
  credentials: ClientCredentials,
  fresh = false,
): Promise<TransportResult<{ token: string; cached: boolean }>> {
  const key = cacheKey(credentials);
  const hit = tokens.get(key);
  if (!fresh && hit && hit.secret === credentials.clientSecret && hit.expiresAt - expiryMarginMs > Date.now()) {
    return { kind: 'success', value: { token: hit.token, cached: true } };
  }
  tokens.delete(key);
  const body = new URLSearchParams({
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
    scope: credentials.scope,
    grant_type: 'client_credentials',
  });
  const response = await fetchResult(
    fetchImpl,
    credentials.tokenUrl,
    { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body },
    'Microsoft identity platform token endpoint',
  );
  if (response.kind !== 'success') return response;
  const parsed = tokenResponseSchema.safeParse(await response.value.json().catch(() => null));
  if (!parsed.success) return { kind: 'failure', message: 'the Microsoft identity platform token endpoint answered without an access_token' };
  tokens.set(key, { token: parsed.data.access_token, expiresAt: Date.now() + parsed.data.expires_in * 1000, secret: credentials.clientSecret });
  return { kind: 'success', value: { token: parsed.data.access_token, cached: false } };
}

/**
 * Calls a Microsoft API with a bearer token from `credentials`. The caller has already checked that `url` is
 * on the API's configured origin. A 401 to a cached token is retried once with a new token.
 */
export async function fetchWithClientCredentials(
  fetchImpl: HttpFetch,
  credentials: ClientCredentials,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
  what: string,
): Promise<TransportResult<Response>> {
  let token = await clientCredentialsToken(fetchImpl, credentials);
  for (let attempt = 0; ; attempt++) {
    if (token.kind !== 'success') return token;
    let response: Response;
    try {
      response = await fetchImpl(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${token.value.token}` } });
    } catch (err) {
      return { kind: 'retryable', message: `${what} failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (response.status === 401 && token.value.cached && attempt === 0) {
      await response.body?.cancel();
      token = await clientCredentialsToken(fetchImpl, credentials, true);
      continue;
    }
    return classifyResponse(response, what);
  }
}
