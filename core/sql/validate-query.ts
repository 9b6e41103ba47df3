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
import { scanSqliteTokens } from './sqlite-tokens';

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
  | 'too_deep'
  | 'recursive_cte'
  | 'limit_too_large'
  | 'too_many_tables';

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

  // SQLite reads a backslash literally; the parser reads it as an escape. Refuse the input where they disagree.
  const input = scanSqliteTokens(trimmed);
  const quoted = input.backslashQuoted[0];
  if (quoted) {
    return refuse(
      'parse_error',
      `A backslash inside a quoted value or name (${JSON.stringify(quoted.text.slice(0, 40))} at character ${quoted.offset + 1}) is refused: SQLite reads it as an ordinary character but the query checker reads it as an escape, so what is checked could differ from what runs. For a backslash in a value write char(92), e.g. 'C:' || char(92) || 'temp'.`,
    );
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
  // What runs is what was checked: as SQLite lexes the regenerated SQL, it must be one statement with no comment
  // and no escape-dependent quoting. Anything else is a disagreement between the parser and SQLite: refuse it.
  const output = scanSqliteTokens(sql);
  if (output.unterminated || output.comments.length > 0 || output.semicolons.length > 0 || output.backslashQuoted.length > 0) {
    return refuse('parse_error', 'The query could not be checked safely: the checked form of it would be read differently by SQLite. Simplify quoting (no backslashes, no comments inside values) and try again.');
  }
  return { ok: true, sql, params: check.paramOrder, tables: [...check.tablesRead].sort() };
}

class TreeCheck {
  refusal: Extract<ValidatedQuery, { ok: false }> | null = null;
  readonly tablesRead = new Set<string>();
  readonly paramOrder: string[] = [];
  private readonly columnRefs = new Set<string>();
  private readonly aliases = new Set<string>();
  /** Names of the CTEs whose bodies are being checked (a reference to one of them is recursion). */
  private readonly defining: string[] = [];
  private tableReferences = 0;
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
      if (name === 'printf' || name === 'format') this.checkFormat(node, name);
    }
    if (type === 'param') {
      this.bindParam(node);
      return;
    }
    if (type === 'var' || (type === 'origin' && typeof node.value === 'string' && /^\?\d*$/.test(node.value))) {
      // `?`, `?N`, `$name`, `@name`: placeholders nobody binds (SQLite would read NULL, or the runner's own value).
      this.fail('parameter_not_allowed', `Placeholder ${describePlaceholder(node)} cannot be bound here; write the value into the query.`);
      return;
    }
    if (type === 'double_quote_string' && typeof node.value === 'string') {
      // SQLite reads "x" as the column x when one exists, else as the text 'x': only known names may be quoted so.
      this.columnRefs.add(node.value);
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
    this.checkLimit(node);
    if (this.refusal) return;
    let ctes = outer;
    const withList = node.with as Node[] | null | undefined;
    if (Array.isArray(withList)) {
      // Names declared by WITH are visible in this statement and its subqueries, and in the bodies of the CTEs
      // declared after them — and nowhere else.
      const names = withList.map(cteName).filter((n): n is string => n !== null);
      for (const name of names) {
        if (this.policy.tables.has(name)) {
          this.fail('table_not_allowed', `The CTE name "${name}" hides the table of the same name; give the CTE another name.`);
          return;
        }
      }
      ctes = new Set([...outer, ...names]);
      // A CTE body is a query at the same depth as the statement that names it.
      for (const [index, cte] of withList.entries()) {
        if (cte.recursive === true) {
          // An unbounded recursive CTE is an infinite row generator (a denial of service on a shared database).
          this.fail('recursive_cte', 'Recursive CTEs (WITH RECURSIVE) are not allowed: they can generate rows without end.');
          return;
        }
        for (const column of (cte.columns as unknown[] | null | undefined) ?? []) {
          const name = columnName(column as Node) ?? (typeof column === 'string' ? column : null);
          if (name) this.aliases.add(name.toLowerCase());
        }
        // SQLite makes a CTE recursive when its body names itself, RECURSIVE keyword or not: the body sees
        // only the CTEs declared before it, and a reference to its own name is refused in checkTable.
        const own = names[index];
        this.defining.push(own ?? '');
        this.visit((cte.stmt as Node | undefined) ?? null, depth, new Set([...outer, ...names.slice(0, index)]));
        this.defining.pop();
        if (this.refusal) return;
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
      if (key === 'with' || key === 'from' || key === 'type' || key === 'limit') continue;
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
    if (this.defining.includes(table)) {
      this.fail('recursive_cte', `The CTE "${table}" refers to itself, which makes it recursive; recursive CTEs are not allowed.`);
      return;
    }
    if (ctes.has(table)) return;
    if (!this.policy.tables.has(table)) {
      const internal = isInternalTable(table) ? ' It is an internal table of the database.' : '';
      this.fail(
        'table_not_allowed',
        `Table "${table}" is not queryable.${internal} Queryable tables: ${[...this.policy.tables].sort().join(', ')}.`,
      );
      return;
    }
    this.tablesRead.add(table);
    this.tableReferences++;
    const max = this.policy.maxTableReferences;
    if (max !== undefined && this.tableReferences > max) {
      this.fail('too_many_tables', `The query reads tables ${this.tableReferences} times; at most ${max} table references are allowed (each join multiplies the rows read).`);
    }
  }

  /**
   * LIMIT must be a literal between 0 and the policy's maximum. A bigger one is refused rather than clamped, so
   * what runs is exactly what was written; `LIMIT -1` (SQLite: no limit) and computed limits are refused too.
   */
  private checkLimit(node: Node): void {
    const limit = node.limit as { seperator?: string; value?: Node[] } | null | undefined;
    const values = limit?.value;
    if (!Array.isArray(values) || values.length === 0) return;
    // `LIMIT offset, count` (comma form) puts the count second; `LIMIT count OFFSET n` puts it first.
    const count = limit?.seperator === ',' ? values[1] : values[0];
    const offset = limit?.seperator === ',' ? values[0] : values[1];
    const max = this.policy.maxLimit;
    for (const [what, value] of [['LIMIT', count], ['OFFSET', offset]] as const) {
      if (value === undefined) continue;
      if (value.type !== 'number' || typeof value.value !== 'number' || !Number.isInteger(value.value)) {
        this.fail('limit_too_large', `${what} must be a whole number written in the query (refused: ${describeLiteral(value)}).`);
        return;
      }
      if (value.value < 0) {
        this.fail(
          'limit_too_large',
          what === 'LIMIT' ? `LIMIT ${value.value} is refused: a negative LIMIT means "no limit" in SQLite.` : `OFFSET ${value.value} is refused: write 0 or more.`,
        );
        return;
      }
      if (what === 'LIMIT' && max !== undefined && value.value > max) {
        this.fail(
          'limit_too_large',
          `LIMIT ${value.value} is refused (not clamped): at most ${max.toLocaleString('en-US')} rows may be asked for; write LIMIT ${max} or less.`,
        );
        return;
      }
    }
  }

  /** printf()/format() can build strings of any width from a tiny query: the format must be a literal, widths small. */
  private checkFormat(node: Node, name: string): void {
    const args = (node.args as Node | undefined)?.value;
    const first = Array.isArray(args) ? (args[0] as Node | undefined) : undefined;
    if (!first || (first.type !== 'single_quote_string' && first.type !== 'string')) {
      this.fail('function_not_allowed', `${name}() needs a format written as a quoted string literal.`);
      return;
    }
    const format = String(first.value);
    for (const match of format.matchAll(/%[-+ 0#,!]*(\*|\d*)(?:\.(\*|\d*))?/g)) {
      for (const part of [match[1], match[2]]) {
        if (part === '*' || (part !== undefined && part !== '' && Number(part) > maxFormatWidth)) {
          this.fail('function_not_allowed', `${name}() width or precision "${part}" is refused: at most ${maxFormatWidth}, and never "*".`);
          return;
        }
      }
    }
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

const maxFormatWidth = 1000;

function describePlaceholder(node: Node): string {
  if (node.type === 'var') return `${String(node.prefix ?? '')}${String(node.name ?? '')}`;
  return String(node.value);
}

/** SQLite's own tables and D1's internal ones (`_cf_*`, `d1_migrations`): named as such in refusals. */
function isInternalTable(table: string): boolean {
  return table.startsWith('sqlite_') || table.startsWith('_cf_') || table.startsWith('d1_') || table.startsWith('pragma_');
}

function describeLiteral(node: Node): string {
  if (node.type === 'number' || node.type === 'bigint') return String(node.value);
  return typeof node.type === 'string' ? `a ${node.type.replace(/_/g, ' ')}` : 'an expression';
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
