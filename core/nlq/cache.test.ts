import { describe, expect, it } from 'vitest';
import { cacheKey, cacheKeyMaterial, canonicalQuestion, nlqSchemaVersion, type CacheKeyInput } from './cache';

const base: CacheKeyInput = {
  question: 'failed logins in the last 7 days',
  history: [],
  timeRange: { from: '2026-11-20T12:00:00.000Z', to: '2026-11-27T12:00:00.000Z' },
  sql: 'SELECT count(*) FROM "events"',
  dialect: 'd1',
  schemaVersion: nlqSchemaVersion,
  userId: 'tok_alice',
};

describe('canonicalQuestion', () => {
  it.each([
    ['Show me FAILED logins, please!', 'show me failed logins'],
    ["Who didn't log in?", 'who did not log in'],
    ['users that can’t sign in', 'users that can not sign in'],
    ['last seven days', 'last 7 days'],
    ['logins from 10.0.0.1 by alice@acme.test', 'logins from 10.0.0.1 by alice@acme.test'],
    ['events from entra_id since 2026-11-01.', 'events from entra_id since 2026-11-01'],
    ['  top   10\tusers ', 'top 10 users'],
  ])('%s → %s', (question, canonical) => {
    expect(canonicalQuestion(question)).toBe(canonical);
  });

  it('keeps negations and numbers apart', () => {
    expect(canonicalQuestion('failed logins')).not.toBe(canonicalQuestion('not failed logins'));
    expect(canonicalQuestion('last 7 days')).not.toBe(canonicalQuestion('last 30 days'));
    expect(canonicalQuestion("didn't fail")).toBe(canonicalQuestion('did not fail'));
  });
});

describe('cacheKey', () => {
  const keyOf = (change: Partial<CacheKeyInput>) => cacheKey({ ...base, ...change });

  it('is stable for the same input and for questions that differ only in form', async () => {
    expect(await keyOf({})).toBe(await keyOf({}));
    expect(await keyOf({ question: 'Failed logins in the last 7 days?' })).toBe(await keyOf({}));
    expect(await keyOf({})).toMatch(/^[0-9a-f]{64}$/);
  });

  it('separates "last 7 days" from "last 30 days" (question and resolved range)', async () => {
    const seven = await keyOf({});
    expect(await keyOf({ question: 'failed logins in the last 30 days' })).not.toBe(seven);
    expect(await keyOf({ timeRange: { from: '2026-10-28T12:00:00.000Z', to: '2026-11-27T12:00:00.000Z' } })).not.toBe(seven);
  });

  it('separates "failed" from "not failed"', async () => {
    expect(await keyOf({ question: 'not failed logins in the last 7 days' })).not.toBe(await keyOf({}));
    expect(await keyOf({ question: "logins that didn't fail in the last 7 days" })).not.toBe(await keyOf({ question: 'logins that failed in the last 7 days' }));
  });

  it('separates users, dialects, schema versions, SQL and conversation context', async () => {
    const alice = await keyOf({});
    const variants = await Promise.all([
      keyOf({ userId: 'tok_bob' }),
      keyOf({ dialect: 'athena' }),
      keyOf({ schemaVersion: `${nlqSchemaVersion}-next` }),
      keyOf({ sql: 'SELECT count(*) FROM "events" WHERE "outcome" = \'failure\'' }),
      keyOf({ history: [{ question: 'logins', sql: 'SELECT 1' }] }),
      keyOf({ timeRange: null }),
    ]);
    expect(new Set([alice, ...variants]).size).toBe(7);
  });

  it('hashes the canonical question, not the raw text', () => {
    expect(cacheKeyMaterial({ ...base, question: 'Failed   LOGINS in the last seven days!' })).toContain('"failed logins in the last 7 days"');
  });
});

describe('nlqSchemaVersion', () => {
  it('is derived from the queryable catalog', () => {
    expect(nlqSchemaVersion).toMatch(/^\d+\.[0-9a-f]{8}$/);
  });
});
