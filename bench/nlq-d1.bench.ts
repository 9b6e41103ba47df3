/**
 * Question-to-rows time of the natural-language query pipeline on ≈ 1 million demo events in local D1 (workerd's
 * SQLite on disk, through Miniflare), for every question of the evaluation set (core/nlq/eval: main + held-out).
 *
 * The demo organisation is scaled up (BENCH_USERS, default 4,200 users × 14 days of Okta and CloudTrail ending at
 * the evaluation's `now`, seed 1 ≈ 1 M events), normalized by the real ingest parser and written with the ingest
 * path's bulk insert and partition statistics. Each question runs through answerQuestion with the route's D1 ports
 * (bench/workers/nlq-d1-worker.ts; no answer cache). Follow-ups are asked after their earlier questions, in one
 * conversation, as the UI does. Time per question = the Worker call round trip measured here (translation,
 * validation, cost estimate from partition_stats, the query on D1, rows back), median of BENCH_REPEATS (3) after
 * a warm-up pass; reported: median and p95 over questions, split by outcome.
 *
 * Reference in the same process: one full scan of the events table (`count(*)` with a LIKE no row matches).
 *
 * BENCH_STATE_DIR keeps the loaded D1 between runs (loading takes ~15 min on a 2-core machine): when it already
 * holds the expected dataset, loading is skipped.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceAdapters } from '../adapters/sources';
import { iterateDemoEvents, type DemoSource } from '../core/demo/dataset';
import { heldOutQuestions } from '../core/nlq/eval/held-out-questions';
import { evalQuestions, type EvalQuestion } from '../core/nlq/eval/questions';
import type { ConversationTurn } from '../core/nlq/translator';
import { parseBatch } from '../core/ingest/parse-batch';
import { evalNow } from '../scripts/eval-nlq-database';
import { migrationStatements, startBenchWorker } from './bench-worker';
import { fmt, machineLine, median } from './machine';

const USERS = Number(process.env.BENCH_USERS ?? 4200);
const DAYS = 14;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const CHUNK = 2000;

const keepState = process.env.BENCH_STATE_DIR;
if (keepState) mkdirSync(keepState, { recursive: true });
const stateDir = keepState ?? mkdtempSync(join(tmpdir(), 'mantissa-nlq-bench-'));
const { mf, call } = await startBenchWorker('bench/workers/nlq-d1-worker.ts', { persistDir: stateDir });

/** A progress line rewritten in place on a terminal; in a log, only every `every`-th call is printed. */
let progressCalls = 0;
function progress(text: string, every = 50) {
  if (process.stdout.isTTY) process.stdout.write(`\r${text}`.padEnd(80));
  else if (progressCalls++ % every === 0 || text.endsWith('\n')) console.log(text.trimEnd());
}

async function eventCount(): Promise<number | null> {
  try {
    return (await call<{ results: { n: number }[] }>('/sql', { sql: 'SELECT count(*) AS n FROM events' })).results[0]!.n;
  } catch {
    return null; // no schema yet
  }
}

interface Answer {
  kind: string;
  sql?: string;
  rows?: number;
  truncated?: boolean;
  timeRange?: { from: string | null; to: string | null } | null;
  message?: string;
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;

try {
  // 1. The dataset (or the one kept from an earlier run).
  const expected = process.env.BENCH_EXPECT_EVENTS ? Number(process.env.BENCH_EXPECT_EVENTS) : null;
  let total = await eventCount();
  let loadNote = `kept from an earlier run in ${stateDir}`;
  if (total === null || total === 0 || (expected !== null && total !== expected)) {
    if (total) throw new Error(`${stateDir} holds ${total} events, not ${expected}: remove it or point BENCH_STATE_DIR elsewhere`);
    for (const statements of migrationStatements()) await call('/migrate', { statements, kept: false });
    const loadStarted = performance.now();
    total = 0;
    for (const source of ['okta', 'cloudtrail'] as DemoSource[]) {
      const adapter = sourceAdapters.get(source)!;
      let lines: string[] = [];
      let batch = 0;
      const flush = async () => {
        const parsed = await parseBatch(lines.join('\n'), adapter, { source: adapter.id, batchId: `bench-${source}-${batch++}`, ingestTime: evalNow });
        if (!parsed.ok) throw new Error(parsed.message);
        if (parsed.deadLetters.length > 0) throw new Error(`${source}: ${parsed.deadLetters[0]!.message}`);
        await call('/insert', parsed.events);
        total! += parsed.events.length;
        lines = [];
        progress(`loading ${source}: ${fmt(total!)} events`);
      };
      for (const event of iterateDemoEvents({ end: evalNow, users: USERS, days: DAYS, seed: 1 }, source)) {
        lines.push(JSON.stringify(event));
        if (lines.length === CHUNK) await flush();
      }
      if (lines.length > 0) await flush();
    }
    loadNote = `loaded (parse + bulk insert + partition statistics) in ${fmt((performance.now() - loadStarted) / 1000)} s`;
    const counted = await eventCount();
    if (counted !== total) throw new Error(`expected ${total} events in D1, found ${counted}`);
  } else {
    for (const statements of migrationStatements()) await call('/migrate', { statements, kept: true });
  }
  progress(`${fmt(total)} events: ${loadNote}\n`);

  // 2. Entity values: computed by the cron into a snapshot row the route reads (timed on its own).
  const valuesStarted = performance.now();
  const values = await call<Record<string, number>>('/values', { now: evalNow });
  const valuesMs = performance.now() - valuesStarted;

  // 3. The reference: a full scan of the events table (median of 3).
  const scans: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await call('/sql', { sql: "SELECT count(*) AS n FROM events WHERE actor LIKE '%no-such-actor%'" });
    scans.push(performance.now() - t);
  }
  const scanMs = median(scans);

  // 4. Every evaluation question; follow-ups after their earlier questions, with the turns the UI would keep.
  const questions: EvalQuestion[] = [...evalQuestions, ...heldOutQuestions];
  const ask = async (q: EvalQuestion) => {
    const history: ConversationTurn[] = [];
    for (const earlier of q.history ?? []) {
      const a = await call<Answer>('/ask', { question: earlier, history, now: evalNow });
      const range = a.timeRange?.from && a.timeRange.to ? { from: a.timeRange.from, to: a.timeRange.to } : null;
      history.push({ question: earlier, sql: a.sql ?? null, timeRange: range });
    }
    const t = performance.now();
    const answer = await call<Answer>('/ask', { question: q.question, history, now: evalNow });
    return { ms: performance.now() - t, answer };
  };
  const times = new Map<string, number[]>();
  const outcomes = new Map<string, Answer>();
  for (let pass = 0; pass <= REPEATS; pass++) {
    for (const [i, q] of questions.entries()) {
      const { ms, answer } = await ask(q);
      if (pass > 0) times.set(q.id, [...(times.get(q.id) ?? []), ms]); // pass 0 is the warm-up
      outcomes.set(q.id, answer);
      progress(`pass ${pass}/${REPEATS}: question ${i + 1}/${questions.length}`);
    }
  }
  if (process.stdout.isTTY) process.stdout.write('\n');

  const perQuestion = questions.map((q) => ({ q, ms: median(times.get(q.id)!), answer: outcomes.get(q.id)! }));
  const groups: [string, typeof perQuestion][] = [
    ['answered (rows returned)', perQuestion.filter((p) => p.answer.kind === 'answered')],
    ['refused or not understood (no query run)', perQuestion.filter((p) => p.answer.kind !== 'answered')],
    ['all questions', perQuestion],
  ];
  console.log(`\n## Question to rows on ${fmt(total)} events in local D1 (${machineLine()})`);
  console.log(
    `Demo organisation, seed 1, ${fmt(USERS)} users × ${DAYS} days (Okta + CloudTrail) ending ${evalNow}, ${loadNote}. ` +
      `${questions.length} evaluation questions (main + held-out), offline engine, no answer cache; per question the median of ${REPEATS} runs after a warm-up. ` +
      `Entity values (${values.users} users, ${values.countries} countries, ${values.actions} actions) computed by the cron into their snapshot: ${fmt(valuesMs)} ms (each question reads the snapshot row).\n`,
  );
  console.log('| questions | count | median | p95 | max | p95 / full scan |');
  console.log('|---|---|---|---|---|---|');
  for (const [label, group] of groups) {
    if (group.length === 0) continue;
    const ms = group.map((p) => p.ms);
    console.log(`| ${label} | ${group.length} | ${fmt(median(ms), 1)} ms | ${fmt(p95(ms), 1)} ms | ${fmt(Math.max(...ms), 1)} ms | ${fmt(p95(ms) / scanMs, 2)} |`);
  }
  console.log(`| reference: one full scan of the events table (median of 3) | | ${fmt(scanMs, 1)} ms | | | 1 |`);
  const refused = perQuestion.filter((p) => p.answer.kind !== 'answered');
  if (refused.length > 0) {
    console.log('\nNot answered (what the engine said), most common first:\n');
    const byMessage = new Map<string, string[]>();
    for (const p of refused) {
      const key = `${p.answer.kind}: ${(p.answer.message ?? '').split(/[.:]/)[0]!.slice(0, 90)}`;
      byMessage.set(key, [...(byMessage.get(key) ?? []), p.q.question]);
    }
    for (const [message, qs] of [...byMessage].sort((a, b) => b[1].length - a[1].length).slice(0, 8)) {
      console.log(`- ${qs.length} × ${message} (e.g. "${qs[0]}")`);
    }
  }
  console.log('\nSlowest questions:\n');
  console.log('| question | time | rows | SQL |');
  console.log('|---|---|---|---|');
  for (const p of [...perQuestion].sort((a, b) => b.ms - a.ms).slice(0, 5)) {
    console.log(`| ${p.q.question.replace(/\|/g, '\\|')} | ${fmt(p.ms, 1)} ms | ${p.answer.rows ?? '—'} | \`${(p.answer.sql ?? '').replace(/\|/g, '\\|').replace(/\s+/g, ' ')}\` |`);
  }
} finally {
  await mf.dispose();
  if (!keepState && existsSync(stateDir)) rmSync(stateDir, { recursive: true, force: true });
}
