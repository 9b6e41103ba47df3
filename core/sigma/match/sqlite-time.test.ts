/**
 * The JavaScript time parts (sqlite-time.ts) against SQLite itself (node:sqlite, the engine D1 is):
 * `CAST(strftime(format, value) AS INTEGER)` must be the same for every part on a few thousand generated values —
 * ISO-8601 timestamps and every way to bend them (zones, fractions, hour 24, day 31 of short months, negative
 * years, spaces, junk), bare times, numbers (Julian days, epoch seconds), numeric text.
 */
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { prng } from '../conformance/event-generator';
import { sqliteTextNumber, sqliteTimePart, strftimeFormats, timeParts, type TimePart } from './sqlite-time';

const db = new DatabaseSync(':memory:');
const statements = Object.fromEntries(
  timeParts.map((part) => [part, db.prepare(`SELECT CAST(strftime('${strftimeFormats[part]}', ?) AS INTEGER) AS v`)]),
) as Record<TimePart, ReturnType<DatabaseSync['prepare']>>;

function sqlite(value: string | number, part: TimePart): number | undefined {
  const row = statements[part].get(value) as { v: number | null };
  return row.v === null ? undefined : row.v;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Deterministic values around every rule of SQLite's time grammar. */
function generatedValues(): (string | number)[] {
  const rnd = prng(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const out: (string | number)[] = [
    '2024-01-01',
    '2024-12-31T23:59:59.999Z',
    '2023-01-01T00:00:00Z',
    '2023-01-02T00:00:00Z',
    '2024-02-29',
    '2023-02-29',
    '2023-02-31 10:00',
    '2024-04-31T10:00:00',
    '2024-01-31 24:00',
    '2024-01-01 24:00',
    '24:00',
    '12:30',
    '12:30:45.5+02:00',
    '2024-06-15T10:20:30+14:00',
    '2024-06-15T10:20:30+15:00',
    '2024-06-15T10:20:30-0130',
    '2024-06-15T10:20:30 z ',
    '2024-06-15t10:20:30Z',
    '2024-06-15  T T 10:20',
    '-0001-03-01',
    '0000-01-01',
    '9999-12-31 23:59:59',
    '2024-1-01',
    '2024-01-01x',
    '2024-01-01 10',
    '2024-01-01 10:60',
    '2024-01-01 10:00:60',
    '2024-01-01 10:00:59.9999999',
    '2024-01-01T23:59:59.9996-00:01',
    ' 2024-01-01',
    '2024-01-01\u0000junk',
    '2460000.5',
    ' 2460000.25 ',
    '+2460000',
    '.5',
    '5.',
    '1e6',
    '1e',
    '1e999',
    '-1',
    '5373484.4',
    '5373484.5',
    '1700000000',
    'abc',
    '',
    'NOW!',
    2460000.75,
    2451544.5,
    0,
    -3,
    1700000000,
    5373484.49,
  ];
  for (let i = 0; i < 2500; i++) {
    const year = pick([int(1900, 2100), int(0, 9999), 2024, 2023, 2000, 1999]);
    const month = pick([int(1, 12), int(0, 13)]);
    const day = pick([int(1, 28), int(29, 31), int(0, 32)]);
    const date = `${rnd() < 0.03 ? '-' : ''}${pad(year, 4)}-${pad(month)}-${pad(day)}`;
    const time = `${pad(pick([int(0, 23), 24, 25]))}:${pad(pick([int(0, 59), 60]))}${pick(['', `:${pad(pick([int(0, 59), 60]))}`, `:${pad(int(0, 59))}.${int(0, 99999)}`])}`;
    const zone = pick(['', 'Z', 'z', ` +${pad(int(0, 15))}:${pad(int(0, 59))}`, `-${pad(int(0, 14))}:${pad(int(0, 59))}`, '+0200', ' ']);
    const separator = pick(['T', ' ', 'T', '  ', 't', '']);
    out.push(
      pick([
        `${date}${separator}${time}${zone}`,
        `${date}${separator}${time}${zone}`,
        date,
        `${time}${zone}`,
        `${date}${pick(['Z', 'x', ' '])}`,
        String(rnd() * 5_400_000),
        String(int(-5, 3_000_000)),
        rnd() * 5_400_000,
        int(0, 5_400_000),
      ]),
    );
  }
  return out;
}

describe('time parts: JavaScript and SQLite agree', () => {
  const values = generatedValues();

  it.each(timeParts)('%s', (part) => {
    const differences = values.flatMap((value) => {
      const ours = sqliteTimePart(value, part);
      const theirs = sqlite(value, part);
      return ours === theirs ? [] : [{ value, ours, theirs }];
    });
    expect(differences.slice(0, 10)).toEqual([]);
    // The values exercise both answers.
    const withPart = values.filter((v) => sqlite(v, part) !== undefined).length;
    expect(withPart).toBeGreaterThan(values.length / 4);
    expect(withPart).toBeLessThan(values.length);
  });

  it('reads the current time for now, as SQLite does', () => {
    const at = Date.UTC(2026, 10, 27, 21, 5);
    expect(sqliteTimePart('NoW', 'hour', () => at)).toBe(21);
    expect(sqliteTimePart('now', 'minute', () => at)).toBe(5);
  });

  it('numbers week as strftime %W: weeks start on Monday, days before the first Monday are week 0', () => {
    expect(sqliteTimePart('2023-01-01', 'week')).toBe(0); // a Sunday
    expect(sqliteTimePart('2023-01-02', 'week')).toBe(1); // the first Monday
    expect(sqliteTimePart('2024-01-01', 'week')).toBe(1); // a Monday
    expect(sqliteTimePart('2024-12-31', 'week')).toBe(53);
  });

  it('reads text numbers as SQLite does', () => {
    expect([' 12 ', '+.5', '5.', '1e3', '1e', '.', '0x10', '- 1'].map(sqliteTextNumber)).toEqual([12, 0.5, 5, 1000, undefined, undefined, undefined, undefined]);
  });
});
