/**
 * What Duo's log entries mean for the identity view.
 *
 * Authentication log: Duo is the second factor, so an entry *is* the MFA step. A success the user approved
 * (push approved, passcode valid) is `mfa_accept`; a success Duo let through without a second factor (bypass
 * status, remembered device, trusted network, policy) is `auth_success`; a denial the user or the factor caused
 * (push denied or ignored, fraud reported, wrong passcode) is `mfa_deny`; a denial by policy or account state
 * (locked out, disabled, endpoint or location not allowed) is `auth_failure`.
 * Reasons: https://duo.com/docs/adminapi#authentication-logs (v2 `reason` values; v1 sends the same values as
 * display text, "User marked fraud", which we compare in snake_case).
 *
 * Administrator and activity logs: actions on accounts, admins, factors and bypass codes
 * (https://duo.com/docs/adminapi#administrator-logs). Bypass codes are issued secrets that stand in for the
 * second factor, so creating them is `token_issue`; a user put into "Bypass" status no longer needs a second
 * factor, which we record as `factor_remove`.
 */
import type { IdentityAction } from '../../core/schema/event';

/** Successes without a second factor. */
const noSecondFactor = new Set([
  'bypass_user',
  'allow_unenrolled_user',
  'allow_unenrolled_user_on_trusted_network',
  'remembered_device',
  'trusted_network',
  'trusted_location',
  'allowed_by_policy',
]);
const noSecondFactorFactors = new Set(['remembered_device', 'trusted_network', 'not_available']);

/** Denials the user or the second factor caused. */
const secondFactorDenials = new Set([
  'user_denied',
  'user_marked_fraud',
  'user_cancelled',
  'user_mistake',
  'no_response',
  'no_keys_pressed',
  'call_timed_out',
  'invalid_passcode',
  'anomalous_push',
  'verification_code_missing',
  'verification_code_incorrect',
  'deny_unenrolled_user',
]);

/** "User marked fraud" (v1) and "user_marked_fraud" (v2) → "user_marked_fraud". */
export function snakeReason(reason: string | null): string | null {
  return reason ? reason.trim().toLowerCase().replace(/[\s-]+/g, '_') : null;
}

export function authenticationIdentityAction(
  eventType: string | null,
  result: string | null,
  reason: string | null,
  factor: string | null,
): IdentityAction | null {
  const r = result?.toLowerCase();
  if (eventType === 'enrollment') return r === 'success' ? 'factor_enroll' : null;
  switch (r) {
    case 'success':
      return (reason && noSecondFactor.has(reason)) || (factor && noSecondFactorFactors.has(factor)) ? 'auth_success' : 'mfa_accept';
    case 'fraud':
      return 'mfa_deny';
    case 'denied':
    case 'failure':
      return reason && secondFactorDenials.has(reason) ? 'mfa_deny' : 'auth_failure';
    case 'error':
      return 'auth_failure';
    default:
      return null;
  }
}

/** [on success, on failure]; a failed change changed nothing, so most have no failure action. */
type Pair = readonly [success: IdentityAction | null, failure: IdentityAction | null];

const adminActions = new Map<string, Pair>([
  ['admin_login', ['auth_success', 'auth_failure']],
  ['admin_login_error', ['auth_failure', 'auth_failure']],
  ['admin_2fa_error', ['mfa_deny', 'mfa_deny']],
  ['admin_lockout', ['account_disable', null]],
  ['admin_create', ['account_create', null]],
  ['admin_delete', ['account_delete', null]],
  ['admin_reset_password', ['password_reset', null]],
  ['admin_send_reset_password_email', ['password_reset', null]],
  ['admin_activate_duo_push', ['factor_enroll', null]],
  ['user_create', ['account_create', null]],
  ['user_delete', ['account_delete', null]],
  ['user_pending_delete', ['account_delete', null]],
  ['user_restore', ['account_enable', null]],
  ['bypass_create', ['token_issue', null]],
  ['bypass_delete', ['token_revoke', null]],
  ['phone_create', ['factor_enroll', null]],
  ['phone_associate', ['factor_enroll', null]],
  ['phone_delete', ['factor_remove', null]],
  ['phone_disassociate', ['factor_remove', null]],
  ['hardtoken_create', ['factor_enroll', null]],
  ['hardtoken_associate', ['factor_enroll', null]],
  ['hardtoken_delete', ['factor_remove', null]],
  ['hardtoken_disassociate', ['factor_remove', null]],
  ['u2ftoken_create', ['factor_enroll', null]],
  ['u2ftoken_delete', ['factor_remove', null]],
  ['webauthncredential_create', ['factor_enroll', null]],
  ['webauthncredential_delete', ['factor_remove', null]],
  ['desktop_authenticator_create', ['factor_enroll', null]],
  ['desktop_authenticator_delete', ['factor_remove', null]],
  ['o2fa_user_provisioned', ['factor_enroll', null]],
  ['o2fa_user_reenrolled', ['factor_enroll', null]],
  ['o2fa_user_deprovisioned', ['factor_remove', null]],
]);

/** A user's status set by `user_update` (description `{"status": "Disabled"}`). */
const statusActions = new Map<string, IdentityAction>([
  ['active', 'account_enable'],
  ['disabled', 'account_disable'],
  ['locked out', 'account_disable'],
  ['bypass', 'factor_remove'],
]);

export function adminIdentityAction(action: string, succeeded: boolean, status: string | null): IdentityAction | null {
  if (action === 'user_update') return succeeded && status ? (statusActions.get(status.toLowerCase()) ?? null) : null;
  const pair = adminActions.get(action);
  if (!pair) return null;
  return succeeded ? pair[0] : pair[1];
}

/** The kind of thing an administrator action acts on, from the action's prefix. */
export function adminTargetType(action: string): string | null {
  if (action.startsWith('user_') || action.startsWith('bypass_')) return 'User';
  if (action.startsWith('admin_')) return 'Admin';
  if (action.startsWith('integration_') || action.startsWith('o2fa_')) return 'Integration';
  if (action.startsWith('phone_')) return 'Phone';
  if (action.startsWith('group_')) return 'Group';
  if (action.startsWith('policy_')) return 'Policy';
  if (action.startsWith('hardtoken_') || action.startsWith('u2ftoken_')) return 'Token';
  if (action.startsWith('webauthncredential_')) return 'WebAuthnCredential';
  return null;
}
