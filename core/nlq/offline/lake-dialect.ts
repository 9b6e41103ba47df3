/**
 * The offline engine on the lake engines: its SQLite SELECT (render-sql.ts) rewritten for Athena (Trino),
 * BigQuery (GoogleSQL) and Synapse serverless (T-SQL), over the lake's `events` table, which has D1's columns
 * (ISO-8601 text `event_time`, `raw` JSON text; core/lake/external-table-ddl.ts).
 *
 * The SQLite text is parsed with node-sql-parser's sqlite grammar into a small closed tree (`Select`, `Expr`
 * below) and printed by a printer per dialect. The tree holds exactly the constructs the engine emits; anything
 * else makes the translation refuse rather than guess. The constructs, and how each is written:
 *
 * | SQLite (D1)                         | Athena                        | BigQuery                   | Synapse (T-SQL)                   |
 * | ----------------------------------- | ----------------------------- | -------------------------- | --------------------------------- |
 * | 'it''s'                             | 'it''s'                       | 'it\'s'                    | N'it''s'                          |
 * | AS "count" (alias)                  | AS "count"                    | AS `count`                 | AS [count]                        |
 * | LIMIT n                             | LIMIT n                       | LIMIT n                    | SELECT TOP (n) …                  |
 * | substr(s, i, n)                     | substr(s, i, n)               | SUBSTR(s, i, n)            | SUBSTRING(s, i, n)                |
 * | a || b                              | a || b                        | a || b                     | CONCAT(a, b)                      |
 * | instr(hay, needle)                  | strpos(hay, needle)           | STRPOS(hay, needle)        | CHARINDEX(needle, hay)            |
 * | lower(x)                            | lower(x)                      | LOWER(x)                   | LOWER(x)                          |
 * | json_extract(raw, '$.a.b') = 'v'    | json_extract_scalar(raw, …)   | JSON_VALUE(raw, …)         | JSON_VALUE(raw, N'$.a.b')         |
 * | GROUP BY <alias of an expression>   | GROUP BY <the expression>     | GROUP BY <the expression>  | GROUP BY <the expression>         |
 * | ORDER BY <alias of an expression>   | ORDER BY <the expression>     | ORDER BY <the expression>  | ORDER BY <the expression>         |
 *
 * and, unchanged in every dialect: column names, =, <>, <, <=, >, >=, AND, OR, NOT, IN (list), IN (subquery),
 * NOT IN, IS [NOT] NULL, COUNT(*), COUNT(DISTINCT c), MIN, MAX, ORDER BY … ASC/DESC, integer literals.
 *
 * Why each rewrite (vendor documentation):
 * - BigQuery reads "…" as a string literal and escapes quotes with a backslash (lexical structure: quoted
 *   literals), so identifiers that need quoting take backticks, a quote in a value is \' and a newline \n. A value
 *   never holds a backslash: sql-literal.ts refuses one, and so does this module (the sqlite grammar would read it
 *   as an escape).
 * - T-SQL has no LIMIT (TOP) and no || (CONCAT); its literals are N'…' so that a value outside the database's
 *   code page compares as written against the NVARCHAR columns of the lake view.
 * - Trino's GROUP BY takes input columns or ordinals, not output aliases, and T-SQL's takes no alias either; the
 *   lake's `events` also has a partition column `hour`, which `GROUP BY hour` would silently name. So a grouped or
 *   sorted alias of a computed column is written out as its expression; aggregate aliases ("count", first_seen)
 *   stay aliases in ORDER BY, which every dialect resolves against the output columns.
 * - instr → strpos/STRPOS/CHARINDEX: 1-based position, 0 when absent, NULL on a NULL input in all four; T-SQL
 *   takes the needle first. An empty needle (instr gives 1, CHARINDEX 0) is refused.
 * - json_extract → json_extract_scalar / JSON_VALUE: the same `$.a.b` path syntax; allowed only compared with a
 *   string literal, where the four agree on a string field (a number or boolean field reads as text on the
 *   lake, as a number in SQLite; the engine only compares string fields, e.g. CloudTrail's MFAUsed).
 * - Athena's LIKE and comparisons are case-sensitive like SQLite's `=`; the engine never emits LIKE (contains is
 *   instr over lower()), so LIKE is refused rather than translated.
 *
 * Where meaning can still differ, the translation says so in an assumption, and only then:
 * - Synapse compares, groups and sorts text by the database collation (case-insensitive by default, trailing
 *   spaces ignored) where D1 compares bytes: stated when the query compares, groups or sorts a text column other
 *   than event_time (fixed-format ISO text, which every collation orders alike).
 * - Trino sorts NULLs last in both directions, SQLite first when ascending (BigQuery and T-SQL agree with
 *   SQLite): stated for an ascending sort key that may be NULL. Every key the engine sorts by is non-null (NOT
 *   NULL columns, grouped columns filtered IS NOT NULL, counts), so in practice this is never said.
 * - T-SQL's CONCAT reads NULL as empty text where || gives NULL: stated when an operand may be NULL (the engine's
 *   only || is on substr(event_time, …), which the time range makes non-null).
 * - lower()/upper() fold only A–Z in SQLite and every letter on the lake: stated when a folded comparison has a
 *   non-ASCII literal.
 *
 * Invariants: the output is one SELECT over `events` only (an `alerts` question is refused: alerts live in D1);
 * values reach the output only through `stringLiteral`; the same input gives the same output.
 */
import sqliteParser from 'node-sql-parser/build/sqlite.js';
import type { LakeDialect } from '../../sql/validate-dialect-query';
import type { Translation } from '../translator';
import { exampleQuestions } from './suggestions';

export type LakeSqlResult = { ok: true; sql: string; assumptions: string[] } | { ok: false; message: string };

const dialectLabels: Record<LakeDialect, string> = { athena: 'Athena', bigquery: 'BigQuery', synapse: 'Synapse' };

/** The lake's only table; `alerts` (and the rest of D1's tables) stay in D1. */
const lakeTables = new Set(['events']);

/** Columns the normalized schema never leaves NULL (core/schema/event.ts), plus the storage key. */
const nonNullColumns = new Set(['event_uid', 'event_id', 'source', 'event_time', 'ingest_time', 'action', 'outcome', 'raw']);

/**
 * Names written quoted in every dialect: function, type and date-part names that a grammar may read as
 * something else (Athena's grammar reads a bare `date` as the DATE function; `hour` is also a lake column).
 */
const quotedNames = new Set(['count', 'date', 'hour', 'day', 'month', 'year', 'minute', 'second', 'time', 'timestamp', 'min', 'max', 'sum', 'avg', 'first', 'last', 'user', 'key', 'value', 'type', 'status']);

type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

type Expr =
  | { readonly kind: 'column'; readonly name: string }
  /** A reference, in GROUP BY or ORDER BY, to a select-list alias. */
  | { readonly kind: 'alias'; readonly name: string; readonly target: Expr }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'call'; readonly fn: 'substr' | 'instr' | 'lower' | 'upper' | 'json_extract'; readonly args: readonly Expr[] }
  | { readonly kind: 'aggregate'; readonly fn: 'COUNT' | 'MIN' | 'MAX'; readonly distinct: boolean; readonly arg: Expr | null }
  | { readonly kind: 'concat'; readonly parts: readonly Expr[]; readonly parens: boolean }
  | { readonly kind: 'compare'; readonly op: ComparisonOperator; readonly left: Expr; readonly right: Expr; readonly parens: boolean }
  | { readonly kind: 'logical'; readonly op: 'AND' | 'OR'; readonly left: Expr; readonly right: Expr; readonly parens: boolean }
  | { readonly kind: 'not'; readonly operand: Expr }
  | { readonly kind: 'in'; readonly negated: boolean; readonly left: Expr; readonly list: readonly Expr[] | Select; readonly parens: boolean }
  | { readonly kind: 'is_null'; readonly negated: boolean; readonly operand: Expr; readonly parens: boolean };

interface Select {
  readonly columns: readonly { readonly expr: Expr; readonly alias: string | null }[];
  readonly table: string;
  readonly where: Expr | null;
  readonly groupBy: readonly Expr[];
  readonly orderBy: readonly { readonly expr: Expr; readonly direction: 'ASC' | 'DESC' | null }[];
  readonly limit: number | null;
}

/** Why the SQL cannot be written for the lake; the message is for the analyst. */
class Untranslatable extends Error {
  override readonly name = 'Untranslatable';
}

/** The SQL reads a table that only D1 has. */
class NotOnLake extends Error {
  override readonly name = 'NotOnLake';
  constructor(readonly table: string) {
    super(`${table} is not a lake table`);
  }
}

const sqlite = new sqliteParser.Parser();

/** The engine's SQLite SELECT written for a lake dialect, with the assumptions the rewrite adds. */
export function sqliteToLake(sqliteSql: string, dialect: LakeDialect): LakeSqlResult {
  let select: Select;
  try {
    // node-sql-parser reads a backslash in a literal as an escape, SQLite as a plain character: the value read
    // back would not be the value written. The engine never writes one (sql-literal.ts refuses it).
    if (sqliteSql.includes('\\')) throw new Untranslatable('its SQL holds a backslash, which would be read back as a different value');
    let ast: unknown;
    try {
      ast = sqlite.astify(sqliteSql, { database: 'sqlite' });
    } catch (err) {
      throw new Untranslatable(`its SQL could not be read back (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
    }
    const statements = Array.isArray(ast) ? ast : [ast];
    if (statements.length !== 1) throw new Untranslatable('its SQL is not a single SELECT');
    select = readSelect(statements[0] as Node, 0);
  } catch (err) {
    if (err instanceof NotOnLake) {
      const what = err.table === 'alerts' ? 'Alerts are kept in D1 only, not in the lake' : `The table ${err.table} is kept in D1 only, not in the lake`;
      return { ok: false, message: `${what}: ask this on the D1 engine. On ${dialectLabels[dialect]} the offline engine answers questions about events.` };
    }
    if (!(err instanceof Untranslatable)) throw err;
    return { ok: false, message: `The offline engine cannot write this question for ${dialectLabels[dialect]}: ${err.message}.` };
  }
  const printer = new Printer(dialect);
  const sql = printer.select(select);
  return { ok: true, sql, assumptions: assumptionsFor(select, dialect) };
}

/**
 * A D1 translation carried over to a lake dialect: the same explanation, time range and assumptions, the SQL
 * rewritten, plus the assumptions where the dialect's meaning differs. A refusal keeps its message; its
 * suggestions are narrowed to questions that answer on the lake (`translateD1` reads a suggestion on D1, with no
 * history), topped up from the engine's examples so that a refusal always suggests something.
 */
export function translationForLake(d1: Translation, dialect: LakeDialect, question: string, translateD1: (question: string) => Translation): Translation {
  const answersOnLake = (q: string): boolean => {
    const t = translateD1(q);
    return t.ok && sqliteToLake(t.sql, dialect).ok;
  };
  const suggestions = (given: readonly string[]): string[] => {
    const kept = given.filter(answersOnLake);
    for (const example of rankedExamples(question)) {
      if (kept.length >= 3) break;
      if (!kept.includes(example) && answersOnLake(example)) kept.push(example);
    }
    return kept;
  };
  if (!d1.ok) return { ...d1, suggestions: suggestions(d1.suggestions) };
  const lake = sqliteToLake(d1.sql, dialect);
  if (!lake.ok) return { ok: false, message: lake.message, suggestions: suggestions([]), engine: d1.engine };
  return { ...d1, sql: lake.sql, assumptions: [...d1.assumptions, ...lake.assumptions.filter((a) => !d1.assumptions.includes(a))] };
}

/** The engine's examples, closest to the question first (shared words), as suggestions.ts ranks them. */
function rankedExamples(question: string): string[] {
  const words = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []);
  const asked = words(question);
  return exampleQuestions
    .map((q, i) => {
      const w = words(q);
      let shared = 0;
      for (const x of w) if (asked.has(x)) shared++;
      return { q, i, score: shared / Math.sqrt(w.size) };
    })
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map((s) => s.q);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the SQLite tree into the closed subset

type Node = Record<string, unknown>;

const comparisonOperators = new Set<string>(['=', '<>', '!=', '<', '<=', '>', '>=']);

function readSelect(node: Node, depth: number): Select {
  if (node.type !== 'select') throw new Untranslatable(`its SQL is a ${String(node.type)} statement, not a SELECT`);
  if (depth > 1) throw new Untranslatable('its SQL nests subqueries deeper than the engine writes them');
  for (const key of ['with', 'distinct', 'having', '_next', 'set_op', 'options', 'window', 'into']) {
    if (node[key] !== null && node[key] !== undefined) throw new Untranslatable(`its SQL uses ${key.toUpperCase()}, which this translation does not cover`);
  }
  const from = node.from as Node[] | null;
  if (!Array.isArray(from) || from.length !== 1) throw new Untranslatable('its SQL does not read exactly one table');
  const item = from[0]!;
  if (typeof item.table !== 'string' || item.db || item.as || item.join || item.on) throw new Untranslatable('its SQL reads a table in a form this translation does not cover');
  if (!lakeTables.has(item.table.toLowerCase())) throw new NotOnLake(item.table.toLowerCase());
  if (!Array.isArray(node.columns)) throw new Untranslatable('its SQL selects * or nothing');
  const columns = (node.columns as Node[]).map((c) => {
    const alias = c.as === null || c.as === undefined ? null : identifier(c.as);
    return { expr: readExpr(c.expr as Node, depth), alias };
  });
  const aliases = new Map(columns.filter((c) => c.alias !== null).map((c) => [c.alias!, c.expr] as const));
  const groupby = node.groupby as { columns?: Node[] | null } | Node[] | null;
  const groupItems = groupby === null || groupby === undefined ? [] : Array.isArray(groupby) ? groupby : (groupby.columns ?? []);
  const groupBy = groupItems.map((g) => readKey(g, aliases, depth));
  const orderBy = ((node.orderby as Node[] | null) ?? []).map((o) => {
    const direction: 'ASC' | 'DESC' | null = o.type === 'ASC' || o.type === 'DESC' ? o.type : o.type === null || o.type === undefined ? null : bad(`ORDER BY … ${String(o.type)}`);
    if (o.nulls) bad('NULLS FIRST/LAST');
    return { expr: readKey(o.expr as Node, aliases, depth), direction };
  });
  const limitNode = node.limit as { seperator?: string; value?: Node[] } | null;
  let limit: number | null = null;
  if (limitNode && Array.isArray(limitNode.value) && limitNode.value.length > 0) {
    if (limitNode.value.length !== 1 || limitNode.seperator) bad('LIMIT with OFFSET');
    const v = limitNode.value[0]!;
    if (v.type !== 'number' || !Number.isSafeInteger(v.value) || (v.value as number) < 0) bad('a LIMIT that is not a whole number');
    limit = v.value as number;
  }
  const where = node.where ? readExpr(node.where as Node, depth) : null;
  return { columns, table: item.table.toLowerCase(), where, groupBy, orderBy, limit };
}

/** A GROUP BY / ORDER BY key: a bare name (or SQLite's "quoted" name) that names an alias refers to it. */
function readKey(node: Node, aliases: ReadonlyMap<string, Expr>, depth: number): Expr {
  const name = node.type === 'column_ref' && !node.table ? columnName(node) : node.type === 'double_quote_string' ? String(node.value) : null;
  if (name !== null) {
    const target = aliases.get(name);
    if (target && !(target.kind === 'column' && target.name === name)) return { kind: 'alias', name, target };
    return { kind: 'column', name: identifier(name) };
  }
  return readExpr(node, depth);
}

function readExpr(node: Node, depth: number): Expr {
  const parens = node.parentheses === true;
  switch (node.type) {
    case 'column_ref': {
      if (node.table) bad('a table-qualified column');
      if (node.collate) bad('COLLATE');
      return { kind: 'column', name: identifier(columnName(node)) };
    }
    case 'single_quote_string':
      // The sqlite grammar keeps the literal's text as written: a quote is still doubled.
      return { kind: 'string', value: String(node.value).replaceAll("''", "'") };
    case 'number':
      if (typeof node.value !== 'number' || !Number.isFinite(node.value)) bad('a number it cannot read');
      return { kind: 'number', value: node.value as number };
    case 'aggr_func':
      return readAggregate(node, depth);
    case 'function':
      return readCall(node, depth);
    case 'unary_expr':
      if (String(node.operator).toUpperCase() !== 'NOT') bad(`the operator ${String(node.operator)}`);
      return { kind: 'not', operand: readExpr(node.expr as Node, depth) };
    case 'binary_expr':
      return readBinary(node, depth, parens);
    default:
      return bad(node.type === 'double_quote_string' ? 'a "double-quoted" value' : `${String(node.type)}`);
  }
}

function readBinary(node: Node, depth: number, parens: boolean): Expr {
  const op = String(node.operator).toUpperCase();
  const left = node.left as Node;
  const right = node.right as Node;
  if (op === 'AND' || op === 'OR') return { kind: 'logical', op, left: readExpr(left, depth), right: readExpr(right, depth), parens };
  if (comparisonOperators.has(op)) {
    const compare: Expr = { kind: 'compare', op: op === '!=' ? '<>' : (op as ComparisonOperator), left: readExpr(left, depth), right: readExpr(right, depth), parens };
    checkJsonComparison(compare);
    return compare;
  }
  if (op === '||') {
    const parts = [readExpr(left, depth), readExpr(right, depth)].flatMap((p) => (p.kind === 'concat' && !p.parens ? p.parts : [p]));
    return { kind: 'concat', parts, parens };
  }
  if (op === 'IN' || op === 'NOT IN') {
    const values = right.type === 'expr_list' && Array.isArray(right.value) ? (right.value as Node[]) : bad('IN without a list');
    const first = values[0] as Node | undefined;
    const list = values.length === 1 && first?.ast ? readSelect(first.ast as Node, depth + 1) : values.map((v) => readExpr(v, depth));
    if (Array.isArray(list) && list.length === 0) bad('an empty IN list');
    return { kind: 'in', negated: op === 'NOT IN', left: readExpr(left, depth), list, parens };
  }
  if (op === 'IS' || op === 'IS NOT') {
    if (right.type !== 'null') bad(`${op} with something other than NULL`);
    return { kind: 'is_null', negated: op === 'IS NOT', operand: readExpr(left, depth), parens };
  }
  return bad(`the operator ${op}`);
}

function readAggregate(node: Node, depth: number): Expr {
  const fn = String(node.name).toUpperCase();
  if (fn !== 'COUNT' && fn !== 'MIN' && fn !== 'MAX') bad(`the aggregate ${fn}`);
  if (node.over) bad('a window function');
  const args = node.args as { expr?: Node; distinct?: string | null; orderby?: unknown } | undefined;
  if (!args?.expr) bad(`${fn} without an argument`);
  if (args.orderby) bad(`${fn} with ORDER BY`);
  const distinct = args.distinct === 'DISTINCT';
  if (args.expr.type === 'star') {
    if (fn !== 'COUNT' || distinct) bad(`${fn}(*)`);
    return { kind: 'aggregate', fn, distinct: false, arg: null };
  }
  return { kind: 'aggregate', fn, distinct, arg: readExpr(args.expr, depth) };
}

function readCall(node: Node, depth: number): Expr {
  const nameParts = ((node.name as { name?: Node[] } | undefined)?.name ?? []).map((p) => String(p.value));
  const name = nameParts.join('.').toLowerCase();
  const argNodes = (node.args as { value?: Node[] } | undefined)?.value ?? [];
  if (node.over) bad('a window function');
  const args = argNodes.map((a) => readExpr(a, depth));
  const arity = (n: number) => {
    if (args.length !== n) bad(`${name}() with ${args.length} arguments`);
  };
  switch (name) {
    case 'not':
      arity(1);
      return { kind: 'not', operand: args[0]! };
    case 'lower':
    case 'upper':
      arity(1);
      return { kind: 'call', fn: name, args };
    case 'substr': {
      arity(3);
      // Positions and lengths agree across the four only from 1 on and for non-negative lengths.
      const [, start, length] = args;
      if (start!.kind !== 'number' || !Number.isInteger(start.value) || start.value < 1) bad('substr() from a position other than a whole number from 1');
      if (length!.kind !== 'number' || !Number.isInteger(length.value) || length.value < 0) bad('substr() with a length other than a whole number');
      return { kind: 'call', fn: name, args };
    }
    case 'instr':
      arity(2);
      if (args[1]!.kind === 'string' && args[1].value === '') bad('instr() with an empty needle');
      return { kind: 'call', fn: name, args };
    case 'json_extract': {
      arity(2);
      const path = args[1]!;
      // A plain member path means the same in SQLite, Trino (JSONPath), BigQuery and T-SQL (lax mode).
      if (path.kind !== 'string' || !/^\$(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path.value)) bad('json_extract() with a path other than $.name.name');
      return { kind: 'call', fn: name, args };
    }
    default:
      return bad(`the function ${name}()`);
  }
}

/** json_extract may only be compared with a string literal (see the module header). */
function checkJsonComparison(compare: Extract<Expr, { kind: 'compare' }>): void {
  const isJson = (e: Expr) => e.kind === 'call' && e.fn === 'json_extract';
  if ((isJson(compare.left) && compare.right.kind !== 'string') || (isJson(compare.right) && compare.left.kind !== 'string')) {
    bad('json_extract() compared with something other than text');
  }
}

function columnName(node: Node): string {
  const column = node.column;
  if (typeof column === 'string') return column;
  const value = ((column as Node | undefined)?.expr as Node | undefined)?.value;
  if (typeof value === 'string') return value;
  return bad('a column it cannot read');
}

function identifier(name: unknown): string {
  if (typeof name !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(name)) return bad(`the name ${JSON.stringify(name)}`);
  return name;
}

function bad(what: string): never {
  throw new Untranslatable(`its SQL uses ${what}, which this translation does not cover`);
}

function isSubquery(list: readonly Expr[] | Select): list is Select {
  return !Array.isArray(list);
}

function subqueriesOf(e: Expr): Select[] {
  switch (e.kind) {
    case 'in':
      return [...(isSubquery(e.list) ? [e.list] : e.list.flatMap(subqueriesOf)), ...subqueriesOf(e.left)];
    case 'logical':
    case 'compare':
      return [...subqueriesOf(e.left), ...subqueriesOf(e.right)];
    case 'not':
      return subqueriesOf(e.operand);
    case 'is_null':
      return subqueriesOf(e.operand);
    default:
      return [];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Printing

/** Binding strength, for parentheses the tree needs but the source did not write. */
const precedence = { or: 1, and: 2, not: 3, predicate: 4, concat: 5, primary: 9 } as const;

class Printer {
  constructor(private readonly dialect: LakeDialect) {}

  select(s: Select): string {
    const top = this.dialect === 'synapse' && s.limit !== null ? `TOP (${s.limit}) ` : '';
    const columns = s.columns.map((c) => (c.alias === null ? this.expr(c.expr) : `${this.expr(c.expr)} AS ${this.name(c.alias)}`));
    let sql = `SELECT ${top}${columns.join(', ')} FROM ${this.name(s.table)}`;
    if (s.where) sql += ` WHERE ${this.expr(s.where)}`;
    if (s.groupBy.length > 0) sql += ` GROUP BY ${s.groupBy.map((g) => this.expr(g.kind === 'alias' ? g.target : g)).join(', ')}`;
    if (s.orderBy.length > 0) {
      sql += ` ORDER BY ${s.orderBy
        .map((o) => `${this.expr(o.expr.kind === 'alias' && !hasAggregate(o.expr.target) ? o.expr.target : o.expr)}${o.direction ? ` ${o.direction}` : ''}`)
        .join(', ')}`;
    }
    if (s.limit !== null && this.dialect !== 'synapse') sql += ` LIMIT ${s.limit}`;
    return sql;
  }

  private expr(e: Expr, parent: number = 0): string {
    const wrap = (text: string, own: number, parens = false) => (parens || own < parent ? `(${text})` : text);
    switch (e.kind) {
      case 'column':
      case 'alias':
        return this.name(e.name);
      case 'string':
        return this.literal(e.value);
      case 'number':
        return String(e.value);
      case 'aggregate':
        return `${e.fn}(${e.arg === null ? '*' : `${e.distinct ? 'DISTINCT ' : ''}${this.expr(e.arg)}`})`;
      case 'call':
        return this.call(e.fn, e.args);
      case 'concat': {
        const parts = e.parts.map((p) => this.expr(p, precedence.concat + 1));
        if (this.dialect === 'synapse') return wrap(`CONCAT(${e.parts.map((p) => this.expr(p)).join(', ')})`, precedence.primary, e.parens);
        return wrap(parts.join(' || '), precedence.concat, e.parens);
      }
      case 'compare':
        return wrap(`${this.expr(e.left, precedence.concat)} ${e.op} ${this.expr(e.right, precedence.concat)}`, precedence.predicate, e.parens);
      case 'logical': {
        const own = e.op === 'AND' ? precedence.and : precedence.or;
        return wrap(`${this.expr(e.left, own)} ${e.op} ${this.expr(e.right, own)}`, own, e.parens);
      }
      case 'not':
        // Always parenthesised: NOT binds looser than a comparison, which a reader should not have to know.
        return wrap(`NOT (${this.expr(e.operand)})`, precedence.not);
      case 'in': {
        const list = isSubquery(e.list) ? this.select(e.list) : e.list.map((v) => this.expr(v)).join(', ');
        return wrap(`${this.expr(e.left, precedence.concat)} ${e.negated ? 'NOT IN' : 'IN'} (${list})`, precedence.predicate, e.parens);
      }
      case 'is_null':
        return wrap(`${this.expr(e.operand, precedence.concat)} IS ${e.negated ? 'NOT ' : ''}NULL`, precedence.predicate, e.parens);
    }
  }

  private call(fn: Extract<Expr, { kind: 'call' }>['fn'], args: readonly Expr[]): string {
    const a = args.map((x) => this.expr(x));
    const upper = this.dialect !== 'athena';
    switch (fn) {
      case 'lower':
      case 'upper':
        return `${upper ? fn.toUpperCase() : fn}(${a[0]})`;
      case 'substr':
        return `${{ athena: 'substr', bigquery: 'SUBSTR', synapse: 'SUBSTRING' }[this.dialect]}(${a.join(', ')})`;
      case 'instr':
        return this.dialect === 'synapse' ? `CHARINDEX(${a[1]}, ${a[0]})` : `${upper ? 'STRPOS' : 'strpos'}(${a[0]}, ${a[1]})`;
      case 'json_extract':
        return `${this.dialect === 'athena' ? 'json_extract_scalar' : 'JSON_VALUE'}(${a[0]}, ${a[1]})`;
    }
  }

  private name(name: string): string {
    if (!quotedNames.has(name)) return name;
    return this.dialect === 'athena' ? `"${name}"` : this.dialect === 'bigquery' ? `\`${name}\`` : `[${name}]`;
  }

  /** The one place a value becomes SQL text in a lake dialect. */
  private literal(value: string): string {
    switch (this.dialect) {
      case 'athena':
        return `'${value.replaceAll("'", "''")}'`;
      case 'bigquery':
        // GoogleSQL: backslash escapes; a quoted literal may not hold a raw newline. (No value holds a backslash:
        // sqliteToLake refuses one; it is escaped all the same, so the literal stays one literal whatever comes.)
        return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n').replaceAll('\r', '\\r')}'`;
      case 'synapse':
        return `N'${value.replaceAll("'", "''")}'`;
    }
  }
}

function hasAggregate(e: Expr): boolean {
  switch (e.kind) {
    case 'aggregate':
      return true;
    case 'call':
      return e.args.some(hasAggregate);
    case 'concat':
      return e.parts.some(hasAggregate);
    case 'compare':
    case 'logical':
      return hasAggregate(e.left) || hasAggregate(e.right);
    case 'not':
      return hasAggregate(e.operand);
    case 'alias':
      return hasAggregate(e.target);
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Where the dialect's meaning differs from D1's

function assumptionsFor(select: Select, dialect: LakeDialect): string[] {
  const out: string[] = [];
  const selects = allSelects(select);
  if (dialect === 'synapse') {
    const textColumns = [...new Set(selects.flatMap(collationSensitiveColumns))];
    if (textColumns.length > 0) {
      out.push(
        `on Synapse, text is compared, grouped and sorted by the database's collation, which by default (SQL_Latin1_General_CP1_CI_AS) ignores case and trailing spaces where D1 compares bytes (here: ${textColumns.join(', ')})`,
      );
    }
    const nullableConcat = selects.some((s) => allExprs(s).some((e) => e.kind === 'concat' && e.parts.some((p) => !isNonNull(p, s))));
    if (nullableConcat) out.push('on Synapse, CONCAT reads a missing (NULL) part as empty text, where D1 gives no value');
  }
  if (dialect === 'athena') {
    for (const s of selects) {
      for (const o of s.orderBy) {
        if (o.direction !== 'DESC' && !isNonNull(o.expr, s)) {
          out.push(`on Athena, rows whose ${keyLabel(o.expr)} is unknown (NULL) sort last, where D1 sorts them first`);
        }
      }
    }
  }
  const folds = selects.some((s) => allExprs(s).some((e) => e.kind === 'call' && (e.fn === 'lower' || e.fn === 'upper')));
  const nonAscii = selects.some((s) => allExprs(s).some((e) => e.kind === 'string' && /[\u0080-\uffff]/.test(e.value)));
  if (folds && nonAscii) out.push(`on ${dialectLabels[dialect]}, lower() folds every letter, D1's only A to Z: matching non-ASCII text ignores case there`);
  return [...new Set(out)];
}

function allSelects(s: Select): Select[] {
  const nested = [...s.columns.map((c) => c.expr), ...(s.where ? [s.where] : [])].flatMap(subqueriesOf);
  return [s, ...nested.flatMap(allSelects)];
}

/** Every expression of one SELECT (not descending into subqueries). */
function allExprs(s: Select): Expr[] {
  const out: Expr[] = [];
  const visit = (e: Expr): void => {
    out.push(e);
    switch (e.kind) {
      case 'alias':
        return visit(e.target);
      case 'call':
        return e.args.forEach(visit);
      case 'aggregate':
        if (e.arg) visit(e.arg);
        return;
      case 'concat':
        return e.parts.forEach(visit);
      case 'compare':
      case 'logical':
        visit(e.left);
        return visit(e.right);
      case 'not':
        return visit(e.operand);
      case 'is_null':
        return visit(e.operand);
      case 'in':
        visit(e.left);
        if (!isSubquery(e.list)) e.list.forEach(visit);
        return;
      default:
        return;
    }
  };
  for (const c of s.columns) visit(c.expr);
  if (s.where) visit(s.where);
  for (const g of s.groupBy) visit(g);
  for (const o of s.orderBy) visit(o.expr);
  return out;
}

/**
 * Text columns whose comparison, grouping or sorting depends on the collation: compared with a literal (=, <>,
 * IN), grouped, or sorted. event_time is left out: its fixed ISO-8601 format orders alike in every collation.
 */
function collationSensitiveColumns(s: Select): string[] {
  const names: string[] = [];
  const add = (e: Expr) => {
    if (e.kind === 'column' && e.name !== 'event_time') names.push(e.name);
  };
  for (const e of allExprs(s)) {
    if (e.kind === 'compare' && (e.op === '=' || e.op === '<>')) {
      if (e.right.kind === 'string') add(e.left);
      if (e.left.kind === 'string') add(e.right);
      if (e.left.kind === 'call' && e.left.fn === 'json_extract' && e.left.args[1]?.kind === 'string') names.push(`raw ${e.left.args[1].value}`);
    }
    if (e.kind === 'in') add(e.left);
  }
  for (const g of s.groupBy) add(g.kind === 'alias' ? g.target : g);
  for (const o of s.orderBy) add(o.expr.kind === 'alias' ? o.expr.target : o.expr);
  return names;
}

/** True when `e` cannot be NULL in the rows `s` returns. */
function isNonNull(e: Expr, s: Select): boolean {
  switch (e.kind) {
    case 'column':
      return nonNullColumns.has(e.name) || (s.where !== null && conjuncts(s.where).some((c) => excludesNull(c, e.name)));
    case 'alias':
      return isNonNull(e.target, s);
    case 'string':
    case 'number':
      return true;
    case 'aggregate':
      return e.fn === 'COUNT' || (e.arg !== null && isNonNull(e.arg, s));
    case 'call':
      return e.fn !== 'json_extract' && e.args.every((a) => isNonNull(a, s));
    case 'concat':
      return e.parts.every((p) => isNonNull(p, s));
    default:
      return false;
  }
}

function conjuncts(e: Expr): Expr[] {
  return e.kind === 'logical' && e.op === 'AND' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/** A top-level WHERE conjunct that no row with `column` NULL satisfies. */
function excludesNull(c: Expr, column: string): boolean {
  const is = (x: Expr) => x.kind === 'column' && x.name === column;
  if (c.kind === 'is_null') return c.negated && is(c.operand);
  if (c.kind === 'compare') return (is(c.left) && c.right.kind !== 'column') || (is(c.right) && c.left.kind !== 'column');
  if (c.kind === 'in') return is(c.left);
  return false;
}

function keyLabel(e: Expr): string {
  return e.kind === 'column' || e.kind === 'alias' ? e.name : 'sort value';
}
