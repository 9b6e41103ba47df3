/**
 * One syslog line → its fields, by hand (index arithmetic and two sticky regexes, no backtracking over the
 * message): RFC 5424 (https://datatracker.ietf.org/doc/html/rfc5424 §6), the BSD format of RFC 3164
 * (https://datatracker.ietf.org/doc/html/rfc3164 §4.1), and the shapes relays produce in between.
 *
 * Invariants:
 * - Never fails: a line that is no syslog at all is a message with no header (`format: 'text'`).
 * - An RFC 6587 octet count before the PRI (`123 <34>1 …`) is framing, not content, and is dropped.
 * - Values are as written (`timestamp` is the header's text); `time` is that timestamp as UTC ISO ms, or null.
 * - RFC 3164 timestamps have no year and no zone: the year is the arrival's, or the year before when that
 *   would put the event more than a day after its arrival; the zone is UTC.
 */
import { toIsoMillis } from '../../core/schema/time';
import type { StructuredData, SyslogMessage } from './syslog-schema';

export type SyslogFormat = 'rfc5424' | 'rfc3164' | 'text';

export interface ParsedSyslogLine {
  readonly message: SyslogMessage;
  readonly format: SyslogFormat;
  /** The header's timestamp (or a leading timestamp of a plain text line) as UTC ISO ms; null if none. */
  readonly time: string | null;
}

const dayMs = 86_400_000;
const months: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

// `Mmm dd hh:mm:ss` with the day space-padded (RFC 3164 §4.1.2) or zero-padded (common), optional fraction,
// and an optional year, with or without a zone name before it (`… 05:34:00 CST 1987 host`, RFC 3164 §5.4).
const bsdTimestamp = /([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: [A-Z]{2,5} (\d{4})| (\d{4}))?(?= |$)/y;
// RFC 3339 in place of the BSD timestamp: rsyslog's high-precision and file formats.
const isoTimestamp = /(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|z|[+-]\d{2}:?\d{2})?)(?= |$)/y;
// TAG[PID]: — RFC 3164 §4.1.3 (a TAG ends at the first non-alphanumeric; programs use `/`, `-`, `.`, `_` too).
const tag = /([^\s[\]:]{1,48})(?:\[([^\]\s]{0,128})\])?:(?: |$)/y;
// A plain text line that starts with a date and time (`2026-03-02 10:15:30,123 …`).
const leadingDateTime = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:\s?(?:Z|UTC|[+-]\d{2}:?\d{2}))?)(?= |$)/;

/** Level words an application log puts where syslog puts the hostname. */
const levelWords = new Set(['TRACE', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'WARNING', 'ERROR', 'ERR', 'CRITICAL', 'FATAL']);

export function parseSyslogLine(line: string, ingestTime: string): ParsedSyslogLine {
  let pos = line.charCodeAt(0) === 0xfeff ? 1 : 0;
  pos = skipOctetCount(line, pos);

  let pri: number | null = null;
  if (line.charCodeAt(pos) === 0x3c /* < */) {
    const close = line.indexOf('>', pos);
    if (close > pos + 1 && close <= pos + 4) {
      const value = digitsValue(line, pos + 1, close);
      if (value !== null && value <= 191) {
        pri = value;
        pos = close + 1;
      }
    }
  }

  // RFC 5424: VERSION SP right after the PRI.
  if (pri !== null) {
    const versionEnd = digitsEnd(line, pos);
    if (versionEnd > pos && versionEnd - pos <= 3 && line.charCodeAt(pos) !== 0x30 && line.charCodeAt(versionEnd) === 0x20) {
      const parsed = parseRfc5424(line, pri, Number(line.slice(pos, versionEnd)), versionEnd + 1);
      if (parsed) return parsed;
    }
  }
  return parseBsd(line, pri, pos, ingestTime);
}

function parseRfc5424(line: string, pri: number, version: number, start: number): ParsedSyslogLine | null {
  let pos = start;
  const fields: string[] = [];
  for (let n = 0; n < 5; n++) {
    const end = tokenEnd(line, pos);
    if (end === pos) return null;
    fields.push(line.slice(pos, end));
    pos = end + 1;
  }
  const [timestamp, hostname, appName, procid, msgid] = fields as [string, string, string, string, string];
  const time = timestamp === '-' ? null : toIsoMillis(timestamp);
  // A header whose TIMESTAMP is neither NILVALUE nor RFC 3339 is not RFC 5424: read it as BSD instead.
  if (timestamp !== '-' && time === null) return null;

  let structuredData: StructuredData | null = null;
  let msgStart = pos;
  if (pos < line.length) {
    if (line.charCodeAt(pos) === 0x2d /* - */ && (pos + 1 === line.length || line.charCodeAt(pos + 1) === 0x20)) {
      msgStart = pos + 2;
    } else if (line.charCodeAt(pos) === 0x5b /* [ */) {
      const sd = parseStructuredData(line, pos);
      if (sd) {
        structuredData = sd.data;
        msgStart = sd.end + (line.charCodeAt(sd.end) === 0x20 ? 1 : 0);
      }
    }
  }
  const message: SyslogMessage = {
    ...header(pri, version, timestamp),
    hostname: nil(hostname),
    app_name: nil(appName),
    procid: nil(procid),
    msgid: nil(msgid),
    structured_data: structuredData,
    msg: messageText(line, msgStart),
  };
  return { message, format: 'rfc5424', time };
}

/**
 * STRUCTURED-DATA (RFC 5424 §6.3): `[SD-ID PARAM="value" …]…`. Inside a value, `\"`, `\\` and `\]` stand
 * for the character; a backslash before anything else is kept as written (§6.3.3). Null when malformed, in
 * which case the caller keeps the text as the message.
 */
function parseStructuredData(line: string, start: number): { data: StructuredData; end: number } | null {
  const data: StructuredData = {};
  let pos = start;
  while (line.charCodeAt(pos) === 0x5b) {
    pos++;
    const idEnd = nameEnd(line, pos);
    if (idEnd === pos) return null;
    const params: Record<string, string | string[]> = {};
    data[line.slice(pos, idEnd)] = params;
    pos = idEnd;
    while (line.charCodeAt(pos) === 0x20) {
      pos++;
      const nameStop = nameEnd(line, pos);
      if (nameStop === pos || line.charCodeAt(nameStop) !== 0x3d || line.charCodeAt(nameStop + 1) !== 0x22) return null;
      const name = line.slice(pos, nameStop);
      pos = nameStop + 2;
      let value = '';
      let chunk = pos;
      for (;;) {
        if (pos >= line.length) return null;
        const c = line.charCodeAt(pos);
        if (c === 0x22) break;
        if (c === 0x5c) {
          const next = line.charCodeAt(pos + 1);
          if (next === 0x22 || next === 0x5c || next === 0x5d) {
            value += line.slice(chunk, pos);
            chunk = pos + 1;
          }
          pos += 2;
          continue;
        }
        pos++;
      }
      value += line.slice(chunk, pos);
      pos++;
      // An SD-PARAM may repeat inside its element (§6.3.3): keep every value.
      const previous = params[name];
      params[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
    }
    if (line.charCodeAt(pos) !== 0x5d) return null;
    pos++;
  }
  return { data, end: pos };
}

function parseBsd(line: string, pri: number | null, start: number, ingestTime: string): ParsedSyslogLine {
  let pos = start;
  let timestamp: string | null = null;
  let time: string | null = null;

  bsdTimestamp.lastIndex = pos;
  const bsd = bsdTimestamp.exec(line);
  if (bsd) {
    timestamp = bsd[0];
    time = bsdTime(bsd, ingestTime);
    pos = bsdTimestamp.lastIndex;
  } else {
    isoTimestamp.lastIndex = pos;
    const iso = isoTimestamp.exec(line);
    if (iso) {
      timestamp = iso[1]!;
      time = toIsoMillis(timestamp);
      pos = isoTimestamp.lastIndex;
    }
  }

  if (timestamp === null) {
    // No header (RFC 3164 §4.3.2, §4.3.3): everything after the PRI is the message. A plain text line may
    // still begin with its own date and time.
    const text = messageText(line, start);
    const leading = text ? leadingDateTime.exec(text) : null;
    return {
      message: { ...header(pri, null, null), hostname: null, app_name: null, procid: null, msgid: null, structured_data: null, msg: text },
      format: pri === null ? 'text' : 'rfc3164',
      time: leading ? toIsoMillis(leading[1]) : null,
    };
  }

  while (line.charCodeAt(pos) === 0x20) pos++;
  let hostname: string | null = null;
  tag.lastIndex = pos;
  // Senders that leave the HOSTNAME out go straight to the TAG (`Oct 11 22:14:15 sshd[42]: …`).
  if (!tag.test(line)) {
    const end = tokenEnd(line, pos);
    const token = line.slice(pos, end);
    if (token && !levelWords.has(token.toUpperCase())) {
      hostname = token;
      pos = end < line.length ? end + 1 : end;
    }
  }
  let appName: string | null = null;
  let procid: string | null = null;
  tag.lastIndex = pos;
  const tagged = tag.exec(line);
  if (tagged) {
    appName = tagged[1]!;
    procid = tagged[2] || null;
    pos = tag.lastIndex;
  }
  return {
    message: {
      ...header(pri, null, timestamp),
      hostname,
      app_name: appName,
      procid,
      msgid: null,
      structured_data: null,
      msg: messageText(line, pos),
    },
    format: 'rfc3164',
    time,
  };
}

function bsdTime(m: RegExpExecArray, ingestTime: string): string | null {
  const month = months[m[1]!];
  if (month === undefined) return null;
  const day = Number(m[2]);
  const [h, mi, s] = [Number(m[3]), Number(m[4]), Number(m[5])];
  const ms = m[6] ? Number(m[6].padEnd(3, '0').slice(0, 3)) : 0;
  const written = m[7] ?? m[8];
  const ingest = Date.parse(ingestTime);
  const year = written ? Number(written) : new Date(ingest).getUTCFullYear();
  let t = Date.UTC(year, month, day, h, mi, s, ms);
  if (!written && t > ingest + dayMs) t = Date.UTC(year - 1, month, day, h, mi, s, ms);
  const d = new Date(t);
  // Date.UTC rolls Feb 30 over into March; refuse rather than move the event.
  if (d.getUTCMonth() !== month || d.getUTCDate() !== day || h > 23 || mi > 59 || s > 60) return null;
  return toIsoMillis(d.toISOString());
}

function header(pri: number | null, version: number | null, timestamp: string | null) {
  return {
    pri,
    facility: pri === null ? null : pri >> 3,
    severity: pri === null ? null : pri & 7,
    version,
    timestamp,
  };
}

/** The MSG from `start`: a leading UTF-8 BOM (RFC 5424 §6.4) is an encoding mark, not text. */
function messageText(line: string, start: number): string | null {
  if (start >= line.length) return null;
  const from = line.charCodeAt(start) === 0xfeff ? start + 1 : start;
  const text = line.slice(from).trimEnd();
  return text === '' ? null : text;
}

function nil(value: string): string | null {
  return value === '-' ? null : value;
}

function skipOctetCount(line: string, pos: number): number {
  const end = digitsEnd(line, pos);
  return end > pos && end - pos <= 7 && line.charCodeAt(end) === 0x20 && line.charCodeAt(end + 1) === 0x3c ? end + 1 : pos;
}

function digitsEnd(line: string, pos: number): number {
  let end = pos;
  while (end < line.length && line.charCodeAt(end) >= 0x30 && line.charCodeAt(end) <= 0x39) end++;
  return end;
}

function digitsValue(line: string, start: number, end: number): number | null {
  return digitsEnd(line, start) === end ? Number(line.slice(start, end)) : null;
}

function tokenEnd(line: string, pos: number): number {
  const space = line.indexOf(' ', pos);
  return space === -1 ? line.length : space;
}

/** SD-NAME: printable US-ASCII except `=`, space, `]` and `"` (RFC 5424 §6.3.2). */
function nameEnd(line: string, pos: number): number {
  let end = pos;
  for (; end < line.length; end++) {
    const c = line.charCodeAt(end);
    if (c <= 0x20 || c >= 0x7f || c === 0x3d || c === 0x5d || c === 0x22) break;
  }
  return end;
}
