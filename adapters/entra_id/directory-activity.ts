/**
 * Entra ID directory-audit activities → identity actions. Shared by the Entra ID audit logs
 * (`activityDisplayName`) and the Microsoft 365 audit log's AzureActiveDirectory records (`Operation`, the same
 * names with a trailing period: "Add member to role.").
 *
 * Activity names: https://learn.microsoft.com/en-us/entra/identity/monitoring-health/reference-audit-activities
 *
 * Invariants: names are compared lower-cased without a trailing period; a PIM *request* is not a grant (the grant
 * is logged separately when it completes); "Update user" means something for identity only through the
 * properties it changed (account enabled, strong-authentication methods).
 */
import type { IdentityAction } from '../../core/schema/event';

const byActivity = new Map<string, IdentityAction>([
  ['add user', 'account_create'],
  ['invite external user', 'account_create'],
  ['delete user', 'account_delete'],
  ['hard delete user', 'account_delete'],
  ['restore user', 'account_enable'],
  ['enable account', 'account_enable'],
  ['disable account', 'account_disable'],
  ['change user password', 'password_change'],
  ['change password (self-service)', 'password_change'],
  ['reset user password', 'password_reset'],
  ['reset password (by admin)', 'password_reset'],
  ['reset password (self-service)', 'password_reset'],
  ['user registered security info', 'factor_enroll'],
  ['user registered all required security info', 'factor_enroll'],
  ['admin registered security info', 'factor_enroll'],
  ['user deleted security info', 'factor_remove'],
  ['admin deleted security info', 'factor_remove'],
  ['consent to application', 'oauth_consent'],
  ['add delegated permission grant', 'oauth_consent'],
  ['add app role assignment to service principal', 'privilege_grant'],
  ['remove app role assignment from service principal', 'privilege_revoke'],
  ['add owner to application', 'privilege_grant'],
  ['add owner to service principal', 'privilege_grant'],
  ['remove owner from application', 'privilege_revoke'],
  ['remove owner from service principal', 'privilege_revoke'],
  ['add service principal credentials', 'token_issue'],
  ['update application – certificates and secrets management', 'token_issue'],
  ['remove service principal credentials', 'token_revoke'],
  // Revoking a user's sessions is logged as this property update.
  ['update stsrefreshtokenvalidfrom timestamp', 'token_revoke'],
  ['invalidate all refresh tokens for a user', 'token_revoke'],
  // Azure RBAC, logged by Microsoft.Authorization into the same audit stream.
  ['add role assignment', 'privilege_grant'],
  ['create role assignment', 'privilege_grant'],
  ['remove role assignment', 'privilege_revoke'],
  ['delete role assignment', 'privilege_revoke'],
  ['user has elevated their access to user access administrator for their azure resources', 'privilege_grant'],
]);

const grantPrefixes = ['add member to role', 'add eligible member to role', 'add scoped member to role'];
const revokePrefixes = ['remove member from role', 'remove eligible member from role', 'remove scoped member from role'];

/** A property an audit record says was modified, in either product's spelling. */
export interface ModifiedProperty {
  readonly name: string | null;
  readonly oldValue: string | null;
  readonly newValue: string | null;
}

export function normalizeActivityName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

export function directoryIdentityAction(
  activity: string,
  modified: () => readonly ModifiedProperty[],
): IdentityAction | null {
  const name = normalizeActivityName(activity);
  const fixed = byActivity.get(name);
  if (fixed) return fixed;
  if (name === 'update user') return fromModifiedProperties(modified());
  // "Add member to role in PIM completed (permanent)" grants; "... in PIM requested (permanent)" does not yet.
  const isRequest = name.includes(' request');
  if (grantPrefixes.some((p) => name.startsWith(p))) return isRequest ? null : 'privilege_grant';
  if (revokePrefixes.some((p) => name.startsWith(p))) return isRequest ? null : 'privilege_revoke';
  return null;
}

function fromModifiedProperties(properties: readonly ModifiedProperty[]): IdentityAction | null {
  for (const p of properties) {
    if (p.name === 'AccountEnabled') {
      const now = (p.newValue ?? '').toLowerCase();
      if (now.includes('false')) return 'account_disable';
      if (now.includes('true')) return 'account_enable';
    }
    if (p.name === 'StrongAuthenticationMethod') {
      // Values are JSON lists of {"MethodType": n, "Default": bool}; counting entries tells added from removed.
      const before = countOf(p.oldValue, 'MethodType');
      const after = countOf(p.newValue, 'MethodType');
      if (after > before) return 'factor_enroll';
      if (after < before) return 'factor_remove';
    }
  }
  return null;
}

function countOf(haystack: string | null, needle: string): number {
  if (!haystack) return 0;
  let n = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}
