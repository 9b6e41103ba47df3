import { describe, expect, it } from 'vitest';
import { analystQueryPolicy } from '../../sql/query-policy';
import type { TranslateInput, Translation } from '../translator';
import type { EvalQuestion } from './questions';
import { compareRows, evaluateQuestion, runEvaluation, type SqlRunner } from './run-eval';

/** A database answering fixed rows per SQL text. */
function fakeDb(answers: Record<string, Record<string, unknown>[]>): SqlRunner {
  return {
    all(sql: string) {
      const key = Object.keys(answers).find((k) => sql.replace(/"/g, '').includes(k));
      if (!key) throw new Error(`no such query: ${sql}`);
      return answers[key]!;
    },
  };
}
const ok = (sql: string): Translation => ({ ok: true, sql, explanation: '', assumptions: [], timeRange: null, engine: 'offline' });
const refused: Translation = { ok: false, message: 'no', suggestions: ['how many events today'], engine: 'offline' };
const ctx = (translate: (input: TranslateInput) => Translation, db: SqlRunner) => ({
  translate, db, values: { users: [], countries: [], sources: [], actions: [] }, now: new Date('2026-11-27T16:00:00Z'), policy: analystQueryPolicy(),
});

describe('compareRows', () => {
  it('compares as multisets over the expected columns, ignoring order and extra columns', () => {
    expect(compareRows([{ a: 1 }, { a: 2 }, { a: 2 }], [{ a: 2, b: 'x' }, { a: 1, b: 'y' }, { a: 2, b: 'z' }])).toBeNull();
  });
  it('reports a different multiset', () => {
    expect(compareRows([{ a: 1 }, { a: 2 }], [{ a: 1 }, { a: 1 }])).toMatch(/1 of 2 rows differ/);
    expect(compareRows([{ a: 1 }], [])).toMatch(/expected 1 rows, got 0/);
  });
  it('matches by position when names differ but the widths agree', () => {
    expect(compareRows([{ 'COUNT(*)': 3 }], [{ count: 3 }])).toBeNull();
    expect(compareRows([{ 'COUNT(*)': 3 }], [{ count: 4 }])).not.toBeNull();
  });
  it('refuses a comparison when expected columns are missing', () => {
    expect(compareRows([{ a: 1, b: 2 }], [{ c: 1 }])).toMatch(/expected columns a, b/);
  });
});

describe('evaluateQuestion', () => {
  const db = fakeDb({ "SELECT COUNT(*) AS n FROM events WHERE outcome = 'failure'": [{ n: 3 }], "outcome = 'success'": [{ n: 9 }], 'gold': [{ n: 3 }] });
  const question: EvalQuestion = { id: 'q', question: 'how many failed', gold: "SELECT COUNT(*) AS n FROM events WHERE outcome = 'failure' -- gold" };

  it('is correct when the rows match', () => {
    expect(evaluateQuestion(question, ctx(() => ok("SELECT COUNT(*) AS n FROM events WHERE outcome = 'failure'"), db)).verdict).toBe('correct');
  });
  it('is wrong when the rows differ', () => {
    expect(evaluateQuestion(question, ctx(() => ok("SELECT COUNT(*) AS n FROM events WHERE outcome = 'success'"), db)).verdict).toBe('wrong');
  });
  it('is wrong when the validator refuses the SQL', () => {
    const r = evaluateQuestion(question, ctx(() => ok('SELECT * FROM sqlite_master'), db));
    expect(r).toMatchObject({ verdict: 'wrong', detail: expect.stringMatching(/validator refused/) });
  });
  it('is refused (not wrong) when an answerable question is declined, and wrong without suggestions', () => {
    expect(evaluateQuestion(question, ctx(() => refused, db)).verdict).toBe('refused');
    expect(evaluateQuestion(question, ctx(() => ({ ...refused, suggestions: [] }), db)).verdict).toBe('wrong');
  });
  it('counts a refusal of an out-of-scope question as correct, and an answer to it as wrong', () => {
    const outOfScope: EvalQuestion = { id: 'x', question: 'weather?', gold: null };
    expect(evaluateQuestion(outOfScope, ctx(() => refused, db)).verdict).toBe('correct');
    expect(evaluateQuestion(outOfScope, ctx(() => ok("SELECT COUNT(*) AS n FROM events WHERE outcome = 'failure'"), db)).verdict).toBe('wrong');
  });
  it('asks the earlier questions of a chain first, passing their SQL as history', () => {
    const seen: TranslateInput[] = [];
    const chained: EvalQuestion = { ...question, history: ['first', 'second'] };
    evaluateQuestion(chained, ctx((input) => (seen.push(input), input.question === 'second' ? refused : ok("SELECT COUNT(*) AS n FROM events WHERE outcome = 'failure'")), db));
    expect(seen.map((s) => s.question)).toEqual(['first', 'second', 'how many failed']);
    expect(seen[2]!.history).toEqual([
      { question: 'first', sql: "SELECT COUNT(*) AS n FROM events WHERE outcome = 'failure'", timeRange: null },
      { question: 'second', sql: null, timeRange: null },
    ]);
  });
  it('adds up a report', () => {
    const report = runEvaluation([question, { ...question, id: 'q2' }], ctx(() => refused, db));
    expect(report).toMatchObject({ correct: 0, refused: 2, wrong: 0, total: 2 });
  });
});
