-- Natural-language queries (issue 6): partition statistics for cost estimates, the answer cache, and the
-- conversations analysts have with the query page. Documented in docs/storage-schema.md and docs/nlq.md.

-- Rows and bytes of normalized events per source and event-time hour, added to at ingest (same D1 transaction as
-- the events). The cost estimate sums the partitions a query's sources and time range select.
CREATE TABLE partition_stats (
  source TEXT NOT NULL,
  hour TEXT NOT NULL,                       -- start of the event-time hour, ISO-8601 UTC (2026-11-27T16:00:00.000Z)
  rows INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,         -- size of the normalized rows (characters of text fields, 8 per number)
  PRIMARY KEY (source, hour)
);
CREATE INDEX partition_stats_hour ON partition_stats (hour);

-- Answers of /api/query, per user. `key` hashes the canonical question, resolved time range, SQL, conversation
-- context, dialect, schema version and user id (core/nlq/cache.ts); user_id and schema_version are checked on
-- read as well. A row at or past expires_at is a miss.
CREATE TABLE nlq_cache (
  key TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  schema_version TEXT NOT NULL,
  dialect TEXT NOT NULL,
  answer_json TEXT NOT NULL,                -- {sql, explanation, assumptions, columns, rows, truncated, engine}
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX nlq_cache_expires ON nlq_cache (expires_at);

-- Conversations of the query page: one per thread, owned by one principal (API token id or Access subject).
CREATE TABLE nlq_conversations (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  title TEXT NOT NULL,                      -- the first question, cut to 200 characters
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX nlq_conversations_user ON nlq_conversations (user_id, updated_at);

-- The turns of a conversation, in order. `sql` is NULL for a refused or not-understood turn.
CREATE TABLE nlq_turns (
  conversation_id TEXT NOT NULL REFERENCES nlq_conversations (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  question TEXT NOT NULL,
  sql TEXT,
  explanation TEXT,
  assumptions TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
  time_from TEXT,
  time_to TEXT,
  engine TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('answered', 'needs_confirmation', 'not_understood', 'refused', 'failed')),
  message TEXT,                             -- why a turn was refused or not understood
  row_count INTEGER,
  estimate_usd REAL,
  estimate_bytes INTEGER,
  created_at TEXT NOT NULL,
  PRIMARY KEY (conversation_id, seq)
);
