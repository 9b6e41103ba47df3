/**
 * Cost of the NLQ pipeline's own steps, one core, plain Node, on the evaluation's demo organisation loaded into
 * SQLite (scripts/eval-nlq-database.ts, the real migrations and ingest parsing). For each evaluation question
 * without history: the whole pipeline (core/nlq/pipeline.ts: offline translation, validation, time bound, LIMIT,
 * re-validation, scope analysis, cost estimate, cache key) with a runner that returns no rows — everything but the
 * database — and the same with the query run on node:sqlite (not D1). Reference in the same process: the offline
 * translation alone. Also the ingest path's partition statistics (partitionStatsOf) against JSON.stringify of the
 * same events (which the D1 insert already does). Medians of 5 repetitions after a warm-up; p95 over questions.
 */
import type { StoredEvent } from '../core/ingest/parse-batch';
import { nlqSchemaVersion } from '../core/nlq/cache';
import { estimateQueryCost, partitionStatsOf, sumPartitions } from '../core/nlq/cost';
import { evalQuestions } from '../core/nlq/eval/questions';
import { offlineTranslator } from '../core/nlq/offline/index';
import { answerQuestion, defaultPipelineOptions, type PipelinePorts } from '../core/nlq/pipeline';
import type { EntityValues } from '../core/nlq/translator';
import { sqliteSqlSupport } from '../core/sql/sqlite-sql-support';
import { evalNow, openDemoDatabase } from '../scripts/eval-nlq-database';
import { fmt, machineLine, median } from './machine';

const now = new Date(evalNow);
const demo = await openDemoDatabase();
const events = demo.all('SELECT * FROM events') as unknown as StoredEvent[];
const stats = partitionStatsOf(events);
const values: EntityValues = demo.values;
const questions = evalQuestions.filter((q) => !q.history && q.gold !== null).map((q) => q.question);

const ports: PipelinePorts = {
  primary: null,
  offline: offlineTranslator,
  sql: sqliteSqlSupport(),
  entityValues: async () => values,
  estimate: async (scope) => estimateQueryCost('d1', scope, sumPartitions(stats, scope)),
  run: async () => ({ columns: [], rows: [], truncated: false }),
  cache: null,
};
const options = { ...defaultPipelineOptions, dialect: 'd1' as const, schemaVersion: nlqSchemaVersion, confirmAboveUsd: 1e9 };

async function perQuestion(fn: (q: string) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (const q of questions) {
    const t = performance.now();
    await fn(q);
    times.push(performance.now() - t);
  }
  return times;
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;

async function measure(fn: (q: string) => Promise<unknown>) {
  await perQuestion(fn); // warm-up
  const runs: number[][] = [];
  for (let i = 0; i < 5; i++) runs.push(await perQuestion(fn));
  const perQ = questions.map((_, i) => median(runs.map((r) => r[i]!)));
  return { median: median(perQ), p95: p95(perQ), total: perQ.reduce((a, b) => a + b, 0) };
}

const translate = (q: string) => offlineTranslator.translate({ question: q, history: [], now, dialect: 'd1', values });
const pipeline = (q: string) => answerQuestion({ question: q, history: [], userId: 'bench', now, confirm: false }, ports, options);
const sqlitePorts: PipelinePorts = {
  ...ports,
  run: async (sql, _params, maxRows) => {
    const rows = demo.db.prepare(`SELECT * FROM (\n${sql}\n) LIMIT ${maxRows + 1}`).all() as Record<string, unknown>[];
    return { columns: Object.keys(rows[0] ?? {}), rows: rows.slice(0, maxRows).map((r) => Object.values(r)), truncated: rows.length > maxRows };
  },
};
const withRows = (q: string) => answerQuestion({ question: q, history: [], userId: 'bench', now, confirm: false }, sqlitePorts, options);

let answered = 0;
for (const q of questions) if ((await pipeline(q)).kind === 'answered') answered++;
const reference = await measure(translate);
const full = await measure(pipeline);
const rowsToo = await measure(withRows);

console.log(`\n## NLQ pipeline overhead (${machineLine()})`);
console.log(`${questions.length} evaluation questions without history (${answered} answered), ${fmt(events.length)} demo events in ${stats.length} partitions; medians of 5 runs\n`);
console.log('| step | median per question, ms | p95 per question, ms |');
console.log('| --- | --- | --- |');
console.log(`| reference: offline translation alone | ${fmt(reference.median, 3)} | ${fmt(reference.p95, 3)} |`);
console.log(`| pipeline without the database (translate, validate, bound, limit, re-validate, estimate, cache key) | ${fmt(full.median, 3)} | ${fmt(full.p95, 3)} |`);
console.log(`| ratio pipeline / translation | ${fmt(full.median / reference.median, 2)} | ${fmt(full.p95 / reference.p95, 2)} |`);
console.log(`| question to rows on node:sqlite (pipeline + query) | ${fmt(rowsToo.median, 3)} | ${fmt(rowsToo.p95, 3)} |`);

const batch = events.slice(0, 20_000);
const timeIt = (fn: () => unknown) => {
  fn();
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    fn();
    runs.push(performance.now() - t);
  }
  return median(runs);
};
const statsMs = timeIt(() => partitionStatsOf(batch));
const stringifyMs = timeIt(() => batch.map((e) => JSON.stringify(e)));
demo.close();
console.log(`\nPartition statistics at ingest, ${fmt(batch.length)} events: partitionStatsOf ${fmt(statsMs, 1)} ms (${fmt((statsMs * 1000) / batch.length, 2)} µs/event); reference JSON.stringify of the same events ${fmt(stringifyMs, 1)} ms; ratio ${fmt(statsMs / stringifyMs, 2)}`);
