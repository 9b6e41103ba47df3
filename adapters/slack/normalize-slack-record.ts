/**
 * Slack log entry (Audit Logs API, team.accessLogs, team.integrationLogs) → normalized event. Pure; never
 * throws. The feed is detected from the entry's fields (slack-log-schema); an object with none of any feed's
 * fields is refused.
 *
 * Invariants:
 * - Audit entries record what happened: outcome is success except `user_login_failed`.
 * - An access-log entry stands for the sign-ins of one user from one IP and user agent; it is an
 *   auth_success at `date_first` (when that combination was first seen), its count and `date_last` in the
 *   message.
 * - `action` is the vendor's own name for audit entries; access-log entries are `access_log` and
 *   integration-log entries `integration_<change_type>`, since those feeds name no event.
 */
import type { EventDraft, IdentityAction, ParseContext, ParseResult, RecordParser } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { ipAddress, principalName, text } from '../shared/lenient';
import { blankEvent, ocsf, type OcsfClass } from './event-draft';
import {
  accessLogEntrySchema,
  auditLogEntrySchema,
  detectSlackFeed,
  integrationLogEntrySchema,
  type AuditLogEntry,
} from './slack-log-schema';

export const normalizeSlackRecord: RecordParser = (record, ctx): ParseResult => {
  if (!isPlainObject(record)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a Slack audit, access or integration log entry (a JSON object), got ${Array.isArray(record) ? 'an array' : typeof record}`,
    };
  }
  switch (detectSlackFeed(record)) {
    case 'audit_log':
      return { ok: true, event: auditEvent(record, ctx) };
    case 'access_log':
      return { ok: true, event: accessEvent(record, ctx) };
    case 'integration_log':
      return { ok: true, event: integrationEvent(record, ctx) };
    case null:
      return {
        ok: false,
        reason: 'unrecognized_shape',
        message:
          'not a Slack log entry: expected an Audit Logs entry (action with actor/entity/context), an access log entry (user_id with date_first/ip) or an integration log entry (change_type)',
      };
  }
};

const fixedIdentity: Record<string, IdentityAction> = {
  user_login: 'auth_success',
  user_login_failed: 'auth_failure',
  user_logout: 'session_end',
  user_session_invalidated: 'session_end',
  user_session_reset_by_admin: 'session_end',
  bulk_session_reset_by_admin: 'session_end',
  role_change_to_admin: 'privilege_grant',
  role_change_to_owner: 'privilege_grant',
  owner_transferred: 'privilege_grant',
  primary_owner_transferred: 'privilege_grant',
  permissions_assigned: 'privilege_grant',
  role_change_to_user: 'privilege_revoke',
  role_change_to_guest: 'privilege_revoke',
  permissions_removed: 'privilege_revoke',
  user_created: 'account_create',
  guest_created: 'account_create',
  user_deactivated: 'account_disable',
  guest_deactivated: 'account_disable',
  user_reactivated: 'account_enable',
  guest_reactivated: 'account_enable',
  app_installed: 'oauth_consent',
  app_scopes_expanded: 'oauth_consent',
};

function auditEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const e = auditLogEntrySchema.parse(record);
  const action = text(e.action) ?? 'unknown';
  const identity = fixedIdentity[action] ?? null;
  const user = e.actor?.user ?? null;
  const location = e.context?.location ?? null;
  const target = entityTarget(e);
  const sessionId = e.context?.session_id;
  return {
    ...blankEvent(ctx, toIsoMillis(e.date_create), auditClass(action, identity)),
    event_id: text(e.id),
    action,
    identity_action: identity,
    outcome: action === 'user_login_failed' ? 'failure' : 'success',
    outcome_reason: detailsReason(e.details),
    actor: principalName(user?.email) ?? text(user?.name) ?? text(user?.id),
    actor_id: text(user?.id),
    actor_name: text(user?.name),
    actor_type: text(e.actor?.type),
    src_ip: ipAddress(e.context?.ip_address),
    user_agent: text(e.context?.ua),
    service: text(location?.domain) ?? text(location?.name),
    target: target?.[0] ?? null,
    target_type: target?.[1] ?? null,
    session_id: typeof sessionId === 'number' ? String(sessionId) : text(sessionId),
  };
}

function auditClass(action: string, identity: IdentityAction | null): OcsfClass {
  if (action.startsWith('app_') || action.startsWith('bot_') || action.startsWith('org_app_')) return ocsf.applicationLifecycle;
  if (action === 'anomaly') return ocsf.detectionFinding;
  switch (identity) {
    case 'privilege_grant':
    case 'privilege_revoke':
      return ocsf.userAccess;
    case 'account_create':
    case 'account_disable':
    case 'account_enable':
      return ocsf.accountChange;
    case null:
      return action.startsWith('file_') ? ocsf.webResources : ocsf.entityManagement;
    default:
      return ocsf.authentication;
  }
}

/** The entity acted on: `entity[entity.type]`, named by email, name, domain, title or id. */
function entityTarget(e: AuditLogEntry): [string, string] | null {
  const entity = e.entity;
  if (!entity) return null;
  const type = text(entity.type);
  if (!type) return null;
  const object = entity[type];
  if (!isPlainObject(object)) return null;
  const name = principalName(object.email) ?? text(object.name) ?? text(object.domain) ?? text(object.title) ?? text(object.id);
  return name ? [name, type] : null;
}

/** `details.reason`: a string, or a list (anomaly reasons such as `session_fingerprint`). */
function detailsReason(details: Record<string, unknown> | null | undefined): string | null {
  const reason = details?.reason;
  if (Array.isArray(reason)) return reason.filter((r) => typeof r === 'string' && r !== '').join(', ') || null;
  return text(reason);
}

function accessEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const e = accessLogEntrySchema.parse(record);
  const count = typeof e.count === 'number' ? String(e.count) : text(e.count);
  const last = toIsoMillis(e.date_last);
  const summary = [count && `count=${count}`, last && `date_last=${last}`].filter(Boolean).join(', ');
  return {
    ...blankEvent(ctx, toIsoMillis(e.date_first) ?? last, ocsf.authentication),
    action: 'access_log',
    identity_action: 'auth_success',
    outcome: 'success',
    actor: principalName(e.username) ?? text(e.user_id),
    actor_id: text(e.user_id),
    actor_name: text(e.username),
    src_ip: ipAddress(e.ip),
    src_country: text(e.country),
    src_region: text(e.region),
    user_agent: text(e.user_agent),
    message: summary || null,
  };
}

function integrationEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const e = integrationLogEntrySchema.parse(record);
  const change = text(e.change_type) ?? 'changed';
  const isApp = e.app_id !== undefined || e.app_type !== undefined;
  const targetId = idText(e.app_id) ?? idText(e.service_id);
  return {
    ...blankEvent(ctx, toIsoMillis(e.date), ocsf.applicationLifecycle),
    action: `integration_${change}`,
    // An app added or given more scopes by a user is that user's OAuth consent to the scopes it lists.
    identity_action: isApp && (change === 'added' || change === 'expanded') ? 'oauth_consent' : null,
    outcome: 'success',
    outcome_reason: text(e.reason),
    actor: principalName(e.user_name) ?? text(e.user_id),
    actor_id: text(e.user_id),
    actor_name: text(e.user_name),
    service: text(e.app_type) ?? text(e.service_type),
    target: targetId,
    target_type: targetId ? (isApp ? 'app' : 'service') : null,
    message: text(e.scope),
  };
}

function idText(value: unknown): string | null {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : text(value);
}
