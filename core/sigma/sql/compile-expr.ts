/**
 * The generic condition compiler: a resolved Sigma condition → one SQL boolean expression over the row alias,
 * for any dialect (the tokens of `dialect.ts` are the only engine-specific part).
 *
 * Invariants:
 * - Every value that came from the rule is a bound parameter; only structure (JSON paths, constants) is inlined.
 * - Exactness: an atom the engine cannot evaluate exactly becomes a SUPERSET where an even number of NOTs is
 *   above it and a SUBSET where an odd number is (TRUE/FALSE at worst), so the whole condition selects a
 *   superset; `inexact` is then set and the caller must confirm rows with the streaming matcher.
 * - Three-valued logic: an atom on a missing value may be NULL. Under a NOT that would drop rows the matcher
 *   keeps, so below any NOT such atoms are made two-valued (`CASE WHEN … THEN 1 ELSE 0 END = 1`).
 * - Arrays (`[]` steps): any element matches; an absent, empty or non-array value counts as one missing
 *   element (so `null` and `exists: false` hold for it) — the matcher's rule exactly.
 * - A field with several targets: a value predicate holds when any target satisfies it; `null` and
 *   `exists: false` only when every target does (the field is in none of its places) — the matcher's rule too.
 */
import { lakeColumnTypes } from '../../lake/external-table-ddl';
import type { FieldTarget, JsonPathStep, Pattern, PatternPart, Predicate, ResolvedExpr, SigmaError, SourceLocation } from '../ir';
import { cidrRange, foldCase, isCasedChar } from '../match/semantics';
import type { BindParam, ColumnType, JsonLoc, SqlDialect, WildcardSyntax } from './dialect';

export type Cond = { readonly kind: 'true' } | { readonly kind: 'false' } | { readonly kind: 'sql'; readonly sql: string };

const TRUE: Cond = { kind: 'true' };
const FALSE: Cond = { kind: 'false' };
const sqlCond = (sql: string): Cond => ({ kind: 'sql', sql });

export interface ExprContext {
  readonly dialect: SqlDialect;
  readonly bind: BindParam;
  /** The row alias (`e`) whose columns the condition reads. */
  readonly row: string;
  readonly errors: SigmaError[];
  /** Set when some atom was replaced by a superset/subset. */
  inexact: boolean;
  aliasCounter: number;
}

interface Polarity {
  /** An odd number of NOTs above: the atom must become a subset. */
  readonly negated: boolean;
  /** Any NOT above: NULL must not leak. */
  readonly underNot: boolean;
}

type Atom = { readonly nullable: boolean } & ({ readonly exact: Cond } | { readonly superset: Cond; readonly subset: Cond });

type ValueRef =
  | { readonly kind: 'column'; readonly sql: string; readonly type: ColumnType }
  | { readonly kind: 'json'; readonly loc: JsonLoc };

export function condSql(dialect: SqlDialect, cond: Cond): string {
  return cond.kind === 'sql' ? cond.sql : cond.kind === 'true' ? dialect.trueSql : dialect.falseSql;
}

/** Longest run of terms joined by one AND/OR chain; longer lists are nested (see `joinTerms`). */
const maxChain = 64;

/**
 * `(a) OP (b) OP …`. Engines parse a chain as a tree as deep as it is long, and SQLite (so D1) refuses an
 * expression deeper than 1000 (SQLITE_MAX_EXPR_DEPTH): a rule listing a thousand values would compile to a query
 * that cannot run. Long chains are therefore split into at most `maxChain` parenthesized groups, recursively,
 * which keeps the depth near 2 × maxChain for any realistic rule and changes nothing in shorter ones.
 */
function joinTerms(parts: readonly string[], op: 'AND' | 'OR'): string {
  if (parts.length <= maxChain) return parts.map((p) => `(${p})`).join(` ${op} `);
  const size = Math.ceil(parts.length / maxChain);
  const groups: string[] = [];
  for (let i = 0; i < parts.length; i += size) groups.push(joinTerms(parts.slice(i, i + size), op));
  return groups.map((g) => `(${g})`).join(` ${op} `);
}

export function and(conds: readonly Cond[]): Cond {
  const parts: string[] = [];
  for (const c of conds) {
    if (c.kind === 'false') return FALSE;
    if (c.kind === 'sql') parts.push(c.sql);
  }
  if (parts.length === 0) return TRUE;
  return sqlCond(parts.length === 1 ? parts[0]! : joinTerms(parts, 'AND'));
}

export function or(conds: readonly Cond[]): Cond {
  const parts: string[] = [];
  for (const c of conds) {
    if (c.kind === 'true') return TRUE;
    if (c.kind === 'sql') parts.push(c.sql);
  }
  if (parts.length === 0) return FALSE;
  return sqlCond(parts.length === 1 ? parts[0]! : joinTerms(parts, 'OR'));
}

function not(cond: Cond): Cond {
  return cond.kind === 'true' ? FALSE : cond.kind === 'false' ? TRUE : sqlCond(`NOT (${cond.sql})`);
}

export function compileCondition(expr: ResolvedExpr, ctx: ExprContext): Cond {
  return compileExpr(expr, ctx, { negated: false, underNot: false });
}

function compileExpr(expr: ResolvedExpr, ctx: ExprContext, pol: Polarity): Cond {
  switch (expr.kind) {
    case 'const':
      return expr.value ? TRUE : FALSE;
    case 'and':
      return and(expr.items.map((item) => compileExpr(item, ctx, pol)));
    case 'or':
      return or(expr.items.map((item) => compileExpr(item, ctx, pol)));
    case 'not':
      return not(compileExpr(expr.item, ctx, { negated: !pol.negated, underNot: true }));
    case 'keyword': {
      // Keywords search the event's text: the vendor message, then the raw record as received.
      const targets: FieldTarget[] = [
        { kind: 'column', column: 'message' },
        { kind: 'column', column: 'raw' },
      ];
      return compileMatch(targets, expr.predicate, undefined, expr.location, ctx, pol);
    }
    case 'match':
      return compileMatch(expr.targets, expr.predicate, expr.refTargets, expr.location, ctx, pol);
  }
}

function compileMatch(
  targets: readonly FieldTarget[],
  predicate: Predicate,
  refTargets: readonly FieldTarget[] | undefined,
  location: SourceLocation | undefined,
  ctx: ExprContext,
  pol: Polarity,
): Cond {
  const matchesMissing = predicate.kind === 'null' || (predicate.kind === 'exists' && !predicate.value);
  // Several targets are the places one field may be (alternative shapes of a record): a value predicate holds
  // when one of them satisfies it, an absence (null, exists: false) only when the field is in none of them.
  return (matchesMissing ? and : or)(
    targets.map((target) =>
      overTarget(target, matchesMissing, ctx, location, (ref) => {
        if (predicate.kind !== 'fieldref') return render(predicateAtom(ref, predicate, ctx, location), ctx, pol);
        const refs = refTargets ?? [{ kind: 'json', path: [{ key: predicate.field, array: false }] } satisfies FieldTarget];
        return or(
          refs.map((refTarget) =>
            overTarget(refTarget, false, ctx, location, (other) => render(fieldrefAtom(ref, other, predicate, ctx), ctx, pol)),
          ),
        );
      }),
    ),
  );
}

function render(atom: Atom, ctx: ExprContext, pol: Polarity): Cond {
  let cond: Cond;
  if ('exact' in atom) cond = atom.exact;
  else {
    ctx.inexact = true;
    cond = pol.negated ? atom.subset : atom.superset;
  }
  if (pol.underNot && atom.nullable && cond.kind === 'sql') return sqlCond(`CASE WHEN ${cond.sql} THEN 1 ELSE 0 END = 1`);
  return cond;
}

// ---- where a value lives --------------------------------------------------------------------------------

function fail(ctx: ExprContext, location: SourceLocation | undefined, message: string): Cond {
  ctx.errors.push({ code: 'unsupported_feature', message, location: location ?? null });
  return FALSE;
}

export function columnRef(ctx: ExprContext, column: string): { sql: string; type: ColumnType } | null {
  const type = lakeColumnTypes[column];
  if (!type || !/^[a-z_][a-z0-9_]*$/.test(column)) return null;
  return { sql: `${ctx.row}.${ctx.dialect.quoteIdent(column)}`, type };
}

function overTarget(
  target: FieldTarget,
  matchesMissing: boolean,
  ctx: ExprContext,
  location: SourceLocation | undefined,
  leaf: (ref: ValueRef) => Cond,
): Cond {
  if (target.kind === 'column') {
    const col = columnRef(ctx, target.column);
    if (!col) return fail(ctx, location, `"${target.column}" is not a column of the events table.`);
    return leaf({ kind: 'column', ...col });
  }
  const raw = columnRef(ctx, 'raw')!;
  return overJson({ doc: raw.sql, base: null, keys: [] }, target.path, matchesMissing, ctx, location, leaf);
}

function overJson(
  loc: JsonLoc,
  steps: readonly JsonPathStep[],
  matchesMissing: boolean,
  ctx: ExprContext,
  location: SourceLocation | undefined,
  leaf: (ref: ValueRef) => Cond,
): Cond {
  const arrayAt = steps.findIndex((s) => s.array);
  if (arrayAt === -1) return leaf({ kind: 'json', loc: { ...loc, keys: [...loc.keys, ...steps.map((s) => s.key)] } });
  const arrayLoc: JsonLoc = { ...loc, keys: [...loc.keys, ...steps.slice(0, arrayAt + 1).map((s) => s.key)] };
  const path = jsonPath(ctx, arrayLoc, location);
  if (path === null) return FALSE;
  const alias = `j${++ctx.aliasCounter}`;
  const rest = steps.slice(arrayAt + 1);
  const body = (element: JsonLoc) => condSql(ctx.dialect, overJson(element, rest, matchesMissing, ctx, location, leaf));
  return sqlCond(ctx.dialect.jsonArrayAny(arrayLoc.doc, path, alias, body, matchesMissing));
}

/** The SQL expression of a location's JSON path; null (with an error) when a key cannot be written. */
export function jsonPath(ctx: ExprContext, loc: JsonLoc, location: SourceLocation | undefined): string | null {
  let keys = '';
  for (const key of loc.keys) {
    const step = ctx.dialect.jsonKey(key);
    if (step === null) {
      fail(ctx, location, `The JSON key "${key}" cannot be written in a ${ctx.dialect.name} JSON path.`);
      return null;
    }
    keys += step;
  }
  if (loc.base === null) return ctx.dialect.stringLiteral(`$${keys}`);
  return keys === '' ? loc.base : ctx.dialect.concat(loc.base, ctx.dialect.stringLiteral(keys));
}

/** Text of a non-array target (group-by keys, aggregated fields); null with an error for array paths. */
export function targetText(target: FieldTarget, ctx: ExprContext): string | null {
  const ref = plainRef(target, ctx);
  return ref && textOf(ref, ctx);
}

/** Numeric value of a non-array target; null when it has none (or with an error for array paths). */
export function targetNumber(target: FieldTarget, ctx: ExprContext): string | null {
  const ref = plainRef(target, ctx);
  return ref && numberOf(ref, ctx);
}

function plainRef(target: FieldTarget, ctx: ExprContext): ValueRef | null {
  if (target.kind === 'column') {
    const col = columnRef(ctx, target.column);
    if (!col) {
      fail(ctx, undefined, `"${target.column}" is not a column of the events table.`);
      return null;
    }
    return { kind: 'column', ...col };
  }
  if (target.path.some((s) => s.array)) {
    fail(ctx, undefined, `${target.path.map((s) => s.key + (s.array ? '[]' : '')).join('.')} is an array path: a correlation cannot group or aggregate on it.`);
    return null;
  }
  return { kind: 'json', loc: { doc: columnRef(ctx, 'raw')!.sql, base: null, keys: target.path.map((s) => s.key) } };
}

function textOf(ref: ValueRef, ctx: ExprContext): string | null {
  if (ref.kind === 'column') return ctx.dialect.columnText(ref.sql, ref.type);
  const path = jsonPath(ctx, ref.loc, undefined);
  return path === null ? null : ctx.dialect.jsonText(ref.loc.doc, path);
}

function numberOf(ref: ValueRef, ctx: ExprContext): string | null {
  if (ref.kind === 'column') return ctx.dialect.columnNumber(ref.sql, ref.type, ctx.bind);
  const path = jsonPath(ctx, ref.loc, undefined);
  return path === null ? null : ctx.dialect.jsonNumber(ref.loc.doc, path, ctx.bind);
}

function existsOf(ref: ValueRef, ctx: ExprContext): string | null {
  if (ref.kind === 'column') return `${ref.sql} IS NOT NULL`;
  const path = jsonPath(ctx, ref.loc, undefined);
  if (path === null) return null;
  const last = ref.loc.keys.at(-1);
  const parent = last === undefined ? null : jsonPath(ctx, { ...ref.loc, keys: ref.loc.keys.slice(0, -1) }, undefined);
  return ctx.dialect.jsonExists(ref.loc.doc, path, parent, last ?? null);
}

function nullOrMissingOf(ref: ValueRef, ctx: ExprContext): string | null {
  if (ref.kind === 'column') return `${ref.sql} IS NULL`;
  const path = jsonPath(ctx, ref.loc, undefined);
  return path === null ? null : ctx.dialect.jsonNullOrMissing(ref.loc.doc, path);
}

// ---- predicates -----------------------------------------------------------------------------------------

const exact = (cond: Cond, nullable = true): Atom => ({ exact: cond, nullable });
const superset = (cond: Cond, nullable = true): Atom => ({ superset: cond, subset: FALSE, nullable });

function predicateAtom(ref: ValueRef, predicate: Exclude<Predicate, { kind: 'fieldref' }>, ctx: ExprContext, location: SourceLocation | undefined): Atom {
  const d = ctx.dialect;
  switch (predicate.kind) {
    case 'pattern': {
      const text = textOf(ref, ctx);
      return text === null ? exact(FALSE, false) : patternAtom(text, predicate.pattern, predicate.cased, ctx);
    }
    case 'boolean': {
      const text = textOf(ref, ctx);
      const literal: Pattern = [{ kind: 'text', text: predicate.value ? 'true' : 'false' }];
      return text === null ? exact(FALSE, false) : patternAtom(text, literal, false, ctx);
    }
    case 'regex': {
      const text = textOf(ref, ctx);
      if (text === null) return exact(FALSE, false);
      const flags = (predicate.flags.i ? 'i' : '') + (predicate.flags.m ? 'm' : '') + (predicate.flags.s ? 's' : '');
      const source = flags ? `(?${flags})${predicate.source}` : predicate.source;
      if (d.regexMatch) return exact(sqlCond(d.regexMatch(text, ctx.bind(source))));
      // No regex in the engine: any row with a text value might match.
      return superset(sqlCond(`${text} IS NOT NULL`));
    }
    case 'cidr': {
      const range = cidrRange(predicate.version, predicate.network, predicate.prefix);
      if (!range) {
        ctx.errors.push({ code: 'invalid_value', message: `${predicate.network}/${predicate.prefix} is not an IPv${predicate.version} network.`, location: location ?? null });
        return exact(FALSE, false);
      }
      const text = textOf(ref, ctx);
      if (text === null) return exact(FALSE, false);
      const cidr = d.cidrMatch(text, range, ctx.bind);
      return 'exact' in cidr ? exact(sqlCond(cidr.exact)) : superset(sqlCond(cidr.superset));
    }
    case 'compare':
    case 'number': {
      if (!Number.isFinite(predicate.value)) {
        ctx.errors.push({ code: 'invalid_value', message: `${predicate.value} is not a finite number.`, location: location ?? null });
        return exact(FALSE, false);
      }
      const n = numberOf(ref, ctx);
      if (n === null) return exact(FALSE, false);
      const op = predicate.kind === 'number' ? '=' : { lt: '<', lte: '<=', gt: '>', gte: '>=' }[predicate.op];
      return exact(sqlCond(`${n} ${op} ${ctx.bind(predicate.value)}`));
    }
    case 'timePart': {
      const text = textOf(ref, ctx);
      if (text === null) return exact(FALSE, false);
      const op = { eq: '=', lt: '<', lte: '<=', gt: '>', gte: '>=' }[predicate.op];
      const part = d.timePart(text, predicate.part, ctx.bind);
      if ('exact' in part) return exact(sqlCond(`${part.exact} ${op} ${ctx.bind(predicate.value)}`));
      // Exact where the engine reads the text as SQLite does; any other text might match.
      const holds = `(${part.agrees}) AND ${part.value} ${op} ${ctx.bind(predicate.value)}`;
      return { superset: sqlCond(`(${holds}) OR (${text} IS NOT NULL AND NOT (${part.agrees}))`), subset: sqlCond(holds), nullable: true };
    }
    case 'null': {
      const sql = nullOrMissingOf(ref, ctx);
      return exact(sql === null ? FALSE : sqlCond(sql), false);
    }
    case 'exists': {
      const sql = existsOf(ref, ctx);
      if (sql === null) return exact(FALSE, false);
      return exact(predicate.value ? sqlCond(sql) : not(sqlCond(sql)), false);
    }
  }
}

function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return true;
  return false;
}

/** A LIKE pattern in the dialect's syntax. */
function likePattern(pattern: Pattern, syntax: WildcardSyntax): string {
  return pattern.map((p) => (p.kind === 'text' ? syntax.escape(p.text) : p.kind === 'anyChars' ? syntax.any : syntax.one)).join('');
}

function patternAtom(text: string, pattern: Pattern, cased: boolean, ctx: ExprContext): Atom {
  const d = ctx.dialect;
  const hasWildcards = pattern.some((p) => p.kind !== 'text');
  const literal = () => pattern.map((p) => (p.kind === 'text' ? p.text : '')).join('');
  if (cased) {
    if (!hasWildcards && d.csEquals) return exact(sqlCond(d.csEquals(text, ctx.bind(literal()))));
    if (d.csLike) return exact(sqlCond(d.csLike(text, ctx.bind(likePattern(pattern, d.csWildcards)))));
    // A cased match implies a case-insensitive one: the engine's case-insensitive match is the superset.
    const ci = patternAtom(text, pattern, false, ctx);
    return superset('exact' in ci ? ci.exact : ci.superset);
  }
  const folded: Pattern = pattern.map((p) =>
    p.kind === 'text' ? { kind: 'text', text: d.caseFold === 'ascii' ? foldCase(p.text) : p.text.toLowerCase() } : p,
  );
  if (d.caseFold === 'ascii' && folded.some((p) => p.kind === 'text' && hasNonAscii(p.text))) {
    // The engine folds ASCII only: a cased non-ASCII character of the literal becomes a wildcard.
    const widened: PatternPart[] = [];
    let changed = false;
    for (const p of folded) {
      if (p.kind !== 'text') {
        if (!(p.kind === 'anyChars' && widened.at(-1)?.kind === 'anyChars')) widened.push(p);
        continue;
      }
      let run = '';
      for (const ch of p.text) {
        if (ch.charCodeAt(0) > 0x7f && isCasedChar(ch)) {
          if (run) widened.push({ kind: 'text', text: run });
          run = '';
          if (widened.at(-1)?.kind !== 'anyChars') widened.push({ kind: 'anyChars' });
          changed = true;
        } else run += ch;
      }
      if (run) widened.push({ kind: 'text', text: run });
    }
    if (changed) return superset(sqlCond(d.ciLike(text, ctx.bind(likePattern(widened, d.ciWildcards)))));
  }
  if (!hasWildcards && d.ciEquals) {
    return exact(sqlCond(d.ciEquals(text, ctx.bind(folded.map((p) => (p.kind === 'text' ? p.text : '')).join('')))));
  }
  return exact(sqlCond(d.ciLike(text, ctx.bind(likePattern(folded, d.ciWildcards)))));
}

function fieldrefAtom(left: ValueRef, right: ValueRef, predicate: Extract<Predicate, { kind: 'fieldref' }>, ctx: ExprContext): Atom {
  const d = ctx.dialect;
  const a = textOf(left, ctx);
  const b = textOf(right, ctx);
  if (a === null || b === null) return exact(FALSE, false);
  const compare = (x: string, y: string) => {
    switch (predicate.position) {
      case 'equals':
        return d.textEquals(x, y);
      case 'startswith':
        return d.textStartsWith(x, y);
      case 'endswith':
        return d.textEndsWith(x, y);
      case 'contains':
        return d.textContains(x, y);
    }
  };
  if (predicate.cased) {
    if (d.textComparisonsCased) return exact(sqlCond(compare(a, b)));
    return superset(sqlCond(compare(d.lower(a), d.lower(b))));
  }
  const ci = compare(d.lower(a), d.lower(b));
  if (d.caseFold === 'ascii' && d.nonAscii) {
    // ASCII-only lower(): exact unless a non-ASCII character is involved.
    const wide = `${d.nonAscii(a)} OR ${d.nonAscii(b)}`;
    return { superset: sqlCond(`(${ci}) OR ${wide}`), subset: sqlCond(`(${ci}) AND NOT (${wide})`), nullable: true };
  }
  return exact(sqlCond(ci));
}
