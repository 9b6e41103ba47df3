/**
 * What a Google Workspace activity event means for the identity view, by application and event name
 * (https://developers.google.com/workspace/admin/reports/v1/appendix/activity/login, .../admin, .../token,
 * .../saml, .../user-accounts).
 *
 * - login: `login_success` starts a Google session; `login_failure` is a failed sign-in, or a failed second
 *   factor when `login_failure_type` is `login_failure_invalid_second_factor`; `login_challenge` and
 *   `login_verification` are MFA steps when a second-factor method was used (`login_challenge_method` other than
 *   password), decided by `login_challenge_status` ("Challenge Passed" / "Challenge Failed"); `logout` ends the
 *   session; the `account_disabled_*` warnings are Google disabling the account.
 * - saml: a SAML sign-in to an app is an authentication, not a Google session.
 * - admin: role and admin-privilege grants, user lifecycle, an admin setting a user's password (a reset), and
 *   sign-in cookie / OAuth token revocation.
 * - token: `authorize` is an OAuth consent, `revoke` a token revocation.
 * - user_accounts (formerly under login): 2-step verification enroll/disable, Advanced Protection
 *   (`titanium_*`) enroll/unenroll, and the user's own password change.
 */
import type { IdentityAction } from '../../core/schema/event';

const adminEvents = new Map<string, IdentityAction>([
  ['ASSIGN_ROLE', 'privilege_grant'],
  ['UNASSIGN_ROLE', 'privilege_revoke'],
  ['GRANT_ADMIN_PRIVILEGE', 'privilege_grant'],
  ['REVOKE_ADMIN_PRIVILEGE', 'privilege_revoke'],
  ['CREATE_USER', 'account_create'],
  ['DELETE_USER', 'account_delete'],
  ['UNDELETE_USER', 'account_enable'],
  ['SUSPEND_USER', 'account_disable'],
  ['UNSUSPEND_USER', 'account_enable'],
  ['CHANGE_PASSWORD', 'password_reset'],
  ['RESET_SIGNIN_COOKIES', 'token_revoke'],
  ['REVOKE_3LO_TOKEN', 'token_revoke'],
  ['REVOKE_3LO_DEVICE_TOKENS', 'token_revoke'],
]);

/** Account-security events that Google logs under `user_accounts` now and under `login` before. */
const accountEvents = new Map<string, IdentityAction>([
  ['2sv_enroll', 'factor_enroll'],
  ['2sv_disable', 'factor_remove'],
  ['titanium_enroll', 'factor_enroll'],
  ['titanium_unenroll', 'factor_remove'],
  ['password_edit', 'password_change'],
]);

/** Challenge methods that are the password or no challenge at all, not a second factor. */
const notSecondFactor = new Set(['password', 'none']);

export interface LoginDetails {
  readonly type: string | null;
  readonly failureType: string | null;
  readonly challengeStatus: string | null;
  readonly secondFactors: readonly string[];
}

export function workspaceIdentityAction(application: string | null, name: string, login: LoginDetails): IdentityAction | null {
  const account = accountEvents.get(name);
  if (account && (application === 'user_accounts' || application === 'login')) return account;
  switch (application) {
    case 'login':
      return loginIdentityAction(name, login);
    case 'saml':
      return name === 'login_success' ? 'auth_success' : name === 'login_failure' ? 'auth_failure' : null;
    case 'admin':
      return adminEvents.get(name) ?? null;
    case 'token':
      return name === 'authorize' ? 'oauth_consent' : name === 'revoke' ? 'token_revoke' : null;
    default:
      return null;
  }
}

function loginIdentityAction(name: string, login: LoginDetails): IdentityAction | null {
  // Panther's samples file warnings such as a suspicious login_success under type account_warning.
  if (login.type === 'account_warning') return name.startsWith('account_disabled') ? 'account_disable' : null;
  if (name.startsWith('account_disabled')) return 'account_disable';
  switch (name) {
    case 'login_success':
      return 'session_start';
    case 'login_failure':
      return login.failureType === 'login_failure_invalid_second_factor' ? 'mfa_deny' : 'auth_failure';
    case 'logout':
      return 'session_end';
    case 'login_challenge':
    case 'login_verification': {
      const status = challengeStatus(login.challengeStatus);
      const mfa = login.secondFactors.length > 0;
      if (status === 'passed') return mfa ? 'mfa_accept' : null;
      if (status === 'failed') return mfa ? 'mfa_deny' : 'auth_failure';
      return mfa ? 'mfa_challenge' : null;
    }
    default:
      return null;
  }
}

/** "Challenge Passed" / "Challenge Failed" (sometimes with a trailing period). */
export function challengeStatus(status: string | null): 'passed' | 'failed' | null {
  const s = status?.toLowerCase() ?? '';
  if (s.includes('passed')) return 'passed';
  if (s.includes('failed')) return 'failed';
  return null;
}

/** The second-factor methods among `login_challenge_method` values. */
export function secondFactors(methods: unknown): string[] {
  const list = Array.isArray(methods) ? methods : typeof methods === 'string' ? [methods] : [];
  const out: string[] = [];
  for (const m of list) if (typeof m === 'string' && m !== '' && !notSecondFactor.has(m)) out.push(m);
  return out;
}
