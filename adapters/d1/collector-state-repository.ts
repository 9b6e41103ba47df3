/** Pull collectors' cursors, health and run history in D1. */
import { desc, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { collectorRuns, collectorState } from './schema';

export type CollectorStateRow = typeof collectorState.$inferSelect;
export type CollectorRunRow = typeof collectorRuns.$inferSelect;

export class CollectorStateRepository {
  private readonly orm;

  constructor(db: D1Database) {
    this.orm = drizzle(db);
  }

  async get(collectorId: string): Promise<CollectorStateRow | null> {
    return (await this.orm.select().from(collectorState).where(eq(collectorState.collectorId, collectorId)).get()) ?? null;
  }

  list(): Promise<CollectorStateRow[]> {
    return this.orm.select().from(collectorState).all();
  }

  /** Saves the cursor after a page is durable; counts the page's new events. */
  async advance(collectorId: string, source: string, cursor: unknown, newEvents: number, lastEventTime: string | null, now: Date): Promise<void> {
    const iso = now.toISOString();
    await this.orm
      .insert(collectorState)
      .values({ collectorId, source, cursor: JSON.stringify(cursor), lastEventTime, eventsTotal: newEvents, updatedAt: iso })
      .onConflictDoUpdate({
        target: collectorState.collectorId,
        set: {
          source,
          cursor: JSON.stringify(cursor),
          eventsTotal: sql`${collectorState.eventsTotal} + ${newEvents}`,
          lastEventTime: lastEventTime === null ? sql`${collectorState.lastEventTime}` : sql`max(coalesce(${collectorState.lastEventTime}, ''), ${lastEventTime})`,
          updatedAt: iso,
        },
      });
  }

  /** Records the end of a run: success resets the failure count, an error increments it. */
  async finishRun(collectorId: string, source: string, run: Omit<CollectorRunRow, 'id' | 'collectorId'>, now: Date): Promise<void> {
    const iso = now.toISOString();
    const ok = run.status !== 'error' && run.error === null;
    await this.orm.batch([
      this.orm.insert(collectorRuns).values({ ...run, collectorId }),
      this.orm
        .insert(collectorState)
        .values({ collectorId, source, lastRunAt: run.startedAt, lastSuccessAt: ok ? iso : null, lastError: run.error, consecutiveFailures: ok ? 0 : 1, updatedAt: iso })
        .onConflictDoUpdate({
          target: collectorState.collectorId,
          set: {
            lastRunAt: run.startedAt,
            ...(ok ? { lastSuccessAt: iso, consecutiveFailures: 0 } : { consecutiveFailures: sql`${collectorState.consecutiveFailures} + 1` }),
            lastError: run.error,
            updatedAt: iso,
          },
        }),
    ]);
  }

  recentRuns(collectorId: string, limit: number): Promise<CollectorRunRow[]> {
    return this.orm.select().from(collectorRuns).where(eq(collectorRuns.collectorId, collectorId)).orderBy(desc(collectorRuns.id)).limit(limit).all();
  }
}
