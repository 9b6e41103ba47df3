/**
 * The offline engine: a deterministic semantic parser from analysts' questions to SQLite SQL for D1 (rewritten for the
 * lake engines by lake-dialect.ts), with no provider and no I/O. It is the default translator when no LLM is
 * configured and the pipeline's fallback when one fails.
 *
 * Invariants:
 * - Same question, history, values and `now` ⇒ same SQL, explanation and assumptions.
 * - Every relative time resolves against `input.now` in UTC and is stated as an assumption; a question without a
 *   time gets the default window (the last 30 days), stated too.
 * - Whatever the engine does not understand makes it refuse (ok: false) with suggestions it can answer; it
 *   never drops a word it could not place.
 * - Values from the question reach SQL only as literals built by sql-literal.ts.
 * - It never reads `repair`: it is deterministic, so a retry would give the same SQL.
 */
import type { TranslateInput, Translation, Translator } from '../translator';
import { buildPlan } from './build-plan';
import { translationForLake } from './lake-dialect';
import type { QueryPlan } from './plan';
import { readQuestion } from './read-question';
import { renderPlan } from './render-sql';
import { UnsafeLiteralError } from './sql-literal';
import { suggestFor } from './suggestions';

export const offlineEngineId = 'offline';

export { exampleQuestions } from './suggestions';
export { sqlString, sqlStringList, sqlContains } from './sql-literal';
export type { QueryPlan } from './plan';

export const offlineTranslator: Translator = {
  id: offlineEngineId,
  translate: (input) => Promise.resolve(translateOffline(input)),
};

/** Synchronous form of `offlineTranslator.translate`. */
export function translateOffline(input: TranslateInput): Translation {
  if (input.dialect !== 'd1') {
    // The lake engines get the D1 answer rewritten for their dialect (lake-dialect.ts); alerts stay D1-only.
    const d1 = (question: string, history: TranslateInput['history']) => translateOffline({ ...input, question, history, dialect: 'd1' });
    return translationForLake(d1(input.question, input.history), input.dialect, input.question, (question) => d1(question, []));
  }
  try {
    const parent = planFromHistory(input);
    const read = readQuestion(input.question, input.values, input.now);
    if (!read.ok) return refuse(read.failure.message, suggestFor(input.question, verified(read.failure.alternatives, input)));
    if (read.reading.followUp && parent === 'unknown') {
      return refuse('This reads as a follow-up, but the offline engine could not read the previous question; ask it in full.', suggestFor(input.question, []));
    }
    const built = buildPlan(read.reading, parent === 'unknown' ? null : parent);
    if (!built.ok) return refuse(built.message, suggestFor(input.question, []));
    const rendered = renderPlan(built.plan, input.now);
    return {
      ok: true,
      sql: rendered.sql,
      explanation: rendered.explanation,
      assumptions: rendered.assumptions,
      timeRange: rendered.timeRange,
      engine: offlineEngineId,
    };
  } catch (err) {
    if (err instanceof UnsafeLiteralError) return refuse(`A value in the question cannot be used: ${err.message}.`, suggestFor(input.question, []));
    throw err;
  }
}

/** The plan of the conversation so far, replaying answered turns; 'unknown' when the last answered one is unreadable. */
export function planFromHistory(input: TranslateInput): QueryPlan | null | 'unknown' {
  let plan: QueryPlan | null | 'unknown' = null;
  for (const turn of input.history) {
    if (turn.sql === null) continue;
    const read = readQuestion(turn.question, input.values, input.now);
    if (!read.ok) {
      plan = 'unknown';
      continue;
    }
    const built = buildPlan(read.reading, plan === 'unknown' ? null : plan);
    if (!built.ok) {
      plan = 'unknown';
      continue;
    }
    let next = built.plan;
    // The turn's own resolved range wins: "yesterday" then is not "yesterday" now.
    if (turn.timeRange && (next.time === null || next.time.from !== turn.timeRange.from || next.time.to !== turn.timeRange.to)) {
      next = { ...next, time: { from: turn.timeRange.from, to: turn.timeRange.to, label: 'the same time range as before', assumption: `the same time range as before: ${turn.timeRange.from} to ${turn.timeRange.to}` } };
    }
    plan = next;
  }
  return plan;
}

function verified(alternatives: readonly string[], input: TranslateInput): string[] {
  return alternatives.filter((q) => {
    const r = readQuestion(q, input.values, input.now);
    return r.ok;
  });
}

function refuse(message: string, suggestions: readonly string[]): Translation {
  return { ok: false, message, suggestions, engine: offlineEngineId };
}
