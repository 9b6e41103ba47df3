-- Pull collectors: one row per configured collector, its cursor (advanced only after a page is durably
-- written) and its health. Documented in docs/storage-schema.md.
CREATE TABLE collector_state (
  collector_id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  cursor TEXT,                              -- JSON, the collector's own shape
  last_run_at TEXT,
  last_success_at TEXT,
  last_event_time TEXT,                     -- newest event time collected (lag = now − this)
  last_error TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  events_total INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);

CREATE TABLE collector_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  collector_id TEXT NOT NULL,
  started_at TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  pages INTEGER NOT NULL,
  events INTEGER NOT NULL,
  new_events INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'partial')),
  error TEXT
);
CREATE INDEX collector_runs_collector ON collector_runs (collector_id, started_at);

-- How a batch's events are keyed (see workers/ingest/ingest-batch.ts): replaying a batch from R2 must key
-- it the same way its first attempt did.
ALTER TABLE ingest_batches ADD COLUMN keying TEXT NOT NULL DEFAULT 'position' CHECK (keying IN ('position', 'vendor_id'));
