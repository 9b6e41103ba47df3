/**
 * A plan → one SQLite SELECT for D1, with an explanation. Identifiers come only from the plan's closed
 * vocabularies (dimensions, table names); every value is a literal made by sql-literal.ts. Output column names
 * are fixed per shape (`count`, `first_seen`, `last_seen`, `hour`, `day`, the grouped columns by name), so the
 * UI and the evaluation can read them.
 */
import { defaultListLimit, dimensionLabels, maxLimit, type Dimension, type QueryPlan } from './plan';
import { sqlString } from './sql-literal';
import { defaultRange, type TimeRange } from './time-range';

export interface RenderedQuery {
  readonly sql: string;
  readonly explanation: string;
  readonly assumptions: readonly string[];
  readonly timeRange: { readonly from: string; readonly to: string };
}

const eventListColumns = ['event_time', 'source', 'action', 'outcome', 'actor', 'src_ip', 'src_country', 'service', 'target'];
const alertListColumns = ['id', 'last_seen', 'first_seen', 'severity', 'status', 'rule_name', 'title', '"count"'];

export function renderPlan(plan: QueryPlan, now: Date): RenderedQuery {
  const assumptions = [...plan.assumptions];
  let range: TimeRange;
  if (plan.time) {
    range = plan.time;
    assumptions.unshift(plan.time.assumption);
  } else {
    range = defaultRange(now);
    assumptions.unshift(range.assumption);
  }
  assumptions.push('times are UTC');
  const timeColumn = plan.table === 'alerts' ? 'last_seen' : 'event_time';
  if (plan.table === 'alerts') assumptions.push("an alert is in the time range when it was last seen in it (last_seen)");
  const where = [
    `${timeColumn} >= ${sqlString(range.from)}`,
    `${timeColumn} < ${sqlString(range.to)}`,
    ...plan.filters.map((f) => f.sqlFor?.(range) ?? f.sql).map((sql) => (/\s(?:OR|AND)\s/.test(sql) && !isWrapped(sql) ? `(${sql})` : sql)),
  ];
  const shape = plan.shape;
  const from = `FROM ${plan.table}`;
  const whereSql = (extra: string[] = []) => `WHERE ${[...where, ...extra].join(' AND ')}`;
  let sql: string;
  let what: string;
  switch (shape.kind) {
    case 'list': {
      const columns = plan.table === 'alerts' ? alertListColumns : eventListColumns;
      const order = shape.order === 'newest' ? 'DESC' : 'ASC';
      const tiebreak = plan.table === 'alerts' ? 'id' : 'event_uid';
      sql = `SELECT ${columns.join(', ')} ${from} ${whereSql()} ORDER BY ${timeColumn} ${order}, ${tiebreak} ${order} LIMIT ${Math.min(shape.limit, maxLimit)}`;
      what = shape.limit === 1 ? `The ${shape.order === 'newest' ? 'most recent' : 'first'} ${noun(plan)}` : `${shape.order === 'newest' ? 'The latest' : 'The earliest'} ${shape.limit === defaultListLimit ? `${noun(plan)} (at most ${defaultListLimit})` : `${shape.limit} ${noun(plan)}`}`;
      break;
    }
    case 'count':
      sql = `SELECT COUNT(*) AS "count" ${from} ${whereSql()}`;
      what = `The number of ${noun(plan)}`;
      break;
    case 'count_distinct':
      sql = `SELECT COUNT(DISTINCT ${shape.dimension}) AS "count" ${from} ${whereSql()}`;
      what = `The number of distinct ${plural(dimensionLabels[shape.dimension])} in ${noun(plan)}`;
      break;
    case 'when':
      sql = `SELECT ${whenColumns(shape.which, timeColumn)}, COUNT(*) AS "count" ${from} ${whereSql()}`;
      what = `When ${noun(plan)} ${shape.which === 'first' ? 'first' : shape.which === 'last' ? 'last' : 'first and last'} happened`;
      break;
    case 'group': {
      const dims = shape.dimensions;
      const metric = shape.metric ?? { kind: 'count' as const };
      const metricSql =
        metric.kind === 'count' ? 'COUNT(*) AS "count"'
        : metric.kind === 'distinct' ? `COUNT(DISTINCT ${metric.dimension}) AS "count"`
        : `${whenColumns(metric.which, timeColumn)}, COUNT(*) AS "count"`;
      const rankBy = metric.kind === 'when' ? (metric.which === 'first' ? 'first_seen' : 'last_seen') : '"count"';
      const direction = metric.kind === 'when' ? (metric.which === 'first' ? 'ASC' : 'DESC') : shape.order === 'most' ? 'DESC' : 'ASC';
      const limit = Math.min(shape.limit ?? defaultListLimit, maxLimit);
      sql = `SELECT ${dims.join(', ')}, ${metricSql} ${from} ${whereSql(dims.map((d) => `${d} IS NOT NULL`))} GROUP BY ${dims.join(', ')} ORDER BY ${rankBy} ${direction}, ${dims.join(', ')} LIMIT ${limit}`;
      const dimText = dims.map((d) => dimensionLabels[d]).join(' and ');
      const metricText = metric.kind === 'count' ? `${noun(plan)}` : metric.kind === 'distinct' ? `distinct ${plural(dimensionLabels[metric.dimension])} in ${noun(plan)}` : `${noun(plan)}, with when they ${metric.which === 'first' ? 'first' : metric.which === 'last' ? 'last' : 'first and last'} happened`;
      what = shape.limit !== null
        ? `The ${shape.limit === 1 ? dimText : `${shape.limit} ${plural(dimText)}`} with the ${shape.order === 'most' ? 'most' : 'fewest'} ${metricText}`
        : `${capitalise(metricText)} by ${dimText}`;
      assumptions.push(`${noun(plan)} without a known ${dimText} are left out of the grouping`);
      break;
    }
    case 'trend': {
      const bucket = shape.bucket === 'hour' ? `substr(${timeColumn}, 1, 13) || ':00Z' AS hour` : `substr(${timeColumn}, 1, 10) AS day`;
      const name = shape.bucket;
      const dims = shape.dimensions;
      const keys = [name, ...dims];
      sql = `SELECT ${[bucket, ...dims].join(', ')}, COUNT(*) AS "count" ${from} ${whereSql(dims.map((d) => `${d} IS NOT NULL`))} GROUP BY ${keys.join(', ')} ORDER BY ${keys.join(', ')} LIMIT ${maxLimit}`;
      what = `${capitalise(noun(plan))} per ${name}${dims.length ? ` and ${dims.map((d) => dimensionLabels[d]).join(' and ')}` : ''}`;
      assumptions.push(`${shape.bucket}s without any ${noun(plan)} are not listed`);
      break;
    }
  }
  const label = plan.time ? plan.time.label : range.label;
  return {
    sql,
    explanation: `${what}, ${label}.`,
    assumptions: [...new Set(assumptions)],
    timeRange: { from: range.from, to: range.to },
  };
}

function whenColumns(which: 'first' | 'last' | 'both', column: string): string {
  if (which === 'first') return `MIN(${column}) AS first_seen`;
  if (which === 'last') return `MAX(${column}) AS last_seen`;
  return `MIN(${column}) AS first_seen, MAX(${column}) AS last_seen`;
}

function isWrapped(sql: string): boolean {
  if (!sql.startsWith('(') || !sql.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < sql.length; i++) {
    if (sql[i] === "'") {
      i = sql.indexOf("'", i + 1);
      while (sql[i + 1] === "'") i = sql.indexOf("'", i + 2);
      continue;
    }
    if (sql[i] === '(') depth++;
    if (sql[i] === ')') depth--;
    if (depth === 0 && i < sql.length - 1) return false;
  }
  return true;
}

function noun(plan: QueryPlan): string {
  const category = plan.filters.find((f) => f.key === 'category');
  const outcome = plan.filters.find((f) => f.key === 'outcome');
  const base = category?.label ?? (plan.table === 'alerts' ? 'alerts' : 'events');
  const rest = plan.filters.filter((f) => f !== category && f !== outcome).map((f) => f.label);
  return [outcome?.label, base, ...rest].filter(Boolean).join(' ');
}

function plural(word: string): string {
  if (/(?:s|x)$/.test(word)) return word;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export type { Dimension };
