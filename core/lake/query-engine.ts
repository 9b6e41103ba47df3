/**
 * The port every lake query engine adapter implements (adapters/athena, adapters/bigquery, adapters/synapse):
 * run one validated, bounded SELECT and return its columns and rows, and — where the engine has one — a dry run
 * that says how many bytes the query would scan before it runs.
 *
 * Invariants:
 * - Only SQL that passed core/sql/validate-dialect-query (and the pipeline's bounds) reaches `run`; adapters
 *   send it as is, never concatenating anything into it.
 * - `run` returns at most `maxRows` rows and says when it cut (`truncated`); it pages the engine's results until
 *   it has `maxRows + 1` rows or the results end, and never reads more pages than that.
 * - Expected failures are values (core/collect/transport): a query the engine refuses (syntax, unknown column)
 *   or bad credentials are `failure`; throttling, 5xx and network errors are `retryable` with the server's
 *   Retry-After when it gave one. A query that outlives `timeoutMs` is cancelled on the engine (Athena
 *   StopQueryExecution, BigQuery jobs.cancel, closing the Synapse connection) and returned as `failure`.
 * - Values are JSON: strings, numbers (integers beyond 2^53 stay strings), booleans and null.
 */
import type { TransportResult } from '../collect/transport';
import type { LakeDialect } from '../sql/validate-dialect-query';

export interface LakeRows {
  readonly columns: string[];
  readonly rows: unknown[][];
  readonly truncated: boolean;
  /** Bytes the engine reports it scanned (billed basis); null when it reports none. */
  readonly bytesScanned: number | null;
  /** The engine's id of the query (Athena QueryExecutionId, BigQuery job id), for the audit log; null if none. */
  readonly queryId: string | null;
}

export interface LakeRunOptions {
  readonly maxRows: number;
  /** Wall-clock budget for the whole query, polling included. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface LakeDryRun {
  /** Bytes the engine says the query would process. */
  readonly bytes: number;
}

export interface LakeQueryEngine {
  readonly dialect: LakeDialect;
  run(sql: string, options: LakeRunOptions): Promise<TransportResult<LakeRows>>;
  /** Present only for engines with a real dry run (BigQuery). */
  readonly dryRun?: (sql: string, signal?: AbortSignal) => Promise<TransportResult<LakeDryRun>>;
}
