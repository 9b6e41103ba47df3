/**
 * Correlations (Sigma correlation rules) and legacy aggregations (`| count() by x > N`) as SQL, for every
 * dialect, from ONE strategy:
 *
 * - `ev`: the events of every correlated rule (UNION ALL), each with its group key, time, epoch milliseconds,
 *   the aggregated value and the index of its rule. Events whose group key is NULL are left out. A chained
 *   correlation contributes its firing windows as events (time = the window's last event).
 * - Windows SLIDE: every distinct (group, event time) is an anchor, and its window is the events of the same
 *   group with time in (anchor − timespan, anchor] — a self-join on the group key and the time range. A burst
 *   inside any timespan is seen by the window anchored at its last event, wherever clock boundaries fall.
 * - The aggregate of each window (count, distinct values, sum, avg, min, max, percentile by linear
 *   interpolation over ROW_NUMBER ranks, distinct rules for `temporal`) is compared with the condition;
 *   `temporal_ordered` instead chains, from the last rule's event backwards, the latest earlier event of each
 *   previous rule within the timespan.
 * - Output: one row per group that fired: the group key columns, `first_seen`, `last_seen`, `count` (events in
 *   the window), `value` (the aggregate), as the alerting layer expects.
 * - Time window (scheduled runs): the detector binds (window_start, window_end] as the first two parameters
 *   (a `bounds` CTE, so positional dialects bind them once). Anchors are the events inside the run's window;
 *   events up to a timespan before it are read too, so a burst straddling two runs is found by the run that
 *   holds its last event, and by no other.
 *
 * A correlated rule the dialect can only evaluate as a superset (e.g. a regex on D1) cannot be confirmed row by
 * row after aggregation: that is an `unsupported_feature` error, never an inexact count.
 */
import type {
  CorrelationCondition,
  FieldTarget,
  ResolvedRule,
  SigmaCorrelationIR,
  SigmaError,
  SigmaResult,
  SourceLocation,
} from '../ir';
import { resolveField } from '../pipeline/resolve-field';
import { compileCondition, condSql, and, type ExprContext, targetNumber, targetText } from './compile-expr';
import type { ParamValue, SqlDialect } from './dialect';
import { finalizeParams, newParamSink } from './params';
import { fromSources, type CompileSqlOptions } from './sources';

export type CorrelationInput = ResolvedRule | SigmaCorrelationIR;
export type RulesByIdOrName = ReadonlyMap<string, CorrelationInput> | Readonly<Record<string, CorrelationInput>>;

/** Indexes rules and correlations by id and by name, as correlation `rules:` lists refer to them. */
export function indexRulesByIdOrName(items: readonly CorrelationInput[]): Map<string, CorrelationInput> {
  const index = new Map<string, CorrelationInput>();
  for (const item of items) {
    const { id, name } = 'kind' in item ? item : item.rule;
    if (id) index.set(id, item);
    if (name) index.set(name, item);
  }
  return index;
}

type AggregateKind = 'count' | 'distinct' | 'sum' | 'avg' | 'min' | 'max' | 'percentile' | 'temporal' | 'ordered';
type Op = CorrelationCondition['op'];

interface RuleMember {
  readonly kind: 'rule';
  readonly ref: string;
  readonly rule: ResolvedRule;
  readonly groups: readonly (readonly FieldTarget[])[];
  readonly value: readonly FieldTarget[] | null;
}

interface CorrelationMember {
  readonly kind: 'correlation';
  readonly ref: string;
  readonly plan: Plan;
  /** For each group of the outer plan, the index of the inner group holding it. */
  readonly groupIndexes: readonly number[];
}

type Member = RuleMember | CorrelationMember;

interface Plan {
  readonly label: string;
  readonly kind: AggregateKind;
  readonly percentile: number | null;
  readonly op: Op;
  readonly threshold: number;
  /** null: one window per group over the whole query window (legacy aggregation without timeframe). */
  readonly spanMs: number | null;
  readonly outputNames: readonly string[];
  readonly members: readonly Member[];
  /**
   * temporal_ordered: the rule sequences (member indexes, in the listed order) whose in-order occurrence fires
   * a window — every rule, or (a condition met by fewer rules, `gte: 2` of 3) every subsequence long enough.
   */
  readonly orderedChains: readonly (readonly number[])[];
  readonly location: SourceLocation | null;
}

/** Sequences of ordered chains a correlation may compile to (the SQL grows with each). */
const maxOrderedChains = 64;

/** How many subsequences of n elements have at least `min` of them (sums of binomial coefficients). */
function subsequenceCount(n: number, min: number): number {
  let total = 0;
  let choose = 1; // C(n, 0)
  for (let k = 0; k <= n; k++) {
    if (k >= min) total += choose;
    choose = (choose * (n - k)) / (k + 1);
  }
  return total;
}

/** Every subsequence of 0…n−1 (in order) with at least `min` elements (visiting only prefixes that can get there). */
function subsequences(n: number, min: number): number[][] {
  const out: number[][] = [];
  const extend = (seq: number[], next: number) => {
    if (seq.length >= min) out.push(seq);
    for (let i = next; i < n && seq.length + (n - i) >= min; i++) extend([...seq, i], i + 1);
  };
  extend([], 0);
  return out;
}

const reservedOutputs = new Set(['first_seen', 'last_seen', 'count', 'value']);

function lookup(rules: RulesByIdOrName, ref: string): CorrelationInput | undefined {
  return rules instanceof Map ? rules.get(ref) : (rules as Readonly<Record<string, CorrelationInput>>)[ref];
}

function evalOp(op: Op, a: number, b: number): boolean {
  return op === 'lt' ? a < b : op === 'lte' ? a <= b : op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'neq' ? a !== b : a === b;
}

function sanitizeName(name: string): string {
  const clean = name.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(clean) ? clean : `g_${clean}`;
}

function outputNames(names: readonly string[], targetsPerGroup: readonly (readonly (readonly FieldTarget[])[])[]): string[] {
  const used = new Set<string>();
  return names.map((name, i) => {
    const columns = new Set(targetsPerGroup[i]!.map((ts) => (ts.length === 1 && ts[0]!.kind === 'column' ? ts[0]!.column : null)));
    const column = columns.size === 1 ? [...columns][0] : null;
    let out = column ?? sanitizeName(name);
    if (reservedOutputs.has(out)) out = `group_${out}`;
    let unique = out;
    for (let n = 2; used.has(unique); n++) unique = `${out}_${n}`;
    used.add(unique);
    return unique;
  });
}

// ---- plans ----------------------------------------------------------------------------------------------

interface PlanContext {
  readonly rules: RulesByIdOrName;
  readonly errors: SigmaError[];
  readonly warnings: string[];
  readonly visiting: Set<SigmaCorrelationIR>;
}

function fieldTargets(member: ResolvedRule, name: string, ctx: PlanContext, location: SourceLocation): readonly FieldTarget[] {
  const resolution = resolveField(name, member.mapping);
  if (!resolution) {
    ctx.errors.push({ code: 'unmapped_field', message: `"${name}" is not a usable field name.`, location });
    return [];
  }
  if (!resolution.known) ctx.warnings.push(`Field "${name}" is not a known field of ${member.sources.join(', ')}; reading raw.${name}.`);
  return resolution.targets;
}

function planCorrelation(corr: SigmaCorrelationIR, ctx: PlanContext): Plan | null {
  const label = corr.name ?? corr.id ?? corr.title;
  const error = (code: SigmaError['code'], message: string) => {
    ctx.errors.push({ code, message, location: corr.location });
    return null;
  };
  if (ctx.visiting.has(corr)) return error('correlation', `Correlation "${label}" refers to itself through its rules.`);
  if (!(Number.isFinite(corr.timespanMs) && corr.timespanMs > 0)) return error('correlation', `Correlation "${label}" needs a positive timespan.`);
  if (corr.rules.length === 0) return error('correlation', `Correlation "${label}" correlates no rule.`);
  const { condition } = corr;
  const kind: AggregateKind = (
    {
      event_count: 'count',
      value_count: 'distinct',
      value_sum: 'sum',
      value_avg: 'avg',
      value_percentile: 'percentile',
      value_median: 'percentile',
      temporal: 'temporal',
      temporal_ordered: 'ordered',
    } as const
  )[corr.type];
  const percentile = corr.type === 'value_median' ? 50 : corr.type === 'value_percentile' ? condition.percentile : null;
  if (corr.type === 'value_percentile' && (percentile === null || !(percentile >= 0 && percentile <= 100))) {
    return error('correlation', `Correlation "${label}" (value_percentile) needs a percentile between 0 and 100.`);
  }
  const needsField = kind === 'distinct' || kind === 'sum' || kind === 'avg' || kind === 'percentile';
  if (needsField && !condition.field) return error('correlation', `Correlation "${label}" (${corr.type}) needs condition.field.`);
  if (!Number.isFinite(condition.value)) return error('correlation', `Correlation "${label}" has a non-numeric condition.`);
  // temporal_ordered counts the rules that occur in the listed order (spec: the count of different rules, which
  // "behaves like temporal" and "in addition" must appear in order). A gte/gt condition that fewer rules meet
  // fires on the longest in-order run of at least that many rules, skipped rules allowed.
  let orderedChains: number[][] = [];
  if (kind === 'ordered') {
    const n = corr.rules.length;
    const upward = condition.op === 'gte' || condition.op === 'gt';
    const fewest = upward ? Math.max(1, condition.op === 'gte' ? Math.ceil(condition.value) : Math.floor(condition.value) + 1) : n;
    if (upward && fewest < n) {
      const count = subsequenceCount(n, fewest);
      if (count > maxOrderedChains) {
        return error('unsupported_feature', `Correlation "${label}" (temporal_ordered) would compile ${count} rule sequences; at most ${maxOrderedChains} are supported.`);
      }
      orderedChains = subsequences(n, fewest);
    } else if (evalOp(condition.op, n, condition.value)) orderedChains = [Array.from({ length: n }, (_v, i) => i)];
    else {
      return error('unsupported_feature', `Correlation "${label}" (temporal_ordered): only a count of at least some of the ${n} rules (gte, gt), or all of them, can be met in order.`);
    }
  }

  ctx.visiting.add(corr);
  const members: Member[] = [];
  const aliasFor = (group: string, ref: string, item: CorrelationInput) => {
    const aliases = corr.aliases[group];
    if (!aliases) return group;
    const { id, name } = 'kind' in item ? item : item.rule;
    return aliases[ref] ?? (name ? aliases[name] : undefined) ?? (id ? aliases[id] : undefined) ?? group;
  };
  for (const ref of corr.rules) {
    const item = lookup(ctx.rules, ref);
    if (!item) {
      error('correlation', `Correlation "${label}" refers to "${ref}", which is not among the rules given.`);
      continue;
    }
    if ('kind' in item) {
      const inner = planCorrelation(item, ctx);
      if (!inner) continue;
      if (needsField) {
        error('unsupported_feature', `Correlation "${label}" aggregates a field over correlation "${ref}", whose windows have no fields.`);
        continue;
      }
      const groupIndexes = corr.groupBy.map((g) => item.groupBy.indexOf(aliasFor(g, ref, item)));
      const missing = corr.groupBy.filter((_g, i) => groupIndexes[i] === -1);
      if (missing.length) {
        error('correlation', `Correlation "${label}" groups by ${missing.join(', ')}, which correlation "${ref}" does not group by.`);
        continue;
      }
      members.push({ kind: 'correlation', ref, plan: inner, groupIndexes });
    } else {
      if (item.aggregation) {
        error('unsupported_feature', `Rule "${ref}" has its own aggregation and cannot be correlated.`);
        continue;
      }
      const groups = corr.groupBy.map((g) => fieldTargets(item, aliasFor(g, ref, item), ctx, corr.location));
      const value = needsField ? fieldTargets(item, aliasFor(condition.field!, ref, item), ctx, corr.location) : null;
      members.push({ kind: 'rule', ref, rule: item, groups, value });
    }
  }
  ctx.visiting.delete(corr);
  if (members.length !== corr.rules.length) return null;

  const targetsPerGroup = corr.groupBy.map((_g, i) =>
    members.flatMap((m) => (m.kind === 'rule' ? [m.groups[i]!] : [])),
  );
  return {
    label,
    kind,
    percentile,
    op: condition.op,
    threshold: condition.value,
    spanMs: corr.timespanMs,
    outputNames: outputNames(corr.groupBy, targetsPerGroup),
    members,
    orderedChains,
    location: corr.location,
  };
}

function planAggregation(resolved: ResolvedRule): Plan | SigmaError {
  const agg = resolved.aggregation!;
  const label = resolved.rule.name ?? resolved.rule.id ?? resolved.rule.title;
  // Legacy Sigma: count(field) counts distinct values of the field.
  const kind: AggregateKind = agg.function === 'count' ? (agg.field ? 'distinct' : 'count') : agg.function;
  if (kind !== 'count' && kind !== 'distinct' && !agg.field) {
    return { code: 'unsupported_feature', message: `${agg.function}() needs a field.`, location: resolved.rule.location };
  }
  if (agg.timespanMs !== null && !(Number.isFinite(agg.timespanMs) && agg.timespanMs > 0)) {
    return { code: 'invalid_value', message: 'The timeframe must be positive.', location: resolved.rule.location };
  }
  const groups = agg.groupBy.map((t) => [t]);
  const names = agg.groupBy.map((t) => (t.kind === 'column' ? t.column : t.path.map((s) => s.key).join('_')));
  return {
    label,
    kind,
    percentile: null,
    op: agg.op,
    threshold: agg.value,
    spanMs: agg.timespanMs,
    outputNames: outputNames(names, groups.map((g) => [g])),
    members: [{ kind: 'rule', ref: label, rule: { ...resolved, aggregation: null }, groups, value: agg.field ? [agg.field] : null }],
    orderedChains: [],
    location: resolved.rule.location,
  };
}

// ---- SQL ------------------------------------------------------------------------------------------------

interface Build {
  readonly dialect: SqlDialect;
  readonly ctx: ExprContext;
  readonly options: CompileSqlOptions;
  readonly ctes: string[];
  readonly windowed: boolean;
}

const groupCols = (n: number, alias?: string) => Array.from({ length: n }, (_v, i) => (alias ? `${alias}.g${i + 1}` : `g${i + 1}`));
const opSql: Record<Op, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=', eq: '=', neq: '<>' };

function memberSelect(member: Member, index: number, plan: Plan, extMs: number, b: Build): string | null {
  const { dialect, ctx } = b;
  const wantsRule = plan.kind === 'temporal' || plan.kind === 'ordered';
  const valueKind = plan.kind === 'distinct' ? 'text' : plan.kind === 'count' || wantsRule ? null : 'number';
  if (member.kind === 'correlation') {
    const fires = compilePlan(member.plan, `n${b.ctes.length}`, extMs + (plan.spanMs ?? 0), b);
    if (!fires) return null;
    const groups = member.groupIndexes.map((g, i) => `f.g${g + 1} AS g${i + 1}`);
    const cols = [...groups, 'f.t AS t', 'f.first_t AS ft', 'f.ms AS ms'];
    if (valueKind) cols.push('NULL AS v');
    if (wantsRule) cols.push(`${index} AS r`);
    return `SELECT ${cols.join(', ')} FROM ${fires} AS f`;
  }
  const from = fromSources(member.rule.sources, dialect, b.options, ctx.bind, 'e');
  if (!from.ok) {
    ctx.errors.push(from.error);
    return null;
  }
  const before = ctx.inexact;
  ctx.inexact = false;
  const condition = compileCondition(member.rule.condition, ctx);
  if (ctx.inexact) {
    ctx.errors.push({
      code: 'unsupported_feature',
      message: `Rule "${member.ref}" cannot be evaluated exactly in ${dialect.name} (it needs confirmation by the matcher), so ${plan.label} cannot aggregate it there.`,
      location: member.rule.rule.location,
    });
  }
  ctx.inexact = before;
  const time = `e.${dialect.quoteIdent('event_time')}`;
  const groups = member.groups.map((targets, i) => {
    const texts = targets.map((t) => targetText(t, ctx)).filter((t): t is string => t !== null);
    const text = texts.length === 0 ? 'NULL' : texts.length === 1 ? texts[0]! : `COALESCE(${texts.join(', ')})`;
    return `${dialect.groupKey(text)} AS g${i + 1}`;
  });
  const cols = [...groups, `${time} AS t`, `${time} AS ft`, `${dialect.timeMs(time)} AS ms`];
  if (valueKind) {
    const values = (member.value ?? []).map((t) => (valueKind === 'text' ? targetText(t, ctx) : targetNumber(t, ctx))).filter((v): v is string => v !== null);
    cols.push(`${values.length === 0 ? 'NULL' : values.length === 1 ? values[0]! : `COALESCE(${values.join(', ')})`} AS v`);
  }
  if (wantsRule) cols.push(`${index} AS r`);
  const where = [condSql(dialect, and([from.filter ? { kind: 'sql', sql: from.filter } : { kind: 'true' }, condition]))];
  let fromSql = from.from;
  if (b.windowed) {
    fromSql += ` JOIN bounds AS b ON ${dialect.trueSql}`;
    where.unshift(`${dialect.timeAfter(time, 'b.window_start', extMs + (plan.spanMs ?? 0))} AND ${time} <= b.window_end`);
  }
  return `SELECT ${cols.join(', ')} FROM ${fromSql} WHERE ${where.map((w) => `(${w})`).join(' AND ')}`;
}

/** Adds the CTEs of a plan; returns the name of its `fires` CTE (one row per qualifying window). */
function compilePlan(plan: Plan, prefixSeed: string, extMs: number, b: Build): string | null {
  const { dialect, ctx } = b;
  const p = `c${prefixSeed}`;
  const k = plan.outputNames.length;
  const selects: string[] = [];
  plan.members.forEach((m, i) => {
    const s = memberSelect(m, i, plan, extMs, b);
    if (s) selects.push(s);
  });
  if (selects.length !== plan.members.length) return null;
  const notNull = groupCols(k, 'u').map((g) => `${g} IS NOT NULL`);
  // Time buckets as wide as the timespan: an event inside the window (a.ms − span, a.ms] of an anchor is in the
  // anchor's bucket or the one before (buckets are at least a timespan wide, even where integer division
  // truncates toward zero), so the window join becomes an equality join on (group, bucket) that engines answer
  // with a hash or an automatic index, instead of comparing every anchor with every event of its group.
  // Measured on SQLite: 15–23× faster at 5,000–20,000 events per group and day, same rows (bench/detection-run).
  const bucketed = plan.spanMs !== null && plan.kind !== 'ordered';
  const bucket = bucketed ? `, ${dialect.intDiv('u.ms', String(plan.spanMs))} AS bk` : '';
  b.ctes.push(`${p}_ev AS (SELECT u.*${bucket} FROM (${selects.join(' UNION ALL ')}) AS u${notNull.length ? ` WHERE ${notNull.join(' AND ')}` : ''})`);

  const g = groupCols(k);
  const ga = groupCols(k, 'a');
  const sameGroup = g.map((col) => `e.${col} = a.${col}`);
  // Anchors: distinct (group, time) of the events inside the run's window (ordered: with the rule, since a
  // chain ends at an event of its last rule).
  const anchorFilters: string[] = [];
  const lastRules = [...new Set(plan.orderedChains.map((c) => c.at(-1)!))];
  if (plan.kind === 'ordered') anchorFilters.push(`x.r IN (${lastRules.join(', ')})`);
  let anchorFrom = `${p}_ev AS x`;
  if (b.windowed) {
    anchorFrom += ` JOIN bounds AS b ON ${dialect.trueSql}`;
    anchorFilters.push(dialect.timeAfter('x.t', 'b.window_start', extMs));
  }
  const anchorWhere = anchorFilters.length ? ` WHERE ${anchorFilters.join(' AND ')}` : '';
  if (plan.spanMs === null) {
    const byGroup = k ? ` GROUP BY ${groupCols(k, 'x').join(', ')}` : ' HAVING COUNT(*) > 0';
    b.ctes.push(`${p}_anchors AS (SELECT ${[...groupCols(k, 'x').map((c, i) => `${c} AS g${i + 1}`), 'MAX(x.t) AS t', 'MAX(x.ms) AS ms'].join(', ')} FROM ${anchorFrom}${anchorWhere}${byGroup})`);
  } else {
    const rule = plan.kind === 'ordered' ? ['x.r'] : [];
    const bk = bucketed ? ['x.bk'] : [];
    b.ctes.push(`${p}_anchors AS (SELECT DISTINCT ${[...groupCols(k, 'x'), 'x.t', 'x.ms', ...rule, ...bk].join(', ')} FROM ${anchorFrom}${anchorWhere})`);
  }
  const inWindow = plan.spanMs === null ? [] : [`e.ms > a.ms - ${plan.spanMs}`, 'e.ms <= a.ms'];
  const joinOn = [...sameGroup, ...(bucketed ? ['e.bk = a.qb'] : []), ...inWindow];
  const on = joinOn.length ? joinOn.join(' AND ') : dialect.trueSql;
  // Each anchor probes its own bucket and the one before; every event joins through exactly one of the two.
  const anchorCols = [...groupCols(k, 'q'), 'q.t', 'q.ms'];
  const probes = bucketed
    ? `(SELECT ${[...anchorCols, 'q.bk AS qb'].join(', ')} FROM ${p}_anchors AS q UNION ALL SELECT ${[...anchorCols, 'q.bk - 1 AS qb'].join(', ')} FROM ${p}_anchors AS q) AS a`
    : `${p}_anchors AS a`;
  const threshold = ctx.bind(plan.threshold as ParamValue);

  if (plan.kind === 'ordered') {
    // Per chain of rules (q0, …, qL−1): from each anchor of rule qL−1 walk back, taking the latest earlier (or
    // equal-time) event of each previous rule inside the timespan; the chain holds when every step finds one.
    const gs = groupCols(k, 's');
    const chainFires = plan.orderedChains.map((chain, ci) => {
      const L = chain.length;
      let prev = `${p}_k${ci}_s${L - 1}`;
      b.ctes.push(`${prev} AS (SELECT ${[...ga, 'a.t', 'a.ms', 'a.ms AS c'].join(', ')} FROM ${p}_anchors AS a WHERE a.r = ${chain[L - 1]})`);
      for (let j = L - 2; j >= 0; j--) {
        const name = `${p}_k${ci}_s${j}`;
        const cond = [`e.r = ${chain[j]}`, ...g.map((col) => `e.${col} = s.${col}`), 'e.ms <= s.c', `e.ms > s.ms - ${plan.spanMs}`].join(' AND ');
        b.ctes.push(
          `${name} AS (SELECT ${[...gs, 's.t', 's.ms', 'MAX(e.ms) AS c'].join(', ')} FROM ${prev} AS s JOIN ${p}_ev AS e ON ${cond} GROUP BY ${[...gs, 's.t', 's.ms', 's.c'].join(', ')})`,
        );
        prev = name;
      }
      // first_seen: the earliest event behind the chain's first step (a chained correlation's own first event).
      const first = [`e.r = ${chain[0]}`, ...g.map((col) => `e.${col} = s.${col}`), 'e.ms = s.c'].join(' AND ');
      return `SELECT ${[...gs, 's.t', 's.ms', 'MIN(e.ft) AS first_t', `${L} AS n`].join(', ')} FROM ${prev} AS s JOIN ${p}_ev AS e ON ${first} GROUP BY ${[...gs, 's.t', 's.ms'].join(', ')}`;
    });
    // One row per anchor: the longest chain ending there is the count of rules in order.
    const ok = groupCols(k, 'o');
    b.ctes.push(
      `${p}_win AS (SELECT ${[...ok, 'o.t', 'o.ms', 'MIN(o.first_t) AS first_t', 'MAX(o.n) AS n', 'MAX(o.n) AS agg_value'].join(', ')} FROM (${chainFires.join(' UNION ALL ')}) AS o GROUP BY ${[...ok, 'o.t', 'o.ms'].join(', ')})`,
    );
    b.ctes.push(`${p}_fires AS (SELECT * FROM ${p}_win AS w WHERE w.agg_value ${opSql[plan.op]} ${threshold})`);
    return `${p}_fires`;
  }

  const keys = [...ga, 'a.t', 'a.ms'];
  if (plan.kind === 'percentile') {
    const fraction = ctx.bind((plan.percentile ?? 50) / 100);
    b.ctes.push(`${p}_pairs AS (SELECT ${[...ga, 'a.t', 'a.ms', 'e.ft', 'e.v'].join(', ')} FROM ${probes} JOIN ${p}_ev AS e ON ${on} WHERE e.v IS NOT NULL)`);
    const partition = [...groupCols(k, 'x'), 'x.t'].join(', ');
    b.ctes.push(
      `${p}_ranked AS (SELECT x.*, ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY x.v) - 1 AS i, COUNT(*) OVER (PARTITION BY ${partition}) AS cnt FROM ${p}_pairs AS x)`,
    );
    const pos = `${dialect.toDouble('y.cnt - 1')} * ${fraction}`;
    const weight = `CASE WHEN ABS(y.i - ${pos}) < 1 THEN y.v * (1 - ABS(y.i - ${pos})) ELSE 0 END`;
    const yk = [...groupCols(k, 'y'), 'y.t', 'y.ms'];
    b.ctes.push(
      `${p}_win AS (SELECT ${[...yk, 'MIN(y.ft) AS first_t', 'COUNT(*) AS n', `SUM(${weight}) AS agg_value`].join(', ')} FROM ${p}_ranked AS y GROUP BY ${yk.join(', ')})`,
    );
  } else {
    const aggregate = {
      count: 'COUNT(*)',
      distinct: 'COUNT(DISTINCT e.v)',
      sum: 'SUM(e.v)',
      avg: 'AVG(e.v)',
      min: 'MIN(e.v)',
      max: 'MAX(e.v)',
      temporal: 'COUNT(DISTINCT e.r)',
    }[plan.kind];
    b.ctes.push(
      `${p}_win AS (SELECT ${[...keys, 'MIN(e.ft) AS first_t', 'COUNT(*) AS n', `${aggregate} AS agg_value`].join(', ')} FROM ${probes} JOIN ${p}_ev AS e ON ${on} GROUP BY ${keys.join(', ')})`,
    );
  }
  b.ctes.push(`${p}_fires AS (SELECT * FROM ${p}_win AS w WHERE w.agg_value ${opSql[plan.op]} ${threshold})`);
  return `${p}_fires`;
}

export interface CompiledSql {
  readonly sql: string;
  readonly params: ParamValue[];
  readonly needsConfirmation: boolean;
}

function compilePlanSql(plan: Plan, dialect: SqlDialect, options: CompileSqlOptions, warnings: readonly string[]): SigmaResult<CompiledSql> {
  const sink = newParamSink();
  const ctx: ExprContext = { dialect, bind: sink.bind, row: 'e', errors: [], inexact: false, aliasCounter: 0 };
  const b: Build = { dialect, ctx, options, ctes: [], windowed: options.timeWindow === true };
  if (b.windowed) b.ctes.push(`bounds AS (SELECT ${sink.reserve()} AS window_start, ${sink.reserve()} AS window_end)`);
  const fires = compilePlan(plan, '0', 0, b);
  if (!fires || ctx.errors.length) return { ok: false, errors: ctx.errors.length ? ctx.errors : [{ code: 'correlation', message: `Cannot compile ${plan.label}.`, location: plan.location }] };
  const k = plan.outputNames.length;
  const outputs = [
    ...groupCols(k, 'f').map((c, i) => `${dialect.groupKeyText(c)} AS ${dialect.quoteIdent(plan.outputNames[i]!)}`),
    `MIN(f.first_t) AS ${dialect.quoteIdent('first_seen')}`,
    `MAX(f.t) AS ${dialect.quoteIdent('last_seen')}`,
    `MAX(f.n) AS ${dialect.quoteIdent('count')}`,
    `${plan.op === 'lt' || plan.op === 'lte' ? 'MIN' : 'MAX'}(f.agg_value) AS ${dialect.quoteIdent('value')}`,
  ];
  const groupBy = k ? ` GROUP BY ${groupCols(k, 'f').join(', ')}` : '';
  const text = `WITH ${b.ctes.join(', ')} SELECT ${outputs.join(', ')} FROM ${fires} AS f${groupBy} HAVING COUNT(*) > 0`;
  const { sql, params } = finalizeParams(text, sink, dialect);
  return { ok: true, value: { sql, params, needsConfirmation: false }, warnings };
}

export function compileCorrelationWithDialect(
  correlation: SigmaCorrelationIR,
  rules: RulesByIdOrName,
  dialect: SqlDialect,
  options: CompileSqlOptions,
): SigmaResult<CompiledSql> {
  const ctx: PlanContext = { rules, errors: [], warnings: [], visiting: new Set() };
  const plan = planCorrelation(correlation, ctx);
  if (!plan || ctx.errors.length) return { ok: false, errors: ctx.errors };
  return compilePlanSql(plan, dialect, options, ctx.warnings);
}

export function compileAggregationWithDialect(resolved: ResolvedRule, dialect: SqlDialect, options: CompileSqlOptions): SigmaResult<CompiledSql> {
  const plan = planAggregation(resolved);
  if ('code' in plan) return { ok: false, errors: [plan] };
  return compilePlanSql(plan, dialect, options, []);
}
