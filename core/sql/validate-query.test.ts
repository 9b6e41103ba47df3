import { describe, expect, it } from 'vitest';
import { analystQueryPolicy } from './query-policy';
import { validateQuery } from './validate-query';

const policy = analystQueryPolicy();

function accepted(sql: string) {
  const result = validateQuery(sql, policy);
  if (!result.ok) throw new Error(`expected acceptance, got ${result.reason}: ${result.message}`);
  return result;
}

describe('validateQuery accepts read-only queries', () => {
  it.each([
    "SELECT actor, count(*) AS n FROM events WHERE outcome = 'failure' GROUP BY actor ORDER BY n DESC LIMIT 10",
    "WITH recent AS (SELECT * FROM events WHERE event_time >= datetime('now', '-1 day')) SELECT actor FROM recent",
    "SELECT raw ->> '$.eventType' AS t, json_extract(raw, '$.actor.id') FROM events",
    'SELECT actor, row_number() OVER (PARTITION BY actor ORDER BY event_time) AS rn FROM events',
    'SELECT a.id, e.actor FROM alerts a JOIN events e ON e.actor = a.title',
    'SELECT actor FROM events UNION ALL SELECT title FROM alerts',
    "SELECT j.value FROM events, json_each(events.raw, '$.target') AS j",
    'SELECT count(DISTINCT actor) FROM events;',
    'select * from events -- the latest',
  ])('%s', (sql) => {
    expect(accepted(sql).tables.length).toBeGreaterThan(0);
  });

  it('returns SQL regenerated from the syntax tree, without comments', () => {
    expect(accepted('SELECT actor FROM events /* x */ -- y').sql).toBe('SELECT "actor" FROM "events"');
  });

  it('lists the tables read, CTEs excluded', () => {
    expect(accepted('WITH x AS (SELECT * FROM events) SELECT * FROM x JOIN alerts ON 1 = 1').tables).toEqual([
      'alerts',
      'events',
    ]);
  });
});

describe('validateQuery refuses', () => {
  it.each([
    ['DROP TABLE events', 'not_select'],
    ['DELETE FROM events', 'not_select'],
    ["UPDATE events SET actor = 'x'", 'not_select'],
    ["INSERT INTO events (actor) VALUES ('x')", 'not_select'],
    ["ATTACH DATABASE 'x' AS y", 'not_select'],
    ['PRAGMA table_info(events)', 'parse_error'],
    ['SELECT 1; DROP TABLE events', 'multiple_statements'],
    ['SELECT * FROM events; SELECT * FROM alerts', 'multiple_statements'],
    ['SELECT * FROM sqlite_master', 'table_not_allowed'],
    ['SELECT * FROM api_tokens', 'table_not_allowed'],
    ['SELECT * FROM main.events', 'table_not_allowed'],
    ['SELECT * FROM events WHERE actor IN (SELECT token_hash FROM api_tokens)', 'table_not_allowed'],
    ['WITH x AS (SELECT * FROM audit_log) SELECT * FROM x', 'table_not_allowed'],
    // A CTE name only covers its own statement: it must not let the same name reach a real table elsewhere.
    ['SELECT * FROM (WITH api_tokens AS (SELECT 1) SELECT 1) t, api_tokens', 'table_not_allowed'],
    ['SELECT * FROM api_tokens WHERE EXISTS (WITH api_tokens AS (SELECT 1) SELECT 1)', 'table_not_allowed'],
    ['SELECT * FROM events UNION SELECT * FROM (WITH api_tokens AS (SELECT 1) SELECT * FROM api_tokens), api_tokens', 'table_not_allowed'],
    ["SELECT load_extension('/tmp/x.so')", 'function_not_allowed'],
    ['SELECT randomblob(1000000000) FROM events', 'function_not_allowed'],
    ['SELECT * FROM events WHERE actor = :who', 'parameter_not_allowed'],
    ['', 'empty'],
    ['SELECT no_such_column FROM events', 'unknown_column'],
    ['SELEC * FROM events', 'parse_error'],
  ])('%s → %s', (sql, reason) => {
    const result = validateQuery(sql, policy);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.message.length).toBeGreaterThan(10);
    }
  });

  it('refuses subqueries nested deeper than the policy allows', () => {
    const deep =
      'SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT * FROM events) a) b) c) d';
    const result = validateQuery(deep, policy);
    expect(result.ok ? 'accepted' : result.reason).toBe('too_deep');
    expect(accepted('SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT * FROM events) a) b) c').ok).toBe(true);
  });

  it('says where a parse error is', () => {
    const result = validateQuery('SELECT actor\nFROM events WHER outcome = 1', policy);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/line 2, column \d+/);
  });

  it('names the table that was refused and lists the allowed ones', () => {
    const result = validateQuery('SELECT * FROM api_tokens', policy);
    expect(result.ok ? '' : result.message).toBe(
      'Table "api_tokens" is not queryable. Queryable tables: alerts, detection_rules, events.',
    );
  });
});

describe('column references', () => {
  it.each([
    'SELECT count(*) AS n FROM events ORDER BY n',
    'SELECT n FROM (SELECT count(*) AS n FROM events)',
    'WITH x(a) AS (SELECT actor FROM events) SELECT a FROM x',
    "SELECT j.value, j.key FROM events, json_each(events.raw, '$.target') AS j",
    'SELECT e.actor, e."src_ip" FROM events e',
  ])('accepts known columns and aliases: %s', (sql) => {
    accepted(sql);
  });

  it('names the unknown column and hints at quoting', () => {
    const result = validateQuery('SELECT actr FROM events', policy);
    expect(result.ok ? '' : result.message).toContain('Unknown column "actr". For a text value use single quotes');
  });
});

describe('named parameters', () => {
  const rulePolicy = analystQueryPolicy(['window_start', 'window_end']);

  it('become ordered placeholders in first-use order', () => {
    const result = validateQuery(
      'SELECT * FROM events WHERE event_time > :window_start AND event_time <= :window_end AND ingest_time > :window_start',
      rulePolicy,
    );
    expect(result.ok && result.sql).toBe(
      'SELECT * FROM "events" WHERE "event_time" > ?1 AND "event_time" <= ?2 AND "ingest_time" > ?1',
    );
    expect(result.ok && result.params).toEqual(['window_start', 'window_end']);
  });

  it('are refused when unknown', () => {
    const result = validateQuery('SELECT * FROM events WHERE actor = :user', rulePolicy);
    expect(result.ok ? '' : result.message).toContain(':window_start, :window_end');
  });
});
