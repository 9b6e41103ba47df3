import { describe, expect, it } from 'vitest';
import { decodeRows, RowShapeError, timestampToIso, type BigQueryField } from './decode-rows';

const row = (...values: unknown[]) => ({ f: values.map((v) => ({ v })) });

describe('timestampToIso', () => {
  it.each([
    ['1.7005032E9', '2023-11-20T18:00:00.000Z'],
    ['1.700503200123456E9', '2023-11-20T18:00:00.123456Z'],
    // A double's last digit: 1.7645904000000010E9 is ...000001 µs, not 0.999 µs or 1.000002 µs.
    ['1.764590400000001E9', '2025-12-01T12:00:00.000001Z'],
    ['1.7005032001234559E9', '2023-11-20T18:00:00.123456Z'],
    ['0.0', '1970-01-01T00:00:00.000Z'],
    ['-1.5E-6', '1969-12-31T23:59:59.999998Z'],
    ['-8.64E4', '1969-12-31T00:00:00.000Z'],
    ['2.53402300799999999E11', '9999-12-31T23:59:59.999999Z'],
  ])('reads float seconds %s as %s', (value, iso) => {
    expect(timestampToIso(value, 'seconds')).toBe(iso);
  });

  it.each([
    ['1700503200123456', '2023-11-20T18:00:00.123456Z'],
    ['1700503200000000', '2023-11-20T18:00:00.000Z'],
    ['-1', '1969-12-31T23:59:59.999999Z'],
  ])('reads int64 microseconds %s as %s', (value, iso) => {
    expect(timestampToIso(value, 'micros')).toBe(iso);
  });

  it.each([
    ['seconds', 'yesterday'],
    ['seconds', ''],
    ['micros', '1.7E9'],
    ['micros', '999999999999999999999'],
  ] as const)('refuses %s value %j', (unit, value) => {
    expect(() => timestampToIso(value, unit)).toThrow(RowShapeError);
  });
});

describe('decodeRows', () => {
  it('keeps integers beyond 2^53 and inexact NUMERICs as strings, and non-finite FLOATs too', () => {
    const fields: BigQueryField[] = [
      { name: 'a', type: 'INT64' },
      { name: 'b', type: 'INTEGER' },
      { name: 'c', type: 'NUMERIC' },
      { name: 'd', type: 'BIGNUMERIC' },
      { name: 'e', type: 'FLOAT64' },
      { name: 'f', type: 'FLOAT' },
    ];
    expect(decodeRows(fields, [row('9007199254740991', '-9007199254740993', '12.50', '0.10000000000000000000000000000000000001', 'NaN', '-Infinity')], 'micros')).toEqual([
      [9007199254740991, '-9007199254740993', 12.5, '0.10000000000000000000000000000000000001', 'NaN', '-Infinity'],
    ]);
  });

  it('decodes nested repeated records, nulls and empty arrays', () => {
    const fields: BigQueryField[] = [
      {
        name: 'actor',
        type: 'STRUCT',
        fields: [
          { name: 'name', type: 'STRING' },
          { name: 'roles', type: 'STRING', mode: 'REPEATED' },
          { name: 'seen', type: 'TIMESTAMP', mode: 'REPEATED' },
        ],
      },
      { name: 'targets', type: 'RECORD', mode: 'REPEATED', fields: [{ name: 'id', type: 'INT64' }, { name: 'ok', type: 'BOOLEAN' }] },
      { name: 'missing', type: 'STRING' },
    ];
    const value = {
      f: [
        { v: { f: [{ v: 'alice' }, { v: [{ v: 'admin' }] }, { v: [{ v: '1700503200000001' }] }] } },
        { v: [{ v: { f: [{ v: '1' }, { v: 'true' }] } }, { v: { f: [{ v: '2' }, { v: null }] } }] },
        { v: null },
      ],
    };
    expect(decodeRows(fields, [value], 'micros')).toEqual([[{ name: 'alice', roles: ['admin'], seen: ['2023-11-20T18:00:00.000001Z'] }, [{ id: 1, ok: true }, { id: 2, ok: null }], null]]);
    expect(decodeRows(fields, [row({ f: [{ v: 'bob' }, { v: [] }, { v: [] }] }, [], null)], 'micros')).toEqual([[{ name: 'bob', roles: [], seen: [] }, [], null]]);
  });

  it('parses JSON columns and leaves DATE, DATETIME, TIME, BYTES and GEOGRAPHY as BigQuery wrote them', () => {
    const fields: BigQueryField[] = ['JSON', 'DATE', 'DATETIME', 'TIME', 'BYTES', 'GEOGRAPHY'].map((type, i) => ({ name: `c${i}`, type }));
    expect(decodeRows(fields, [row('{"k":[1,null]}', '2026-11-20', '2026-11-20T10:00:00.250', '10:00:00', 'AAEC', 'POINT(1 2)')], 'micros')).toEqual([
      [{ k: [1, null] }, '2026-11-20', '2026-11-20T10:00:00.250', '10:00:00', 'AAEC', 'POINT(1 2)'],
    ]);
  });

  it.each([
    ['a row with too few cells', [{ name: 'a', type: 'STRING' }, { name: 'b', type: 'STRING' }], row('x')],
    ['a BOOLEAN that is not true or false', [{ name: 'a', type: 'BOOL' }], row('yes')],
    ['an INTEGER that is not an integer', [{ name: 'a', type: 'INT64' }], row('1.5')],
    ['a REPEATED value that is not an array', [{ name: 'a', type: 'STRING', mode: 'REPEATED' }], row('x')],
    ['a scalar that is not a string', [{ name: 'a', type: 'STRING' }], row(5)],
  ] as [string, BigQueryField[], unknown][])('refuses %s', (_what, fields, value) => {
    expect(() => decodeRows(fields, [value], 'micros')).toThrow(RowShapeError);
  });
});
