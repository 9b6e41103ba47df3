import { describe, expect, it } from 'vitest';
import { HOUR_MS, dayOfWeek, localDayOf, localHourOf, localTimeToUtc, timeZones, utcOffsetMinutes, type TimeZone } from './time-zones';

/** The offset the runtime's tz database gives (Node ships full ICU), as the oracle for our written-out rules. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function intlOffsetMinutes(zone: TimeZone, utcMs: number): number {
  let format = formatters.get(zone.name);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone.name, timeZoneName: 'longOffset' });
    formatters.set(zone.name, format);
  }
  const name = format
    .formatToParts(new Date(utcMs))
    .find((p) => p.type === 'timeZoneName')?.value;
  if (!name || name === 'GMT') return 0;
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (!match) throw new Error(`unexpected offset ${name}`);
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

describe('utcOffsetMinutes', () => {
  it.each(Object.values(timeZones))('matches the tz database for $name around every transition, 2025–2028', (zone) => {
    for (let year = 2025; year <= 2028; year++) {
      // Every hour of the months in which some rule switches (March, April, October, November).
      for (const month of [2, 3, 9, 10]) {
        const from = Date.UTC(year, month, 1);
        const to = Date.UTC(year, month + 1, 1);
        for (let t = from; t < to; t += HOUR_MS) {
          expect(utcOffsetMinutes(zone, t), `${zone.name} at ${new Date(t).toISOString()}`).toBe(intlOffsetMinutes(zone, t));
        }
      }
      // And mid-summer/mid-winter, for the sign of the shift.
      for (const month of [0, 6]) {
        const t = Date.UTC(year, month, 15, 12);
        expect(utcOffsetMinutes(zone, t)).toBe(intlOffsetMinutes(zone, t));
      }
    }
  });
});

describe('local calendar helpers', () => {
  it('converts a local wall-clock time to UTC and back', () => {
    const zone = timeZones.losAngeles;
    const day = localDayOf(zone, Date.UTC(2026, 6, 14, 20)); // 2026-07-14 13:00 PDT
    const t = localTimeToUtc(zone, day, 9.5);
    expect(new Date(t).toISOString()).toBe('2026-07-14T16:30:00.000Z');
    expect(localHourOf(zone, t)).toBeCloseTo(9.5, 9);
  });

  it('uses standard time in winter', () => {
    const zone = timeZones.berlin;
    const day = localDayOf(zone, Date.UTC(2026, 0, 20, 12));
    expect(new Date(localTimeToUtc(zone, day, 9)).toISOString()).toBe('2026-01-20T08:00:00.000Z');
  });

  it('numbers weekdays from Sunday = 0 (1970-01-01 was a Thursday)', () => {
    expect(dayOfWeek(0)).toBe(4);
    expect(dayOfWeek(Math.floor(Date.UTC(2026, 10, 29) / 86_400_000))).toBe(0); // a Sunday
    expect(dayOfWeek(-1)).toBe(3);
  });
});
