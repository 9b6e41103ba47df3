import { describe, expect, it } from 'vitest';
import type { TranslateInput } from '../translator';
import { llmTranslator } from './llm-translator';
import type { LlmCall, LlmOutcome, LlmProvider } from './provider';

const input: TranslateInput = {
  question: 'failed logins this week',
  history: [],
  now: new Date('2026-11-27T16:00:00.000Z'),
  dialect: 'd1',
  values: { users: [], countries: [], sources: [], actions: [] },
};

function provider(answer: (call: LlmCall) => Promise<LlmOutcome>): LlmProvider & { calls: LlmCall[] } {
  const calls: LlmCall[] = [];
  return {
    id: 'test-llm',
    model: 'm-1',
    calls,
    complete: (call) => {
      calls.push(call);
      return answer(call);
    },
  };
}

const answer = { sql: " SELECT count(*) FROM events WHERE outcome = 'failure' ", explanation: 'Failed events.', assumptions: ['this week = since Monday'], timeRange: { from: '2026-11-23T00:00:00Z', to: '2026-11-27T16:00:00Z' } };

describe('llmTranslator', () => {
  it('turns a valid answer into a Translation of the provider', async () => {
    const p = provider(async () => ({ kind: 'answer', payload: answer }));
    const t = await llmTranslator(p, { maxTokens: 321 }).translate(input);
    expect(t).toEqual({
      ok: true,
      engine: 'test-llm',
      sql: "SELECT count(*) FROM events WHERE outcome = 'failure'",
      explanation: 'Failed events.',
      assumptions: ['this week = since Monday'],
      timeRange: { from: '2026-11-23T00:00:00.000Z', to: '2026-11-27T16:00:00.000Z' },
    });
    expect(p.calls[0]!.maxTokens).toBe(321);
    expect(p.calls[0]!.prompt.messages.at(-1)!.content).toBe(input.question);
  });

  it('refuses a malformed answer without calling it a provider failure', async () => {
    const t = await llmTranslator(provider(async () => ({ kind: 'answer', payload: 'Sorry, I cannot help with SQL.' }))).translate(input);
    expect(t).toMatchObject({ ok: false, engine: 'test-llm', message: expect.stringMatching(/could not be used: the answer is not a JSON object/) });
    expect(t.ok === false && t.providerFailure).toBeFalsy();
  });

  it('passes on the model saying it cannot answer', async () => {
    const t = await llmTranslator(provider(async () => ({ kind: 'answer', payload: { sql: '', explanation: 'There is no table of HR records.', assumptions: [], timeRange: null } }))).translate(input);
    expect(t).toMatchObject({ ok: false, message: 'There is no table of HR records.' });
    expect(t.ok === false && t.providerFailure).toBeFalsy();
  });

  it('marks an unavailable provider as a provider failure', async () => {
    const t = await llmTranslator(provider(async () => ({ kind: 'unavailable', message: 'answered 503', status: 503 }))).translate(input);
    expect(t).toMatchObject({ ok: false, providerFailure: true, message: 'The test-llm model (m-1) is unavailable: answered 503' });
  });

  it('marks a thrown error as a provider failure', async () => {
    const t = await llmTranslator(provider(async () => { throw new TypeError('fetch failed'); })).translate(input);
    expect(t).toMatchObject({ ok: false, providerFailure: true, message: expect.stringContaining('TypeError: fetch failed') });
  });

  it('times out a provider that never answers, and aborts its request', async () => {
    const p = provider(() => new Promise<LlmOutcome>(() => undefined));
    const t = await llmTranslator(p, { timeoutMs: 20 }).translate(input);
    expect(t).toMatchObject({ ok: false, providerFailure: true, message: 'The test-llm model (m-1) did not answer within 20 ms.' });
    expect(p.calls[0]!.signal.aborted).toBe(true);
  });

  it('treats a refusal as an answer for the analyst, not a fallback', async () => {
    const t = await llmTranslator(provider(async () => ({ kind: 'refused', message: 'the answer was withheld (content_filtered)' }))).translate(input);
    expect(t).toMatchObject({ ok: false, message: 'The test-llm model gave no usable answer: the answer was withheld (content_filtered)' });
    expect(t.ok === false && t.providerFailure).toBeFalsy();
  });
});
