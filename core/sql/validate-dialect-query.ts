/**
 * The validator for the lake engines (Athena, BigQuery, Synapse serverless), parsed with node-sql-parser's grammar
 * for each (athena, bigquery, transactsql). It enforces the parts of the D1 validator (validate-query.ts) that
 * hold in every dialect: exactly one SELECT (CTEs allowed, recursive ones refused), tables only from the
 * allow-list (optionally qualified by an allowed dataset/schema), never a catalog or system schema
 * (information_schema, sys, …), no SELECT … INTO, no table-valued functions that reach outside the lake
 * (OPENROWSET, EXTERNAL_QUERY, …), subquery depth and LIMIT/TOP bounds. Column and function allow-lists are
 * D1-only: the lake engines' function sets are large and read-only.
 *
 * Like the D1 validator, it returns SQL regenerated from the checked tree.
 */
import athenaParser from 'node-sql-parser/build/athena.js';
import bigqueryParser from 'node-sql-parser/build/bigquery.js';
import transactsqlParser from 'node-sql-parser/build/transactsql.js';
import type { QueryDialect } from '../nlq/dialect';

export type LakeDialect = Exclude<QueryDialect, 'd1'>;

export interface LakeQueryPolicy {
  /** Unqualified table names (lower-case) queries may read. */
  readonly tables: ReadonlySet<string>;
  /** Qualifiers allowed before a table name (lower-case; e.g. "mantissa" or "my-project.mantissa"). */
  readonly qualifiers: ReadonlySet<string>;
  readonly maxSubqueryDepth: number;
  readonly maxLimit: number;
}

export type LakeQueryRefusal =
  | 'empty'
  | 'parse_error'
  | 'not_select'
  | 'multiple_statements'
  | 'table_not_allowed'
  | 'function_not_allowed'
  | 'too_deep'
  | 'recursive_cte'
  | 'limit_too_large';

export type ValidatedLakeQuery =
  | { ok: true; sql: string; tables: string[] }
  | { ok: false; reason: LakeQueryRefusal; message: string };

type Node = Record<string, unknown>;

interface Grammar {
  readonly parser: { astify(sql: string, opt: object): unknown; sqlify(ast: never, opt: object): string };
  readonly database: string;
  readonly label: string;
}

const grammars: Record<LakeDialect, Grammar> = {
  athena: { parser: new athenaParser.Parser(), database: 'athena', label: 'Athena (Trino) SQL' },
  bigquery: { parser: new bigqueryParser.Parser(), database: 'bigquery', label: 'BigQuery GoogleSQL' },
  synapse: { parser: new transactsqlParser.Parser(), database: 'transactsql', label: 'Synapse (T-SQL)' },
};

/** Schemas that describe the engine itself, never the lake's data. */
const systemSchemas = new Set(['information_schema', 'sys', 'pg_catalog', 'system', 'master', 'msdb', 'tempdb', 'region-us', 'region-eu']);

/** Functions that read or write outside the lake tables, or run code, in some lake engine. */
const deniedFunctions = new Set([
  'openrowset', 'openquery', 'opendatasource', 'openxml', 'external_query', 'xp_cmdshell', 'sp_executesql',
  'exec', 'execute', 'load_file', 'pg_read_file', 'ml.predict', 'ml.generate_text', 'vector_search', 'appends', 'changes',
]);

const forbiddenTypes = new Set([
  'insert', 'replace', 'update', 'delete', 'merge', 'create', 'drop', 'alter', 'truncate', 'grant', 'revoke', 'exec',
  'execute', 'declare', 'set', 'use', 'call', 'load', 'unload', 'export', 'transaction', 'msck', 'refresh', 'vacuum',
]);

export function lakeQueryPolicy(tables: readonly string[], qualifiers: readonly string[] = []): LakeQueryPolicy {
  return {
    tables: new Set(tables.map((t) => t.toLowerCase())),
    qualifiers: new Set(qualifiers.map((q) => q.toLowerCase())),
    maxSubqueryDepth: 3,
    maxLimit: 10_000,
  };
}

export function validateLakeQuery(sqlText: string, dialect: LakeDialect, policy: LakeQueryPolicy): ValidatedLakeQuery {
  const grammar = grammars[dialect];
  const trimmed = sqlText.trim();
  if (trimmed === '') return refuse('empty', 'The SQL is empty: write one SELECT statement.');
  let ast: unknown;
  try {
    ast = grammar.parser.astify(trimmed, { database: grammar.database });
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : String(err);
    return refuse('parse_error', `The SQL could not be parsed as a single ${grammar.label} SELECT statement: ${message}`);
  }
  const statements = (Array.isArray(ast) ? ast : [ast]) as Node[];
  if (statements.length !== 1) {
    return refuse('multiple_statements', `Found ${statements.length} statements; only a single SELECT statement may run.`);
  }
  const root = statements[0]!;
  if (root.type !== 'select') {
    return refuse('not_select', `Only SELECT statements may run; this is a ${String(root.type).toUpperCase()} statement.`);
  }
  const check = new LakeCheck(policy);
  check.visit(root, -1, new Set());
  if (check.refusal) return check.refusal;
  return { ok: true, sql: grammar.parser.sqlify(root as never, { database: grammar.database }), tables: [...check.tables].sort() };
}

class LakeCheck {
  refusal: Extract<ValidatedLakeQuery, { ok: false }> | null = null;
  readonly tables = new Set<string>();
  constructor(private readonly policy: LakeQueryPolicy) {}

  /**
   * The CTE names a SELECT's WITH declares, visible in that statement and its subqueries only (a name declared
   * in a subquery must not make a real table of that name readable elsewhere). A CTE body sees only the CTEs
   * declared before it: a body naming itself is recursion (T-SQL has no RECURSIVE keyword), refused.
   */
  private withScope(node: Node, outer: ReadonlySet<string>, depth: number): ReadonlySet<string> {
    if (!Array.isArray(node.with)) return outer;
    const ctes = node.with as Node[];
    const names = ctes.map((cte) => {
      const name = typeof cte.name === 'string' ? cte.name : (cte.name as Node | undefined)?.value;
      return typeof name === 'string' ? name.toLowerCase() : '';
    });
    for (const [index, cte] of ctes.entries()) {
      if (cte.recursive === true) this.fail('recursive_cte', 'Recursive CTEs are not allowed: they can generate rows without end.');
      if (this.policy.tables.has(names[index]!)) this.fail('table_not_allowed', `The CTE name "${names[index]}" hides the table of the same name.`);
      if (this.refusal) return outer;
      // A CTE body counts as nested in the statement that names it, as before.
      this.visit(cte.stmt ?? null, depth, new Set([...outer, ...names.slice(0, index)]), names[index]);
    }
    return new Set([...outer, ...names]);
  }

  visit(value: unknown, depth: number, outerCtes: ReadonlySet<string>, defining?: string): void {
    if (this.refusal || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, depth, outerCtes, defining);
      return;
    }
    const node = value as Node;
    const type = typeof node.type === 'string' ? node.type.toLowerCase() : undefined;
    if (type && forbiddenTypes.has(type)) {
      this.fail('not_select', `Only SELECT statements may run; found ${type.toUpperCase()} inside the query.`);
      return;
    }
    let childDepth = depth;
    let ctes = outerCtes;
    if (type === 'select') {
      childDepth = depth + 1;
      if (childDepth > this.policy.maxSubqueryDepth) {
        this.fail('too_deep', `Subqueries are nested ${childDepth} levels deep; at most ${this.policy.maxSubqueryDepth} are allowed.`);
        return;
      }
      ctes = this.withScope(node, outerCtes, childDepth);
      if (this.refusal) return;
      this.checkSelect(node, ctes, defining);
      if (this.refusal) return;
    }
    if (type === 'function' || type === 'aggr_func') {
      const name = functionName(node);
      if (name && deniedFunctions.has(name)) {
        this.fail('function_not_allowed', `Function ${name}() is not allowed: it reaches outside the lake tables.`);
        return;
      }
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'tableList' || key === 'columnList' || (type === 'select' && key === 'with')) continue;
      // A UNION arm is a sibling of its SELECT, not nested inside it, and sees the same CTEs.
      this.visit(child, key === '_next' ? depth : childDepth, key === '_next' ? outerCtes : ctes, defining);
    }
  }

  private checkSelect(node: Node, ctes: ReadonlySet<string>, defining: string | undefined): void {
    const into = node.into as Node | null | undefined;
    if (into && (into.expr || into.type)) {
      this.fail('not_select', 'SELECT … INTO creates a table; only plain SELECT statements may run.');
      return;
    }
    const top = node.top as Node | null | undefined;
    if (top && (typeof top.value !== 'number' || top.value > this.policy.maxLimit || top.percent)) {
      this.fail('limit_too_large', `TOP ${String(top.value)}${top.percent ? ' PERCENT' : ''} is refused (not clamped): at most ${this.policy.maxLimit} rows.`);
      return;
    }
    const limit = node.limit as { value?: Node[]; fetch?: { value?: Node } } | null | undefined;
    // T-SQL's OFFSET … FETCH NEXT n ROWS ONLY keeps its count apart from LIMIT's value list.
    for (const value of [...(limit?.value ?? []), ...(limit?.fetch?.value ? [limit.fetch.value] : [])]) {
      if (value.type !== 'number' || typeof value.value !== 'number' || value.value < 0 || value.value > this.policy.maxLimit) {
        this.fail('limit_too_large', `LIMIT ${String(value.value)} is refused (not clamped): write a whole number up to ${this.policy.maxLimit}.`);
        return;
      }
    }
    for (const item of (node.from as Node[] | null | undefined) ?? []) {
      if (typeof item.table === 'string') this.checkTable(item, ctes, defining);
      else if (item.expr && (item.expr as Node).type === 'function') {
        const name = functionName(item.expr as Node);
        if (name !== 'unnest') this.fail('function_not_allowed', `Table function ${name ?? '(unnamed)'}() is not allowed in FROM.`);
      }
      if (this.refusal) return;
    }
  }

  private checkTable(item: Node, ctes: ReadonlySet<string>, defining: string | undefined): void {
    const parts = [item.catalog, item.db, item.schema, ...String(item.table).split('.')]
      .filter((p): p is string => typeof p === 'string' && p !== '')
      .map((p) => p.toLowerCase());
    // BigQuery spells the same qualifier as catalog and db; keep each once, in order.
    const unique = parts.filter((p, i) => parts.indexOf(p) === i);
    const table = unique.at(-1)!;
    const qualifier = unique.slice(0, -1).join('.');
    if (unique.some((p) => systemSchemas.has(p))) {
      this.fail('table_not_allowed', `${unique.join('.')} is a system catalog of the engine, not a lake table.`);
      return;
    }
    if (qualifier === '' && table === defining) {
      this.fail('recursive_cte', `The CTE "${table}" refers to itself, which makes it recursive; recursive CTEs are not allowed.`);
      return;
    }
    if (qualifier === '' && ctes.has(table)) return;
    if (!this.policy.tables.has(table) || (qualifier !== '' && !this.policy.qualifiers.has(qualifier))) {
      this.fail(
        'table_not_allowed',
        `Table "${unique.join('.')}" is not queryable. Queryable tables: ${[...this.policy.tables].sort().join(', ')}${
          this.policy.qualifiers.size > 0 ? ` (optionally qualified by ${[...this.policy.qualifiers].sort().join(', ')})` : ''
        }.`,
      );
      return;
    }
    this.tables.add(table);
  }

  private fail(reason: LakeQueryRefusal, message: string): void {
    this.refusal ??= { ok: false, reason, message };
  }
}

/** The lower-cased, schema-qualified name of a function call node of node-sql-parser's lake grammars. */
export function functionName(node: Node): string | null {
  const name = node.name;
  if (typeof name === 'string') return name.toLowerCase();
  const n = name as Node | undefined;
  const schema = (n?.schema as Node | undefined)?.value;
  const parts = Array.isArray(n?.name) ? (n.name as Node[]).map((p) => String(p.value ?? '')) : [];
  const full = [typeof schema === 'string' ? schema : '', ...parts].filter((p) => p !== '').join('.').toLowerCase();
  return full === '' ? null : full;
}

function refuse(reason: LakeQueryRefusal, message: string): ValidatedLakeQuery {
  return { ok: false, reason, message };
}
