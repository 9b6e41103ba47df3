/**
 * ITDR through the Durable Object path, locally (Miniflare/workerd, SQLite-backed objects): the demo
 * organisation's Okta identity events, normalized by the real parser and summarized as ingest does, sent in
 * ingest-sized batches to a bench Worker (bench/workers/itdr-do-worker.ts) that feeds the org-wide object and
 * then each person's object — engine, storage transaction, evidence and risk history, RPC — as ingest does.
 * Reference, in the same process and the same isolate: the same batches through the same core engine with the
 * state in memory (no object, no storage, no RPC). Both timed from Node per batch (round trip), fresh objects
 * per run; medians over runs, and the ratio DO path / reference.
 */
import { build } from 'esbuild';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { normalizeOktaEvent } from '../adapters/okta/normalize-okta-event';
import { iterateDemoEvents } from '../core/demo/dataset';
import { summarizeIdentityEvent, type IdentityEventSummary } from '../core/identity/identity-event';
import { fmt, machineLine, median } from './machine';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const USERS = Number(process.env.BENCH_USERS ?? 50);

const bundle = await build({
  entryPoints: [new URL('./workers/itdr-do-worker.ts', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  external: ['cloudflare:workers'],
  mainFields: ['module', 'main'],
  write: false,
  logLevel: 'error',
});
const mf = new Miniflare(
  convertV4MiniflareOptions({
    modules: true,
    script: bundle.outputFiles[0]!.text,
    compatibilityDate: '2026-11-01',
    compatibilityFlags: ['nodejs_compat'],
    durableObjects: {
      IDENTITY_USER: { className: 'IdentityUserState', useSQLite: true },
      IDENTITY_ORG: { className: 'IdentityOrgState', useSQLite: true },
    },
  }),
);
try {
  const ingestTime = '2026-11-27T00:00:00.000Z';
  const summaries: IdentityEventSummary[] = [];
  let n = 0;
  for (const raw of iterateDemoEvents({ end: ingestTime, users: USERS, days: 14 }, 'okta')) {
    const parsed = normalizeOktaEvent(raw, { source: 'okta', ingestTime });
    if (!parsed.ok) throw new Error(parsed.message);
    const summary = summarizeIdentityEvent({ ...parsed.event, event_id: parsed.event.event_id ?? 'x', raw: '{}', event_uid: `bench:${n++}` });
    if (summary) summaries.push(summary);
    if (summaries.length === EVENTS) break;
  }
  const batches: IdentityEventSummary[][] = [];
  for (let i = 0; i < summaries.length; i += BATCH) batches.push(summaries.slice(i, i + BATCH));

  // Per run: the first batch creates the objects (cold: SQLite files, schema); the later ones find them warm.
  const feed = async (path: string, run: number) => {
    let warmMs = 0;
    let coldMs = 0;
    let warmEvents = 0;
    let detections = 0;
    for (const [index, batch] of batches.entries()) {
      const started = performance.now();
      const res = await mf.dispatchFetch(`http://bench${path}?run=${run}`, { method: 'POST', body: JSON.stringify(batch) });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      detections += ((await res.json()) as { detections: number }).detections;
      const ms = performance.now() - started;
      if (index === 0) coldMs = ms;
      else {
        warmMs += ms;
        warmEvents += batch.length;
      }
    }
    return { warm: warmEvents / (warmMs / 1000), cold: batches[0]!.length / (coldMs / 1000), all: summaries.length / ((warmMs + coldMs) / 1000), detections };
  };

  const viaDo: { warm: number; cold: number; all: number }[] = [];
  const reference: { warm: number; cold: number; all: number }[] = [];
  let detections = { do: 0, core: 0 };
  for (let run = 0; run < RUNS; run++) {
    const d = await feed('/do', run);
    const c = await feed('/core', run);
    viaDo.push(d);
    reference.push(c);
    detections = { do: d.detections, core: c.detections };
  }
  if (detections.do !== detections.core) throw new Error(`the DO path found ${detections.do} detections, the engine alone ${detections.core}`);
  const m = (rows: typeof viaDo, key: 'warm' | 'cold' | 'all') => median(rows.map((r) => r[key]));

  console.log(`\n## ITDR through the Durable Object path (${machineLine()})`);
  console.log(
    `${fmt(summaries.length)} demo Okta identity events (${USERS} users, 14 days), ${batches.length} batches of ≤ ${fmt(BATCH)}, ${RUNS} runs ` +
      `(medians), Miniflare/workerd with SQLite-backed objects, fresh objects per run; ${detections.do} detections per run on both paths\n`,
  );
  console.log('| path | warm objects, events/s | first batch (creates the objects), events/s | whole run, events/s | ratio to reference (warm) |');
  console.log('|---|---|---|---|---|');
  console.log(
    `| org object + per-person objects (engine, SQLite transaction, RPC) | ${fmt(m(viaDo, 'warm'))} | ${fmt(m(viaDo, 'cold'))} | ${fmt(m(viaDo, 'all'))} | ${fmt(m(viaDo, 'warm') / m(reference, 'warm'), 2)} |`,
  );
  console.log(`| reference: same engine in the same isolate, state in memory | ${fmt(m(reference, 'warm'))} | ${fmt(m(reference, 'cold'))} | ${fmt(m(reference, 'all'))} | 1.00 |`);
} finally {
  await mf.dispose();
}
