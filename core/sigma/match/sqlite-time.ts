/**
 * The Sigma 2.1 time-part modifiers (`minute`, `hour`, `day`, `week`, `month`, `year`) as SQLite evaluates
 * them: `CAST(strftime('%M' | '%H' | '%d' | '%W' | '%m' | '%Y', value) AS INTEGER)`, which is what pySigma's
 * SQLite backend emits and what our D1 query runs. This module reproduces SQLite's date functions (date.c,
 * without modifiers) in JavaScript so that the streaming matcher selects exactly the events D1 selects; a
 * differential test (`sqlite-time.test.ts`) holds the two to the same answer on thousands of values.
 *
 * What SQLite reads as a time value (and so what has a part here):
 * - text `YYYY-MM-DD`, optionally followed by spaces and/or `T` and a time; a leading `-` makes the year negative;
 * - a time `HH:MM`, `HH:MM:SS` or `HH:MM:SS.F…` (hour 00–24, minute and second 00–59), optionally followed by a
 *   zone `Z`/`z` or `±HH:MM` (hours 00–14), which converts the value to UTC; a time alone is on 2000-01-01;
 * - `now` (the current time);
 * - any other text that is wholly a number (SQLite's number grammar, surrounding spaces allowed), and numbers
 *   themselves: a Julian day number, valid from 0 to 5373484.5 (epoch seconds are far outside: no part).
 * Days 29–31 of a shorter month roll over into the next month (2023-02-31 is 2023-03-03); an hour of 24 stays
 * 24 for `hour` while the date moves on. Parts: minute 0–59, hour 0–24, day 1–31, week 0–53 (`%W`: weeks start
 * on Monday, days before the year's first Monday are week 0), month 1–12, year as written (0–9999, or negative).
 */

import type { TimePart } from '../ir';

export type { TimePart };

export const timeParts: readonly TimePart[] = ['minute', 'hour', 'day', 'week', 'month', 'year'];

/** The strftime format of each part (SQLite). */
export const strftimeFormats: Readonly<Record<TimePart, string>> = { minute: '%M', hour: '%H', day: '%d', week: '%W', month: '%m', year: '%Y' };

const msPerDay = 86_400_000;
const halfDay = 43_200_000;
/** 9999-12-31 23:59:59.999 as Julian day × 86400000. */
const maxJdMs = 464_269_060_799_999;

interface DateTime {
  jdMs: number;
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  tz: number;
  validJd: boolean;
  validYmd: boolean;
  validHms: boolean;
  rawS: boolean;
  error: boolean;
}

const blank = (): DateTime => ({ jdMs: 0, y: 0, mo: 0, d: 0, h: 0, mi: 0, s: 0, tz: 0, validJd: false, validYmd: false, validHms: false, rawS: false, error: false });

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
/** SQLite's isspace: space, \t, \n, \v, \f, \r. */
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';

/**
 * Fixed-width digit groups: each `[width, min, max, separator]` (separator '' = last group, anything may follow).
 * Returns the values read before the first group that fails.
 */
function digitGroups(text: string, at: number, groups: readonly (readonly [number, number, number, string])[]): number[] {
  const out: number[] = [];
  let i = at;
  for (const [width, min, max, next] of groups) {
    let value = 0;
    for (let k = 0; k < width; k++, i++) {
      if (!isDigit(text[i])) return out;
      value = value * 10 + text.charCodeAt(i) - 48;
    }
    if (value < min || value > max || (next !== '' && text[i] !== next)) return out;
    out.push(value);
    i++;
  }
  return out;
}

/** Zone suffix after a time; true on success (nothing or only spaces after it). */
function parseZone(text: string, at: number, p: DateTime): boolean {
  let i = at;
  while (isSpace(text[i])) i++;
  p.tz = 0;
  const c = text[i];
  if (c === 'Z' || c === 'z') i++;
  else if (c === '-' || c === '+') {
    const [hours, minutes] = digitGroups(text, i + 1, [
      [2, 0, 14, ':'],
      [2, 0, 59, ''],
    ]);
    if (minutes === undefined) return false;
    p.tz = (c === '-' ? -1 : 1) * (minutes + hours! * 60);
    i += 6;
  } else return i >= text.length;
  while (isSpace(text[i])) i++;
  return i >= text.length;
}

function parseTime(text: string, at: number, p: DateTime): boolean {
  const [h, mi] = digitGroups(text, at, [
    [2, 0, 24, ':'],
    [2, 0, 59, ''],
  ]);
  if (mi === undefined) return false;
  let i = at + 5;
  let s = 0;
  let fraction = 0;
  if (text[i] === ':') {
    const [sec] = digitGroups(text, i + 1, [[2, 0, 59, '']]);
    if (sec === undefined) return false;
    s = sec;
    i += 3;
    if (text[i] === '.' && isDigit(text[i + 1])) {
      let scale = 1;
      i++;
      while (isDigit(text[i])) {
        fraction = fraction * 10 + text.charCodeAt(i) - 48;
        scale *= 10;
        i++;
      }
      fraction /= scale;
      // SQLite truncates here to avoid a sub-millisecond rounding into the next second.
      if (fraction > 0.999) fraction = 0.999;
    }
  }
  p.validJd = false;
  p.rawS = false;
  p.validHms = true;
  p.h = h!;
  p.mi = mi;
  p.s = s + fraction;
  return parseZone(text, i, p);
}

function computeJd(p: DateTime): void {
  if (p.validJd) return;
  let y = p.validYmd ? p.y : 2000;
  let m = p.validYmd ? p.mo : 1;
  const d = p.validYmd ? p.d : 1;
  if (y < -4713 || y > 9999 || p.rawS) {
    Object.assign(p, blank(), { error: true });
    return;
  }
  if (m <= 2) {
    y--;
    m += 12;
  }
  const a = Math.trunc((y + 4800) / 100);
  const b = 38 - a + Math.trunc(a / 4);
  const x1 = Math.trunc((36525 * (y + 4716)) / 100);
  const x2 = Math.trunc((306001 * (m + 1)) / 10000);
  p.jdMs = Math.trunc((x1 + x2 + d + b - 1524.5) * msPerDay);
  p.validJd = true;
  if (p.validHms) {
    p.jdMs += p.h * 3_600_000 + p.mi * 60_000 + Math.trunc(p.s * 1000 + 0.5);
    if (p.tz) {
      p.jdMs -= p.tz * 60_000;
      p.validYmd = false;
      p.validHms = false;
      p.tz = 0;
    }
  }
}

function parseDate(text: string, p: DateTime): boolean {
  let i = 0;
  const negative = text[0] === '-';
  if (negative) i++;
  const [y, mo, d] = digitGroups(text, i, [
    [4, 0, 9999, '-'],
    [2, 1, 12, '-'],
    [2, 1, 31, ''],
  ]);
  if (d === undefined) return false;
  i += 10;
  while (isSpace(text[i]) || text[i] === 'T') i++;
  if (!parseTime(text, i, p)) {
    if (i < text.length) return false;
    p.validHms = false;
  }
  p.validJd = false;
  p.validYmd = true;
  p.y = negative ? -y! : y!;
  p.mo = mo!;
  p.d = d;
  if (p.tz) computeJd(p);
  return true;
}

/** SQLite's text-to-number (sqlite3AtoF) when the WHOLE text is a number; else undefined. */
export function sqliteTextNumber(text: string): number | undefined {
  let i = 0;
  let end = text.length;
  while (i < end && isSpace(text[i])) i++;
  while (end > i && isSpace(text[end - 1])) end--;
  const start = i;
  if (text[i] === '+' || text[i] === '-') i++;
  let digits = 0;
  while (i < end && isDigit(text[i])) {
    i++;
    digits++;
  }
  if (text[i] === '.') {
    i++;
    while (i < end && isDigit(text[i])) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return undefined;
  if (i < end && (text[i] === 'e' || text[i] === 'E')) {
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    if (!isDigit(text[i])) return undefined;
    while (i < end && isDigit(text[i])) i++;
  }
  if (i !== end) return undefined;
  const body = text.slice(start, end);
  const n = Number(body.endsWith('.') ? body.slice(0, -1) : body.replace(/^([+-]?)\./, '$10.'));
  return Number.isNaN(n) ? undefined : n;
}

function setRawNumber(p: DateTime, r: number): void {
  p.s = r;
  p.rawS = true;
  if (r >= 0 && r < 5373484.5) {
    p.jdMs = Math.trunc(r * msPerDay + 0.5);
    p.validJd = true;
  }
}

function computeYmd(p: DateTime): void {
  if (p.validYmd) return;
  if (!p.validJd) {
    p.y = 2000;
    p.mo = 1;
    p.d = 1;
  } else {
    const z = Math.trunc((p.jdMs + halfDay) / msPerDay);
    const alpha = Math.trunc((z + 32044.75) / 36524.25) - 52;
    const a = z + 1 + alpha - Math.trunc((alpha + 100) / 4) + 25;
    const b = a + 1524;
    const c = Math.trunc((b - 122.1) / 365.25);
    const d = Math.trunc((36525 * (c & 32767)) / 100);
    const e = Math.trunc((b - d) / 30.6001);
    const x1 = Math.trunc(30.6001 * e);
    p.d = b - d - x1;
    p.mo = e < 14 ? e - 1 : e - 13;
    p.y = p.mo > 2 ? c - 4716 : c - 4715;
  }
  p.validYmd = true;
}

function computeHms(p: DateTime): void {
  if (p.validHms) return;
  computeJd(p);
  const dayMs = (p.jdMs + halfDay) % msPerDay;
  p.s = (dayMs % 60_000) / 1000;
  const dayMinutes = Math.trunc(dayMs / 60_000);
  p.mi = dayMinutes % 60;
  p.h = Math.trunc(dayMinutes / 60);
  p.rawS = false;
  p.validHms = true;
}

/** The parsed time value (SQLite's isDate with no modifiers), or undefined where SQLite returns NULL. */
function sqliteDate(value: string | number, now: () => number): DateTime | undefined {
  const p = blank();
  // SQLite reads text as a C string: it ends at the first NUL.
  if (typeof value === 'string' && value.includes('\u0000')) value = value.slice(0, value.indexOf('\u0000'));
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    setRawNumber(p, value);
  } else if (parseDate(value, p) || parseTime(value, 0, p)) {
    // parsed as a date and/or time
  } else if (value.toLowerCase() === 'now') {
    p.jdMs = now() + 210_866_760_000_000;
    p.validJd = true;
  } else {
    const r = sqliteTextNumber(value);
    if (r === undefined) return undefined;
    setRawNumber(p, r);
  }
  computeJd(p);
  if (p.error || p.jdMs < 0 || p.jdMs > maxJdMs) return undefined;
  // A YYYY-MM-DD past day 28 is normalized through the Julian day (2023-02-31 → 2023-03-03).
  if (p.validYmd && p.d > 28) p.validYmd = false;
  computeYmd(p);
  computeHms(p);
  return p;
}

function daysAfterJan1(p: DateTime): number {
  const jan1: DateTime = { ...p, validJd: false, mo: 1, d: 1 };
  computeJd(jan1);
  return Math.trunc((p.jdMs - jan1.jdMs + halfDay) / msPerDay);
}

const daysAfterMonday = (p: DateTime) => Math.trunc((p.jdMs + halfDay) / msPerDay) % 7;

/**
 * `CAST(strftime(<format of part>, value) AS INTEGER)` as SQLite computes it; undefined where SQLite gives NULL.
 * `value` is the field's text (numbers: the number itself, which SQLite reads the same as its text).
 * `now` supplies the current time in epoch milliseconds for the text `now`.
 */
export function sqliteTimePart(value: string | number, part: TimePart, now: () => number = Date.now): number | undefined {
  const p = sqliteDate(value, now);
  if (!p) return undefined;
  switch (part) {
    case 'minute':
      return p.mi;
    case 'hour':
      return p.h;
    case 'day':
      return p.d;
    case 'month':
      return p.mo;
    case 'year':
      return p.y;
    case 'week':
      return Math.trunc((daysAfterJan1(p) - daysAfterMonday(p) + 7) / 7);
  }
}
