/**
 * D1 insert strategies, same process, same local D1 (workerd's SQLite): the bulk `json_each` statements the
 * ingest path uses (adapters/d1/events-repository.ts) against the reference of one INSERT per row. Both run
 * inside workerd (bench/workers/d1-insert-worker.ts) as a single `batch()`, timed there, so only the statement
 * shape differs. Rows are the demo dataset's Okta events, normalized by the real parser, measured twice: as
 * stored (with `raw`, ≈ 3.5 KB a row) and with `raw` emptied (≈ 1 KB), to show what row size costs.
 *
 * Why the ingest path uses the bulk form even where it is not faster: D1 counts queries per Worker invocation
 * (1,000 on paid plans) and binds at most 100 parameters per statement; one INSERT per row would cap a
 * batch near 1,000 events, the bulk form needs one statement per 1,000 rows.
 */
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { normalizeOktaEvent } from '../adapters/okta/normalize-okta-event';
import type { StoredEvent } from '../core/ingest/parse-batch';
import { iterateDemoEvents } from '../core/demo/dataset';
import { fmt, machineLine, median } from './machine';

const ROWS = Number(process.env.BENCH_ROWS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const bundle = await build({
  entryPoints: [new URL('./workers/d1-insert-worker.ts', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  write: false,
  logLevel: 'error',
});
const mf = new Miniflare(
  convertV4MiniflareOptions({
    modules: true,
    script: bundle.outputFiles[0]!.text,
    compatibilityDate: '2026-11-01',
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: ['DB'],
  }),
);
try {
  const call = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await mf.dispatchFetch(`http://bench${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const migration = readFileSync(new URL('../migrations/0001_init.sql', import.meta.url), 'utf8');
  await call('/migrate', migration.split(/;\s*$/m).map((s) => s.replace(/--.*$/gm, '').trim()).filter(Boolean));

  const stored: StoredEvent[] = [];
  for (const raw of iterateDemoEvents({ end: '2026-11-27T00:00:00.000Z', users: 200, days: 14 }, 'okta')) {
    const parsed = normalizeOktaEvent(raw, { source: 'okta', ingestTime: '2026-11-27T00:00:00.000Z' });
    if (!parsed.ok) throw new Error(parsed.message);
    stored.push({ ...parsed.event, raw: JSON.stringify(raw), event_id: parsed.event.event_id ?? 'x', event_uid: '', batch_id: 'bench' });
    if (stored.length === ROWS) break;
  }
  const shapes = [
    { label: 'as stored, with raw', events: stored },
    { label: 'raw emptied', events: stored.map((e) => ({ ...e, raw: '{}' })) },
  ];

  console.log(`\n## D1 insert strategies (${machineLine()})`);
  console.log(`${fmt(ROWS)} normalized Okta rows per run, ${RUNS} runs (medians), one batch() per strategy per run, timed inside workerd\n`);
  console.log('| rows | bytes/row (JSON) | bulk json_each rows/s (ingest path) | reference: one INSERT per row, rows/s | ratio bulk/reference |');
  console.log('|---|---|---|---|---|');
  let expected = 0;
  for (const [shapeIndex, shape] of shapes.entries()) {
    const withUids = (run: number, strategy: string) => shape.events.map((e, i) => ({ ...e, event_uid: `${shapeIndex}:${strategy}:${run}:${i}` }));
    const bulk: number[] = [];
    const perRow: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const b = await call<{ ms: number }>('/bulk', withUids(run, 'bulk'));
      bulk.push(ROWS / (Math.max(b.ms, 1) / 1000));
      const r = await call<{ ms: number }>('/per-row', withUids(run, 'row'));
      perRow.push(ROWS / (Math.max(r.ms, 1) / 1000));
    }
    expected += ROWS * RUNS * 2;
    const bytes = Buffer.byteLength(JSON.stringify(shape.events)) / ROWS;
    console.log(`| ${shape.label} | ${fmt(bytes)} | ${fmt(median(bulk))} | ${fmt(median(perRow))} | ${fmt(median(bulk) / median(perRow), 2)} |`);
  }
  const count = await call<{ n: number }>('/count', null);
  if (count.n !== expected) throw new Error(`expected ${expected} rows, found ${count.n}`);
} finally {
  await mf.dispose();
}
