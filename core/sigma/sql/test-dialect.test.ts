import { describe, expect, it } from 'vitest';
import type { ResolvedExpr, ResolvedRule } from '../ir';
import { and, contains, eq, fieldref, keyword, not, or, regex, sigmaCorrelation, sigmaRule } from '../pipeline/ir-builders';
import { resolveRule } from '../pipeline/resolve-rule';
import { compileAggregationWithDialect, compileCorrelationWithDialect, indexRulesByIdOrName } from './compile-correlation';
import { compileRuleWithDialect } from './compile-sql';
import type { SqlDialect } from './dialect';
import { testDialect } from './dialects/test-dialect';
import { inlineLiterals } from './params';
import { catalogMapping, predicateCatalog } from './predicate-catalog';

const resolve = (condition: Parameters<typeof sigmaRule>[0], name?: string): ResolvedRule => {
  const r = resolveRule(sigmaRule(condition, { logsource: catalogMapping.logsource, ...(name ? { name } : {}) }), [catalogMapping], { strict: false });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

/** The test dialect behind a proxy that records every token the generic compiler reads. */
function recording(): { dialect: SqlDialect; used: Set<string> } {
  const used = new Set<string>();
  const dialect = new Proxy(testDialect, {
    get(target, key, receiver) {
      if (typeof key === 'string') used.add(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { dialect, used };
}

const compile = (dialect: SqlDialect, resolved: ResolvedRule, options = {}) => {
  const r = compileRuleWithDialect(resolved, dialect, options);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

describe('the fake test dialect', () => {
  it('is driven through every token by the generic compiler', () => {
    const { dialect, used } = recording();
    for (const c of predicateCatalog) {
      const q = compile(dialect, resolve(c.condition), { timeWindow: true });
      inlineLiterals(q.sql, q.params, dialect);
    }
    compile(dialect, { ...resolve(eq('actor', 'x')), condition: { kind: 'const', value: false } satisfies ResolvedExpr });
    const rules = [resolve(eq('actor', 'x'), 'a'), resolve(eq('msg', 'y'), 'b'), resolve(regex('msg', 'z'), 'fuzzy')];
    const index = indexRulesByIdOrName(rules);
    for (const corr of [
      sigmaCorrelation('value_percentile', ['a'], { groupBy: ['ip'], condition: { field: 'asn', percentile: 90 } }),
      sigmaCorrelation('temporal_ordered', ['a', 'b'], { groupBy: ['ip'], condition: { op: 'gte', value: 2 } }),
    ]) {
      const r = compileCorrelationWithDialect(corr, index, dialect, { timeWindow: true });
      expect(r.ok).toBe(true);
    }
    expect(inlineLiterals('x = :P1: AND y = :P2:', [true, false], dialect)).toBe('x = T_YES AND y = T_NO');
    const refused = compileCorrelationWithDialect(sigmaCorrelation('event_count', ['fuzzy']), index, dialect, {});
    expect(!refused.ok && refused.errors[0]!.message).toContain('cannot be evaluated exactly in test');
    expect([...Object.keys(testDialect)].filter((k) => !used.has(k))).toEqual([]);
  });

  it('shows which token wrote each piece of a rule query', () => {
    const q = compile(testDialect, resolve(and(eq('actor', 'Al*ce'), eq('target.alternateId', 'B?b', true), not(regex('msg', 'x')), keyword('*k*'))), { timeWindow: true });
    // NOT regex: no regex in this dialect, so under NOT the atom is a subset (FALSE), NOT FALSE is TRUE, and
    // the AND drops it: the query is a superset and says so.
    expect(q.sql).toBe(
      'SELECT e.* FROM {mantissa}.{mantissa_okta} AS e WHERE (e.{event_time} > :P1: AND e.{event_time} <= :P2:) AND (' +
        '(T_CI_LIKE(T_COL_TEXT_string(e.{actor}), :P3:)) AND ' +
        "(T_ANY(e.{raw}, '$.target', j1, T_CS_LIKE(T_JSON_TEXT(e.{raw}, T_CONCAT(T_ELEMENT(j1), '.alternateId')), :P4:), T_NO_SLOT)) AND " +
        '((T_CI_LIKE(T_COL_TEXT_string(e.{message}), :P5:)) OR (T_CI_LIKE(T_COL_TEXT_string(e.{raw}), :P5:))))',
    );
    expect(q.params).toEqual([null, null, 'al<ci*>ce', 'B<cs?>b', '<ci*>k<ci*>']);
    expect(q.needsConfirmation).toBe(true);
  });

  it('uses the superset paths where it lacks a feature, and the subset under NOT', () => {
    const superset = compile(testDialect, resolve(or(regex('msg', 'x'), fieldref('actor', 'detail.owner', 'equals', true), contains('msg', 'été'))));
    expect(superset.sql).toContain('T_COL_TEXT_string(e.{message}) IS NOT NULL');
    expect(superset.sql).toContain('T_TEXT_EQ(T_LOWER(T_COL_TEXT_string(e.{actor})), T_LOWER(T_JSON_TEXT(e.{raw}, \'$.detail.owner\')))');
    expect(superset.params).toContain('<ci*>t<ci*>');
    const subset = compile(testDialect, resolve(not(fieldref('actor', 'detail.owner'))));
    expect(subset.sql).toContain('AND NOT (T_NON_ASCII(');
  });

  it('compiles a legacy aggregation with the correlation tokens', () => {
    const rule = resolve(eq('actor', 'x'));
    const r = compileAggregationWithDialect(
      { ...rule, aggregation: { function: 'avg', field: { kind: 'column', column: 'src_asn' }, groupBy: [{ kind: 'column', column: 'src_ip' }], op: 'gt', value: 3, timespanMs: 60_000 } },
      testDialect,
      { timeWindow: true },
    );
    expect(r.ok && r.value.sql).toMatch(/^WITH bounds AS \(SELECT :P1: AS window_start, :P2: AS window_end\), c0_ev AS \(SELECT u\.\*, T_DIV\(u\.ms, 60000\) AS bk FROM \(SELECT T_KEY\(T_COL_TEXT_string\(e\.\{src_ip\}\)\) AS g1, e\.\{event_time\} AS t, e\.\{event_time\} AS ft, T_MS\(e\.\{event_time\}\) AS ms, T_COL_NUM_integer\(e\.\{src_asn\}\) AS v FROM \{mantissa\}\.\{mantissa_okta\} AS e JOIN bounds AS b ON T_TRUE WHERE \(T_AFTER\(e\.\{event_time\}, b\.window_start, 60000\) AND e\.\{event_time\} <= b\.window_end\)/);
    expect(r.ok && r.value.sql).toContain('AVG(e.v) AS agg_value');
    expect(r.ok && r.value.sql).toContain('T_KEY_TEXT(f.g1) AS {src_ip}');
    // The window join goes through the time buckets: each anchor probes its bucket and the one before.
    expect(r.ok && r.value.sql).toContain('q.bk AS qb FROM c0_anchors AS q UNION ALL SELECT q.g1, q.t, q.ms, q.bk - 1 AS qb');
    expect(r.ok && r.value.sql).toContain('e.g1 = a.g1 AND e.bk = a.qb AND e.ms > a.ms - 60000 AND e.ms <= a.ms');
  });
});
