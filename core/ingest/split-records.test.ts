import { describe, expect, it } from 'vitest';
import { splitJsonRecords } from './split-records';

describe('splitJsonRecords', () => {
  it('splits NDJSON and keeps the sender line numbers across blank lines and CRLF', () => {
    const result = splitJsonRecords('{"a":1}\r\n\n{"a":2}\n');
    expect(result.ok && result.format).toBe('ndjson');
    expect(result.ok && result.records.map((r) => [r.line, r.ok])).toEqual([
      [1, true],
      [3, true],
    ]);
  });

  it('isolates a malformed line without losing its neighbours', () => {
    const result = splitJsonRecords('{"a":1}\n{"a":\n{"a":3}');
    if (!result.ok) throw new Error(result.message);
    expect(result.records.map((r) => r.ok)).toEqual([true, false, true]);
    const bad = result.records[1]!;
    expect(bad.line).toBe(2);
    expect(!bad.ok && bad.message).toMatch(/^not valid JSON/);
    expect(bad.text).toBe('{"a":');
  });

  it('reads a JSON array with element indexes as lines', () => {
    const result = splitJsonRecords(' [{"a":1},{"a":2}]');
    expect(result.ok && result.format).toBe('json_array');
    expect(result.ok && result.records.map((r) => r.line)).toEqual([1, 2]);
  });

  it('refuses a broken JSON array as a whole, since element boundaries are unknown', () => {
    const result = splitJsonRecords('[{"a":1},');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/not a valid JSON array/);
  });

  it('reads one pretty-printed object as one record', () => {
    const result = splitJsonRecords('{\n  "a": 1\n}\n');
    expect(result.ok && result.format).toBe('json_object');
    expect(result.ok && result.records).toHaveLength(1);
  });

  it('lets a source unwrap an envelope object', () => {
    const result = splitJsonRecords('{"Records":[{"x":1},{"x":2}]}', (o) =>
      Array.isArray(o.Records) ? (o.Records as unknown[]) : null,
    );
    expect(result.ok && result.records.map((r) => r.ok && r.value)).toEqual([{ x: 1 }, { x: 2 }]);
  });

  it('refuses an empty body', () => {
    expect(splitJsonRecords('  \n').ok).toBe(false);
  });
});
