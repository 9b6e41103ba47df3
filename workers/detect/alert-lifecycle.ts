/**
 * What happens after an alert is raised: a person acknowledges or resolves it (the destinations that were told
 * of its trigger are told of that too: PagerDuty acknowledges/resolves the incident, Jira and ServiceNow move
 * the issue, chat threads get a reply), and the cron's housekeeping — escalating alerts nobody acknowledged,
 * re-queueing deliveries left pending, closing incidents whose alerts are all done.
 */
import { dueEscalations } from '../../core/alerting/routing';
import { EnrichmentCacheRepository } from '../../adapters/d1/enrichment-cache-repository';
import type { NotificationKind } from '../../core/alerting/notification';
import type { Severity } from '../../core/schema/event';
import type { Env } from '../env';
import { queueDeliveries, recordDeliveries, requeueDueDeliveries } from './deliveries';
import { loadRouting } from './routing-store';

export type AlertStatus = 'open' | 'acknowledged' | 'closed' | 'false_positive';

/**
 * Records a status change made by a person and owes the matching notification to every destination that got
 * this occurrence's trigger. Returns the updated row, or null for an unknown alert.
 */
export async function changeAlertStatus(
  env: Env,
  input: { id: string; status: AlertStatus; assignee?: string | null | undefined; actor: string; now: Date },
): Promise<Record<string, unknown> | null> {
  const iso = input.now.toISOString();
  const before = await env.DB.prepare('SELECT status, occurrence FROM alerts WHERE id = ?1').bind(input.id).first<{ status: AlertStatus; occurrence: number }>();
  if (!before) return null;
  const done = input.status === 'closed' || input.status === 'false_positive';
  const row = await env.DB.prepare(
    `UPDATE alerts SET status = ?2,
       assignee = CASE WHEN ?3 = 1 THEN ?4 ELSE assignee END,
       acknowledged_at = CASE WHEN ?2 = 'acknowledged' AND acknowledged_at IS NULL THEN ?5 ELSE acknowledged_at END,
       acknowledged_by = CASE WHEN ?2 = 'acknowledged' AND acknowledged_at IS NULL THEN ?6 ELSE acknowledged_by END,
       resolved_at = CASE WHEN ?7 = 1 THEN ?5 ELSE NULL END,
       resolved_by = CASE WHEN ?7 = 1 THEN ?6 ELSE NULL END,
       updated_at = ?5
     WHERE id = ?1 RETURNING *`,
  )
    .bind(input.id, input.status, input.assignee !== undefined ? 1 : 0, input.assignee ?? null, iso, input.actor, done ? 1 : 0)
    .first<Record<string, unknown>>();
  if (!row) return null;

  const kind: NotificationKind | null =
    done && before.status !== 'closed' && before.status !== 'false_positive' ? 'resolve' : input.status === 'acknowledged' && before.status === 'open' ? 'acknowledge' : null;
  if (kind) await oweFollowUp(env, input.id, before.occurrence, kind, input.now);
  if (done) await closeFinishedIncidents(env.DB, iso);
  return row;
}

/** acknowledge/resolve to each destination that was sent (or owes) this occurrence's trigger. */
async function oweFollowUp(env: Env, alertId: string, occurrence: number, kind: NotificationKind, now: Date): Promise<void> {
  const { results } = await env.DB.prepare(
    `SELECT DISTINCT destination_id, destination_type, route FROM alert_deliveries
     WHERE alert_id = ?1 AND kind = 'trigger' AND delivery_key = alert_id || ':' || destination_id || ':trigger:' || ?2 AND status != 'failed'`,
  )
    // As text: D1 binds JavaScript numbers as REAL, which would concatenate as "1.0".
    .bind(alertId, String(occurrence))
    .all<{ destination_id: string; destination_type: string; route: string }>();
  if (results.length === 0) return;
  const recorded = recordDeliveries(env.DB, {
    alertId,
    kind,
    occurrence,
    deliveries: results.map((r) => ({ destinationId: r.destination_id, destinationType: r.destination_type, route: r.route, notBefore: now.toISOString() })),
    now,
  });
  await env.DB.batch(recorded.statements);
  await queueDeliveries(env, recorded.ids);
}

/** Incidents whose alerts are all closed or false positives are closed too. */
async function closeFinishedIncidents(db: D1Database, iso: string): Promise<void> {
  await db
    .prepare(
      `UPDATE incidents SET status = 'closed', updated_at = ?1
       WHERE status = 'open' AND NOT EXISTS (SELECT 1 FROM alerts AS a WHERE a.incident_id = incidents.id AND a.status IN ('open', 'acknowledged'))`,
    )
    .bind(iso)
    .run();
}

export interface HousekeepingSummary {
  readonly requeued: number;
  readonly escalated: number;
}

/** The cron's alerting chores: escalations due, deliveries to re-queue, finished incidents, expired enrichment. */
export async function runAlertHousekeeping(env: Env, now: Date): Promise<HousekeepingSummary> {
  const escalated = await escalateUnacknowledged(env, now);
  const requeued = await requeueDueDeliveries(env, now);
  await closeFinishedIncidents(env.DB, now.toISOString());
  await new EnrichmentCacheRepository(env.DB).purgeExpired(now);
  return { requeued, escalated };
}

interface OpenNotifiedAlert {
  id: string;
  rule_id: string;
  rule_name: string;
  severity: Severity;
  occurrence: number;
  tags: string;
  sources: string;
  sigma_id: string | null;
  notified_at: string;
}

/** Open alerts nobody acknowledged within a route's `escalate.afterMinutes`: their escalation destinations are told. */
async function escalateUnacknowledged(env: Env, now: Date): Promise<number> {
  const routing = await loadRouting(env);
  if (!routing || !routing.rules.routes.some((r) => r.escalate)) return 0;
  const { results } = await env.DB.prepare(
    `SELECT a.id, a.rule_id, a.rule_name, a.severity, a.occurrence, a.tags, a.sources, r.sigma_id, min(d.created_at) AS notified_at
     FROM alerts AS a
     JOIN alert_deliveries AS d ON d.alert_id = a.id AND d.kind = 'trigger' AND d.delivery_key = a.id || ':' || d.destination_id || ':trigger:' || a.occurrence
     LEFT JOIN detection_rules AS r ON r.id = a.rule_id
     WHERE a.status = 'open' AND a.escalated_at IS NULL AND a.muted_by IS NULL
     GROUP BY a.id LIMIT 500`,
  ).all<OpenNotifiedAlert>();
  let escalated = 0;
  for (const alert of results) {
    const minutesOpen = (now.getTime() - Date.parse(alert.notified_at)) / 60_000;
    const due = dueEscalations(
      routing.rules,
      { severity: alert.severity, ruleId: alert.rule_id, ruleName: alert.rule_name, sigmaId: alert.sigma_id, tags: JSON.parse(alert.tags) as string[], sources: JSON.parse(alert.sources) as string[] },
      minutesOpen,
    );
    if (due.length === 0) continue;
    const recorded = recordDeliveries(env.DB, {
      alertId: alert.id,
      kind: 'trigger',
      occurrence: alert.occurrence,
      deliveries: due.flatMap((e) =>
        e.destinations.flatMap((id) => {
          const destination = routing.destinations.get(id);
          return destination ? [{ destinationId: id, destinationType: destination.type, route: `escalation:${e.route}`, notBefore: now.toISOString() }] : [];
        }),
      ),
      now,
    });
    await env.DB.batch([...recorded.statements, env.DB.prepare('UPDATE alerts SET escalated_at = ?2 WHERE id = ?1').bind(alert.id, now.toISOString())]);
    await queueDeliveries(env, recorded.ids);
    escalated++;
  }
  return escalated;
}
