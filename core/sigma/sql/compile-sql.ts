/**
 * Stage 3 of the Sigma engine, SQL backend: a resolved rule (or a correlation of resolved rules) → one SELECT
 * with bound parameters for D1, Athena, BigQuery or Synapse serverless, from ONE generic compiler driven by
 * the dialect tables of `dialects/` (STYLE.md 8). See README.md for the per-dialect table of what needs
 * confirmation and how correlations are computed.
 *
 * - `compileRuleSql`: `SELECT e.* FROM <sources> AS e WHERE [time window] AND [source filter] AND (<condition>)`;
 *   a rule with a legacy aggregation compiles like a correlation over itself.
 * - `needsConfirmation`: the SQL selects a superset; run `compileMatcher` on each returned row.
 * - `inlineParams`: the export form, every placeholder replaced by a literal escaped for the dialect.
 * - `bindTimeWindow`: puts the scheduled run's (window_start, window_end] into the first two parameters.
 */
import type { CompiledQuery, ResolvedRule, SigmaCorrelationIR, SigmaResult, SqlDialectName } from '../ir';
import { and, compileCondition, condSql, type ExprContext } from './compile-expr';
import { compileAggregationWithDialect, compileCorrelationWithDialect, type CompiledSql, type RulesByIdOrName } from './compile-correlation';
import type { ParamValue, SqlDialect } from './dialect';
import { athenaDialect } from './dialects/athena';
import { bigqueryDialect } from './dialects/bigquery';
import { d1Dialect } from './dialects/d1';
import { synapseDialect } from './dialects/synapse';
import { finalizeParams, inlineLiterals, newParamSink } from './params';
import { fromSources, type CompileSqlOptions } from './sources';

export type { CompileSqlOptions } from './sources';
export type { RulesByIdOrName, CorrelationInput } from './compile-correlation';
export { indexRulesByIdOrName } from './compile-correlation';

export const sqlDialects: Readonly<Record<SqlDialectName, SqlDialect>> = {
  d1: d1Dialect,
  athena: athenaDialect,
  bigquery: bigqueryDialect,
  synapse: synapseDialect,
};

/** The generic compiler, for any dialect table (the named dialects, or the fake test dialect). */
export function compileRuleWithDialect(resolved: ResolvedRule, dialect: SqlDialect, options: CompileSqlOptions = {}): SigmaResult<CompiledSql> {
  if (resolved.aggregation) return compileAggregationWithDialect(resolved, dialect, options);
  const sink = newParamSink();
  const ctx: ExprContext = { dialect, bind: sink.bind, row: 'e', errors: [], inexact: false, aliasCounter: 0 };
  const where: string[] = [];
  if (options.timeWindow) {
    const time = `e.${dialect.quoteIdent('event_time')}`;
    where.push(`${time} > ${sink.reserve()} AND ${time} <= ${sink.reserve()}`);
  }
  const from = fromSources(resolved.sources, dialect, options, sink.bind, 'e');
  if (!from.ok) return { ok: false, errors: [from.error] };
  if (from.filter) where.push(from.filter);
  const condition = compileCondition(resolved.condition, ctx);
  if (ctx.errors.length) return { ok: false, errors: ctx.errors };
  if (condition.kind !== 'true' || where.length === 0) where.push(condSql(dialect, and([condition])));
  const text = `SELECT e.* FROM ${from.from} WHERE ${where.map((w) => `(${w})`).join(' AND ')}`;
  const { sql, params } = finalizeParams(text, sink, dialect);
  return { ok: true, value: { sql, params, needsConfirmation: ctx.inexact }, warnings: [] };
}

function named(result: SigmaResult<CompiledSql>, dialect: SqlDialectName): SigmaResult<CompiledQuery> {
  return result.ok ? { ok: true, value: { dialect, ...result.value }, warnings: result.warnings } : result;
}

export function compileRuleSql(resolved: ResolvedRule, dialect: SqlDialectName, options: CompileSqlOptions = {}): SigmaResult<CompiledQuery> {
  return named(compileRuleWithDialect(resolved, sqlDialects[dialect], options), dialect);
}

/**
 * A correlation over rules (and correlations) referred to by id or name; `resolvedRulesByIdOrName` holds the
 * resolved rules and any chained correlations (see `indexRulesByIdOrName`).
 */
export function compileCorrelationSql(
  correlation: SigmaCorrelationIR,
  resolvedRulesByIdOrName: RulesByIdOrName,
  dialect: SqlDialectName,
  options: CompileSqlOptions = {},
): SigmaResult<CompiledQuery> {
  return named(compileCorrelationWithDialect(correlation, resolvedRulesByIdOrName, sqlDialects[dialect], options), dialect);
}

/** The export form: placeholders replaced by literals escaped for the query's dialect. */
export function inlineParams(query: CompiledQuery): string {
  return inlineLiterals(query.sql, query.params, sqlDialects[query.dialect]);
}

/** Binds the scheduled run's window into a query compiled with `timeWindow: true`. */
export function bindTimeWindow(query: CompiledQuery, window: { readonly start: string; readonly end: string }): CompiledQuery {
  const params: ParamValue[] = [window.start, window.end, ...query.params.slice(2)];
  return { ...query, params };
}
