/**
 * Access tokens for a Google service account acting for a Workspace admin (domain-wide delegation), by the
 * OAuth 2.0 JWT bearer grant (RFC 7523; https://developers.google.com/identity/protocols/oauth2/service-account#httprest):
 * an RS256 JWT `{iss: client_email, sub: <admin to impersonate>, scope, aud: <token URI>, iat, exp <= iat + 1 h}`
 * signed with the service account's private key (header `kid` = the key's `private_key_id`), exchanged at
 * `https://oauth2.googleapis.com/token` with `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`
 * for `{access_token, expires_in, token_type}`; refusals are `{error, error_description}`.
 *
 * Invariants:
 * - the signed assertion only goes to the configured token URL (a key file's own `token_uri` is not followed),
 *   the access token only to the API URL the caller checked;
 * - tokens are cached per isolate by (token URL, service account, subject, scope) until shortly before they
 *   expire, and only handed out for the same private key;
 * - an API answering 401 to a cached token gets one retry with a new token.
 */
import { importPKCS8, SignJWT } from 'jose';
import { z } from 'zod';
import { classifyResponse, fetchResult, type HttpFetch, type TransportResult } from '../../core/collect/transport';

export interface ServiceAccountKey {
  readonly clientEmail: string;
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), as in Google's JSON key files. */
  readonly privateKey: string;
  readonly privateKeyId: string | null;
}

export interface DelegatedCredentials {
  readonly tokenUrl: string;
  readonly key: ServiceAccountKey;
  /** The Workspace user the service account acts for (an admin, for the Reports API). */
  readonly subject: string;
  readonly scope: string;
}

const keyFileSchema = z.object({
  client_email: z.string().min(1),
  private_key: z.string().min(1),
  private_key_id: z.string().optional(),
});

/**
 * A secret holding the service account's JSON key file, or only its PEM private key (then the account's email
 * comes from the configuration). Keys pasted with literal `\n` sequences are accepted.
 */
export function parseServiceAccountKey(secret: string, clientEmail: string | undefined): { ok: true; key: ServiceAccountKey } | { ok: false; message: string } {
  const value = secret.trim();
  if (value.startsWith('{')) {
    let raw: unknown;
    try {
      raw = JSON.parse(value);
    } catch {
      return { ok: false, message: 'the service account secret starts with "{" but is not valid JSON' };
    }
    const file = keyFileSchema.safeParse(raw);
    if (!file.success) return { ok: false, message: 'the service account key file has no client_email or private_key' };
    return { ok: true, key: { clientEmail: file.data.client_email, privateKey: pem(file.data.private_key), privateKeyId: file.data.private_key_id ?? null } };
  }
  if (!value.includes('-----BEGIN PRIVATE KEY-----')) {
    return { ok: false, message: 'the service account secret is neither a JSON key file nor a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)' };
  }
  if (!clientEmail) return { ok: false, message: 'the service account secret is a bare private key: set clientEmail in the collector configuration' };
  return { ok: true, key: { clientEmail, privateKey: pem(value), privateKeyId: null } };
}

function pem(value: string): string {
  return value.replace(/\\n/g, '\n');
}

const tokenResponseSchema = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().int().positive() });

/** Google caps the assertion's lifetime at one hour. */
const assertionLifetimeSeconds = 3600;
const expiryMarginMs = 5 * 60_000;

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
  readonly privateKey: string;
}

const tokens = new Map<string, CachedToken>();

function cacheKey(c: DelegatedCredentials): string {
  return `${c.tokenUrl}\n${c.key.clientEmail}\n${c.subject}\n${c.scope}`;
}

export async function serviceAccountToken(
  fetchImpl: HttpFetch,
  credentials: DelegatedCredentials,
  fresh = false,
): Promise<TransportResult<{ token: string; cached: boolean }>> {
  const key = cacheKey(credentials);
  const hit = tokens.get(key);
  if (!fresh && hit && hit.privateKey === credentials.key.privateKey && hit.expiresAt - expiryMarginMs > Date.now()) {
    return { kind: 'success', value: { token: hit.token, cached: true } };
  }
  tokens.delete(key);
  let assertion: string;
  try {
    assertion = await signAssertion(credentials);
  } catch (err) {
    return { kind: 'failure', message: `the service account private key cannot sign (${err instanceof Error ? err.message : String(err)}); it must be an RSA key in PKCS#8 PEM` };
  }
  const response = await fetchResult(
    fetchImpl,
    credentials.tokenUrl,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
    },
    'Google OAuth token endpoint',
  );
  if (response.kind !== 'success') return response;
  const parsed = tokenResponseSchema.safeParse(await response.value.json().catch(() => null));
  if (!parsed.success) return { kind: 'failure', message: 'the Google OAuth token endpoint answered without an access_token' };
  tokens.set(key, { token: parsed.data.access_token, expiresAt: Date.now() + parsed.data.expires_in * 1000, privateKey: credentials.key.privateKey });
  return { kind: 'success', value: { token: parsed.data.access_token, cached: false } };
}

async function signAssertion(c: DelegatedCredentials): Promise<string> {
  const signingKey = await importPKCS8(c.key.privateKey, 'RS256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: c.scope })
    .setProtectedHeader(c.key.privateKeyId ? { alg: 'RS256', typ: 'JWT', kid: c.key.privateKeyId } : { alg: 'RS256', typ: 'JWT' })
    .setIssuer(c.key.clientEmail)
    .setSubject(c.subject)
    .setAudience(c.tokenUrl)
    .setIssuedAt(now)
    .setExpirationTime(now + assertionLifetimeSeconds)
    .sign(signingKey);
}

/** Calls a Google API with the delegated token; the caller has checked `url`. A 401 to a cached token is retried once. */
export async function fetchWithServiceAccount(
  fetchImpl: HttpFetch,
  credentials: DelegatedCredentials,
  url: string,
  what: string,
): Promise<TransportResult<Response>> {
  let token = await serviceAccountToken(fetchImpl, credentials);
  for (let attempt = 0; ; attempt++) {
    if (token.kind !== 'success') return token;
    let response: Response;
    try {
      response = await fetchImpl(url, { headers: { accept: 'application/json', authorization: `Bearer ${token.value.token}` } });
    } catch (err) {
      return { kind: 'retryable', message: `${what} failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (response.status === 401 && token.value.cached && attempt === 0) {
      await response.body?.cancel();
      token = await serviceAccountToken(fetchImpl, credentials, true);
      continue;
    }
    return classifyResponse(response, what);
  }
}
