/**
 * What the signed-in role may do, from the server's own role table (core/auth/roles, pure TypeScript shared
 * with the Worker), used only to disable controls the role cannot use. The API remains the authority: its
 * 403 message is still shown if the UI and the server ever disagree.
 */
import { roleAllows, type Permission } from '../../../core/auth/roles';
import type { Role } from '../api/api-types';

export type { Permission };

export function roleCan(role: Role, permission: Permission): boolean {
  return roleAllows(role, permission);
}

export function missingPermissionHint(role: Role, permission: Permission): string | undefined {
  return roleCan(role, permission) ? undefined : `Your role (${role}) lacks ${permission}`;
}
