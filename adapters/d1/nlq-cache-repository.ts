/**
 * The NLQ answer cache in D1 (table `nlq_cache`, migration 0006), implementing core/nlq/cache `AnswerCache`.
 * A read matches the key AND the user AND the schema version AND an unexpired row, so neither a hash collision
 * nor a stale schema can hand one user another's rows. Answers too large for one D1 row are not cached.
 */
import { z } from 'zod';
import type { AnswerCache, CachedAnswer } from '../../core/nlq/cache';
import type { QueryDialect } from '../../core/nlq/dialect';

/** Largest cached answer (D1 limits a row to 2 MB). */
export const maxCachedAnswerBytes = 1_500_000;

const cachedAnswerSchema = z.object({
  sql: z.string(),
  explanation: z.string(),
  assumptions: z.array(z.string()),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.unknown())),
  truncated: z.boolean(),
  engine: z.string(),
});

export class NlqCacheRepository implements AnswerCache {
  constructor(
    private readonly db: D1Database,
    private readonly dialect: QueryDialect,
  ) {}

  async get(key: string, userId: string, schemaVersion: string, now: Date): Promise<CachedAnswer | null> {
    const row = await this.db
      .prepare('SELECT answer_json FROM nlq_cache WHERE key = ?1 AND user_id = ?2 AND schema_version = ?3 AND expires_at > ?4')
      .bind(key, userId, schemaVersion, now.toISOString())
      .first<{ answer_json: string }>();
    if (!row) return null;
    let value: unknown;
    try {
      value = JSON.parse(row.answer_json);
    } catch {
      return null;
    }
    const parsed = cachedAnswerSchema.safeParse(value);
    return parsed.success ? parsed.data : null;
  }

  async put(key: string, entry: { userId: string; schemaVersion: string; answer: CachedAnswer; now: Date; expiresAt: Date }): Promise<void> {
    const json = JSON.stringify(entry.answer);
    if (json.length > maxCachedAnswerBytes) return;
    await this.db
      .prepare(
        `INSERT INTO nlq_cache (key, user_id, schema_version, dialect, answer_json, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (key) DO UPDATE SET answer_json = excluded.answer_json, created_at = excluded.created_at, expires_at = excluded.expires_at
         WHERE nlq_cache.user_id = excluded.user_id`,
      )
      .bind(key, entry.userId, entry.schemaVersion, this.dialect, json, entry.now.toISOString(), entry.expiresAt.toISOString())
      .run();
  }

  /** Deletes up to `limit` expired rows and rows of other schema versions; returns how many went. */
  async purge(now: Date, schemaVersion: string, limit = 1000): Promise<number> {
    const result = await this.db
      .prepare('DELETE FROM nlq_cache WHERE rowid IN (SELECT rowid FROM nlq_cache WHERE expires_at <= ?1 OR schema_version <> ?2 LIMIT ?3)')
      .bind(now.toISOString(), schemaVersion, limit)
      .run();
    return result.meta.changes ?? 0;
  }
}
