import { describe, expect, it } from 'vitest';
import { deadLetterKey, hourOf, normalizedBatchKey, rawBatchKey } from './keys';

describe('lake keys', () => {
  const t = '2026-11-27T06:18:41.123Z';
  it('partitions Hive-style by source, UTC date and hour', () => {
    expect(rawBatchKey('okta', t, 'b1')).toBe('raw/source=okta/date=2026-11-27/hour=06/b1.ndjson.gz');
    expect(normalizedBatchKey('okta', hourOf(t), 'b1')).toBe('events/source=okta/date=2026-11-27/hour=06/b1.ndjson.gz');
    expect(deadLetterKey('okta', t, 'b1')).toBe('deadletter/source=okta/date=2026-11-27/hour=06/b1.ndjson');
  });
  it('truncates to the hour', () => {
    expect(hourOf(t)).toBe('2026-11-27T06:00:00.000Z');
  });
});
