import { describe, expect, it } from 'vitest';
import { alertCandidates, ingestDelayMs, isRuleDue, maxWindowMs, ruleWindow } from './sql-rule';

const now = new Date('2026-11-27T12:00:00.000Z');
const end = new Date(now.getTime() - ingestDelayMs).toISOString();

describe('ruleWindow', () => {
  it('starts a new rule one lookback before the end', () => {
    expect(ruleWindow({ intervalMinutes: 5, lookbackMinutes: 60, watermark: null, lastRunAt: null }, now)).toEqual({
      start: '2026-11-27T10:59:00.000Z',
      end,
    });
  });

  it('continues exactly from the watermark, so runs neither skip nor overlap', () => {
    const w = ruleWindow({ intervalMinutes: 5, lookbackMinutes: 60, watermark: '2026-11-27T11:50:00.000Z', lastRunAt: null }, now);
    expect(w).toEqual({ start: '2026-11-27T11:50:00.000Z', end });
  });

  it('catches up a long gap in bounded steps', () => {
    const w = ruleWindow({ intervalMinutes: 5, lookbackMinutes: 60, watermark: '2026-11-20T00:00:00.000Z', lastRunAt: null }, now);
    expect(Date.parse(w!.end) - Date.parse(w!.start)).toBe(maxWindowMs);
  });

  it('has nothing to do when the watermark is already at the end', () => {
    expect(ruleWindow({ intervalMinutes: 5, lookbackMinutes: 60, watermark: end, lastRunAt: null }, now)).toBeNull();
  });
});

describe('isRuleDue', () => {
  it('is due when never run or after its interval', () => {
    const rule = { intervalMinutes: 5, lookbackMinutes: 60, watermark: null };
    expect(isRuleDue({ ...rule, lastRunAt: null }, now)).toBe(true);
    expect(isRuleDue({ ...rule, lastRunAt: '2026-11-27T11:55:00.000Z' }, now)).toBe(true);
    expect(isRuleDue({ ...rule, lastRunAt: '2026-11-27T11:58:00.000Z' }, now)).toBe(false);
  });
});

describe('alertCandidates', () => {
  const window = { start: 's', end: 'e' };
  it('turns rows into deduplicated, titled candidates with entities and evidence', () => {
    const [c] = alertCandidates(
      { id: 'r1', name: 'Password spray' },
      ['src_ip', 'users', 'n', 'first_seen', 'last_seen'],
      [['203.0.113.5', 31, 40, '2026-11-27T10:00:00.000Z', '2026-11-27T10:40:00.000Z']],
      window,
    );
    expect(c).toEqual({
      dedupKey: 'r1:|203.0.113.5',
      title: 'Password spray: from 203.0.113.5',
      entities: { users: [], ips: ['203.0.113.5'] },
      firstSeen: '2026-11-27T10:00:00.000Z',
      lastSeen: '2026-11-27T10:40:00.000Z',
      count: 40,
      evidence: { src_ip: '203.0.113.5', users: 31, n: 40, first_seen: '2026-11-27T10:00:00.000Z', last_seen: '2026-11-27T10:40:00.000Z' },
    });
  });

  it('falls back to the window and a count of one', () => {
    const [c] = alertCandidates({ id: 'r1', name: 'Root login' }, ['actor'], [['root']], window);
    expect([c!.firstSeen, c!.lastSeen, c!.count, c!.title]).toEqual(['s', 'e', 1, 'Root login: root']);
  });

  it('honours explicit dedup_key and title columns', () => {
    const [c] = alertCandidates({ id: 'r1', name: 'X' }, ['dedup_key', 'title'], [['k', 'Custom']], window);
    expect([c!.dedupKey, c!.title]).toEqual(['r1:k', 'Custom']);
  });
});
