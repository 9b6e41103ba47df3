/**
 * corsAllowList(): same-origin by default; cross-origin browsers are let in only from the origins listed in
 * CORS_ORIGINS. Credentials travel in the Authorization header, never cookies, so no credentialed CORS.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../app';

export function corsAllowList(): MiddlewareHandler<AppEnv> {
  return async function applyCors(c, next) {
    const allowed = c.get('config').corsOrigins;
    const handler = cors({
      origin: (origin) => (allowed.has(origin) ? origin : null),
      allowHeaders: ['Authorization', 'Content-Type', 'Content-Encoding', 'Idempotency-Key', 'X-Request-Id'],
      allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
      exposeHeaders: ['X-Request-Id'],
      maxAge: 600,
    });
    return handler(c, next);
  };
}
