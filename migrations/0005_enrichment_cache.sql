-- Enrichment answers (GeoIP, threat intelligence, directory) cached per provider and subject, so that alerts about
-- the same IP or user cost one vendor call per TTL. `note_json` is the EnrichmentNote given to destinations
-- (core/alerting/notification.ts); NULL means the provider knows nothing about the subject (a negative answer,
-- kept for the provider's shorter negative TTL). Errors are never cached. Documented in docs/enrichment.md.
CREATE TABLE enrichment_cache (
  provider TEXT NOT NULL,                   -- provider id: geoip, maxmind, ipinfo, abuseipdb, virustotal, okta
  subject TEXT NOT NULL,                    -- IP address, lower-cased login or domain
  note_json TEXT,                           -- {"subject","provider","text"}; NULL = nothing known
  fetched_at TEXT NOT NULL,                 -- ISO-8601 UTC
  expires_at TEXT NOT NULL,                 -- ISO-8601 UTC; a row at or past it is a miss
  PRIMARY KEY (provider, subject)
);
CREATE INDEX enrichment_cache_expires ON enrichment_cache (expires_at);
