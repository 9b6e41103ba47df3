/**
 * authenticate(): every /api, /ingest and /v1 request must carry a credential, or it answers 401:
 * - a Mantissa API token (`Authorization: Bearer …`);
 * - a Cloudflare Access JWT (`Cf-Access-Jwt-Assertion` header or `CF_Authorization` cookie);
 * - on ingest, a Google OIDC token of an allow-listed Pub/Sub push service account (when configured);
 * - on a vendor webhook path, that vendor's signature, checked by the authenticator the route registers
 *   (GitHub cannot send an Authorization header; its HMAC signature is the credential).
 * There is no bypass switch: local runs authenticate with the token `npm start` prints.
 */
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { hashApiToken, isPlausibleBearerSecret } from '../../core/auth/api-token';
import type { Principal, Role } from '../../core/auth/roles';
import { verifyAccessJwt } from '../../adapters/cloudflare-access/verify-access-jwt';
import { verifyGoogleOidcToken } from '../../adapters/google-oidc/verify-google-oidc';
import { TokensRepository } from '../../adapters/d1/tokens-repository';
import type { AppContext, AppEnv } from '../app';
import type { Config } from '../env';
import { ApiError } from '../errors';

const missingCredential =
  'Authentication required: send "Authorization: Bearer mlt_…" (an API token) or sign in through Cloudflare Access.';

/** Authenticates a vendor's signed delivery to one exact path; throws a 401 ApiError when it does not verify. */
export type WebhookAuthenticator = (c: AppContext) => Promise<Principal>;

export interface AuthenticateOptions {
  /** Exact paths whose only credential is the vendor's signature, with the function that checks it. */
  readonly webhooks?: Readonly<Record<string, WebhookAuthenticator>>;
}

const jwtShape = /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/;

export function authenticate(options: AuthenticateOptions = {}): MiddlewareHandler<AppEnv> {
  const webhooks = options.webhooks ?? {};
  for (const path of Object.keys(webhooks)) {
    if (!path.startsWith('/ingest/webhooks/')) throw new Error(`authenticate: webhook path ${path} must live under /ingest/webhooks/`);
  }
  return async function authenticateRequest(c, next) {
    const authorization = c.req.header('authorization');
    const accessJwt = c.req.header('cf-access-jwt-assertion') ?? getCookie(c, 'CF_Authorization');
    const webhook = Object.hasOwn(webhooks, c.req.path) ? webhooks[c.req.path] : undefined;
    const config = c.get('config');

    let principal: Principal;
    if (webhook) {
      principal = await webhook(c);
    } else if (authorization !== undefined && config.pubsubPush && c.req.path.startsWith('/ingest/') && jwtShape.test(authorization.replace(/^Bearer\s+/i, ''))) {
      principal = await principalFromGoogleOidc(authorization.replace(/^Bearer\s+/i, ''), config);
    } else if (authorization !== undefined) {
      principal = await principalFromToken(c.env.DB, authorization, c.executionCtx);
    } else if (accessJwt) {
      principal = await principalFromAccess(accessJwt, c.get('config'));
    } else {
      throw new ApiError('unauthenticated', missingCredential);
    }
    c.set('principal', principal);
    await next();
  };
}

async function principalFromToken(
  db: D1Database,
  authorization: string,
  ctx: { waitUntil(promise: Promise<unknown>): void },
): Promise<Principal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new ApiError('unauthenticated', 'The Authorization header must be "Bearer <token>".');
  const token = match[1]!;
  if (!isPlausibleBearerSecret(token)) {
    throw new ApiError('unauthenticated', 'That is not a Mantissa API token (tokens are 8–512 visible ASCII characters; generated ones start with mlt_).');
  }
  const now = new Date();
  const tokens = new TokensRepository(db);
  const row = await tokens.findActiveByHash(await hashApiToken(token), now);
  if (!row) throw new ApiError('unauthenticated', 'The API token is unknown, revoked or expired.');
  ctx.waitUntil(tokens.touch(row, now).catch((err: unknown) => console.warn(`token touch failed: ${String(err)}`)));
  return { id: row.id, name: row.name, role: row.role, source: row.source, via: 'token' };
}

async function principalFromAccess(jwt: string, config: Config): Promise<Principal> {
  if (!config.access) {
    throw new ApiError(
      'unauthenticated',
      'A Cloudflare Access token was sent, but Access is not configured here (ACCESS_TEAM_DOMAIN, ACCESS_AUD). Use an API token.',
    );
  }
  const verified = await verifyAccessJwt(jwt, config.access, config.outbound);
  if (!verified.ok) throw new ApiError('unauthenticated', verified.message);
  const { email, groups, subject } = verified.identity;
  return {
    id: `access:${email ?? subject}`,
    name: email ?? subject,
    role: accessRole(email, groups, config),
    source: null,
    via: 'access',
  };
}

async function principalFromGoogleOidc(jwt: string, config: Config): Promise<Principal> {
  const push = config.pubsubPush!;
  const verified = await verifyGoogleOidcToken(jwt, push, config.outbound);
  if (!verified.ok) throw new ApiError('unauthenticated', verified.message);
  return { id: `oidc:${verified.email}`, name: verified.email, role: 'ingest', source: push.sources, via: 'oidc' };
}

/** The first match wins: the user's email, then their groups in token order, then the default role. */
function accessRole(email: string | null, groups: readonly string[], config: Config): Role {
  if (email && config.accessRoles[email]) return config.accessRoles[email];
  for (const group of groups) {
    const role = config.accessRoles[group];
    if (role) return role;
  }
  return config.accessDefaultRole;
}
