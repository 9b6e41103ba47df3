/**
 * Time phrases → a half-open UTC range [from, to), resolved against the caller's `now`.
 *
 * Relative phrases (last N hours/days, today, yesterday, this/last week, this/last month, since Monday, the
 * weekend) are resolved by the rules below, every one stated as an assumption; calendar dates ("Nov 24",
 * "2026-11-20", "October") are read with chrono-node, taking the most recent such date that is not in the future.
 * A date without a time of day means the whole UTC day. Weeks start on Monday 00:00 UTC.
 */
import * as chrono from 'chrono-node/en';
import type { Sentence } from './sentence';

export interface TimeRange {
  readonly from: string;
  readonly to: string;
  /** "the last 24 hours", "this week" … for the explanation. */
  readonly label: string;
  /** How the phrase was resolved, e.g. "this week = since Monday 2026-11-23 00:00 UTC". */
  readonly assumption: string;
}

export type TimeReading = { ok: true; range: TimeRange | null } | { ok: false; message: string };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const defaultWindowDays = 30;

const numberWords: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fourteen: 14, fifteen: 15, twenty: 20, thirty: 30, sixty: 60, ninety: 90,
};
const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const monthPattern = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const weekdayPattern = '(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?';
const lead = String.raw`(?:\b(?:in|during|over|within|for|from|of)\s+)?(?:\bthe\s+)?`;

export function startOfUtcDay(t: number): number {
  return Math.floor(t / DAY) * DAY;
}
function startOfUtcWeek(t: number): number {
  const day = startOfUtcDay(t);
  const weekday = new Date(day).getUTCDay(); // 0 = Sunday
  return day - ((weekday + 6) % 7) * DAY;
}
function startOfUtcMonth(t: number, offset = 0): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
}
function iso(t: number): string {
  return new Date(t).toISOString();
}
/** "2026-11-23 00:00 UTC" */
export function humanTime(t: number): string {
  return `${iso(t).slice(0, 16).replace('T', ' ')} UTC`;
}
function range(from: number, to: number, label: string, rule: string): TimeRange {
  return { from: iso(from), to: iso(to), label, assumption: `${label} = ${rule}` };
}
function spanRule(from: number, to: number): string {
  return `${humanTime(from)} to ${humanTime(to)}`;
}

function quantity(word: string | undefined): number {
  if (word === undefined || word === '') return 1;
  return /^\d+$/.test(word) ? Number(word) : (numberWords[word] ?? NaN);
}

function weekdayIndex(word: string): number {
  return weekdays.findIndex((d) => d.startsWith(word.slice(0, 3)));
}

/** The default window when a question names no time: stated, never silent. */
export function defaultRange(now: Date): TimeRange {
  const to = now.getTime();
  const from = to - defaultWindowDays * DAY;
  return {
    from: iso(from),
    to: iso(to),
    label: `the last ${defaultWindowDays} days`,
    assumption: `no time range was given: the last ${defaultWindowDays} days (${spanRule(from, to)})`,
  };
}

/** Reads (and consumes) the question's time phrase, if any. */
export function readTimeRange(sentence: Sentence, now: Date): TimeReading {
  const t = now.getTime();
  const found: TimeRange[] = [];
  const datePattern = `(?:\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}(?:/\\d{2,4})?|${monthPattern}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${monthPattern}(?:,?\\s+\\d{4})?)(?:\\s+at\\s+\\d{1,2}(?::\\d{2})?\\s*(?:am|pm)?)?`;
  const rules: [RegExp, (m: RegExpExecArray) => TimeRange | string | null][] = [
    // between A and B / from A to B (dates read by chrono; "from Romania and Germany" is not a time)
    [
      /\b(between|from)\s+(.+?)\s+(?:and|to|until|till|through|-)\s+(.+?)(?=$|[?.,]|\s+(?:by|per|for|from|in|with|where|grouped|broken|only|and)\b)/,
      (m) => betweenDates(m[2]!, m[3]!, now, m[1] === 'between'),
    ],
    [new RegExp(String.raw`${lead}\b(?:last|past|previous)\s+(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty|sixty|ninety)?\s*(minute|min|hour|hr|h|day|d|week|wk|w|month|year)s?\b`), (m) => lastN(m, t)],
    [new RegExp(String.raw`\b(?:since|in\s+the\s+last|over\s+the\s+last)\s+(\d+)\s*(minute|hour|day|week)s?\s+(?:ago|back)\b`), (m) => rel(Number(m[1]), m[2]!, t)],
    [/\b(?:on\s+)?(?:the\s+day\s+)?(\d+|one|two|three|four|five|six|seven|ten)\s+days?\s+ago\b/, (m) => daysAgo(m[1]!, t)],
    [/\b(?:for\s+|from\s+|of\s+)?today\b/, () => range(startOfUtcDay(t), t, 'today', `since ${humanTime(startOfUtcDay(t))}`)],
    [/\b(?:for\s+|from\s+|of\s+|on\s+)?yesterday\b/, () => range(startOfUtcDay(t) - DAY, startOfUtcDay(t), 'yesterday', spanRule(startOfUtcDay(t) - DAY, startOfUtcDay(t)))],
    [new RegExp(`${lead}\\b(this|current)\\s+week\\b`), () => range(startOfUtcWeek(t), t, 'this week', `since Monday ${humanTime(startOfUtcWeek(t))}`)],
    [new RegExp(`${lead}\\b(?:this|current)\\s+month\\b`), () => range(startOfUtcMonth(t), t, 'this month', `since ${humanTime(startOfUtcMonth(t))}`)],
    [new RegExp(`${lead}\\b(?:this|current)\\s+year\\b`), () => range(Date.UTC(new Date(t).getUTCFullYear(), 0, 1), t, 'this year', `since ${humanTime(Date.UTC(new Date(t).getUTCFullYear(), 0, 1))}`)],
    [new RegExp(`${lead}\\b(?:this|last|past|the)\\s+weekend\\b|\\bover\\s+the\\s+weekend\\b|\\bon\\s+the\\s+weekend\\b`), () => weekend(t)],
    [new RegExp(`\\b(?:since|after)\\s+(?:last\\s+)?(${weekdayPattern})\\b`), (m) => sinceWeekday(m[1]!, t)],
    [new RegExp(`\\b(?:on\\s+)?(last\\s+)?(${weekdayPattern})\\b`), (m) => onWeekday(m[2]!, Boolean(m[1]), t)],
    // a calendar date, optionally with a time of day
    [new RegExp(`\\b(?:(since|after|before|until|on|in|during|for|from)\\s+)?(?:the\\s+)?(${datePattern})(?![\\w/])`), (m) => calendarPhrase(m[1], m[2]!, now)],
    // a bare month ("in October", "during Oct 2026"): only after a preposition ("may" is also a verb)
    [new RegExp(`\\b(since|after|before|until|in|during|for|from)\\s+(?:the\\s+month\\s+of\\s+)?(${monthPattern}(?:\\s+\\d{4})?)\\b`), (m) => calendarPhrase(m[1], m[2]!, now)],
  ];
  for (const [re, resolve] of rules) {
    const global = new RegExp(re.source, 'g');
    for (const m of [...sentence.lower.matchAll(global)] as RegExpExecArray[]) {
      const r = resolve(m);
      if (r === null) continue;
      if (typeof r === 'string') return { ok: false, message: r };
      sentence.consume(m.index, m.index + m[0].length);
      found.push(r);
    }
  }
  if (found.length === 0) return { ok: true, range: null };
  if (found.length > 1) {
    return { ok: false, message: `The question names ${found.length} time ranges (${found.map((f) => f.label).join(', ')}); name one.` };
  }
  const only = found[0]!;
  if (only.from >= only.to) return { ok: false, message: `The time range "${only.label}" is empty (${only.from} to ${only.to}).` };
  if (only.from > iso(t)) return { ok: false, message: `"${only.label}" is in the future; the data ends now (${humanTime(t)}).` };
  return { ok: true, range: only };
}

function unitMs(unit: string): number {
  if (unit.startsWith('min')) return 60_000;
  if (unit.startsWith('h')) return HOUR;
  if (unit.startsWith('d')) return DAY;
  if (unit.startsWith('w')) return 7 * DAY;
  return NaN;
}
function unitName(unit: string): string {
  if (unit.startsWith('min')) return 'minute';
  if (unit.startsWith('h')) return 'hour';
  if (unit.startsWith('d')) return 'day';
  if (unit.startsWith('w')) return 'week';
  return unit;
}

function rel(n: number, unit: string, t: number): TimeRange | string {
  if (!Number.isFinite(n) || n <= 0 || n > 3660) return `"${n} ${unit}" is not a time span I can use.`;
  if (unit === 'month' || unit === 'year') {
    const d = new Date(t);
    const from = unit === 'month'
      ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds())
      : Date.UTC(d.getUTCFullYear() - n, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
    const label = `the last ${n === 1 ? unit : `${n} ${unit}s`}`;
    return range(from, t, label, spanRule(from, t));
  }
  const from = t - n * unitMs(unit);
  const name = unitName(unit);
  const label = `the last ${n === 1 ? name : `${n} ${name}s`}`;
  return range(from, t, label, spanRule(from, t));
}

function lastN(m: RegExpExecArray, t: number): TimeRange | string {
  const n = quantity(m[1]);
  const unit = m[2]!;
  // "last week" / "last month" without a number are calendar periods, handled by their own rules.
  if (m[1] === undefined && /^(week|wk|w|month|year)$/.test(unit) && /\blast\b|\bprevious\b/.test(m[0])) {
    if (unit === 'year') {
      const y = new Date(t).getUTCFullYear() - 1;
      return range(Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1), 'last year', `the previous calendar year: ${spanRule(Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1))}`);
    }
    return unit === 'month'
      ? range(startOfUtcMonth(t, -1), startOfUtcMonth(t), 'last month', `the previous calendar month: ${spanRule(startOfUtcMonth(t, -1), startOfUtcMonth(t))}`)
      : range(startOfUtcWeek(t) - 7 * DAY, startOfUtcWeek(t), 'last week', `the previous calendar week, Monday to Monday: ${spanRule(startOfUtcWeek(t) - 7 * DAY, startOfUtcWeek(t))}`);
  }
  return rel(n, unit === 'month' || unit === 'year' ? unit : unitName(unit), t);
}

/** "3 days ago" = that UTC day. */
function daysAgo(word: string, t: number): TimeRange | string {
  const n = quantity(word);
  if (!Number.isFinite(n) || n < 1 || n > 366) return `"${word} days ago" is not a day I can use.`;
  const day = startOfUtcDay(t) - n * DAY;
  return range(day, day + DAY, `${n} day${n === 1 ? '' : 's'} ago`, `the UTC day ${humanTime(day).slice(0, 10)} (${spanRule(day, day + DAY)})`);
}

function weekend(t: number): TimeRange {
  const monday = startOfUtcWeek(t);
  // The most recent weekend that has started: this week's if today is Saturday or Sunday.
  const thisSaturday = monday + 5 * DAY;
  const saturday = t >= thisSaturday ? thisSaturday : thisSaturday - 7 * DAY;
  const end = Math.min(saturday + 2 * DAY, t);
  return range(saturday, end, 'the weekend', `the most recent weekend, Saturday and Sunday: ${spanRule(saturday, end)}`);
}

function mostRecentWeekday(word: string, t: number, strictlyBefore: boolean): number {
  const target = weekdayIndex(word);
  const today = startOfUtcDay(t);
  const todayIndex = new Date(today).getUTCDay();
  let back = (todayIndex - target + 7) % 7;
  if (back === 0 && strictlyBefore) back = 7;
  return today - back * DAY;
}

function sinceWeekday(word: string, t: number): TimeRange {
  const day = mostRecentWeekday(word, t, false);
  const name = weekdays[weekdayIndex(word)]!;
  const cap = name[0]!.toUpperCase() + name.slice(1);
  return range(day, t, `since ${cap}`, `since ${cap} ${humanTime(day)}`);
}

function onWeekday(word: string, last: boolean, t: number): TimeRange {
  const day = mostRecentWeekday(word, t, last);
  const name = weekdays[weekdayIndex(word)]!;
  const cap = name[0]!.toUpperCase() + name.slice(1);
  const label = `${last ? 'last ' : 'on '}${cap}`;
  return range(day, Math.min(day + DAY, t), label, `${last ? 'the most recent' : 'the most recent (or today\'s)'} ${cap}, ${spanRule(day, Math.min(day + DAY, t))}`);
}

interface CalendarPoint {
  readonly start: number;
  /** End of the named period: the next day for a date, the next month for a month, the instant itself for a time. */
  readonly end: number;
  readonly text: string;
}

/** One calendar date, month or date-time read by chrono-node, in UTC, never in the future. */
function calendarPoint(text: string, now: Date): CalendarPoint | null {
  const results = chrono.parse(text, { instant: now, timezone: 'UTC' }, { forwardDate: false });
  const r = results[0];
  if (!r || results.length !== 1) return null;
  const s = r.start;
  let year = s.get('year') ?? now.getUTCFullYear();
  const month = (s.get('month') ?? 1) - 1;
  const dayCertain = s.isCertain('day');
  const day = dayCertain ? (s.get('day') ?? 1) : 1;
  const hourCertain = s.isCertain('hour');
  const point = (y: number) => Date.UTC(y, month, day, hourCertain ? (s.get('hour') ?? 0) : 0, hourCertain ? (s.get('minute') ?? 0) : 0);
  if (!s.isCertain('year') && point(year) > now.getTime()) year -= 1;
  const start = point(year);
  const end = hourCertain ? start : dayCertain ? start + DAY : Date.UTC(year, month + 1, 1);
  if (!s.isCertain('month') && !dayCertain) return null; // weekday names and the like have their own rules
  return { start, end, text: r.text };
}

function calendarPhrase(preposition: string | undefined, text: string, now: Date): TimeRange | string {
  const p = calendarPoint(text.replace(/^the\s+/, ''), now);
  if (!p) return `I could not read "${text}" as a date.`;
  const t = now.getTime();
  const cleaned = text.replace(/^the\s+/, '');
  switch (preposition) {
    case 'since':
    case 'from':
      return range(p.start, t, `since ${cleaned}`, `since ${humanTime(p.start)}`);
    case 'after':
      return range(p.end, t, `after ${cleaned}`, `after ${cleaned} ends: since ${humanTime(p.end)}`);
    case 'before':
    case 'until': {
      const from = p.start - defaultWindowDays * DAY;
      return range(from, p.start, `before ${cleaned}`, `${defaultWindowDays} days up to ${humanTime(p.start)}`);
    }
    default: {
      if (p.end === p.start) return `"${text}" names an instant, not a period: say "since ${text}" or "between ${text} and …".`;
      const label = `${p.end - p.start <= DAY ? 'on' : 'in'} ${cleaned}`;
      return range(p.start, Math.min(p.end, t), label, spanRule(p.start, Math.min(p.end, t)));
    }
  }
}

function betweenDates(a: string, b: string, now: Date, explicit: boolean): TimeRange | string | null {
  const from = calendarPoint(a, now);
  let to = calendarPoint(b, now);
  if (!from || !to) return explicit && (calendarPoint(a, now) || calendarPoint(b, now)) ? `I could not read "${a}" and "${b}" as two dates.` : null;
  // "between Dec 28 and Jan 3": the second date follows the first.
  if (to.end <= from.start && !/\d{4}/.test(b)) {
    const shifted = calendarPoint(`${b} ${new Date(from.start).getUTCFullYear() + 1}`, now);
    if (shifted) to = shifted;
  }
  const end = Math.min(to.end, now.getTime());
  if (end <= from.start) return `"${b}" is not after "${a}".`;
  return range(from.start, end, `between ${a} and ${b}`, `${spanRule(from.start, end)}, both days included`);
}
