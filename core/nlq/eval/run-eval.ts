/**
 * Runs the natural-language evaluation set against a translator and a database: each question (after its
 * follow-up chain) is translated, the SQL passes the same validator the pipeline uses, and its rows are compared
 * with the rows of the question's hand-written gold SQL on the same data and the same `now`.
 *
 * Scoring:
 * - correct: the answer has the gold's rows (as multisets over the gold's columns), or the question is out of
 *   scope (gold null) and the engine refused it;
 * - refused: an answerable question the engine declined (honest, but not an answer);
 * - wrong: rows differ, the SQL failed validation or execution, or an out-of-scope question got an answer.
 */
import type { QueryPolicy } from '../../sql/query-policy';
import { validateQuery } from '../../sql/validate-query';
import type { ConversationTurn, EntityValues, Translation, TranslateInput } from '../translator';
import type { EvalQuestion } from './questions';

export interface SqlRunner {
  all(sql: string): Record<string, unknown>[];
}

export type Verdict = 'correct' | 'refused' | 'wrong';

export interface QuestionResult {
  readonly id: string;
  readonly question: string;
  readonly verdict: Verdict;
  /** Why, in a few words ("rows match", "refused: …", "3 rows differ"). */
  readonly detail: string;
  readonly sql: string | null;
  /** Translation time of the last turn, milliseconds. */
  readonly translateMs: number;
}

export interface EvalReport {
  readonly results: readonly QuestionResult[];
  readonly correct: number;
  readonly refused: number;
  readonly wrong: number;
  readonly total: number;
}

export interface EvalContext {
  readonly translate: (input: TranslateInput) => Translation;
  readonly db: SqlRunner;
  readonly values: EntityValues;
  readonly now: Date;
  readonly policy: QueryPolicy;
  readonly clock?: () => number;
}

export function runEvaluation(questions: readonly EvalQuestion[], ctx: EvalContext): EvalReport {
  const results = questions.map((q) => evaluateQuestion(q, ctx));
  const count = (v: Verdict) => results.filter((r) => r.verdict === v).length;
  return { results, correct: count('correct'), refused: count('refused'), wrong: count('wrong'), total: results.length };
}

export function evaluateQuestion(q: EvalQuestion, ctx: EvalContext): QuestionResult {
  const clock = ctx.clock ?? (() => performance.now());
  const history: ConversationTurn[] = [];
  for (const earlier of q.history ?? []) {
    const t = ctx.translate({ question: earlier, history, now: ctx.now, dialect: 'd1', values: ctx.values });
    history.push(t.ok ? { question: earlier, sql: t.sql, timeRange: t.timeRange } : { question: earlier, sql: null, timeRange: null });
  }
  const started = clock();
  const t = ctx.translate({ question: q.question, history, now: ctx.now, dialect: 'd1', values: ctx.values });
  const translateMs = clock() - started;
  const base = { id: q.id, question: q.question, translateMs };
  if (!t.ok) {
    if (t.suggestions.length === 0) return { ...base, verdict: 'wrong', detail: `refused without suggestions: ${t.message}`, sql: null };
    return q.gold === null
      ? { ...base, verdict: 'correct', detail: `refused as expected: ${t.message}`, sql: null }
      : { ...base, verdict: 'refused', detail: `refused: ${t.message}`, sql: null };
  }
  if (q.gold === null) return { ...base, verdict: 'wrong', detail: 'answered a question that must be refused', sql: t.sql };
  const validated = validateQuery(t.sql, ctx.policy);
  if (!validated.ok) return { ...base, verdict: 'wrong', detail: `the validator refused the SQL: ${validated.message}`, sql: t.sql };
  let actual: Record<string, unknown>[];
  let expected: Record<string, unknown>[];
  try {
    actual = ctx.db.all(validated.sql);
  } catch (err) {
    return { ...base, verdict: 'wrong', detail: `the SQL failed: ${(err as Error).message}`, sql: t.sql };
  }
  try {
    expected = ctx.db.all(q.gold);
  } catch (err) {
    throw new Error(`gold SQL of ${q.id} failed: ${(err as Error).message}`, { cause: err });
  }
  const diff = compareRows(expected, actual);
  return diff === null
    ? { ...base, verdict: 'correct', detail: `rows match (${expected.length})`, sql: t.sql }
    : { ...base, verdict: 'wrong', detail: diff, sql: t.sql };
}

/**
 * Null when `actual` holds the same rows as `expected` over the expected columns (as multisets), matched by
 * column name, or by position when the names differ but the column counts agree. Otherwise what differs.
 */
export function compareRows(expected: readonly Record<string, unknown>[], actual: readonly Record<string, unknown>[]): string | null {
  if (expected.length !== actual.length) return `expected ${expected.length} rows, got ${actual.length}`;
  if (expected.length === 0) return null;
  const expectedColumns = Object.keys(expected[0]!);
  const actualColumns = Object.keys(actual[0]!);
  const lower = (c: string) => c.toLowerCase();
  let project: (row: Record<string, unknown>) => unknown[];
  if (expectedColumns.every((c) => actualColumns.map(lower).includes(lower(c)))) {
    const names = expectedColumns.map((c) => actualColumns.find((a) => lower(a) === lower(c))!);
    project = (row) => names.map((n) => row[n]);
  } else if (expectedColumns.length === actualColumns.length) {
    project = (row) => actualColumns.map((n) => row[n]);
  } else {
    return `expected columns ${expectedColumns.join(', ')}; got ${actualColumns.join(', ')}`;
  }
  const key = (values: unknown[]) => JSON.stringify(values.map(normalise));
  const counts = new Map<string, number>();
  for (const row of expected) {
    const k = key(expectedColumns.map((c) => row[c]));
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  let missing = 0;
  for (const row of actual) {
    const k = key(project(row));
    const n = counts.get(k) ?? 0;
    if (n === 0) missing++;
    else counts.set(k, n - 1);
  }
  return missing === 0 ? null : `${missing} of ${actual.length} rows differ from the expected rows`;
}

function normalise(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' && !Number.isInteger(v)) return Math.round(v * 1e6) / 1e6;
  return v ?? null;
}
