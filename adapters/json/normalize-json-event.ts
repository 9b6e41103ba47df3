/**
 * Generic JSON object → normalized event, for JSON logs no dedicated source reads. Pure; never throws. Every
 * JSON object is accepted (an empty one too: it is an event with nothing known about it); anything else is
 * rejected with what it was. Columns come from the candidate fields of json-event-schema.ts, in their order of
 * precedence; `raw` is left to the pipeline, which stores the object as received.
 */
import type { EventDraft, IdentityAction, Outcome, ParseResult, RecordParser, Severity } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { ipAddress, principalName, text } from '../shared/lenient';
import { fieldCandidates, personKeys, type FieldKind } from './json-event-schema';

/** Lower-cased candidate key → its slots in the per-record `found` array; each kind owns a contiguous range. */
const slotsByKey = new Map<string, number[]>();
const slotRange = {} as Record<FieldKind, readonly [start: number, end: number]>;
let slotCount = 0;
for (const kind of Object.keys(fieldCandidates) as FieldKind[]) {
  const start = slotCount;
  for (const key of fieldCandidates[kind]) {
    const slots = slotsByKey.get(key) ?? [];
    slots.push(slotCount++);
    slotsByKey.set(key, slots);
  }
  slotRange[kind] = [start, slotCount];
}

/** One pass over the top-level keys: each candidate's value, in slot order. */
function findCandidates(record: Record<string, unknown>): unknown[] {
  const found: unknown[] = new Array(slotCount);
  for (const key in record) {
    const slots = slotsByKey.get(key) ?? slotsByKey.get(key.toLowerCase());
    if (!slots) continue;
    const value = record[key];
    for (const slot of slots) if (found[slot] === undefined) found[slot] = value;
  }
  return found;
}

/** The first candidate of `kind` that `read` makes something of. */
function pick<T>(found: unknown[], kind: FieldKind, read: (value: unknown) => T | null): T | null {
  const [start, end] = slotRange[kind];
  for (let slot = start; slot < end; slot++) {
    const value = found[slot];
    if (value === undefined || value === null) continue;
    const result = read(value);
    if (result !== null) return result;
  }
  return null;
}

export const normalizeJsonEvent: RecordParser = (value, ctx): ParseResult => {
  if (!isPlainObject(value)) {
    const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a JSON object (one event), got ${what}${typeof value === 'string' ? '; send text lines to the syslog source' : ''}`,
    };
  }
  const found = findCandidates(value);
  const time = pick(found, 'time', readTime);
  const message = pick(found, 'message', text);
  const action = pick(found, 'action', readAction) ?? firstLine(message) ?? 'unknown';
  const outcomeValue = pick(found, 'outcome', readOutcome);
  const outcome = outcomeValue ?? 'unknown';
  const identity = identityAction(action, outcome);
  const target = pick(found, 'target', readTarget);

  const event: EventDraft = {
    event_id: pick(found, 'eventId', readId),
    source: ctx.source,
    event_time: time ?? ctx.ingestTime,
    event_time_inferred: time === null,
    ingest_time: ctx.ingestTime,
    class_uid: identity ? 3002 : null,
    class_name: identity ? 'Authentication' : null,
    action,
    identity_action: identity,
    outcome,
    outcome_reason: pick(found, 'reason', readReason) ?? pick(found, 'outcome', (v) => (isPlainObject(v) ? text(v.reason) : null)),
    severity: pick(found, 'severity', readSeverity),
    actor: pick(found, 'actor', readActor),
    actor_id: pick(found, 'actorId', readId) ?? pick(found, 'actor', (v) => (isPlainObject(v) ? readId(v) : null)),
    actor_name: null,
    actor_type: null,
    src_ip: pick(found, 'srcIp', readIp),
    src_country: null,
    src_region: null,
    src_city: null,
    src_lat: null,
    src_lon: null,
    src_asn: null,
    src_asn_org: null,
    user_agent: pick(found, 'userAgent', (v) => text(v) ?? (isPlainObject(v) ? text(v.original) : null)),
    service: pick(found, 'service', (v) => text(v) ?? (isPlainObject(v) ? text(v.name) : null)),
    target: target?.[0] ?? null,
    target_type: target?.[1] ?? null,
    session_id: pick(found, 'session', readId),
    mfa_factor: null,
    message,
  };
  return { ok: true, event };
};

/** ISO text, or an epoch in seconds, milliseconds, microseconds or nanoseconds (number or digit string). */
function readTime(value: unknown): string | null {
  let n: number | null = typeof value === 'number' ? value : null;
  if (typeof value === 'string' && value.length >= 14 && value.length <= 19 && /^\d+$/.test(value)) n = Number(value);
  if (n === null) return toIsoMillis(value);
  return toIsoMillis(n >= 1e17 ? n / 1e6 : n >= 1e14 ? n / 1e3 : n);
}

/** A string or number id, or the `id` of an object (ECS `event: {id}`). */
function readId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (isPlainObject(value)) return typeof value.id === 'object' ? null : readId(value.id);
  return text(value);
}

function readAction(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (isPlainObject(value)) return text(value.action); // ECS `event: {action, …}`
  return text(value);
}

/** A message standing in for the action: its first line, at most 120 characters. */
function firstLine(message: string | null): string | null {
  if (!message) return null;
  const end = message.indexOf('\n');
  return (end === -1 ? message : message.slice(0, end)).slice(0, 120).trim() || null;
}

const outcomeWords: Record<string, Outcome> = {
  success: 'success', succeeded: 'success', successful: 'success', ok: 'success', allow: 'success', allowed: 'success',
  pass: 'success', passed: 'success', accept: 'success', accepted: 'success', granted: 'success', approved: 'success',
  permit: 'success', permitted: 'success', true: 'success',
  failure: 'failure', failed: 'failure', fail: 'failure', error: 'failure', denied: 'failure', deny: 'failure',
  blocked: 'failure', block: 'failure', reject: 'failure', rejected: 'failure', unauthorized: 'failure',
  forbidden: 'failure', refused: 'failure', dropped: 'failure', drop: 'failure', false: 'failure',
};

/** success/failure words, booleans, HTTP status codes (1xx–3xx success, 4xx–5xx failure), `{result}` objects. */
function readOutcome(value: unknown): Outcome | null {
  if (typeof value === 'boolean') return value ? 'success' : 'failure';
  if (isPlainObject(value)) return readOutcome(value.result) ?? readOutcome(value.outcome);
  const status = typeof value === 'number' ? value : typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : null;
  if (status !== null) return status >= 100 && status < 400 ? 'success' : status >= 400 && status < 600 ? 'failure' : null;
  const word = text(value)?.toLowerCase();
  return word ? (outcomeWords[word] ?? null) : null;
}

function readReason(value: unknown): string | null {
  if (isPlainObject(value)) return text(value.message) ?? text(value.reason);
  return text(value);
}

const severityWords: Record<string, Severity> = {
  trace: 'info', debug: 'info', info: 'info', informational: 'info', notice: 'low', low: 'low',
  warn: 'medium', warning: 'medium', medium: 'medium', moderate: 'medium',
  error: 'high', err: 'high', high: 'high',
  critical: 'critical', crit: 'critical', fatal: 'critical', alert: 'critical', emerg: 'critical', emergency: 'critical', panic: 'critical',
};

function readSeverity(value: unknown): Severity | null {
  if (isPlainObject(value)) return readSeverity(value.level);
  const word = text(value)?.toLowerCase();
  return word ? (severityWords[word] ?? null) : null;
}

function readActor(value: unknown): string | null {
  if (!isPlainObject(value)) return principalName(value);
  for (const key of personKeys) {
    const name = principalName(value[key]);
    if (name) return name;
  }
  return null;
}

/** An IP, also from `ip:port`, `[v6]:port`, a forwarded-for list, or an ECS `{ip}` object. */
function readIp(value: unknown): string | null {
  if (isPlainObject(value)) return readIp(value.ip ?? value.address);
  const s = text(value);
  if (!s) return null;
  const direct = ipAddress(s);
  if (direct) return direct;
  const first = s.includes(',') ? s.slice(0, s.indexOf(',')).trim() : s;
  if (first.startsWith('[')) return ipAddress(first.slice(1, first.indexOf(']')));
  const colon = first.lastIndexOf(':');
  if (colon > 0 && first.indexOf(':') === colon) return ipAddress(first.slice(0, colon));
  return ipAddress(first);
}

function readTarget(value: unknown): [string, string | null] | null {
  if (!isPlainObject(value)) {
    const name = principalName(value) ?? (typeof value === 'number' ? String(value) : null);
    return name ? [name, null] : null;
  }
  const name = principalName(value.email) ?? text(value.name) ?? readId(value.id);
  return name ? [name, text(value.type)] : null;
}

/** Sign-in and sign-out actions named plainly; the outcome decides between success and failure. */
const signIn = new Set(['login', 'log_in', 'logon', 'signin', 'sign_in', 'sign-in', 'user.login', 'user_login', 'authenticate', 'authentication']);
const signOut = new Set(['logout', 'log_out', 'logoff', 'signout', 'sign_out', 'sign-out', 'user.logout', 'user_logout']);

function identityAction(action: string, outcome: Outcome): IdentityAction | null {
  const a = action.toLowerCase();
  if (signIn.has(a)) return outcome === 'success' ? 'auth_success' : outcome === 'failure' ? 'auth_failure' : null;
  if (signOut.has(a)) return 'session_end';
  return null;
}
