/**
 * Falcon Event Streams record (`{metadata, event}`) → normalized event. Pure; never throws.
 *
 * Invariants:
 * - `action` is the audit `OperationName` for AuthActivityAuditEvent / UserActivityAuditEvent (what the
 *   console user did), else `metadata.eventType`.
 * - Audit events carry `Success`; a refused change changed nothing and gets no identity action, while a refused
 *   sign-in or second factor is an auth failure or MFA denial.
 * - A record with only `metadata` is kept, with what the metadata says.
 */
import type { EventDraft, IdentityAction, Outcome, ParseContext } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { ipAddress, principalName, text } from '../shared/lenient';
import { blankEvent, detectionMessage, falconSeverity, ocsf, type OcsfClass } from './event-draft';
import { streamEventSchema, streamMetadataSchema, type StreamEvent } from './telemetry-schema';

export function normalizeStreamEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const metadata = streamMetadataSchema.parse(record.metadata);
  const e = streamEventSchema.parse(isPlainObject(record.event) ? record.event : {});
  const eventType = text(metadata.eventType) ?? 'unknown';
  const created = toIsoMillis(metadata.eventCreationTime);
  if (eventType === 'AuthActivityAuditEvent' || eventType === 'UserActivityAuditEvent') return auditEvent(eventType, e, created, ctx);
  if (eventType.endsWith('DetectionSummaryEvent') || eventType === 'IncidentSummaryEvent') return detectionEvent(eventType, e, created, ctx);
  const host = text(e.ComputerName) ?? text(e.Hostname) ?? text(e.HostnameField);
  return {
    ...blankEvent(ctx, created ?? toIsoMillis(e.UTCTimestamp), null),
    action: eventType,
    actor: principalName(e.UserName) ?? principalName(e.UserId),
    src_ip: ipAddress(e.UserIp) ?? ipAddress(e.LocalIP),
    target: host,
    target_type: host ? 'device' : null,
    session_id: text(e.SessionId),
  };
}

function detectionEvent(eventType: string, e: StreamEvent, created: string | null, ctx: ParseContext): EventDraft {
  const host = text(e.ComputerName) ?? text(e.Hostname);
  return {
    ...blankEvent(ctx, created, ocsf.detectionFinding),
    event_id: text(e.CompositeId) ?? text(e.DetectId),
    action: eventType,
    outcome: 'unknown',
    outcome_reason: text(e.PatternDispositionDescription),
    severity: falconSeverity(e.SeverityName, e.Severity),
    actor: principalName(e.UserName),
    src_ip: ipAddress(e.LocalIP),
    target: host,
    target_type: host ? 'device' : null,
    message: detectionMessage(text(e.Name) ?? text(e.DetectName), text(e.Description) ?? text(e.DetectDescription)) ?? text(e.CommandLine),
  };
}

/** Audit operations (lower-cased) → identity action when they succeed, and when they fail. */
const auditIdentity: Record<string, [success: IdentityAction, failure: IdentityAction | null]> = {
  userauthenticate: ['auth_success', 'auth_failure'],
  twofactorauthenticate: ['mfa_accept', 'mfa_deny'],
  userlogout: ['session_end', null],
  changepassword: ['password_change', null],
  resetpassword: ['password_reset', null],
  createuser: ['account_create', null],
  deleteuser: ['account_delete', null],
  activateuser: ['account_enable', null],
  deactivateuser: ['account_disable', null],
  grantuserroles: ['privilege_grant', null],
  revokeuserroles: ['privilege_revoke', null],
  createapiclient: ['token_issue', null],
  deleteapiclient: ['token_revoke', null],
  deleteapiclients: ['token_revoke', null],
};

function auditEvent(eventType: string, e: StreamEvent, created: string | null, ctx: ParseContext): EventDraft {
  const operation = text(e.OperationName) ?? eventType;
  const outcome = successOutcome(e.Success);
  const pair = auditIdentity[operation.toLowerCase()];
  const identity = pair ? (outcome === 'success' ? pair[0] : outcome === 'failure' ? pair[1] : null) : null;
  const values = keyValues(e.AuditKeyValues);
  const target = auditTarget(values);
  return {
    ...blankEvent(ctx, toIsoMillis(e.UTCTimestamp) ?? created, auditClass(eventType, identity)),
    action: operation,
    identity_action: identity,
    outcome,
    actor: principalName(e.UserId) ?? principalName(values.get('actor_user')),
    actor_id: text(values.get('actor_user_uuid')),
    src_ip: ipAddress(e.UserIp),
    service: text(e.ServiceName),
    target: target?.[0] ?? null,
    target_type: target?.[1] ?? null,
    message: text(values.get('roles')) ?? text(values.get('scope(s)')),
  };
}

function successOutcome(value: unknown): Outcome {
  if (value === true || value === 'true' || value === 1) return 'success';
  if (value === false || value === 'false' || value === 0) return 'failure';
  return 'unknown';
}

function keyValues(list: StreamEvent['AuditKeyValues']): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of list ?? []) {
    const key = text(entry?.Key);
    if (key && typeof entry?.ValueString === 'string') map.set(key, entry.ValueString);
  }
  return map;
}

const targetKeys: [key: string, type: string][] = [
  ['target_name', 'user'],
  ['action_target_name', 'user'],
  ['target_user', 'user'],
  ['group_name', 'group'],
  ['name', 'object'],
  ['id', 'object'],
];

function auditTarget(values: Map<string, string>): [string, string] | null {
  for (const [key, type] of targetKeys) {
    const value = text(values.get(key));
    if (value) return [principalName(value) ?? value, type];
  }
  return null;
}

function auditClass(eventType: string, identity: IdentityAction | null): OcsfClass {
  switch (identity) {
    case 'auth_success':
    case 'auth_failure':
    case 'mfa_accept':
    case 'mfa_deny':
    case 'session_end':
      return ocsf.authentication;
    case 'privilege_grant':
    case 'privilege_revoke':
      return ocsf.userAccess;
    case null:
      return eventType === 'UserActivityAuditEvent' ? ocsf.apiActivity : ocsf.entityManagement;
    default:
      return ocsf.accountChange;
  }
}
