/**
 * Alerts in D1. Candidates with the same dedup key fold into one alert (count and last-seen grow, evidence is
 * a bounded sample); a closed alert that fires again reopens, a false positive stays closed.
 */
import { and, desc, eq, inArray, isNotNull, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import type { AlertCandidate } from '../../core/detect/sql-rule';
import { alerts, detectionRules } from './schema';

export type AlertRow = typeof alerts.$inferSelect;
export type AlertStatus = AlertRow['status'];

export const maxEvidenceRows = 20;

export class AlertsRepository {
  private readonly orm;

  constructor(private readonly db: D1Database) {
    this.orm = drizzle(db);
  }

  async list(filter: { status: AlertStatus | null; limit: number }): Promise<AlertRow[]> {
    const where: SQL[] = [];
    if (filter.status) where.push(eq(alerts.status, filter.status));
    return this.orm
      .select()
      .from(alerts)
      .where(and(...where))
      .orderBy(desc(alerts.lastSeen))
      .limit(filter.limit)
      .all();
  }

  /**
   * The licence and attribution of the rules behind `rows`, for those that carry one: the Detection Rule License
   * (SigmaHQ's rules) asks that messages based on a rule's matches keep its author's attribution.
   */
  async ruleAttributions(rows: readonly AlertRow[]): Promise<Map<string, { license: string | null; attribution: string }>> {
    const ids = [...new Set(rows.map((r) => r.ruleId))];
    const out = new Map<string, { license: string | null; attribution: string }>();
    // D1 binds at most 100 parameters per statement.
    for (let i = 0; i < ids.length; i += 90) {
      const found = await this.orm
        .select({ id: detectionRules.id, license: detectionRules.license, attribution: detectionRules.attribution })
        .from(detectionRules)
        .where(and(inArray(detectionRules.id, ids.slice(i, i + 90)), isNotNull(detectionRules.attribution)))
        .all();
      for (const r of found) out.set(r.id, { license: r.license, attribution: r.attribution! });
    }
    return out;
  }

  async get(id: string): Promise<AlertRow | null> {
    return (await this.orm.select().from(alerts).where(eq(alerts.id, id)).get()) ?? null;
  }

  async setStatus(id: string, status: AlertStatus, assignee: string | null | undefined, now: Date): Promise<AlertRow | null> {
    const row = await this.orm
      .update(alerts)
      .set({ status, ...(assignee !== undefined ? { assignee } : {}), updatedAt: now.toISOString() })
      .where(eq(alerts.id, id))
      .returning()
      .get();
    return row ?? null;
  }

  /** Inserts or folds each candidate into its alert. Returns how many new alerts were opened. */
  async upsert(
    rule: { id: string; name: string; severity: string },
    candidates: readonly AlertCandidate[],
    now: Date,
  ): Promise<number> {
    if (candidates.length === 0) return 0;
    const iso = now.toISOString();
    const statements = candidates.map((c) =>
      this.db
        .prepare(
          `INSERT INTO alerts (id, rule_id, rule_name, severity, title, dedup_key, entities, first_seen, last_seen,
                               count, status, evidence, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'open', json_array(json(?11)), ?12, ?12)
           ON CONFLICT (dedup_key) DO UPDATE SET
             last_seen = max(last_seen, excluded.last_seen),
             first_seen = min(first_seen, excluded.first_seen),
             count = count + excluded.count,
             status = CASE WHEN status = 'closed' THEN 'open' ELSE status END,
             evidence = CASE WHEN json_array_length(evidence) < ${maxEvidenceRows}
                             THEN json_insert(evidence, '$[#]', json(?11)) ELSE evidence END,
             updated_at = excluded.updated_at
           RETURNING id = ?1 AS is_new`,
        )
        .bind(
          `alt_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`,
          rule.id,
          rule.name,
          rule.severity,
          c.title,
          c.dedupKey,
          JSON.stringify(c.entities),
          c.firstSeen,
          c.lastSeen,
          c.count,
          JSON.stringify(c.evidence),
          iso,
        ),
    );
    const results = await this.db.batch<{ is_new: number }>(statements);
    return results.filter((r) => r.results[0]?.is_new === 1).length;
  }
}
