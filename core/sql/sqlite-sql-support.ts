/**
 * The D1 (SQLite) implementation of the NLQ pipeline's SQL port: the analyst validator, scope analysis and the
 * time-bound and LIMIT rewrites. The rewritten query is validated again with one more level of subquery allowed,
 * because the time bound wraps each read of `events` in a subquery of its own.
 */
import type { SqlSupport } from '../nlq/pipeline';
import { analystQueryPolicy, type QueryPolicy } from './query-policy';
import { addEventTimeBound, addRowLimit, analyzeQueryScope } from './query-scope';
import { validateQuery } from './validate-query';

export function sqliteSqlSupport(policy: QueryPolicy = analystQueryPolicy()): SqlSupport {
  const rewritten: QueryPolicy = { ...policy, maxSubqueryDepth: policy.maxSubqueryDepth + 1 };
  const check = (sql: string, p: QueryPolicy) => {
    const result = validateQuery(sql, p);
    if (!result.ok) return result;
    if (result.params.length > 0) {
      return { ok: false as const, reason: 'parameter_not_allowed', message: 'Natural-language queries take no parameters.' };
    }
    return { ok: true as const, sql: result.sql, tables: result.tables };
  };
  return {
    validate: (sql) => check(sql, policy),
    revalidate: (sql) => check(sql, rewritten),
    scope: analyzeQueryScope,
    addTimeBound: addEventTimeBound,
    addRowLimit,
  };
}
