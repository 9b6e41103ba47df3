/**
 * Events generated from a rule's own values, to compare two evaluations of the rule row by row: for every
 * value the rule tests a field with, an exact match, case variants, prefix/suffix/infix variants, the
 * wildcards filled with nothing, one character, several, and with the characters SQL treats specially
 * (`%`, `_`, quotes, backslash), literal `%`/`_`/`*`/`?` replaced, numbers around each bound and as text,
 * addresses at the edges of each network, plus absent fields, JSON-null fields and unrelated values.
 *
 * Events combine those values: each candidate of a field with the other fields at a value that satisfies the
 * rule's first test of them (so conjunctions are reached), each candidate with random other values, fieldref
 * pairs built from each other, and random combinations. Deterministic (seeded PRNG): the same events each run.
 */
import type { Pattern, Predicate, SigmaDocumentIR, TimePart } from '../ir';
import { cidrRange, foldCase } from '../match/semantics';
import { fieldPredicates, type FieldKind, type FieldTable } from './field-table';

export const ABSENT = Symbol('absent');
export type FieldValue = string | number | boolean | null | typeof ABSENT;

export interface GeneratedEvent {
  /** Sigma field name → value (ABSENT: the field is not in the event). */
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** The event's message (keywords search it). */
  readonly message: FieldValue;
}

/** A small deterministic PRNG (LCG). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const swapCase = (s: string) => [...s].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');

function middle(s: string): number {
  return Math.floor(s.length / 2);
}

/** Variants of one literal value: the exact value, case, prefix/suffix/infix, truncation, SQL-special characters. */
export function textVariants(v: string): string[] {
  const m = middle(v);
  const out = [
    v,
    v.toUpperCase(),
    v.toLowerCase(),
    swapCase(v),
    `pre${v}`,
    `${v}suf`,
    `pre${v}suf`,
    `x ${v} y`,
    v.slice(1),
    v.slice(0, -1),
    ` ${v}`,
    `${v} `,
    `${v}%`,
    `%${v}`,
    v.length > 1 ? `_${v.slice(1)}` : '_',
    v.length > 1 ? `${v.slice(0, -1)}_` : '_',
    v.length > 2 ? `${v.slice(0, m)}_${v.slice(m + 1)}` : `${v}_`,
    v.length > 2 ? `${v.slice(0, m)}%${v.slice(m + 1)}` : `${v}%`,
    v.length > 2 ? `${v.slice(0, m)}X${v.slice(m + 1)}` : `${v}X`,
    `'${v}`,
    `${v}'`,
    `it's ${v}`,
    `"${v}"`,
    `${v}\\`,
    `\\${v}`,
    `${v}${v}`,
    `${v}\n`,
    `${v}\u00e9`,
  ];
  // A literal %, _, *, ?, \ or quote in the value: replaced by another character it must not stand for.
  if (/[%_*?\\'[\]!]/.test(v)) {
    out.push(v.replace(/[%_*?\\'[\]!]/g, 'X'), v.replace(/[%_*?\\'[\]!]/g, ''), v.replace(/[%_*?\\'[\]!]/g, 'XY'));
  }
  return out;
}

const anyFills = ['', 'a', 'AnY', '%', '_', "'", '*', '\\', 'x y', '\u00e9t\u00e9', 'a\nb'];
const oneFills = ['x', '', 'xy', '%', '_', '\u00e9', "'", 'X', '*', '\\', 'n'];

function renderPattern(pattern: Pattern, any: string, one: string): string {
  return pattern.map((p) => (p.kind === 'text' ? p.text : p.kind === 'anyChars' ? any : one)).join('');
}

function patternValues(pattern: Pattern): string[] {
  const base = renderPattern(pattern, '', 'x');
  const out = textVariants(base);
  if (pattern.some((p) => p.kind !== 'text')) {
    anyFills.forEach((fill, i) => out.push(renderPattern(pattern, fill, oneFills[i % oneFills.length]!)));
    out.push(renderPattern(pattern, 'abc', 'x').toUpperCase());
  }
  return out;
}

/** Strings a regex may or may not match: its literal skeleton, variants of it, and each alternative's. */
function regexValues(source: string): string[] {
  const skeleton = (s: string) =>
    s
      .replace(/^\(\?[a-z]+\)/, '')
      .replace(/\\d/g, '5')
      .replace(/\\w/g, 'w')
      .replace(/\\s/g, ' ')
      .replace(/\\([^a-zA-Z0-9])/g, '$1')
      .replace(/\[\^?([^\]])[^\]]*\]/g, '$1')
      .replace(/\.\*|\.\+/g, 'zz')
      .replace(/\./g, 'y')
      .replace(/[\^$()?*+]|\{\d+(,\d*)?\}/g, '');
  const whole = skeleton(source);
  const branches = source.includes('|') ? source.split('|').map(skeleton) : [];
  return [...textVariants(whole), ...branches.flatMap((b) => [b, b.toUpperCase(), `${b}\nx`, `x\n${b}`]), source, 'a\nb', ''];
}

function ipv4Text(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

function cidrValues(predicate: Extract<Predicate, { kind: 'cidr' }>): string[] {
  const range = cidrRange(predicate.version, predicate.network, predicate.prefix);
  if (!range) return [predicate.network];
  if (range.version === 4) {
    const { first, last } = range;
    const inside = [first, last, first + Math.floor((last - first) / 2)].map(ipv4Text);
    const outside = [first - 1, last + 1].filter((n) => n >= 0 && n <= 0xffffffff).map(ipv4Text);
    const f = ipv4Text(first);
    const octets = f.split('.');
    return [
      ...inside,
      ...outside,
      `0${f}`,
      `${octets.slice(0, 3).join('.')}.0${octets[3]}`,
      `${f}.5`,
      `${octets.slice(0, 3).join('.')}.300`,
      `${octets.slice(0, 2).join('.')}.999.1`,
      `${octets.slice(0, 2).join('.')}.abc`,
      `${octets.slice(0, 3).join('.')}`,
      ` ${f}`,
      `::ffff:${f}`,
      '::1',
      'not an ip',
    ];
  }
  return [predicate.network, predicate.network.toUpperCase(), `${predicate.network}1`, '::', '2001:db9::1', 'fe80::1', '10.0.0.1', 'not:an:ip', '1::2::3'];
}

function numberValues(n: number): FieldValue[] {
  return [n, n + 1, n - 1, n + 0.5, n - 0.5, 0, -n, n * 10, String(n), ` ${n}`, `0${n}`, `${n}.0`, String(n + 1), `${n}x`, 'abc', ''];
}

const booleanTexts = ['true', 'false', 'TRUE', 'False', '1', '0', 'yes', ''];

/**
 * Instants (epoch ms) whose time part is `value` (UTC), at the edges of what holds it: several years (each starts
 * on another weekday), the start and the end of a day; none when no date of years 0–9999 has it.
 */
function instantsWithPart(part: TimePart, value: number): number[] {
  const out: number[] = [];
  const bases: readonly (readonly [number, number, number, number, number, number])[] = [
    [2024, 2, 10, 12, 30, 15],
    [2023, 11, 31, 23, 59, 59],
    [2025, 0, 1, 0, 0, 0],
    // Years starting on the other weekdays (2024: Monday, 2025: Wednesday, 2023: Sunday).
    ...(part === 'week' ? [2019, 2026, 2021, 2022].map((y) => [y, 0, 1, 0, 0, 0] as const) : []),
  ];
  for (const [year, month, day, h, m, sec] of bases) {
    const at = new Date(Date.UTC(year, month, day, h, m, sec));
    switch (part) {
      case 'minute':
        at.setUTCMinutes(value);
        break;
      case 'hour':
        at.setUTCHours(value);
        break;
      case 'day':
        at.setUTCMonth(1, value);
        break;
      case 'week': {
        // %W: week 1 starts on the year's first Monday; the Monday and the Sunday of week `value`.
        at.setUTCMonth(0, 1);
        const firstMonday = 1 + ((8 - at.getUTCDay()) % 7);
        at.setUTCDate(firstMonday + (value - 1) * 7);
        out.push(at.getTime() + 6 * 86_400_000 + 86_399_000);
        break;
      }
      case 'month':
        at.setUTCMonth(value - 1, 15);
        break;
      case 'year':
        at.setUTCFullYear(value);
        break;
    }
    out.push(at.getTime());
  }
  return out.filter((ms) => {
    const y = new Date(ms).getUTCFullYear();
    return y >= 0 && y <= 9999;
  });
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An instant written the ways SQLite (and the lake engines) may or may not read it. */
function timeTexts(ms: number): FieldValue[] {
  const at = new Date(ms);
  const date = `${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
  const hm = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;
  const hms = `${hm}:${pad(at.getUTCSeconds())}`;
  const shifted = new Date(ms + (5 * 60 + 30) * 60_000);
  const local = `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}T${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:00+05:30`;
  const julianDay = ms / 86_400_000 + 2440587.5;
  return [
    `${date}T${hms}.000Z`,
    `${date}T${hms}`,
    `${date} ${hm}`,
    `${date}T${hm}Z`,
    `${date}t${hms}Z`,
    `${date}T${hms}.123456Z`,
    local,
    date,
    `${date}Z`,
    ` ${date}`,
    hm,
    julianDay,
    String(julianDay),
    Math.floor(ms / 1000),
  ];
}

/** Times whose part is at, below and above the value, in many forms, and texts that are no time at all. */
function timePartValues(predicate: Extract<Predicate, { kind: 'timePart' }>): FieldValue[] {
  const out: FieldValue[] = [];
  for (const v of [predicate.value, predicate.value - 1, predicate.value + 1]) {
    for (const ms of instantsWithPart(predicate.part, v)) out.push(...timeTexts(ms));
  }
  // Two digits of the value: impossible dates SQLite rolls over, hour 24, a bare time, no time, the bare number.
  const n = pad(Math.abs(predicate.value) % 100);
  out.push(`2023-02-31T${n}:00:00`, `2024-04-31 10:${n}`, `2024-01-${n} 24:00`, `${n}:00`, 'not a time', '', predicate.value);
  return out;
}

function predicateValues(predicate: Predicate, kind: FieldKind): FieldValue[] {
  switch (predicate.kind) {
    case 'pattern':
      return patternValues(predicate.pattern);
    case 'regex':
      return regexValues(predicate.source);
    case 'cidr':
      return cidrValues(predicate);
    case 'number':
    case 'compare':
      return numberValues(predicate.value);
    case 'boolean':
      return kind === 'boolean' ? [predicate.value, !predicate.value] : [...booleanTexts, predicate.value, !predicate.value];
    case 'null':
      return [null, ABSENT, 'x'];
    case 'exists':
      return [ABSENT, null, 'x', '', 0];
    case 'fieldref':
      return ['valueA', 'VALUEA', 'valueAB', 'xvalueA', ''];
    case 'timePart':
      return timePartValues(predicate);
  }
}

/** The value of a field that satisfies the predicate (the first candidate, when it is one). */
function satisfyingValue(predicate: Predicate, kind: FieldKind): FieldValue {
  switch (predicate.kind) {
    case 'pattern':
      return renderPattern(predicate.pattern, '', 'x');
    case 'regex':
      return regexValues(predicate.source)[0]!;
    case 'cidr':
      return cidrValues(predicate)[0]!;
    case 'number':
      return predicate.value;
    case 'compare':
      return predicate.op === 'gt' ? predicate.value + 1 : predicate.op === 'lt' ? predicate.value - 1 : predicate.value;
    case 'boolean':
      return kind === 'boolean' ? predicate.value : String(predicate.value);
    case 'null':
      return null;
    case 'exists':
      return predicate.value ? 'x' : ABSENT;
    case 'fieldref':
      return 'valueA';
    case 'timePart': {
      const v = predicate.op === 'gt' ? predicate.value + 1 : predicate.op === 'lt' ? predicate.value - 1 : predicate.value;
      const [ms] = instantsWithPart(predicate.part, v);
      return ms === undefined ? 'not a time' : new Date(ms).toISOString();
    }
  }
}

/** One value holding every pattern the field is tested with (for `all` and ANDed patterns), in both orders. */
function combinedPatternValues(predicates: readonly Predicate[]): string[] {
  const parts = predicates.flatMap((p) => (p.kind === 'pattern' ? [renderPattern(p.pattern, '', 'x')] : []));
  if (parts.length < 2) return [];
  const joined = parts.join(' ');
  const reversed = [...parts].reverse().join('');
  return [joined, reversed, joined.toUpperCase(), parts.slice(1).join(' ')];
}

function genericValues(kind: FieldKind): FieldValue[] {
  if (kind === 'boolean') return [true, false];
  if (kind === 'number') return [ABSENT, null, 0, 123];
  return [ABSENT, null, '', 'unrelated', 0, 123, "'", '%', '_', '\\'];
}

function dedupe(values: FieldValue[]): FieldValue[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = v === ABSENT ? '\u0000absent' : `${typeof v}:${String(v)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface GenerateOptions {
  readonly seed?: number;
  /** Random combinations of field values beyond the structured ones. */
  readonly randomEvents?: number;
}

const messageField = '\u0000message';

/** Events for the rules among `docs`, over the fields of `table`. */
export function generateEvents(docs: readonly SigmaDocumentIR[], table: FieldTable, options: GenerateOptions = {}): GeneratedEvent[] {
  const rnd = prng(options.seed ?? 20261127);
  const predicates = fieldPredicates(docs);
  const keywords: Predicate[] = [];
  const collectKeywords = (expr: Extract<SigmaDocumentIR, { kind: 'rule' }>['condition']): void => {
    if (expr.kind === 'keyword') keywords.push(expr.predicate);
    else if (expr.kind === 'and' || expr.kind === 'or') expr.items.forEach(collectKeywords);
    else if (expr.kind === 'not') collectKeywords(expr.item);
  };
  for (const doc of docs) if (doc.kind === 'rule') collectKeywords(doc.condition);

  const kinds = new Map<string, FieldKind>(table.fields.map((f) => [f.field, f.kind]));
  const pools = new Map<string, FieldValue[]>();
  const anchors = new Map<string, FieldValue>();
  for (const [field, preds] of predicates) {
    const kind = kinds.get(field) ?? 'text';
    // Typed columns hold what the ingest schema lets them hold: numbers (or NULL) in numeric columns.
    const values = dedupe([...preds.flatMap((p) => predicateValues(p, kind)), ...combinedPatternValues(preds), ...genericValues(kind)]).filter(
      (v) => (kind === 'boolean' ? typeof v === 'boolean' : kind === 'number' ? typeof v === 'number' || v === null || v === ABSENT : true),
    );
    pools.set(field, values);
    anchors.set(field, preds.length ? satisfyingValue(preds[0]!, kind) : values[0]!);
  }
  if (keywords.length) {
    pools.set(messageField, dedupe([...keywords.flatMap((p) => predicateValues(p, 'text')), ...genericValues('text')]));
    anchors.set(messageField, satisfyingValue(keywords[0]!, 'text'));
  }

  const fields = [...pools.keys()];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const events: Record<string, FieldValue>[] = [];
  const record = (value: (field: string) => FieldValue): Record<string, FieldValue> => {
    const out: Record<string, FieldValue> = {};
    for (const f of fields) out[f] = value(f);
    return out;
  };
  const anchored = () => record((f) => anchors.get(f)!);
  const randomized = () => record((f) => pick(pools.get(f)!));
  events.push(anchored());
  for (const field of fields) {
    for (const value of pools.get(field)!) {
      events.push({ ...anchored(), [field]: value });
      events.push({ ...randomized(), [field]: value });
    }
  }
  // fieldref pairs: the referenced field's value, and the referring field equal to it, a case variant,
  // a prefix/suffix extension or a truncation of it.
  for (const [field, preds] of predicates) {
    for (const p of preds) {
      if (p.kind !== 'fieldref') continue;
      const others = (pools.get(p.field) ?? []).filter((v): v is string => typeof v === 'string' && v !== '');
      for (const v of [...others.slice(0, 12), 'valueA', 'Alpha']) {
        for (const w of [v, v.toUpperCase(), foldCase(v), `${v}x`, `x${v}`, `x${v}x`, v.slice(1), v.slice(0, -1), '', ABSENT, null] as FieldValue[]) {
          events.push({ ...anchored(), [p.field]: v, [field]: w });
          events.push({ ...randomized(), [p.field]: v, [field]: w });
        }
      }
    }
  }
  for (let i = 0; i < (options.randomEvents ?? 200); i++) events.push(randomized());

  const seen = new Set<string>();
  const out: GeneratedEvent[] = [];
  for (const e of events) {
    const key = JSON.stringify(fields.map((f) => (e[f] === ABSENT ? '\u0000absent' : [typeof e[f], e[f]])));
    if (seen.has(key)) continue;
    seen.add(key);
    const { [messageField]: message, ...rest } = e;
    out.push({ fields: rest, message: message ?? ABSENT });
  }
  return out;
}

export interface RowOptions {
  /** event_time of each event (default: one second apart from 2026-01-01). */
  readonly time?: (index: number) => string;
}

/** Rows of `events` for generated events: each field in its column, the record as `raw`. */
export function eventRows(events: readonly GeneratedEvent[], table: FieldTable, options: RowOptions = {}): Record<string, unknown>[] {
  return events.map((event, i) => {
    const raw: Record<string, unknown> = {};
    const row: Record<string, unknown> = {
      event_uid: `t:${i}`,
      event_id: `e${i}`,
      source: table.source,
      event_time: options.time ? options.time(i) : new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      event_time_inferred: 0,
      ingest_time: '2026-01-01T00:00:00.000Z',
      action: 'test',
      outcome: 'unknown',
      batch_id: 't',
    };
    for (const f of table.fields) {
      const v = event.fields[f.field];
      if (v === undefined || v === ABSENT) continue;
      raw[f.field] = v;
      row[f.column] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
    }
    if (event.message !== ABSENT) row.message = event.message;
    row.raw = JSON.stringify(raw);
    return row;
  });
}
