/**
 * The empty normalized event every Slack feed starts from, and the OCSF classes they use
 * (https://schema.ocsf.io/classes). Keeping the full column list in one place means each feed's normalizer
 * states only what its record provides.
 */
import type { EventDraft, ParseContext } from '../../core/schema/event';

export const ocsf = {
  authentication: [3002, 'Authentication'],
  accountChange: [3001, 'Account Change'],
  userAccess: [3005, 'User Access Management'],
  entityManagement: [3004, 'Entity Management'],
  applicationLifecycle: [6002, 'Application Lifecycle'],
  webResources: [6001, 'Web Resources Activity'],
  detectionFinding: [2004, 'Detection Finding'],
} as const satisfies Record<string, readonly [number, string]>;

export type OcsfClass = (typeof ocsf)[keyof typeof ocsf];

/** An event with every optional column null, at `time` or, without one, at the arrival time (flagged). */
export function blankEvent(ctx: ParseContext, time: string | null, cls: OcsfClass | null): EventDraft {
  return {
    event_id: null,
    source: ctx.source,
    event_time: time ?? ctx.ingestTime,
    event_time_inferred: time === null,
    ingest_time: ctx.ingestTime,
    class_uid: cls?.[0] ?? null,
    class_name: cls?.[1] ?? null,
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
