/**
 * Splits an ingest body into records, each tagged with where it came from, without letting one bad record
 * take the others with it.
 *
 * Accepted shapes: NDJSON (one JSON value per line; blank lines skipped but counted, so `line` always matches
 * the sender's file), a JSON array (record `line` = 1-based element index), or one JSON object, which a source
 * may unwrap into many records (CloudTrail's `{"Records": [...]}`).
 */
export type SplitRecord =
  | { line: number; ok: true; value: unknown; text: string }
  | { line: number; ok: false; text: string; message: string };

export type BodyFormat = 'ndjson' | 'json_array' | 'json_object';

export type SplitResult =
  | { ok: true; format: BodyFormat; records: SplitRecord[] }
  | { ok: false; message: string };

/** Turns one whole-body JSON object into records, or returns null to keep it as a single record. */
export type EnvelopeExpander = (value: Record<string, unknown>) => unknown[] | null;

export function splitJsonRecords(body: string, expandEnvelope?: EnvelopeExpander): SplitResult {
  const start = firstNonSpace(body);
  if (start === -1) return { ok: false, message: 'The body is empty: send NDJSON (one event per line) or a JSON array.' };

  if (body[start] === '[') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (err) {
      return {
        ok: false,
        message: `The body starts with '[' but is not a valid JSON array (${errorText(err)}). Send a JSON array or NDJSON.`,
      };
    }
    const items = parsed as unknown[];
    return {
      ok: true,
      format: 'json_array',
      records: items.map((value, i) => ({ line: i + 1, ok: true as const, value, text: JSON.stringify(value) })),
    };
  }

  if (body[start] === '{') {
    const whole = tryParse(body);
    if (whole.ok && isPlainObject(whole.value)) {
      const expanded = expandEnvelope?.(whole.value) ?? null;
      if (expanded) {
        return {
          ok: true,
          format: 'json_object',
          records: expanded.map((value, i) => ({ line: i + 1, ok: true as const, value, text: JSON.stringify(value) })),
        };
      }
      // A single (possibly pretty-printed) object is one record, unless it is one line of NDJSON anyway.
      return { ok: true, format: 'json_object', records: [{ line: 1, ok: true, value: whole.value, text: body.trim() }] };
    }
  }

  return { ok: true, format: 'ndjson', records: splitNdjson(body) };
}

function splitNdjson(body: string): SplitRecord[] {
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
      const parsed = tryParse(text);
      records.push(
        parsed.ok
          ? { line: lineNo, ok: true, value: parsed.value, text }
          : { line: lineNo, ok: false, text, message: `not valid JSON (${parsed.message})` },
      );
    }
    if (nl === -1) break;
  }
  return records;
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
