import { describe, expect, it } from 'vitest';
import { detectChartShape, maxBars, parseTimeValue } from './chart-shape';

describe('parseTimeValue', () => {
  it.each([
    ['2026-11-27', Date.UTC(2026, 10, 27)],
    ['2026-11-27T16:00Z', Date.UTC(2026, 10, 27, 16)],
    ['2026-11-27T16:18:41.000Z', Date.UTC(2026, 10, 27, 16, 18, 41)],
    ['2026-11-27 16:18:41', Date.UTC(2026, 10, 27, 16, 18, 41)],
    ['2026-11-27T16', Date.UTC(2026, 10, 27, 16)],
    ['2026-11', Date.UTC(2026, 10, 1)],
    ['2026-11-27T18:00:00+02:00', Date.UTC(2026, 10, 27, 16)],
    ['2026-11-27T18:00:00+0200', Date.UTC(2026, 10, 27, 16)],
  ])('reads %s as UTC', (text, expected) => {
    expect(parseTimeValue(text)).toBe(expected);
  });

  it.each([['alice'], ['2026'], ['27/11/2026'], [20261127], [null], ['2026-13-45']])('refuses %j', (value) => {
    expect(parseTimeValue(value)).toBeNull();
  });
});

describe('detectChartShape', () => {
  it('sees a time series in a day column and a count, and orders the points by time', () => {
    const shape = detectChartShape(['day', 'count'], [['2026-11-27', 4], ['2026-11-25', 9], ['2026-11-26', 0]]);
    expect(shape).toEqual({
      kind: 'line',
      timeColumn: 'day',
      valueColumn: 'count',
      points: [
        { time: Date.UTC(2026, 10, 25), label: '2026-11-25', value: 9 },
        { time: Date.UTC(2026, 10, 26), label: '2026-11-26', value: 0 },
        { time: Date.UTC(2026, 10, 27), label: '2026-11-27', value: 4 },
      ],
    });
  });

  it('sees a grouped count in a label and a number, in the result order, with null labels as (none)', () => {
    const shape = detectChartShape(['src_country', 'count'], [['US', 40], ['DE', 12], [null, 3]]);
    expect(shape).toEqual({
      kind: 'bar',
      labelColumn: 'src_country',
      valueColumn: 'count',
      bars: [
        { label: 'US', value: 40 },
        { label: 'DE', value: 12 },
        { label: '(none)', value: 3 },
      ],
      omitted: 0,
    });
  });

  it('finds the number when it comes first', () => {
    const shape = detectChartShape(['n', 'actor'], [[5, 'alice'], [2, 'bob']]);
    expect(shape).toMatchObject({ kind: 'bar', labelColumn: 'actor', valueColumn: 'n' });
  });

  it(`keeps at most ${maxBars} bars and says how many were left out`, () => {
    const rows = Array.from({ length: maxBars + 7 }, (_, i) => [`user${i}`, 100 - i]);
    const shape = detectChartShape(['actor', 'count'], rows);
    expect(shape?.kind).toBe('bar');
    expect(shape?.kind === 'bar' && shape.bars.length).toBe(maxBars);
    expect(shape?.kind === 'bar' && shape.omitted).toBe(7);
  });

  it.each([
    ['a single value', ['count'], [[42]]],
    ['one row', ['country', 'count'], [['US', 4]]],
    ['three columns', ['day', 'source', 'count'], [['2026-11-27', 'okta', 1], ['2026-11-26', 'okta', 2]]],
    ['two text columns', ['actor', 'country'], [['alice', 'US'], ['bob', 'DE']]],
    ['two numeric columns that are not times', ['port', 'count'], [[22, 5], [443, 9]].map((r) => [r[0], r[1]])],
    ['a number column with text in it', ['actor', 'count'], [['alice', 3], ['bob', 'many']]],
    ['a label column of objects', ['raw', 'count'], [[{ a: 1 }, 3], [{ a: 2 }, 1]]],
    ['a value column of nulls only', ['actor', 'count'], [['alice', null], ['bob', null]]],
  ])('draws no chart for %s', (_name, columns, rows) => {
    expect(detectChartShape(columns, rows)).toBeNull();
  });
});
