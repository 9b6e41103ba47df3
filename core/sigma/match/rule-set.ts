/**
 * Every enabled rule on every event (the real-time path), without evaluating every rule on every event:
 *
 * 1. Rules are grouped by source (`events.source`): an event only meets the rules of its source.
 * 2. Within a source, one discriminating field is chosen — the field most rules require to equal one of a few
 *    literals (e.g. Okta `eventType`, CloudTrail `eventName`; found through ANDs and ORs of the condition,
 *    case-folded). The event's value of that field is folded once and looked up: only the rules listing that
 *    value are evaluated. The rules without such a requirement are indexed the same way on their own best
 *    field (up to four levels); the rest are evaluated on every event of the source.
 *
 * The lookup is only a necessary condition; each candidate still runs its full compiled matcher, so the
 * result equals running every rule's matcher (a test checks this). Results keep the input order of rules.
 */
import type { FieldTarget, ResolvedExpr, ResolvedRule } from '../ir';
import { compileMatcher, targetProbe, type EventMatcher, type MatchableEvent } from './compile-matcher';
import { foldCase, textOf } from './semantics';
import { literalOf } from './wildcard';

export type RuleSetMatcher = (event: MatchableEvent) => string[];

interface CompiledRule {
  readonly index: number;
  readonly id: string;
  readonly matches: EventMatcher;
}

/** One level of the index: rules keyed on one field; the rules without a literal for it go to `rest`. */
interface SourceIndex {
  /** The folded values of the discriminating field (one per target the field maps to), or null: no key. */
  readonly key: ((event: MatchableEvent) => readonly string[]) | null;
  readonly byValue: ReadonlyMap<string, readonly CompiledRule[]>;
  readonly rest: SourceIndex | readonly CompiledRule[];
}

const maxLevels = 4;

export function ruleId(resolved: ResolvedRule): string {
  return resolved.rule.id ?? resolved.rule.name ?? resolved.rule.title;
}

/**
 * The folded values a field must take for the expression to hold (null: no such requirement), for the
 * discriminating field `key` (its targets, JSON-serialized; several targets: any of them holds one).
 */
export function requiredValues(expr: ResolvedExpr, key: string): ReadonlySet<string> | null {
  switch (expr.kind) {
    case 'match': {
      if (JSON.stringify(expr.targets) !== key) return null;
      const p = expr.predicate;
      if (p.kind === 'boolean') return new Set([p.value ? 'true' : 'false']);
      if (p.kind !== 'pattern') return null;
      const literal = literalOf(p.pattern);
      return literal === null ? null : new Set([foldCase(literal)]);
    }
    case 'and': {
      let best: ReadonlySet<string> | null = null;
      for (const item of expr.items) {
        const r = requiredValues(item, key);
        if (r && (!best || r.size < best.size)) best = r;
      }
      return best;
    }
    case 'or': {
      const union = new Set<string>();
      for (const item of expr.items) {
        const r = requiredValues(item, key);
        if (!r) return null;
        for (const v of r) union.add(v);
      }
      return union;
    }
    case 'const':
      return expr.value ? null : new Set();
    default:
      return null;
  }
}

/** Candidate discriminating fields of an expression: the targets of matches, when none is an array path. */
function candidateKeys(expr: ResolvedExpr, out: Set<string>): void {
  if (expr.kind === 'and' || expr.kind === 'or') for (const item of expr.items) candidateKeys(item, out);
  else if (expr.kind === 'match' && expr.targets.every((t) => t.kind === 'column' || !t.path.some((s) => s.array))) {
    out.add(JSON.stringify(expr.targets));
  }
}

function keyed(level: SourceIndex, event: MatchableEvent): readonly CompiledRule[] | undefined {
  if (!level.key) return undefined;
  const values = level.key(event);
  if (values.length === 0) return undefined;
  if (values.length === 1 || values.every((v) => v === values[0])) return level.byValue.get(values[0]!);
  // Several targets with different values: the union of their candidates, once each, in rule order.
  const union = new Set<CompiledRule>();
  for (const v of values) for (const rule of level.byValue.get(v) ?? []) union.add(rule);
  return [...union].sort((a, b) => a.index - b.index);
}

function isRuleList(level: SourceIndex | readonly CompiledRule[]): level is readonly CompiledRule[] {
  return Array.isArray(level);
}

function keyReader(key: string): (event: MatchableEvent) => readonly string[] {
  const probes = (JSON.parse(key) as FieldTarget[]).map(targetProbe);
  let found: string[] = [];
  const capture = (value: unknown) => {
    const t = textOf(value);
    if (t !== undefined) found.push(foldCase(t));
    return true;
  };
  return (event) => {
    found = [];
    for (const probe of probes) probe(event, capture);
    return found;
  };
}

function indexSource(rules: readonly CompiledRule[], conditions: ReadonlyMap<CompiledRule, ResolvedExpr>, level = 1): SourceIndex {
  // The key most rules require a literal of; between equals, the one with more distinct literals (more selective).
  const stats = new Map<string, { rules: number; values: Set<string> }>();
  for (const rule of rules) {
    const keys = new Set<string>();
    candidateKeys(conditions.get(rule)!, keys);
    for (const key of keys) {
      const values = requiredValues(conditions.get(rule)!, key);
      if (!values) continue;
      const stat = stats.get(key) ?? { rules: 0, values: new Set<string>() };
      stat.rules++;
      for (const v of values) stat.values.add(v);
      stats.set(key, stat);
    }
  }
  let bestKey: string | null = null;
  let best = { rules: 0, values: 0 };
  for (const [key, stat] of stats) {
    if (stat.rules > best.rules || (stat.rules === best.rules && stat.values.size > best.values)) {
      bestKey = key;
      best = { rules: stat.rules, values: stat.values.size };
    }
  }
  if (!bestKey) return { key: null, byValue: new Map(), rest: rules };
  const byValue = new Map<string, CompiledRule[]>();
  const always: CompiledRule[] = [];
  for (const rule of rules) {
    const values = requiredValues(conditions.get(rule)!, bestKey);
    if (!values) {
      always.push(rule);
      continue;
    }
    for (const v of values) {
      const list = byValue.get(v) ?? [];
      list.push(rule);
      byValue.set(v, list);
    }
  }
  const rest = always.length > 1 && level < maxLevels ? indexSource(always, conditions, level + 1) : always;
  return { key: keyReader(bestKey), byValue, rest };
}

/** Compiles a rule set once; the result returns the ids of the rules an event matches, in input order. */
export function compileRuleSet(resolved: readonly ResolvedRule[]): RuleSetMatcher {
  const bySource = new Map<string, CompiledRule[]>();
  const conditions = new Map<CompiledRule, ResolvedExpr>();
  resolved.forEach((r, index) => {
    const rule: CompiledRule = { index, id: ruleId(r), matches: compileMatcher(r) };
    conditions.set(rule, r.condition);
    for (const source of new Set(r.sources)) {
      const list = bySource.get(source) ?? [];
      list.push(rule);
      bySource.set(source, list);
    }
  });
  const indexes = new Map<string, SourceIndex>();
  for (const [source, rules] of bySource) indexes.set(source, indexSource(rules, conditions));
  const none: string[] = [];

  return (event) => {
    const source = event.columns.source;
    let level: SourceIndex | readonly CompiledRule[] | undefined = typeof source === 'string' ? indexes.get(source) : undefined;
    if (!level) return none.slice();
    const out: CompiledRule[] = [];
    let lists = 0;
    for (;;) {
      const rules: readonly CompiledRule[] | undefined = isRuleList(level) ? level : keyed(level, event);
      if (rules) {
        const before = out.length;
        for (const rule of rules) if (rule.matches(event)) out.push(rule);
        if (out.length > before) lists++;
      }
      if (isRuleList(level)) break;
      level = level.rest;
    }
    // Each list is in rule order; results from several lists are merged back into it.
    if (lists > 1) out.sort((a, b) => a.index - b.index);
    return out.map((r) => r.id);
  };
}
