/**
 * VPC flow log record → normalized event (OCSF 4001 Network Activity). Pure; never throws.
 *
 * A record is a text line (default format, or the "all fields" line of a version), an object keyed by the field
 * names of a header line (the splitter's work), or a JSON object. `NODATA` and `SKIPDATA` records are events with
 * an unknown outcome. Text records get `raw` = JSON of native field names → values, so that rules can read
 * `$.srcaddr` whatever the delivery.
 */
import type { EventDraft, Outcome, ParseContext, ParseResult, RecordParser } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { ipAddress, text } from '../shared/lenient';
import { canonicalKey, fieldsByCanonicalKey, flowLogHeader, knownCanonicalKeys, positionalLayout } from './flow-log-record-schema';

export const normalizeFlowLogRecord: RecordParser = (record, ctx): ParseResult => {
  if (typeof record === 'string') return fromLine(record, ctx);
  if (!isPlainObject(record)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a VPC flow log line or JSON object, got ${Array.isArray(record) ? 'an array' : typeof record}`,
    };
  }
  const fields = fieldsByCanonicalKey(record);
  if (![...fields.keys()].some((key) => knownCanonicalKeys.has(key))) {
    return {
      ok: false,
      reason: 'unrecognized_shape',
      message: 'not a VPC flow log record: none of its keys is a flow log field (srcaddr, dstaddr, action, log-status, …)',
    };
  }
  // Objects keyed by native names come from a header line: the pipeline's record text is the original line.
  const fromHeader = Object.keys(record).every((key) => nativeName.test(key));
  return { ok: true, event: toEvent(fields, ctx, fromHeader ? JSON.stringify(record) : undefined) };
};

const nativeName = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const layoutSummary = 'the default format (version 2, 14 fields) or the "all fields" order of a version (3: 21, 4: 25, 5: 29, 7: 39, 8: 40 fields)';

function fromLine(line: string, ctx: ParseContext): ParseResult {
  if (flowLogHeader(line)) {
    return {
      ok: false,
      reason: 'invalid_field',
      message: `header line "${clip(line)}": it names the fields of a custom format and is not a flow record; send it as the first line of a text body (the lines after it are read in its order), or use the JSON format`,
    };
  }
  const values = line.trim().split(/\s+/);
  const layout = positionalLayout(values[0]!, values.length);
  if (!layout) {
    return {
      ok: false,
      reason: 'invalid_field',
      message: `a flow log line of ${values.length} fields starting "${clip(values[0]!)}" matches neither ${layoutSummary}; send a custom format with its header line first, or as JSON`,
    };
  }
  const native: Record<string, string> = {};
  const fields = new Map<string, unknown>();
  for (let i = 0; i < layout.length; i++) {
    native[layout[i]!] = values[i]!;
    fields.set(canonicalKey(layout[i]!), values[i]);
  }
  return { ok: true, event: toEvent(fields, ctx, JSON.stringify(native)) };
}

function toEvent(f: Map<string, unknown>, ctx: ParseContext, raw: string | undefined): EventDraft {
  const flowAction = text(f.get('action'))?.toUpperCase() ?? null;
  const logStatus = (text(f.get('logstatus')) ?? text(f.get('status')))?.toUpperCase() ?? null;
  const noFlow = logStatus === 'NODATA' || logStatus === 'SKIPDATA' ? logStatus : null;
  const time = toIsoMillis(f.get('start')) ?? toIsoMillis(f.get('end'));
  const destination = ipAddress(f.get('dstaddr'));
  const event: EventDraft = {
    event_id: null,
    source: ctx.source,
    event_time: time ?? ctx.ingestTime,
    event_time_inferred: time === null,
    ingest_time: ctx.ingestTime,
    class_uid: 4001,
    class_name: 'Network Activity',
    // A flow record without the (optional) action field is still a flow: its verdict is just unknown.
    action: flowAction ?? noFlow ?? 'FLOW',
    identity_action: null,
    outcome: outcomeOf(flowAction),
    outcome_reason: text(f.get('rejectreason')) ?? noFlow,
    severity: null,
    actor: null,
    actor_id: null,
    actor_name: null,
    actor_type: null,
    src_ip: ipAddress(f.get('srcaddr')),
    src_country: null,
    src_region: null,
    src_city: null,
    src_lat: null,
    src_lon: null,
    src_asn: null,
    src_asn_org: null,
    user_agent: null,
    service: text(f.get('pktdstawsservice')),
    target: destination,
    target_type: destination ? 'IPAddress' : null,
    session_id: null,
    mfa_factor: null,
    message: null,
  };
  if (raw !== undefined) event.raw = raw;
  return event;
}

function outcomeOf(action: string | null): Outcome {
  if (action === 'ACCEPT') return 'success';
  if (action === 'REJECT') return 'failure';
  return 'unknown';
}

function clip(s: string): string {
  const t = s.trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}
