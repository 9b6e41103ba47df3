/**
 * Where every detection path (real-time on ingest, scheduled SQL and Sigma rules) hands its hits: counts each
 * hit once (alert_hits), folds it into the rule's current alert for that entity within the rule's dedup
 * window (or opens a new alert, or reopens a closed one), rolls the alert into its entity's incident, decides
 * whether it may notify (suppressions, maintenance windows, threshold) and, when it may, records one delivery
 * per routed destination and queues them. Each step is one D1 batch (a transaction), so a run that dies
 * half-way is made up by the next without a duplicate: hits already counted are skipped, and an alert's
 * trigger is routed once per occurrence (`notified_occurrence`).
 */
import type { AlertCandidate } from '../../core/detect/sql-rule';
import { factsOf, incidentEntity, incidentSeverity, muteReason, riskPoints, type ActiveMaintenance, type ActiveSuppression, type SuppressionConditions } from '../../core/alerting/noise';
import { routeAlert } from '../../core/alerting/routing';
import type { Severity } from '../../core/schema/event';
import type { Env } from '../env';
import { queueDeliveries, recordDeliveries } from './deliveries';
import { loadRouting } from './routing-store';

export const maxEvidenceRows = 20;

/** What the sink needs to know about the rule behind the hits. */
export interface SinkRule {
  /** detection_rules.id */
  readonly id: string;
  /** The alert's rule name (a Sigma document's title). */
  readonly name: string;
  readonly severity: Severity;
  /** Scope of hit keys: the rule, or one document of a multi-document Sigma rule. */
  readonly hitScope: string;
  readonly sigmaId: string | null;
  readonly tags: readonly string[];
  readonly dedupWindowMinutes: number;
  readonly threshold: number;
}

export interface SinkResult {
  /** Candidates with at least one hit not counted before. */
  readonly hits: number;
  readonly newAlerts: number;
  readonly notified: number;
  readonly muted: number;
}

interface UpsertedAlert {
  id: string;
  is_new: number;
  status: string;
  occurrence: number;
  notified_occurrence: number;
  count: number;
  muted_by: string | null;
  severity: Severity;
  sources: string;
  tags: string;
  entities: string;
  incident_id: string | null;
}

export async function recordHits(env: Env, rule: SinkRule, candidates: readonly AlertCandidate[], now: Date): Promise<SinkResult> {
  const fresh = await keepNewHits(env.DB, rule.hitScope, candidates);
  if (fresh.length === 0) return { hits: 0, newAlerts: 0, notified: 0, muted: 0 };
  const iso = now.toISOString();

  const statements: D1PreparedStatement[] = [];
  for (const { candidate, hitKeys, count } of fresh) {
    const windowStart = new Date(Date.parse(candidate.firstSeen) - rule.dedupWindowMinutes * 60_000).toISOString();
    // An alert quiet for longer than the dedup window is archived; this hit opens a new one.
    statements.push(
      env.DB.prepare(`UPDATE alerts SET dedup_key = dedup_key || '@' || id, updated_at = ?3 WHERE dedup_key = ?1 AND last_seen < ?2`).bind(candidate.dedupKey, windowStart, iso),
    );
    statements.push(
      env.DB.prepare(
        `INSERT INTO alerts (id, rule_id, rule_name, severity, title, dedup_key, group_key, entities, first_seen, last_seen, count,
                             status, evidence, tags, sources, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10, 'open', json(?11), json(?12), json(?13), ?14, ?14)
         ON CONFLICT (dedup_key) DO UPDATE SET
           last_seen = max(last_seen, excluded.last_seen),
           first_seen = min(first_seen, excluded.first_seen),
           count = count + excluded.count,
           occurrence = CASE WHEN status = 'closed' THEN occurrence + 1 ELSE occurrence END,
           resolved_at = CASE WHEN status = 'closed' THEN NULL ELSE resolved_at END,
           resolved_by = CASE WHEN status = 'closed' THEN NULL ELSE resolved_by END,
           acknowledged_at = CASE WHEN status = 'closed' THEN NULL ELSE acknowledged_at END,
           acknowledged_by = CASE WHEN status = 'closed' THEN NULL ELSE acknowledged_by END,
           escalated_at = CASE WHEN status = 'closed' THEN NULL ELSE escalated_at END,
           status = CASE WHEN status = 'closed' THEN 'open' ELSE status END,
           entities = json_object(
             'users', (SELECT json_group_array(value) FROM (SELECT value FROM json_each(entities, '$.users') UNION SELECT value FROM json_each(excluded.entities, '$.users') LIMIT 20)),
             'ips', (SELECT json_group_array(value) FROM (SELECT value FROM json_each(entities, '$.ips') UNION SELECT value FROM json_each(excluded.entities, '$.ips') LIMIT 20))),
           sources = (SELECT json_group_array(value) FROM (SELECT value FROM json_each(sources) UNION SELECT value FROM json_each(excluded.sources))),
           evidence = CASE WHEN json_array_length(evidence) < ${maxEvidenceRows}
                           THEN (SELECT json_group_array(json(value)) FROM (SELECT value FROM json_each(evidence) UNION ALL SELECT value FROM json_each(excluded.evidence) LIMIT ${maxEvidenceRows}))
                           ELSE evidence END,
           updated_at = excluded.updated_at
         RETURNING id, id = ?1 AS is_new, status, occurrence, notified_occurrence, count, muted_by, severity, sources, tags, entities, incident_id`,
      ).bind(
        `alt_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`,
        rule.id,
        rule.name,
        rule.severity,
        candidate.title,
        candidate.dedupKey,
        JSON.stringify(candidate.entities),
        candidate.firstSeen,
        candidate.lastSeen,
        count,
        JSON.stringify(evidenceRows(candidate)),
        JSON.stringify(rule.tags),
        JSON.stringify(candidate.sources ?? []),
        iso,
      ),
    );
    statements.push(
      env.DB.prepare(
        `INSERT OR IGNORE INTO alert_hits (rule_id, hit_key, alert_id, at)
         SELECT ?1, value, (SELECT id FROM alerts WHERE dedup_key = ?2), ?3 FROM json_each(?4)`,
      ).bind(rule.hitScope, candidate.dedupKey, iso, JSON.stringify(hitKeys)),
    );
  }
  const results = await env.DB.batch<UpsertedAlert>(statements);
  const alerts = fresh.map((f, i) => ({ ...f, row: results[i * 3 + 1]!.results[0]! }));

  const newAlerts = alerts.filter((a) => a.row.is_new === 1);
  await rollIntoIncidents(env.DB, newAlerts.map((a) => a.row), iso);

  // Notification decisions.
  const { suppressions, maintenance } = await activeNoiseControls(env.DB, iso);
  const routing = await loadRouting(env);
  let notified = 0;
  let muted = 0;
  const decisions: D1PreparedStatement[] = [];
  const toQueue: string[] = [];
  for (const { candidate, row } of alerts) {
    if (row.status !== 'open' || row.notified_occurrence >= row.occurrence) continue;
    const sources = JSON.parse(row.sources) as string[];
    const events = Array.isArray(candidate.evidence.events) ? (candidate.evidence.events as Record<string, unknown>[]) : [candidate.evidence];
    const reason = muteReason(
      { ruleId: rule.id, sources, facts: factsOf(events, candidate.entities), count: row.count, threshold: rule.threshold, now },
      suppressions,
      maintenance,
    );
    if (reason !== null) {
      muted++;
      if (row.muted_by !== reason) {
        decisions.push(env.DB.prepare('UPDATE alerts SET muted_by = ?2 WHERE id = ?1').bind(row.id, reason));
        if (suppressions.some((s) => s.id === reason)) decisions.push(env.DB.prepare('UPDATE suppressions SET muted = muted + 1 WHERE id = ?1').bind(reason));
      }
      continue;
    }
    const routed = routing
      ? routeAlert(routing.rules, { severity: row.severity, ruleId: rule.id, ruleName: rule.name, sigmaId: rule.sigmaId, tags: rule.tags, sources }, now)
      : [];
    const recorded = recordDeliveries(env.DB, {
      alertId: row.id,
      kind: 'trigger',
      occurrence: row.occurrence,
      deliveries: routed.flatMap((d) => {
        const destination = routing?.destinations.get(d.destinationId);
        return destination ? [{ ...d, destinationType: destination.type }] : [];
      }),
      now,
    });
    decisions.push(...recorded.statements);
    toQueue.push(...recorded.ids);
    decisions.push(
      env.DB.prepare('UPDATE alerts SET notified_occurrence = ?2, muted_by = NULL WHERE id = ?1 AND notified_occurrence < ?2').bind(row.id, row.occurrence),
    );
    notified++;
  }
  if (decisions.length > 0) await env.DB.batch(decisions);
  await queueDeliveries(env, toQueue);
  return { hits: fresh.length, newAlerts: newAlerts.length, notified, muted };
}

/** Candidates with the hits not yet counted for this rule; the count is of new hits only. */
async function keepNewHits(db: D1Database, scope: string, candidates: readonly AlertCandidate[]) {
  const keyed = candidates.map((candidate) => ({
    candidate,
    keys: candidate.hitKeys && candidate.hitKeys.length > 0 ? [...new Set(candidate.hitKeys)] : [`${candidate.dedupKey}|${candidate.lastSeen}`],
  }));
  const all = keyed.flatMap((k) => k.keys);
  const seen = new Set<string>();
  // One bound JSON parameter per ≤ 1,000 keys (D1 binds at most 100 parameters per statement).
  for (let i = 0; i < all.length; i += 1000) {
    const { results } = await db
      .prepare('SELECT hit_key FROM alert_hits WHERE rule_id = ?1 AND hit_key IN (SELECT value FROM json_each(?2))')
      .bind(scope, JSON.stringify(all.slice(i, i + 1000)))
      .all<{ hit_key: string }>();
    for (const r of results) seen.add(r.hit_key);
  }
  return keyed.flatMap(({ candidate, keys }) => {
    const hitKeys = keys.filter((k) => !seen.has(k));
    if (hitKeys.length === 0) return [];
    // Event hits count their new events; a result row keeps its own count.
    const count = candidate.hitKeys && candidate.hitKeys.length > 0 ? hitKeys.length : candidate.count;
    return [{ candidate, hitKeys, count }];
  });
}

function evidenceRows(candidate: AlertCandidate): unknown[] {
  const events = candidate.evidence.events;
  return (Array.isArray(events) ? events : [candidate.evidence]).slice(0, maxEvidenceRows);
}

/** New alerts join (or open) the open incident of their entity; the incident's risk grows with each. */
async function rollIntoIncidents(db: D1Database, rows: readonly UpsertedAlert[], iso: string): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (const row of rows) {
    const entity = incidentEntity(JSON.parse(row.entities) as { users: string[]; ips: string[] });
    if (!entity) continue;
    const points = riskPoints[row.severity] ?? 1;
    statements.push(
      db
        .prepare(
          `INSERT INTO incidents (id, entity_kind, entity, status, risk_score, severity, alert_count, first_seen, last_seen, created_at, updated_at)
           VALUES (?1, ?2, ?3, 'open', ?4, ?5, 1, ?6, ?6, ?6, ?6)
           ON CONFLICT (entity_kind, entity) WHERE status = 'open' DO UPDATE SET
             risk_score = risk_score + excluded.risk_score,
             alert_count = alert_count + 1,
             severity = CASE
               WHEN risk_score + excluded.risk_score >= 150 THEN 'critical'
               WHEN risk_score + excluded.risk_score >= 70 THEN 'high'
               WHEN risk_score + excluded.risk_score >= 20 THEN 'medium'
               WHEN risk_score + excluded.risk_score >= 5 THEN 'low'
               ELSE 'info' END,
             last_seen = excluded.last_seen,
             updated_at = excluded.updated_at`,
        )
        .bind(`inc_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`, entity.kind, entity.value, points, incidentSeverity(points), iso),
    );
    statements.push(
      db
        .prepare(`UPDATE alerts SET incident_id = (SELECT id FROM incidents WHERE entity_kind = ?2 AND entity = ?3 AND status = 'open') WHERE id = ?1`)
        .bind(row.id, entity.kind, entity.value),
    );
  }
  if (statements.length > 0) await db.batch(statements);
}

async function activeNoiseControls(db: D1Database, iso: string): Promise<{ suppressions: ActiveSuppression[]; maintenance: ActiveMaintenance[] }> {
  const [s, m] = await db.batch<Record<string, string | null>>([
    db.prepare(`SELECT id, rule_id, conditions, expires_at FROM suppressions WHERE status = 'active' AND expires_at > ?1`).bind(iso),
    db.prepare(`SELECT id, starts_at, ends_at, rule_ids, sources FROM maintenance_windows WHERE starts_at <= ?1 AND ends_at > ?1`).bind(iso),
  ]);
  return {
    suppressions: s!.results.map((r) => ({
      id: r.id!,
      ruleId: r.rule_id ?? null,
      conditions: JSON.parse(r.conditions!) as SuppressionConditions,
      expiresAt: r.expires_at!,
    })),
    maintenance: m!.results.map((r) => ({
      id: r.id!,
      startsAt: r.starts_at!,
      endsAt: r.ends_at!,
      ruleIds: JSON.parse(r.rule_ids!) as string[],
      sources: JSON.parse(r.sources!) as string[],
    })),
  };
}
