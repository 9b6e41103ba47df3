-- Detection runtime and alerting (docs/alerting.md, docs/storage-schema.md).

-- Alerts: a dedup window per rule (`group_key` is the rule + entity; `dedup_key` stays unique for the current
-- alert of that group, an older one is archived under `<key>@<id>`), notification state and lifecycle times.
ALTER TABLE alerts ADD COLUMN group_key TEXT;
ALTER TABLE alerts ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE alerts ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';
-- Bumped each time a closed alert fires again: a new `trigger` notification has a new delivery key.
ALTER TABLE alerts ADD COLUMN occurrence INTEGER NOT NULL DEFAULT 1;
-- Why notifications were held back for this alert (suppression id, `maintenance:<id>`, `threshold`), or null.
ALTER TABLE alerts ADD COLUMN muted_by TEXT;
-- The occurrence whose trigger was already routed (so a re-run never notifies twice).
ALTER TABLE alerts ADD COLUMN notified_occurrence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN incident_id TEXT;
ALTER TABLE alerts ADD COLUMN acknowledged_at TEXT;
ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT;
ALTER TABLE alerts ADD COLUMN resolved_at TEXT;
ALTER TABLE alerts ADD COLUMN resolved_by TEXT;
ALTER TABLE alerts ADD COLUMN escalated_at TEXT;
CREATE INDEX alerts_group ON alerts (group_key, last_seen);
CREATE INDEX alerts_incident ON alerts (incident_id);
CREATE INDEX alerts_severity_seen ON alerts (severity, last_seen);

-- What each rule has already alerted on (an event uid, or a correlation group and window): a detector run
-- repeated after a crash, or the real-time and scheduled paths seeing one event, never count it twice.
CREATE TABLE alert_hits (
  rule_id TEXT NOT NULL,
  hit_key TEXT NOT NULL,
  alert_id TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (rule_id, hit_key)
) WITHOUT ROWID;

-- Rule-level noise control and real-time switch.
ALTER TABLE detection_rules ADD COLUMN dedup_window_minutes INTEGER NOT NULL DEFAULT 1440;
-- Normalized columns that name one alert of the rule (default: who and from where).
ALTER TABLE detection_rules ADD COLUMN dedup_fields TEXT NOT NULL DEFAULT '["actor","src_ip"]';
-- Notify only once an alert has this many hits.
ALTER TABLE detection_rules ADD COLUMN threshold INTEGER NOT NULL DEFAULT 1;
-- Single-event Sigma rules run on the ingest path (seconds) instead of the cron.
ALTER TABLE detection_rules ADD COLUMN realtime INTEGER NOT NULL DEFAULT 1;
ALTER TABLE detection_rules ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';

-- Suppressions: up to three field = value conditions, for a rule or all rules, until expires_at. One created
-- from false-positive feedback starts `pending_review` and mutes nothing until someone else approves it.
CREATE TABLE suppressions (
  id TEXT PRIMARY KEY,
  rule_id TEXT,
  conditions TEXT NOT NULL,                 -- JSON {"actor": "svc-backup@acme.com", "src_ip": "10.0.0.5"}
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'pending_review', 'rejected', 'revoked')),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  reviewed_by TEXT,
  reviewed_at TEXT,
  from_alert_id TEXT,
  muted INTEGER NOT NULL DEFAULT 0          -- alerts it has muted
);
CREATE INDEX suppressions_status ON suppressions (status, expires_at);

CREATE TABLE maintenance_windows (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  rule_ids TEXT NOT NULL DEFAULT '[]',      -- empty: every rule
  sources TEXT NOT NULL DEFAULT '[]',       -- empty: every source
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- Risk-based grouping: the alerts open on one entity (user or IP) roll up into one incident.
CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  entity_kind TEXT NOT NULL CHECK (entity_kind IN ('user', 'ip')),
  entity TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  risk_score INTEGER NOT NULL DEFAULT 0,
  severity TEXT NOT NULL,
  alert_count INTEGER NOT NULL DEFAULT 0,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX incidents_open_entity ON incidents (entity_kind, entity) WHERE status = 'open';

-- One row per notification to one destination: the idempotency record and the delivery log.
CREATE TABLE alert_deliveries (
  id TEXT PRIMARY KEY,
  delivery_key TEXT NOT NULL UNIQUE,        -- <alert>:<destination>:<kind>:<occurrence>
  alert_id TEXT NOT NULL,
  destination_id TEXT NOT NULL,
  destination_type TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('trigger', 'acknowledge', 'resolve')),
  route TEXT NOT NULL,                      -- the routing rule that chose it (or `escalation:<route>`)
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  not_before TEXT NOT NULL,                 -- quiet hours and backoff: not sent before this time
  lease_until TEXT,                         -- a consumer working on it; expired leases are taken over
  last_error TEXT,
  external_id TEXT,
  detail TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  sent_at TEXT
);
CREATE INDEX alert_deliveries_alert ON alert_deliveries (alert_id);
CREATE INDEX alert_deliveries_due ON alert_deliveries (status, not_before);

-- The routing document (destinations, routes, escalation, quiet hours, redaction, enrichment): one row, the
-- same YAML/JSON as config/routing.yml, validated by core/alerting/routing.ts.
CREATE TABLE routing_config (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  document TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Ingest batches whose events went through real-time detection (null: not yet; the cron sweeps them).
ALTER TABLE ingest_batches ADD COLUMN realtime_done_at TEXT;
CREATE INDEX ingest_batches_realtime ON ingest_batches (status, realtime_done_at);
-- Batches landed before this migration were never meant for the real-time path.
UPDATE ingest_batches SET realtime_done_at = completed_at WHERE status = 'complete';
UPDATE alerts SET group_key = dedup_key WHERE group_key IS NULL;
