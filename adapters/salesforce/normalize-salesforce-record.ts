/**
 * Salesforce record → normalized event: detects the feed from the record's shape and hands it to that feed's
 * normalizer. Pure; never throws.
 *
 * Feeds, in detection order:
 * 1. EventLogFile rows — an `EVENT_TYPE` (CSV lines read under the file's header, or JSON rows parsed
 *    by a pipeline such as Cribl or Panther).
 * 2. sObject records from the REST API — `attributes.type` (LoginHistory, SetupAuditTrail, LoginEvent, …),
 *    or, when exported without `attributes`, the fields only that type has (sobject-record-schema).
 * Anything else is refused as not Salesforce.
 */
import type { ParseResult, RecordParser } from '../../core/schema/event';
import { isPlainObject } from '../../core/ingest/split-records';
import { isEventLogFileRow } from './event-log-file-schema';
import { normalizeEventLogFileRow } from './normalize-event-log-file-row';
import { normalizeSobjectRecord } from './normalize-sobject-record';
import { sobjectType } from './sobject-record-schema';

export const normalizeSalesforceRecord: RecordParser = (record, ctx): ParseResult => {
  if (!isPlainObject(record)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a Salesforce record (a JSON object or a CSV row), got ${Array.isArray(record) ? 'an array' : typeof record}`,
    };
  }
  if (isEventLogFileRow(record)) return { ok: true, event: normalizeEventLogFileRow(record, ctx) };
  const type = sobjectType(record);
  if (type !== null) return { ok: true, event: normalizeSobjectRecord(type, record, ctx) };
  return {
    ok: false,
    reason: 'unrecognized_shape',
    message:
      'not a Salesforce record: expected an EventLogFile row (EVENT_TYPE) or an sObject record (attributes.type, or LoginHistory / SetupAuditTrail / real-time event fields)',
  };
};
