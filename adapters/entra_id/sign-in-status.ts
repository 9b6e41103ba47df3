/**
 * What an Entra ID sign-in error code means for the identity view. Shared by the Entra ID sign-in logs and the
 * Microsoft 365 audit log's AzureActiveDirectory logon records (which carry the same code as `ErrorNumber`, and
 * its name as `LogonError`).
 *
 * Codes and names: https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes
 * (0 is success; every other code is an error or an interrupt of the sign-in flow).
 *
 * Invariants: a code Microsoft documents as an *interrupt* (the user is sent to another step, e.g. "stay signed
 * in?") is neither a failed authentication nor an MFA verdict, so it maps to no identity action; an unknown
 * non-zero code is a failed authentication, because that is what Microsoft's sign-in log records it as.
 */
import type { IdentityAction } from '../../core/schema/event';

export type SignInVerdict = 'success' | 'auth_failure' | 'mfa_challenge' | 'mfa_deny' | 'interrupt';

const verdictByCode = new Map<number, SignInVerdict>([
  [0, 'success'],
  // Strong authentication required: the user is (or must be) prompted for a second factor.
  [50074, 'mfa_challenge'], // UserStrongAuthClientAuthNRequiredInterrupt
  [50076, 'mfa_challenge'], // UserStrongAuthClientAuthNRequired
  [50072, 'mfa_challenge'], // UserStrongAuthEnrollmentRequiredInterrupt
  [50079, 'mfa_challenge'], // UserStrongAuthEnrollmentRequired
  [50158, 'mfa_challenge'], // ExternalSecurityChallenge (third-party MFA) not yet satisfied
  // The second factor was attempted and did not succeed (denied, ignored, wrong code, fraud reported).
  [500121, 'mfa_deny'], // Authentication failed during strong authentication request
  // Interrupts: the flow continues on another page; nothing was decided about the credentials.
  [50140, 'interrupt'], // KmsiInterrupt ("stay signed in?")
  [50199, 'interrupt'], // CmsiInterrupt (security confirmation for native apps)
  [50125, 'interrupt'], // PasswordResetRegistrationRequiredInterrupt
  [50203, 'interrupt'], // AuthenticatorAppRegistrationRequiredInterrupt
  [50097, 'interrupt'], // DeviceAuthenticationRequired
  [16000, 'interrupt'], // account selection
  [16001, 'interrupt'], // UserAccountSelectionInvalid
  [81010, 'interrupt'], // Seamless SSO could not use the Kerberos ticket; falls back to a password prompt
  [50089, 'interrupt'], // FlowTokenExpired (the user took too long; they retry)
]);

/** LogonError names (Microsoft 365 audit log) of the codes above and of common failures. */
const codeByName = new Map<string, number>([
  ['UserStrongAuthClientAuthNRequiredInterrupt', 50074],
  ['UserStrongAuthClientAuthNRequired', 50076],
  ['UserStrongAuthEnrollmentRequiredInterrupt', 50072],
  ['UserStrongAuthEnrollmentRequired', 50079],
  ['ExternalSecurityChallenge', 50158],
  ['KmsiInterrupt', 50140],
  ['CmsiInterrupt', 50199],
  ['PasswordResetRegistrationRequiredInterrupt', 50125],
  ['AuthenticatorAppRegistrationRequiredInterrupt', 50203],
  ['DeviceAuthenticationRequired', 50097],
  ['FlowTokenExpired', 50089],
  ['InvalidUserNameOrPassword', 50126],
  ['IdsLocked', 50053],
  ['UserAccountNotFound', 50034],
  ['UserDisabled', 50057],
  ['InvalidPasswordExpiredPassword', 50055],
  ['BlockedByConditionalAccess', 53003],
]);

/** The verdict for a numeric or textual error code; null when the record carries no code at all. */
export function signInVerdict(code: number | null): SignInVerdict | null {
  if (code === null) return null;
  return verdictByCode.get(code) ?? 'auth_failure';
}

/** The code a LogonError name stands for, or null when we do not know the name. */
export function codeForLogonError(name: string | null): number | null {
  if (!name) return null;
  return codeByName.get(name) ?? null;
}

/** A LogonError name we have no code for: Microsoft names interrupts `...Interrupt`. */
export function verdictForUnknownLogonError(name: string): SignInVerdict {
  return name.endsWith('Interrupt') ? 'interrupt' : 'auth_failure';
}

export function identityActionOf(verdict: SignInVerdict | null): IdentityAction | null {
  switch (verdict) {
    case 'success':
      return 'auth_success';
    case 'auth_failure':
    case 'mfa_challenge':
    case 'mfa_deny':
      return verdict;
    default:
      return null;
  }
}
