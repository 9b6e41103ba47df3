/**
 * What a validated SQLite query reads from `events`, and the two rewrites the query pipeline applies to it:
 * a time bound on every unbounded read of `events`, and a row LIMIT.
 *
 * Input is SQL that already passed core/sql/validate-query (so CTE names never shadow `events`, and there are no
 * recursive CTEs). Every SELECT that names `events` in its FROM is a *scope*. A scope is time-bounded when a
 * top-level conjunct of its WHERE puts a lower bound on `event_time` (`>=`, `>`, `=`, `BETWEEN`); a bound under
 * OR or NOT does not count, because it does not bound the rows read. The time-bound rewrite replaces each
 * unbounded `events` reference by `(SELECT * FROM events WHERE event_time >= from AND event_time < to) AS
 * <same alias>`, which keeps every column reference and join meaning intact (a WHERE addition would turn a LEFT
 * JOIN into an inner one).
 */
import sqliteParser from 'node-sql-parser/build/sqlite.js';
import { forEachSelectWithFrom, splitAnd } from './sql-ast';

const { Parser } = sqliteParser;
const parser = new Parser();
const parseOptions = { database: 'sqlite' } as const;

type Node = Record<string, unknown>;

export interface TimeRange {
  readonly from: string;
  readonly to: string;
}

export interface QueryScope {
  /** True when every read of `events` has a lower bound on event_time (or the query does not read events). */
  readonly timeBounded: boolean;
  /** Sources every read of `events` is restricted to (`source = 'x'` / `source IN (…)`); null = any source. */
  readonly sources: readonly string[] | null;
  /** The event_time range read, when every bound is a literal or `datetime('now', '-N unit')`; null = unknown. */
  readonly range: { readonly from: string | null; readonly to: string | null } | null;
  /** Whether the query reads `events` at all. */
  readonly readsEvents: boolean;
}

/** Scope of a validated query; `now` resolves `datetime('now', …)` bounds. */
export function analyzeQueryScope(sql: string, now: Date): QueryScope {
  const root = parseOne(sql);
  const scopes = eventScopes(root);
  if (scopes.length === 0) return { timeBounded: true, sources: null, range: null, readsEvents: false };
  let timeBounded = true;
  let sources: Set<string> | null = new Set();
  let from = null as string | null;
  let to = null as string | null;
  let rangeKnown = true;
  for (const scope of scopes) {
    const conjuncts = splitAnd(scope.select.where as Node | null);
    const bound = timeBoundOf(conjuncts, scope.aliases, now);
    if (!bound.lowerBounded) timeBounded = false;
    if (bound.from === null) rangeKnown = false;
    else {
      from = from === null || bound.from < from ? bound.from : from;
      // No upper bound means "up to now": the range a lake engine scans.
      const scopeTo = bound.to ?? now.toISOString();
      to = to === null || scopeTo > to ? scopeTo : to;
    }
    const scopeSources = sourcesOf(conjuncts, scope.aliases);
    if (scopeSources === null || sources === null) sources = null;
    else for (const s of scopeSources) sources.add(s);
  }
  return {
    timeBounded,
    sources: sources === null ? null : [...sources].sort(),
    range: rangeKnown ? { from, to } : null,
    readsEvents: true,
  };
}

/**
 * Adds `range` as a bound to every read of `events` that has no lower bound on event_time; returns the query
 * unchanged (`added: false`) when all reads are bounded.
 */
export function addEventTimeBound(sql: string, range: TimeRange, now: Date): { sql: string; added: boolean } {
  const root = parseOne(sql);
  let added = false;
  for (const scope of eventScopes(root)) {
    const bound = timeBoundOf(splitAnd(scope.select.where as Node | null), scope.aliases, now);
    if (bound.lowerBounded) continue;
    const from = scope.select.from as Node[];
    for (const [index, item] of from.entries()) {
      if (!isEventsTable(item)) continue;
      from[index] = boundedEventsItem(range, (item.as as string | null) ?? 'events', item);
      added = true;
    }
  }
  return { sql: added ? parser.sqlify(root as never, parseOptions) : sql, added };
}

/**
 * Writes `LIMIT max` on the outermost SELECT when it has none (a compound SELECT is left alone: the query
 * runner's outer LIMIT bounds it). Returns whether a LIMIT was added.
 */
export function addRowLimit(sql: string, max: number): { sql: string; added: boolean } {
  const root = parseOne(sql);
  if (root._next || (root.limit && Array.isArray((root.limit as Node).value) && ((root.limit as Node).value as unknown[]).length > 0)) {
    return { sql, added: false };
  }
  root.limit = { seperator: '', value: [{ type: 'number', value: max }] };
  return { sql: parser.sqlify(root as never, parseOptions), added: true };
}

function parseOne(sql: string): Node {
  const ast = parser.astify(sql, parseOptions);
  const root = (Array.isArray(ast) ? ast[0] : ast) as Node | undefined;
  if (!root || root.type !== 'select') throw new Error('query-scope: expected one validated SELECT');
  return root;
}

interface EventScope {
  readonly select: Node;
  /** Names by which this SELECT refers to `events` (its alias, or "events"). */
  readonly aliases: ReadonlySet<string>;
}

function isEventsTable(item: Node): boolean {
  return typeof item.table === 'string' && item.table.toLowerCase() === 'events' && (item.db === null || item.db === undefined);
}

/** Every SELECT (at any depth, CTE bodies and UNION arms included) that names `events` in its FROM. */
function eventScopes(root: Node): EventScope[] {
  const scopes: EventScope[] = [];
  forEachSelectWithFrom(root, (select, from) => {
    const aliases = new Set<string>();
    for (const item of from) {
      if (isEventsTable(item)) aliases.add(String(item.as ?? 'events').toLowerCase());
    }
    if (aliases.size > 0) scopes.push({ select, aliases });
  });
  return scopes;
}

function isColumn(node: unknown, column: string, aliases: ReadonlySet<string>): boolean {
  if (!node || typeof node !== 'object') return false;
  const n = node as Node;
  // The validator regenerates SQL with every identifier double-quoted, which this grammar reads back as a
  // double-quoted string; SQLite resolves it as the column when one of that name exists (event_time, source).
  if (n.type === 'double_quote_string') return typeof n.value === 'string' && n.value.toLowerCase() === column;
  if (n.type !== 'column_ref') return false;
  const name = typeof n.column === 'string' ? n.column : ((n.column as Node | undefined)?.expr as Node | undefined)?.value;
  if (typeof name !== 'string' || name.toLowerCase() !== column) return false;
  return n.table === null || n.table === undefined || aliases.has(String(n.table).toLowerCase());
}

interface Bound {
  lowerBounded: boolean;
  from: string | null;
  to: string | null;
}

function timeBoundOf(conjuncts: Node[], aliases: ReadonlySet<string>, now: Date): Bound {
  const bound: Bound = { lowerBounded: false, from: null, to: null };
  const lower = (value: Node) => {
    bound.lowerBounded = true;
    const t = instantOf(value, now);
    if (t !== null && (bound.from === null || t > bound.from)) bound.from = t;
  };
  const upper = (value: Node) => {
    const t = instantOf(value, now);
    if (t !== null && (bound.to === null || t < bound.to)) bound.to = t;
  };
  for (const c of conjuncts) {
    if (c.type !== 'binary_expr') continue;
    const op = String(c.operator).toUpperCase();
    const left = c.left as Node;
    const right = c.right as Node;
    if (op === 'BETWEEN' && isColumn(left, 'event_time', aliases)) {
      const [a, b] = ((right.value as Node[] | undefined) ?? []) as Node[];
      if (a) lower(a);
      if (b) upper(b);
      continue;
    }
    const leftCol = isColumn(left, 'event_time', aliases);
    const rightCol = isColumn(right, 'event_time', aliases);
    if (leftCol === rightCol) continue;
    const other = leftCol ? right : left;
    if (other.type === 'column_ref' || other.type === 'double_quote_string') continue;
    // Normalise to "event_time <op> other".
    const flipped: Record<string, string> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=', '=': '=' };
    const normal = leftCol ? op : flipped[op];
    if (normal === '>' || normal === '>=') lower(other);
    else if (normal === '<' || normal === '<=') upper(other);
    else if (normal === '=') {
      lower(other);
      upper(other);
    }
  }
  return bound;
}

function sourcesOf(conjuncts: Node[], aliases: ReadonlySet<string>): string[] | null {
  for (const c of conjuncts) {
    if (c.type !== 'binary_expr') continue;
    const op = String(c.operator).toUpperCase();
    if (op === '=' && isColumn(c.left, 'source', aliases) && isString(c.right)) return [String((c.right as Node).value)];
    if (op === '=' && isColumn(c.right, 'source', aliases) && isString(c.left)) return [String((c.left as Node).value)];
    if (op === 'IN' && isColumn(c.left, 'source', aliases)) {
      const values = ((c.right as Node).value as Node[] | undefined) ?? [];
      if (values.length > 0 && values.every((v) => isString(v))) return values.map((v) => String(v.value));
    }
  }
  return null;
}

function isString(node: unknown): boolean {
  return !!node && typeof node === 'object' && ((node as Node).type === 'single_quote_string' || (node as Node).type === 'string');
}

const unitMs: Record<string, number> = {
  second: 1000,
  seconds: 1000,
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

/**
 * An ISO instant for a bound: a literal date/time string, or `datetime('now'[, '-N unit'])` /
 * `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-N unit')`. Anything else is unknown (null).
 */
function instantOf(node: Node, now: Date): string | null {
  if (isString(node)) {
    const text = String(node.value);
    if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
    const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) || text.length === 10 ? text : `${text.replace(' ', 'T')}Z`);
    return Number.isNaN(ms) ? null : new Date(ms).toISOString();
  }
  if (node.type === 'function') {
    const name = (((node.name as Node | undefined)?.name as Node[] | undefined)?.[0]?.value as string | undefined)?.toLowerCase();
    const args = (((node.args as Node | undefined)?.value as Node[] | undefined) ?? []).filter((a) => isString(a)).map((a) => String(a.value));
    if (name !== 'datetime' && name !== 'strftime' && name !== 'date') return null;
    const rest = name === 'strftime' ? args.slice(1) : args;
    if (rest[0]?.toLowerCase() !== 'now') return null;
    let ms = now.getTime();
    for (const modifier of rest.slice(1)) {
      const m = /^\s*([+-]?\d+(?:\.\d+)?)\s+([a-z]+)\s*$/i.exec(modifier);
      const unit = m ? unitMs[m[2]!.toLowerCase()] : undefined;
      if (!m || unit === undefined) return null;
      ms += Number(m[1]) * unit;
    }
    if (name === 'date') ms = Math.floor(ms / 86_400_000) * 86_400_000;
    return new Date(ms).toISOString();
  }
  return null;
}

function boundedEventsItem(range: TimeRange, alias: string, original: Node): Node {
  const template = parser.astify(
    `SELECT * FROM (SELECT * FROM events WHERE event_time >= '${isoLiteral(range.from)}' AND event_time < '${isoLiteral(range.to)}') AS bounded`,
    parseOptions,
  ) as unknown as Node;
  const item = (template.from as Node[])[0]!;
  item.as = alias;
  // Keep the join (and its ON clause) the original item took part in.
  for (const key of ['join', 'on', 'using']) if (key in original) item[key] = original[key];
  return item;
}

/** Range bounds come from our own code, but they are spliced into SQL text: only plain ISO instants pass. */
function isoLiteral(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(value)) throw new Error(`not an ISO instant: ${value}`);
  return value;
}
