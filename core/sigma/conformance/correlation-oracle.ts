/**
 * A brute-force evaluation of Sigma correlations in JavaScript, the reference the SQL correlations are held to.
 * Written from the specification and sql/README.md ("Correlations"), not from the SQL compiler:
 *
 * - The events of a correlated rule are the stored rows of its sources its streaming matcher accepts; a chained
 *   correlation contributes its firing windows as events (time = the window's anchor, first time = the
 *   window's first event). Group values are the text of the group-by field (aliases applied; several targets:
 *   the first with a value); an event without one is left out.
 * - Every distinct (group, time) of those events is a window's anchor (for temporal_ordered, the events of
 *   the last rule); the window holds the group's events with time in (anchor − timespan, anchor]. Nothing is
 *   cut at clock boundaries.
 * - A window fires when its aggregate satisfies the condition: event count, distinct values, sum, average,
 *   percentile by linear interpolation (over the events that have a value), distinct rules (temporal);
 *   temporal_ordered fires when events of rule 1, 2, …, n occur in that order (equal times allowed) inside the
 *   window — checked by scanning forward from the earliest candidate of rule 1.
 * - A group fires when one of its windows does: first_seen (earliest first event of its firing windows),
 *   last_seen (latest anchor), count (largest window), value (largest aggregate; smallest for lt/lte).
 * - With a run window (start, end]: only anchors inside it count for the outermost correlation.
 */
import type { CorrelationCondition, FieldTarget, ResolvedRule, SigmaCorrelationIR } from '../ir';
import { compileMatcher, targetProbe, type MatchableEvent } from '../match/compile-matcher';
import { numberOf, textOf } from '../match/semantics';
import { resolveField } from '../pipeline/resolve-field';
import type { CorrelationInput } from '../sql/compile-sql';
import { matchableRow, type EventRow } from './events-database';

interface MemberEvent {
  readonly groups: readonly string[];
  readonly t: string;
  readonly ms: number;
  readonly ft: string;
  readonly v: string | number | undefined;
  readonly r: number;
}

export interface FiringWindow {
  readonly groups: readonly string[];
  readonly t: string;
  readonly ms: number;
  readonly firstT: string;
  readonly n: number;
  readonly value: number;
}

export interface FiringGroup {
  readonly groups: readonly string[];
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly count: number;
  readonly value: number;
}

function evalOp(op: CorrelationCondition['op'], a: number, b: number): boolean {
  return op === 'lt' ? a < b : op === 'lte' ? a <= b : op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'neq' ? a !== b : a === b;
}

function aliasFor(corr: SigmaCorrelationIR, group: string, ref: string, item: CorrelationInput): string {
  const aliases = corr.aliases[group];
  if (!aliases) return group;
  const { id, name } = 'kind' in item ? item : item.rule;
  return aliases[ref] ?? (name ? aliases[name] : undefined) ?? (id ? aliases[id] : undefined) ?? group;
}

function reader(rule: ResolvedRule, name: string): (event: MatchableEvent) => unknown {
  const targets: readonly FieldTarget[] = resolveField(name, rule.mapping)?.targets ?? [];
  const probes = targets.map(targetProbe);
  return (event) => {
    for (const probe of probes) {
      let found: unknown;
      probe(event, (value) => {
        found = value;
        return true;
      });
      if (found !== undefined && found !== null && textOf(found) !== undefined) return found;
    }
    return undefined;
  };
}

const key = (groups: readonly string[]) => JSON.stringify(groups);
const timeMs = (t: string) => Date.parse(t);

type Lookup = ReadonlyMap<string, CorrelationInput>;

function memberEvents(corr: SigmaCorrelationIR, lookup: Lookup, rows: readonly EventRow[]): MemberEvent[] {
  const valueKind = corr.type === 'value_count' ? 'text' : corr.type === 'event_count' || corr.type.startsWith('temporal') ? null : 'number';
  const out: MemberEvent[] = [];
  corr.rules.forEach((ref, r) => {
    const item = lookup.get(ref);
    if (!item) throw new Error(`correlation ${corr.title}: no rule ${ref}`);
    if ('kind' in item) {
      const inner = windows(item, lookup, rows);
      const indexes = corr.groupBy.map((g) => item.groupBy.indexOf(aliasFor(corr, g, ref, item)));
      for (const w of inner) out.push({ groups: indexes.map((i) => w.groups[i]!), t: w.t, ms: w.ms, ft: w.firstT, v: undefined, r });
      return;
    }
    const matches = compileMatcher(item);
    const groupReaders = corr.groupBy.map((g) => reader(item, aliasFor(corr, g, ref, item)));
    const valueReader = valueKind && corr.condition.field ? reader(item, aliasFor(corr, corr.condition.field, ref, item)) : null;
    for (const row of rows) {
      if (!item.sources.includes(String(row.source))) continue;
      const event = matchableRow(row);
      if (!matches(event)) continue;
      const groups = groupReaders.map((read) => textOf(read(event)));
      if (groups.some((g) => g === undefined)) continue;
      const raw = valueReader ? valueReader(event) : undefined;
      const v = raw === undefined ? undefined : valueKind === 'text' ? textOf(raw) : numberOf(raw);
      const t = String(row.event_time);
      out.push({ groups: groups as string[], t, ms: timeMs(t), ft: t, v, r });
    }
  });
  return out;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * fraction;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! * (1 - (pos - lo)) + sorted[hi]! * (pos - lo);
}

/** Every firing window of a correlation (anchors over all events). */
export function windows(corr: SigmaCorrelationIR, lookup: Lookup, rows: readonly EventRow[]): FiringWindow[] {
  const events = memberEvents(corr, lookup, rows);
  const span = corr.timespanMs;
  const chains = orderedChains(corr);
  const byGroup = new Map<string, MemberEvent[]>();
  for (const e of events) {
    const list = byGroup.get(key(e.groups)) ?? [];
    list.push(e);
    byGroup.set(key(e.groups), list);
  }
  const out: FiringWindow[] = [];
  for (const groupEvents of byGroup.values()) {
    const anchors = new Map<string, MemberEvent>();
    const anchorRules = new Map<string, Set<number>>();
    for (const e of groupEvents) {
      if (corr.type === 'temporal_ordered' && !chains.some((c) => c.at(-1) === e.r)) continue;
      anchors.set(`${e.ms}|${e.t}`, e);
      anchorRules.set(`${e.ms}|${e.t}`, (anchorRules.get(`${e.ms}|${e.t}`) ?? new Set()).add(e.r));
    }
    for (const [at, anchor] of anchors) {
      const inWindow = groupEvents.filter((e) => e.ms > anchor.ms - span && e.ms <= anchor.ms);
      const fired =
        corr.type === 'temporal_ordered' ? evaluateOrdered(corr, chains, anchor, anchorRules.get(at)!, inWindow) : evaluateWindow(corr, inWindow);
      if (fired) out.push({ groups: anchor.groups, t: anchor.t, ms: anchor.ms, ...fired });
    }
  }
  return out;
}

/**
 * The rule sequences whose in-order occurrence counts for temporal_ordered: the spec counts the different rules
 * matching, in the listed order. A gte/gt condition met by fewer rules than listed: every in-order subsequence
 * with at least that many rules (rules may be skipped); otherwise all the rules.
 */
function orderedChains(corr: SigmaCorrelationIR): number[][] {
  const n = corr.rules.length;
  const all = Array.from({ length: n }, (_v, i) => i);
  const { op, value } = corr.condition;
  const fewest = op === 'gte' ? Math.max(1, Math.ceil(value)) : op === 'gt' ? Math.max(1, Math.floor(value) + 1) : n;
  if (fewest >= n) return [all];
  const out: number[][] = [];
  const extend = (chain: number[], next: number) => {
    if (chain.length >= fewest) out.push(chain);
    for (let r = next; r < n && chain.length + (n - r) >= fewest; r++) extend([...chain, r], r + 1);
  };
  extend([], 0);
  return out;
}

/**
 * A window of temporal_ordered anchored at events of `anchorRules`: for each rule sequence ending with one of
 * them, events of its rules in that order (equal times allowed) inside the window; the count is the longest
 * such sequence.
 */
function evaluateOrdered(
  corr: SigmaCorrelationIR,
  chains: readonly number[][],
  anchor: MemberEvent,
  anchorRules: ReadonlySet<number>,
  inWindow: readonly MemberEvent[],
): { firstT: string; n: number; value: number } | null {
  type Fired = { firstT: string; n: number; value: number };
  let best = null as Fired | null;
  for (const chain of chains) {
    if (!anchorRules.has(chain.at(-1)!)) continue;
    // Forward scan: the earliest possible event of each rule, at or after the previous one.
    let at = -Infinity;
    let complete = true;
    for (const r of chain) {
      const next = inWindow.filter((e) => e.r === r && e.ms >= at && e.ms <= anchor.ms).sort((a, b) => a.ms - b.ms)[0];
      if (!next) {
        complete = false;
        break;
      }
      at = next.ms;
    }
    if (!complete) continue;
    // first_seen: the first event behind the latest chain that ends at the anchor.
    let bound = anchor.ms;
    let first: MemberEvent[] = inWindow.filter((e) => e.r === chain[0] && e.ms === anchor.ms);
    for (let j = chain.length - 2; j >= 0; j--) {
      const candidates = inWindow.filter((e) => e.r === chain[j] && e.ms <= bound);
      bound = Math.max(...candidates.map((e) => e.ms));
      first = candidates.filter((e) => e.ms === bound);
    }
    const firstT = first.map((e) => e.ft).sort()[0] ?? anchor.ft;
    const n = chain.length;
    best = best ? { firstT: firstT < best.firstT ? firstT : best.firstT, n: Math.max(n, best.n), value: Math.max(n, best.value) } : { firstT, n, value: n };
  }
  return best && evalOp(corr.condition.op, best.value, corr.condition.value) ? best : null;
}

function evaluateWindow(corr: SigmaCorrelationIR, inWindow: readonly MemberEvent[]): { firstT: string; n: number; value: number } | null {
  const { op, value: threshold } = corr.condition;
  const earliest = (list: readonly MemberEvent[]) => list.map((e) => e.ft).sort()[0]!;
  let agg: number | null;
  let counted = inWindow;
  switch (corr.type) {
    case 'event_count':
      agg = inWindow.length;
      break;
    case 'value_count':
      agg = new Set(inWindow.flatMap((e) => (e.v === undefined ? [] : [e.v]))).size;
      break;
    case 'temporal':
      agg = new Set(inWindow.map((e) => e.r)).size;
      break;
    case 'temporal_ordered':
      return null; // evaluateOrdered
    case 'value_sum':
    case 'value_avg': {
      const values = inWindow.flatMap((e) => (typeof e.v === 'number' ? [e.v] : []));
      const sum = values.reduce((a, b) => a + b, 0);
      agg = values.length === 0 ? null : corr.type === 'value_sum' ? sum : sum / values.length;
      break;
    }
    case 'value_percentile':
    case 'value_median': {
      counted = inWindow.filter((e) => typeof e.v === 'number');
      if (counted.length === 0) return null;
      const fraction = (corr.type === 'value_median' ? 50 : (corr.condition.percentile ?? 50)) / 100;
      agg = percentile(counted.map((e) => e.v as number), fraction);
      break;
    }
  }
  if (agg === null || !evalOp(op, agg, threshold)) return null;
  return { firstT: earliest(counted), n: counted.length, value: agg };
}

export interface OracleOptions {
  /** A scheduled run's window (start, end]: only windows anchored inside it count. */
  readonly window?: { readonly start: string; readonly end: string };
}

/** The groups a correlation fires for, keyed by the JSON of their group values. */
export function firingGroups(corr: SigmaCorrelationIR, lookup: Lookup, rows: readonly EventRow[], options: OracleOptions = {}): Map<string, FiringGroup> {
  const lowIsBetter = corr.condition.op === 'lt' || corr.condition.op === 'lte';
  const start = options.window ? timeMs(options.window.start) : -Infinity;
  const end = options.window ? timeMs(options.window.end) : Infinity;
  const out = new Map<string, FiringGroup>();
  for (const w of windows(corr, lookup, rows)) {
    if (!(w.ms > start && w.ms <= end)) continue;
    const k = key(w.groups);
    const prev = out.get(k);
    out.set(
      k,
      prev
        ? {
            groups: w.groups,
            firstSeen: w.firstT < prev.firstSeen ? w.firstT : prev.firstSeen,
            lastSeen: w.ms > timeMs(prev.lastSeen) ? w.t : prev.lastSeen,
            count: Math.max(prev.count, w.n),
            value: lowIsBetter ? Math.min(prev.value, w.value) : Math.max(prev.value, w.value),
          }
        : { groups: w.groups, firstSeen: w.firstT, lastSeen: w.t, count: w.n, value: w.value },
    );
  }
  return out;
}

/** The SQL's output rows in the same shape (group columns first, then first_seen, last_seen, count, value). */
export function sqlFiringGroups(rows: readonly Readonly<Record<string, unknown>>[], groupCount: number): Map<string, FiringGroup> {
  const out = new Map<string, FiringGroup>();
  for (const row of rows) {
    const values = Object.values(row);
    const groups = values.slice(0, groupCount).map((v) => String(v));
    out.set(key(groups), {
      groups,
      firstSeen: String(row.first_seen),
      lastSeen: String(row.last_seen),
      count: Number(row.count),
      value: Number(row.value),
    });
  }
  return out;
}
