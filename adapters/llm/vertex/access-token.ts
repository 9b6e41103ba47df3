/**
 * OAuth access tokens for a Google Cloud service account (no domain-wide delegation: the account acts as
 * itself), by the JWT bearer grant (RFC 7523; https://developers.google.com/identity/protocols/oauth2/service-account#httprest):
 * an RS256 JWT `{iss: client_email, scope: cloud-platform, aud: <token URL>, iat, exp = iat + 1 h}` signed with
 * the key (header `kid` = `private_key_id`), exchanged for `{access_token, expires_in}`. Same flow as the
 * Workspace collector (adapters/google_workspace/collect-token.ts) minus the `sub` of delegation.
 *
 * Tokens are cached per isolate by (token URL, account, key id) until five minutes before expiry. The signed
 * assertion only goes to the configured token URL, not a key file's own `token_uri`.
 */
import { importPKCS8, SignJWT } from 'jose';
import { z } from 'zod';
import type { HttpFetch } from '../../../core/collect/transport';
import type { ServiceAccountKey } from '../../google_workspace/collect-token';

export const cloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';
export const googleTokenUrl = 'https://oauth2.googleapis.com/token';

const tokenResponseSchema = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().int().positive() });
const tokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });
const expiryMarginMs = 5 * 60_000;

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
  readonly privateKey: string;
}

const tokens = new Map<string, CachedToken>();

export type AccessTokenResult = { ok: true; token: string; cached: boolean } | { ok: false; message: string; status?: number };

export async function serviceAccountAccessToken(fetchImpl: HttpFetch, tokenUrl: string, key: ServiceAccountKey, signal: AbortSignal, fresh = false): Promise<AccessTokenResult> {
  const cacheKey = `${tokenUrl}\n${key.clientEmail}\n${key.privateKeyId ?? ''}`;
  const hit = tokens.get(cacheKey);
  if (!fresh && hit && hit.privateKey === key.privateKey && hit.expiresAt - expiryMarginMs > Date.now()) return { ok: true, token: hit.token, cached: true };
  tokens.delete(cacheKey);
  let assertion: string;
  try {
    const now = Math.floor(Date.now() / 1000);
    assertion = await new SignJWT({ scope: cloudPlatformScope })
      .setProtectedHeader(key.privateKeyId ? { alg: 'RS256', typ: 'JWT', kid: key.privateKeyId } : { alg: 'RS256', typ: 'JWT' })
      .setIssuer(key.clientEmail)
      .setAudience(tokenUrl)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(await importPKCS8(key.privateKey, 'RS256'));
  } catch (err) {
    return { ok: false, message: `the service account private key cannot sign (${err instanceof Error ? err.message : String(err)}); it must be an RSA key in PKCS#8 PEM` };
  }
  let response: Response;
  try {
    response = await fetchImpl(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
      signal,
    });
  } catch (err) {
    return { ok: false, message: `the Google OAuth token endpoint failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  const body = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const error = tokenErrorSchema.safeParse(body);
    const detail = error.success ? `${error.data.error}${error.data.error_description ? `: ${error.data.error_description}` : ''}` : 'no error description';
    return { ok: false, status: response.status, message: `the Google OAuth token endpoint answered ${response.status} (${detail})` };
  }
  const parsed = tokenResponseSchema.safeParse(body);
  if (!parsed.success) return { ok: false, message: 'the Google OAuth token endpoint answered without an access_token' };
  tokens.set(cacheKey, { token: parsed.data.access_token, expiresAt: Date.now() + parsed.data.expires_in * 1000, privateKey: key.privateKey });
  return { ok: true, token: parsed.data.access_token, cached: false };
}
