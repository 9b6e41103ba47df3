import { describe, expect, it } from 'vitest';
import { extractJsonObject, parseLlmAnswer } from './answer';

const good = { sql: 'SELECT 1', explanation: 'one', assumptions: ['x'], timeRange: { from: '2026-03-16T00:00:00.000Z', to: '2026-03-17T00:00:00.000Z' } };

describe('parseLlmAnswer', () => {
  it('accepts a structured answer object', () => {
    expect(parseLlmAnswer(good)).toEqual({ ok: true, answer: good });
  });

  it.each([
    ['bare JSON', JSON.stringify(good)],
    ['JSON in a code fence', `Here you go:\n\`\`\`json\n${JSON.stringify(good, null, 2)}\n\`\`\`\nAnything else?`],
    ['JSON after a sentence', `Sure! ${JSON.stringify(good)} Hope that helps {not json}`],
  ])('accepts %s', (_, text) => {
    expect(parseLlmAnswer(text)).toEqual({ ok: true, answer: good });
  });

  it('defaults missing assumptions and time range', () => {
    expect(parseLlmAnswer({ sql: 'SELECT 1', explanation: 'e' })).toEqual({ ok: true, answer: { sql: 'SELECT 1', explanation: 'e', assumptions: [] } });
  });

  it.each([
    ['prose', 'I think you should look at the events table.', /not a JSON object/],
    ['broken JSON', '{"sql": "SELECT 1", "explanation": }', /not valid JSON/],
    ['a wrong shape', { query: 'SELECT 1' }, /sql: .*expected string/i],
    ['a bad time range', { ...good, timeRange: { from: 'last week', to: 'now' } }, /timeRange.from: must be an ISO 8601 instant/],
    ['a non-object', 42, /expected object/i],
  ])('refuses %s with a clear message', (_, payload, message) => {
    const parsed = parseLlmAnswer(payload);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe('extractJsonObject', () => {
  it('keeps braces inside strings', () => {
    const text = 'x {"sql": "SELECT \'}\' AS b", "n": {"a": "\\"}"}} y';
    expect(JSON.parse(extractJsonObject(text)!)).toEqual({ sql: "SELECT '}' AS b", n: { a: '"}' } });
  });

  it('returns null for an unbalanced object', () => {
    expect(extractJsonObject('{"a": 1')).toBeNull();
  });
});
