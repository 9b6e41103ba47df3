/**
 * OneLogin event types: the numeric `event_type_id` of an event, its name as the Get Event Types API
 * (`GET /api/1/events/types`) returns it, and what it means for the identity view.
 * Reference: https://developers.onelogin.com/api-docs/1/events/event-types (and
 * https://developers.onelogin.com/api-docs/1/events/event-resource for the event fields).
 *
 * The table holds the identity-relevant types, the ones in our samples and the common administrative ones; an
 * unknown id keeps its number (`event_type_1234`) and no identity action.
 */
import type { IdentityAction } from '../../core/schema/event';

export interface EventType {
  readonly name: string;
  readonly identity: IdentityAction | null;
}

const types: readonly (readonly [number, string, IdentityAction | null])[] = [
  [1, 'APP_ADDED_TO_ROLE', null],
  [2, 'APP_REMOVED_FROM_ROLE', null],
  // An administrator signed in as another user: a session the actor starts as the target.
  [3, 'USER_ASSUMED_USER', 'session_start'],
  [4, 'USER_ASSIGNED_ROLE', null],
  [5, 'USER_LOGGED_INTO_ONELOGIN', 'session_start'],
  [6, 'USER_FAILED_ONELOGIN_LOGIN', 'auth_failure'],
  [7, 'USER_LOGGED_OUT_OF_ONELOGIN', 'session_end'],
  [8, 'USER_LOGGED_INTO_APP', 'auth_success'],
  [9, 'USER_FAILED_APP_LOGIN', 'auth_failure'],
  [10, 'USER_REQUESTED_NEW_PASSWORD', null],
  [11, 'USER_CHANGED_PASSWORD', 'password_change'],
  [12, 'UNLOCKED_USER', 'account_enable'],
  [13, 'CREATED_USER', 'account_create'],
  [14, 'UPDATED_USER', null],
  [15, 'DEACTIVATED_USER', 'account_disable'],
  [16, 'ACTIVATED_USER', 'account_enable'],
  [17, 'DELETED_USER', 'account_delete'],
  [18, 'ADMIN_APPROVED_PASSWORD_REQUEST', null],
  [19, 'USER_LOCKED', 'account_disable'],
  [21, 'SUSPENDED_USER', 'account_disable'],
  [22, 'USER_ADDED_OTP_DEVICE', 'factor_enroll'],
  [24, 'USER_REMOVED_OTP_DEVICE', 'factor_remove'],
  [29, 'USER_LOGGED_OUT_OF_APP', 'session_end'],
  [32, 'REACTIVATED_USER', 'account_enable'],
  [35, 'USER_LOCKED_OUT_OF_APP', null],
  [36, 'USER_LOST_OTP_DEVICE', null],
  [40, 'USER_UNLOCKED_OTP_DEVICE', null],
  [48, 'IMPORTED_USER', 'account_create'],
  [68, 'USER_AUTHENTICATED_BY_RADIUS', 'auth_success'],
  [69, 'USER_REJECTED_BY_RADIUS', 'auth_failure'],
  [70, 'PRIVILEGE_GRANTED_TO_ACCOUNT', 'privilege_grant'],
  [71, 'PRIVILEGE_REVOKED_FROM_ACCOUNT', 'privilege_revoke'],
  [72, 'PRIVILEGE_GRANTED_TO_USER', 'privilege_grant'],
  [73, 'PRIVILEGE_REVOKED_FROM_USER', 'privilege_revoke'],
  [74, 'TRUSTED_IDP_ADDED', null],
  [75, 'TRUSTED_IDP_REMOVED', null],
  [76, 'TRUSTED_IDP_MODIFIED', null],
  [77, 'USER_FAILED_PROXY_LOGIN', 'auth_failure'],
  [78, 'USER_SUCCEEDED_PROXY_LOGIN', 'auth_success'],
  [86, 'USER_FAILED_REMOTE_AUTHENTICATION', 'auth_failure'],
  [90, 'USER_UNAUTHORIZED_APP_ACCESS', 'auth_failure'],
  [106, 'USER_CHANGE_PASSWORD_FAILED', null],
  [115, 'USER_INVITED', null],
  [116, 'CREATE_USER_FAILED', null],
  [120, 'UNLOCKED_USER_IN_DIRECTORY', 'account_enable'],
  [122, 'USER_AUTHENTICATED_BY_API', 'auth_success'],
  [123, 'USER_REJECTED_BY_API', 'auth_failure'],
  [129, 'VLDAP_BIND_FAILURE', 'auth_failure'],
  [130, 'VLDAP_BIND_SUCCESS', 'auth_success'],
  [140, 'SOCIAL_SIGN_IN', 'auth_success'],
  [141, 'SOCIAL_SIGN_IN_FAILURE', 'auth_failure'],
  [145, 'USER_SMART_PASSWORD_UPDATED', 'password_change'],
  [147, 'USER_MANUALLY_ADDED_TO_ROLE', null],
  [148, 'USER_MANUALLY_REMOVED_FROM_ROLE', null],
  [151, 'USER_ROLE_MANAGEMENT_GRANTED', 'privilege_grant'],
  [152, 'USER_ROLE_MANAGEMENT_REVOKED', 'privilege_revoke'],
  [153, 'MAC_LOGIN_SUCCESS', 'auth_success'],
  [154, 'MAC_LOGIN_FAILURE', 'auth_failure'],
  [156, 'POLICY_CREATED', null],
  [157, 'POLICY_UPDATED', null],
  [158, 'POLICY_DELETED', null],
  [170, 'AUTHENTICATION_FACTOR_CREATED', null],
  [171, 'AUTHENTICATION_FACTOR_UPDATED', null],
  // Removing an authentication factor takes it from the user(s) who had it.
  [172, 'AUTHENTICATION_FACTOR_DELETED', 'factor_remove'],
  [179, 'API_CREDENTIAL_CREATED', 'token_issue'],
  [180, 'API_CREDENTIAL_DELETED', 'token_revoke'],
  [181, 'API_CREDENTIAL_ENABLED', null],
  [182, 'API_CREDENTIAL_DISABLED', null],
  // An administrator setting a user's password is a reset, whatever the user knew before.
  [211, 'ADMIN_CHANGED_USER_PASSWORD', 'password_reset'],
  [237, 'DELETE_USER_FAILED', null],
  [240, 'USER_REVEALED_PASSWORD', null],
  [291, 'USER_CREATED_BY_TIDP', 'account_create'],
  [510, 'API_SET_PWD_SALT', 'password_reset'],
  [511, 'API_SET_PWD_CLEAR_TEXT', 'password_reset'],
  [513, 'API_ADD_ROLES', null],
  [514, 'API_REMOVE_ROLES', null],
  [515, 'API_AUTH_ISSUE_TOKEN', 'token_issue'],
  [516, 'API_LOGOUT', 'session_end'],
  [522, 'API_AUTH_ISSUE_TOKEN_FAILED', null],
  [527, 'API_VERIFY_FACTOR_FAILED', 'mfa_deny'],
  [528, 'API_VERIFY_FACTOR', 'mfa_accept'],
  [530, 'API_DESTROY_USER', 'account_delete'],
  [531, 'API_LOCK_USER', 'account_disable'],
  [533, 'API_CREATE_USER', 'account_create'],
  [537, 'API_CONFIRM_FACTOR', 'factor_enroll'],
  [539, 'API_TRIGGER_FACTOR', 'mfa_challenge'],
  [540, 'API_ADDED_OTP_DEVICE', 'factor_enroll'],
  [550, 'FORCE_LOGOUT_USER', 'session_end'],
  [551, 'SUSPENDED_USER_VIA_API', 'account_disable'],
  [552, 'REACTIVATED_USER_VIA_API', 'account_enable'],
  [553, 'USER_LOCKED_VIA_API', 'account_disable'],
  [554, 'UNLOCKED_USER_VIA_API', 'account_enable'],
  [555, 'EXTERNAL_ASSUME_USER', 'session_start'],
  [900, 'ONELOGIN_DESKTOP_MAC_LOGIN_SUCCESS', 'auth_success'],
  [901, 'ONELOGIN_DESKTOP_MAC_LOGIN_FAILURE', 'auth_failure'],
  [904, 'ONELOGIN_DESKTOP_LOGIN_SUCCESS', 'auth_success'],
  [905, 'ONELOGIN_DESKTOP_LOGIN_FAILURE', 'auth_failure'],
  [906, 'ONELOGIN_DESKTOP_USER_FAILED_ONELOGIN_LOGIN', 'auth_failure'],
  [950, 'OL_OTP_PUSH_REJECT', 'mfa_deny'],
  [1001, 'USER_LOGIN_CHALLENGE', 'mfa_challenge'],
  [1002, 'USER_LOGIN_CHALLENGE_FAILED', 'mfa_deny'],
  [1010, 'USER_REAUTH_SUCCESS', 'auth_success'],
  [1100, 'TEMP_OTP_TOKEN_GENERATED', 'token_issue'],
  [1101, 'TEMP_OTP_TOKEN_REVOKED', 'token_revoke'],
  [1400, 'USER_VERIFIED_OTP_DEVICE', null],
  [1608, 'PROFILE_CHANGE_PASSWORD', 'password_change'],
  [1801, 'ROLE_CREATED', null],
  [1802, 'ROLE_DELETED', null],
  [2106, 'DELEGATED_PRIVILEGE_ASSIGNED_TO_USER_VIA_API', 'privilege_grant'],
  [2107, 'DELEGATED_PRIVILEGE_ASSIGNED_TO_USER_BY_USER', 'privilege_grant'],
  [2108, 'DELEGATED_PRIVILEGE_REMOVED_FROM_USER_VIA_API', 'privilege_revoke'],
  [2109, 'DELEGATED_PRIVILEGE_REMOVED_FROM_USER_BY_USER', 'privilege_revoke'],
  [3005, 'OIDC_AUTHORIZATION_CODE_SUCCESS', 'token_issue'],
  [3006, 'OIDC_AUTHORIZATION_CODE_FAILED', null],
  [3007, 'OIDC_CLIENT_CREDENTIALS_SUCCESS', 'token_issue'],
  [3008, 'OIDC_CLIENT_CREDENTIALS_FAILED', null],
  [3009, 'OIDC_PASSWORD_SUCCESS', 'auth_success'],
  [3010, 'OIDC_PASSWORD_FAILED', 'auth_failure'],
  [3011, 'OIDC_REFRESH_TOKEN_SUCCESS', 'token_issue'],
  [3012, 'OIDC_REFRESH_TOKEN_FAILED', null],
  [3015, 'OIDC_REVOKE_TOKEN_SUCCESS', 'token_revoke'],
  [3016, 'OIDC_REVOKE_TOKEN_FAILED', null],
  [3020, 'GROUP_CREATED', null],
  [3022, 'GROUP_DESTROYED', null],
];

export const eventTypes: ReadonlyMap<number, EventType> = new Map(types.map(([id, name, identity]) => [id, { name, identity }]));

/** Role and group changes: OneLogin roles bundle app access, like groups elsewhere. */
export const roleAndGroupTypes: ReadonlySet<number> = new Set([1, 2, 4, 147, 148, 513, 514, 1801, 1802, 3020, 3022]);

/** Names that record a failure: FAILED, FAILURE, REJECT(ED), UNAUTHORIZED. */
export function isFailureName(name: string): boolean {
  return name.includes('FAIL') || name.includes('REJECT') || name.includes('UNAUTHORIZED');
}
