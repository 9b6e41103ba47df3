/**
 * Microsoft 365 records, in the two shapes users send them:
 *
 * - Office 365 Management Activity API audit records (the unified audit log): the common schema
 *   (`Id`, `RecordType`, `CreationTime` in UTC without a zone, `Operation`, `UserId`, `ClientIP`, `Workload`,
 *   `ResultStatus`...) plus each workload's fields — Azure AD logons (`LogonError`, `ErrorNumber`,
 *   `ExtendedProperties`), directory changes (`ModifiedProperties`, `Actor`, `Target`), Exchange cmdlets
 *   (`Parameters`), SharePoint/OneDrive files (`SiteUrl`, `SourceFileName`, `ItemType`).
 *   https://learn.microsoft.com/en-us/office/office-365-management-api/office-365-management-activity-api-schema
 * - Exchange Online message trace rows (Reporting Web Service `MessageTrace`, as collected by the Cribl pack):
 *   `MessageTraceId`, `Received`, `SenderAddress`, `RecipientAddress`, `Subject`, `Status`, `FromIP`, `ToIP`...
 *   https://learn.microsoft.com/en-us/previous-versions/office/developer/o365-enterprise-developers/jj984335(v=office.15)
 *
 * Every field is optional and lenient. Some pipelines lower-case every key (`clientip`, `creationtime`); the
 * documented PascalCase is restored before parsing. OData pages (`{"value": [...]}` with OData metadata, or the
 * verbose `{"d": {"results": [...]}}`) are unwrapped by `expandM365Container`.
 */
import { z } from 'zod';
import { isPlainObject } from '../../core/ingest/split-records';
import { lenient, restoreKeyCase } from '../shared/lenient';

const str = lenient(z.string().nullable());
const numOrStr = lenient(z.union([z.number(), z.string()]).nullable());
function list<T extends z.ZodType>(item: T) {
  return lenient(z.array(lenient(item)).nullable());
}
const nameValue = z.looseObject({ Name: str, Value: str });

export const auditRecordSchema = z.looseObject({
  Id: str,
  RecordType: numOrStr,
  CreationTime: str,
  Operation: str,
  OrganizationId: str,
  UserType: numOrStr,
  UserKey: str,
  UserId: str,
  Workload: str,
  ResultStatus: str,
  ObjectId: str,
  ClientIP: str,
  ClientIPAddress: str,
  ActorIpAddress: str,
  UserAgent: str,
  ClientInfoString: str,
  SessionId: str,
  LogonError: str,
  ErrorNumber: numOrStr,
  ItemType: str,
  ExtendedProperties: list(nameValue),
  ModifiedProperties: list(z.looseObject({ Name: str, OldValue: str, NewValue: str })),
  Actor: list(z.looseObject({ ID: str, Type: numOrStr })),
  Target: list(z.looseObject({ ID: str, Type: numOrStr })),
  Parameters: list(nameValue),
  AppAccessContext: lenient(z.looseObject({ AADSessionId: str, CorrelationId: str }).nullable()),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;

export const messageTraceSchema = z.looseObject({
  MessageTraceId: str,
  MessageId: str,
  Received: str,
  SenderAddress: str,
  RecipientAddress: str,
  Subject: str,
  Status: str,
  FromIP: str,
  ToIP: str,
  Size: numOrStr,
  Organization: str,
});
export type MessageTrace = z.infer<typeof messageTraceSchema>;

/** Documented PascalCase keys that lower-casing pipelines break. */
const pascalKeys = [
  'Id', 'RecordType', 'CreationTime', 'Operation', 'OrganizationId', 'UserType', 'UserKey', 'UserId', 'Workload',
  'ResultStatus', 'ObjectId', 'ClientIP', 'ClientIPAddress', 'ActorIpAddress', 'UserAgent', 'ClientInfoString',
  'SessionId', 'LogonError', 'ErrorNumber', 'ItemType', 'ExtendedProperties', 'ModifiedProperties', 'Actor',
  'Target', 'Parameters', 'AppAccessContext', 'MessageTraceId', 'MessageId', 'Received', 'SenderAddress',
  'RecipientAddress', 'Subject', 'Status', 'FromIP', 'ToIP', 'Size', 'Organization',
] as const;

export function restorePascalKeys(record: Record<string, unknown>): Record<string, unknown> {
  return restoreKeyCase(record, pascalKeys);
}

/** OData pages of message trace (or of anything else Microsoft serves over OData) → their rows; else null. */
export function expandM365Container(value: Record<string, unknown>): unknown[] | null {
  if (isPlainObject(value.d) && Array.isArray(value.d.results)) return value.d.results;
  const odata = '@odata.context' in value || 'odata.metadata' in value || '@odata.nextLink' in value || 'odata.nextLink' in value;
  return odata && Array.isArray(value.value) ? value.value : null;
}
