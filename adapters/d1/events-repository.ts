/**
 * Bulk writes of normalized events to D1.
 *
 * Rows travel as one bound JSON parameter per statement and are unpacked by `json_each`: one statement per
 * 1,000 rows instead of one per row, which keeps a batch far below D1's per-invocation query limit and its
 * 100-bound-parameter limit (speed is on par with per-row inserts for full-size rows and 2× for small ones:
 * docs/benchmarks.md). Chunks stay under D1's 2 MB string limit. `INSERT OR IGNORE` on the unique
 * `event_uid` makes a re-sent batch a no-op.
 */
import { eventColumns } from '../../core/schema/event';
import type { StoredEvent } from '../../core/ingest/parse-batch';

const storedColumns = ['event_uid', ...eventColumns, 'batch_id'] as const;

const insertSql =
  `INSERT OR IGNORE INTO events (${storedColumns.join(', ')}) ` +
  `SELECT ${storedColumns.map((_, i) => `value ->> '$[${i}]'`).join(', ')} FROM json_each(?1)`;

/** Bytes of JSON per statement: well under D1's 2,000,000-byte limit for a bound string. */
const maxChunkBytes = 1_500_000;
const maxChunkRows = 1000;

function toRow(event: StoredEvent): unknown[] {
  return storedColumns.map((c) => {
    const v = event[c as keyof StoredEvent];
    return typeof v === 'boolean' ? (v ? 1 : 0) : v;
  });
}

/** The INSERT statements for a batch's events, to run inside one `db.batch()` with the batch record. */
export function eventInsertStatements(db: D1Database, events: readonly StoredEvent[]): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  let chunk: string[] = [];
  let bytes = 2;
  const flush = () => {
    if (chunk.length === 0) return;
    statements.push(db.prepare(insertSql).bind(`[${chunk.join(',')}]`));
    chunk = [];
    bytes = 2;
  };
  for (const event of events) {
    const json = JSON.stringify(toRow(event));
    if (json.length > maxChunkBytes) {
      // One enormous event: D1 would refuse it anyway; the caller reports it per line before this point.
      throw new Error(`event ${event.event_uid} is ${json.length} bytes; the limit is ${maxChunkBytes}`);
    }
    if (chunk.length >= maxChunkRows || bytes + json.length + 1 > maxChunkBytes) flush();
    chunk.push(json);
    bytes += json.length + 1;
  }
  flush();
  return statements;
}

/** Largest normalized row (raw included) the hot store accepts. */
export const maxEventBytes = maxChunkBytes;

/** Which of these event uids are already stored (one query; the uids travel as one JSON parameter). */
export async function existingEventUids(db: D1Database, uids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < uids.length; i += 5000) {
    const { results } = await db
      .prepare('SELECT e.event_uid AS uid FROM json_each(?1) AS j JOIN events AS e ON e.event_uid = j.value')
      .bind(JSON.stringify(uids.slice(i, i + 5000)))
      .all<{ uid: string }>();
    for (const r of results) found.add(r.uid);
  }
  return found;
}
