/**
 * The enrichment cache in D1 (core/enrich/provider.ts `EnrichmentCache`): one row per (provider, subject), a
 * note or NULL for "nothing known", and an expiry. An expired row is a miss until it is overwritten or purged;
 * a row whose note no longer parses (written by an older version) is a miss too.
 */
import { and, eq, gt, lte, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { z } from 'zod';
import type { EnrichmentNote } from '../../core/alerting/notification';
import type { CachedAnswer, EnrichmentCache } from '../../core/enrich/provider';
import { enrichmentCache } from './enrichment-schema';

const noteSchema = z.object({ subject: z.string(), provider: z.string(), text: z.string() });

export class EnrichmentCacheRepository implements EnrichmentCache {
  private readonly orm;

  constructor(db: D1Database) {
    this.orm = drizzle(db);
  }

  async get(provider: string, subject: string, now: Date): Promise<CachedAnswer | undefined> {
    const row = await this.orm
      .select({ noteJson: enrichmentCache.noteJson })
      .from(enrichmentCache)
      .where(and(eq(enrichmentCache.provider, provider), eq(enrichmentCache.subject, subject), gt(enrichmentCache.expiresAt, now.toISOString())))
      .get();
    if (!row) return undefined;
    if (row.noteJson === null) return { note: null };
    let value: unknown;
    try {
      value = JSON.parse(row.noteJson);
    } catch {
      return undefined;
    }
    const parsed = noteSchema.safeParse(value);
    return parsed.success ? { note: parsed.data } : undefined;
  }

  async put(provider: string, subject: string, note: EnrichmentNote | null, fetchedAt: Date, expiresAt: Date): Promise<void> {
    const values = {
      noteJson: note === null ? null : JSON.stringify({ subject: note.subject, provider: note.provider, text: note.text }),
      fetchedAt: fetchedAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
    };
    await this.orm
      .insert(enrichmentCache)
      .values({ provider, subject, ...values })
      .onConflictDoUpdate({ target: [enrichmentCache.provider, enrichmentCache.subject], set: values });
  }

  /** Deletes up to `limit` expired rows (for the cron); returns how many went. */
  async purgeExpired(now: Date, limit = 1000): Promise<number> {
    const result = await this.orm.run(
      sql`DELETE FROM ${enrichmentCache} WHERE rowid IN (SELECT rowid FROM ${enrichmentCache} WHERE ${lte(enrichmentCache.expiresAt, now.toISOString())} LIMIT ${limit})`,
    );
    return result.meta.changes ?? 0;
  }
}
