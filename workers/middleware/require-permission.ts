/** requirePermission(p): 403 unless the authenticated principal's role grants `p` (core/auth/roles). */
import type { MiddlewareHandler } from 'hono';
import { permissions, roleAllows, type Permission } from '../../core/auth/roles';
import type { AppEnv } from '../app';
import { ApiError } from '../errors';

export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  if (!permissions.includes(permission)) throw new Error(`requirePermission: unknown permission ${permission}`);
  return async function checkPermission(c, next) {
    const principal = c.get('principal');
    if (!principal) throw new Error('requirePermission used on a route without authenticate()');
    if (!roleAllows(principal.role, permission)) {
      throw new ApiError('forbidden', `Role ${principal.role} lacks permission ${permission}.`);
    }
    await next();
  };
}
