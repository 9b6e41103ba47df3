/**
 * CrowdStrike Falcon record → normalized event: detects the feed from the record's shape and hands it to that
 * feed's normalizer. Pure; never throws.
 *
 * Feeds, in detection order:
 * 1. Event Streams: `metadata.eventType` (with or without `event`).
 * 2. Falcon Data Replicator: an event name (`event_simpleName`, `event_simplename`, `fdr_event_type`) at the
 *    top level or inside Panther's `event` wrapper, or an `ExternalApiType` inside it.
 * 3. Alerts API v1/v2: `composite_id`, or an alert id (`ind:…`, `ldt:…`).
 * 4. Spotlight vulnerabilities: a `cve` object or a `vulnerability_id`.
 * 5. Hosts: `device_id` with host fields (`hostname`, `platform_name`, `agent_version`, `last_seen`).
 * An empty object is kept as an empty event (exports such as Panther's emit records whose every field was
 * vendor metadata); any other object with none of these is refused as not CrowdStrike.
 */
import type { ParseResult, RecordParser } from '../../core/schema/event';
import { isPlainObject } from '../../core/ingest/split-records';
import { blankEvent } from './event-draft';
import { normalizeAlert, normalizeHost, normalizeVulnerability } from './normalize-api-resource';
import { normalizeFdrEvent } from './normalize-fdr-event';
import { normalizeStreamEvent } from './normalize-stream-event';
import { isEventStreamRecord, isFdrRecord } from './telemetry-schema';

export const normalizeCrowdStrikeRecord: RecordParser = (record, ctx): ParseResult => {
  if (!isPlainObject(record)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a CrowdStrike Falcon record (a JSON object), got ${Array.isArray(record) ? 'an array' : typeof record}`,
    };
  }
  if (isEventStreamRecord(record)) return { ok: true, event: normalizeStreamEvent(record, ctx) };
  if (isFdrRecord(record)) return { ok: true, event: normalizeFdrEvent(record, ctx) };
  if ('composite_id' in record || isAlertId(record.id)) return { ok: true, event: normalizeAlert(record, ctx) };
  if ('cve' in record || 'vulnerability_id' in record) return { ok: true, event: normalizeVulnerability(record, ctx) };
  if ('device_id' in record && ('hostname' in record || 'platform_name' in record || 'agent_version' in record || 'last_seen' in record)) {
    return { ok: true, event: normalizeHost(record, ctx) };
  }
  if (Object.keys(record).length === 0) return { ok: true, event: blankEvent(ctx, null, null) };
  return {
    ok: false,
    reason: 'unrecognized_shape',
    message:
      'not a CrowdStrike Falcon record: expected an Event Streams record (metadata.eventType), an FDR event (event_simpleName), an alert (composite_id), a Spotlight vulnerability (cve) or a host (device_id)',
  };
};

function isAlertId(id: unknown): boolean {
  return typeof id === 'string' && (id.startsWith('ind:') || id.startsWith('ldt:'));
}
