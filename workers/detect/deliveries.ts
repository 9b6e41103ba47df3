/**
 * Delivery records: one row per (alert, destination, lifecycle step, occurrence), created with the decision
 * that a notification is owed and before anything is sent, so the decision survives a crash. The row's
 * `delivery_key` is unique: recording the same notification twice records it once. Rows are handed to the
 * `ALERT_DELIVERIES` queue by key; the cron re-queues any row left pending (a failed `send`, a quiet-hours
 * hold that has ended).
 */
import type { NotificationKind } from '../../core/alerting/notification';
import type { Env } from '../env';

export interface DeliveryMessage {
  readonly deliveryKey: string;
}

export function deliveryKeyOf(alertId: string, destinationId: string, kind: NotificationKind, occurrence: number): string {
  return `${alertId}:${destinationId}:${kind}:${occurrence}`;
}

/** INSERT OR IGNORE statements for the deliveries owed, and the keys to queue now (those already due). */
export function recordDeliveries(
  db: D1Database,
  input: {
    alertId: string;
    kind: NotificationKind;
    occurrence: number;
    deliveries: readonly { destinationId: string; destinationType: string; route: string; notBefore: string }[];
    now: Date;
  },
): { statements: D1PreparedStatement[]; ids: string[] } {
  const iso = input.now.toISOString();
  const statements: D1PreparedStatement[] = [];
  const ids: string[] = [];
  for (const d of input.deliveries) {
    const key = deliveryKeyOf(input.alertId, d.destinationId, input.kind, input.occurrence);
    statements.push(
      db
        .prepare(
          `INSERT OR IGNORE INTO alert_deliveries (id, delivery_key, alert_id, destination_id, destination_type, kind, route, status, attempts, not_before, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', 0, ?8, ?9, ?9)`,
        )
        .bind(`dlv_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`, key, input.alertId, d.destinationId, d.destinationType, input.kind, d.route, d.notBefore, iso),
    );
    if (d.notBefore <= iso) ids.push(key);
  }
  return { statements, ids };
}

/**
 * Hands due deliveries to the queue. A failure to enqueue loses nothing: the rows stay `pending` and the cron
 * sweep (requeueDueDeliveries) queues them again.
 */
export async function queueDeliveries(env: Env, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 100) {
    const chunk = keys.slice(i, i + 100);
    try {
      await env.ALERT_DELIVERIES.sendBatch(chunk.map((deliveryKey) => ({ body: { deliveryKey } satisfies DeliveryMessage })));
    } catch (err) {
      console.error(JSON.stringify({ level: 'error', msg: 'queueing alert deliveries failed; the cron will retry them', count: chunk.length, error: String(err) }));
    }
  }
}

/** Pending deliveries that are due and not held by a live lease: queued again by the cron. */
export async function requeueDueDeliveries(env: Env, now: Date, limit = 500): Promise<number> {
  const iso = now.toISOString();
  const { results } = await env.DB.prepare(
    `SELECT delivery_key FROM alert_deliveries
     WHERE status IN ('pending', 'sending') AND not_before <= ?1 AND (lease_until IS NULL OR lease_until < ?1)
     ORDER BY not_before LIMIT ?2`,
  )
    .bind(iso, limit)
    .all<{ delivery_key: string }>();
  await queueDeliveries(
    env,
    results.map((r) => r.delivery_key),
  );
  return results.length;
}
