-- Identity threat detection and response (docs/itdr.md, docs/storage-schema.md).
-- The truth about a person (sessions, baseline, risk, detections) lives in their IdentityUserState Durable
-- Object; these tables are the cross-person views the API lists and sorts, written by the ingest path (and by
-- `POST /api/identity/rebuild`) after each Durable Object answer.

-- One row per resolved person (core/itdr/resolve.ts): current risk and the latest detection, for the
-- "risky users" list.
CREATE TABLE identity_users (
  person TEXT PRIMARY KEY,                  -- resolved person key (lower-cased canonical identity)
  display TEXT NOT NULL,                    -- the name shown (primary email when known)
  identities TEXT NOT NULL DEFAULT '[]',    -- JSON array of provider identities folded into the person
  risk_score INTEGER NOT NULL DEFAULT 0,    -- 0..100, as of updated_at (decays in the Durable Object)
  risk_level TEXT NOT NULL DEFAULT 'none',
  detection_count INTEGER NOT NULL DEFAULT 0,
  last_detection_kind TEXT,
  last_detection_at TEXT,
  stages TEXT NOT NULL DEFAULT '[]',        -- JSON array of kill-chain stages reached in the current window
  event_count INTEGER NOT NULL DEFAULT 0,
  last_seen TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX identity_users_risk ON identity_users (risk_score DESC, last_seen DESC);

-- Identity incidents: opened when a person's detections cross two kill-chain stages, escalated at three.
-- One open (or escalated) incident per person; detections from every provider join it.
CREATE TABLE identity_incidents (
  id TEXT PRIMARY KEY,
  person TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'escalated', 'closed')),
  severity TEXT NOT NULL,
  stages TEXT NOT NULL DEFAULT '[]',        -- JSON array of kill-chain stages, in kill-chain order
  providers TEXT NOT NULL DEFAULT '[]',     -- JSON array of sources the detections came from
  detection_count INTEGER NOT NULL DEFAULT 0,
  risk_score INTEGER NOT NULL DEFAULT 0,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  escalated_at TEXT,
  closed_at TEXT,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX identity_incidents_active_person ON identity_incidents (person) WHERE status != 'closed';
CREATE INDEX identity_incidents_status ON identity_incidents (status, last_seen);

-- The detections behind each incident (a detection joins once), with the alert it raised.
CREATE TABLE identity_incident_detections (
  incident_id TEXT NOT NULL,
  detection_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  stage TEXT NOT NULL,
  severity TEXT NOT NULL,
  source TEXT,
  at TEXT NOT NULL,
  alert_id TEXT,
  PRIMARY KEY (incident_id, detection_id)
) WITHOUT ROWID;
