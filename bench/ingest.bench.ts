/**
 * Ingest benchmark: the demo dataset (50 users × 14 days ≈ 12k Okta + CloudTrail events) posted through the
 * local Worker (`scripts/start.mjs`, i.e. wrangler dev with local D1/R2/DO) in batches of 1,000.
 *
 * Reported, as medians over RUNS runs with different seeds (so no batch is a duplicate):
 * - end-to-end events/s (HTTP → parse → R2 → D1 → identity Durable Objects → answer);
 * - the D1 insert rate inside the Worker, from the `Server-Timing: d1;dur=` header of each batch;
 * - a reference in the same process: Node's JSON.parse + JSON.stringify over the same lines (the floor of
 *   any JSON ingest), and the ratio of the two, which is steadier across noisy machines than either number.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iterateDemoEvents, type DemoSource } from '../core/demo/dataset';
import { fmt, machineLine, median } from './machine';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const USERS = Number(process.env.BENCH_USERS ?? 50);
const DAYS = Number(process.env.BENCH_DAYS ?? 14);
const BATCH = 1000;
const port = Number(process.env.BENCH_PORT ?? 8797);
const origin = `http://127.0.0.1:${port}`;
const token = `mlt_bench${Date.now()}xxxxxxxxxxxxxxxxxx`;
const end = '2026-11-27T00:00:00.000Z';

const stateDir = mkdtempSync(join(tmpdir(), 'mantissa-bench-'));
const server = spawn(process.execPath, ['scripts/start.mjs'], {
  env: { ...process.env, PORT: String(port), MANTISSA_DEMO: '0', MANTISSA_STATE_DIR: stateDir, MANTISSA_ADMIN_TOKEN: token },
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
let output = '';
server.stdout.on('data', (c) => (output += c));
server.stderr.on('data', (c) => (output += c));

try {
  await waitFor(() => output.includes('Mantissa Log is running'), 120_000);
  const rows: { run: number; events: number; seconds: number; d1Ms: number; refSeconds: number; phases: Record<string, number> }[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const batches: { source: DemoSource; body: string; events: number }[] = [];
    for (const source of ['okta', 'cloudtrail'] as const) {
      let lines: string[] = [];
      for (const event of iterateDemoEvents({ seed: run, users: USERS, days: DAYS, end }, source)) {
        lines.push(JSON.stringify(event));
        if (lines.length === BATCH) {
          batches.push({ source, body: lines.join('\n'), events: lines.length });
          lines = [];
        }
      }
      if (lines.length) batches.push({ source, body: lines.join('\n'), events: lines.length });
    }
    const events = batches.reduce((n, b) => n + b.events, 0);

    // Reference, same process: parse and re-serialize every line.
    const refStart = performance.now();
    for (const b of batches) for (const line of b.body.split('\n')) JSON.stringify(JSON.parse(line));
    const refSeconds = (performance.now() - refStart) / 1000;

    let d1Ms = 0;
    const phases: Record<string, number> = {};
    const started = performance.now();
    for (const b of batches) {
      const res = await fetch(`${origin}/ingest/${b.source}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
        body: b.body,
      });
      const answer = (await res.json()) as { accepted?: number; error?: { message: string } };
      if (res.status !== 200 || answer.accepted !== b.events) throw new Error(`batch refused: ${res.status} ${JSON.stringify(answer).slice(0, 300)}`);
      for (const [, phase, ms] of (res.headers.get('server-timing') ?? '').matchAll(/(\w+);dur=(\d+)/g)) {
        phases[phase!] = (phases[phase!] ?? 0) + Number(ms);
      }
      d1Ms = phases.d1 ?? NaN;
    }
    const seconds = (performance.now() - started) / 1000;
    rows.push({ run, events, seconds, d1Ms, refSeconds, phases });
    console.log(`run ${run}: ${fmt(events)} events in ${fmt(seconds, 2)} s → ${fmt(events / seconds)} events/s; D1 ${fmt(events / (d1Ms / 1000))} rows/s; reference parse ${fmt(events / refSeconds)} events/s`);
  }
  const e2e = median(rows.map((r) => r.events / r.seconds));
  const d1 = median(rows.map((r) => r.events / (r.d1Ms / 1000)));
  const ref = median(rows.map((r) => r.events / r.refSeconds));
  console.log(`\n## Ingest through the local Worker (${machineLine()})`);
  console.log(`dataset: demo organisation, ${USERS} users × ${DAYS} days, seeds 1–${RUNS} (${rows.map((r) => fmt(r.events)).join(' / ')} events), batches of ${BATCH}, ${RUNS} runs (medians)\n`);
  console.log('| measure | median | ratio to reference |');
  console.log('|---|---|---|');
  console.log(`| end-to-end ingest (HTTP → R2 → D1 → identity DOs) | ${fmt(e2e)} events/s | ${fmt(e2e / ref, 3)} |`);
  console.log(`| D1 insert inside the Worker (Server-Timing d1) | ${fmt(d1)} rows/s | ${fmt(d1 / ref, 3)} |`);
  console.log(`| reference: JSON.parse + stringify in Node | ${fmt(ref)} events/s | 1 |`);
  const phaseNames = Object.keys(rows[0]!.phases);
  const perThousand = (r: (typeof rows)[number], phase: string) => ((r.phases[phase] ?? 0) / r.events) * 1000;
  console.log('\nWhere a batch of 1,000 events spends its time inside the Worker (Server-Timing, median ms per 1,000 events):\n');
  console.log(`| ${phaseNames.join(' | ')} | wall clock (client) |`);
  console.log(`|${phaseNames.map(() => '---|').join('')}---|`);
  console.log(`| ${phaseNames.map((p) => fmt(median(rows.map((r) => perThousand(r, p))))).join(' | ')} | ${fmt(median(rows.map((r) => (r.seconds * 1e6) / r.events)))} |`);
} finally {
  try {
    process.kill(-server.pid!, 'SIGTERM');
  } catch {
    server.kill('SIGTERM');
  }
  await new Promise((r) => setTimeout(r, 1500));
  rmSync(stateDir, { recursive: true, force: true });
}

async function waitFor(predicate: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (predicate()) return;
    if (server.exitCode !== null) throw new Error(`the server exited:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the server did not start:\n${output.slice(-3000)}`);
}
