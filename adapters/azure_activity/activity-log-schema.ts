/**
 * Azure Monitor Activity Log records, in the two shapes Azure sends them:
 *
 * - Diagnostic-settings export (Event Hub, storage account, Log Analytics export), the "resource log" schema
 *   shared by every Azure Monitor resource log: `{time, resourceId, operationName, category, resultType,
 *   resultSignature, callerIpAddress, correlationId, identity: {authorization, claims}, level, properties}`
 *   (https://learn.microsoft.com/en-us/azure/azure-monitor/platform/activity-log-schema#schema-from-storage-account-and-event-hubs).
 *   Event Hub and storage deliver records in batches of `{"records": [...]}`, unwrapped by the source's `expand`.
 *   Resource logs of other categories in the same schema (storage `StorageRead`, AKS `kube-audit`) come along.
 * - Activity Log REST API / `az monitor activity-log list` (EventData,
 *   https://learn.microsoft.com/en-us/rest/api/monitor/activity-logs/list#eventdata): `{eventTimestamp,
 *   operationName: {value, localizedValue}, status: {value}, caller, claims, authorization, eventDataId,
 *   httpRequest: {clientIpAddress}}`, in pages of `{"value": [...], "nextLink"}`, also unwrapped by `expand`.
 *
 * Both are read by one lenient schema: the shared fields differ only in being a string or `{value}`.
 */
import { z } from 'zod';
import { lenient } from '../shared/lenient';
import { isPlainObject } from '../../core/ingest/split-records';

/** REST fields are localizable: `{"value": "Succeeded", "localizedValue": "Succeeded"}`; exports send the string. */
const localizable = z.union([z.string(), z.looseObject({ value: lenient(z.string()), localizedValue: lenient(z.string()) })]);
const stringMap = z.record(z.string(), z.unknown());

const authorization = z.looseObject({
  action: lenient(z.string()),
  scope: lenient(z.string()),
  /** The role assignment that allowed the caller (not one the call created). */
  evidence: lenient(
    z.looseObject({
      principalId: lenient(z.string()),
      principalType: lenient(z.string()),
      role: lenient(z.string()),
      roleAssignmentId: lenient(z.string()),
    }),
  ),
});

export const activityLogRecordSchema = z.looseObject({
  // shared
  operationName: lenient(localizable),
  category: lenient(localizable),
  resourceId: lenient(z.string()),
  correlationId: lenient(z.string()),
  level: lenient(z.string()),
  properties: lenient(stringMap),
  tenantId: lenient(z.string()),
  // diagnostic-settings export (resource log schema)
  time: lenient(z.union([z.string(), z.number()])),
  resultType: lenient(z.string()),
  resultSignature: lenient(z.union([z.string(), z.number()])),
  resultDescription: lenient(z.string()),
  callerIpAddress: lenient(z.string()),
  identity: lenient(
    z.looseObject({
      authorization: lenient(authorization),
      claims: lenient(stringMap),
      /** Storage resource logs: how the request was authorized (OAuth, SAS, AccountKey, Anonymous) and by whom. */
      type: lenient(z.string()),
      requester: lenient(z.looseObject({ upn: lenient(z.string()), objectId: lenient(z.string()), appId: lenient(z.string()) })),
    }),
  ),
  /** Storage resource logs: the HTTP status of the request. */
  statusCode: lenient(z.union([z.number(), z.string()])),
  statusText: lenient(z.string()),
  // REST API (EventData)
  eventTimestamp: lenient(z.union([z.string(), z.number()])),
  eventDataId: lenient(z.string()),
  status: lenient(localizable),
  subStatus: lenient(localizable),
  caller: lenient(z.string()),
  claims: lenient(stringMap),
  authorization: lenient(authorization),
  httpRequest: lenient(z.looseObject({ clientIpAddress: lenient(z.string()), clientRequestId: lenient(z.string()), method: lenient(z.string()) })),
  resourceProviderName: lenient(localizable),
  resourceType: lenient(localizable),
  description: lenient(z.string()),
});
export type ActivityLogRecord = z.infer<typeof activityLogRecordSchema>;

export function readActivityLogRecord(record: Record<string, unknown>): ActivityLogRecord {
  return activityLogRecordSchema.parse(record);
}

/** The string of a field that is either a string or a REST `{value}` object. */
export function localizedValue(field: z.infer<typeof localizable> | undefined): string | undefined {
  return typeof field === 'string' ? field : field?.value;
}

/**
 * Batches: `{"records": [...]}` from diagnostic settings (Event Hub, storage), `{"value": [...]}` pages of the REST
 * API. Anything else (including a record that happens to have a `value` field) is kept as one record.
 */
export function expandActivityLogBatch(value: Record<string, unknown>): unknown[] | null {
  if (Array.isArray(value.records) && value.operationName === undefined) return value.records;
  if (Array.isArray(value.value) && value.operationName === undefined && value.value.every(isPlainObject)) return value.value;
  return null;
}
