/**
 * Stage 3 of the Sigma engine, streaming backend: a resolved rule compiled ONCE into closures that test one
 * event (its normalized columns and its parsed raw JSON) — the real-time path, and the confirmation of rows
 * that a SQL dialect could only select as a superset (`CompiledQuery.needsConfirmation`).
 *
 * Semantics are the SQL backends' (`semantics.ts`; a differential test holds D1 and this to the same rows):
 * - a field resolving to several targets (the places one field may be) matches a value predicate when any
 *   target does, and an absence (`null`, `exists: false`) only when every target does; a `[]` step: any element
 *   matches, and an absent, empty or non-array value counts as one missing element;
 * - columns are typed as the lake declares them (a boolean column's 1/0 reads as true/false); a NULL column
 *   is absent; JSON null is present but null;
 * - keywords match the `message` column, then the raw record as received (`columns.raw`, or the JSON text of
 *   `raw` when the caller did not pass it).
 *
 * Speed: literals are folded, wildcard patterns, RE2 programs and CIDR ranges built at compile time; an OR of
 * case-insensitive equalities on one field becomes one Set lookup after a single fold of the value.
 * User regexes run only on RE2 (re2js, linear time).
 */
import { RE2JS } from 're2js';
import { lakeColumnTypes } from '../../lake/external-table-ddl';
import type { FieldTarget, JsonPathStep, Pattern, Predicate, ResolvedExpr, ResolvedRule } from '../ir';
import { cidrRange, foldCase, ipv6InRange, needsStrictFold, numberOf, parseIpv4, parseIpv6, textOf } from './semantics';
import { sqliteTimePart } from './sqlite-time';
import { compileWildcard, literalOf, type TextTest } from './wildcard';

export interface MatchableEvent {
  /** The normalized columns of the events table (`raw` may hold the record's text, for keywords). */
  readonly columns: Readonly<Record<string, unknown>>;
  /** The vendor record, parsed. */
  readonly raw: unknown;
}

export type EventMatcher = (event: MatchableEvent) => boolean;

/** Tests one value of a field (undefined: the field is absent). */
type ValueTest = (value: unknown, event: MatchableEvent) => boolean;
/** Applies a test to every value a target holds in an event (any may match). */
type Probe = (event: MatchableEvent, test: ValueTest) => boolean;

const hasOwn = Object.prototype.hasOwnProperty;

function child(value: unknown, key: string, inherited: boolean): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = (value as Record<string, unknown>)[key];
  // Keys such as "constructor" exist on every object's prototype: only own properties are fields.
  if (inherited && v !== undefined && !hasOwn.call(value, key)) return undefined;
  return v;
}

function columnValue(column: string): (event: MatchableEvent) => unknown {
  const type = lakeColumnTypes[column] ?? 'string';
  if (column === 'raw') {
    return (event) => {
      const v = event.columns.raw;
      return typeof v === 'string' ? v : event.raw === undefined ? undefined : JSON.stringify(event.raw);
    };
  }
  if (type === 'boolean') {
    return (event) => {
      const v = event.columns[column];
      return v === true || v === 1 ? true : v === false || v === 0 ? false : v === null ? undefined : v;
    };
  }
  return (event) => {
    const v = event.columns[column];
    return v === null ? undefined : v;
  };
}

export function targetProbe(target: FieldTarget): Probe {
  if (target.kind === 'column') {
    const read = columnValue(target.column);
    return (event, test) => test(read(event), event);
  }
  const steps = target.path;
  const inherited = steps.map((s) => s.key in Object.prototype);
  if (!steps.some((s) => s.array)) {
    const keys = steps.map((s) => s.key);
    if (keys.length === 1 && !inherited[0]) {
      const k = keys[0]!;
      return (event, test) => test(child(event.raw, k, false), event);
    }
    return (event, test) => {
      let v: unknown = event.raw;
      for (let i = 0; i < keys.length && v !== undefined; i++) v = child(v, keys[i]!, inherited[i]!);
      return test(v, event);
    };
  }
  return (event, test) => walk(event.raw, steps, inherited, 0, test, event);
}

function walk(value: unknown, steps: readonly JsonPathStep[], inherited: readonly boolean[], from: number, test: ValueTest, event: MatchableEvent): boolean {
  let v = value;
  for (let i = from; i < steps.length; i++) {
    v = v === undefined ? undefined : child(v, steps[i]!.key, inherited[i]!);
    if (steps[i]!.array) {
      if (Array.isArray(v) && v.length > 0) {
        for (const element of v) if (walk(element, steps, inherited, i + 1, test, event)) return true;
        return false;
      }
      // No elements: one missing element.
      return test(undefined, event);
    }
  }
  return test(v, event);
}

// ---- text tests -------------------------------------------------------------------------------------------

/** A case-insensitive test on folded text, with the cheaper toLowerCase when it cannot differ from foldCase. */
function folding(strict: boolean, test: TextTest): ValueTest {
  return strict
    ? (value) => {
        const t = textOf(value);
        return t !== undefined && test(foldCase(t));
      }
    : (value) => {
        const t = textOf(value);
        return t !== undefined && test(t.toLowerCase());
      };
}

function foldPattern(pattern: Pattern): Pattern {
  return pattern.map((p) => (p.kind === 'text' ? { kind: 'text', text: foldCase(p.text) } : p));
}

/**
 * Case-insensitive equality with a folded literal, without allocating for ASCII text. Folding never changes a
 * string's length (foldCase keeps U+0130; without it the literal holds no 'i' that U+0130's lower case could
 * match), so a length mismatch already decides.
 */
function foldedEquals(literal: string, strict: boolean): ValueTest {
  const n = literal.length;
  return (value) => {
    const t = textOf(value);
    if (t === undefined || t.length !== n) return false;
    for (let i = 0; i < n; i++) {
      let c = t.charCodeAt(i);
      if (c >= 0x80) return (strict ? foldCase(t) : t.toLowerCase()) === literal;
      if (c >= 65 && c <= 90) c += 32;
      if (c !== literal.charCodeAt(i)) return false;
    }
    return true;
  };
}

function patternTest(pattern: Pattern, cased: boolean): ValueTest {
  if (!cased) {
    const literal = literalOf(pattern);
    if (literal !== null) {
      const folded = foldCase(literal);
      return foldedEquals(folded, needsStrictFold(folded, false));
    }
  }
  if (cased) {
    const test = compileWildcard(pattern);
    return (value) => {
      const t = textOf(value);
      return t !== undefined && test(t);
    };
  }
  const folded = foldPattern(pattern);
  const literalText = folded.map((p) => (p.kind === 'text' ? p.text : '')).join('');
  return folding(needsStrictFold(literalText, folded.some((p) => p.kind === 'oneChar')), compileWildcard(folded));
}

function regexTest(predicate: Extract<Predicate, { kind: 'regex' }>): ValueTest {
  const flags = (predicate.flags.i ? RE2JS.CASE_INSENSITIVE : 0) | (predicate.flags.m ? RE2JS.MULTILINE : 0) | (predicate.flags.s ? RE2JS.DOTALL : 0);
  const re = RE2JS.compile(predicate.source, flags);
  return (value) => {
    const t = textOf(value);
    return t !== undefined && re.test(t);
  };
}

function cidrTest(predicate: Extract<Predicate, { kind: 'cidr' }>): ValueTest {
  const range = cidrRange(predicate.version, predicate.network, predicate.prefix);
  if (!range) return () => false;
  if (range.version === 4) {
    const { first, last } = range;
    return (value) => {
      const t = textOf(value);
      if (t === undefined) return false;
      const ip = parseIpv4(t);
      return ip !== undefined && ip >= first && ip <= last;
    };
  }
  return (value) => {
    const t = textOf(value);
    if (t === undefined) return false;
    const groups = parseIpv6(t);
    return groups !== undefined && ipv6InRange(groups, range);
  };
}

/** A part of the value's time, as D1's `CAST(strftime(…) AS INTEGER)` reads the value's text (sqlite-time.ts). */
function timePartTest(predicate: Extract<Predicate, { kind: 'timePart' }>): ValueTest {
  const { part, value: n } = predicate;
  const compare = { eq: (x: number) => x === n, lt: (x: number) => x < n, lte: (x: number) => x <= n, gt: (x: number) => x > n, gte: (x: number) => x >= n }[predicate.op];
  return (value) => {
    const t = textOf(value);
    if (t === undefined) return false;
    const x = sqliteTimePart(t, part);
    return x !== undefined && compare(x);
  };
}

function fieldrefTest(predicate: Extract<Predicate, { kind: 'fieldref' }>, refTargets: readonly FieldTarget[] | undefined): ValueTest {
  const probes = (refTargets ?? [{ kind: 'json', path: [{ key: predicate.field, array: false }] } satisfies FieldTarget]).map(targetProbe);
  const norm = predicate.cased ? (t: string) => t : foldCase;
  const compare = {
    equals: (a: string, b: string) => a === b,
    startswith: (a: string, b: string) => a.startsWith(b),
    endswith: (a: string, b: string) => a.endsWith(b),
    contains: (a: string, b: string) => a.includes(b),
  }[predicate.position];
  return (value, event) => {
    const t = textOf(value);
    if (t === undefined) return false;
    const a = norm(t);
    const other: ValueTest = (v) => {
      const u = textOf(v);
      return u !== undefined && compare(a, norm(u));
    };
    for (const probe of probes) if (probe(event, other)) return true;
    return false;
  };
}

export function predicateTest(predicate: Predicate, refTargets?: readonly FieldTarget[]): ValueTest {
  switch (predicate.kind) {
    case 'pattern':
      return patternTest(predicate.pattern, predicate.cased);
    case 'boolean': {
      const word = predicate.value ? 'true' : 'false';
      return folding(false, (t) => t === word);
    }
    case 'regex':
      return regexTest(predicate);
    case 'cidr':
      return cidrTest(predicate);
    case 'number': {
      const n = predicate.value;
      return (value) => numberOf(value) === n;
    }
    case 'compare': {
      const n = predicate.value;
      switch (predicate.op) {
        case 'lt':
          return (value) => (numberOf(value) ?? NaN) < n;
        case 'lte':
          return (value) => (numberOf(value) ?? NaN) <= n;
        case 'gt':
          return (value) => (numberOf(value) ?? NaN) > n;
        case 'gte':
          return (value) => (numberOf(value) ?? NaN) >= n;
      }
      break;
    }
    case 'timePart':
      return timePartTest(predicate);
    case 'null':
      return (value) => value === undefined || value === null;
    case 'exists':
      return predicate.value ? (value) => value !== undefined : (value) => value === undefined;
    case 'fieldref':
      return fieldrefTest(predicate, refTargets);
  }
}

// ---- expressions ----------------------------------------------------------------------------------------

const keywordTargets: readonly FieldTarget[] = [
  { kind: 'column', column: 'message' },
  { kind: 'column', column: 'raw' },
];

/** `every`: the test must hold in every target (absence predicates), else in any. */
function matchMatcher(targets: readonly FieldTarget[], test: ValueTest, every = false): EventMatcher {
  const probes = targets.map(targetProbe);
  if (probes.length === 1) {
    const probe = probes[0]!;
    return (event) => probe(event, test);
  }
  if (every) {
    return (event) => {
      for (const probe of probes) if (!probe(event, test)) return false;
      return true;
    };
  }
  return (event) => {
    for (const probe of probes) if (probe(event, test)) return true;
    return false;
  };
}

const isAbsence = (predicate: Predicate) => predicate.kind === 'null' || (predicate.kind === 'exists' && !predicate.value);

const targetKey = (targets: readonly FieldTarget[]) => JSON.stringify(targets);

/** An OR of case-insensitive equalities on the same targets, as one Set lookup. */
function mergeEqualities(items: readonly ResolvedExpr[]): { merged: EventMatcher[]; rest: ResolvedExpr[] } {
  const groups = new Map<string, { targets: readonly FieldTarget[]; literals: string[] }>();
  const rest: ResolvedExpr[] = [];
  for (const item of items) {
    const literal = item.kind === 'match' && item.predicate.kind === 'pattern' && !item.predicate.cased ? literalOf(item.predicate.pattern) : null;
    if (item.kind !== 'match' || literal === null) {
      rest.push(item);
      continue;
    }
    const key = targetKey(item.targets);
    const group = groups.get(key) ?? { targets: item.targets, literals: [] };
    group.literals.push(foldCase(literal));
    groups.set(key, group);
  }
  const merged: EventMatcher[] = [];
  for (const { targets, literals } of groups.values()) {
    if (literals.length === 1) {
      merged.push(matchMatcher(targets, patternTest([{ kind: 'text', text: literals[0]! }], false)));
      continue;
    }
    const set = new Set(literals);
    const strict = literals.some((l) => needsStrictFold(l, false));
    merged.push(matchMatcher(targets, folding(strict, (t) => set.has(t))));
  }
  return { merged, rest };
}

function all(parts: readonly EventMatcher[]): EventMatcher {
  if (parts.length === 0) return () => true;
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 2) {
    const [a, b] = parts as [EventMatcher, EventMatcher];
    return (event) => a(event) && b(event);
  }
  return (event) => {
    for (const p of parts) if (!p(event)) return false;
    return true;
  };
}

function any(parts: readonly EventMatcher[]): EventMatcher {
  if (parts.length === 0) return () => false;
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 2) {
    const [a, b] = parts as [EventMatcher, EventMatcher];
    return (event) => a(event) || b(event);
  }
  return (event) => {
    for (const p of parts) if (p(event)) return true;
    return false;
  };
}

export function compileExprMatcher(expr: ResolvedExpr): EventMatcher {
  switch (expr.kind) {
    case 'const':
      return expr.value ? () => true : () => false;
    case 'not': {
      const inner = compileExprMatcher(expr.item);
      return (event) => !inner(event);
    }
    case 'and':
      return all(expr.items.map(compileExprMatcher));
    case 'or': {
      const { merged, rest } = mergeEqualities(expr.items);
      return any([...merged, ...rest.map(compileExprMatcher)]);
    }
    case 'keyword':
      return matchMatcher(keywordTargets, predicateTest(expr.predicate));
    case 'match':
      return matchMatcher(expr.targets, predicateTest(expr.predicate, expr.refTargets), isAbsence(expr.predicate));
  }
}

/** The rule's condition (mapping `where` included) as a predicate over one event. */
export function compileMatcher(resolved: ResolvedRule): EventMatcher {
  return compileExprMatcher(resolved.condition);
}
