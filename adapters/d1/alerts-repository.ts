/**
 * Reading alerts in D1. Writing them is the alert sink's (workers/detect/alert-sink: dedup windows, hit counting,
 * notifications) and the lifecycle's (workers/detect/alert-lifecycle: acknowledge, close).
 */
import { and, desc, eq, gte, inArray, isNotNull, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { alerts, detectionRules } from './schema';

export type AlertRow = typeof alerts.$inferSelect;
export type AlertStatus = AlertRow['status'];

export class AlertsRepository {
  private readonly orm;

  constructor(db: D1Database) {
    this.orm = drizzle(db);
  }

  async list(filter: {
    status: AlertStatus | null;
    severities?: readonly string[] | null;
    since?: string | null;
    ruleId?: string | null;
    incidentId?: string | null;
    limit: number;
  }): Promise<AlertRow[]> {
    const where: SQL[] = [];
    if (filter.status) where.push(eq(alerts.status, filter.status));
    if (filter.severities && filter.severities.length > 0) where.push(inArray(alerts.severity, [...filter.severities]));
    if (filter.since) where.push(gte(alerts.lastSeen, filter.since));
    if (filter.ruleId) where.push(eq(alerts.ruleId, filter.ruleId));
    if (filter.incidentId) where.push(eq(alerts.incidentId, filter.incidentId));
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
}
