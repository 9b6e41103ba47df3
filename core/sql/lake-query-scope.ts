/**
 * What a validated lake query (Athena, BigQuery, Synapse serverless) reads from `events`, and the rewrites the
 * query pipeline applies to it: a time bound on every unbounded read of `events`, a date-partition predicate on
 * every read bounded by literal times, and a row limit (LIMIT, or TOP for T-SQL).
 *
 * Input is SQL that already passed core/sql/validate-dialect-query (one SELECT, CTE names never shadow `events`,
 * no recursive CTEs, qualifiers only from the policy), parsed again with the same node-sql-parser grammar.
 *
 * Invariants:
 * - Each reference to `events` (bare, or qualified by a qualifier the policy allows: `mantissa.events`,
 *   `` `acme-prod.mantissa.events` ``, `[mantissa].[events]`) is analysed on its own. It is time-bounded when a
 *   top-level conjunct of its SELECT's WHERE puts a lower bound on its `event_time` (`>=`, `>`, `=`, BETWEEN),
 *   written on the column itself or on a monotonic conversion of it (from_iso8601_timestamp(event_time),
 *   TIMESTAMP(event_time), CAST(event_time AS timestamp/datetime2)). A bound under OR or NOT, or in an ON
 *   clause, does not count: it does not bound the rows read.
 * - The time-bound rewrite replaces each unbounded reference by `(SELECT * FROM <same table> WHERE event_time >=
 *   from AND event_time < to AND date BETWEEN d1 AND d2) AS <same alias>`, which keeps every column reference
 *   and join meaning intact (a WHERE addition would turn a LEFT JOIN into an inner one).
 * - The lake is billed by bytes scanned and its objects sit under `source=…/date=YYYY-MM-DD/hour=HH/`
 *   (core/lake/keys): without a predicate on the `date` partition column the engine reads every object, whatever
 *   the event_time bound says. So a reference bounded by literal times but without a date predicate gains
 *   `<alias>.date BETWEEN d1 AND d2` (or `>= d1`). That predicate is implied by the event_time bound (the Worker
 *   partitions each row by the UTC date of its event_time), so it never changes the result; it is what makes the
 *   cost estimate, computed from the event_time range, true of what the engine scans. Pruning is by whole days:
 *   the estimate counts the hours in range, the engine reads the whole first and last day.
 * - Only literal bounds give a range and a date predicate (ISO strings, TIMESTAMP '…', from_iso8601_timestamp('…'),
 *   TIMESTAMP('…'), CAST('…' AS timestamp)). A bound relative to now (current_timestamp - interval …) still
 *   bounds, but its range is unknown (null): the estimate then says "all time", which is what the engine scans.
 * - Rewrites splice only values our own code produced (ISO instants checked by pattern, dates derived from them)
 *   or source ids that match the source-id pattern (a reference's `source = 'x'` restriction, repeated inside
 *   its time-bound subquery).
 */
import athenaParser from 'node-sql-parser/build/athena.js';
import bigqueryParser from 'node-sql-parser/build/bigquery.js';
import transactsqlParser from 'node-sql-parser/build/transactsql.js';
import type { QueryScope, TimeRange } from './query-scope';
import { forEachSelectWithFrom, splitAnd } from './sql-ast';
import { functionName, type LakeDialect, type LakeQueryPolicy } from './validate-dialect-query';

type Node = Record<string, unknown>;

interface Grammar {
  readonly parser: { astify(sql: string, opt: object): unknown; sqlify(ast: never, opt: object): string };
  readonly options: { readonly database: string };
  /** The `date` partition column as this grammar must read it back as an identifier. */
  readonly dateColumn: string;
  readonly quote: (name: string) => string;
}

// The same grammars as validate-dialect-query: what is analysed here is what that validator checked.
const grammars: Record<LakeDialect, Grammar> = {
  // Trino reads "x" as an identifier; this grammar reads an unqualified "x" as a double-quoted string node and
  // writes it back as "x", and reads a bare `date` as the DATE function: always write "date".
  athena: { parser: new athenaParser.Parser(), options: { database: 'athena' }, dateColumn: '"date"', quote: (n) => `"${n}"` },
  bigquery: { parser: new bigqueryParser.Parser(), options: { database: 'bigquery' }, dateColumn: '`date`', quote: (n) => `\`${n}\`` },
  synapse: { parser: new transactsqlParser.Parser(), options: { database: 'transactsql' }, dateColumn: '[date]', quote: (n) => `[${n}]` },
};

/** Scope of a validated lake query: time bound, sources, event_time range, whether it reads events. */
export function analyzeLakeQueryScope(sql: string, dialect: LakeDialect, policy: LakeQueryPolicy, now: Date): QueryScope {
  const refs = eventReferences(parseOne(sql, dialect), policy);
  if (refs.length === 0) return { timeBounded: true, sources: null, range: null, readsEvents: false };
  let timeBounded = true;
  let sources: Set<string> | null = new Set();
  let from = null as string | null;
  let to = null as string | null;
  let rangeKnown = true;
  for (const ref of refs) {
    const bound = boundOf(ref, dialect);
    if (!bound.lowerBounded) timeBounded = false;
    if (bound.from === null) rangeKnown = false;
    else {
      from = from === null || bound.from < from ? bound.from : from;
      // No upper bound means "up to now": the range the engine scans.
      const refTo = bound.to ?? now.toISOString();
      to = to === null || refTo > to ? refTo : to;
    }
    const refSources = sourcesOf(ref, dialect);
    if (refSources === null || sources === null) sources = null;
    else for (const s of refSources) sources.add(s);
  }
  return { timeBounded, sources: sources === null ? null : [...sources].sort(), range: rangeKnown ? { from, to } : null, readsEvents: true };
}

/**
 * Bounds every read of `events` that has no lower bound on event_time to `range` (with its date-partition
 * predicate), and adds the date-partition predicate to every read bounded by literal times that lacks one.
 * `added` says whether a time bound was added; the SQL can change without one (a partition predicate only).
 */
export function addLakeTimeBound(sql: string, dialect: LakeDialect, policy: LakeQueryPolicy, range: TimeRange): { sql: string; added: boolean } {
  const root = parseOne(sql, dialect);
  let added = false;
  let changed = false;
  for (const ref of eventReferences(root, policy)) {
    const bound = boundOf(ref, dialect);
    if (bound.lowerBounded) {
      changed = addPartitionPredicate(ref, bound, dialect) || changed;
      continue;
    }
    const from = ref.select.from as Node[];
    from[ref.index] = boundedEventsItem(range, ref, dialect);
    added = true;
    changed = true;
  }
  return { sql: changed ? sqlify(root, dialect) : sql, added };
}

/**
 * Adds the date-partition predicate its event_time bound implies to every read of `events` bounded by literal
 * times that has none (see the module header); `added` says whether the SQL changed.
 */
export function addLakePartitionFilters(sql: string, dialect: LakeDialect, policy: LakeQueryPolicy): { sql: string; added: boolean } {
  const root = parseOne(sql, dialect);
  let added = false;
  for (const ref of eventReferences(root, policy)) {
    const bound = boundOf(ref, dialect);
    if (bound.lowerBounded) added = addPartitionPredicate(ref, bound, dialect) || added;
  }
  return { sql: added ? sqlify(root, dialect) : sql, added };
}

/**
 * Limits the rows the outermost query returns to `max`: Athena and BigQuery get `LIMIT max` (a larger LIMIT is
 * lowered to max; on a UNION the LIMIT after the last arm applies to the whole result). T-SQL has no LIMIT: the
 * outermost SELECT gets `TOP (max)`, or its `OFFSET … FETCH NEXT n ROWS ONLY` is lowered to max (T-SQL refuses
 * TOP beside OFFSET). A T-SQL UNION, where TOP would bind to the first arm only, is left alone, as is a
 * parenthesised last UNION arm: the engine adapter returns at most max rows whatever the query says.
 */
export function addLakeRowLimit(sql: string, dialect: LakeDialect, max: number): { sql: string; added: boolean } {
  if (!Number.isInteger(max) || max < 1) throw new Error(`row limit must be a positive whole number, got ${max}`);
  const root = parseOne(sql, dialect);
  const unchanged = { sql, added: false };
  if (dialect === 'synapse') {
    if (root._next) return unchanged;
    const fetch = ((root.limit as Node | null | undefined)?.fetch as Node | undefined)?.value as Node | undefined;
    if (fetch) {
      if (fetch.type === 'number' && typeof fetch.value === 'number' && fetch.value <= max) return unchanged;
      (root.limit as Node).fetch = { ...((root.limit as Node).fetch as Node), value: { type: 'number', value: max } };
    } else if (root.top) {
      const top = root.top as Node;
      if (typeof top.value === 'number' && top.value <= max && !top.percent) return unchanged;
      root.top = { value: max, percent: null, parentheses: true };
    } else {
      root.top = { value: max, percent: null, parentheses: true };
    }
    return { sql: sqlify(root, dialect), added: true };
  }
  let last = root;
  while (last._next) last = last._next as Node;
  if (last !== root && last.parentheses_symbol) return unchanged;
  const limit = last.limit as { seperator?: string; value?: Node[] } | null | undefined;
  // `LIMIT offset, count` puts the count second; `LIMIT count [OFFSET n]` first.
  const countAt = limit?.seperator === ',' ? 1 : 0;
  const count = limit?.value?.[countAt];
  if (count) {
    if (count.type === 'number' && typeof count.value === 'number' && count.value <= max) return unchanged;
    limit!.value![countAt] = { type: 'number', value: max };
  } else {
    last.limit = { seperator: '', value: [{ type: 'number', value: max }] };
  }
  return { sql: sqlify(root, dialect), added: true };
}

function parseOne(sql: string, dialect: LakeDialect): Node {
  const grammar = grammars[dialect];
  const ast = grammar.parser.astify(dialect === 'synapse' ? unbracketCteNames(sql) : sql, grammar.options);
  const root = (Array.isArray(ast) ? ast[0] : ast) as Node | undefined;
  if (!root || root.type !== 'select') throw new Error('lake-query-scope: expected one validated SELECT');
  return root;
}

function sqlify(root: Node, dialect: LakeDialect): string {
  const grammar = grammars[dialect];
  if (dialect === 'synapse') plainCteNames(root);
  return grammar.parser.sqlify(root as never, grammar.options);
}

const plainName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * node-sql-parser's T-SQL grammar writes a CTE name in brackets (`WITH [x] AS (…)`) but cannot read that back:
 * the validator's own output does not parse again. A CTE whose name is a plain identifier is written without
 * brackets (a name as string is written as is), so what these rewrites produce can be validated again.
 */
function plainCteNames(root: Node): void {
  walkNodes(root, (node) => {
    if (!Array.isArray(node.with)) return;
    for (const cte of node.with as Node[]) {
      const name = typeof cte.name === 'string' ? cte.name : (cte.name as Node | undefined)?.value;
      if (typeof name === 'string' && plainName.test(name)) cte.name = name;
    }
  });
}

/**
 * The reading side of plainCteNames, for the validator's output: a bracketed plain name in the position of a CTE
 * name (`[x] AS (` or `[x]([a], [b]) AS (`) loses its brackets, which does not change what T-SQL reads. The SQL
 * is lexed so that nothing inside a string literal, a quoted identifier or a comment is touched.
 */
function unbracketCteNames(sql: string): string {
  const tokens = lexTsql(sql);
  const significant = tokens.filter((t) => t.kind !== 'space');
  const drop = new Set<Token>();
  significant.forEach((token, i) => {
    if (token.kind !== 'bracket' || !plainName.test(token.text.slice(1, -1))) return;
    let j = i + 1;
    if (significant[j]?.text === '(') {
      // An optional column list: bracketed names and commas up to the closing parenthesis.
      j++;
      while (significant[j] && (significant[j]!.kind === 'bracket' || significant[j]!.kind === 'word' || significant[j]!.text === ',')) j++;
      if (significant[j]?.text !== ')') return;
      j++;
    }
    if (significant[j]?.text.toUpperCase() === 'AS' && significant[j + 1]?.text === '(') drop.add(token);
  });
  return tokens.map((t) => (drop.has(t) ? t.text.slice(1, -1) : t.text)).join('');
}

interface Token {
  readonly kind: 'string' | 'bracket' | 'quoted' | 'comment' | 'space' | 'word' | 'other';
  readonly text: string;
}

function lexTsql(sql: string): Token[] {
  const tokens: Token[] = [];
  const patterns: [Token['kind'], RegExp][] = [
    ['string', /N?'(?:[^']|'')*'/iy],
    ['bracket', /\[(?:[^\]]|\]\])*\]/y],
    ['quoted', /"(?:[^"]|"")*"/y],
    ['comment', /--[^\n]*|\/\*[\s\S]*?\*\//y],
    ['space', /\s+/y],
    ['word', /[A-Za-z_@#][A-Za-z0-9_@#$]*/y],
  ];
  let at = 0;
  while (at < sql.length) {
    let matched: Token | null = null;
    for (const [kind, pattern] of patterns) {
      pattern.lastIndex = at;
      const m = pattern.exec(sql);
      if (m) {
        matched = { kind, text: m[0] };
        break;
      }
    }
    // Anything else (an unterminated literal included) is one character the parser will judge.
    matched ??= { kind: 'other', text: sql[at]! };
    tokens.push(matched);
    at += matched.text.length;
  }
  return tokens;
}

function walkNodes(value: unknown, visit: (node: Node) => void): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) walkNodes(item, visit);
    return;
  }
  visit(value as Node);
  for (const [key, child] of Object.entries(value as Node)) {
    if (key !== 'tableList' && key !== 'columnList') walkNodes(child, visit);
  }
}

interface EventReference {
  readonly select: Node;
  /** Position of the reference in `select.from`. */
  readonly index: number;
  readonly item: Node;
  /** The name columns of this reference are qualified with: its alias, else the table name ("events"). */
  readonly name: string;
  /** Whether it is the only `events` reference of its SELECT (then unqualified columns are its own). */
  readonly alone: boolean;
}

/** Lower-case name parts of a FROM item naming a table, as the validator reads them. */
function tableParts(item: Node): string[] {
  const parts = [item.catalog, item.db, item.schema, ...String(item.table).split('.')]
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .map((p) => p.toLowerCase());
  // BigQuery spells the same qualifier as catalog and db; keep each once, in order.
  return parts.filter((p, i) => parts.indexOf(p) === i);
}

function isEventsTable(item: Node, policy: LakeQueryPolicy): boolean {
  if (typeof item.table !== 'string') return false;
  const parts = tableParts(item);
  const qualifier = parts.slice(0, -1).join('.');
  return parts.at(-1) === 'events' && (qualifier === '' || policy.qualifiers.has(qualifier));
}

/** Every reference to `events` in the FROM of any SELECT (CTE bodies, UNION arms and subqueries included). */
function eventReferences(root: Node, policy: LakeQueryPolicy): EventReference[] {
  const refs: EventReference[] = [];
  forEachSelectWithFrom(root, (select, from) => {
    const indexes = from.flatMap((item, index) => (isEventsTable(item, policy) ? [index] : []));
    for (const index of indexes) {
      const item = from[index]!;
      const alias = aliasOf(item.as);
      refs.push({ select, index, item, name: alias ?? tableParts(item).at(-1)!, alone: indexes.length === 1 });
    }
  });
  return refs;
}

function aliasOf(as: unknown): string | null {
  if (typeof as === 'string' && as !== '') return as;
  if (as && typeof as === 'object' && typeof (as as Node).value === 'string') return String((as as Node).value);
  return null;
}

/** Whether `node` names `column` of the reference (qualified by its name, or unqualified when it is alone). */
function isColumnOf(node: unknown, column: string, ref: EventReference, dialect: LakeDialect): boolean {
  if (!node || typeof node !== 'object') return false;
  const n = node as Node;
  if (dialect === 'athena' && ref.alone) {
    // This grammar reads an unqualified "name" as a double-quoted string; Trino reads it as the column.
    if (n.type === 'double_quote_string') return typeof n.value === 'string' && n.value.toLowerCase() === column;
    // …and a bare `date` as a call of DATE without parentheses, which Trino reads as the column.
    if (column === 'date' && n.type === 'function' && n.args_parentheses === false && functionName(n) === 'date') return true;
  }
  if (n.type !== 'column_ref') return false;
  const raw = typeof n.column === 'string' ? n.column : ((n.column as Node | undefined)?.expr as Node | undefined)?.value;
  if (typeof raw !== 'string' || raw.toLowerCase() !== column) return false;
  const table = typeof n.table === 'string' ? n.table : null;
  return table === null ? ref.alone : table.toLowerCase() === ref.name.toLowerCase();
}

/** event_time itself, or a conversion of it that keeps its order (so a bound on it bounds event_time). */
function isEventTime(node: Node, ref: EventReference, dialect: LakeDialect): boolean {
  if (isColumnOf(node, 'event_time', ref, dialect)) return true;
  if (node.type === 'function') {
    const name = functionName(node);
    const args = ((node.args as Node | undefined)?.value as Node[] | undefined) ?? [];
    return (name === 'from_iso8601_timestamp' || name === 'timestamp') && args.length === 1 && isColumnOf(args[0], 'event_time', ref, dialect);
  }
  if (node.type === 'cast') return isTimestampCast(node) && isColumnOf(node.expr, 'event_time', ref, dialect);
  return false;
}

function isTimestampCast(node: Node): boolean {
  const target = ((node.target as Node[] | undefined)?.[0]?.dataType as string | undefined)?.toLowerCase() ?? '';
  return ['timestamp', 'datetime', 'datetime2', 'datetimeoffset'].includes(target);
}

function isStringLiteral(node: unknown, dialect: LakeDialect): boolean {
  if (!node || typeof node !== 'object') return false;
  const type = (node as Node).type;
  // BigQuery reads "x" as a string; T-SQL's N'x' is a var_string.
  return type === 'single_quote_string' || type === 'string' || type === 'var_string' || (dialect === 'bigquery' && type === 'double_quote_string');
}

interface Limit {
  /** The ISO instant, when the bound is a literal. */
  readonly instant: string | null;
  /** The partition date (YYYY-MM-DD) the bound implies for the rows it lets through, when literal. */
  readonly day: string | null;
}

interface Bound {
  lowerBounded: boolean;
  from: string | null;
  to: string | null;
  fromDay: string | null;
  toDay: string | null;
  /** Whether a top-level conjunct already restricts the `date` partition from below. */
  hasDatePredicate: boolean;
}

function boundOf(ref: EventReference, dialect: LakeDialect): Bound {
  const bound: Bound = { lowerBounded: false, from: null, to: null, fromDay: null, toDay: null, hasDatePredicate: false };
  const lower = (value: Node, raw: boolean) => {
    bound.lowerBounded = true;
    const limit = limitOf(value, raw, false, dialect);
    if (limit.instant !== null && (bound.from === null || limit.instant > bound.from)) bound.from = limit.instant;
    if (limit.day !== null && (bound.fromDay === null || limit.day > bound.fromDay)) bound.fromDay = limit.day;
  };
  const upper = (value: Node, raw: boolean, strict: boolean) => {
    const limit = limitOf(value, raw, strict, dialect);
    if (limit.instant !== null && (bound.to === null || limit.instant < bound.to)) bound.to = limit.instant;
    if (limit.day !== null && (bound.toDay === null || limit.day < bound.toDay)) bound.toDay = limit.day;
  };
  for (const c of splitAnd(ref.select.where as Node | null)) {
    if (c.type !== 'binary_expr') continue;
    const op = String(c.operator).toUpperCase();
    const left = c.left as Node;
    const right = c.right as Node;
    const leftDate = isColumnOf(left, 'date', ref, dialect);
    if (leftDate && ['>=', '>', '=', 'BETWEEN', 'IN'].includes(op)) bound.hasDatePredicate = true;
    if (isColumnOf(right, 'date', ref, dialect) && ['<=', '<', '='].includes(op)) bound.hasDatePredicate = true;
    if (op === 'BETWEEN' && isEventTime(left, ref, dialect)) {
      const [a, b] = ((right.value as Node[] | undefined) ?? []) as Node[];
      const raw = isColumnOf(left, 'event_time', ref, dialect);
      if (a) lower(a, raw);
      if (b) upper(b, raw, false);
      continue;
    }
    const leftCol = isEventTime(left, ref, dialect);
    const rightCol = isEventTime(right, ref, dialect);
    if (leftCol === rightCol) continue;
    const column = leftCol ? left : right;
    const other = leftCol ? right : left;
    if (other.type === 'column_ref' || (dialect === 'athena' && other.type === 'double_quote_string')) continue;
    const raw = isColumnOf(column, 'event_time', ref, dialect);
    // Normalise to "event_time <op> other".
    const flipped: Record<string, string> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=', '=': '=' };
    const normal = leftCol ? op : flipped[op];
    if (normal === '>' || normal === '>=') lower(other, raw);
    else if (normal === '<' || normal === '<=') upper(other, raw, normal === '<');
    else if (normal === '=') {
      lower(other, raw);
      upper(other, raw, false);
    }
  }
  return bound;
}

/**
 * The instant and partition date of a literal bound. On the raw column (ISO text, compared as text) the date is
 * the literal's first ten characters: text at or after `2026-11-02T05:00+05:00` starts at or after `2026-11-02`,
 * whatever instant the offset names. On a converted column the comparison is between instants: the date is the
 * UTC date of the instant (the Worker partitions by UTC date). A strict upper bound at midnight excludes that day.
 */
function limitOf(node: Node, raw: boolean, strict: boolean, dialect: LakeDialect): Limit {
  const text = literalTime(node, dialect);
  if (text === null) return { instant: null, day: null };
  const instant = isoInstant(text);
  if (raw) {
    if (!isStringLiteral(node, dialect) || !/^\d{4}-\d{2}-\d{2}/.test(text)) return { instant, day: null };
    const day = text.slice(0, 10);
    const midnight = /^(T00:00(:00(\.0+)?)?Z?)?$/.test(text.slice(10));
    return { instant, day: strict && midnight ? previousDay(day) : day };
  }
  if (instant === null) return { instant, day: null };
  const ms = Date.parse(instant) - (strict ? 1 : 0);
  return { instant, day: new Date(ms).toISOString().slice(0, 10) };
}

/** The time text of a literal bound: 'x', TIMESTAMP 'x', from_iso8601_timestamp('x'), TIMESTAMP('x'), CAST('x' AS …). */
function literalTime(node: Node, dialect: LakeDialect): string | null {
  if (isStringLiteral(node, dialect)) return String(node.value);
  if (node.type === 'timestamp' || node.type === 'datetime') return typeof node.value === 'string' ? node.value : null;
  if (node.type === 'function') {
    const name = functionName(node);
    const args = ((node.args as Node | undefined)?.value as Node[] | undefined) ?? [];
    if ((name === 'from_iso8601_timestamp' || name === 'timestamp') && args.length === 1 && isStringLiteral(args[0], dialect)) return String(args[0]!.value);
    return null;
  }
  if (node.type === 'cast' && isTimestampCast(node) && isStringLiteral(node.expr, dialect)) return String((node.expr as Node).value);
  return null;
}

/** `2026-11-01`, `2026-11-01 10:00:00`, `2026-11-01T10:00:00.5+02:00`, `… UTC`; a time without zone is UTC. */
function isoInstant(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!m) return null;
  const [, date, time, zone] = m;
  // Milliseconds at most (Date.parse's precision), seconds always.
  const clock = time?.replace(/(\.\d{3})\d+$/, '$1') ?? '00:00:00';
  const offset = !zone || /^(z|utc)$/i.test(zone) ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const ms = Date.parse(`${date}T${clock.length === 5 ? `${clock}:00` : clock}${offset}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** Appends `<name>.date BETWEEN d1 AND d2` (or `>= d1`) to the reference's WHERE when its bound implies one. */
function addPartitionPredicate(ref: EventReference, bound: Bound, dialect: LakeDialect): boolean {
  if (bound.hasDatePredicate || bound.fromDay === null) return false;
  const grammar = grammars[dialect];
  const placeholder = 'mantissa_partition_ref';
  const column = `${grammar.quote(placeholder)}.${grammar.dateColumn}`;
  const predicate = bound.toDay === null ? `${column} >= '${bound.fromDay}'` : `${column} BETWEEN '${bound.fromDay}' AND '${bound.toDay}'`;
  const template = parseOne(`SELECT 1 FROM t AS ${grammar.quote(placeholder)} WHERE ${predicate}`, dialect);
  const expr = template.where as Node;
  (expr.left as Node).table = ref.name;
  const where = ref.select.where as Node | null | undefined;
  if (where && where.type === 'binary_expr' && String(where.operator).toUpperCase() === 'OR') where.parentheses = true;
  ref.select.where = where ? { type: 'binary_expr', operator: 'AND', left: where, right: expr } : expr;
  return true;
}

function boundedEventsItem(range: TimeRange, ref: EventReference, dialect: LakeDialect): Node {
  const grammar = grammars[dialect];
  const from = isoLiteral(range.from);
  const to = isoLiteral(range.to);
  // event_time < to: the last partition date is that of the last millisecond before `to`.
  const lastDay = new Date(Date.parse(to) - 1).toISOString().slice(0, 10);
  // The reference's source restriction is repeated inside, so the source partitions are pruned even by an engine
  // that does not push the outer predicate into the subquery, and the rewrite's scope keeps its sources.
  const sources = sourcesOf(ref, dialect);
  const sourcePredicate =
    sources === null || !sources.every((s) => sourceIdPattern.test(s))
      ? ''
      : sources.length === 1
        ? ` AND source = '${sources[0]}'`
        : ` AND source IN (${sources.map((s) => `'${s}'`).join(', ')})`;
  const template = parseOne(
    `SELECT * FROM (SELECT * FROM events WHERE event_time >= '${from}' AND event_time < '${to}' AND ${grammar.dateColumn} BETWEEN '${from.slice(0, 10)}' AND '${lastDay}'${sourcePredicate}) AS q`,
    dialect,
  );
  const item = (template.from as Node[])[0]!;
  const inner = (((item.expr as Node).ast as Node).from as Node[]);
  // The same table, qualifier and quoting as the reference it replaces, without its alias and join.
  const table: Node = { ...ref.item, as: null };
  for (const key of ['join', 'on', 'using']) delete table[key];
  inner[0] = table;
  item.as = ref.name;
  // Keep the join (and its ON clause) the original item took part in.
  for (const key of ['join', 'on', 'using']) if (key in ref.item) item[key] = ref.item[key];
  return item;
}

/** Source ids as core/schema/event defines them: safe to write between quotes. */
const sourceIdPattern = /^[a-z][a-z0-9_]{0,39}$/;

/** Range bounds come from our own code, but they are spliced into SQL text: only plain ISO instants pass. */
function isoLiteral(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(value)) throw new Error(`not an ISO instant: ${value}`);
  return value;
}

/** `source = 'x'` / `source IN ('x', …)` conjuncts restricting the reference; null = any source. */
function sourcesOf(ref: EventReference, dialect: LakeDialect): string[] | null {
  for (const c of splitAnd(ref.select.where as Node | null)) {
    if (c.type !== 'binary_expr') continue;
    const op = String(c.operator).toUpperCase();
    if (op === '=' && isColumnOf(c.left, 'source', ref, dialect) && isStringLiteral(c.right, dialect)) return [String((c.right as Node).value)];
    if (op === '=' && isColumnOf(c.right, 'source', ref, dialect) && isStringLiteral(c.left, dialect)) return [String((c.left as Node).value)];
    if (op === 'IN' && isColumnOf(c.left, 'source', ref, dialect)) {
      const values = ((c.right as Node).value as unknown[] | undefined) ?? [];
      if (values.length > 0 && values.every((v) => isStringLiteral(v, dialect))) return values.map((v) => String((v as Node).value));
    }
  }
  return null;
}
