/**
 * The per-batch idempotency record. A batch is claimed (`pending`, with the time it first arrived) before any
 * write, so a retry of a half-written batch reuses the same R2 keys; it becomes `complete` in the same D1
 * transaction that inserts its rows.
 */
import { and, asc, eq, lt, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import type { LineError } from '../../core/ingest/parse-batch';
import { ingestBatches } from './schema';

export type IngestBatchRow = typeof ingestBatches.$inferSelect;

export interface BatchOutcome {
  readonly lines: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly events: number;
  readonly bytes: number;
  readonly rawKey: string;
  readonly deadLetterKey: string | null;
  readonly errors: readonly LineError[];
  readonly completedAt: string;
}

export class IngestBatchesRepository {
  private readonly orm;

  constructor(private readonly db: D1Database) {
    this.orm = drizzle(db);
  }

  /** Claims the batch id; returns the stored row (which may be an earlier attempt's). */
  async claim(
    batchId: string,
    source: string,
    receivedAt: string,
    principalId: string,
    keying: IngestBatchRow['keying'] = 'position',
  ): Promise<IngestBatchRow> {
    await this.orm
      .insert(ingestBatches)
      .values({ batchId, source, receivedAt, status: 'pending', principalId, keying })
      .onConflictDoNothing();
    const row = await this.orm.select().from(ingestBatches).where(eq(ingestBatches.batchId, batchId)).get();
    if (!row) throw new Error(`ingest batch ${batchId} vanished after it was claimed`);
    return row;
  }

  /** Forgets a claim that left nothing durable (an unreadable body, or one that never reached R2). */
  async release(batchId: string): Promise<void> {
    await this.orm.delete(ingestBatches).where(and(eq(ingestBatches.batchId, batchId), eq(ingestBatches.status, 'pending')));
  }

  /** Claims still pending since before `before` (oldest first): candidates for replay from R2. */
  pendingBefore(before: string, limit: number): Promise<IngestBatchRow[]> {
    return this.orm
      .select()
      .from(ingestBatches)
      .where(and(eq(ingestBatches.status, 'pending'), lt(ingestBatches.receivedAt, before)))
      .orderBy(asc(ingestBatches.receivedAt))
      .limit(limit)
      .all();
  }

  /** The statement that marks the batch complete; runs in the same `db.batch()` as the event inserts. */
  completeStatement(batchId: string, outcome: BatchOutcome): D1PreparedStatement {
    return this.db
      .prepare(
        `UPDATE ingest_batches SET status = 'complete', lines = ?2, accepted = ?3, rejected = ?4, events = ?5,
           bytes = ?6, raw_key = ?7, dead_letter_key = ?8, errors = ?9, completed_at = ?10
         WHERE batch_id = ?1`,
      )
      .bind(
        batchId,
        outcome.lines,
        outcome.accepted,
        outcome.rejected,
        outcome.events,
        outcome.bytes,
        outcome.rawKey,
        outcome.deadLetterKey,
        JSON.stringify(outcome.errors),
        outcome.completedAt,
      );
  }

  async sourceStats(): Promise<
    { source: string; batches: number; accepted: number; rejected: number; events: number; lastIngestAt: string | null }[]
  > {
    return this.orm
      .select({
        source: ingestBatches.source,
        batches: sql<number>`count(*)`,
        accepted: sql<number>`coalesce(sum(${ingestBatches.accepted}), 0)`,
        rejected: sql<number>`coalesce(sum(${ingestBatches.rejected}), 0)`,
        events: sql<number>`coalesce(sum(${ingestBatches.events}), 0)`,
        lastIngestAt: sql<string | null>`max(${ingestBatches.completedAt})`,
      })
      .from(ingestBatches)
      .where(and(eq(ingestBatches.status, 'complete')))
      .groupBy(ingestBatches.source)
      .all();
  }
}
