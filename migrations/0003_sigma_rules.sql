-- Sigma rules stored beside SQL rules. For a Sigma rule the YAML is the source of truth (compiled at every
-- run, so a newer field mapping applies at once); query_sql keeps the D1 SQL it compiled to when saved, for
-- reading. Documented in docs/storage-schema.md.
ALTER TABLE detection_rules ADD COLUMN format TEXT NOT NULL DEFAULT 'sql' CHECK (format IN ('sql', 'sigma'));
ALTER TABLE detection_rules ADD COLUMN sigma_yaml TEXT;
-- The rule's own Sigma id (kept from SigmaHQ and other imports) and licence/attribution (SigmaHQ: DRL 1.1).
ALTER TABLE detection_rules ADD COLUMN sigma_id TEXT;
ALTER TABLE detection_rules ADD COLUMN license TEXT;
ALTER TABLE detection_rules ADD COLUMN attribution TEXT;
CREATE UNIQUE INDEX detection_rules_sigma_id ON detection_rules (sigma_id) WHERE sigma_id IS NOT NULL;
