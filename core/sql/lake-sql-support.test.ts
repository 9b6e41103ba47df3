import { describe, expect, it } from 'vitest';
import { estimateQueryCost, sumPartitions, type CostScope, type PartitionStat } from '../nlq/cost';
import { answerQuestion, defaultPipelineOptions, type PipelinePorts } from '../nlq/pipeline';
import type { Translation, Translator } from '../nlq/translator';
import { hostileQueries, neutralisedQueries } from './hostile-queries';
import { lakeSqlSupport } from './lake-sql-support';
import { lakeQueryPolicy, validateLakeQuery, type LakeDialect } from './validate-dialect-query';

const policy = lakeQueryPolicy(['events', 'alerts'], ['mantissa']);
const dialects: LakeDialect[] = ['athena', 'bigquery', 'synapse'];

describe.each(dialects)('lakeSqlSupport (%s)', (dialect) => {
  const support = lakeSqlSupport(dialect, policy);

  it('refuses every hostile query its validator refuses, for the same reason', () => {
    let refused = 0;
    for (const { sql } of hostileQueries) {
      const direct = validateLakeQuery(sql, dialect, policy);
      if (direct.ok) continue;
      refused++;
      expect(support.validate(sql)).toEqual({ ok: false, reason: direct.reason, message: direct.message });
      // The rewrite may nest one level deeper; anything else the validator refuses stays refused.
      if (direct.reason !== 'too_deep') expect(support.revalidate(sql)).toEqual(direct);
    }
    // Most of the list is refused by the lake validator too (the rest are SQLite-only hazards).
    expect(refused).toBeGreaterThan(100);
  });

  it.each([
    'SELECT * FROM events; DROP TABLE events',
    'SELECT * FROM information_schema.tables',
    'SELECT actor FROM events UNION ALL SELECT table_name FROM information_schema.columns',
    'WITH events AS (SELECT * FROM secrets) SELECT * FROM events',
    'SELECT * FROM other_dataset.events',
    "SELECT * FROM events WHERE event_time >= '2026-11-01' AND actor IN (SELECT name FROM secrets)",
    'SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT * FROM events) a) b) c) d',
  ])('refuses %s', (sql) => {
    expect(support.validate(sql).ok).toBe(false);
  });

  it('carries every odd query it accepts through scope, both rewrites and revalidation', () => {
    const now = new Date('2026-11-27T12:00:00.000Z');
    let accepted = 0;
    for (const sql of [...hostileQueries.map((h) => h.sql), ...neutralisedQueries]) {
      const checked = support.validate(sql);
      if (!checked.ok) continue;
      accepted++;
      support.scope(checked.sql, now);
      const boundedSql = support.addTimeBound(checked.sql, { from: '2026-11-26T12:00:00.000Z', to: now.toISOString() }, now).sql;
      const limited = support.addRowLimit(boundedSql, 1000).sql;
      expect(limited === checked.sql ? checked : support.revalidate(limited)).toMatchObject({ ok: true });
    }
    expect(accepted).toBeGreaterThan(30);
  });

  it('lets the rewrite nest one level deeper than an analyst may', () => {
    const fourDeep = 'SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT actor FROM events) z) a) b) c';
    expect(support.validate(fourDeep)).toMatchObject({ ok: false, reason: 'too_deep' });
    expect(support.revalidate(fourDeep).ok).toBe(true);
  });
});

describe('validate adds the partition predicate a literal bound implies', () => {
  it.each<[LakeDialect, string, string]>([
    [
      'athena',
      "SELECT actor, count(*) AS n FROM events WHERE event_time >= '2026-11-20T00:00:00.000Z' AND event_time < '2026-11-22T00:00:00.000Z' GROUP BY actor",
      `SELECT "actor", COUNT(*) AS "n" FROM "events" WHERE "event_time" >= '2026-11-20T00:00:00.000Z' AND "event_time" < '2026-11-22T00:00:00.000Z' AND "events"."date" BETWEEN '2026-11-20' AND '2026-11-21' GROUP BY "actor"`,
    ],
    [
      'bigquery',
      "SELECT actor, COUNT(*) AS n FROM mantissa.events e WHERE e.event_time >= '2026-11-20T00:00:00.000Z' GROUP BY actor",
      "SELECT actor, COUNT(*) AS n FROM mantissa.events AS e WHERE e.event_time >= '2026-11-20T00:00:00.000Z' AND e.date >= '2026-11-20' GROUP BY actor",
    ],
    [
      'synapse',
      "SELECT TOP 10 actor, COUNT(*) AS n FROM events WHERE event_time BETWEEN '2026-11-20T00:00:00.000Z' AND '2026-11-21T00:00:00.000Z' GROUP BY actor ORDER BY n DESC",
      "SELECT TOP 10 [actor], COUNT(*) AS [n] FROM [events] WHERE [event_time] BETWEEN '2026-11-20T00:00:00.000Z' AND '2026-11-21T00:00:00.000Z' AND [events].[date] BETWEEN '2026-11-20' AND '2026-11-21' GROUP BY [actor] ORDER BY [n] DESC",
    ],
  ])('%s: %s', (dialect, sql, expected) => {
    expect(lakeSqlSupport(dialect, policy).validate(sql)).toEqual({ ok: true, sql: expected, tables: ['events'] });
  });
});

/** The analyst's SQL as the pipeline's translator (the "sql" engine never calls a model). */
const unused: Translator = {
  id: 'offline',
  translate: async (): Promise<Translation> => ({ ok: false, message: 'not used', suggestions: [], engine: 'offline' }),
};

const stats: PartitionStat[] = [
  { source: 'okta', hour: '2026-11-27T11:00:00.000Z', rows: 4000, bytes: 4_000_000_000 },
  { source: 'okta', hour: '2026-11-20T11:00:00.000Z', rows: 4000, bytes: 4_000_000_000 },
  { source: 'duo', hour: '2026-11-27T11:00:00.000Z', rows: 1000, bytes: 1_000_000_000 },
];

function lakePorts(dialect: LakeDialect, runs: string[], scopes: CostScope[]): PipelinePorts {
  return {
    primary: null,
    offline: unused,
    sql: lakeSqlSupport(dialect, policy),
    entityValues: async () => ({ users: [], countries: [], sources: ['okta', 'duo'], actions: [] }),
    estimate: async (scope) => {
      scopes.push(scope);
      return estimateQueryCost(dialect, scope, sumPartitions(stats, scope));
    },
    run: async (sql) => {
      runs.push(sql);
      return { columns: ['n'], rows: [[1]], truncated: false };
    },
    cache: null,
  };
}

describe('answerQuestion on the lake', () => {
  const now = new Date('2026-11-27T12:00:30.000Z');
  const ask = (sql: string) => ({ question: 'edited SQL', sql, history: [], userId: 'tok_alice', now, confirm: true });

  it.each<[LakeDialect, string, string]>([
    [
      'athena',
      "SELECT count(*) AS n FROM events WHERE source = 'okta'",
      `SELECT COUNT(*) AS "n" FROM (SELECT * FROM "events" WHERE "event_time" >= '2026-11-26T12:01:00.000Z' AND "event_time" < '2026-11-27T12:01:00.000Z' AND "date" BETWEEN '2026-11-26' AND '2026-11-27' AND "source" = 'okta') AS "events" WHERE "source" = 'okta' LIMIT 1000`,
    ],
    [
      'bigquery',
      "SELECT COUNT(*) AS n FROM mantissa.events WHERE source = 'okta'",
      "SELECT COUNT(*) AS n FROM (SELECT * FROM mantissa.events WHERE event_time >= '2026-11-26T12:01:00.000Z' AND event_time < '2026-11-27T12:01:00.000Z' AND `date` BETWEEN '2026-11-26' AND '2026-11-27' AND source = 'okta') AS events WHERE source = 'okta' LIMIT 1000",
    ],
    [
      'synapse',
      "SELECT COUNT(*) AS n FROM events WHERE source = 'okta'",
      "SELECT TOP (1000) COUNT(*) AS [n] FROM (SELECT * FROM [events] WHERE [event_time] >= '2026-11-26T12:01:00.000Z' AND [event_time] < '2026-11-27T12:01:00.000Z' AND [date] BETWEEN '2026-11-26' AND '2026-11-27' AND [source] = 'okta') AS [events] WHERE [source] = 'okta'",
    ],
  ])('%s: runs an unbounded query over the default window, pruned by date and source, with a row cap', async (dialect, sql, expected) => {
    const runs: string[] = [];
    const scopes: CostScope[] = [];
    const outcome = await answerQuestion(ask(sql), lakePorts(dialect, runs, scopes), { ...defaultPipelineOptions, dialect, schemaVersion: 't' });
    expect(outcome.kind).toBe('answered');
    expect(runs).toEqual([expected]);
    // The estimate covers what the engine reads: okta's partitions in the window, not duo's, not last week's.
    expect(scopes).toEqual([{ tables: ['events'], sources: ['okta'], range: { from: '2026-11-26T12:01:00.000Z', to: '2026-11-27T12:01:00.000Z' } }]);
    if (outcome.kind === 'answered') expect(outcome.answer.estimate.bytes).toBe(4_000_000_000);
  });

  it.each(dialects)('%s: runs a literally bounded query with its partition predicate and no default window', async (dialect) => {
    const runs: string[] = [];
    const scopes: CostScope[] = [];
    const sql = "SELECT actor FROM events WHERE event_time >= '2026-11-20T00:00:00.000Z' AND event_time < '2026-11-21T00:00:00.000Z'";
    const outcome = await answerQuestion(ask(sql), lakePorts(dialect, runs, scopes), { ...defaultPipelineOptions, dialect, schemaVersion: 't' });
    expect(outcome.kind).toBe('answered');
    if (outcome.kind !== 'answered') return;
    expect(outcome.answer.assumptions).toEqual([]);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/date.? BETWEEN '2026-11-20' AND '2026-11-20'/);
    expect(runs[0]).not.toContain('2026-11-26');
    expect(scopes[0]!.range).toEqual({ from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z' });
  });
});
