/**
 * Splits an ingest body into records, each tagged with where it came from, without letting one bad record
 * take the others with it.
 *
 * Shapes:
 * - JSON (the body starts with `{` or `[`): NDJSON (one JSON value per line), a JSON array (record `line` =
 *   1-based element index), or one JSON object. Objects pass through the delivery envelopes
 *   (core/ingest/envelopes) and then the source's own `expand` (CloudTrail's `{"Records": [...]}`).
 * - Text, for sources that declare it: `lines` (one record per non-empty line: syslog, VPC flow logs) or
 *   `csv` (RFC 4180 with a header row: Salesforce EventLogFile), where a record is an object keyed by header.
 * `line` always counts lines of the body as sent, blank lines included.
 *
 * Limits: a record over `maxLineBytes` or JSON nested deeper than `maxDepth` is rejected on its own; a body
 * with more than `maxRecords` records is refused whole (the caller answers 413).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { unwrapEnvelopes } from './envelopes';

export type SplitRecord =
  | { line: number; ok: true; value: unknown; text: string }
  | { line: number; ok: false; text: string; message: string };

export type BodyFormat = 'ndjson' | 'json_array' | 'json_object' | 'lines' | 'csv';

export type SplitResult =
  | { ok: true; format: BodyFormat; records: SplitRecord[] }
  | { ok: false; reason: 'empty' | 'malformed' | 'too_many_records'; message: string };

/** Turns one JSON object into several events, or returns null to keep it as one. */
export type EnvelopeExpander = (value: Record<string, unknown>) => unknown[] | null;

export interface SplitOptions {
  /** How a body that is not JSON is read; absent = JSON only (NDJSON lines). */
  readonly text?: 'lines' | 'csv';
  /**
   * For `lines` sources whose files may start with a header naming the fields (VPC flow logs' custom
   * formats): returns the field names when a line is such a header, else null. A header line is not an
   * event; the lines after it reach the parser as objects keyed by those names (space-separated values).
   */
  readonly textHeader?: (line: string) => readonly string[] | null;
  readonly expand?: EnvelopeExpander;
}

export const ingestLimits = {
  maxLineBytes: 1024 * 1024,
  maxDepth: 64,
  maxRecords: 100_000,
} as const;

export function splitRecords(body: string, options: SplitOptions = {}): SplitResult {
  const start = firstNonSpace(body);
  if (start === -1) return { ok: false, reason: 'empty', message: 'The body is empty: send NDJSON (one event per line) or a JSON array.' };
  const first = body[start];

  let result: SplitResult;
  if (first === '[') {
    result = splitJsonArray(body);
    // A line format may itself start with '[' (`[JSSACCESSLOG] …`): read it as lines when it is no JSON array.
    if (!result.ok && options.text === 'lines') result = { ok: true, format: 'lines', records: textLines(body, options) };
  } else if (first === '{') {
    const whole = body.length <= ingestLimits.maxLineBytes * 8 ? tryParse(body) : { ok: false as const, message: '' };
    result =
      whole.ok && isPlainObject(whole.value)
        ? { ok: true, format: 'json_object', records: [{ line: 1, ok: true, value: whole.value, text: body.trim() }] }
        : { ok: true, format: 'ndjson', records: splitLines(body, 'json', options.text === 'lines') };
  } else if (options.text === 'csv') {
    result = splitCsv(body);
  } else if (options.text === 'lines') {
    result = { ok: true, format: 'lines', records: textLines(body, options) };
  } else {
    result = { ok: true, format: 'ndjson', records: splitLines(body, 'json') };
  }
  if (!result.ok) return result;
  if (result.records.length > ingestLimits.maxRecords) {
    return {
      ok: false,
      reason: 'too_many_records',
      message: `The body holds ${result.records.length} records; the limit is ${ingestLimits.maxRecords} per request. Send smaller batches.`,
    };
  }
  if (result.format !== 'lines' && result.format !== 'csv') {
    // A whole-body container (a CloudTrail log file) numbers its events like array elements; the events of a
    // container *line* share that line's number and are accepted or rejected together.
    const byIndex = result.format === 'json_object';
    result = { ...result, records: result.records.flatMap((r) => expandRecord(r, options.expand, byIndex)) };
  }
  return result;
}

/** Envelopes, then the source's own container. */
function expandRecord(record: SplitRecord, expand: EnvelopeExpander | undefined, numberByIndex: boolean): SplitRecord[] {
  if (!record.ok) return [record];
  const values = unwrapEnvelopes(record.value).flatMap((v) => (isPlainObject(v) && expand ? (expand(v) ?? [v]) : [v]));
  if (values.length === 1 && values[0] === record.value) return [record];
  return values.map((value, i) => ({ line: numberByIndex ? i + 1 : record.line, ok: true as const, value, text: JSON.stringify(value) }));
}

function splitJsonArray(body: string): SplitResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    return {
      ok: false,
      reason: 'malformed',
      message: `The body starts with '[' but is not a valid JSON array (${errorText(err)}). Send a JSON array or NDJSON.`,
    };
  }
  const items = parsed as unknown[];
  return {
    ok: true,
    format: 'json_array',
    records: items.map((value, i): SplitRecord => {
      const text = JSON.stringify(value);
      const problem = limitProblem(text, true);
      return problem ? { line: i + 1, ok: false, text: text.slice(0, 2000), message: problem } : { line: i + 1, ok: true, value, text };
    }),
  };
}

/** `textFallback`: for line formats, a line that is not JSON is kept as text rather than rejected. */
function splitLines(body: string, kind: 'json' | 'text', textFallback = false): SplitRecord[] {
  const records: SplitRecord[] = [];
  let lineNo = 0;
  let pos = 0;
  while (pos <= body.length) {
    const nl = body.indexOf('\n', pos);
    const end = nl === -1 ? body.length : nl;
    lineNo++;
    let text = body.slice(pos, end);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    pos = end + 1;
    if (text.trim() !== '') {
      const record = readLine(lineNo, text, kind);
      records.push(!record.ok && textFallback && record.message.startsWith('not valid JSON') ? { line: lineNo, ok: true, value: text, text } : record);
    }
    if (nl === -1) break;
  }
  return records;
}

function textLines(body: string, options: SplitOptions): SplitRecord[] {
  const records = splitLines(body, 'text');
  return options.textHeader ? applyTextHeaders(records, options.textHeader) : records;
}

/** Drops header lines and turns the lines after one into objects keyed by its field names. */
function applyTextHeaders(records: SplitRecord[], textHeader: (line: string) => readonly string[] | null): SplitRecord[] {
  let fields: readonly string[] | null = null;
  const out: SplitRecord[] = [];
  for (const record of records) {
    if (!record.ok || typeof record.value !== 'string') {
      out.push(record);
      continue;
    }
    const header = textHeader(record.value);
    if (header) {
      fields = header;
      continue;
    }
    if (!fields) {
      out.push(record);
      continue;
    }
    const values = record.value.trim().split(/\s+/);
    if (values.length !== fields.length) {
      out.push({ line: record.line, ok: false, text: record.text, message: `has ${values.length} fields but the header line names ${fields.length}` });
      continue;
    }
    out.push({ ...record, value: Object.fromEntries(fields.map((f, i) => [f, values[i]!])) });
  }
  return out;
}

function readLine(line: number, text: string, kind: 'json' | 'text'): SplitRecord {
  const problem = limitProblem(text, kind === 'json');
  if (problem) return { line, ok: false, text: text.slice(0, 2000), message: problem };
  if (kind === 'text') return { line, ok: true, value: text, text };
  const parsed = tryParse(text);
  return parsed.ok ? { line, ok: true, value: parsed.value, text } : { line, ok: false, text, message: `not valid JSON (${parsed.message})` };
}

function splitCsv(body: string): SplitResult {
  const records: SplitRecord[] = [];
  let rows: { record: Record<string, string>; raw: string; info: { lines: number } }[];
  try {
    rows = parseCsv(body, {
      columns: true,
      info: true,
      raw: true,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      skip_records_with_error: true,
      on_skip: (err: { message?: string; lines?: number } | undefined, raw: string | undefined) => {
        const line = err?.lines ?? 0;
        records.push({ line, ok: false, text: (raw ?? '').slice(0, 2000), message: `not a valid CSV row (${err?.message ?? 'unknown error'})` });
        return undefined;
      },
    }) as unknown as typeof rows;
  } catch (err) {
    return { ok: false, reason: 'malformed', message: `The body is not CSV with a header row: ${errorText(err)}` };
  }
  for (const row of rows) {
    const newlines = row.raw.split('\n').length - (row.raw.endsWith('\n') ? 1 : 0);
    const line = row.info.lines - newlines + 1;
    const problem = limitProblem(row.raw, false);
    records.push(problem ? { line, ok: false, text: row.raw.slice(0, 2000), message: problem } : { line, ok: true, value: row.record, text: row.raw.replace(/\r?\n$/, '') });
  }
  records.sort((a, b) => a.line - b.line);
  return { ok: true, format: 'csv', records };
}

/** A limit this record breaks, or null. Depth is counted on the text, outside strings, before parsing. */
function limitProblem(text: string, json: boolean): string | null {
  if (text.length > ingestLimits.maxLineBytes) {
    return `the record is ${text.length} bytes; the limit is ${ingestLimits.maxLineBytes} bytes per record`;
  }
  if (json && openersExceed(text, ingestLimits.maxDepth) && jsonDepth(text) > ingestLimits.maxDepth) {
    return `the JSON is nested more than ${ingestLimits.maxDepth} levels deep`;
  }
  return null;
}

/**
 * Whether the text holds more than `limit` opening brackets. Nesting deeper than `limit` needs that many, so a
 * record with fewer (nearly all: an Okta event has ≈ 40) skips the character-by-character depth scan, which
 * costs as much as JSON.parse itself; indexOf runs natively.
 */
function openersExceed(text: string, limit: number): boolean {
  let count = 0;
  for (const opener of ['{', '[']) {
    for (let at = text.indexOf(opener); at !== -1; at = text.indexOf(opener, at + 1)) {
      if (++count > limit) return true;
    }
  }
  return false;
}

function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, message: errorText(err) };
  }
}

function firstNonSpace(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // space, tab, CR, LF, and a UTF-8 byte-order mark
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a && c !== 0xfeff) return i;
  }
  return -1;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.length > 160 ? `${message.slice(0, 157)}...` : message;
}
