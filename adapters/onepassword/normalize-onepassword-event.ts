/**
 * 1Password Events API record (sign-in attempt, item usage, audit event) → normalized event. Pure; never
 * throws. The feed is detected from the record's fields (events-api-schema).
 *
 * Invariants:
 * - `action` names the feed and the vendor's own word: `signin.<category>`, `item.<action>`,
 *   `<object_type>.<action>` for audit events (`satoken.create`), since the bare vendor words (`success`,
 *   `create`) mean nothing without their feed or object.
 * - A sign-in is a success only in the `success` and `firewall_reported_success` categories; `mfa_failed` is an
 *   MFA denial, every other failed category an authentication failure.
 * - Audit identity actions depend on the object and the action together (granting vault access is a
 *   privilege grant; creating a service account token is a token issue).
 */
import type { EventDraft, IdentityAction, Outcome, ParseContext, ParseResult, RecordParser } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { finiteNumber, ipAddress, principalName, text } from '../shared/lenient';
import { blankEvent, ocsf, type OcsfClass } from './event-draft';
import { auditEventSchema, detectOnePasswordFeed, itemUsageSchema, signInAttemptSchema, type SignInAttempt } from './events-api-schema';

export const normalizeOnePasswordEvent: RecordParser = (record, ctx): ParseResult => {
  if (!isPlainObject(record)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a 1Password Events API record (a JSON object), got ${Array.isArray(record) ? 'an array' : typeof record}`,
    };
  }
  switch (detectOnePasswordFeed(record)) {
    case 'sign_in_attempt':
      return { ok: true, event: signInEvent(record, ctx) };
    case 'item_usage':
      return { ok: true, event: itemUsageEvent(record, ctx) };
    case 'audit_event':
      return { ok: true, event: auditEvent(record, ctx) };
    case null:
      return {
        ok: false,
        reason: 'unrecognized_shape',
        message:
          'not a 1Password Events API record: expected a sign-in attempt (category, target_user), an item usage (item_uuid) or an audit event (actor_uuid, object_type)',
      };
  }
};

type Location = SignInAttempt['location'];
type Client = SignInAttempt['client'];

function geo(location: Location, fallbackCountry: string | null): Pick<EventDraft, 'src_country' | 'src_region' | 'src_city' | 'src_lat' | 'src_lon'> {
  return {
    src_country: text(location?.country) ?? fallbackCountry,
    src_region: text(location?.region),
    src_city: text(location?.city),
    src_lat: finiteNumber(location?.latitude),
    src_lon: finiteNumber(location?.longitude),
  };
}

/** "1Password Browser Extension/20195 (Chrome 98.0.4758.102; MacOSX 10.15.7)": the client 1Password reports. */
function clientLabel(client: Client): string | null {
  const app = text(client?.app_name);
  if (!app) return null;
  const version = text(client?.app_version);
  const platform = [text(client?.platform_name), text(client?.platform_version)].filter(Boolean).join(' ');
  const os = [text(client?.os_name), text(client?.os_version)].filter(Boolean).join(' ');
  const details = [platform, os].filter(Boolean).join('; ');
  return `${app}${version ? `/${version}` : ''}${details ? ` (${details})` : ''}`;
}

function signInEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const e = signInAttemptSchema.parse(record);
  const category = text(e.category) ?? 'unknown';
  const type = text(e.type);
  const outcome: Outcome = category === 'success' || category === 'firewall_reported_success' ? 'success' : category === 'unknown' ? 'unknown' : 'failure';
  const identity: IdentityAction | null = outcome === 'success' ? 'auth_success' : category === 'mfa_failed' ? 'mfa_deny' : outcome === 'failure' ? 'auth_failure' : null;
  return {
    ...blankEvent(ctx, toIsoMillis(e.timestamp), ocsf.authentication),
    event_id: text(e.uuid),
    action: `signin.${category}`,
    identity_action: identity,
    outcome,
    outcome_reason: [type, text(e.details?.value)].filter(Boolean).join(': ') || null,
    actor: principalName(e.target_user?.email) ?? text(e.target_user?.uuid),
    actor_id: text(e.target_user?.uuid),
    actor_name: text(e.target_user?.name),
    actor_type: text(e.target_user?.type),
    src_ip: ipAddress(e.client?.ip_address),
    ...geo(e.location, text(e.country)),
    user_agent: clientLabel(e.client),
    session_id: text(e.session_uuid),
    mfa_factor: mfaFactor(type),
  };
}

/** The second factor a sign-in `type` names: `totp_bad` → totp, `duo_timeout` → duo, `u2f_…` → u2f. */
function mfaFactor(type: string | null): string | null {
  if (!type) return null;
  const factor = type.slice(0, type.indexOf('_'));
  return factor === 'totp' || factor === 'duo' || factor === 'u2f' ? factor : null;
}

function itemUsageEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const e = itemUsageSchema.parse(record);
  const item = text(e.item_uuid);
  return {
    ...blankEvent(ctx, toIsoMillis(e.timestamp), ocsf.webResources),
    event_id: text(e.uuid),
    action: `item.${text(e.action) ?? 'usage'}`,
    outcome: 'success',
    actor: principalName(e.user?.email) ?? text(e.user?.uuid),
    actor_id: text(e.user?.uuid),
    actor_name: text(e.user?.name),
    actor_type: text(e.user?.type),
    src_ip: ipAddress(e.client?.ip_address),
    ...geo(e.location, null),
    user_agent: clientLabel(e.client),
    service: text(e.vault_uuid),
    target: item,
    target_type: item ? 'item' : null,
  };
}

/** `<object_type>.<action>` → identity action. */
const auditIdentity: Record<string, IdentityAction> = {
  'user.create': 'account_create',
  'user.provsn': 'account_create',
  'user.suspend': 'account_disable',
  'user.reactive': 'account_enable',
  'user.delete': 'account_delete',
  'sa.create': 'account_create',
  'sa.delete': 'account_delete',
  'user.changemp': 'password_change',
  'user.completr': 'password_reset',
  'user.enblmfa': 'factor_enroll',
  'mfa.enblmfa': 'factor_enroll',
  'mfa.create': 'factor_enroll',
  'account.enblduo': 'factor_enroll',
  'cred.create': 'factor_enroll',
  'user.disblmfa': 'factor_remove',
  'mfa.disblmfa': 'factor_remove',
  'mfa.delete': 'factor_remove',
  'account.disblduo': 'factor_remove',
  'cred.delete': 'factor_remove',
  'gm.join': 'privilege_grant',
  'gm.leave': 'privilege_revoke',
  'uva.grant': 'privilege_grant',
  'gva.grant': 'privilege_grant',
  'uva.revoke': 'privilege_revoke',
  'gva.revoke': 'privilege_revoke',
  'satoken.create': 'token_issue',
  'satoken.delete': 'token_revoke',
  'satoken.trevoke': 'token_revoke',
  'satoken.revoke': 'token_revoke',
  'dlgdsess.dlgsess': 'session_start',
};

function auditEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const e = auditEventSchema.parse(record);
  const objectType = text(e.object_type) ?? 'unknown';
  const verb = text(e.action) ?? 'unknown';
  const action = `${objectType}.${verb}`;
  const identity = auditIdentity[action] ?? null;
  // Memberships and vault access (gm, uva, gva) name the group or vault as the object and the user who
  // gains or loses access in aux_details: that user is the target, the group or vault the service.
  const accessGrant = objectType === 'gm' || objectType === 'uva' || objectType === 'gva';
  const auxUser = accessGrant ? (principalName(e.aux_details?.email) ?? text(e.aux_uuid)) : null;
  const target = auxUser ?? principalName(e.object_details?.email) ?? text(e.object_uuid);
  return {
    ...blankEvent(ctx, toIsoMillis(e.timestamp), auditClass(objectType, identity)),
    event_id: text(e.uuid),
    action,
    identity_action: identity,
    outcome: 'success',
    actor: principalName(e.actor_details?.email) ?? text(e.actor_uuid),
    actor_id: text(e.actor_uuid) ?? text(e.actor_details?.uuid),
    actor_name: text(e.actor_details?.name),
    actor_type: text(e.actor_type),
    src_ip: ipAddress(e.session?.ip),
    ...geo(e.location, null),
    service: auxUser ? text(e.object_uuid) : null,
    target,
    target_type: auxUser ? 'user' : target ? objectType : null,
    session_id: text(e.session?.uuid),
    message: text(e.aux_info),
  };
}

function auditClass(objectType: string, identity: IdentityAction | null): OcsfClass {
  switch (identity) {
    case null:
      return objectType === 'group' || objectType === 'gm' ? ocsf.groupManagement : ocsf.entityManagement;
    case 'privilege_grant':
    case 'privilege_revoke':
      return objectType === 'gm' ? ocsf.groupManagement : ocsf.userAccess;
    case 'session_start':
      return ocsf.authentication;
    default:
      return ocsf.accountChange;
  }
}
