/**
 * Local time for the demo organisation's offices: UTC offsets with daylight-saving rules, and calendar helpers.
 *
 * The generator plans each user's day in their local time ("signs in around 9am"), so it needs the offset of a
 * handful of zones at any instant. The rules are written out instead of asking `Intl` so that output never
 * depends on the tz database a runtime ships (byte-identical datasets everywhere); a unit test checks them
 * against `Intl` for the years the demo is likely to cover.
 *
 * Invariants:
 * - Pure functions of their arguments; only `Date.UTC` and `Date#getUTC*` are used (no clock, no local zone).
 * - Rules are the ones in force since 2007 (US) / 1996 (EU) / 2008 (Australia); earlier years are not needed.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

type DstRule = 'none' | 'us' | 'eu' | 'au';

export interface TimeZone {
  /** IANA name, for display. */
  readonly name: string;
  readonly standardOffsetMinutes: number;
  readonly dst: DstRule;
}

export const timeZones = {
  losAngeles: { name: 'America/Los_Angeles', standardOffsetMinutes: -480, dst: 'us' },
  denver: { name: 'America/Denver', standardOffsetMinutes: -420, dst: 'us' },
  chicago: { name: 'America/Chicago', standardOffsetMinutes: -360, dst: 'us' },
  newYork: { name: 'America/New_York', standardOffsetMinutes: -300, dst: 'us' },
  toronto: { name: 'America/Toronto', standardOffsetMinutes: -300, dst: 'us' },
  london: { name: 'Europe/London', standardOffsetMinutes: 0, dst: 'eu' },
  berlin: { name: 'Europe/Berlin', standardOffsetMinutes: 60, dst: 'eu' },
  bucharest: { name: 'Europe/Bucharest', standardOffsetMinutes: 120, dst: 'eu' },
  kolkata: { name: 'Asia/Kolkata', standardOffsetMinutes: 330, dst: 'none' },
  singapore: { name: 'Asia/Singapore', standardOffsetMinutes: 480, dst: 'none' },
  sydney: { name: 'Australia/Sydney', standardOffsetMinutes: 600, dst: 'au' },
  utc: { name: 'UTC', standardOffsetMinutes: 0, dst: 'none' },
} as const satisfies Record<string, TimeZone>;

/** Offset from UTC, in minutes, in force at the instant `utcMs` (local = UTC + offset). */
export function utcOffsetMinutes(zone: TimeZone, utcMs: number): number {
  return zone.standardOffsetMinutes + (isDaylightTime(zone, utcMs) ? 60 : 0);
}

function isDaylightTime(zone: TimeZone, utcMs: number): boolean {
  const year = new Date(utcMs).getUTCFullYear();
  const std = zone.standardOffsetMinutes * MINUTE_MS;
  switch (zone.dst) {
    case 'none':
      return false;
    case 'us': {
      // Second Sunday of March 02:00 local standard time → first Sunday of November 02:00 local daylight time.
      const start = nthSunday(year, 2, 2) + 2 * HOUR_MS - std;
      const end = nthSunday(year, 10, 1) + 2 * HOUR_MS - std - HOUR_MS;
      return utcMs >= start && utcMs < end;
    }
    case 'eu': {
      // Last Sunday of March 01:00 UTC → last Sunday of October 01:00 UTC, everywhere in the EU and the UK.
      const start = lastSunday(year, 2) + HOUR_MS;
      const end = lastSunday(year, 9) + HOUR_MS;
      return utcMs >= start && utcMs < end;
    }
    case 'au': {
      // Southern hemisphere: daylight time from the first Sunday of October 02:00 standard time until the
      // first Sunday of April 03:00 daylight time (= 02:00 standard time).
      const end = nthSunday(year, 3, 1) + 2 * HOUR_MS - std;
      const start = nthSunday(year, 9, 1) + 2 * HOUR_MS - std;
      return utcMs < end || utcMs >= start;
    }
  }
}

/** Midnight UTC of the n-th Sunday (1-based) of a month (0-based, like `Date.UTC`). */
function nthSunday(year: number, month: number, n: number): number {
  const first = Date.UTC(year, month, 1);
  const dow = new Date(first).getUTCDay();
  return first + (((7 - dow) % 7) + 7 * (n - 1)) * DAY_MS;
}

function lastSunday(year: number, month: number): number {
  const last = Date.UTC(year, month + 1, 0);
  return last - new Date(last).getUTCDay() * DAY_MS;
}

/** The local calendar day (days since 1970-01-01 in local time) that contains the instant. */
export function localDayOf(zone: TimeZone, utcMs: number): number {
  return Math.floor((utcMs + utcOffsetMinutes(zone, utcMs) * MINUTE_MS) / DAY_MS);
}

/** Hours since local midnight (fractional) at the instant. */
export function localHourOf(zone: TimeZone, utcMs: number): number {
  const local = utcMs + utcOffsetMinutes(zone, utcMs) * MINUTE_MS;
  return (local - Math.floor(local / DAY_MS) * DAY_MS) / HOUR_MS;
}

/**
 * The UTC instant of a local wall-clock time on local day `day`. `hours` may exceed 24 (a session that runs
 * past midnight). Offsets are taken at that approximate instant, so a time inside a DST gap lands an hour off,
 * which the generator tolerates (nobody signs in at 02:30 on those two nights by design).
 */
export function localTimeToUtc(zone: TimeZone, day: number, hours: number): number {
  const guess = day * DAY_MS + hours * HOUR_MS - zone.standardOffsetMinutes * MINUTE_MS;
  return guess - (utcOffsetMinutes(zone, guess) - zone.standardOffsetMinutes) * MINUTE_MS;
}

/** Day of the week of a day number (days since 1970-01-01, a Thursday): 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekday(day: number): boolean {
  const dow = dayOfWeek(day);
  return dow >= 1 && dow <= 5;
}
