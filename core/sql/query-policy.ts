/**
 * What analyst-written and generated SQL may touch on the embedded (D1/SQLite) engine.
 * Tables and functions are allow-lists: anything not named here is refused, so a new SQLite function or an
 * internal table never becomes reachable by accident.
 */
import { eventColumns } from '../schema/event';

export interface QueryPolicy {
  /** Tables (lower-case) that queries may read, with their columns. */
  readonly tables: ReadonlySet<string>;
  /** Every column of every queryable table: a column reference must name one of these or an alias. */
  readonly columns: ReadonlySet<string>;
  /** Functions (lower-case), scalar, aggregate, window and table-valued. */
  readonly functions: ReadonlySet<string>;
  /** Named parameters (`:name`) the caller will bind; any other parameter is refused. */
  readonly params: ReadonlySet<string>;
  /** Deepest allowed nesting of SELECTs below the top-level one. */
  readonly maxSubqueryDepth: number;
  /** Largest LIMIT a query may write (a bigger one is refused, not clamped); no check when absent. */
  readonly maxLimit?: number;
  /** Most references to real tables in one query (self-joins multiply rows read); no check when absent. */
  readonly maxTableReferences?: number;
}

/** The most rows any query may return, whatever it asks for. */
export const maxQueryRows = 10_000;

/** Queryable tables and their columns (a workerd test checks these against the migrated D1 schema). */
export const queryableCatalog: Readonly<Record<string, readonly string[]>> = {
  events: ['event_uid', ...eventColumns, 'batch_id'],
  alerts: [
    'id', 'rule_id', 'rule_name', 'severity', 'title', 'dedup_key', 'entities', 'first_seen', 'last_seen', 'count',
    'status', 'assignee', 'evidence', 'created_at', 'updated_at', 'group_key', 'tags', 'sources', 'occurrence',
    'muted_by', 'notified_occurrence', 'incident_id', 'acknowledged_at', 'acknowledged_by', 'resolved_at', 'resolved_by', 'escalated_at',
  ],
  detection_rules: [
    'id', 'name', 'description', 'severity', 'query_sql', 'enabled', 'interval_minutes', 'lookback_minutes',
    'watermark', 'last_run_at', 'last_run_status', 'last_error', 'last_hits', 'created_by', 'created_at', 'updated_at',
    'format', 'sigma_yaml', 'sigma_id', 'license', 'attribution', 'dedup_window_minutes', 'dedup_fields', 'threshold',
    'realtime', 'tags',
  ],
};

export const queryableTables = Object.keys(queryableCatalog);

/** Columns of SQLite's JSON table-valued functions (json_each, json_tree). */
export const jsonTableColumns = ['key', 'value', 'type', 'atom', 'id', 'parent', 'fullkey', 'path', 'json', 'root'];

export const sqliteFunctions: readonly string[] = [
  // aggregate
  'count', 'sum', 'total', 'avg', 'min', 'max', 'group_concat', 'string_agg', 'json_group_array', 'json_group_object',
  // window
  'row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value',
  'last_value', 'nth_value',
  // scalar: text
  'lower', 'upper', 'length', 'substr', 'substring', 'trim', 'ltrim', 'rtrim', 'replace', 'instr', 'printf',
  'format', 'concat', 'concat_ws', 'char', 'unicode', 'hex', 'quote', 'like', 'glob',
  // scalar: null handling, logic, types
  'coalesce', 'ifnull', 'nullif', 'iif', 'typeof', 'exists',
  // scalar: numbers
  'abs', 'round', 'sign', 'ceil', 'ceiling', 'floor', 'ln', 'log', 'log10', 'log2', 'pow', 'power', 'sqrt', 'mod',
  'exp',
  // time
  'date', 'time', 'datetime', 'julianday', 'strftime', 'unixepoch', 'timediff',
  // JSON (raw vendor fields)
  'json', 'json_extract', 'json_array_length', 'json_type', 'json_valid', 'json_array', 'json_object',
  'json_quote', 'json_each', 'json_tree',
];

export function analystQueryPolicy(extraParams: readonly string[] = []): QueryPolicy {
  return {
    tables: new Set(queryableTables),
    columns: new Set([...Object.values(queryableCatalog).flat(), ...jsonTableColumns]),
    functions: new Set(sqliteFunctions),
    params: new Set(extraParams),
    maxSubqueryDepth: 3,
    maxLimit: maxQueryRows,
    maxTableReferences: 6,
  };
}
