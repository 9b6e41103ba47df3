/**
 * Cost of a query before it runs: bytes (and rows) it would read, from partition statistics kept at ingest per
 * source and hour (table `partition_stats`), priced per engine.
 *
 * Prices (on-demand list prices, November 2026):
 * - Athena: $5 per TB scanned, rounded up to the megabyte, 10 MB minimum per query.
 * - BigQuery on-demand: $6.25 per TiB processed, rounded up to the megabyte, 10 MB minimum per table referenced.
 * - Synapse serverless SQL pool: $5 per TB processed, rounded up to the megabyte, 10 MB minimum per query.
 * - D1: rows read, $0.001 per million beyond the plan's included rows (counted as if none were included).
 * TB is 10^12 bytes, TiB 2^40, MB 2^20 (the larger reading of each vendor's "MB", so the estimate errs high).
 *
 * The statistics count the normalized events per (source, event hour); a lake engine scanning normalized files
 * partitioned by source and hour reads about those bytes. Tables other than `events` (alerts, rules) are small
 * D1 tables: they add no bytes but still count toward BigQuery's per-table minimum.
 */
import type { StoredEvent } from '../ingest/parse-batch';
import { eventColumns } from '../schema/event';
import type { QueryDialect } from './dialect';

export interface PartitionStat {
  readonly source: string;
  /** Start of the event-time hour, ISO (`2026-11-27T16:00:00.000Z`). */
  readonly hour: string;
  readonly rows: number;
  readonly bytes: number;
}

/** What a query reads, as the validator and query-scope found it. */
export interface CostScope {
  readonly tables: readonly string[];
  /** Sources the query is restricted to; null = every source. */
  readonly sources: readonly string[] | null;
  /** Event-time range read; null = all time (every partition). */
  readonly range: { readonly from: string | null; readonly to: string | null } | null;
}

export interface CostEstimate {
  readonly dialect: QueryDialect;
  /** Bytes the engine would read from `events` partitions. */
  readonly bytes: number;
  /** Bytes billed after the engine's rounding and minimums (0 on D1). */
  readonly billedBytes: number;
  readonly usd: number;
  /** Rows of `events` read (D1 bills by rows read). */
  readonly rows: number;
  readonly partitions: number;
  /** How the estimate was made, in words. */
  readonly basis: string;
}

const mb = 2 ** 20;
const tb = 1e12;
const tib = 2 ** 40;

export const lakePricing = {
  athena: { usdPerUnit: 5, unitBytes: tb, minimumBytes: 10 * mb, minimumPer: 'query' },
  bigquery: { usdPerUnit: 6.25, unitBytes: tib, minimumBytes: 10 * mb, minimumPer: 'table' },
  synapse: { usdPerUnit: 5, unitBytes: tb, minimumBytes: 10 * mb, minimumPer: 'query' },
} as const;

/** D1 price per row read beyond the included rows. */
export const d1UsdPerMillionRows = 0.001;

/** The hour partition an ISO instant falls in. */
export function partitionHour(iso: string): string {
  return `${iso.slice(0, 13)}:00:00.000Z`;
}

/**
 * Partitions of a parsed batch: rows and bytes per (source, event hour). Bytes are the length of the text fields
 * plus 8 per number — about what a normalized JSON or columnar row of the event occupies. Text is counted in
 * UTF-16 code units, equal to UTF-8 bytes for ASCII (most log text): counting exact UTF-8 bytes costs a scan of
 * every character on the ingest path (measured ≈ 20× the cost of reading `.length`) for a few percent of accuracy
 * that an estimate does not need.
 */
export function partitionStatsOf(events: readonly StoredEvent[]): PartitionStat[] {
  const byKey = new Map<string, { source: string; hour: string; rows: number; bytes: number }>();
  for (const event of events) {
    const key = `${event.source}|${event.event_time.slice(0, 13)}`;
    let stat = byKey.get(key);
    if (!stat) {
      stat = { source: event.source, hour: partitionHour(event.event_time), rows: 0, bytes: 0 };
      byKey.set(key, stat);
    }
    stat.rows++;
    stat.bytes += eventBytes(event);
  }
  return [...byKey.values()];
}

const sizedColumns = ['event_uid', ...eventColumns, 'batch_id'] as const;

function eventBytes(event: StoredEvent): number {
  const record = event as unknown as Record<string, unknown>;
  let bytes = 0;
  for (let i = 0; i < sizedColumns.length; i++) {
    const value = record[sizedColumns[i]!];
    if (typeof value === 'string') bytes += value.length;
    else if (value !== null && value !== undefined) bytes += 8;
  }
  return bytes;
}

/** Does a partition fall in the scope's sources and range? (Hours overlapping the range count whole.) */
export function partitionInScope(stat: PartitionStat, scope: Pick<CostScope, 'sources' | 'range'>): boolean {
  if (scope.sources !== null && !scope.sources.includes(stat.source)) return false;
  const from = scope.range?.from ?? null;
  const to = scope.range?.to ?? null;
  if (from !== null && stat.hour < partitionHour(from)) return false;
  if (to !== null && stat.hour >= to) return false;
  return true;
}

export interface PartitionTotals {
  readonly rows: number;
  readonly bytes: number;
  readonly partitions: number;
}

/** Totals of the partitions in scope (the D1 repository computes the same sums in SQL). */
export function sumPartitions(partitions: readonly PartitionStat[], scope: Pick<CostScope, 'sources' | 'range'>): PartitionTotals {
  let rows = 0;
  let bytes = 0;
  let count = 0;
  for (const stat of partitions) {
    if (!partitionInScope(stat, scope)) continue;
    rows += stat.rows;
    bytes += stat.bytes;
    count++;
  }
  return { rows, bytes, partitions: count };
}

/** Prices the bytes and rows of the `events` partitions in scope for an engine. */
export function estimateQueryCost(dialect: QueryDialect, scope: CostScope, totals: PartitionTotals): CostEstimate {
  const readsEvents = scope.tables.includes('events');
  const bytes = readsEvents ? totals.bytes : 0;
  const rows = readsEvents ? totals.rows : 0;
  const count = readsEvents ? totals.partitions : 0;
  const where = [
    scope.sources === null ? 'all sources' : `source ${scope.sources.join(', ')}`,
    scope.range === null ? 'all time' : `${scope.range.from ?? 'the beginning'} to ${scope.range.to ?? 'now'}`,
  ].join(', ');
  const basis = readsEvents
    ? `${count} hourly partition${count === 1 ? '' : 's'} of events (${where})`
    : 'no events partitions (the query reads only small tables)';

  if (dialect === 'd1') {
    return { dialect, bytes, billedBytes: 0, usd: round((rows / 1e6) * d1UsdPerMillionRows), rows, partitions: count, basis: `${basis}; D1 bills rows read` };
  }
  const price = lakePricing[dialect];
  const roundUp = (b: number) => Math.ceil(b / mb) * mb;
  let billedBytes: number;
  if (price.minimumPer === 'table') {
    // Every table referenced is billed at least the minimum; only `events` has partition bytes.
    const otherTables = scope.tables.filter((t) => t !== 'events').length;
    billedBytes = (readsEvents ? Math.max(roundUp(bytes), price.minimumBytes) : 0) + otherTables * price.minimumBytes;
  } else {
    billedBytes = Math.max(roundUp(bytes), price.minimumBytes);
  }
  return {
    dialect,
    bytes,
    billedBytes,
    usd: round((billedBytes / price.unitBytes) * price.usdPerUnit),
    rows,
    partitions: count,
    basis: `${basis}; $${price.usdPerUnit} per ${price.unitBytes === tib ? 'TiB' : 'TB'}, ${price.minimumBytes / mb} MB minimum per ${price.minimumPer}`,
  };
}

/**
 * Prices the bytes an engine's own dry run reported (BigQuery's totalBytesProcessed) instead of partition
 * statistics: the engine's figure covers every table the query reads, so only the per-table minimum is added.
 */
export function priceDryRun(dialect: Exclude<QueryDialect, 'd1'>, scope: CostScope, bytes: number): CostEstimate {
  const price = lakePricing[dialect];
  const minimum = price.minimumPer === 'table' ? price.minimumBytes * Math.max(1, scope.tables.length) : price.minimumBytes;
  const billedBytes = Math.max(Math.ceil(bytes / mb) * mb, minimum);
  return {
    dialect,
    bytes,
    billedBytes,
    usd: round((billedBytes / price.unitBytes) * price.usdPerUnit),
    rows: 0,
    partitions: 0,
    basis: `${dialect} dry run: ${bytes} bytes processed; $${price.usdPerUnit} per ${price.unitBytes === tib ? 'TiB' : 'TB'}, ${price.minimumBytes / mb} MB minimum per ${price.minimumPer}`,
  };
}

/** Dollar amounts to 10^-12: small queries still show a non-zero price. */
function round(usd: number): number {
  return Math.round(usd * 1e12) / 1e12;
}

/** Whether a query must be confirmed before it runs. */
export function needsConfirmation(estimate: CostEstimate, confirmAboveUsd: number): boolean {
  return estimate.usd > confirmAboveUsd;
}
