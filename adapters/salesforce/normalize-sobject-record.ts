/**
 * Salesforce sObject records from the REST API (LoginHistory, SetupAuditTrail, Real-Time Event Monitoring
 * events) → normalized event. Pure; never throws.
 *
 * Invariants:
 * - A login succeeded only when `Status` is `Success`; any other status is a failure, and a status naming a
 *   verification or second-factor problem is an MFA denial.
 * - A SetupAuditTrail change made through Login-As is the delegate's (`DelegateUser`), not the impersonated
 *   creator's.
 * - SetupAuditTrail identity actions come from `Action`, matched case-insensitively (Salesforce mixes cases:
 *   `PermSetAssign`, `frozeuser`).
 */
import type { EventDraft, IdentityAction, Outcome, ParseContext } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { finiteNumber, ipAddress, principalName, text } from '../shared/lenient';
import { blankEvent, ocsf, type OcsfClass } from './event-draft';
import { loginRecordSchema, setupAuditTrailRecordSchema } from './sobject-record-schema';

export function normalizeSobjectRecord(type: string, record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  return type === 'SetupAuditTrail' ? setupAuditTrailEvent(record, ctx) : loginFamilyEvent(type, record, ctx);
}

/** LoginHistory, LoginEvent, LogoutEvent, LoginAsEvent, and other real-time events read by their shared fields. */
function loginFamilyEvent(type: string, record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const r = loginRecordSchema.parse(record);
  const time = toIsoMillis(r.LoginTime) ?? toIsoMillis(r.EventDate) ?? toIsoMillis(r.CreatedDate);
  const status = text(r.Status);
  const isLogin = type === 'LoginHistory' || type === 'LoginEvent';
  // A LogoutEvent or LoginAsEvent exists only once the session ended or began; logins carry a Status.
  const outcome: Outcome = status === null ? (type === 'LogoutEvent' || type === 'LoginAsEvent' ? 'success' : 'unknown') : status === 'Success' ? 'success' : 'failure';
  const loginAs = type === 'LoginAsEvent';
  const user = principalName(r.Username) ?? text(r.UserId);
  const cls: OcsfClass | null = isLogin || loginAs || type === 'LogoutEvent' ? ocsf.authentication : type === 'ApiEvent' ? ocsf.apiActivity : null;
  return {
    ...blankEvent(ctx, time, cls),
    event_id: text(r.EventIdentifier) ?? text(r.Id),
    action: type,
    identity_action: isLogin ? loginIdentity(outcome, status) : loginAs ? 'session_start' : type === 'LogoutEvent' ? 'session_end' : null,
    outcome,
    outcome_reason: status,
    actor: loginAs ? principalName(r.DelegatedUsername) : user,
    actor_id: loginAs ? null : text(r.UserId),
    actor_type: loginAs ? null : text(r.UserType),
    src_ip: ipAddress(r.SourceIp),
    src_country: text(r.CountryIso) ?? text(r.Country),
    src_region: text(r.Subdivision),
    src_city: text(r.City),
    src_lat: finiteNumber(r.Latitude),
    src_lon: finiteNumber(r.Longitude),
    user_agent: browserLabel(text(r.Browser), text(r.Platform)),
    service: text(r.Application),
    target: loginAs ? user : null,
    target_type: loginAs && user ? 'user' : null,
    session_id: text(r.SessionKey) ?? text(r.LoginKey),
    mfa_factor: text(r.AuthMethodReference),
    message: text(r.LoginType),
  };
}

function loginIdentity(outcome: Outcome, status: string | null): IdentityAction | null {
  if (outcome === 'success') return 'auth_success';
  if (outcome !== 'failure') return null;
  const s = status?.toLowerCase() ?? '';
  return s.includes('verification') || s.includes('two-factor') || s.includes('multi-factor') || s.includes('mfa') ? 'mfa_deny' : 'auth_failure';
}

/** "Edge 134 (Windows 10)": LoginHistory names the browser and platform, not the user-agent header. */
function browserLabel(browser: string | null, platform: string | null): string | null {
  const b = browser === 'Unknown' || browser === 'N/A' ? null : browser;
  const p = platform === 'Unknown' || platform === 'N/A' ? null : platform;
  if (b && p) return `${b} (${p})`;
  return b ?? p;
}

function setupAuditTrailEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const r = setupAuditTrailRecordSchema.parse(record);
  const action = text(r.Action) ?? 'unknown';
  const identity = setupIdentity[action.toLowerCase()] ?? null;
  const delegate = principalName(r.DelegateUser);
  const display = text(r.Display);
  const target = display ? displayedUser(display) : null;
  return {
    ...blankEvent(ctx, toIsoMillis(r.CreatedDate), setupClass(identity)),
    event_id: text(r.Id),
    action,
    identity_action: identity,
    outcome: 'success',
    actor: delegate ?? principalName(r.CreatedBy?.Username) ?? text(r.CreatedById),
    actor_id: delegate ? null : text(r.CreatedById),
    actor_name: delegate ? null : text(r.CreatedBy?.Name),
    service: text(r.Section),
    target,
    target_type: target ? 'user' : null,
    message: display,
  };
}

const identityByAction: Record<IdentityAction, string[]> = {
  account_create: ['createduser', 'createdcustomersuccessuser', 'createdpartneruser'],
  account_enable: ['activateduser', 'unfrozeuser', 'unlockeduser'],
  account_disable: ['deactivateduser', 'frozeuser', 'cspuserdisabled', 'prmuserdisabled'],
  password_change: ['changedpassword'],
  password_reset: ['resetpassword'],
  privilege_grant: [
    'permsetassign',
    'permsetassign_hasexpiration',
    'permsetgroupassign',
    'permsetlicenseassign',
    'changedprofileforuser',
    'changedprofileforusercusttostd',
    'changedprofileforuserstdtocust',
    'changedprofileforuserstdtostd',
    'changedprofileforusercusttocust',
    'changedroleforuser',
    'changedroleforuserfromnone',
    'loginasgrantedtosfdc',
    'loginasgrantedtopartnerbt',
  ],
  privilege_revoke: [
    'permsetunassign',
    'permsetgroupunassign',
    'permsetlicenseunassign',
    'changedroleforusertonone',
    'loginasrevokedtosfdc',
    'loginasrevokedtopartnerbt',
  ],
  factor_enroll: ['inserttwofactorinfo2', 'inserttwofactorwebauthn', 'insertauthenticatorpairing', 'lightningloginenroll', 'registereduserphonenumber'],
  factor_remove: ['deletetwofactorinfo2', 'deletetwofactorwebauthn', 'deleteauthenticatorpairing', 'lightninglogincancel', 'unregisterduserphonenumber'],
  session_start: ['suorgadminlogin', 'sunetworkadminlogin', 'suprmadminlogin', 'suloginaccessused'],
  session_end: ['suorgadminlogout', 'sunetworkadminlogout', 'suprmadminlogout', 'sulogout'],
  auth_success: [],
  auth_failure: [],
  mfa_challenge: [],
  mfa_accept: [],
  mfa_deny: [],
  account_delete: [],
  token_issue: [],
  token_revoke: [],
  oauth_consent: [],
};

/** SetupAuditTrail `Action` (lower-cased) → identity action. */
const setupIdentity: Record<string, IdentityAction> = Object.fromEntries(
  Object.entries(identityByAction).flatMap(([identity, actions]) => actions.map((a) => [a, identity as IdentityAction])),
);

function setupClass(identity: IdentityAction | null): OcsfClass {
  switch (identity) {
    case null:
      return ocsf.entityManagement;
    case 'privilege_grant':
    case 'privilege_revoke':
      return ocsf.userAccess;
    case 'session_start':
    case 'session_end':
      return ocsf.authentication;
    default:
      return ocsf.accountChange;
  }
}

const userIdPattern = /\(UserID: \[(\w+)\]\)/;
const emailPattern = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;

/** The user a Display text is about: its "(UserID: [005…])" when given, else the first email address. */
function displayedUser(display: string): string | null {
  const id = userIdPattern.exec(display);
  if (id) return id[1] ?? null;
  const email = emailPattern.exec(display);
  return email ? email[0].toLowerCase() : null;
}
