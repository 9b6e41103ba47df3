import bigqueryParser from 'node-sql-parser/build/bigquery.js';
import sqliteParser from 'node-sql-parser/build/sqlite.js';
import transactsqlParser from 'node-sql-parser/build/transactsql.js';
import trinoParser from 'node-sql-parser/build/trino.js';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { CompiledQuery, LogsourceMapping, ResolvedRule, SqlDialectName } from '../ir';
import { cidr, contains, eq, eqLiteral, or, regex, sigmaRule, timePart } from '../pipeline/ir-builders';
import { resolveRule } from '../pipeline/resolve-rule';
import { bindTimeWindow, compileRuleSql, inlineParams } from './compile-sql';
import { catalogMapping, catalogMappingTwoSources, predicateCatalog } from './predicate-catalog';

const parsers = {
  d1: { parser: new sqliteParser.Parser(), database: 'sqlite' },
  athena: { parser: new trinoParser.Parser(), database: 'trino' },
  bigquery: { parser: new bigqueryParser.Parser(), database: 'bigquery' },
  synapse: { parser: new transactsqlParser.Parser(), database: 'transactsql' },
} as const;

const dialects: SqlDialectName[] = ['d1', 'athena', 'bigquery', 'synapse'];

/** Parses with the dialect's node-sql-parser build. Its SQLite grammar lacks `?NNN` placeholders: read them as `?`. */
function parseIn(dialect: SqlDialectName, sql: string): void {
  const { parser, database } = parsers[dialect];
  parser.astify(dialect === 'd1' ? sql.replace(/\?\d+/g, '?') : sql, { database });
}

const resolve = (condition: Parameters<typeof sigmaRule>[0], mapping: LogsourceMapping = catalogMapping): ResolvedRule => {
  const r = resolveRule(sigmaRule(condition, { logsource: mapping.logsource }), [mapping], { strict: false });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

const compiled = (resolved: ResolvedRule, dialect: SqlDialectName, options = {}): CompiledQuery => {
  const r = compileRuleSql(resolved, dialect, options);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

describe('every predicate kind in every dialect', () => {
  const cases = predicateCatalog.flatMap((c) => dialects.map((d) => [c.name, d, c.condition] as const));
  it.each(cases)('%s parses in %s', (_name, dialect, condition) => {
    for (const mapping of [catalogMapping, catalogMappingTwoSources]) {
      for (const timeWindow of [false, true]) {
        const q = compiled(resolve(condition, mapping), dialect, { timeWindow, namespace: 'security' });
        expect(() => parseIn(dialect, q.sql)).not.toThrow();
        expect(q.dialect).toBe(dialect);
      }
    }
  });
});

describe('placeholders, tables and the time window', () => {
  const rule = resolve(or(eq('actor', 'alice'), eq('msg', 'alice'), contains('msg', 'x')), catalogMappingTwoSources);

  it.each([
    ['d1', /\?1\b/, /^SELECT e\.\* FROM events AS e WHERE \(e\."event_time" > \?1 AND e\."event_time" <= \?2\) AND \(e\."source" IN \(\?3, \?4\)\)/],
    ['athena', /\?/, /FROM \(SELECT \* FROM "security"\."mantissa_okta" UNION ALL SELECT \* FROM "security"\."mantissa_cloudtrail"\) AS e WHERE \(e\."event_time" > \? AND e\."event_time" <= \?\)/],
    ['bigquery', /@p1\b/, /FROM \(SELECT \* FROM `security`\.`mantissa_okta` UNION ALL SELECT \* FROM `security`\.`mantissa_cloudtrail`\) AS e WHERE \(e\.`event_time` > @p1 AND e\.`event_time` <= @p2\)/],
    ['synapse', /@p1\b/, /FROM \(SELECT \* FROM \[security\]\.\[mantissa_okta\] UNION ALL SELECT \* FROM \[security\]\.\[mantissa_cloudtrail\]\) AS e WHERE \(e\.\[event_time\] > @p1 AND e\.\[event_time\] <= @p2\)/],
  ] as const)('%s binds the window first, then the values, in its own placeholder style', (dialect, placeholder, shape) => {
    const q = compiled(rule, dialect, { timeWindow: true, namespace: 'security' });
    expect(q.sql).toMatch(placeholder);
    expect(q.sql).toMatch(shape);
    expect(q.params.slice(0, 2)).toEqual([null, null]);
    const bound = bindTimeWindow(q, { start: '2026-01-01T00:00:00.000Z', end: '2026-01-02T00:00:00.000Z' });
    expect(bound.params.slice(0, 2)).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z']);
  });

  it('binds a value used twice once in numbered dialects and at each use with positional ?', () => {
    const d1 = compiled(rule, 'd1');
    expect(d1.params.filter((p) => p === 'alice')).toHaveLength(1);
    const athena = compiled(rule, 'athena');
    expect(athena.params.filter((p) => p === 'alice')).toHaveLength(2);
    expect(athena.sql.split('?').length - 1).toBe(athena.params.length);
  });

  it('uses the caller’s table names, and refuses unsafe ones', () => {
    const q = compiled(resolve(eq('actor', 'x')), 'athena', { tableForSource: (s: string) => `lake.events_${s}` });
    expect(q.sql).toContain('FROM "lake"."events_okta" AS e');
    const bad = compileRuleSql(resolve(eq('actor', 'x')), 'athena', { tableForSource: () => 'x; DROP TABLE y' });
    expect(bad.ok).toBe(false);
  });

  it('inlines literals beyond D1’s 100 parameters, still escaped', () => {
    const values = Array.from({ length: 130 }, (_v, i) => `v'${i}`);
    const q = compiled(resolve(or(...values.map((v) => eqLiteral('actor', v)))), 'd1');
    expect(q.params).toHaveLength(100);
    expect(q.sql).toContain("lower(e.\"actor\") = 'v''129'");
    expect(() => parseIn('d1', q.sql)).not.toThrow();
  });

  it('keeps a rule of thousands of values under SQLite’s expression depth limit (1000), still selecting the same rows', () => {
    // SigmaHQ's Shai-Hulud rule lists ~1,100 packages: a flat OR chain of that length does not run on SQLite.
    const values = Array.from({ length: 3000 }, (_v, i) => `pkg-${i}@1.0.${i}`);
    const q = compiled(resolve(or(...values.map((v) => contains('msg', v)))), 'd1');
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE events (source TEXT, event_time TEXT, actor TEXT, message TEXT, raw TEXT)');
    const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?)');
    for (const [i, message] of ['npm i pkg-2999@1.0.2999', 'npm i pkg-0@1.0.0 x', 'npm i pkg-3000@1.0.3000'].entries()) {
      insert.run('okta', `2026-01-01T00:00:0${i}.000Z`, null, message, '{}');
    }
    const rows = db.prepare(q.sql).all(...q.params.map((p) => (typeof p === 'boolean' ? Number(p) : p))) as { message: string }[];
    expect(rows.map((r) => r.message)).toEqual(['npm i pkg-2999@1.0.2999', 'npm i pkg-0@1.0.0 x']);
    expect(() => parseIn('d1', q.sql)).not.toThrow();
    for (const dialect of ['athena', 'bigquery', 'synapse'] as const) expect(() => parseIn(dialect, compiled(resolve(or(...values.slice(0, 300).map((v) => contains('msg', v)))), dialect).sql)).not.toThrow();
  });

  it('refuses a JSON key that cannot be written in a path', () => {
    const r = compileRuleSql(resolve(eq('detail.we"ird', 'x')), 'bigquery');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.code).toBe('unsupported_feature');
  });
});

describe('what needs confirmation, per dialect', () => {
  const table: [string, Parameters<typeof sigmaRule>[0], Record<SqlDialectName, boolean>][] = [
    ['ASCII patterns', or(eq('actor', 'Alice*'), eq('actor', 'x', true)), { d1: false, athena: false, bigquery: false, synapse: true }],
    ['case-insensitive ASCII', eq('actor', 'Alice*'), { d1: false, athena: false, bigquery: false, synapse: false }],
    ['regex', regex('msg', 'a+'), { d1: true, athena: false, bigquery: false, synapse: true }],
    ['IPv4 cidr', cidr('ip', '10.0.0.0', 8), { d1: false, athena: false, bigquery: false, synapse: true }],
    ['IPv6 cidr', cidr('ip', '2001:db8::', 32), { d1: true, athena: true, bigquery: false, synapse: true }],
    ['non-ASCII letters, case-insensitive', contains('msg', 'été'), { d1: true, athena: false, bigquery: false, synapse: false }],
    ['time part (lakes: exact on ISO-8601 texts only)', timePart('detail.when', 'hour', 14), { d1: false, athena: true, bigquery: true, synapse: true }],
  ];
  it.each(table)('%s', (_name, condition, expected) => {
    for (const dialect of dialects) expect([dialect, compiled(resolve(condition), dialect).needsConfirmation]).toEqual([dialect, expected[dialect]]);
  });
});

describe('inlineParams (export form)', () => {
  const tricky = ["it's", 'C:\\Windows\\', 'back\\slash at end\\', '100%_done', 'ünïcödé ☃ 😀', 'tab\tnew\nline', 'nul\u0000byte', '?1 @p1 ?'];

  it('escapes quotes, backslashes, control characters and unicode so D1 returns the same rows', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE events (source TEXT, event_time TEXT, actor TEXT, message TEXT, raw TEXT)');
    const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?)');
    for (const t of tricky) insert.run('okta', '2026-01-01T00:00:00.000Z', t, `${t}!`, '{}');
    for (const t of tricky) {
      const q = compiled(resolve(or(eq('actor', t, true), eqLiteral('actor', t))), 'd1');
      const bound = db.prepare(q.sql).all(...q.params.map((p) => (typeof p === 'boolean' ? Number(p) : p)));
      const inlined = db.prepare(inlineParams(q)).all();
      expect(inlined).toEqual(bound);
      expect(bound.map((r) => (r as { actor: string }).actor)).toContain(t);
    }
  });

  it.each([
    ['d1', "'it''s'", "'c:\\windows\\'", "'nul' || char(0) || 'byte'"],
    ['athena', "'it''s'", "'c:\\windows\\'", "'nul' || chr(0) || 'byte'"],
    ['bigquery', "'it\\'s'", "'c:\\\\windows\\\\'", "'nul\\x00byte'"],
    ['synapse', "N'it''s'", "N'c:\\windows\\'", "N'nul' + NCHAR(0) + N'byte'"],
  ] as const)('writes %s literals in the dialect’s own escaping', (dialect, quote, backslash, nul) => {
    const literalFor = (value: string, cased = false) => {
      const q = compiled(resolve(eqLiteral('actor', value, cased)), dialect);
      return inlineParams(q);
    };
    expect(literalFor("it's")).toContain(quote);
    expect(literalFor('c:\\windows\\')).toContain(backslash);
    expect(literalFor('nul\u0000byte')).toContain(nul);
    expect(literalFor('ünïcödé ☃ 😀', true)).toContain('ünïcödé ☃ 😀');
    const plain = inlineParams(compiled(resolve(or(eq('actor', "it's"), cidr('ip', '10.0.0.0', 8), regex('msg', 'a'))), dialect, { timeWindow: false }));
    expect(() => parseIn(dialect, plain)).not.toThrow();
    const outsideLiterals = plain.replace(/N?'(?:[^'\\]|''|\\.)*'/g, "''");
    expect(outsideLiterals).not.toMatch(dialect === 'd1' ? /\?\d/ : dialect === 'athena' ? /\?/ : /@p\d/);
  });

  it('leaves placeholder-like text inside string literals alone', () => {
    const q = compiled(resolve(eq('detail.a?1 @p1', 'x')), 'd1');
    expect(inlineParams(q)).toContain(`'$.detail."a?1 @p1"'`);
  });
});
