import { describe, expect, it } from 'vitest';
import { classifyResponse, parseRetryAfter, withRetries, type TransportResult } from './transport';

describe('withRetries', () => {
  it('retries retryable results, honouring Retry-After, until success', async () => {
    const answers: TransportResult<string>[] = [
      { kind: 'retryable', message: '429', retryAfterMs: 7000 },
      { kind: 'retryable', message: '503' },
      { kind: 'success', value: 'ok' },
    ];
    const waits: number[] = [];
    const result = await withRetries(async () => answers.shift()!, { attempts: 4, baseDelayMs: 100, maxDelayMs: 60_000 }, async (ms) => {
      waits.push(ms);
    });
    expect(result).toEqual({ kind: 'success', value: 'ok' });
    expect(waits).toEqual([7000, 200]);
  });

  it('stops at a failure without retrying', async () => {
    let calls = 0;
    const result = await withRetries(async () => {
      calls++;
      return { kind: 'failure', message: '401' } as const;
    });
    expect([result.kind, calls]).toEqual(['failure', 1]);
  });

  it('gives up after the attempts and says so', async () => {
    const result = await withRetries(async () => ({ kind: 'retryable', message: '503' }) as const, { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, async () => {});
    expect(result).toEqual({ kind: 'failure', message: '503 (gave up after 2 attempts)' });
  });
});

describe('classifyResponse', () => {
  it.each([
    [200, 'success'],
    [429, 'retryable'],
    [503, 'retryable'],
    [401, 'failure'],
    [404, 'failure'],
  ])('%i → %s', async (status, kind) => {
    expect((await classifyResponse(new Response('x', { status }), 'test')).kind).toBe(kind);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30')).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
