/** The audit log: one row per state-changing API call. */
import { desc } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { auditLog } from './schema';

export type AuditEntry = typeof auditLog.$inferSelect;

export class AuditRepository {
  private readonly orm;

  constructor(db: D1Database) {
    this.orm = drizzle(db);
  }

  async record(entry: Omit<AuditEntry, 'id'>): Promise<void> {
    await this.orm.insert(auditLog).values(entry);
  }

  async recent(limit: number): Promise<AuditEntry[]> {
    return this.orm.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit).all();
  }
}
