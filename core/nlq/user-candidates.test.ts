import { describe, expect, it } from 'vitest';
import { userCandidates } from './user-candidates';

const none = { users: [] as string[] };

describe('userCandidates', () => {
  it('takes accounts with a separator, without a possessive or punctuation', () => {
    expect(userCandidates("How many unique IPs did paisley.brown use this week?", none)).toEqual([{ value: 'paisley.brown', kind: 'account' }]);
    expect(userCandidates("lucas.howard's failed logins", none)).toEqual([{ value: 'lucas.howard', kind: 'account' }]);
    expect(userCandidates('find all events by svc-backup-sync except GetObject', none)).toContainEqual({ value: 'svc-backup-sync', kind: 'account' });
  });

  it('joins a first and last name written apart', () => {
    expect(userCandidates('where did leah torres log in from this week?', none).slice(0, 1)).toEqual([{ value: 'leah.torres', kind: 'account' }]);
  });

  it('offers single unusual words as first names, and never common question words', () => {
    const candidates = userCandidates("Show paisley's failed logins from Romania yesterday", none);
    expect(candidates).toContainEqual({ value: 'paisley', kind: 'first_name' });
    expect(candidates.map((c) => c.value)).not.toContain('show');
    expect(candidates.map((c) => c.value)).not.toContain('failed');
    expect(candidates.map((c) => c.value)).not.toContain('yesterday');
  });

  it('leaves out emails, IP addresses, dates, numbers and double-quoted values', () => {
    expect(userCandidates('events from 10.0.0.5 by bob@acme.test on 2026-11-24 with "x.y" 42', none)).toEqual([]);
  });

  it('leaves out users the values already list, as an account or a first name', () => {
    const values = { users: ['paisley.brown@acme-demo.test', 'EngineerAccess/leah.torres'] };
    expect(userCandidates('paisley.brown and leah.torres and paisley', values)).toEqual([]);
  });

  it('stops at twelve candidates', () => {
    const question = Array.from({ length: 30 }, (_, i) => `user${String.fromCharCode(97 + (i % 26))}${i}.x`).join(' ');
    expect(userCandidates(question, none)).toHaveLength(12);
  });
});
