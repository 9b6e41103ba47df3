/**
 * Where a rule's events are read from: D1 keeps every source in `events` (filtered on `source`), the lake
 * engines read one `mantissa_<source>` table per source (core/lake/external-table-ddl.ts), several of them
 * through UNION ALL. Table and namespace names are validated identifiers, then quoted.
 */
import type { SigmaError } from '../ir';
import type { BindParam, SqlDialect } from './dialect';

export interface CompileSqlOptions {
  /**
   * Add `event_time > <window_start> AND event_time <= <window_end>` with the two bounds as the first
   * parameters (bound as null here; the scheduled detector binds them: see `bindTimeWindow`).
   */
  readonly timeWindow?: boolean;
  /** Lake dialects: Athena database / BigQuery dataset / Synapse schema of the tables. Default `mantissa`. */
  readonly namespace?: string;
  /** Lake dialects: the table of a source, `namespace.table` unquoted. Default `<namespace>.mantissa_<source>`. */
  readonly tableForSource?: (source: string) => string;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type SourcesFrom = { readonly ok: true; readonly from: string; readonly filter: string | null } | { readonly ok: false; readonly error: SigmaError };

/** The FROM item (aliased `row`) and the source filter for a set of sources. */
export function fromSources(sources: readonly string[], dialect: SqlDialect, options: CompileSqlOptions, bind: BindParam, row: string): SourcesFrom {
  if (sources.length === 0) {
    return { ok: false, error: { code: 'unsupported_logsource', message: 'The rule reads no source.', location: null } };
  }
  if (dialect.storage === 'events-table') {
    return { ok: true, from: `events AS ${row}`, filter: `${row}.${dialect.quoteIdent('source')} IN (${sources.map((s) => bind(s)).join(', ')})` };
  }
  const namespace = options.namespace ?? 'mantissa';
  const tables: string[] = [];
  for (const source of sources) {
    const name = options.tableForSource ? options.tableForSource(source) : `${namespace}.mantissa_${source}`;
    const parts = name.split('.');
    if (parts.length > 3 || !parts.every((p) => identifier.test(p))) {
      return { ok: false, error: { code: 'unsupported_feature', message: `"${name}" is not a valid table name.`, location: null } };
    }
    tables.push(parts.map((p) => dialect.quoteIdent(p)).join('.'));
  }
  const from = tables.length === 1 ? `${tables[0]} AS ${row}` : `(${tables.map((t) => `SELECT * FROM ${t}`).join(' UNION ALL ')}) AS ${row}`;
  return { ok: true, from, filter: null };
}
