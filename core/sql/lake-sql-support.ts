/**
 * The lake engines' implementation of the NLQ pipeline's SQL port (Athena, BigQuery, Synapse serverless): the
 * dialect validator (validate-dialect-query), scope analysis and the time-bound, partition and row-limit rewrites
 * (lake-query-scope).
 *
 * Invariants:
 * - What `validate` returns passed validateLakeQuery under the caller's policy. When a read of `events` is bounded
 *   by literal times but has no predicate on the `date` partition column, `validate` adds the one the bound
 *   implies and validates the result again: the pipeline calls addTimeBound only for unbounded queries, and
 *   without that predicate the engine would scan (and bill) every partition while the cost estimate counted only
 *   the range. The added predicate never changes the result (see lake-query-scope).
 * - Everything `validate` accepts can be read back by the scope analysis (it is parsed there once already), so the
 *   later ports never meet SQL they cannot parse.
 * - The pipeline's rewrite is validated again with one more level of subquery allowed, because the time bound
 *   wraps each unbounded read of `events` in a subquery of its own.
 */
import type { SqlCheck, SqlSupport } from '../nlq/pipeline';
import { addLakePartitionFilters, addLakeRowLimit, addLakeTimeBound, analyzeLakeQueryScope } from './lake-query-scope';
import { validateLakeQuery, type LakeDialect, type LakeQueryPolicy } from './validate-dialect-query';

export function lakeSqlSupport(dialect: LakeDialect, policy: LakeQueryPolicy): SqlSupport {
  const rewritten: LakeQueryPolicy = { ...policy, maxSubqueryDepth: policy.maxSubqueryDepth + 1 };
  const check = (sql: string, p: LakeQueryPolicy): SqlCheck => {
    const result = validateLakeQuery(sql, dialect, p);
    return result.ok ? { ok: true, sql: result.sql, tables: result.tables } : { ok: false, reason: result.reason, message: result.message };
  };
  return {
    validate: (sql) => {
      const checked = check(sql, policy);
      if (!checked.ok) return checked;
      let pruned: { sql: string; added: boolean };
      try {
        pruned = addLakePartitionFilters(checked.sql, dialect, policy);
      } catch {
        // The scope analysis reads the validator's output with the same parser; where that parser cannot read its
        // own output back (a T-SQL CTE named with a space), the query cannot be bounded or costed: refuse it.
        return {
          ok: false,
          reason: 'parse_error',
          message: 'The query could not be checked safely: its checked form cannot be read back. Name CTEs and aliases with plain words (letters, digits, _).',
        };
      }
      return pruned.added ? check(pruned.sql, policy) : checked;
    },
    revalidate: (sql) => check(sql, rewritten),
    scope: (sql, now) => analyzeLakeQueryScope(sql, dialect, policy, now),
    addTimeBound: (sql, range) => addLakeTimeBound(sql, dialect, policy, range),
    addRowLimit: (sql, max) => addLakeRowLimit(sql, dialect, max),
  };
}
