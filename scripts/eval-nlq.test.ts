// The natural-language evaluation as a regression test: every question of core/nlq/eval (the main set and the
// held-out set) is translated by the offline engine, validated, run on the demo data in node:sqlite next to its
// gold SQL, and must not be answered wrongly; the score must stay at or above the 85 % target.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldOutQuestions } from '../core/nlq/eval/held-out-questions';
import { evalQuestions } from '../core/nlq/eval/questions';
import { runEvaluation, type EvalReport } from '../core/nlq/eval/run-eval';
import { translateOffline } from '../core/nlq/offline';
import { analystQueryPolicy } from '../core/sql/query-policy';
import { evalNow, openDemoDatabase, type DemoDatabase } from './eval-nlq-database';

const questions = [...evalQuestions, ...heldOutQuestions];
let db: DemoDatabase;
let report: EvalReport;

beforeAll(async () => {
  db = await openDemoDatabase();
  report = runEvaluation(questions, { translate: translateOffline, db, values: db.values, now: new Date(evalNow), policy: analystQueryPolicy() });
}, 120_000);
afterAll(() => db?.close());

describe('natural-language evaluation (offline engine, demo dataset)', () => {
  it('has at least 150 questions with unique ids, some of them follow-ups and some to refuse', () => {
    expect(questions.length).toBeGreaterThanOrEqual(150);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
    expect(questions.filter((q) => q.history && q.history.length > 0).length).toBeGreaterThanOrEqual(15);
    expect(questions.filter((q) => q.gold === null).length).toBeGreaterThanOrEqual(20);
  });

  it('loads the demo organisation through the ingest parsers into the migrated schema', () => {
    expect(db.events).toBeGreaterThan(10_000);
    expect(db.values.sources).toEqual(['cloudtrail', 'okta']);
  });

  it.each(questions.map((q) => [q.id, q.question] as const))('%s: "%s" is not answered wrongly', (id) => {
    const result = report.results.find((r) => r.id === id)!;
    expect(result.verdict, `${result.detail}\n${result.sql ?? ''}`).not.toBe('wrong');
  });

  it('answers at least 85 % correctly', () => {
    expect(report.correct / report.total).toBeGreaterThanOrEqual(0.85);
  });
});
