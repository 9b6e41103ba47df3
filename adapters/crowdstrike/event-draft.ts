/**
 * The empty normalized event every CrowdStrike feed starts from, and the OCSF classes they use
 * (https://schema.ocsf.io/classes). Keeping the full column list in one place means each feed's normalizer
 * states only what its record provides.
 */
import type { EventDraft, ParseContext, Severity } from '../../core/schema/event';

export const ocsf = {
  detectionFinding: [2004, 'Detection Finding'],
  vulnerabilityFinding: [2002, 'Vulnerability Finding'],
  deviceInventory: [5001, 'Device Inventory Info'],
  processActivity: [1007, 'Process Activity'],
  fileSystemActivity: [1001, 'File System Activity'],
  networkActivity: [4001, 'Network Activity'],
  dnsActivity: [4003, 'DNS Activity'],
  authentication: [3002, 'Authentication'],
  accountChange: [3001, 'Account Change'],
  userAccess: [3005, 'User Access Management'],
  entityManagement: [3004, 'Entity Management'],
  apiActivity: [6003, 'API Activity'],
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

/** Falcon grades severity by name (Informational…Critical) or 0–100 (10, 30, 50, 70, 90). */
export function falconSeverity(name: unknown, score: unknown): Severity | null {
  if (typeof name === 'string') {
    switch (name.trim().toLowerCase()) {
      case 'informational':
      case 'info':
      case 'none':
        return 'info';
      case 'low':
        return 'low';
      case 'medium':
        return 'medium';
      case 'high':
        return 'high';
      case 'critical':
        return 'critical';
    }
  }
  const n = typeof score === 'number' ? score : typeof score === 'string' && score.trim() !== '' ? Number(score) : Number.NaN;
  if (!Number.isFinite(n) || n < 0) return null;
  if (n < 20) return 'info';
  if (n < 40) return 'low';
  if (n < 60) return 'medium';
  if (n < 80) return 'high';
  return 'critical';
}

/** "Known Malware: A process has written a known EICAR test file…": a detection's name, then what it saw. */
export function detectionMessage(name: string | null, description: string | null): string | null {
  if (name && description) return `${name}: ${description}`;
  return name ?? description;
}
