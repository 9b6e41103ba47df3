/**
 * auditTrail(): records every state-changing API call (method other than GET/HEAD/OPTIONS) after it ran —
 * who, what, the outcome and the request id. Refused calls are recorded too: they are what an audit is for.
 */
import type { MiddlewareHandler } from 'hono';
import { AuditRepository } from '../../adapters/d1/audit-repository';
import type { AppEnv } from '../app';

const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function auditTrail(): MiddlewareHandler<AppEnv> {
  return async function recordAudit(c, next) {
    await next();
    if (readMethods.has(c.req.method)) return;
    const principal = c.get('principal');
    if (!principal) return; // unauthenticated: nothing to attribute
    await new AuditRepository(c.env.DB).record({
      at: new Date().toISOString(),
      actorId: principal.id,
      actorName: principal.name,
      role: principal.role,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      requestId: c.get('requestId'),
      ip: c.req.header('cf-connecting-ip') ?? null,
    });
  };
}
