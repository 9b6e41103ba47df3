import { describe, expect, it } from 'vitest';
import { sqliteSqlSupport } from '../../sql/sqlite-sql-support';
import { lakeQueryPolicy, validateLakeQuery, type LakeDialect } from '../../sql/validate-dialect-query';
import { bm25Scores, exampleBank, selectExamples, similarityTokens } from './examples';

describe('the few-shot bank', () => {
  const sql = sqliteSqlSupport();
  it.each(exampleBank.filter((e) => e.dialect === 'd1').map((e) => [e.question, e.answer.sql] as const))('"%s" is accepted by the D1 validator', (_, query) => {
    const checked = sql.validate(query);
    expect(checked).toMatchObject({ ok: true });
  });

  it.each(exampleBank.filter((e) => e.dialect !== 'd1').map((e) => [e.dialect, e.question, e.answer.sql] as const))('%s: "%s" is accepted by the lake validator', (dialect, _, query) => {
    expect(validateLakeQuery(query, dialect as LakeDialect, lakeQueryPolicy(['events', 'alerts']))).toMatchObject({ ok: true });
  });

  it('states a time range inside the SQL for every example', () => {
    for (const e of exampleBank) {
      expect(e.answer.timeRange, e.question).toBeTruthy();
      expect(e.answer.sql, e.question).toContain(e.answer.timeRange!.from);
    }
  });
});

describe('similarity', () => {
  it('tokenizes without stop words and folds plurals', () => {
    expect(similarityTokens('Show me all failed logins from Germany this week')).toEqual(['failed', 'login', 'germany', 'week']);
  });

  it('scores rare shared terms above common ones', () => {
    const docs = [['failed', 'login'], ['failed', 'login', 'country'], ['mfa', 'denial']];
    const [a, b, c] = bm25Scores(['country'], docs);
    expect(b).toBeGreaterThan(0);
    expect(a).toBe(0);
    expect(c).toBe(0);
  });

  it.each([
    ['How many MFA denials did carol have last week?', 'Show MFA denials in the last 7 days by user'],
    ['Top 5 users with failed logins today', 'Top 10 users by number of failed logins yesterday'],
    ['Which S3 buckets were deleted in October?', 'What S3 buckets were deleted between March 1 and March 10?'],
    ['hourly failed logins trend over the last day', 'Failed logins per hour over the last day'],
    ['show open critical alerts', 'Open critical alerts this week'],
  ])('picks a close example first for "%s"', (question, expected) => {
    expect(selectExamples(question, 'd1', 3)[0]!.question).toBe(expected);
  });

  it('falls back to the first examples of the bank when nothing overlaps, and only of the dialect', () => {
    expect(selectExamples('zzz qqq', 'd1', 2).map((e) => e.question)).toEqual(exampleBank.slice(0, 2).map((e) => e.question));
    expect(selectExamples('failed logins per hour', 'bigquery', 3).map((e) => [e.dialect, e.question])).toEqual([
      ['bigquery', 'Failed logins per hour over the last day'],
      ['bigquery', 'Show me all failed logins this week'],
    ]);
  });
});
