/**
 * One scheduled run of the full rule set over ≈ 1 million demo events in local D1 (workerd's SQLite, on disk).
 *
 * The demo organisation is scaled up (BENCH_USERS, default 4,200 users × 14 days of Okta and CloudTrail ≈ 1 M
 * events), normalized by the real ingest parser (parseBatch with each source's adapter), and written with the
 * ingest path's bulk insert. Every rule of the library (rules/sigma, rules/sql) is stored through the same
 * validation as POST /api/rules; their watermarks are set to the dataset's start, and ONE cron run
 * (runScheduledDetection, at the end of the dataset + 2 min) catches them all up: 14 windows of 24 h per rule.
 *
 * Reported, from the rule_runs history the run records: per rule, the time and the rows D1 read (rows_read)
 * summed over its windows, the hits; the total wall time of the run; and the reference measured in the same
 * process: one full scan of the events table (`SELECT count(*) … WHERE actor LIKE …`, which reads every row).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { load, loadAll } from 'js-yaml';
import { sourceAdapters } from '../adapters/sources';
import { iterateDemoEvents, type DemoSource } from '../core/demo/dataset';
import { ruleInputFromFile, sqlRuleFileSchema } from '../core/detect/sql-rule-file';
import { parseBatch } from '../core/ingest/parse-batch';
import { migrationStatements, startBenchWorker } from './bench-worker';
import { fmt, machineLine, median } from './machine';

const USERS = Number(process.env.BENCH_USERS ?? 4200);
const DAYS = 14;
const END = '2026-11-27T00:00:00.000Z';
const CHUNK = 2000;
const root = new URL('..', import.meta.url).pathname;
const datasetStart = new Date(Date.parse(END) - DAYS * 86_400_000).toISOString();

const stateDir = mkdtempSync(join(tmpdir(), 'mantissa-detect-bench-'));
const { mf, call } = await startBenchWorker('bench/workers/detection-run-worker.ts', {
  persistDir: stateDir,
  queueProducers: { ALERT_DELIVERIES: 'mantissa-alert-deliveries' },
  bindings: { PUBLIC_URL: 'http://127.0.0.1:8787' },
});

function progress(text: string) {
  process.stdout.write(`\r${text}`.padEnd(80));
}

/** Every *.yml under rules/, as `mantissa rules import` sends it: SQL files mapped, Sigma as YAML, correlations last. */
function libraryRules(): { file: string; body: Record<string, unknown> }[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name) && !/\.tests\.ya?ml$/.test(entry.name)) files.push(path);
    }
  };
  walk(join(root, 'rules'));
  const rules = files.sort().map((path) => {
    const text = readFileSync(path, 'utf8');
    const first = (loadAll(text) as Record<string, unknown>[])[0]!;
    const file = relative(root, path);
    if ('sql' in first) return { file, correlation: false, body: { ...ruleInputFromFile(sqlRuleFileSchema.parse(load(text))) } };
    const license = typeof first.license === 'string' ? { license: first.license } : {};
    return { file, correlation: 'correlation' in first, body: { yaml: text, enabled: true, intervalMinutes: 5, lookbackMinutes: 60, ...license } };
  });
  return [...rules.filter((r) => !r.correlation), ...rules.filter((r) => r.correlation)];
}

try {
  for (const statements of migrationStatements()) await call('/migrate', statements);

  // 1. The dataset.
  const loadStarted = performance.now();
  let total = 0;
  for (const source of ['okta', 'cloudtrail'] as DemoSource[]) {
    const adapter = sourceAdapters.get(source)!;
    let lines: string[] = [];
    let batch = 0;
    const flush = async () => {
      const parsed = await parseBatch(lines.join('\n'), adapter, { source: adapter.id, batchId: `bench-${source}-${batch++}`, ingestTime: END });
      if (!parsed.ok) throw new Error(parsed.message);
      if (parsed.deadLetters.length > 0) throw new Error(`${source}: ${parsed.deadLetters[0]!.message}`);
      await call('/insert', parsed.events);
      total += parsed.events.length;
      lines = [];
      progress(`loading ${source}: ${fmt(total)} events`);
    };
    for (const event of iterateDemoEvents({ end: END, users: USERS, days: DAYS, seed: 1 }, source)) {
      lines.push(JSON.stringify(event));
      if (lines.length === CHUNK) await flush();
    }
    if (lines.length > 0) await flush();
  }
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const counted = await call<{ results: { n: number }[] }>('/sql', { sql: 'SELECT count(*) AS n FROM events' });
  if (counted.results[0]!.n !== total) throw new Error(`expected ${total} events in D1, found ${counted.results[0]!.n}`);
  progress(`loaded ${fmt(total)} events in ${fmt(loadSeconds)} s\n`);

  // 2. The rules.
  const names = new Map<string, string>();
  for (const rule of libraryRules()) {
    const row = await call<{ id: string; name: string }>('/rule', rule.body);
    names.set(row.id, `${row.name} (${rule.file.replace(/^rules\//, '')})`);
  }
  await call('/sql', { sql: `UPDATE detection_rules SET watermark = '${datasetStart}', last_run_at = NULL` });

  // 3. The reference: a full scan of the events table, three times (median).
  const scans: number[] = [];
  for (let i = 0; i < 3; i++) scans.push((await call<{ ms: number }>('/sql', { sql: "SELECT count(*) AS n FROM events WHERE actor LIKE '%no-such-actor%'" })).ms);
  const scanMs = median(scans);

  // 4. One cron run.
  const run = await call<{ ms: number; summaries: { ruleId: string; status: string; hits: number; error?: string }[] }>('/run', { now: new Date(Date.parse(END) + 2 * 60_000).toISOString() });
  const perRule = (
    await call<{ results: { rule_id: string; windows: number; ms: number; rows_read: number; rows: number; hits: number; errors: number }[] }>('/sql', {
      sql: `SELECT rule_id, count(*) AS windows, sum(duration_ms) AS ms, sum(rows_read) AS rows_read, sum(rows) AS rows, sum(hits) AS hits,
                   sum(status = 'error') AS errors
              FROM rule_runs GROUP BY rule_id ORDER BY ms DESC`,
    })
  ).results;
  const behind = await call<{ results: { n: number }[] }>('/sql', { sql: `SELECT count(*) AS n FROM detection_rules WHERE watermark < '${new Date(Date.parse(END)).toISOString()}'` });

  console.log(`\n## One scheduled run of the rule library over ${fmt(total)} events (${machineLine()})`);
  console.log(
    `Demo organisation, seed 1, ${fmt(USERS)} users × ${DAYS} days (Okta + CloudTrail), local D1 on disk; ${perRule.length} rules, each caught up over ${DAYS} windows of 24 h in one run (\`runScheduledDetection\`). Loading the dataset (parse + bulk insert) took ${fmt(loadSeconds)} s.\n`,
  );
  console.log('| rule | windows | time (sum over windows) | rows read | rows returned | hits | errors |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of perRule) {
    console.log(`| ${names.get(r.rule_id) ?? r.rule_id} | ${r.windows} | ${fmt(r.ms)} ms | ${fmt(r.rows_read)} | ${fmt(r.rows)} | ${fmt(r.hits)} | ${r.errors} |`);
  }
  const sumMs = perRule.reduce((a, r) => a + r.ms, 0);
  const sumRead = perRule.reduce((a, r) => a + r.rows_read, 0);
  console.log(`| **all rules** | ${perRule.reduce((a, r) => a + r.windows, 0)} | ${fmt(sumMs)} ms | ${fmt(sumRead)} | ${fmt(perRule.reduce((a, r) => a + r.rows, 0))} | ${fmt(perRule.reduce((a, r) => a + r.hits, 0))} | ${perRule.reduce((a, r) => a + r.errors, 0)} |`);
  console.log(`\n| measure | value | ratio to reference |`);
  console.log('|---|---|---|');
  console.log(`| the whole cron run (wall clock inside workerd, incl. alert writes) | ${fmt(run.ms)} ms | ${fmt(run.ms / scanMs, 1)} |`);
  console.log(`| rows read by all rules / events in the table | ${fmt(sumRead / total, 2)} full-table equivalents | |`);
  console.log(`| reference: one full scan of the events table (median of 3) | ${fmt(scanMs)} ms | 1 |`);
  const failed = run.summaries.filter((s) => s.status === 'error');
  if (failed.length > 0) throw new Error(`rules failed: ${failed.map((s) => `${names.get(s.ruleId)}: ${s.error}`).join('; ')}`);
  if (behind.results[0]!.n > 0) console.log(`\n${behind.results[0]!.n} rules were not caught up to the end of the dataset in one run`);
} finally {
  await mf.dispose();
  rmSync(stateDir, { recursive: true, force: true });
}
