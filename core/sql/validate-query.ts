/**
 * The SQL validator: the only way analyst-written or generated SQL reaches an engine.
 *
 * It parses with a real SQL parser (node-sql-parser, SQLite grammar), accepts exactly one SELECT (CTEs and
 * set operations allowed) over allow-listed tables with allow-listed functions, refuses anything else with a
 * message that says what was refused, and returns SQL *regenerated from the checked syntax tree*: what runs is
 * what was checked, so a comment or quoting trick that one parser reads differently from another cannot smuggle
 * a second statement through. Named parameters become positional `?N` placeholders (D1 binds only those).
 */
import sqliteParser from 'node-sql-parser/build/sqlite.js';
import type { QueryPolicy } from './query-policy';

const { Parser } = sqliteParser;
const parser = new Parser();
const parseOptions = { database: 'sqlite' } as const;

export const maxSqlLength = 20_000;

export type QueryRefusal =
  | 'empty'
  | 'too_long'
  | 'parse_error'
  | 'not_select'
  | 'multiple_statements'
  | 'table_not_allowed'
  | 'function_not_allowed'
  | 'unknown_column'
  | 'parameter_not_allowed'
  | 'too_deep';

export type ValidatedQuery =
  | { ok: true; sql: string; params: string[]; tables: string[] }
  | { ok: false; reason: QueryRefusal; message: string };

type Node = Record<string, unknown>;

const forbiddenStatementTypes = new Set([
  'insert', 'replace', 'update', 'delete', 'create', 'drop', 'alter', 'attach', 'detach', 'pragma', 'vacuum',
  'reindex', 'analyze', 'truncate', 'rename', 'use', 'transaction', 'lock', 'unlock', 'grant', 'set', 'exec',
]);

export function validateQuery(sqlText: string, policy: QueryPolicy): ValidatedQuery {
  const trimmed = sqlText.trim();
  if (trimmed === '') return refuse('empty', 'The SQL is empty: write one SELECT statement.');
  if (trimmed.length > maxSqlLength) {
    return refuse('too_long', `The SQL is ${trimmed.length} characters long; the limit is ${maxSqlLength}.`);
  }

  let ast: unknown;
  try {
    ast = parser.astify(trimmed, parseOptions);
  } catch (err) {
    return refuse('parse_error', describeParseError(err, trimmed));
  }

  const statements = Array.isArray(ast) ? (ast as Node[]) : [ast as Node];
  if (statements.length !== 1) {
    return refuse(
      'multiple_statements',
      `Found ${statements.length} statements; only a single SELECT statement may run (remove everything after the first ';').`,
    );
  }
  const root = statements[0]!;
  if (root.type !== 'select') {
    return refuse('not_select', `Only SELECT statements may run; this is ${describeStatement(root)}.`);
  }

  const check = new TreeCheck(policy);
  check.visit(root, 0, new Set());
  if (check.refusal) return check.refusal;
  const unknown = check.unknownColumns();
  if (unknown) return unknown;

  const sql = parser.sqlify(root as never, parseOptions);
  return { ok: true, sql, params: check.paramOrder, tables: [...check.tablesRead].sort() };
}

class TreeCheck {
  refusal: Extract<ValidatedQuery, { ok: false }> | null = null;
  readonly tablesRead = new Set<string>();
  readonly paramOrder: string[] = [];
  private readonly columnRefs = new Set<string>();
  private readonly aliases = new Set<string>();
  constructor(private readonly policy: QueryPolicy) {}

  /** `ctes` holds the CTE names visible at this point of the tree (lexical scope, innermost wins). */
  visit(value: unknown, depth: number, ctes: ReadonlySet<string>): void {
    if (this.refusal || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, depth, ctes);
      return;
    }
    const node = value as Node;
    const type = typeof node.type === 'string' ? node.type.toLowerCase() : undefined;

    if (type && forbiddenStatementTypes.has(type)) {
      this.fail('not_select', `Only SELECT statements may run; found ${type.toUpperCase()} inside the query.`);
      return;
    }
    if (type === 'select') {
      if (depth > this.policy.maxSubqueryDepth) {
        this.fail(
          'too_deep',
          `Subqueries are nested ${depth} levels deep; at most ${this.policy.maxSubqueryDepth} are allowed.`,
        );
        return;
      }
      this.checkSelect(node, depth, ctes);
      return;
    }
    if (type === 'function' || type === 'aggr_func') {
      const name = functionName(node);
      if (!name || !this.policy.functions.has(name)) {
        this.fail(
          'function_not_allowed',
          `Function ${name ? `${name}()` : '(unnamed)'} is not allowed. Allowed functions: ${[...this.policy.functions].sort().join(', ')}.`,
        );
        return;
      }
    }
    if (type === 'param') {
      this.bindParam(node);
      return;
    }
    if (type === 'column_ref') {
      const column = columnName(node);
      if (column && column !== '*') this.columnRefs.add(column);
    }
    if (typeof node.as === 'string') this.aliases.add(node.as.toLowerCase());
    for (const key of Object.keys(node)) {
      // Parser bookkeeping, not syntax: tableList/columnList duplicate what the tree itself says.
      if (key === 'tableList' || key === 'columnList') continue;
      this.visit(node[key], depth, ctes);
    }
  }

  private checkSelect(node: Node, depth: number, outer: ReadonlySet<string>): void {
    let ctes = outer;
    const withList = node.with as Node[] | null | undefined;
    if (Array.isArray(withList)) {
      // Names declared by WITH are visible in this statement, its subqueries and the CTE bodies themselves
      // (recursive CTEs) — and nowhere else.
      ctes = new Set([...outer, ...withList.map(cteName).filter((n): n is string => n !== null)]);
      // A CTE body is a query at the same depth as the statement that names it.
      for (const cte of withList) {
        for (const column of (cte.columns as unknown[] | null | undefined) ?? []) {
          const name = columnName(column as Node) ?? (typeof column === 'string' ? column : null);
          if (name) this.aliases.add(name.toLowerCase());
        }
        this.visit((cte.stmt as Node | undefined) ?? null, depth, ctes);
      }
    }
    const from = node.from as Node[] | null | undefined;
    if (Array.isArray(from)) {
      for (const item of from) {
        if (typeof item.table === 'string') this.checkTable(item, ctes);
        else this.visit(item, depth + 1, ctes);
        if (this.refusal) return;
        // ON / USING clauses of joins
        this.visit(item.on ?? null, depth + 1, ctes);
      }
    }
    for (const key of Object.keys(node)) {
      if (key === 'with' || key === 'from' || key === 'type') continue;
      if (key === '_next') {
        // UNION / INTERSECT / EXCEPT: the next arm is a sibling with its own scope, not a subquery.
        this.visit(node[key], depth, outer);
        continue;
      }
      this.visit(node[key], depth + 1, ctes);
    }
  }

  /**
   * Every column reference must name a column of a queryable table or an alias the query defines. Besides
   * catching typos early, this shuts SQLite's legacy fallback that reads an unknown "double-quoted" name as
   * a string literal — the regenerated SQL quotes every identifier, so a misspelt column would otherwise
   * silently compare against its own name.
   */
  unknownColumns(): Extract<ValidatedQuery, { ok: false }> | null {
    for (const column of this.columnRefs) {
      const lower = column.toLowerCase();
      if (this.policy.columns.has(lower) || this.aliases.has(lower)) continue;
      return {
        ok: false,
        reason: 'unknown_column',
        message: `Unknown column "${column}". For a text value use single quotes ('${column}'). Columns of ${[...this.tablesRead].sort().join(', ') || 'the queryable tables'} are listed in docs/storage-schema.md.`,
      };
    }
    return null;
  }

  private checkTable(item: Node, ctes: ReadonlySet<string>): void {
    const table = String(item.table).toLowerCase();
    if (item.db !== null && item.db !== undefined) {
      this.fail('table_not_allowed', `Table ${String(item.db)}.${table} is not allowed: name tables without a schema.`);
      return;
    }
    if (ctes.has(table)) return;
    if (!this.policy.tables.has(table)) {
      this.fail(
        'table_not_allowed',
        `Table "${table}" is not queryable. Queryable tables: ${[...this.policy.tables].sort().join(', ')}.`,
      );
      return;
    }
    this.tablesRead.add(table);
  }

  private bindParam(node: Node): void {
    const name = String(node.value);
    if (!this.policy.params.has(name)) {
      const allowed = [...this.policy.params];
      this.fail(
        'parameter_not_allowed',
        allowed.length === 0
          ? `Parameter :${name} cannot be bound here; write the value into the query.`
          : `Parameter :${name} is unknown; available parameters: ${allowed.map((p) => `:${p}`).join(', ')}.`,
      );
      return;
    }
    let index = this.paramOrder.indexOf(name);
    if (index < 0) index = this.paramOrder.push(name) - 1;
    // Rewrite in place to D1's ordered placeholder; `origin` nodes are emitted verbatim by sqlify.
    delete node.value;
    node.type = 'origin';
    node.value = `?${index + 1}`;
  }

  private fail(reason: QueryRefusal, message: string): void {
    this.refusal ??= { ok: false, reason, message };
  }
}

function functionName(node: Node): string | null {
  const name = node.name;
  if (typeof name === 'string') return name.toLowerCase();
  if (name && typeof name === 'object') {
    const parts = (name as Node).name;
    if (Array.isArray(parts)) {
      return parts
        .map((p) => String((p as Node).value ?? ''))
        .join('.')
        .toLowerCase();
    }
  }
  return null;
}

function columnName(node: Node): string | null {
  const column = node.column;
  if (typeof column === 'string') return column;
  if (column && typeof column === 'object') {
    const expr = (column as Node).expr as Node | undefined;
    if (expr && typeof expr.value === 'string') return expr.value;
  }
  return null;
}

function cteName(cte: Node): string | null {
  const name = cte.name;
  if (typeof name === 'string') return name.toLowerCase();
  if (name && typeof name === 'object' && 'value' in name) return String((name as Node).value).toLowerCase();
  return null;
}

function describeStatement(node: Node): string {
  const type = typeof node.type === 'string' ? node.type.toUpperCase() : 'an unknown statement';
  return `a ${type} statement`;
}

function describeParseError(err: unknown, sql: string): string {
  const e = err as { message?: string; location?: { start?: { line?: number; column?: number } } };
  const where = e.location?.start;
  const found = /but "(.*?)" found/.exec(e.message ?? '')?.[1];
  const head = 'The SQL could not be parsed as a single SQLite SELECT statement';
  if (where?.line !== undefined) {
    const line = sql.split('\n')[where.line - 1] ?? '';
    const snippet = line.slice(Math.max(0, (where.column ?? 1) - 20), (where.column ?? 1) + 20);
    return `${head}: unexpected ${found ? `"${found}"` : 'input'} at line ${where.line}, column ${where.column} (near "${snippet}").`;
  }
  return `${head}${found ? `: unexpected "${found}"` : ''}.`;
}

function refuse(reason: QueryRefusal, message: string): ValidatedQuery {
  return { ok: false, reason, message };
}
