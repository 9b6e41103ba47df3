/**
 * Google Cloud Audit Logs entry: a Cloud Logging LogEntry
 * (https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry) whose `protoPayload` is an AuditLog
 * (`@type: type.googleapis.com/google.cloud.audit.AuditLog`,
 * https://cloud.google.com/logging/docs/reference/audit/auditlog/rest/Shared.Types/AuditLog). Admin Activity,
 * Data Access, System Event and Policy Denied logs differ only in `logName` (`…/logs/cloudaudit.googleapis.com%2F
 * activity | data_access | system_event | policy`). Pub/Sub push envelopes are unwrapped before the parser runs.
 *
 * Real exports are messy and the schema is lenient: pipelines lower-case top-level keys (`protopayload`,
 * `insertid`) or rename `@type` to `at_sign_type`, `requestMetadata.callerIp` appears as `callerIP`, and some
 * tools flatten the AuditLog fields to the top level.
 */
import { z } from 'zod';
import { lenient, restoreKeyCase } from '../shared/lenient';

const stringMap = z.record(z.string(), z.unknown());

export const auditLogSchema = z.looseObject({
  serviceName: lenient(z.string()),
  methodName: lenient(z.string()),
  resourceName: lenient(z.string()),
  /** A google.rpc.Status: code 0 (or absent) is OK; the codes are gRPC's. */
  status: lenient(z.looseObject({ code: lenient(z.union([z.number(), z.string()])), message: lenient(z.string()) }).nullable()),
  authenticationInfo: lenient(
    z.looseObject({
      principalEmail: lenient(z.string()),
      principalSubject: lenient(z.string()),
      serviceAccountKeyName: lenient(z.string()),
      serviceAccountDelegationInfo: lenient(z.array(z.unknown())),
    }),
  ),
  authorizationInfo: lenient(
    z.array(lenient(z.looseObject({ permission: lenient(z.string()), granted: lenient(z.boolean()), resource: lenient(z.string()) }))),
  ),
  requestMetadata: lenient(
    z.looseObject({
      callerIp: lenient(z.string()),
      callerIP: lenient(z.string()),
      callerSuppliedUserAgent: lenient(z.string()),
    }),
  ),
  request: lenient(stringMap),
  response: lenient(stringMap),
  metadata: lenient(stringMap),
  /** Deprecated by `metadata`, still where IAM writes its AuditData (`policyDelta.bindingDeltas`). */
  serviceData: lenient(stringMap),
});
export type AuditLog = z.infer<typeof auditLogSchema>;

export const logEntrySchema = z.looseObject({
  insertId: lenient(z.string()),
  logName: lenient(z.string()),
  timestamp: lenient(z.union([z.string(), z.number()])),
  receiveTimestamp: lenient(z.union([z.string(), z.number()])),
  severity: lenient(z.string()),
  resource: lenient(z.looseObject({ type: lenient(z.string()), labels: lenient(stringMap) })),
  operation: lenient(z.looseObject({ id: lenient(z.string()), producer: lenient(z.string()) })),
  protoPayload: lenient(auditLogSchema),
  jsonPayload: lenient(stringMap),
  textPayload: lenient(z.string()),
});
export type LogEntry = z.infer<typeof logEntrySchema>;

const camelKeys = ['insertId', 'logName', 'receiveTimestamp', 'protoPayload', 'jsonPayload', 'textPayload'] as const;

/** AuditLog fields that, found at the top level, mean a tool flattened the payload into the entry. */
const flattenedAuditLogKeys = ['methodName', 'serviceName', 'authenticationInfo', 'resourceName'] as const;

export interface AuditLogEntry {
  readonly entry: LogEntry;
  /** The AuditLog, from `protoPayload` or from the top level of a flattened entry; null for other payloads. */
  readonly auditLog: AuditLog | null;
}

export function readAuditLogEntry(record: Record<string, unknown>): AuditLogEntry {
  const entry = logEntrySchema.parse(restoreKeyCase(record, camelKeys));
  if (entry.protoPayload) return { entry, auditLog: entry.protoPayload };
  return { entry, auditLog: flattenedAuditLogKeys.some((k) => k in record) ? auditLogSchema.parse(record) : null };
}

/** LogEntry fields that name a record as Cloud Logging's, whatever its payload. */
const logEntryKeys = ['insertId', 'logName', 'protoPayload', 'receiveTimestamp', 'jsonPayload', 'textPayload'] as const;

export function isLogEntry(record: Record<string, unknown>, entry: LogEntry, auditLog: AuditLog | null): boolean {
  if (auditLog) return true;
  if (logEntryKeys.some((k) => entry[k] !== undefined)) return true;
  // `operation` alone: a LogEntryOperation names its producer ("k8s.io", "compute.googleapis.com").
  return record.operation !== undefined && entry.operation?.producer !== undefined;
}
