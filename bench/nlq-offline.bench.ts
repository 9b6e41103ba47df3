/**
 * Offline natural-language translation time, one core, plain Node: every question of the evaluation set
 * (core/nlq/eval, follow-ups with their history) translated by the offline engine against the demo dataset's
 * entity values, 7 repetitions after a warm-up; per question the median, then p50 / p95 / max over questions.
 * Reference, same questions, same process: the project's SQL validator (core/sql/validate-query) on the SQL the
 * engine produced — the step the pipeline runs next on every answer.
 */
import { heldOutQuestions } from '../core/nlq/eval/held-out-questions';
import { evalQuestions } from '../core/nlq/eval/questions';
import type { ConversationTurn, TranslateInput } from '../core/nlq/translator';
import { translateOffline } from '../core/nlq/offline';
import { lakeSqlSupport } from '../core/sql/lake-sql-support';
import { analystQueryPolicy } from '../core/sql/query-policy';
import { lakeQueryPolicy } from '../core/sql/validate-dialect-query';
import { validateQuery } from '../core/sql/validate-query';
import { evalNow, openDemoDatabase } from '../scripts/eval-nlq-database';
import { fmt, machineLine, median } from './machine';

const repetitions = 7;
const db = await openDemoDatabase();
const now = new Date(evalNow);
const policy = analystQueryPolicy();
const questions = [...evalQuestions, ...heldOutQuestions];

const inputs: TranslateInput[] = questions.map((q) => {
  const history: ConversationTurn[] = [];
  for (const earlier of q.history ?? []) {
    const t = translateOffline({ question: earlier, history, now, dialect: 'd1', values: db.values });
    history.push(t.ok ? { question: earlier, sql: t.sql, timeRange: t.timeRange } : { question: earlier, sql: null, timeRange: null });
  }
  return { question: q.question, history, now, dialect: 'd1', values: db.values };
});
db.close();

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function timeEach(fn: (i: number) => unknown): number[] {
  for (let i = 0; i < inputs.length; i++) fn(i); // warm-up
  return inputs.map((_, i) => {
    const runs: number[] = [];
    for (let r = 0; r < repetitions; r++) {
      const t = performance.now();
      fn(i);
      runs.push(performance.now() - t);
    }
    return median(runs);
  });
}

const sqls = inputs.map((input) => {
  const t = translateOffline(input);
  return t.ok ? t.sql : null;
});
const translate = timeEach((i) => translateOffline(inputs[i]!));
const answered = sqls.flatMap((sql, i) => (sql === null ? [] : [i]));
const validate = timeEach((i) => (sqls[i] ? validateQuery(sqls[i]!, policy) : null)).filter((_, i) => sqls[i] !== null);
const translateAnswered = answered.map((i) => translate[i]!);

const ms = (n: number) => fmt(n, 2);
console.log(`\n## Offline natural-language translation (${machineLine()})`);
console.log(`${inputs.length} evaluation questions (${answered.length} answered, ${inputs.length - answered.length} refused), one core, median of ${repetitions} runs per question\n`);
console.log('| measure | p50, ms | p95, ms | max, ms | ratio of p50 to reference |');
console.log('|---|---|---|---|---|');
console.log(`| offline translation, every question | ${ms(percentile(translate, 50))} | ${ms(percentile(translate, 95))} | ${ms(Math.max(...translate))} | ${fmt(percentile(translateAnswered, 50) / percentile(validate, 50), 2)} (answered only) |`);
console.log(`| reference: validating the produced SQL (validateQuery) | ${ms(percentile(validate, 50))} | ${ms(percentile(validate, 95))} | ${ms(Math.max(...validate))} | 1 |`);

// The same questions on the lake dialects: the D1 translation plus its rewrite for the dialect (lake-dialect.ts),
// then that dialect's validator and rewrites (lakeSqlSupport.validate) — the steps before a lake engine is called.
console.log('\n| lake dialect | translation, p50 ms | translation, p95 ms | + lake validation, p50 ms | + lake validation, p95 ms | p50 ratio to the D1 translation |');
console.log('|---|---|---|---|---|---|');
for (const dialect of ['athena', 'bigquery', 'synapse'] as const) {
  const support = lakeSqlSupport(dialect, lakeQueryPolicy(['events']));
  const lakeInputs = inputs.map((input) => ({ ...input, dialect }));
  const lake = timeEach((i) => translateOffline(lakeInputs[i]!));
  const lakeSqls = lakeInputs.map((input) => {
    const t = translateOffline(input);
    return t.ok ? t.sql : null;
  });
  const checked = timeEach((i) => (lakeSqls[i] ? support.validate(lakeSqls[i]!) : null)).filter((_, i) => lakeSqls[i] !== null);
  console.log(
    `| ${dialect} | ${ms(percentile(lake, 50))} | ${ms(percentile(lake, 95))} | ${ms(percentile(checked, 50))} | ${ms(percentile(checked, 95))} | ${fmt(percentile(lake, 50) / percentile(translate, 50), 2)} |`,
  );
}
