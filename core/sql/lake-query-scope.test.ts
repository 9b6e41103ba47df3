import athenaParser from 'node-sql-parser/build/athena.js';
import bigqueryParser from 'node-sql-parser/build/bigquery.js';
import { describe, expect, it } from 'vitest';
import { addLakePartitionFilters, addLakeRowLimit, addLakeTimeBound, analyzeLakeQueryScope } from './lake-query-scope';
import { lakeQueryPolicy, validateLakeQuery, type LakeDialect, type LakeQueryPolicy } from './validate-dialect-query';

const policy = lakeQueryPolicy(['events', 'alerts'], ['mantissa', 'acme-prod.mantissa']);
const rewritten: LakeQueryPolicy = { ...policy, maxSubqueryDepth: policy.maxSubqueryDepth + 1 };
const now = new Date('2026-11-27T12:00:00.000Z');
const day = { from: '2026-11-26T12:00:00.000Z', to: '2026-11-27T12:00:00.000Z' };
const dialects: LakeDialect[] = ['athena', 'bigquery', 'synapse'];

/** The scope helpers take validator output, as the pipeline does. */
function validated(sql: string, dialect: LakeDialect): string {
  const result = validateLakeQuery(sql, dialect, policy);
  if (!result.ok) throw new Error(`${dialect}: ${result.message}`);
  return result.sql;
}

const scopeOf = (sql: string, dialect: LakeDialect) => analyzeLakeQueryScope(validated(sql, dialect), dialect, policy, now);
const bound = (sql: string, dialect: LakeDialect) => addLakeTimeBound(validated(sql, dialect), dialect, policy, day);

describe.each(dialects)('analyzeLakeQueryScope (%s)', (dialect) => {
  it.each([
    ["SELECT actor, count(*) AS n FROM events WHERE event_time >= '2026-11-20T00:00:00.000Z' GROUP BY actor", true, { from: '2026-11-20T00:00:00.000Z', to: now.toISOString() }],
    ["SELECT * FROM events WHERE event_time BETWEEN '2026-10-01' AND '2026-11-01'", true, { from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' }],
    ["SELECT * FROM events e WHERE '2026-11-01T00:00:00Z' <= e.event_time AND e.event_time < '2026-11-02T00:00:00Z'", true, { from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' }],
    ["SELECT * FROM events WHERE event_time < '2026-11-01'", false, null],
    ["SELECT * FROM events WHERE event_time >= '2026-11-01' OR actor = 'x'", false, null],
    ['SELECT count(*) AS n FROM events', false, null],
    // a bound that is not a literal bounds the read, but its range is unknown
    ["SELECT * FROM events WHERE event_time >= (SELECT max(event_time) FROM events WHERE event_time > '2026-11-01')", true, null],
    // each reference counts on its own: b is read in full
    ["SELECT a.actor FROM events a JOIN events b ON a.actor = b.actor WHERE a.event_time >= '2026-11-20'", false, null],
    ["SELECT a.actor FROM events a JOIN events b ON a.actor = b.actor WHERE a.event_time >= '2026-11-20' AND b.event_time >= '2026-11-21'", true, { from: '2026-11-20T00:00:00.000Z', to: now.toISOString() }],
    ["SELECT actor FROM events WHERE event_time >= '2026-11-20' UNION ALL SELECT actor FROM events", false, null],
    ["WITH f AS (SELECT actor FROM events WHERE event_time >= '2026-11-25') SELECT count(*) AS n FROM f", true, { from: '2026-11-25T00:00:00.000Z', to: now.toISOString() }],
    ["SELECT title FROM alerts WHERE title IN (SELECT actor FROM events WHERE event_time = '2026-11-25T10:00:00.000Z')", true, { from: '2026-11-25T10:00:00.000Z', to: '2026-11-25T10:00:00.000Z' }],
  ])('%s → bounded %s, range %j', (sql, bounded, range) => {
    const scope = scopeOf(sql, dialect);
    expect(scope.timeBounded).toBe(bounded);
    expect(scope.range).toEqual(range);
    expect(scope.readsEvents).toBe(true);
  });

  it('finds the sources each read is restricted to', () => {
    expect(scopeOf("SELECT * FROM events WHERE source = 'okta'", dialect).sources).toEqual(['okta']);
    expect(scopeOf("SELECT * FROM events e WHERE e.source IN ('okta', 'duo') AND e.actor = 'a'", dialect).sources).toEqual(['duo', 'okta']);
    expect(scopeOf("SELECT * FROM events WHERE source = 'okta' OR source = 'duo'", dialect).sources).toBeNull();
    expect(scopeOf("SELECT actor FROM events WHERE source = 'okta' UNION ALL SELECT actor FROM events WHERE source = 'github'", dialect).sources).toEqual(['github', 'okta']);
    expect(scopeOf("SELECT actor FROM events WHERE source = 'okta' UNION ALL SELECT actor FROM events", dialect).sources).toBeNull();
  });

  it('says when a query does not read events', () => {
    expect(scopeOf('SELECT title FROM alerts', dialect)).toEqual({ timeBounded: true, sources: null, range: null, readsEvents: false });
  });
});

describe('analyzeLakeQueryScope: dialect spellings', () => {
  it.each<[LakeDialect, string, { from: string; to: string } | null]>([
    ['athena', "SELECT * FROM events WHERE from_iso8601_timestamp(event_time) >= TIMESTAMP '2026-11-20 06:00:00'", { from: '2026-11-20T06:00:00.000Z', to: now.toISOString() }],
    ['athena', "SELECT * FROM events WHERE event_time < from_iso8601_timestamp('2026-11-21T00:00:00Z') AND event_time >= '2026-11-20'", { from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z' }],
    ['athena', "SELECT * FROM mantissa.events WHERE event_time >= '2026-11-20T00:00:00+02:00'", { from: '2026-11-19T22:00:00.000Z', to: now.toISOString() }],
    ['athena', "SELECT * FROM events WHERE from_iso8601_timestamp(event_time) > current_timestamp - INTERVAL '1' DAY", null],
    ['bigquery', "SELECT * FROM `acme-prod.mantissa.events` WHERE TIMESTAMP(event_time) >= TIMESTAMP '2026-11-20 06:00:00'", { from: '2026-11-20T06:00:00.000Z', to: now.toISOString() }],
    ['bigquery', "SELECT * FROM mantissa.events WHERE CAST(event_time AS TIMESTAMP) >= TIMESTAMP('2026-11-20') AND event_time < \"2026-11-21\"", { from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z' }],
    ['synapse', "SELECT * FROM [mantissa].[events] WHERE CAST(event_time AS DATETIME2) >= CAST('2026-11-20 06:00:00' AS DATETIME2)", { from: '2026-11-20T06:00:00.000Z', to: now.toISOString() }],
    ['synapse', "SELECT * FROM events WHERE event_time >= N'2026-11-20'", { from: '2026-11-20T00:00:00.000Z', to: now.toISOString() }],
  ])('%s: %s', (dialect, sql, range) => {
    const scope = scopeOf(sql, dialect);
    expect(scope.timeBounded).toBe(true);
    expect(scope.range).toEqual(range);
  });

  it('reads a T-SQL N-string source and a BigQuery double-quoted one', () => {
    expect(scopeOf("SELECT * FROM events WHERE source = N'okta'", 'synapse').sources).toEqual(['okta']);
    expect(scopeOf('SELECT * FROM events WHERE source = "okta"', 'bigquery').sources).toEqual(['okta']);
  });

  it('does not take a table of another dataset for events', () => {
    const other = lakeQueryPolicy(['events'], ['other']);
    // Valid for a policy allowing "other" as qualifier, but not events of the policy the scope is asked about.
    const sql = validateLakeQuery('SELECT * FROM other.events', 'athena', other);
    expect(sql.ok).toBe(true);
    if (sql.ok) expect(analyzeLakeQueryScope(sql.sql, 'athena', policy, now).readsEvents).toBe(false);
  });
});

describe('addLakeTimeBound', () => {
  it.each<[LakeDialect, string, string]>([
    [
      'athena',
      "SELECT e.actor, a.title FROM events e LEFT JOIN alerts a ON a.title = e.actor WHERE e.outcome = 'failure'",
      `SELECT "e"."actor", "a"."title" FROM (SELECT * FROM "events" WHERE "event_time" >= '2026-11-26T12:00:00.000Z' AND "event_time" < '2026-11-27T12:00:00.000Z' AND "date" BETWEEN '2026-11-26' AND '2026-11-27') AS "e" LEFT JOIN "alerts" AS "a" ON "a"."title" = "e"."actor" WHERE "e"."outcome" = 'failure'`,
    ],
    [
      'bigquery',
      "SELECT e.actor, a.title FROM events e LEFT JOIN alerts a ON a.title = e.actor WHERE e.outcome = 'failure'",
      "SELECT e.actor, a.title FROM (SELECT * FROM events WHERE event_time >= '2026-11-26T12:00:00.000Z' AND event_time < '2026-11-27T12:00:00.000Z' AND `date` BETWEEN '2026-11-26' AND '2026-11-27') AS e LEFT JOIN alerts AS a ON a.title = e.actor WHERE e.outcome = 'failure'",
    ],
    [
      'synapse',
      "SELECT e.actor, a.title FROM events e LEFT JOIN alerts a ON a.title = e.actor WHERE e.outcome = 'failure'",
      "SELECT [e].[actor], [a].[title] FROM (SELECT * FROM [events] WHERE [event_time] >= '2026-11-26T12:00:00.000Z' AND [event_time] < '2026-11-27T12:00:00.000Z' AND [date] BETWEEN '2026-11-26' AND '2026-11-27') AS [e] LEFT JOIN [alerts] AS [a] ON [a].[title] = [e].[actor] WHERE [e].[outcome] = 'failure'",
    ],
  ])('%s: bounds events where it is read, keeping its alias and the LEFT JOIN', (dialect, sql, expected) => {
    expect(bound(sql, dialect)).toEqual({ sql: expected, added: true });
  });

  it.each<[LakeDialect, string, string]>([
    // events on the nullable side: bounding it in the WHERE would drop the alerts without events
    [
      'athena',
      'SELECT a.title, e.actor FROM alerts a LEFT JOIN mantissa.events e ON e.actor = a.title',
      `SELECT "a"."title", "e"."actor" FROM "alerts" AS "a" LEFT JOIN (SELECT * FROM "mantissa"."events" WHERE "event_time" >= '2026-11-26T12:00:00.000Z' AND "event_time" < '2026-11-27T12:00:00.000Z' AND "date" BETWEEN '2026-11-26' AND '2026-11-27') AS "e" ON "e"."actor" = "a"."title"`,
    ],
    [
      'bigquery',
      'SELECT a.title, e.actor FROM alerts a LEFT JOIN `acme-prod.mantissa.events` e ON e.actor = a.title',
      "SELECT a.title, e.actor FROM alerts AS a LEFT JOIN (SELECT * FROM `acme-prod.mantissa.events` WHERE event_time >= '2026-11-26T12:00:00.000Z' AND event_time < '2026-11-27T12:00:00.000Z' AND `date` BETWEEN '2026-11-26' AND '2026-11-27') AS e ON e.actor = a.title",
    ],
    [
      'synapse',
      'SELECT a.title, e.actor FROM alerts a LEFT JOIN [mantissa].[events] e ON e.actor = a.title',
      "SELECT [a].[title], [e].[actor] FROM [alerts] AS [a] LEFT JOIN (SELECT * FROM [mantissa].[events] WHERE [event_time] >= '2026-11-26T12:00:00.000Z' AND [event_time] < '2026-11-27T12:00:00.000Z' AND [date] BETWEEN '2026-11-26' AND '2026-11-27') AS [e] ON [e].[actor] = [a].[title]",
    ],
  ])('%s: keeps a qualified table and the outer side of a LEFT JOIN', (dialect, sql, expected) => {
    expect(bound(sql, dialect)).toEqual({ sql: expected, added: true });
  });

  it.each<[LakeDialect, string, string]>([
    [
      'athena',
      "WITH f AS (SELECT actor, count(*) AS n FROM events WHERE outcome = 'failure' GROUP BY actor) SELECT actor, n FROM f WHERE n > 5",
      `WITH "f" AS (SELECT "actor", COUNT(*) AS "n" FROM (SELECT * FROM "events" WHERE "event_time" >= '2026-11-26T12:00:00.000Z' AND "event_time" < '2026-11-27T12:00:00.000Z' AND "date" BETWEEN '2026-11-26' AND '2026-11-27') AS "events" WHERE "outcome" = 'failure' GROUP BY "actor") SELECT "actor", "n" FROM "f" WHERE "n" > 5`,
    ],
    [
      'bigquery',
      "WITH f AS (SELECT actor, COUNT(*) AS n FROM events WHERE outcome = 'failure' GROUP BY actor) SELECT actor, n FROM f WHERE n > 5",
      "WITH f AS (SELECT actor, COUNT(*) AS n FROM (SELECT * FROM events WHERE event_time >= '2026-11-26T12:00:00.000Z' AND event_time < '2026-11-27T12:00:00.000Z' AND `date` BETWEEN '2026-11-26' AND '2026-11-27') AS events WHERE outcome = 'failure' GROUP BY actor) SELECT actor, n FROM f WHERE n > 5",
    ],
    [
      // node-sql-parser writes a T-SQL CTE name in brackets but cannot read [f] AS ( back: the rewrite writes it bare
      'synapse',
      "WITH f AS (SELECT actor, COUNT(*) AS n FROM events WHERE outcome = 'failure' GROUP BY actor) SELECT actor, n FROM f WHERE n > 5",
      "WITH f AS (SELECT [actor], COUNT(*) AS [n] FROM (SELECT * FROM [events] WHERE [event_time] >= '2026-11-26T12:00:00.000Z' AND [event_time] < '2026-11-27T12:00:00.000Z' AND [date] BETWEEN '2026-11-26' AND '2026-11-27') AS [events] WHERE [outcome] = 'failure' GROUP BY [actor]) SELECT [actor], [n] FROM [f] WHERE [n] > 5",
    ],
  ])('%s: bounds the read of events inside a CTE', (dialect, sql, expected) => {
    expect(bound(sql, dialect)).toEqual({ sql: expected, added: true });
  });

  it.each<[LakeDialect, string, string]>([
    [
      'athena',
      "SELECT actor, count(*) AS n FROM mantissa.events WHERE event_time >= '2026-11-20T00:00:00.000Z' AND event_time < '2026-11-21T00:00:00.000Z' GROUP BY actor",
      `SELECT "actor", COUNT(*) AS "n" FROM "mantissa"."events" WHERE "event_time" >= '2026-11-20T00:00:00.000Z' AND "event_time" < '2026-11-21T00:00:00.000Z' AND "events"."date" BETWEEN '2026-11-20' AND '2026-11-20' GROUP BY "actor"`,
    ],
    [
      'bigquery',
      "SELECT actor, COUNT(*) AS n FROM mantissa.events WHERE event_time BETWEEN '2026-11-20T00:00:00.000Z' AND '2026-11-20T23:59:59.999Z' GROUP BY actor",
      "SELECT actor, COUNT(*) AS n FROM mantissa.events WHERE event_time BETWEEN '2026-11-20T00:00:00.000Z' AND '2026-11-20T23:59:59.999Z' AND events.date BETWEEN '2026-11-20' AND '2026-11-20' GROUP BY actor",
    ],
    [
      'synapse',
      "SELECT actor, COUNT(*) AS n FROM mantissa.events WHERE event_time >= '2026-11-20T00:00:00.000Z' AND event_time < '2026-11-21T00:00:00.000Z' GROUP BY actor",
      "SELECT [actor], COUNT(*) AS [n] FROM [mantissa].[events] WHERE [event_time] >= '2026-11-20T00:00:00.000Z' AND [event_time] < '2026-11-21T00:00:00.000Z' AND [events].[date] BETWEEN '2026-11-20' AND '2026-11-20' GROUP BY [actor]",
    ],
  ])('%s: an already bounded query gains only the partition predicate', (dialect, sql, expected) => {
    expect(bound(sql, dialect)).toEqual({ sql: expected, added: false });
    expect(addLakePartitionFilters(validated(sql, dialect), dialect, policy)).toEqual({ sql: expected, added: true });
  });

  it.each<[LakeDialect, string, string]>([
    [
      'athena',
      "SELECT actor FROM events WHERE from_iso8601_timestamp(event_time) >= TIMESTAMP '2026-11-20 06:00:00' UNION SELECT actor FROM events WHERE source = 'okta'",
      `SELECT "actor" FROM "events" WHERE from_iso8601_timestamp("event_time") >= TIMESTAMP '2026-11-20 06:00:00' AND "events"."date" >= '2026-11-20' UNION SELECT "actor" FROM (SELECT * FROM "events" WHERE "event_time" >= '2026-11-26T12:00:00.000Z' AND "event_time" < '2026-11-27T12:00:00.000Z' AND "date" BETWEEN '2026-11-26' AND '2026-11-27' AND "source" = 'okta') AS "events" WHERE "source" = 'okta'`,
    ],
    [
      'bigquery',
      "SELECT actor FROM events WHERE TIMESTAMP(event_time) >= TIMESTAMP '2026-11-20 06:00:00' UNION DISTINCT SELECT actor FROM events WHERE source = 'okta'",
      "SELECT actor FROM events WHERE TIMESTAMP(event_time) >= TIMESTAMP '2026-11-20 06:00:00' AND events.date >= '2026-11-20' UNION DISTINCT SELECT actor FROM (SELECT * FROM events WHERE event_time >= '2026-11-26T12:00:00.000Z' AND event_time < '2026-11-27T12:00:00.000Z' AND `date` BETWEEN '2026-11-26' AND '2026-11-27' AND source = 'okta') AS events WHERE source = 'okta'",
    ],
    [
      'synapse',
      "SELECT actor FROM events WHERE CAST(event_time AS DATETIME2) >= CAST('2026-11-20 06:00:00' AS DATETIME2) UNION SELECT actor FROM events WHERE source = 'okta'",
      "SELECT [actor] FROM [events] WHERE CAST([event_time] AS DATETIME2) >= CAST('2026-11-20 06:00:00' AS DATETIME2) AND [events].[date] >= '2026-11-20' UNION SELECT [actor] FROM (SELECT * FROM [events] WHERE [event_time] >= '2026-11-26T12:00:00.000Z' AND [event_time] < '2026-11-27T12:00:00.000Z' AND [date] BETWEEN '2026-11-26' AND '2026-11-27' AND [source] = 'okta') AS [events] WHERE [source] = 'okta'",
    ],
  ])('%s: bounds only the unbounded arm of a UNION (repeating its source inside), and prunes the bounded one', (dialect, sql, expected) => {
    expect(bound(sql, dialect)).toEqual({ sql: expected, added: true });
  });

  it.each(dialects)('%s: leaves a query with its own date predicate alone', (dialect) => {
    const sql = validated("SELECT actor FROM events e WHERE e.event_time >= '2026-11-20T00:00:00.000Z' AND e.date >= '2026-11-20'", dialect);
    expect(addLakeTimeBound(sql, dialect, policy, day)).toEqual({ sql, added: false });
    expect(addLakePartitionFilters(sql, dialect, policy)).toEqual({ sql, added: false });
  });

  it('reads Athena\'s bare and quoted "date" as the partition column', () => {
    for (const sql of ["SELECT actor FROM events WHERE event_time >= '2026-11-20' AND date >= '2026-11-20'", `SELECT actor FROM events WHERE event_time >= '2026-11-20' AND "date" >= '2026-11-20'`]) {
      const checked = validated(sql, 'athena');
      expect(addLakePartitionFilters(checked, 'athena', policy)).toEqual({ sql: checked, added: false });
    }
  });

  it.each<[string, string]>([
    // text comparison on the raw column: the literal's own date, whatever its offset says
    ["event_time >= '2026-11-20T23:30:00-05:00'", `"events"."date" >= '2026-11-20'`],
    // a strict upper bound at midnight excludes that day
    ["event_time >= '2026-11-20' AND event_time < '2026-11-22T00:00:00Z'", `"events"."date" BETWEEN '2026-11-20' AND '2026-11-21'`],
    ["event_time >= '2026-11-20' AND event_time <= '2026-11-22T00:00:00Z'", `"events"."date" BETWEEN '2026-11-20' AND '2026-11-22'`],
    // instants on a converted column: the UTC date
    ["from_iso8601_timestamp(event_time) >= from_iso8601_timestamp('2026-11-20T23:30:00-05:00')", `"events"."date" >= '2026-11-21'`],
    ["from_iso8601_timestamp(event_time) BETWEEN TIMESTAMP '2026-11-20 00:00:00' AND TIMESTAMP '2026-11-21 00:00:00'", `"events"."date" BETWEEN '2026-11-20' AND '2026-11-21'`],
  ])('derives the partition dates of %s', (where, predicate) => {
    const sql = addLakePartitionFilters(validated(`SELECT actor FROM events WHERE ${where}`, 'athena'), 'athena', policy).sql;
    expect(sql.endsWith(` AND ${predicate}`)).toBe(true);
  });

  it('adds no partition predicate for a bound relative to now (the range is unknown, the scan is whole)', () => {
    const sql = validated("SELECT actor FROM events WHERE from_iso8601_timestamp(event_time) > current_timestamp - INTERVAL '1' DAY", 'athena');
    expect(addLakeTimeBound(sql, 'athena', policy, day)).toEqual({ sql, added: false });
  });

  it('refuses to splice anything but an ISO instant', () => {
    expect(() => addLakeTimeBound(validated('SELECT * FROM events', 'athena'), 'athena', policy, { from: "x' OR 1=1 --", to: day.to })).toThrow(/ISO/);
  });
});

describe('addLakeRowLimit', () => {
  it.each<[LakeDialect, string, { sql: string; added: boolean }]>([
    ['athena', 'SELECT actor FROM events', { sql: 'SELECT "actor" FROM "events" LIMIT 1000', added: true }],
    ['athena', 'SELECT actor FROM events LIMIT 5000', { sql: 'SELECT "actor" FROM "events" LIMIT 1000', added: true }],
    ['athena', 'SELECT actor FROM events LIMIT 10', { sql: 'SELECT "actor" FROM "events" LIMIT 10', added: false }],
    ['athena', 'SELECT actor FROM events UNION ALL SELECT title FROM alerts', { sql: 'SELECT "actor" FROM "events" UNION ALL SELECT "title" FROM "alerts" LIMIT 1000', added: true }],
    ['athena', 'SELECT actor FROM events UNION ALL SELECT title FROM alerts LIMIT 9000', { sql: 'SELECT "actor" FROM "events" UNION ALL SELECT "title" FROM "alerts" LIMIT 1000', added: true }],
    ['bigquery', 'SELECT actor FROM events ORDER BY actor', { sql: 'SELECT actor FROM events ORDER BY actor ASC LIMIT 1000', added: true }],
    ['bigquery', 'SELECT actor FROM events LIMIT 2000 OFFSET 10', { sql: 'SELECT actor FROM events LIMIT 1000 OFFSET 10', added: true }],
    ['synapse', 'SELECT actor FROM events', { sql: 'SELECT TOP (1000) [actor] FROM [events]', added: true }],
    ['synapse', 'SELECT DISTINCT actor FROM events', { sql: 'SELECT DISTINCT TOP (1000) [actor] FROM [events]', added: true }],
    ['synapse', 'SELECT TOP 5000 actor FROM events', { sql: 'SELECT TOP (1000) [actor] FROM [events]', added: true }],
    ['synapse', 'SELECT TOP 10 actor FROM events', { sql: 'SELECT TOP 10 [actor] FROM [events]', added: false }],
    // T-SQL refuses TOP beside OFFSET: the FETCH count is lowered instead
    ['synapse', 'SELECT actor FROM events ORDER BY actor OFFSET 0 ROWS FETCH NEXT 5000 ROWS ONLY', { sql: 'SELECT [actor] FROM [events] ORDER BY [actor] ASC OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY', added: true }],
    // TOP would bind to the first arm only: left to the adapter's row cap
    ['synapse', 'SELECT actor FROM events UNION SELECT title FROM alerts', { sql: 'SELECT [actor] FROM [events] UNION SELECT [title] FROM [alerts]', added: false }],
  ])('%s: %s', (dialect, sql, expected) => {
    const result = addLakeRowLimit(validated(sql, dialect), dialect, 1000);
    expect(result).toEqual(expected);
    expect(validateLakeQuery(result.sql, dialect, policy).ok).toBe(true);
  });
});

/** Analyst queries each dialect must carry through both rewrites and back through its validator and parser. */
const typical: Record<LakeDialect, string[]> = {
  athena: [
    "SELECT count(*) AS n FROM events WHERE outcome = 'failure'",
    'SELECT source, actor, count(*) AS n FROM events GROUP BY source, actor HAVING count(*) > 3 ORDER BY n DESC',
    'SELECT e.actor, a.title FROM mantissa.events e JOIN alerts a ON a.title = e.actor',
    'WITH f AS (SELECT actor FROM events WHERE outcome = \'failure\') SELECT actor, count(*) AS n FROM f GROUP BY actor',
    "SELECT actor FROM events WHERE source = 'okta' UNION SELECT actor FROM events WHERE source = 'duo'",
    "SELECT title FROM alerts WHERE title IN (SELECT actor FROM events WHERE action = 'user.session.start')",
    'SELECT * FROM (SELECT * FROM (SELECT actor FROM events) a) b',
  ],
  bigquery: [
    "SELECT COUNT(*) AS n FROM events WHERE outcome = 'failure'",
    'SELECT source, actor, COUNT(*) AS n FROM `acme-prod.mantissa.events` GROUP BY source, actor HAVING COUNT(*) > 3 ORDER BY n DESC',
    'SELECT e.actor, a.title FROM mantissa.events e JOIN alerts a ON a.title = e.actor',
    "WITH f AS (SELECT actor FROM events WHERE outcome = 'failure') SELECT actor, COUNT(*) AS n FROM f GROUP BY actor",
    "SELECT actor FROM events WHERE source = 'okta' UNION ALL SELECT actor FROM events WHERE source = 'duo'",
    "SELECT title FROM alerts WHERE title IN (SELECT actor FROM events WHERE action = 'user.session.start')",
    'SELECT * FROM (SELECT * FROM (SELECT actor FROM events) a) b',
  ],
  synapse: [
    "SELECT COUNT(*) AS n FROM events WHERE outcome = 'failure'",
    'SELECT source, actor, COUNT(*) AS n FROM [mantissa].[events] GROUP BY source, actor HAVING COUNT(*) > 3',
    'SELECT e.actor, a.title FROM mantissa.events e JOIN alerts a ON a.title = e.actor',
    "WITH f AS (SELECT actor FROM events WHERE outcome = 'failure') SELECT actor, COUNT(*) AS n FROM f GROUP BY actor",
    "SELECT actor FROM events WHERE source = 'okta' UNION SELECT actor FROM events WHERE source = 'duo'",
    "SELECT title FROM alerts WHERE title IN (SELECT actor FROM events WHERE action = 'user.session.start')",
    'SELECT * FROM (SELECT * FROM (SELECT actor FROM events) a) b',
  ],
};

const parsers = {
  athena: { parser: new athenaParser.Parser(), database: 'athena' },
  bigquery: { parser: new bigqueryParser.Parser(), database: 'bigquery' },
};

describe.each(dialects)('rewrites that stay valid (%s)', (dialect) => {
  it.each(typical[dialect])('%s', (sql) => {
    const checked = validated(sql, dialect);
    const before = analyzeLakeQueryScope(checked, dialect, policy, now);
    expect(before.timeBounded).toBe(false);
    const boundedSql = addLakeTimeBound(checked, dialect, policy, day);
    expect(boundedSql.added).toBe(true);
    const limited = addLakeRowLimit(boundedSql.sql, dialect, 1000);
    // The pipeline validates its rewrite again, with the one extra subquery level the bound takes.
    const again = validateLakeQuery(limited.sql, dialect, rewritten);
    expect(again.ok ? again.tables : again.message).toContain('events');
    if (!again.ok) return;
    // What runs is bounded to the window, and running the rewrites again changes nothing.
    const after = analyzeLakeQueryScope(again.sql, dialect, policy, now);
    expect(after).toMatchObject({ timeBounded: true, range: day, sources: before.sources });
    expect(addLakeTimeBound(again.sql, dialect, policy, day)).toEqual({ sql: again.sql, added: false });
    expect(addLakeRowLimit(again.sql, dialect, 1000).added).toBe(false);
    if (dialect !== 'synapse') {
      // The parser reads the rewrite back to the same text (T-SQL CTEs aside: see the CTE test above).
      const { parser, database } = parsers[dialect];
      expect(parser.sqlify(parser.astify(limited.sql, { database }) as never, { database })).toBe(limited.sql);
    }
  });

  it('keeps a hostile-looking literal a literal through every rewrite', () => {
    const sql = validated("SELECT actor FROM events WHERE message = 'x''; DROP TABLE events; --' AND actor <> 'WITH [f] AS (SELECT 1)'", dialect);
    const out = addLakeRowLimit(addLakeTimeBound(sql, dialect, policy, day).sql, dialect, 1000).sql;
    expect(out).toContain("'x''; DROP TABLE events; --'");
    expect(out).toContain("'WITH [f] AS (SELECT 1)'");
    const again = validateLakeQuery(out, dialect, rewritten);
    expect(again.ok ? again.sql : again.message).toContain("'x''; DROP TABLE events; --'");
  });

  it('bounds a query nested as deep as the policy allows, and the rewrite passes only with the extra level', () => {
    const deepest = validated('SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT actor FROM events) a) b) c', dialect);
    const out = addLakeTimeBound(deepest, dialect, policy, day).sql;
    expect(validateLakeQuery(out, dialect, rewritten).ok).toBe(true);
    expect(validateLakeQuery(out, dialect, policy)).toMatchObject({ ok: false, reason: 'too_deep' });
    // …so an analyst cannot write that depth directly.
    expect(validateLakeQuery('SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT actor FROM events) z) a) b) c', dialect, policy)).toMatchObject({ ok: false, reason: 'too_deep' });
  });
});
