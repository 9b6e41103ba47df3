-- The values present in the data that the natural-language engines resolve names against (most frequent users,
-- countries, sources, actions, IPs of the last 30 days), computed by the cron and read by /api/query in one row:
-- computing them is five GROUP BYs over 30 days of events (15 s on 1 M events in local D1), too slow for the
-- request path.
CREATE TABLE nlq_entity_values (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  snapshot TEXT NOT NULL,
  computed_at TEXT NOT NULL
);
