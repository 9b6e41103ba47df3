import bigqueryParser from 'node-sql-parser/build/bigquery.js';
import sqliteParser from 'node-sql-parser/build/sqlite.js';
import transactsqlParser from 'node-sql-parser/build/transactsql.js';
import trinoParser from 'node-sql-parser/build/trino.js';
import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CompiledQuery, LegacyAggregation, LogsourceMapping, ResolvedRule, SigmaCorrelationIR, SqlDialectName } from '../ir';
import { eq, regex, sigmaCorrelation, sigmaRule } from '../pipeline/ir-builders';
import { resolveRule } from '../pipeline/resolve-rule';
import { bindTimeWindow, compileCorrelationSql, compileRuleSql, indexRulesByIdOrName, inlineParams, type CorrelationInput } from './compile-sql';

const mapping: LogsourceMapping = {
  logsource: { product: 'okta' },
  sources: ['okta'],
  fields: {
    outcome: { kind: 'column', column: 'outcome' },
    user: { kind: 'column', column: 'actor' },
    target: { kind: 'column', column: 'target' },
    ip: { kind: 'column', column: 'src_ip' },
    action: { kind: 'column', column: 'action' },
  },
};

const resolve = (name: string, condition: Parameters<typeof sigmaRule>[0], aggregation?: LegacyAggregation): ResolvedRule => {
  const r = resolveRule(sigmaRule(condition, { name, logsource: { product: 'okta' }, ...(aggregation ? { aggregation } : {}) }), [mapping], { strict: false });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

const failedLogin = resolve('failed_login', eq('outcome', 'failure'));
const successfulLogin = resolve('successful_login', eq('outcome', 'success'));
const passwordReset = resolve('password_reset', eq('action', 'user.password.reset'));

let db: DatabaseSync;
let seq = 0;

function freshDb() {
  const migration = readFileSync(new URL('../../../migrations/0001_init.sql', import.meta.url), 'utf8');
  db = new DatabaseSync(':memory:');
  db.exec(/CREATE TABLE events \([\s\S]*?\n\);/.exec(migration)![0]);
}

function add(time: string, fields: { actor?: string | null; outcome?: string; action?: string; ip?: string; target?: string; raw?: object; source?: string }) {
  seq++;
  db.prepare(
    `INSERT INTO events (event_uid, event_id, source, event_time, ingest_time, action, outcome, actor, src_ip, target, raw, batch_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'b')`,
  ).run(
    `b:${seq}`,
    `e${seq}`,
    fields.source ?? 'okta',
    `2026-11-27T${time}.000Z`,
    '2026-11-27T12:00:00.000Z',
    fields.action ?? 'user.session.start',
    fields.outcome ?? 'success',
    fields.actor === undefined ? 'alice@acme.test' : fields.actor,
    fields.ip ?? '10.0.0.1',
    fields.target ?? null,
    JSON.stringify(fields.raw ?? {}),
  );
}

const run = (q: CompiledQuery) => db.prepare(q.sql).all(...(q.params as (string | number | null)[])) as Record<string, unknown>[];

function correlate(correlation: SigmaCorrelationIR, items: CorrelationInput[], dialect: SqlDialectName = 'd1', options = {}): CompiledQuery {
  const r = compileCorrelationSql(correlation, indexRulesByIdOrName(items), dialect, options);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

const bruteForce = sigmaCorrelation('event_count', ['failed_login'], { name: 'brute_force', groupBy: ['user'], timespanMs: 5 * 60_000, condition: { op: 'gte', value: 5 } });

beforeEach(() => {
  freshDb();
});

describe('sliding windows (not clock-aligned)', () => {
  it('fires on 3 failures at 10:59 and 3 at 11:01 with a 5-minute timespan and count ≥ 5', () => {
    for (const t of ['10:59:10', '10:59:30', '10:59:50', '11:01:00', '11:01:20', '11:01:40']) add(t, { outcome: 'failure' });
    // Another user: the same six failures, but spread over more than five minutes.
    for (const t of ['10:50:00', '10:51:00', '10:52:00', '10:56:00', '10:57:00', '10:58:00']) add(t, { outcome: 'failure', actor: 'bob@acme.test' });
    // Successes never count.
    for (const t of ['10:59:11', '10:59:12', '10:59:13']) add(t, { outcome: 'success', actor: 'bob@acme.test' });
    const rows = run(correlate(bruteForce, [bruteForce, failedLogin]));
    expect(rows).toEqual([
      { actor: 'alice@acme.test', first_seen: '2026-11-27T10:59:10.000Z', last_seen: '2026-11-27T11:01:40.000Z', count: 6, value: 6 },
    ]);
  });

  it('gives the same rows in the inlined export form', () => {
    for (const t of ['10:59:10', '10:59:30', '10:59:50', '11:01:00', '11:01:20']) add(t, { outcome: 'failure', actor: "o'brien@acme.test" });
    const q = correlate(bruteForce, [bruteForce, failedLogin]);
    const rows = run(q);
    expect(rows).toHaveLength(1);
    expect(db.prepare(inlineParams(q)).all()).toEqual(rows);
  });

  it('does not fire when the events are exactly one timespan apart', () => {
    for (const t of ['10:00:00', '10:00:00', '10:00:00', '10:00:00', '10:05:00']) add(t, { outcome: 'failure' });
    expect(run(correlate(bruteForce, [bruteForce, failedLogin]))).toEqual([]);
    add('10:04:59', { outcome: 'failure' });
    expect(run(correlate(bruteForce, [bruteForce, failedLogin]))).toHaveLength(1);
  });

  it('leaves out events whose group key is missing', () => {
    for (const t of ['10:00:00', '10:00:01', '10:00:02', '10:00:03', '10:00:04']) add(t, { outcome: 'failure', actor: null });
    expect(run(correlate(bruteForce, [bruteForce, failedLogin]))).toEqual([]);
  });

  it('finds a burst straddling two scheduled runs in the run holding its last event, and only there', () => {
    for (const t of ['10:58:10', '10:58:30', '10:59:50', '11:00:20', '11:01:00']) add(t, { outcome: 'failure' });
    const q = correlate(bruteForce, [bruteForce, failedLogin], 'd1', { timeWindow: true });
    const first = run(bindTimeWindow(q, { start: '2026-11-27T10:55:00.000Z', end: '2026-11-27T11:00:00.000Z' }));
    const second = run(bindTimeWindow(q, { start: '2026-11-27T11:00:00.000Z', end: '2026-11-27T11:05:00.000Z' }));
    const third = run(bindTimeWindow(q, { start: '2026-11-27T11:05:00.000Z', end: '2026-11-27T11:10:00.000Z' }));
    expect(first).toEqual([]);
    expect(second).toEqual([{ actor: 'alice@acme.test', first_seen: '2026-11-27T10:58:10.000Z', last_seen: '2026-11-27T11:01:00.000Z', count: 5, value: 5 }]);
    expect(third).toEqual([]);
  });
});

describe('correlation types', () => {
  it('value_count counts distinct values per group within the window', () => {
    const spray = sigmaCorrelation('value_count', ['failed_login'], { groupBy: ['ip'], timespanMs: 600_000, condition: { op: 'gte', value: 3, field: 'user' } });
    for (const [t, actor] of [['10:00:00', 'a'], ['10:01:00', 'b'], ['10:02:00', 'b'], ['10:09:00', 'c'], ['10:30:00', 'd']] as const) add(t, { outcome: 'failure', actor, ip: '203.0.113.7' });
    for (const [t, actor] of [['10:00:00', 'a'], ['10:20:00', 'b'], ['10:40:00', 'c']] as const) add(t, { outcome: 'failure', actor, ip: '203.0.113.8' });
    const rows = run(correlate(spray, [failedLogin]));
    expect(rows).toEqual([{ src_ip: '203.0.113.7', first_seen: '2026-11-27T10:00:00.000Z', last_seen: '2026-11-27T10:09:00.000Z', count: 4, value: 3 }]);
  });

  it.each([
    ['value_sum', { op: 'gt', value: 1000 }, 1200],
    ['value_avg', { op: 'gte', value: 400 }, 400],
    ['value_median', { op: 'gte', value: 300 }, 300],
    ['value_percentile', { op: 'gte', value: 500, percentile: 75 }, 550],
  ] as const)('%s aggregates a numeric JSON field (numbers and numeric strings)', (type, condition, value) => {
    for (const [t, bytes] of [['10:00:00', 100], ['10:01:00', '300'], ['10:02:00', 800], ['10:03:00', 'n/a']] as const) add(t, { outcome: 'success', raw: { bytes } });
    const corr = sigmaCorrelation(type, ['successful_login'], { groupBy: ['user'], timespanMs: 600_000, condition: { field: 'bytes', ...condition } });
    const rows = run(correlate(corr, [successfulLogin]));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.value).toBeCloseTo(value);
    expect(rows[0]!.last_seen).toBe('2026-11-27T10:03:00.000Z');
  });

  it('temporal needs every rule within the timespan, in any order', () => {
    const takeover = sigmaCorrelation('temporal', ['password_reset', 'successful_login'], { groupBy: ['user'], timespanMs: 300_000, condition: { op: 'gte', value: 2 } });
    add('10:00:00', { action: 'user.password.reset', outcome: 'unknown' });
    add('09:58:00', { outcome: 'success' });
    add('10:00:00', { action: 'user.password.reset', outcome: 'unknown', actor: 'bob' });
    add('10:06:00', { outcome: 'success', actor: 'bob' });
    const rows = run(correlate(takeover, [passwordReset, successfulLogin]));
    expect(rows).toEqual([{ actor: 'alice@acme.test', first_seen: '2026-11-27T09:58:00.000Z', last_seen: '2026-11-27T10:00:00.000Z', count: 2, value: 2 }]);
  });

  it('temporal_ordered chains a correlation (many failures) then a success of the same user', () => {
    const many = sigmaCorrelation('event_count', ['failed_login'], { name: 'many_failed', groupBy: ['user'], timespanMs: 600_000, condition: { op: 'gte', value: 3 } });
    const then = sigmaCorrelation('temporal_ordered', ['many_failed', 'successful_login'], { groupBy: ['user'], timespanMs: 600_000, condition: { op: 'gte', value: 2 } });
    // alice: failures then success → fires. bob: success before the failures → does not.
    for (const t of ['10:00:00', '10:01:00', '10:02:00']) add(t, { outcome: 'failure' });
    add('10:05:00', { outcome: 'success' });
    add('10:00:00', { outcome: 'success', actor: 'bob' });
    for (const t of ['10:01:00', '10:02:00', '10:03:00']) add(t, { outcome: 'failure', actor: 'bob' });
    const rows = run(correlate(then, [many, then, failedLogin, successfulLogin]));
    expect(rows).toEqual([{ actor: 'alice@acme.test', first_seen: '2026-11-27T10:00:00.000Z', last_seen: '2026-11-27T10:05:00.000Z', count: 2, value: 2 }]);
  });

  it('temporal_ordered with a count below the number of rules fires on that many rules in order, skipping others', () => {
    const twoOfThree = sigmaCorrelation('temporal_ordered', ['failed_login', 'password_reset', 'successful_login'], { groupBy: ['user'], timespanMs: 600_000, condition: { op: 'gte', value: 2 } });
    // alice: failure then success (reset skipped) → 2 rules in order. bob: success then reset → out of order.
    // carol: all three in order → value 3.
    add('10:00:00', { outcome: 'failure' });
    add('10:04:00', { outcome: 'success' });
    add('10:00:00', { outcome: 'success', actor: 'bob' });
    add('10:01:00', { action: 'user.password.reset', outcome: 'unknown', actor: 'bob' });
    add('10:00:00', { outcome: 'failure', actor: 'carol' });
    add('10:01:00', { action: 'user.password.reset', outcome: 'unknown', actor: 'carol' });
    add('10:02:00', { outcome: 'success', actor: 'carol' });
    const rows = run(correlate(twoOfThree, [failedLogin, passwordReset, successfulLogin]));
    expect(rows).toEqual([
      { actor: 'alice@acme.test', first_seen: '2026-11-27T10:00:00.000Z', last_seen: '2026-11-27T10:04:00.000Z', count: 2, value: 2 },
      { actor: 'carol', first_seen: '2026-11-27T10:00:00.000Z', last_seen: '2026-11-27T10:02:00.000Z', count: 3, value: 3 },
    ]);
  });

  it('groups through aliases: different fields of different rules', () => {
    const corr = sigmaCorrelation('temporal', ['password_reset', 'successful_login'], {
      groupBy: ['account'],
      timespanMs: 300_000,
      condition: { op: 'gte', value: 2 },
      aliases: { account: { password_reset: 'target', successful_login: 'user' } },
    });
    add('10:00:00', { action: 'user.password.reset', outcome: 'unknown', actor: 'admin@acme.test', target: 'carol@acme.test' });
    add('10:01:00', { outcome: 'success', actor: 'carol@acme.test' });
    const rows = run(correlate(corr, [passwordReset, successfulLogin]));
    expect(rows).toEqual([{ account: 'carol@acme.test', first_seen: '2026-11-27T10:00:00.000Z', last_seen: '2026-11-27T10:01:00.000Z', count: 2, value: 2 }]);
  });

  it('without group-by, correlates all events together', () => {
    const corr = sigmaCorrelation('event_count', ['failed_login'], { timespanMs: 60_000, condition: { op: 'gte', value: 3 } });
    for (const [t, actor] of [['10:00:00', 'a'], ['10:00:10', 'b'], ['10:00:20', 'c']] as const) add(t, { outcome: 'failure', actor });
    expect(run(correlate(corr, [failedLogin]))).toEqual([{ first_seen: '2026-11-27T10:00:00.000Z', last_seen: '2026-11-27T10:00:20.000Z', count: 3, value: 3 }]);
  });
});

describe('legacy aggregation', () => {
  it('count() by field > N with a timeframe slides too', () => {
    const rule = resolve('legacy', eq('outcome', 'failure'), { function: 'count', field: null, groupBy: ['user'], op: 'gt', value: 4, timespanMs: 300_000 });
    for (const t of ['10:59:10', '10:59:30', '10:59:50', '11:01:00', '11:01:20']) add(t, { outcome: 'failure' });
    const q = compileRuleSql(rule, 'd1');
    expect(q.ok && run(q.value)).toEqual([{ actor: 'alice@acme.test', first_seen: '2026-11-27T10:59:10.000Z', last_seen: '2026-11-27T11:01:20.000Z', count: 5, value: 5 }]);
  });

  it('count(field) without a timeframe counts distinct values over the whole window', () => {
    const rule = resolve('legacy2', eq('outcome', 'failure'), { function: 'count', field: 'user', groupBy: ['ip'], op: 'gte', value: 2, timespanMs: null });
    add('01:00:00', { outcome: 'failure', actor: 'a' });
    add('23:00:00', { outcome: 'failure', actor: 'b' });
    const q = compileRuleSql(rule, 'd1');
    expect(q.ok && run(q.value)).toEqual([{ src_ip: '10.0.0.1', first_seen: '2026-11-27T01:00:00.000Z', last_seen: '2026-11-27T23:00:00.000Z', count: 2, value: 2 }]);
  });
});

describe('refusals', () => {
  it('refuses to aggregate a rule the dialect can only select as a superset', () => {
    const fuzzy = resolve('fuzzy', regex('message', 'fail(ed|ure)'));
    const corr = sigmaCorrelation('event_count', ['fuzzy'], { groupBy: ['user'], condition: { op: 'gte', value: 3 } });
    const d1 = compileCorrelationSql(corr, indexRulesByIdOrName([fuzzy]), 'd1');
    expect(d1.ok).toBe(false);
    if (!d1.ok) expect(d1.errors[0]).toMatchObject({ code: 'unsupported_feature' });
    expect(compileCorrelationSql(corr, indexRulesByIdOrName([fuzzy]), 'bigquery').ok).toBe(true);
  });

  it.each([
    ['an unknown rule', sigmaCorrelation('event_count', ['nope'], { groupBy: ['user'] }), 'correlation'],
    ['a value correlation without a field', sigmaCorrelation('value_sum', ['failed_login'], { groupBy: ['user'] }), 'correlation'],
    ['an ordered correlation of 1 of 7 rules (127 rule sequences)', sigmaCorrelation('temporal_ordered', ['a', 'b', 'c', 'd', 'e', 'f', 'g'], { condition: { op: 'gte', value: 1 } }), 'unsupported_feature'],
    ['an ordered correlation counting an exact number of fewer rules', sigmaCorrelation('temporal_ordered', ['failed_login', 'successful_login'], { condition: { op: 'eq', value: 1 } }), 'unsupported_feature'],
    ['a group-by the chained correlation lacks', sigmaCorrelation('temporal', ['brute_force', 'successful_login'], { groupBy: ['ip'], condition: { op: 'gte', value: 2 } }), 'correlation'],
  ] as const)('refuses %s', (_name, corr, code) => {
    const r = compileCorrelationSql(corr, indexRulesByIdOrName([bruteForce, failedLogin, successfulLogin]), 'd1');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.code).toBe(code);
  });

  it('refuses a correlation that refers to itself', () => {
    const loop = sigmaCorrelation('event_count', ['loop'], { name: 'loop', groupBy: ['user'] });
    const r = compileCorrelationSql(loop, indexRulesByIdOrName([loop]), 'd1');
    expect(r.ok).toBe(false);
  });
});

describe('correlation SQL parses in every dialect', () => {
  const parsers = {
    d1: { parser: new sqliteParser.Parser(), database: 'sqlite' },
    athena: { parser: new trinoParser.Parser(), database: 'trino' },
    bigquery: { parser: new bigqueryParser.Parser(), database: 'bigquery' },
    synapse: { parser: new transactsqlParser.Parser(), database: 'transactsql' },
  } as const;
  const many = sigmaCorrelation('event_count', ['failed_login'], { name: 'many_failed', groupBy: ['user'], condition: { op: 'gte', value: 3 } });
  const items: CorrelationInput[] = [failedLogin, successfulLogin, passwordReset, many, bruteForce];
  const correlations: SigmaCorrelationIR[] = [
    bruteForce,
    sigmaCorrelation('value_count', ['failed_login'], { groupBy: ['ip'], condition: { op: 'gte', value: 3, field: 'user' } }),
    sigmaCorrelation('value_sum', ['successful_login'], { groupBy: ['user'], condition: { op: 'gt', value: 1, field: 'bytes' } }),
    sigmaCorrelation('value_avg', ['successful_login'], { groupBy: ['user'], condition: { op: 'gt', value: 1, field: 'bytes' } }),
    sigmaCorrelation('value_percentile', ['successful_login'], { groupBy: ['user', 'ip'], condition: { op: 'lte', value: 1, field: 'bytes', percentile: 95 } }),
    sigmaCorrelation('value_median', ['successful_login'], { condition: { op: 'gt', value: 1, field: 'bytes' } }),
    sigmaCorrelation('temporal', ['password_reset', 'successful_login'], { groupBy: ['user'], condition: { op: 'gte', value: 2 } }),
    sigmaCorrelation('temporal_ordered', ['many_failed', 'password_reset', 'successful_login'], { groupBy: ['user'], condition: { op: 'gte', value: 3 } }),
  ];
  const cases = correlations.flatMap((c) => (['d1', 'athena', 'bigquery', 'synapse'] as const).map((d) => [c.type, d, c] as const));
  it.each(cases)('%s in %s', (_type, dialect, corr) => {
    for (const timeWindow of [false, true]) {
      const q = correlate(corr, items, dialect, { timeWindow });
      const { parser, database } = parsers[dialect];
      expect(() => parser.astify(dialect === 'd1' ? q.sql.replace(/\?\d+/g, '?') : q.sql, { database })).not.toThrow();
      if (timeWindow) expect(q.params.slice(0, 2)).toEqual([null, null]);
      if (dialect === 'd1') expect(() => run(timeWindow ? bindTimeWindow(q, { start: '2026-01-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' }) : q)).not.toThrow();
    }
  });
});
