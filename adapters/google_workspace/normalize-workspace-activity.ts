/**
 * Google Workspace Reports API activity → normalized event. Pure; never throws.
 *
 * Detection: `kind` "admin#reports#activity" (or the older "audit#activity"), or an `id` object naming the
 * application or carrying a `uniqueQualifier`. Anything else is not Workspace's and is rejected.
 *
 * One activity can hold several events; the source's `expand` has already split those into one record each, so
 * the event read here is `events[0]` (an activity given to this parser directly keeps its other events in raw).
 * Flattened exports put the event's `type`, `name` and `parameters` at the top level.
 *
 * Outcome: Google logs actions that happened, so an event is a success unless it records a failure
 * (`login_failure`, a failed challenge); account warnings are neither.
 */
import type { EventDraft, IdentityAction, Outcome, ParseResult, RecordParser, Severity } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { integer, ipAddress, principalName, text } from '../shared/lenient';
import { activitySchema, eventIndexKey, parameter, type ActivityParameters } from './reports-activity-schema';
import { challengeStatus, secondFactors, workspaceIdentityAction } from './workspace-identity';

export function isWorkspaceActivity(r: Record<string, unknown>): boolean {
  if (r.kind === 'admin#reports#activity' || r.kind === 'audit#activity') return true;
  const id = r.id;
  return isPlainObject(id) && ('applicationName' in id || 'uniqueQualifier' in id);
}

export const normalizeWorkspaceActivity: RecordParser = (value, ctx): ParseResult => {
  if (!isPlainObject(value)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a Google Workspace activity (a JSON object), got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`,
    };
  }
  if (!isWorkspaceActivity(value)) {
    return {
      ok: false,
      reason: 'unrecognized_shape',
      message: 'not a Google Workspace activity: it has neither kind "admin#reports#activity" nor an id with applicationName or uniqueQualifier',
    };
  }
  const a = activitySchema.parse(value);
  const first = (a.events ?? []).find((e) => e !== undefined) ?? null;
  const type = text(first?.type) ?? text(a.type);
  const name = text(first?.name) ?? text(a.name);
  const params: ActivityParameters = first ? first.parameters : a.parameters;
  const application = text(a.id?.applicationName);

  const factors = secondFactors(parameter(params, 'login_challenge_method'));
  const failureType = text(parameter(params, 'login_failure_type')) ?? text(parameter(params, 'failure_type'));
  const challenge = text(parameter(params, 'login_challenge_status'));
  const identity = name ? workspaceIdentityAction(application, name, { type, failureType, challengeStatus: challenge, secondFactors: factors }) : null;
  const outcome = outcomeOf(name, type, challenge);
  const target = targetOf(params);
  const classification = classify(identity, application);
  const time = toIsoMillis(a.id?.time);

  const event: EventDraft = {
    event_id: eventId(idText(a.id?.uniqueQualifier), value[eventIndexKey]),
    source: ctx.source,
    event_time: time ?? ctx.ingestTime,
    event_time_inferred: time === null,
    ingest_time: ctx.ingestTime,
    class_uid: classification?.[0] ?? null,
    class_name: classification?.[1] ?? null,
    action: name ?? type ?? 'unknown',
    identity_action: identity,
    outcome,
    outcome_reason: outcome === 'failure' ? (failureType ?? challenge) : null,
    severity: ruleSeverity(text(parameter(params, 'severity'))),
    actor: principalName(a.actor?.email) ?? text(a.actor?.key),
    actor_id: text(a.actor?.profileId),
    actor_name: null,
    actor_type: text(a.actor?.callerType),
    src_ip: ipAddress(a.ipAddress),
    src_country: text(a.networkInfo?.regionCode),
    src_region: text(a.networkInfo?.subdivisionCode),
    src_city: null,
    src_lat: null,
    src_lon: null,
    src_asn: integer(a.networkInfo?.ipAsn?.[0]),
    src_asn_org: null,
    user_agent: text(parameter(params, 'user_agent')),
    // A SAML sign-in names the app signed in to, a token event the OAuth app.
    service: text(parameter(params, 'application_name')) ?? text(parameter(params, 'app_name')) ?? application,
    target: target?.[0] ?? null,
    target_type: target?.[1] ?? null,
    session_id: null,
    mfa_factor: factors.length > 0 ? factors.join(',') : null,
    message: null,
  };
  return { ok: true, event };
};

function idText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return text(value);
}

function outcomeOf(name: string | null, type: string | null, challenge: string | null): Outcome {
  if (type === 'account_warning') return 'unknown';
  if (name === 'login_failure') return 'failure';
  if (name === 'login_challenge' || name === 'login_verification') {
    const status = challengeStatus(challenge);
    return status === 'passed' ? 'success' : status === 'failed' ? 'failure' : 'unknown';
  }
  return name ? 'success' : 'unknown';
}

/** Parameters that name who or what an event was about, in order of preference. */
const targetParameters: readonly (readonly [string, string])[] = [
  ['USER_EMAIL', 'User'],
  ['affected_email_address', 'User'],
  ['GROUP_EMAIL', 'Group'],
  ['doc_title', 'Document'],
  ['calendar_id', 'Calendar'],
];

function targetOf(params: ActivityParameters): [string, string] | null {
  for (const [key, type] of targetParameters) {
    const value = principalName(parameter(params, key));
    if (value) return [value, type];
  }
  return null;
}

function classify(identity: IdentityAction | null, application: string | null): [number, string] | null {
  if (identity) {
    if (identity.startsWith('privilege_') || identity === 'oauth_consent') return [3005, 'User Access Management'];
    if (identity.startsWith('auth_') || identity.startsWith('mfa_') || identity.startsWith('session_')) return [3002, 'Authentication'];
    return [3001, 'Account Change'];
  }
  switch (application) {
    case 'login':
    case 'saml':
      return [3002, 'Authentication'];
    case 'admin':
      return [3004, 'Entity Management'];
    case 'drive':
      return [6001, 'Web Resources Activity'];
    default:
      return null;
  }
}

/** DLP and activity rules (application `rules`) carry a graded `severity`. */
function ruleSeverity(severity: string | null): Severity | null {
  switch (severity?.toUpperCase()) {
    case 'LOW':
      return 'low';
    case 'MEDIUM':
      return 'medium';
    case 'HIGH':
      return 'high';
    case 'CRITICAL':
      return 'critical';
    default:
      return null;
  }
}


/** The activity's uniqueQualifier, plus `#<n>` for the n-th event of a multi-event activity (see expand). */
function eventId(qualifier: string | null, index: unknown): string | null {
  if (qualifier === null) return null;
  return typeof index === 'number' ? `${qualifier}#${index}` : qualifier;
}
