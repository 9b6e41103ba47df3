/**
 * Where the answers of the per-person ITDR Durable Objects land in D1:
 * - each detection becomes a hit of the pseudo-rule `itdr:<kind>` through the alerting pipeline's
 *   `recordHits` (workers/detect/alert-sink.ts): the same counting-once (hit key = the detection's stable id),
 *   dedup window, suppressions, maintenance windows and routing as every other detection;
 * - the person's identity incident (opened at two kill-chain stages, escalated at three — core/itdr/risk.ts)
 *   is upserted in `identity_incidents`, with the detections behind it;
 * - the person's row in `identity_users` (risk, latest detection) is refreshed for the risky-users list.
 *
 * Invariant: everything here is idempotent — a replayed batch or a rebuild re-sends the same detection ids and
 * incident ids, which are counted once (alert_hits, primary keys).
 */
import type { AlertCandidate } from '../../core/detect/sql-rule';
import type { HostedDetection, PersonProcessAnswer } from '../../core/identity/identity-state';
import { detectorCatalog } from '../../core/itdr/catalog';
import type { DetectionKind } from '../../core/itdr/types';
import { recordHits, type SinkRule } from '../detect/alert-sink';
import type { Env } from '../env';

/** Identity alerts of one kind on one person fold into one alert for a day. */
export const itdrDedupWindowMinutes = 1440;

export function itdrRuleId(kind: DetectionKind): string {
  return `itdr:${kind}`;
}

export function itdrSinkRule(kind: DetectionKind): SinkRule {
  const spec = detectorCatalog[kind];
  return {
    id: itdrRuleId(kind),
    name: `Identity: ${spec.title}`,
    severity: spec.severity,
    hitScope: itdrRuleId(kind),
    sigmaId: null,
    tags: ['itdr', `itdr.stage.${spec.stage}`, ...spec.mitre.map((t) => `attack.${t.toLowerCase()}`)],
    dedupWindowMinutes: itdrDedupWindowMinutes,
    threshold: 1,
  };
}

/**
 * Detections about an attacking address rather than a person (the org-wide detectors): one spray sends one
 * detection per targeted person — each raises that person's risk and can open their identity incident — but a
 * responder needs ONE alert about the address, with the targets in its evidence and hit count, not thirty.
 */
const perAddressKinds: ReadonlySet<DetectionKind> = new Set<DetectionKind>(['password_spray', 'credential_stuffing']);

export function alertCandidate(d: HostedDetection): AlertCandidate {
  const spec = detectorCatalog[d.kind];
  const address = perAddressKinds.has(d.kind) ? d.ips[0] : undefined;
  return {
    dedupKey: address ? `itdr:${d.kind}:ip:${address}` : `itdr:${d.kind}:${d.user}`,
    title: address ? `${spec.title} from ${address}` : `${spec.title}: ${d.user}`,
    // The address is the alert's entity (so the incident rolls up on it); the targeted person is in the evidence.
    entities: address ? { users: [], ips: [address] } : { users: [d.user], ips: d.ips.slice(0, 20) },
    firstSeen: d.at,
    lastSeen: d.at,
    count: 1,
    evidence: {
      events: [
        {
          ...d.evidence.details,
          detection_id: d.id,
          kind: d.kind,
          stage: d.stage,
          mitre: d.mitre.join(', '),
          event_time: d.at,
          actor: d.user,
          src_ip: d.ips[0] ?? null,
          source: d.sources.join(', '),
          summary: d.evidence.summary,
          event_uids: d.evidence.eventUids.slice(0, 20).join(', '),
        },
      ],
    },
    hitKeys: [d.id],
    sources: d.sources,
  };
}

export interface SinkSummary {
  readonly detections: number;
  readonly newAlerts: number;
  readonly incidentsOpened: number;
  readonly incidentsEscalated: number;
}

export async function sinkPersonAnswers(env: Env, answers: readonly PersonProcessAnswer[], now: Date): Promise<SinkSummary> {
  const iso = now.toISOString();
  let newAlerts = 0;
  const byKind = new Map<DetectionKind, HostedDetection[]>();
  for (const a of answers) {
    for (const d of a.detections) {
      const list = byKind.get(d.kind);
      if (list) list.push(d);
      else byKind.set(d.kind, [d]);
    }
  }
  for (const [kind, detections] of byKind) {
    const result = await recordHits(env, itdrSinkRule(kind), detections.map(alertCandidate), now);
    newAlerts += result.newAlerts;
  }

  const statements: D1PreparedStatement[] = [];
  let incidentsOpened = 0;
  let incidentsEscalated = 0;
  for (const a of answers) {
    statements.push(
      env.DB.prepare(
        `INSERT INTO identity_users (person, display, identities, risk_score, risk_level, detection_count, last_detection_kind,
                                     last_detection_at, stages, event_count, last_seen, updated_at)
         VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (person) DO UPDATE SET
           identities = excluded.identities, risk_score = excluded.risk_score, risk_level = excluded.risk_level,
           detection_count = excluded.detection_count, last_detection_kind = excluded.last_detection_kind,
           last_detection_at = excluded.last_detection_at, stages = excluded.stages, event_count = excluded.event_count,
           last_seen = excluded.last_seen, updated_at = excluded.updated_at`,
      ).bind(
        a.person,
        JSON.stringify(a.identities),
        a.risk.score,
        a.risk.level,
        a.detectionCount,
        a.lastDetection?.kind ?? null,
        a.lastDetection?.at ?? null,
        JSON.stringify(a.stages),
        a.eventCount,
        a.lastSeen,
        iso,
      ),
    );
    const incident = a.incident;
    if (!incident) continue;
    if (a.incidentChange === 'open') incidentsOpened++;
    if (a.incidentChange === 'escalate' || (a.incidentChange === 'open' && incident.status === 'escalated')) incidentsEscalated++;
    const providers = [...new Set(incident.detections.flatMap((d) => d.sources))].sort();
    const times = incident.detections.map((d) => d.at).sort();
    const severity = incident.status === 'escalated' ? 'critical' : 'high';
    // The core decides the incident's life: an incident it no longer tracks for this person is closed here.
    statements.push(
      env.DB.prepare(`UPDATE identity_incidents SET status = 'closed', closed_at = ?3, updated_at = ?3 WHERE person = ?1 AND status != 'closed' AND id != ?2`).bind(
        a.person,
        incident.id,
        iso,
      ),
    );
    statements.push(
      env.DB.prepare(
        `INSERT INTO identity_incidents (id, person, status, severity, stages, providers, detection_count, risk_score, first_seen, last_seen,
                                         opened_at, escalated_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (id) DO UPDATE SET
           status = CASE WHEN identity_incidents.status = 'closed' THEN 'closed' ELSE excluded.status END,
           severity = excluded.severity, stages = excluded.stages,
           providers = (SELECT json_group_array(value) FROM (SELECT value FROM json_each(identity_incidents.providers) UNION SELECT value FROM json_each(excluded.providers))),
           detection_count = max(identity_incidents.detection_count, excluded.detection_count),
           risk_score = excluded.risk_score,
           first_seen = min(identity_incidents.first_seen, excluded.first_seen),
           last_seen = max(identity_incidents.last_seen, excluded.last_seen),
           escalated_at = coalesce(identity_incidents.escalated_at, excluded.escalated_at),
           updated_at = excluded.updated_at`,
      ).bind(
        incident.id,
        a.person,
        incident.status,
        severity,
        JSON.stringify(incident.stages),
        JSON.stringify(providers),
        incident.detections.length,
        a.risk.score,
        times[0] ?? incident.openedAt,
        times.at(-1) ?? incident.openedAt,
        incident.openedAt,
        incident.escalatedAt,
        iso,
      ),
    );
    for (const d of incident.detections) {
      statements.push(
        env.DB.prepare(
          `INSERT OR IGNORE INTO identity_incident_detections (incident_id, detection_id, kind, stage, severity, source, at, alert_id)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT alert_id FROM alert_hits WHERE rule_id = ?8 AND hit_key = ?2))`,
        ).bind(incident.id, d.id, d.kind, d.stage, d.severity, d.sources.join(',') || null, d.at, itdrRuleId(d.kind)),
      );
    }
  }
  // D1 batches are transactions; keep each well under the statement limits.
  for (let i = 0; i < statements.length; i += 200) await env.DB.batch(statements.slice(i, i + 200));
  return {
    detections: [...byKind.values()].reduce((n, l) => n + l.length, 0),
    newAlerts,
    incidentsOpened,
    incidentsEscalated,
  };
}
