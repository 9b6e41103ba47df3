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
  check.collectCteNames(root);
  check.visit(root, -1);
  if (check.refusal) return check.refusal;
  return { ok: true, sql: grammar.parser.sqlify(root as never, { database: grammar.database }), tables: [...check.tables].sort() };
}

class LakeCheck {
  refusal: Extract<ValidatedLakeQuery, { ok: false }> | null = null;
  readonly tables = new Set<string>();
  private readonly cteNames = new Set<string>();
  constructor(private readonly policy: LakeQueryPolicy) {}

  collectCteNames(value: unknown): void {
    walk(value, (node) => {
      if (!Array.isArray(node.with)) return;
      for (const cte of node.with as Node[]) {
        const name = typeof cte.name === 'string' ? cte.name : (cte.name as Node | undefined)?.value;
        if (typeof name === 'string') this.cteNames.add(name.toLowerCase());
        if (cte.recursive === true) this.fail('recursive_cte', 'Recursive CTEs are not allowed: they can generate rows without end.');
      }
    });
    for (const name of this.cteNames) {
      if (this.policy.tables.has(name)) this.fail('table_not_allowed', `The CTE name "${name}" hides the table of the same name.`);
    }
  }

  visit(value: unknown, depth: number): void {
    if (this.refusal || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) this.visit(item, depth);
      return;
    }
    const node = value as Node;
    const type = typeof node.type === 'string' ? node.type.toLowerCase() : undefined;
    if (type && forbiddenTypes.has(type)) {
      this.fail('not_select', `Only SELECT statements may run; found ${type.toUpperCase()} inside the query.`);
      return;
    }
    let childDepth = depth;
    if (type === 'select') {
      childDepth = depth + 1;
      if (childDepth > this.policy.maxSubqueryDepth) {
        this.fail('too_deep', `Subqueries are nested ${childDepth} levels deep; at most ${this.policy.maxSubqueryDepth} are allowed.`);
        return;
      }
      this.checkSelect(node);
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
      if (key === 'tableList' || key === 'columnList') continue;
      // A UNION arm is a sibling of its SELECT, not nested inside it.
      this.visit(child, key === '_next' ? depth : childDepth);
    }
  }

  private checkSelect(node: Node): void {
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
    const limit = node.limit as { value?: Node[] } | null | undefined;
    for (const value of limit?.value ?? []) {
      if (value.type !== 'number' || typeof value.value !== 'number' || value.value < 0 || value.value > this.policy.maxLimit) {
        this.fail('limit_too_large', `LIMIT ${String(value.value)} is refused (not clamped): write a whole number up to ${this.policy.maxLimit}.`);
        return;
      }
    }
    for (const item of (node.from as Node[] | null | undefined) ?? []) {
      if (typeof item.table === 'string') this.checkTable(item);
      else if (item.expr && (item.expr as Node).type === 'function') {
        const name = functionName(item.expr as Node);
        if (name !== 'unnest') this.fail('function_not_allowed', `Table function ${name ?? '(unnamed)'}() is not allowed in FROM.`);
      }
      if (this.refusal) return;
    }
  }

  private checkTable(item: Node): void {
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
    if (qualifier === '' && this.cteNames.has(table)) return;
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

function walk(value: unknown, visit: (node: Node) => void): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
    return;
  }
  visit(value as Node);
  for (const [key, child] of Object.entries(value as Node)) {
    if (key !== 'tableList' && key !== 'columnList') walk(child, visit);
  }
}

function functionName(node: Node): string | null {
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
