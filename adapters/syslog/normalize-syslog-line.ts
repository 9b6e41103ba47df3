/**
 * Syslog line → normalized event. Pure; never throws. Syslog is the catch-all of line logs: every line is
 * accepted (an empty one never reaches a parser), a line that is no syslog at all becomes a message whose time
 * is inferred. JSON objects a relay made of a syslog message are accepted when they carry its text.
 *
 * Invariants:
 * - `raw` of a line is the JSON of its SyslogMessage (RFC 5424 field names, null where the line has none);
 *   JSON relay records leave `raw` to the pipeline, which stores them as received.
 * - `severity` comes from PRI only (RFC 5424 §6.2.1 Table 2): 0 Emergency, 1 Alert, 2 Critical → critical;
 *   3 Error → high; 4 Warning → medium; 5 Notice → low; 6 Informational, 7 Debug → info. No PRI, no severity.
 * - `action` is MSGID (RFC 5424's "type of message"), else APP-NAME (the program), else `syslog`.
 */
import type { EventDraft, ParseContext, ParseResult, RecordParser, Severity } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { integer, principalName, text } from '../shared/lenient';
import { parseSyslogLine } from './parse-syslog-line';
import { recognizeSecurityMessage } from './recognize-security-message';
import { syslogRelayRecordSchema, type SyslogMessage } from './syslog-schema';

export const normalizeSyslogLine: RecordParser = (value, ctx): ParseResult => {
  if (typeof value === 'string') {
    const { message, time } = parseSyslogLine(value, ctx.ingestTime);
    return { ok: true, event: toEvent(message, time, ctx, JSON.stringify(message)) };
  }
  if (isPlainObject(value)) return fromRelayRecord(value, ctx);
  return {
    ok: false,
    reason: 'not_an_object',
    message: `expected a syslog line (text) or a relay's JSON object with its message, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`,
  };
};

const severities: readonly Severity[] = ['critical', 'critical', 'critical', 'high', 'medium', 'low', 'info', 'info'];

function toEvent(m: SyslogMessage, time: string | null, ctx: ParseContext, raw: string | undefined): EventDraft {
  const security = recognizeSecurityMessage(m.app_name, m.msg);
  const event: EventDraft = {
    event_id: null,
    source: ctx.source,
    event_time: time ?? ctx.ingestTime,
    event_time_inferred: time === null,
    ingest_time: ctx.ingestTime,
    class_uid: security?.class_uid ?? null,
    class_name: security?.class_name ?? null,
    action: m.msgid ?? m.app_name ?? 'syslog',
    identity_action: security?.identity_action ?? null,
    outcome: security?.outcome ?? 'unknown',
    outcome_reason: security?.outcome_reason ?? null,
    severity: m.severity === null ? null : (severities[m.severity] ?? null),
    actor: principalName(security?.actor),
    actor_id: null,
    actor_name: null,
    actor_type: null,
    src_ip: security?.src_ip ?? null,
    src_country: null,
    src_region: null,
    src_city: null,
    src_lat: null,
    src_lon: null,
    src_asn: null,
    src_asn_org: null,
    user_agent: null,
    service: m.app_name,
    // The host the message is about, unless the message names its own target (sudo's run-as user).
    target: security?.target ?? m.hostname,
    target_type: security?.target ? security.target_type : m.hostname ? 'host' : null,
    session_id: null,
    mfa_factor: null,
    // sudo pads the user name to align its columns; the column is for reading, raw keeps the text as sent
    message: m.msg?.trimStart() || null,
  };
  if (raw !== undefined) event.raw = raw;
  return event;
}

function fromRelayRecord(record: Record<string, unknown>, ctx: ParseContext): ParseResult {
  const r = syslogRelayRecordSchema.parse(record);
  const line = r.message ?? r.msg ?? r.MESSAGE;
  if (line === undefined) {
    return {
      ok: false,
      reason: 'unrecognized_shape',
      message: 'a JSON object is read as syslog only when it carries the message text (message, msg or MESSAGE); send other JSON to the json source',
    };
  }
  const parsed = parseSyslogLine(line, ctx.ingestTime);
  const m: SyslogMessage = { ...parsed.message };
  m.hostname ??= text(r.hostname) ?? text(r.host) ?? text(r._HOSTNAME);
  m.app_name ??= text(r.app_name) ?? text(r.appname) ?? text(r.programname) ?? text(r.ident) ?? text(r.SYSLOG_IDENTIFIER);
  m.procid ??= idText(r.procid) ?? idText(r.pid) ?? idText(r._PID);
  m.msgid ??= text(r.msgid);
  m.severity ??= severityNumber(r.severity) ?? severityNumber(r.PRIORITY);
  m.facility ??= facilityNumber(r.facility) ?? facilityNumber(r.SYSLOG_FACILITY);
  const time = parsed.time ?? relayTime(r['@timestamp']) ?? relayTime(r.timestamp) ?? relayTime(r.time) ?? relayTime(r.__REALTIME_TIMESTAMP);
  return { ok: true, event: toEvent(m, time, ctx, undefined) };
}

function idText(value: unknown): string | null {
  return typeof value === 'number' ? String(value) : text(value);
}

/** Relay timestamps: RFC 3339, epoch seconds/milliseconds, or journald's microseconds. */
function relayTime(value: unknown): string | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{15,17}$/.test(value) ? Number(value) : null;
  if (n !== null && n >= 1e14) return toIsoMillis(n / 1000);
  return toIsoMillis(value);
}

const severityNames: Record<string, number> = {
  emerg: 0, emergency: 0, panic: 0, alert: 1, crit: 2, critical: 2, err: 3, error: 3,
  warning: 4, warn: 4, notice: 5, info: 6, informational: 6, debug: 7,
};

const facilityNames: Record<string, number> = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9, authpriv: 10,
  ftp: 11, ntp: 12, security: 13, audit: 13, console: 14, solaris_cron: 15, clock: 15,
  local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23,
};

function severityNumber(value: unknown): number | null {
  const n = integer(value);
  if (n !== null) return n >= 0 && n <= 7 ? n : null;
  return severityNames[text(value)?.toLowerCase() ?? ''] ?? null;
}

function facilityNumber(value: unknown): number | null {
  const n = integer(value);
  if (n !== null) return n >= 0 && n <= 23 ? n : null;
  return facilityNames[text(value)?.toLowerCase().replace('-', '_') ?? ''] ?? null;
}
