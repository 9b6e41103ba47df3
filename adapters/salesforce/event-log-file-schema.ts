/**
 * Salesforce EventLogFile row: one line of an Event Monitoring log file
 * (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_eventlogfile.htm,
 * field lists per event type under "EventLogFile Supported Event Types"). The same row reaches us three ways:
 * a CSV line read under the file's header row (every value a string), a JSON object from a pipeline that
 * parsed the CSV (Cribl, Panther: numbers where the column is numeric, `TIMESTAMP` sometimes rewritten as
 * `2023-05-04 21:36:47.569`), or with a pipeline's own keys added (`_raw`, `source`, `host`), which we ignore.
 *
 * Invariants: every column is optional and lenient; `EVENT_TYPE` is what makes a row an EventLogFile row.
 */
import { z } from 'zod';
import { lenient } from '../shared/lenient';

const scalar = lenient(z.union([z.string(), z.number(), z.boolean()]).nullable());
const str = lenient(z.string().nullable());

export const eventLogFileRowSchema = z.looseObject({
  EVENT_TYPE: str,
  /** `yyyyMMddHHmmss.SSS` in the file (UTC); parsers downstream often rewrite it as ISO-like text. */
  TIMESTAMP: scalar,
  TIMESTAMP_DERIVED: str,
  REQUEST_ID: str,
  ORGANIZATION_ID: str,
  USER_ID: str,
  USER_ID_DERIVED: str,
  USER_NAME: str,
  USER_TYPE: str,
  CLIENT_IP: str,
  SOURCE_IP: str,
  URI: str,
  /** ApexCallout: the external endpoint called. */
  URL: str,
  ENTITY_NAME: str,
  SESSION_KEY: str,
  LOGIN_KEY: str,
  LOGIN_STATUS: str,
  LOGIN_TYPE: str,
  BROWSER_TYPE: str,
  USER_AGENT: scalar,
  API_TYPE: str,
  CLIENT_NAME: str,
  CONNECTED_APP_ID: str,
  REQUEST_STATUS: str,
  STATUS_CODE: scalar,
  SUCCESS: scalar,
  QUERY: str,
  EXCEPTION_MESSAGE: str,
  AUTHENTICATION_METHOD_REFERENCE: str,
  /** LoginAs: the administrator who logged in as USER_ID. */
  DELEGATED_USER_ID: str,
  DELEGATED_USER_ID_DERIVED: str,
  DELEGATED_USER_NAME: str,
});
export type EventLogFileRow = z.infer<typeof eventLogFileRowSchema>;

export function isEventLogFileRow(record: Record<string, unknown>): boolean {
  return 'EVENT_TYPE' in record;
}

/**
 * The file's `TIMESTAMP` (`20250918160017.614`, UTC) as ISO-8601 text toIsoMillis reads; other forms are
 * returned unchanged for toIsoMillis to judge.
 */
export function expandCompactTimestamp(value: unknown): unknown {
  if (typeof value !== 'string' || value.length < 14) return value;
  for (let i = 0; i < 14; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return value;
  }
  const rest = value.slice(14);
  if (rest !== '' && !(rest.startsWith('.') && rest.length > 1)) return value;
  return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}T${value.slice(8, 10)}:${value.slice(10, 12)}:${value.slice(12, 14)}${rest}Z`;
}
