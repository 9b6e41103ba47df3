/**
 * `npm run eval:nlq`: the natural-language evaluation. Loads the demo organisation into SQLite through the real
 * ingest parsing with the real migrations (scripts/eval-nlq-database.ts), runs every question of
 * core/nlq/eval/questions.ts through the offline engine, validates and runs its SQL and the gold SQL with the same
 * fixed `now`, and prints one line per question and the score. Exits non-zero when any answer is wrong or the
 * score is under the 85 % target. `--verbose` also prints the SQL of every question; `--only <id-prefix>` filters.
 */
import { analystQueryPolicy } from '../core/sql/query-policy';
import { runEvaluation } from '../core/nlq/eval/run-eval';
import { heldOutQuestions } from '../core/nlq/eval/held-out-questions';
import { evalQuestions } from '../core/nlq/eval/questions';
import { translateOffline } from '../core/nlq/offline';
import { evalNow, openDemoDatabase } from './eval-nlq-database';

export const targetScore = 0.85;

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;

const db = await openDemoDatabase();
const all = [...evalQuestions, ...heldOutQuestions];
const questions = only ? all.filter((q) => q.id.startsWith(only)) : all;
const report = runEvaluation(questions, { translate: translateOffline, db, values: db.values, now: new Date(evalNow), policy: analystQueryPolicy() });
db.close();

const mark = { correct: '✓', refused: '·', wrong: '✗' } as const;
for (const r of report.results) {
  console.log(`${mark[r.verdict]} ${r.verdict.padEnd(7)} ${r.id.padEnd(11)} ${r.question}`);
  if (r.verdict !== 'correct' || verbose) {
    console.log(`    ${r.detail}`);
    if (r.sql && (verbose || r.verdict === 'wrong')) console.log(`    ${r.sql}`);
  }
}
const pct = (n: number) => `${((100 * n) / report.total).toFixed(1)} %`;
console.log(`\nOffline engine on ${report.total} questions (demo dataset: seed 1, 50 users, 14 days, ${db.events} events; now = ${evalNow}):`);
console.log(`  correct ${report.correct} (${pct(report.correct)}), refused ${report.refused} (${pct(report.refused)}), wrong ${report.wrong} (${pct(report.wrong)})`);
const passed = report.wrong === 0 && report.correct / report.total >= targetScore;
console.log(passed ? `  target met: ≥ ${targetScore * 100} % correct and none wrong` : `  target NOT met: ≥ ${targetScore * 100} % correct and none wrong`);
process.exitCode = passed || only ? (report.wrong === 0 ? 0 : 1) : 1;
