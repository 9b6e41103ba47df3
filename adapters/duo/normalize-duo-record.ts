/**
 * Cisco Duo record → normalized event. Pure; never throws.
 *
 * Feed detection (plain property reads, then one lenient zod parse):
 * - activity log: `activity_id`, or an object `action` with an object `actor`;
 * - telephony log: `telephony_id`, or `context` and `phone`;
 * - user object: `user_id` with `username`;
 * - authentication log: `txid`, `event_type` authentication/enrollment, or a `result` with any of `factor`,
 *   `access_device`, `auth_device`, `integration`, `user`;
 * - administrator log: a string `action` with `username`, `object`, `description` or a timestamp — and when the
 *   action is `o2fa_*`, the offline enrollment log (Duo documents both with the same fields).
 * Anything else is not Duo's and is rejected.
 *
 * Identity view: duo-identity.ts. `description` of administrator logs is a JSON string; it is parsed only when
 * present, for the admin's IP, factor, error and a user's new status.
 */
import type { EventDraft, IdentityAction, Outcome, ParseContext, ParseResult, RecordParser } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { ipAddress, principalName, text } from '../shared/lenient';
import { adminIdentityAction, adminTargetType, authenticationIdentityAction, snakeReason } from './duo-identity';
import {
  activityLogSchema,
  administratorLogSchema,
  authenticationLogSchema,
  telephonyLogSchema,
  userObjectSchema,
  type ActivityLog,
  type AdministratorLog,
  type AuthenticationLog,
  type TelephonyLog,
  type UserObject,
} from './duo-schema';

export type DuoFeed = 'authentication' | 'administrator' | 'offline_enrollment' | 'activity' | 'telephony' | 'user';

export function detectDuoFeed(r: Record<string, unknown>): DuoFeed | null {
  if ('activity_id' in r || (isPlainObject(r.action) && isPlainObject(r.actor))) return 'activity';
  if ('telephony_id' in r || ('context' in r && 'phone' in r)) return 'telephony';
  if ('user_id' in r && 'username' in r && !('action' in r)) return 'user';
  if (
    'txid' in r ||
    r.event_type === 'authentication' ||
    r.event_type === 'enrollment' ||
    ('result' in r && ('factor' in r || 'access_device' in r || 'auth_device' in r || 'integration' in r || 'user' in r))
  ) {
    return 'authentication';
  }
  if (typeof r.action === 'string' && ('username' in r || 'object' in r || 'description' in r || 'isotimestamp' in r || 'timestamp' in r)) {
    return r.action.startsWith('o2fa_') ? 'offline_enrollment' : 'administrator';
  }
  return null;
}

export const normalizeDuoRecord: RecordParser = (value, ctx): ParseResult => {
  if (!isPlainObject(value)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a Duo log record or user object (a JSON object), got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`,
    };
  }
  switch (detectDuoFeed(value)) {
    case 'authentication':
      return { ok: true, event: authenticationEvent(authenticationLogSchema.parse(value), ctx) };
    case 'administrator':
    case 'offline_enrollment':
      return { ok: true, event: administratorEvent(administratorLogSchema.parse(value), ctx) };
    case 'activity':
      return { ok: true, event: activityEvent(activityLogSchema.parse(value), ctx) };
    case 'telephony':
      return { ok: true, event: telephonyEvent(telephonyLogSchema.parse(value), ctx) };
    case 'user':
      return { ok: true, event: userEvent(userObjectSchema.parse(value), ctx) };
    case null:
      return {
        ok: false,
        reason: 'unrecognized_shape',
        message:
          'not a Duo record: expected an authentication log (txid, or result with factor/access_device/user), an administrator ' +
          'or offline enrollment log (action with username/object/description), an activity log (activity_id), a telephony ' +
          'log (telephony_id, or context with phone) or a user object (user_id with username)',
      };
  }
};

function blank(ctx: ParseContext, time: string | null): EventDraft {
  return {
    event_id: null,
    source: ctx.source,
    event_time: time ?? ctx.ingestTime,
    event_time_inferred: time === null,
    ingest_time: ctx.ingestTime,
    class_uid: null,
    class_name: null,
    action: 'unknown',
    identity_action: null,
    outcome: 'unknown',
    outcome_reason: null,
    severity: null,
    actor: null,
    actor_id: null,
    actor_name: null,
    actor_type: null,
    src_ip: null,
    src_country: null,
    src_region: null,
    src_city: null,
    src_lat: null,
    src_lon: null,
    src_asn: null,
    src_asn_org: null,
    user_agent: null,
    service: null,
    target: null,
    target_type: null,
    session_id: null,
    mfa_factor: null,
    message: null,
  };
}

function identityClass(action: IdentityAction | null): [number, string] | null {
  if (!action) return null;
  if (action.startsWith('auth_') || action.startsWith('mfa_') || action.startsWith('session_')) return [3002, 'Authentication'];
  if (action.startsWith('privilege_')) return [3005, 'User Access Management'];
  return [3001, 'Account Change'];
}

type Device = NonNullable<AuthenticationLog['access_device']>;

function deviceIp(device: Device | null | undefined): string | null {
  const ip = device?.ip;
  return typeof ip === 'string' ? ipAddress(ip) : ipAddress(ip?.address);
}

/** Duo reports the browser and OS it parsed, never the raw user agent: "Chrome 128.0 (Mac OS X 14.5)". */
function deviceAgent(device: Device | null | undefined): string | null {
  const browser = text(device?.browser);
  if (!browser) return null;
  const version = text(device?.browser_version);
  const os = [text(device?.os), text(device?.os_version)].filter(Boolean).join(' ');
  return `${version ? `${browser} ${version}` : browser}${os ? ` (${os})` : ''}`;
}

// ---------------------------------------------------------------- authentication

function authenticationEvent(a: AuthenticationLog, ctx: ParseContext): EventDraft {
  const result = text(a.result);
  const reason = text(a.reason);
  const factor = text(a.factor);
  const identity = authenticationIdentityAction(text(a.event_type), result, snakeReason(reason), snakeReason(factor));
  const place = a.access_device?.location ?? a.location ?? null;
  const r = result?.toLowerCase();
  return {
    ...blank(ctx, toIsoMillis(a.isotimestamp) ?? toIsoMillis(a.timestamp)),
    event_id: text(a.txid),
    class_uid: 3002,
    class_name: 'Authentication',
    action: text(a.event_type) ?? 'authentication',
    identity_action: identity,
    outcome: r === 'success' ? 'success' : r === 'denied' || r === 'failure' || r === 'fraud' || r === 'error' ? 'failure' : 'unknown',
    outcome_reason: reason,
    actor: principalName(a.user?.name) ?? principalName(a.username) ?? principalName(a.email),
    actor_id: text(a.user?.key),
    actor_type: a.user || a.username ? 'User' : null,
    src_ip: deviceIp(a.access_device) ?? ipAddress(a.ip),
    src_country: text(place?.country),
    src_region: text(place?.state),
    src_city: text(place?.city),
    user_agent: deviceAgent(a.access_device),
    service: text(a.application?.name) ?? text(a.integration),
    session_id: text(a.trusted_session_info?.trusted_session_uuid),
    mfa_factor: factor,
  };
}

// ---------------------------------------------------------------- administrator and offline enrollment

function administratorEvent(l: AdministratorLog, ctx: ParseContext): EventDraft {
  const action = text(l.action) ?? 'unknown';
  const description = parseDescription(l.description);
  const failed = action.endsWith('_error');
  const identity = adminIdentityAction(action, !failed, text(description.fields?.status));
  const classification = identityClass(identity) ?? [3004, 'Entity Management'];
  const offline = action.startsWith('o2fa_');
  const error = text(description.fields?.error);
  return {
    ...blank(ctx, toIsoMillis(l.isotimestamp) ?? toIsoMillis(l.timestamp)),
    class_uid: classification[0],
    class_name: classification[1],
    action,
    identity_action: identity,
    outcome: failed ? 'failure' : 'success',
    outcome_reason: failed ? error : null,
    // A failed admin login has no username; the address tried is in the description.
    actor: principalName(l.username) ?? principalName(description.fields?.email),
    actor_type: offline ? 'User' : 'Admin',
    src_ip: ipAddress(description.fields?.ip_address),
    user_agent: text(description.fields?.user_agent),
    // Offline enrollment names the Windows Logon integration as its object.
    service: offline ? text(l.object) : null,
    target: offline ? null : principalName(l.object),
    target_type: offline || !text(l.object) ? null : adminTargetType(action),
    mfa_factor: text(description.fields?.factor),
    message: text(description.fields?.message) ?? (failed ? null : description.text),
  };
}

/** Description is documented as "either free-form text or serialized JSON"; some exports send the object. */
function parseDescription(value: AdministratorLog['description']): { fields: Record<string, unknown> | null; text: string | null } {
  if (isPlainObject(value)) return { fields: value, text: null };
  const s = text(value);
  if (!s || s[0] !== '{') return { fields: null, text: s };
  try {
    const parsed: unknown = JSON.parse(s);
    return isPlainObject(parsed) ? { fields: parsed, text: null } : { fields: null, text: s };
  } catch {
    return { fields: null, text: s };
  }
}

// ---------------------------------------------------------------- activity

function activityEvent(a: ActivityLog, ctx: ParseContext): EventDraft {
  const action = text(a.action?.name) ?? 'unknown';
  const result = text(a.outcome?.result)?.toLowerCase();
  const outcome: Outcome = result === 'success' ? 'success' : result === 'failure' ? 'failure' : 'unknown';
  const identity = outcome === 'unknown' ? null : adminIdentityAction(action, outcome === 'success', null);
  const classification = identityClass(identity) ?? [3004, 'Entity Management'];
  const place = a.access_device?.location ?? null;
  return {
    ...blank(ctx, toIsoMillis(a.ts)),
    event_id: text(a.activity_id),
    class_uid: classification[0],
    class_name: classification[1],
    action,
    identity_action: identity,
    outcome,
    actor: principalName(a.actor?.name),
    actor_id: text(a.actor?.key),
    actor_type: principalType(text(a.actor?.type)),
    src_ip: deviceIp(a.access_device),
    src_country: text(place?.country),
    src_region: text(place?.state),
    src_city: text(place?.city),
    user_agent: deviceAgent(a.access_device),
    service: text(a.application?.name),
    target: principalName(a.target?.name),
    target_type: principalType(text(a.target?.type)),
  };
}

/** Duo's lower-case principal types, in the capitalisation the identity view expects for users. */
function principalType(type: string | null): string | null {
  if (type === 'user') return 'User';
  if (type === 'admin') return 'Admin';
  return type;
}

// ---------------------------------------------------------------- telephony and users

function telephonyEvent(t: TelephonyLog, ctx: ParseContext): EventDraft {
  const context = text(t.context);
  // An SMS passcode or a call sent to sign someone in is the second-factor prompt.
  const prompt = context === 'authentication' || context === 'administrator login';
  return {
    ...blank(ctx, toIsoMillis(t.ts) ?? toIsoMillis(t.isotimestamp) ?? toIsoMillis(t.timestamp)),
    event_id: text(t.telephony_id) ?? text(t.txid),
    class_uid: prompt ? 3002 : null,
    class_name: prompt ? 'Authentication' : null,
    action: text(t.type) ?? 'telephony',
    identity_action: prompt ? 'mfa_challenge' : null,
    target: text(t.phone),
    target_type: text(t.phone) ? 'Phone' : null,
    mfa_factor: text(t.type),
    message: context,
  };
}

function userEvent(u: UserObject, ctx: ParseContext): EventDraft {
  return {
    // A user object is a snapshot with no time of its own: it is as of when we received it.
    ...blank(ctx, null),
    event_id: null,
    class_uid: 5003,
    class_name: 'User Inventory Info',
    action: 'user_inventory',
    actor: principalName(u.username),
    actor_id: text(u.user_id),
    actor_name: text(u.realname),
    actor_type: 'User',
    message: [text(u.status), u.is_enrolled === true ? 'enrolled' : u.is_enrolled === false ? 'not enrolled' : null].filter(Boolean).join(', ') || null,
  };
}
