/**
 * Partition statistics (table `partition_stats`, migration 0006): rows and bytes of events per source and
 * event-time hour. Ingest adds to them inside the same D1 transaction as the events (so a retried batch never
 * counts twice: the transaction that counted it also completed it); the NLQ cost estimate sums them.
 */
import { partitionHour, type CostScope, type PartitionStat, type PartitionTotals } from '../../core/nlq/cost';

/** Hours per statement: each travels as one bound JSON parameter, far below D1's 2 MB string limit. */
const maxPartitionsPerStatement = 5000;

const upsertSql =
  `INSERT INTO partition_stats (source, hour, rows, bytes) ` +
  `SELECT value ->> '$[0]', value ->> '$[1]', value ->> '$[2]', value ->> '$[3]' FROM json_each(?1) WHERE true ` +
  `ON CONFLICT (source, hour) DO UPDATE SET rows = rows + excluded.rows, bytes = bytes + excluded.bytes`;

/** The statements that add a batch's partition statistics, to run in the batch's `db.batch()`. */
export function partitionStatsStatements(db: D1Database, stats: readonly PartitionStat[]): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < stats.length; i += maxPartitionsPerStatement) {
    const chunk = stats.slice(i, i + maxPartitionsPerStatement).map((s) => [s.source, s.hour, s.rows, s.bytes]);
    statements.push(db.prepare(upsertSql).bind(JSON.stringify(chunk)));
  }
  return statements;
}

/** Sums the partitions a query's sources and time range select (the same rule as core/nlq/cost sumPartitions). */
export async function partitionTotals(db: D1Database, scope: Pick<CostScope, 'sources' | 'range'>): Promise<PartitionTotals> {
  const from = scope.range?.from ? partitionHour(scope.range.from) : '';
  // '~' sorts after every ISO instant: no upper bound.
  const to = scope.range?.to ?? '~';
  const sources = scope.sources === null ? null : JSON.stringify(scope.sources);
  const row = await db
    .prepare(
      `SELECT count(*) AS partitions, coalesce(sum(rows), 0) AS rows, coalesce(sum(bytes), 0) AS bytes FROM partition_stats
       WHERE hour >= ?1 AND hour < ?2 AND (?3 IS NULL OR source IN (SELECT value FROM json_each(?3)))`,
    )
    .bind(from, to, sources)
    .first<{ partitions: number; rows: number; bytes: number }>();
  return { partitions: row?.partitions ?? 0, rows: row?.rows ?? 0, bytes: row?.bytes ?? 0 };
}
