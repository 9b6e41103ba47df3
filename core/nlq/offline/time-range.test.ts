import { describe, expect, it } from 'vitest';
import { Sentence } from './sentence';
import { defaultRange, readTimeRange } from './time-range';

// A Friday afternoon, UTC.
const now = new Date('2026-11-27T16:00:00.000Z');

function read(text: string) {
  const sentence = new Sentence(text);
  const r = readTimeRange(sentence, now);
  return { r, left: sentence.remainingWords().join(' ') };
}

describe('readTimeRange', () => {
  it.each([
    ['in the last 24 hours', '2026-11-26T16:00:00.000Z', '2026-11-27T16:00:00.000Z'],
    ['this week', '2026-11-23T00:00:00.000Z', '2026-11-27T16:00:00.000Z'],
    ['since Monday', '2026-11-23T00:00:00.000Z', '2026-11-27T16:00:00.000Z'],
    ['yesterday', '2026-11-26T00:00:00.000Z', '2026-11-27T00:00:00.000Z'],
    ['today', '2026-11-27T00:00:00.000Z', '2026-11-27T16:00:00.000Z'],
    ['in October', '2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z'],
    ['last month', '2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z'],
    ['last week', '2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z'],
    ['past week', '2026-11-20T16:00:00.000Z', '2026-11-27T16:00:00.000Z'],
    ['last 7 days', '2026-11-20T16:00:00.000Z', '2026-11-27T16:00:00.000Z'],
    ['over the last three days', '2026-11-24T16:00:00.000Z', '2026-11-27T16:00:00.000Z'],
    ['in the past hour', '2026-11-27T15:00:00.000Z', '2026-11-27T16:00:00.000Z'],
    ['between Nov 20 and Nov 22', '2026-11-20T00:00:00.000Z', '2026-11-23T00:00:00.000Z'],
    ['from 2026-11-20 to 2026-11-21', '2026-11-20T00:00:00.000Z', '2026-11-22T00:00:00.000Z'],
    ['on Nov 24', '2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z'],
    ['on 2026-11-24', '2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z'],
    ['on Tuesday', '2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z'],
    ['last Friday', '2026-11-20T00:00:00.000Z', '2026-11-21T00:00:00.000Z'],
    ['on Friday', '2026-11-27T00:00:00.000Z', '2026-11-27T16:00:00.000Z'],
    ['over the weekend', '2026-11-21T00:00:00.000Z', '2026-11-23T00:00:00.000Z'],
    ['since Nov 25', '2026-11-25T00:00:00.000Z', '2026-11-27T16:00:00.000Z'],
    ['after Nov 25', '2026-11-26T00:00:00.000Z', '2026-11-27T16:00:00.000Z'],
    ['3 days ago', '2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z'],
    ['this month', '2026-11-01T00:00:00.000Z', '2026-11-27T16:00:00.000Z'],
    ['in December', '2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
    ['between Dec 30 and Jan 2', '2025-12-30T00:00:00.000Z', '2026-01-03T00:00:00.000Z'],
  ])('reads "%s" as [%s, %s) and consumes it', (text, from, to) => {
    const { r, left } = read(text);
    expect(r.ok && r.range ? [r.range.from, r.range.to] : r).toEqual([from, to]);
    expect(left).toBe('');
  });

  it('states how a relative phrase was resolved', () => {
    const { r } = read('this week');
    expect(r.ok && r.range?.assumption).toBe('this week = since Monday 2026-11-23 00:00 UTC');
  });

  it('finds no time in questions without one, and leaves "from <country> and <country>" alone', () => {
    expect(read('logins from Romania and Germany')).toEqual({ r: { ok: true, range: null }, left: 'logins from romania and germany' });
    expect(read('which users may be at risk').r).toEqual({ ok: true, range: null });
    expect(read('show the last 5 failed logins').r).toEqual({ ok: true, range: null });
  });

  it('refuses two time ranges in one question', () => {
    const { r } = read('failed logins this week and last month');
    expect(r.ok).toBe(false);
  });

  it('refuses a range that lies in the future', () => {
    expect(read('since Dec 25 2026').r.ok).toBe(false);
  });

  it('has a stated 30-day default', () => {
    expect(defaultRange(now)).toMatchObject({ from: '2026-10-28T16:00:00.000Z', to: '2026-11-27T16:00:00.000Z' });
    expect(defaultRange(now).assumption).toMatch(/no time range was given/);
  });
});
