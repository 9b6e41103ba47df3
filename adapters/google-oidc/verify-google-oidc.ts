/**
 * Google-signed OIDC identity tokens, as Pub/Sub push subscriptions send them in `Authorization: Bearer …`
 * (https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions): RS256, issuer accounts.google.com,
 * audience = the value configured on the subscription, `email` = the push service account, which must be
 * verified and allow-listed. Keys come from Google's JWKS through the outbound guard.
 */
import { createRemoteJWKSet, customFetch, jwtVerify } from 'jose';
import type { OutboundPolicy } from '../../core/net/outbound-policy';
import { guardedFetch } from '../http/guarded-fetch';

export interface GoogleOidcConfig {
  readonly audience: string;
  readonly serviceAccounts: ReadonlySet<string>;
  readonly jwksUrl: string;
}

export type GoogleOidcVerification = { ok: true; email: string } | { ok: false; message: string };

const jwksByUrl = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

export async function verifyGoogleOidcToken(token: string, config: GoogleOidcConfig, policy: OutboundPolicy): Promise<GoogleOidcVerification> {
  let jwks = jwksByUrl.get(config.jwksUrl);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(config.jwksUrl), { [customFetch]: guardedFetch(policy) as never, cooldownDuration: 30_000 });
    jwksByUrl.set(config.jwksUrl, jwks);
  }
  try {
    const { payload } = await jwtVerify(token, jwks, {
      issuer: ['https://accounts.google.com', 'accounts.google.com'],
      audience: config.audience,
      algorithms: ['RS256'],
    });
    const email = typeof payload.email === 'string' ? payload.email.toLowerCase() : '';
    if (payload.email_verified !== true || !config.serviceAccounts.has(email)) {
      return { ok: false, message: `Google identity ${email || '(no email)'} is not an allowed push service account (PUBSUB_PUSH_SERVICE_ACCOUNTS).` };
    }
    return { ok: true, email };
  } catch (err) {
    return { ok: false, message: `Google identity token rejected: ${err instanceof Error ? err.message : String(err)}` };
  }
}
