/**
 * Drizzle definition of the enrichment cache (migrations/0005_enrichment_cache.sql is the source of truth;
 * test/enrichment-cache.test.ts checks that the two agree).
 */
import { index, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const enrichmentCache = sqliteTable(
  'enrichment_cache',
  {
    provider: text('provider').notNull(),
    subject: text('subject').notNull(),
    noteJson: text('note_json'),
    fetchedAt: text('fetched_at').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.subject] }), index('enrichment_cache_expires').on(t.expiresAt)],
);
