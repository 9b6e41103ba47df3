/**
 * The natural-language evaluation's database: the demo organisation (core/demo, fixed seed and end) pushed
 * through the real ingest parsing (parseBatch with the Okta and CloudTrail source adapters, as `npm start`'s seed
 * does through POST /ingest/<source>), stored in an in-memory SQLite database (Node's built-in `node:sqlite`)
 * whose schema comes from applying every migration in migrations/ in order, as D1 does.
 *
 * Deterministic: same seed, users, days and end ⇒ the same rows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { demoSources, generateDemoDataset } from '../core/demo/dataset';
import { parseBatch, type StoredEvent } from '../core/ingest/parse-batch';
import { eventColumns } from '../core/schema/event';
import type { EntityValues } from '../core/nlq/translator';
import type { SqlRunner } from '../core/nlq/eval/run-eval';
import { sourceAdapters } from '../adapters/sources';

/** The fixed window end and "now" of the evaluation: a Friday afternoon, as in core/demo/README.md. */
export const evalNow = '2026-11-27T16:00:00.000Z';
export const evalDemoOptions = { seed: 1, users: 50, days: 14, end: evalNow } as const;

const root = fileURLToPath(new URL('..', import.meta.url));
const storedColumns = ['event_uid', ...eventColumns, 'batch_id'] as const;
const batchSize = 500;

export interface DemoDatabase extends SqlRunner {
  readonly db: DatabaseSync;
  readonly events: number;
  readonly values: EntityValues;
  close(): void;
}

/** Applies migrations/*.sql in name order. */
export function applyMigrations(db: DatabaseSync): void {
  const dir = join(root, 'migrations');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    db.exec(readFileSync(join(dir, file), 'utf8'));
  }
}

export async function openDemoDatabase(): Promise<DemoDatabase> {
  const db = new DatabaseSync(':memory:');
  applyMigrations(db);
  const dataset = generateDemoDataset(evalDemoOptions);
  const insert = db.prepare(`INSERT INTO events (${storedColumns.join(', ')}) VALUES (${storedColumns.map(() => '?').join(', ')})`);
  let events = 0;
  db.exec('BEGIN');
  for (const source of demoSources) {
    const adapter = sourceAdapters.get(source);
    if (!adapter) throw new Error(`no source adapter for the demo source ${source}`);
    const records: unknown[] = dataset[source];
    for (let i = 0; i < records.length; i += batchSize) {
      const body = records.slice(i, i + batchSize).map((r) => JSON.stringify(r)).join('\n');
      const batchId = `eval-${source}-${i / batchSize}`;
      const parsed = await parseBatch(body, adapter, { source, batchId, ingestTime: evalNow });
      if (!parsed.ok) throw new Error(`demo batch ${batchId} was refused: ${parsed.message}`);
      if (parsed.rejected > 0) throw new Error(`demo batch ${batchId}: ${parsed.deadLetters[0]?.message ?? 'lines rejected'}`);
      for (const event of parsed.events) insert.run(...rowOf(event));
      events += parsed.events.length;
    }
  }
  db.exec('COMMIT');
  const runner: SqlRunner = {
    all(sql: string) {
      return db.prepare(sql).all() as Record<string, unknown>[];
    },
  };
  return { db, events, values: entityValues(runner), all: runner.all, close: () => db.close() };
}

function rowOf(event: StoredEvent): (string | number | null)[] {
  return storedColumns.map((c) => {
    const v = event[c as keyof StoredEvent];
    return typeof v === 'boolean' ? (v ? 1 : 0) : (v as string | number | null);
  });
}

/** What the pipeline gives the translator: the distinct values present in the data. */
export function entityValues(runner: SqlRunner): EntityValues {
  const distinct = (column: string) =>
    runner
      .all(`SELECT DISTINCT ${column} AS v FROM events WHERE ${column} IS NOT NULL ORDER BY 1`)
      .map((r) => String(r['v']));
  return {
    users: distinct('actor'),
    countries: distinct('src_country'),
    sources: distinct('source'),
    actions: distinct('action'),
    ips: distinct('src_ip'),
    services: distinct('service'),
  };
}
