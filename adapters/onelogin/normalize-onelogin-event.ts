/**
 * OneLogin Events API event → normalized event. Pure; never throws.
 *
 * Detection: an object with an `event_type_id`, or with an `account_id` and a `created_at` (an event whose type
 * was dropped), is OneLogin's; anything else is rejected.
 *
 * The event's name and identity meaning come from its type id (event-types.ts); the outcome from the name
 * (FAILED / REJECTED / UNAUTHORIZED types are failures, the others record something that happened). The actor
 * is the acting user; when OneLogin leaves it out of a sign-in, session or MFA event, the user the event is
 * about is the one who acted.
 */
import type { EventDraft, IdentityAction, Outcome, ParseResult, RecordParser } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { integer, ipAddress, principalName, text } from '../shared/lenient';
import { eventTypes, isFailureName, roleAndGroupTypes } from './event-types';
import { oneLoginEventSchema, type OneLoginEvent } from './events-api-schema';

export const normalizeOneLoginEvent: RecordParser = (value, ctx): ParseResult => {
  if (!isPlainObject(value)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a OneLogin event (a JSON object), got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`,
    };
  }
  if (!('event_type_id' in value) && !('account_id' in value && 'created_at' in value)) {
    return {
      ok: false,
      reason: 'unrecognized_shape',
      message: 'not a OneLogin event: it has no event_type_id (nor an account_id with created_at)',
    };
  }
  const e = oneLoginEventSchema.parse(value);
  const typeId = integer(e.event_type_id);
  const type = typeId === null ? undefined : eventTypes.get(typeId);
  const action = type?.name ?? (typeId === null ? 'unknown' : `event_type_${typeId}`);
  const identity = type?.identity ?? null;
  // A challenge is a prompt, not yet a verdict.
  const outcome: Outcome = !type || identity === 'mfa_challenge' ? 'unknown' : isFailureName(type.name) ? 'failure' : 'success';
  const time = toIsoMillis(e.created_at);
  const subject = principalName(e.user_name);
  const actorName = text(e.actor_user_name);
  const actorId = idText(e.actor_user_id);
  // OneLogin omits the acting user from some sign-in events: the user signing in is the one acting.
  const self = identity !== null && actsForSelf(identity) && !actorName && !actorId;
  const target = targetOf(e, typeId);
  const classification = classify(identity, typeId);

  const event: EventDraft = {
    event_id: idText(e.id) ?? text(e.uuid),
    source: ctx.source,
    event_time: time ?? ctx.ingestTime,
    event_time_inferred: time === null,
    ingest_time: ctx.ingestTime,
    class_uid: classification?.[0] ?? null,
    class_name: classification?.[1] ?? null,
    action,
    identity_action: identity,
    outcome,
    outcome_reason: outcome === 'failure' ? text(e.error_description) : null,
    severity: null,
    actor: principalName(actorName) ?? (self ? subject : null) ?? (actorId ? null : text(e.actor_system)),
    actor_id: actorId ?? (self ? idText(e.user_id) : null),
    actor_name: actorName,
    actor_type: actorName || actorId || (self && subject) ? 'User' : text(e.actor_system) ? 'System' : null,
    src_ip: ipAddress(e.ipaddr),
    src_country: null,
    src_region: null,
    src_city: null,
    src_lat: null,
    src_lon: null,
    src_asn: null,
    src_asn_org: null,
    user_agent: null,
    service: text(e.app_name),
    target: target?.[0] ?? null,
    target_type: target?.[1] ?? null,
    session_id: null,
    mfa_factor: text(e.otp_device_name) ?? text(e.authentication_factor_description),
    message: text(e.notes) ?? text(e.custom_message) ?? text(e.privilege_name),
  };
  return { ok: true, event };
};

/** Identity actions a user does to themselves: signing in and out, MFA, changing their own password. */
function actsForSelf(action: IdentityAction): boolean {
  return action.startsWith('auth_') || action.startsWith('mfa_') || action === 'session_end' || action === 'password_change';
}

function idText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return text(value);
}

/** What the event acted on: the user, except for role and group changes, which act on the role or group. */
function targetOf(e: OneLoginEvent, typeId: number | null): [string, string] | null {
  const role = text(e.role_name);
  const group = text(e.group_name);
  if (typeId !== null && roleAndGroupTypes.has(typeId)) {
    if (role) return [role, 'Role'];
    if (group) return [group, 'Group'];
  }
  const user = principalName(e.user_name);
  if (user) return [user, 'User'];
  if (role) return [role, 'Role'];
  if (group) return [group, 'Group'];
  const policy = text(e.policy_name);
  if (policy) return [policy, 'Policy'];
  return null;
}

function classify(identity: IdentityAction | null, typeId: number | null): [number, string] | null {
  if (identity) {
    if (identity.startsWith('privilege_')) return [3005, 'User Access Management'];
    if (identity.startsWith('account_') || identity.startsWith('password_') || identity.startsWith('factor_')) {
      return [3001, 'Account Change'];
    }
    return [3002, 'Authentication'];
  }
  if (typeId !== null && roleAndGroupTypes.has(typeId)) return [3006, 'Group Management'];
  return null;
}
