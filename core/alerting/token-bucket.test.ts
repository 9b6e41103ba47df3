import { describe, expect, it } from 'vitest';
import { takeToken, type BucketState } from './token-bucket';

describe('takeToken', () => {
  const pagerDuty = { requests: 120, perMs: 60_000 };

  it('allows a burst of the whole budget, then one token per interval', () => {
    let state: BucketState | null = null;
    let allowed = 0;
    for (let i = 0; i < 200; i++) {
      const r = takeToken(state, pagerDuty, 0);
      state = r.state;
      if (r.waitMs === 0) allowed++;
    }
    expect(allowed).toBe(120);
    const next = takeToken(state, pagerDuty, 0);
    expect(next.waitMs).toBe(500);
    expect(takeToken(next.state, pagerDuty, 500).waitMs).toBe(0);
  });

  it('never lets more than the limit through in any window', () => {
    const limit = { requests: 1, perMs: 1000 };
    let state: BucketState | null = null;
    const sent: number[] = [];
    for (let t = 0; t < 10_000; t += 100) {
      const r = takeToken(state, limit, t);
      state = r.state;
      if (r.waitMs === 0) sent.push(t);
    }
    expect(sent).toHaveLength(10);
    for (let i = 1; i < sent.length; i++) expect(sent[i]! - sent[i - 1]!).toBeGreaterThanOrEqual(1000);
  });
});
