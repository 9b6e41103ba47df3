/**
 * CrowdStrike Falcon telemetry that is pushed rather than queried:
 * - Falcon Data Replicator (FDR) events: one JSON object per sensor event, named by `event_simpleName`
 *   (ProcessRollup2, DnsRequest, NetworkConnectIP4, UserLogon…), times as epoch text (`timestamp` in ms,
 *   `ContextTimeStamp` in seconds with a fraction). Data dictionary: the Falcon console's "Events Data
 *   Dictionary" (behind a login); field names as used by public parsers, e.g. Panther's Crowdstrike.FDREvent
 *   (https://docs.panther.com/data-onboarding/supported-logs/crowdstrike), which wraps the original event in
 *   `event` and copies some fields (sometimes lower-cased) to the top level.
 * - Event Streams (`/sensors/entities/datafeed/v2`): `{metadata: {eventType, eventCreationTime, offset,
 *   customerIDString}, event: {...}}`: https://www.falconpy.io/Service-Collections/Event-Streams.html
 *
 * Invariants: every field is optional and lenient; FDR and stream fields are PascalCase as the sensor and
 * streaming API name them.
 */
import { z } from 'zod';
import { isPlainObject } from '../../core/ingest/split-records';
import { lenient } from '../shared/lenient';

const str = lenient(z.string().nullable());
const num = lenient(z.union([z.number(), z.string()]).nullable());
const flag = lenient(z.union([z.boolean(), z.string(), z.number()]).nullable());

/** The FDR fields the normalizer reads; the event's other fields pass through. */
export const fdrEventSchema = z.looseObject({
  event_simpleName: str,
  name: str,
  id: str,
  aid: str,
  aip: str,
  timestamp: num,
  ContextTimeStamp: num,
  ProcessStartTime: num,
  UTCTimestamp: num,
  event_platform: str,
  ComputerName: str,
  Hostname: str,
  HostnameField: str,
  UserName: str,
  UserSid: str,
  UserPrincipal: str,
  CommandLine: str,
  ImageFileName: str,
  DomainName: str,
  LocalAddressIP4: str,
  LocalAddressIP6: str,
  RemoteAddressIP4: str,
  RemoteAddressIP6: str,
  ConnectionDirection: num,
  SessionId: num,
  LogonType: num,
  /** Streaming-API style events replicated through FDR (Event_ExternalApiEvent). */
  ExternalApiType: str,
  CompositeId: str,
  Name: str,
  Description: str,
  Severity: num,
  SeverityName: str,
});
export type FdrEvent = z.infer<typeof fdrEventSchema>;

export const auditKeyValuesSchema = lenient(z.array(lenient(z.looseObject({ Key: str, ValueString: str }).nullable())).nullable());

/** The fields of stream events the normalizer reads, across event types (detections, audit, RTR sessions). */
export const streamEventSchema = z.looseObject({
  // Detection and incident summaries
  CompositeId: str,
  DetectId: str,
  Name: str,
  DetectName: str,
  Description: str,
  DetectDescription: str,
  Severity: num,
  SeverityName: str,
  ComputerName: str,
  Hostname: str,
  UserName: str,
  CommandLine: str,
  FileName: str,
  LocalIP: str,
  Tactic: str,
  Technique: str,
  PatternDispositionDescription: str,
  // Audit events (AuthActivityAuditEvent, UserActivityAuditEvent)
  UserId: str,
  UserIp: str,
  OperationName: str,
  ServiceName: str,
  Success: flag,
  UTCTimestamp: num,
  AuditKeyValues: auditKeyValuesSchema,
  // Remote response sessions
  SessionId: str,
  HostnameField: str,
});
export type StreamEvent = z.infer<typeof streamEventSchema>;

export const streamMetadataSchema = z.looseObject({
  eventType: str,
  eventCreationTime: num,
  offset: num,
  customerIDString: str,
});

export function isEventStreamRecord(record: Record<string, unknown>): boolean {
  return isPlainObject(record.metadata) && 'eventType' in record.metadata;
}

/**
 * An FDR event, bare or in Panther's wrapper: an event name at the top level (`event_simpleName`, Panther's
 * lower-cased `event_simplename`, `fdr_event_type`) or inside `event`.
 */
export function isFdrRecord(record: Record<string, unknown>): boolean {
  if ('event_simpleName' in record || 'event_simplename' in record || 'fdr_event_type' in record) return true;
  const inner = record.event;
  return isPlainObject(inner) && ('event_simpleName' in inner || 'ExternalApiType' in inner);
}

/**
 * The FDR event's fields with Panther's wrapper folded in: the original event (`event`) wins, the wrapper's
 * copies fill what it lacks (`aid`, `aip`, a lower-cased `event_simplename`). A bare event is returned as is.
 */
export function fdrFields(record: Record<string, unknown>): Record<string, unknown> {
  const inner = record.event;
  if (!isPlainObject(inner)) return record;
  const merged: Record<string, unknown> = { ...record, ...inner };
  delete merged.event;
  merged.event_simpleName ??= record.event_simplename ?? record.fdr_event_type;
  return merged;
}
