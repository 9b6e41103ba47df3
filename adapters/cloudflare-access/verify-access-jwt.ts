/**
 * Cloudflare Access JWT verification (https://developers.cloudflare.com/cloudflare-one/identity/authorization-cookie/validating-json/):
 * the `Cf-Access-Jwt-Assertion` header (or `CF_Authorization` cookie) is an RS256 JWT signed by the team's
 * keys at `<team domain>/cdn-cgi/access/certs`, with `iss` = the team domain and `aud` = the application's
 * audience tag. Keys are fetched through the outbound guard and cached by jose per isolate.
 */
import { createRemoteJWKSet, customFetch, jwtVerify, type JWTPayload } from 'jose';
import type { OutboundPolicy } from '../../core/net/outbound-policy';
import { guardedFetch } from '../http/guarded-fetch';

export interface AccessConfig {
  /** `acme.cloudflareaccess.com`, or a full origin (`http://127.0.0.1:9999` in tests, allow-listed). */
  readonly teamDomain: string;
  readonly audience: string;
}

export interface AccessIdentity {
  readonly subject: string;
  readonly email: string | null;
  readonly groups: string[];
}

export type AccessVerification = { ok: true; identity: AccessIdentity } | { ok: false; message: string };

const jwksCache = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

export function accessIssuer(teamDomain: string): string {
  return /^https?:\/\//.test(teamDomain) ? teamDomain.replace(/\/+$/, '') : `https://${teamDomain}`;
}

export async function verifyAccessJwt(token: string, config: AccessConfig, policy: OutboundPolicy): Promise<AccessVerification> {
  const issuer = accessIssuer(config.teamDomain);
  let jwks = jwksCache.get(issuer);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(`${issuer}/cdn-cgi/access/certs`), {
      [customFetch]: guardedFetch(policy) as never,
      cooldownDuration: 30_000,
    });
    jwksCache.set(issuer, jwks);
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, jwks, { issuer, audience: config.audience, algorithms: ['RS256'] }));
  } catch (err) {
    return { ok: false, message: `Cloudflare Access token rejected: ${err instanceof Error ? err.message : String(err)}` };
  }
  const email = typeof payload.email === 'string' ? payload.email.toLowerCase() : null;
  const groups = Array.isArray(payload.groups) ? payload.groups.filter((g): g is string => typeof g === 'string') : [];
  return { ok: true, identity: { subject: payload.sub ?? email ?? 'unknown', email, groups } };
}
