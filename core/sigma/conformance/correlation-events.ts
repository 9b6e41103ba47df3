/**
 * Event sequences for correlations: per group, bursts of events of the correlated rules — as many as the
 * threshold, one less, one more, a few, many — spread over less than a timespan, just under it, just over it,
 * or far more, and placed across clock-aligned boundaries of the timespan (a window cut at the clock would
 * split them). Chained correlations get each member's burst in turn (in order, mostly). Events are copies of
 * template rows each base rule's matcher accepts (mostly) or refuses (some), so rule membership is real; the
 * group-by fields get the group's value and aggregated fields values drawn around what the condition needs.
 * Deterministic (seeded).
 *
 * Templates come from generated events over the test source (`fieldTableTemplates`) or from stored events of
 * real sources (the rules library's test events): the fields are set through the rule's own mapping.
 */
import type { ResolvedRule, SigmaCorrelationIR } from '../ir';
import { compileMatcher } from '../match/compile-matcher';
import { resolveField } from '../pipeline/resolve-field';
import { ABSENT, eventRows, generateEvents, prng, type FieldValue } from './event-generator';
import { matchableRow, type EventRow } from './events-database';
import type { FieldTable } from './field-table';

type Row = Record<string, unknown>;
type Lookup = ReadonlyMap<string, ResolvedRule | SigmaCorrelationIR>;

export interface RuleTemplates {
  readonly positives: readonly Row[];
  readonly negatives: readonly Row[];
}

export interface CorrelationDatasetOptions {
  readonly seed?: number;
  readonly groups?: number;
  /** Events with no group value, which no grouped correlation may count. */
  readonly ungrouped?: number;
  /** Epoch ms around which the bursts start (default 2026-01-05). */
  readonly clock?: number;
  /** A group-by field's value in the group of this index (default `g<index>`). */
  readonly groupValue?: (field: string, index: number) => string;
  /** Values of fields a value_count counts, per event index in the burst (default `v<i>`). */
  readonly distinctValue?: (field: string, index: number) => string;
}

/** Base rules of a correlation, following chained correlations (in `rules:` order, each once). */
export function baseRules(corr: SigmaCorrelationIR, lookup: Lookup): ResolvedRule[] {
  const out: ResolvedRule[] = [];
  const visit = (c: SigmaCorrelationIR, seen: Set<SigmaCorrelationIR>) => {
    if (seen.has(c)) return;
    seen.add(c);
    for (const ref of c.rules) {
      const item = lookup.get(ref);
      if (!item) continue;
      if ('kind' in item) visit(item, seen);
      else if (!out.includes(item)) out.push(item);
    }
  };
  visit(corr, new Set());
  return out;
}

function correlationFields(corr: SigmaCorrelationIR, lookup: Lookup): { groups: Set<string>; values: Set<string> } {
  const groups = new Set<string>();
  const values = new Set<string>();
  const visit = (c: SigmaCorrelationIR) => {
    c.groupBy.forEach((g) => groups.add(g));
    for (const aliases of Object.values(c.aliases)) Object.values(aliases).forEach((f) => groups.add(f));
    if (c.condition.field) {
      values.add(c.condition.field);
      for (const aliases of Object.values(c.aliases)) if (aliases[c.condition.field]) values.add(aliases[c.condition.field]!);
    }
    for (const ref of c.rules) {
      const item = lookup.get(ref);
      if (item && 'kind' in item && item !== c) visit(item);
    }
  };
  visit(corr);
  return { groups, values };
}

/** Sets a Sigma field of a stored row through the rule's mapping: a column, or a path inside `raw`. */
export function setField(row: Row, rule: ResolvedRule, field: string, value: FieldValue): void {
  const targets = resolveField(field, rule.mapping)?.targets ?? [];
  for (const target of targets) {
    if (target.kind === 'column') {
      row[target.column] = value === ABSENT ? null : typeof value === 'boolean' ? (value ? 1 : 0) : value;
      continue;
    }
    if (target.path.some((s) => s.array)) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(String(row.raw));
    } catch {
      continue;
    }
    if (raw === null || typeof raw !== 'object') continue;
    let node = raw as Record<string, unknown>;
    const keys = target.path.map((s) => s.key);
    for (const key of keys.slice(0, -1)) {
      if (node[key] === null || typeof node[key] !== 'object' || Array.isArray(node[key])) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    if (value === ABSENT) delete node[keys.at(-1)!];
    else node[keys.at(-1)!] = value;
    row.raw = JSON.stringify(raw);
  }
}

/** Templates from events generated over the test source, split by the rule's matcher. */
export function fieldTableTemplates(rule: ResolvedRule, table: FieldTable): RuleTemplates {
  const rows = eventRows(generateEvents([rule.rule], table, { randomEvents: 60 }), table);
  return splitByMatcher(rule, rows);
}

export function splitByMatcher(rule: ResolvedRule, rows: readonly Row[]): RuleTemplates {
  const matches = compileMatcher(rule);
  const positives = rows.filter((r) => rule.sources.includes(String(r.source)) && matches(matchableRow(r as EventRow)));
  const negatives = rows.filter((r) => !positives.includes(r));
  return { positives, negatives };
}

const counting = (c: SigmaCorrelationIR) => c.type === 'event_count' || c.type === 'value_count' || c.type === 'temporal' || c.type === 'temporal_ordered';
const minute = 60_000;

/** Rows of events for a correlation (event_uid `s:<n>` and event_time set), sorted by time. */
export function correlationRows(corr: SigmaCorrelationIR, lookup: Lookup, templates: (rule: ResolvedRule) => RuleTemplates, options: CorrelationDatasetOptions = {}): Row[] {
  const rnd = prng(options.seed ?? 7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const pools = new Map<ResolvedRule, RuleTemplates>();
  for (const rule of baseRules(corr, lookup)) {
    const t = templates(rule);
    if (t.positives.length === 0) throw new Error(`no template event matches ${rule.rule.title}`);
    pools.set(rule, t);
  }
  const { groups: groupFields, values: valueFields } = correlationFields(corr, lookup);
  const distinct = options.distinctValue ?? ((_field: string, i: number) => `v${i}`);
  const groupValue = options.groupValue ?? ((_field: string, g: number) => `g${g}`);
  const spreads = [0.4, 0.95, 1.05, 1.6, 4];
  const out: { row: Row; time: number }[] = [];

  /** One event of a rule in a group; aggregated fields drawn for the correlation `c` (the i-th of `count`). */
  const add = (rule: ResolvedRule, c: SigmaCorrelationIR, group: number | FieldValue, time: number, i: number, count: number) => {
    const pool = pools.get(rule)!;
    const row: Row = { ...(rnd() < 0.9 || pool.negatives.length === 0 ? pick(pool.positives) : pick(pool.negatives)) };
    for (const g of groupFields) setField(row, rule, g, typeof group === 'number' ? groupValue(g, group) : group);
    for (const v of valueFields) {
      setField(
        row,
        rule,
        v,
        c.type === 'value_count'
          ? // Mostly new values (so the distinct count can reach the threshold), some repeats.
            distinct(v, rnd() < 0.75 ? i : Math.floor(rnd() * 3))
          : rnd() < 0.05
            ? ABSENT
            : // Sums: values adding up near the threshold; averages and percentiles: values around it.
              Math.round(((0.4 + rnd() * 1.2) * c.condition.value) / (c.type === 'value_sum' ? Math.max(1, count) : 1)),
      );
    }
    out.push({ row, time });
  };

  /** A burst of a correlation's events for one group from `start`; returns the time of its last event. */
  const burst = (c: SigmaCorrelationIR, group: number | null, start: number): number => {
    const span = c.timespanMs;
    const members = c.rules.map((ref) => lookup.get(ref)!);
    const threshold = Math.max(1, Math.ceil(c.condition.value));
    if (members.every((m) => !('kind' in m))) {
      // Counting correlations: around the threshold; value aggregations: a few events whose values add up near it.
      const counts = counting(c) ? [1, threshold - 1, threshold, threshold + 1, Math.ceil(threshold * 1.5), 3] : [1, 2, 3, 5, 8, 12];
      const count = Math.max(1, pick(counts));
      const width = pick(spreads) * span;
      let last = start;
      for (let i = 0; i < count; i++) {
        // Ordered correlations mostly get their rules in order along the burst.
        const index =
          c.type === 'temporal_ordered' && rnd() < 0.8 ? Math.min(members.length - 1, Math.floor((i * members.length) / count)) : Math.floor(rnd() * members.length);
        last = Math.round(start + (count === 1 ? 0 : (width * i) / (count - 1)) + rnd() * 500);
        add(members[index] as ResolvedRule, c, group, last, i, count);
      }
      return last;
    }
    // Chained: each member's own burst in turn (in order, mostly), separated by gaps around the timespan.
    const order = c.type === 'temporal_ordered' && rnd() < 0.8 ? members : [...members].sort(() => rnd() - 0.5);
    let t = start;
    for (const m of order) {
      if ('kind' in m) t = burst(m, group, t);
      else {
        const k = 1 + Math.floor(rnd() * 2);
        for (let i = 0; i < k; i++) add(m, c, group, (t = t + Math.round(rnd() * 1000)), i, k);
      }
      t += Math.round((pick(spreads) * span) / members.length);
    }
    return t;
  };

  const clock = options.clock ?? Date.UTC(2026, 0, 5);
  const groupCount = options.groups ?? (corr.groupBy.length ? 12 : 1);
  for (let g = 0; g < groupCount; g++) {
    // Near a clock-aligned boundary of the timespan (hours for 1h, ten-minute marks for 10m…).
    const boundary = (Math.floor(clock / corr.timespanMs) + 1 + g * 6) * corr.timespanMs;
    burst(corr, corr.groupBy.length ? g : null, Math.round(boundary - corr.timespanMs * (0.2 + 0.6 * rnd())));
  }
  const firstRule = baseRules(corr, lookup)[0]!;
  if (corr.groupBy.length) for (let i = 0; i < (options.ungrouped ?? 4); i++) add(firstRule, corr, rnd() < 0.5 ? null : ABSENT, clock + i * minute, i, 4);
  out.sort((a, b) => a.time - b.time);
  return out.map(({ row, time }, i) => ({ ...row, event_uid: `s:${i}`, event_id: `s${i}`, event_time: new Date(time).toISOString() }));
}

export interface CorrelationDataset {
  readonly rows: Record<string, unknown>[];
}

/** A dataset over the test source of field-table.ts. */
export function correlationDataset(corr: SigmaCorrelationIR, lookup: Lookup, table: FieldTable, options: CorrelationDatasetOptions = {}): CorrelationDataset {
  const cache = new Map<ResolvedRule, RuleTemplates>();
  const templates = (rule: ResolvedRule) => {
    let t = cache.get(rule);
    if (!t) cache.set(rule, (t = fieldTableTemplates(rule, table)));
    return t;
  };
  return { rows: correlationRows(corr, lookup, templates, options) };
}
