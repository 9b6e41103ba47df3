/**
 * The role → permission table from docs/api.md, used only to disable controls the signed-in role cannot
 * use. The API remains the authority: its 403 message is still shown if the UI and the server disagree.
 */
import type { Role } from '../api/api-types';

export type Permission =
  | 'events:ingest'
  | 'events:query'
  | 'alerts:read'
  | 'alerts:write'
  | 'rules:read'
  | 'rules:write'
  | 'identity:read'
  | 'playbooks:read'
  | 'playbooks:run'
  | 'playbooks:approve'
  | 'sources:read'
  | 'health:read'
  | 'tokens:manage'
  | 'audit:read';

const readAll: Permission[] = [
  'events:query',
  'alerts:read',
  'rules:read',
  'identity:read',
  'playbooks:read',
  'sources:read',
  'health:read',
];

const permissionsByRole: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set<Permission>([
    ...readAll,
    'events:ingest',
    'alerts:write',
    'rules:write',
    'playbooks:run',
    'playbooks:approve',
    'tokens:manage',
    'audit:read',
  ]),
  analyst: new Set<Permission>([...readAll, 'alerts:write', 'rules:write', 'playbooks:run']),
  responder: new Set<Permission>([...readAll, 'alerts:write', 'playbooks:run', 'playbooks:approve']),
  viewer: new Set<Permission>(readAll),
  ingest: new Set<Permission>(['events:ingest']),
};

export function roleCan(role: Role, permission: Permission): boolean {
  return permissionsByRole[role]?.has(permission) ?? false;
}

export function missingPermissionHint(role: Role, permission: Permission): string | undefined {
  return roleCan(role, permission) ? undefined : `Your role (${role}) lacks ${permission}`;
}
