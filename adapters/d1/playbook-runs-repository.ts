/** SOAR playbook runs (one per Workflow instance) and their approval decisions. */
import { desc, eq, and } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { playbookRuns } from './schema';

export type PlaybookRunRow = typeof playbookRuns.$inferSelect;
export type PlaybookRunStatus =
  | 'queued'
  | 'running'
  | 'waiting_approval'
  | 'approved'
  | 'rejected'
  | 'complete'
  | 'errored'
  | 'timed_out';

export class PlaybookRunsRepository {
  private readonly orm;

  constructor(db: D1Database) {
    this.orm = drizzle(db);
  }

  async create(row: Omit<PlaybookRunRow, 'decidedBy' | 'decision' | 'decisionComment' | 'result'>): Promise<PlaybookRunRow> {
    return this.orm
      .insert(playbookRuns)
      .values({ ...row, decidedBy: null, decision: null, decisionComment: null, result: null })
      .returning()
      .get();
  }

  async get(id: string): Promise<PlaybookRunRow | null> {
    return (await this.orm.select().from(playbookRuns).where(eq(playbookRuns.id, id)).get()) ?? null;
  }

  list(limit: number): Promise<PlaybookRunRow[]> {
    return this.orm.select().from(playbookRuns).orderBy(desc(playbookRuns.createdAt)).limit(limit).all();
  }

  async setStatus(id: string, status: PlaybookRunStatus, now: Date, result?: unknown): Promise<void> {
    await this.orm
      .update(playbookRuns)
      .set({ status, updatedAt: now.toISOString(), ...(result !== undefined ? { result: JSON.stringify(result) } : {}) })
      .where(eq(playbookRuns.id, id));
  }

  /** Records a decision only if the run is still waiting for one; returns false when it was not. */
  async decide(
    id: string,
    decision: { approve: boolean; decidedBy: string; comment: string | null },
    now: Date,
  ): Promise<boolean> {
    const row = await this.orm
      .update(playbookRuns)
      .set({
        status: decision.approve ? 'approved' : 'rejected',
        decision: decision.approve ? 'approved' : 'rejected',
        decidedBy: decision.decidedBy,
        decisionComment: decision.comment,
        updatedAt: now.toISOString(),
      })
      .where(and(eq(playbookRuns.id, id), eq(playbookRuns.status, 'waiting_approval')))
      .returning({ id: playbookRuns.id })
      .get();
    return row !== undefined;
  }
}
