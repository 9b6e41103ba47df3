-- Mantissa Log: initial D1 schema. Documented in docs/storage-schema.md; change both together.
-- Times are UTC ISO-8601 text with milliseconds (2026-11-27T16:18:41.000Z): text order is time order.

-- Hot store of normalized events, every source in one table.
CREATE TABLE events (
  event_uid TEXT NOT NULL UNIQUE,           -- storage key: <batch_id>:<line>[:<index in line>]; makes retries idempotent
  event_id TEXT NOT NULL,                   -- vendor event id, or sha256: of the record when the vendor gives none
  source TEXT NOT NULL,
  event_time TEXT NOT NULL,
  event_time_inferred INTEGER NOT NULL DEFAULT 0,
  ingest_time TEXT NOT NULL,
  class_uid INTEGER,
  class_name TEXT,
  action TEXT NOT NULL,
  identity_action TEXT,
  outcome TEXT NOT NULL,
  outcome_reason TEXT,
  severity TEXT,
  actor TEXT,
  actor_id TEXT,
  actor_name TEXT,
  actor_type TEXT,
  src_ip TEXT,
  src_country TEXT,
  src_region TEXT,
  src_city TEXT,
  src_lat REAL,
  src_lon REAL,
  src_asn INTEGER,
  src_asn_org TEXT,
  user_agent TEXT,
  service TEXT,
  target TEXT,
  target_type TEXT,
  session_id TEXT,
  mfa_factor TEXT,
  message TEXT,
  raw TEXT NOT NULL,
  batch_id TEXT NOT NULL
);
CREATE INDEX events_event_time ON events (event_time);
CREATE INDEX events_source_time ON events (source, event_time);
CREATE INDEX events_actor_time ON events (actor, event_time);
CREATE INDEX events_ingest_time ON events (ingest_time);

-- One row per ingest batch: the idempotency record and the per-source statistics.
CREATE TABLE ingest_batches (
  batch_id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  received_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'complete')),
  principal_id TEXT NOT NULL,
  lines INTEGER NOT NULL DEFAULT 0,
  accepted INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  events INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  raw_key TEXT,
  dead_letter_key TEXT,
  errors TEXT NOT NULL DEFAULT '[]',
  completed_at TEXT
);
CREATE INDEX ingest_batches_source ON ingest_batches (source, received_at);

-- API tokens: only the SHA-256 of the secret is stored.
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  hint TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'responder', 'viewer', 'ingest')),
  source TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT,
  last_used_at TEXT
);

-- Scheduled SQL detection rules and their per-rule watermark.
CREATE TABLE detection_rules (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  severity TEXT NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  query_sql TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  interval_minutes INTEGER NOT NULL DEFAULT 5,
  lookback_minutes INTEGER NOT NULL DEFAULT 60,
  watermark TEXT,                           -- end of the last event-time window this rule covered
  last_run_at TEXT,
  last_run_status TEXT,
  last_error TEXT,
  last_hits INTEGER,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Execution history of scheduled rules.
CREATE TABLE rule_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  rule_id TEXT NOT NULL,
  started_at TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  window_start TEXT NOT NULL,
  window_end TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
  rows INTEGER NOT NULL DEFAULT 0,
  hits INTEGER NOT NULL DEFAULT 0,
  error TEXT
);
CREATE INDEX rule_runs_rule ON rule_runs (rule_id, started_at);

CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  rule_id TEXT NOT NULL,
  rule_name TEXT NOT NULL,
  severity TEXT NOT NULL,
  title TEXT NOT NULL,
  dedup_key TEXT NOT NULL UNIQUE,
  entities TEXT NOT NULL DEFAULT '{}',      -- JSON {"users": [...], "ips": [...]}
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  count INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'closed', 'false_positive')),
  assignee TEXT,
  evidence TEXT NOT NULL DEFAULT '[]',      -- JSON array of matching rows (bounded sample)
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX alerts_status_seen ON alerts (status, last_seen);

-- SOAR playbook runs; id = the Workflow instance id.
CREATE TABLE playbook_runs (
  id TEXT PRIMARY KEY,
  playbook TEXT NOT NULL,
  params TEXT NOT NULL,
  status TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requested_by_name TEXT NOT NULL,
  decided_by TEXT,
  decision TEXT,
  decision_comment TEXT,
  result TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Every state-changing API call.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  role TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  status INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  ip TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
