/**
 * Roles and what each may do. The server checks these on every route; the table here is the only place
 * that grants a permission, and docs/api.md mirrors it.
 */
export const roles = ['admin', 'analyst', 'responder', 'viewer', 'ingest'] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  'events:ingest',
  'events:query',
  'alerts:read',
  'alerts:write',
  'rules:read',
  'rules:write',
  'identity:read',
  /** Rebuild identity state (Durable Objects) from the events table: `POST /api/identity/rebuild`. */
  'identity:manage',
  'playbooks:read',
  'playbooks:run',
  'playbooks:approve',
  'sources:read',
  'health:read',
  'tokens:manage',
  'audit:read',
  'routing:read',
  'routing:manage',
] as const;
export type Permission = (typeof permissions)[number];

const readOnly: Permission[] = [
  'events:query',
  'alerts:read',
  'rules:read',
  'identity:read',
  'playbooks:read',
  'sources:read',
  'health:read',
];

const grants: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(permissions),
  analyst: new Set([...readOnly, 'alerts:write', 'rules:write', 'playbooks:run', 'routing:read']),
  responder: new Set([...readOnly, 'alerts:write', 'playbooks:run', 'playbooks:approve', 'routing:read']),
  viewer: new Set(readOnly),
  ingest: new Set(['events:ingest']),
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return grants[role].has(permission);
}

/** The principal behind a request, however it authenticated. */
export interface Principal {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  /** For ingest-role principals: the source ids they may write (comma-separated), or `*`. Null otherwise. */
  readonly source: string | null;
  /** token: API token; access: Cloudflare Access JWT; webhook: a vendor's signed delivery; oidc: a cloud's push identity. */
  readonly via: 'token' | 'access' | 'webhook' | 'oidc';
}

/** Whether the principal may ingest into `source`: admins always; ingest tokens for their source or `*`. */
export function mayIngest(principal: Principal, source: string): boolean {
  if (!roleAllows(principal.role, 'events:ingest')) return false;
  if (principal.role !== 'ingest') return true;
  const allowed = (principal.source ?? '').split(',').map((s) => s.trim());
  return allowed.includes('*') || allowed.includes(source);
}
