/**
 * Microsoft Entra ID (Azure AD) records, in the two shapes users send them:
 *
 * - Microsoft Graph, camelCase, one resource per record:
 *   - sign-ins (`/auditLogs/signIns`): https://learn.microsoft.com/en-us/graph/api/resources/signin
 *   - directory audits (`/auditLogs/directoryAudits`): https://learn.microsoft.com/en-us/graph/api/resources/directoryaudit
 *   - security alerts (legacy `/security/alerts` and `/security/alerts_v2`):
 *     https://learn.microsoft.com/en-us/graph/api/resources/alert and
 *     https://learn.microsoft.com/en-us/graph/api/resources/security-alert
 *   - Identity Protection risk detections: https://learn.microsoft.com/en-us/graph/api/resources/riskdetection
 * - Azure Monitor diagnostic settings (Event Hub, storage account): an envelope `{time, category, operationName,
 *   resultType, callerIpAddress, ..., properties: {...}}` whose `properties` is the Graph resource
 *   (https://learn.microsoft.com/en-us/azure/azure-monitor/essentials/resource-logs-schema and
 *   https://learn.microsoft.com/en-us/entra/identity/monitoring-health/howto-stream-logs-to-event-hub).
 *   Some pipelines lower-case the envelope's keys (`calleripaddress`, `resulttype`); we restore them.
 *
 * Every field is optional and lenient: a field of the wrong type reads as absent instead of failing the record.
 * Containers are unwrapped by `expandEntraContainer`: an Event Hub message `{"records": [...]}` and a Graph
 * collection page `{"@odata.context": ..., "value": [...]}`.
 */
import { z } from 'zod';
import { lenient, restoreKeyCase } from '../shared/lenient';

const str = lenient(z.string().nullable());
const num = lenient(z.number().nullable());
const bool = lenient(z.boolean().nullable());
const numOrStr = lenient(z.union([z.number(), z.string()]).nullable());
function list<T extends z.ZodType>(item: T) {
  return lenient(z.array(lenient(item)).nullable());
}

export const signInSchema = z.looseObject({
  id: str,
  createdDateTime: str,
  userDisplayName: str,
  userPrincipalName: str,
  userId: str,
  userType: str,
  appId: str,
  appDisplayName: str,
  ipAddress: str,
  clientAppUsed: str,
  userAgent: str,
  correlationId: str,
  sessionId: str,
  isInteractive: bool,
  conditionalAccessStatus: str,
  authenticationRequirement: str,
  riskLevelDuringSignIn: str,
  riskState: str,
  resourceDisplayName: str,
  resourceId: str,
  servicePrincipalId: str,
  servicePrincipalName: str,
  managedIdentityType: str,
  autonomousSystemNumber: numOrStr,
  status: lenient(
    z.looseObject({ errorCode: numOrStr, failureReason: str, additionalDetails: str }).nullable(),
  ),
  deviceDetail: lenient(
    z.looseObject({ deviceId: str, displayName: str, operatingSystem: str, browser: str }).nullable(),
  ),
  location: lenient(
    z.looseObject({
      city: str,
      state: str,
      countryOrRegion: str,
      geoCoordinates: lenient(z.looseObject({ latitude: num, longitude: num }).nullable()),
    }).nullable(),
  ),
  authenticationDetails: list(
    z.looseObject({
      authenticationMethod: str,
      authenticationMethodDetail: str,
      authenticationStepRequirement: str,
      authenticationStepResultDetail: str,
      succeeded: bool,
    }),
  ),
  mfaDetail: lenient(z.looseObject({ authMethod: str, authDetail: str }).nullable()),
});
export type SignIn = z.infer<typeof signInSchema>;

const keyValue = z.looseObject({ key: str, value: str });

export const directoryAuditSchema = z.looseObject({
  id: str,
  category: str,
  correlationId: str,
  result: str,
  resultReason: str,
  activityDisplayName: str,
  activityDateTime: str,
  loggedByService: str,
  operationType: str,
  operationName: str,
  userAgent: str,
  initiatedBy: lenient(
    z.looseObject({
      user: lenient(
        z.looseObject({ id: str, displayName: str, userPrincipalName: str, ipAddress: str }).nullable(),
      ),
      app: lenient(
        z.looseObject({ appId: str, displayName: str, servicePrincipalId: str, servicePrincipalName: str }).nullable(),
      ),
    }).nullable(),
  ),
  targetResources: list(
    z.looseObject({
      id: str,
      displayName: str,
      type: str,
      userPrincipalName: str,
      modifiedProperties: list(z.looseObject({ displayName: str, oldValue: str, newValue: str })),
    }),
  ),
  additionalDetails: list(keyValue),
});
export type DirectoryAudit = z.infer<typeof directoryAuditSchema>;

export const securityAlertSchema = z.looseObject({
  id: str,
  title: str,
  description: str,
  severity: str,
  status: str,
  category: str,
  createdDateTime: str,
  eventDateTime: str,
  firstActivityDateTime: str,
  azureTenantId: str,
  serviceSource: str,
  detectionSource: str,
  vendorInformation: lenient(z.looseObject({ provider: str, vendor: str, subProvider: str }).nullable()),
  userStates: list(
    z.looseObject({ userPrincipalName: str, accountName: str, domainName: str, aadUserId: str, logonIp: str }),
  ),
  hostStates: list(z.looseObject({ fqdn: str, netBiosName: str, publicIpAddress: str })),
  evidence: list(
    z.looseObject({
      '@odata.type': str,
      ipAddress: str,
      userAccount: lenient(
        z.looseObject({ userPrincipalName: str, accountName: str, azureAdUserId: str }).nullable(),
      ),
    }),
  ),
});
export type SecurityAlert = z.infer<typeof securityAlertSchema>;

export const riskDetectionSchema = z.looseObject({
  id: str,
  requestId: str,
  correlationId: str,
  riskEventType: str,
  riskLevel: str,
  riskState: str,
  riskDetail: str,
  detectionTimingType: str,
  activity: str,
  ipAddress: str,
  detectedDateTime: str,
  activityDateTime: str,
  userId: str,
  userDisplayName: str,
  userPrincipalName: str,
  additionalInfo: str,
  location: lenient(
    z.looseObject({
      city: str,
      state: str,
      countryOrRegion: str,
      geoCoordinates: lenient(z.looseObject({ latitude: num, longitude: num }).nullable()),
    }).nullable(),
  ),
});
export type RiskDetection = z.infer<typeof riskDetectionSchema>;

/** The diagnostic-settings envelope; `properties` is read with the schema of the record it carries. */
function diagnosticEnvelope<T extends z.ZodType>(properties: T) {
  return z.looseObject({
    time: str,
    resourceId: str,
    operationName: str,
    category: str,
    tenantId: str,
    resultType: numOrStr,
    resultSignature: str,
    resultDescription: str,
    callerIpAddress: str,
    correlationId: str,
    identity: str,
    location: str,
    // Seen at the top level in some exports instead of inside properties.
    result: str,
    ipAddress: str,
    properties: lenient(properties.nullable()),
  });
}

export const diagnosticSignInSchema = diagnosticEnvelope(signInSchema);
export const diagnosticAuditSchema = diagnosticEnvelope(directoryAuditSchema);
export const diagnosticRiskSchema = diagnosticEnvelope(riskDetectionSchema);
export const diagnosticOtherSchema = diagnosticEnvelope(z.record(z.string(), z.unknown()));
export type DiagnosticEnvelope = z.infer<typeof diagnosticOtherSchema>;

/** Envelope keys Azure documents in camelCase that some pipelines lower-case. */
const envelopeKeys = [
  'operationName',
  'operationVersion',
  'resourceId',
  'tenantId',
  'resultType',
  'resultSignature',
  'resultDescription',
  'callerIpAddress',
  'correlationId',
  'durationMs',
] as const;

export function restoreEnvelopeKeys(record: Record<string, unknown>): Record<string, unknown> {
  return restoreKeyCase(record, envelopeKeys);
}

/**
 * Event Hub messages from diagnostic settings (`{"records": [...]}`) and Graph collection pages
 * (`{"value": [...], "@odata.context": ...}`) → their records; anything else → null.
 */
export function expandEntraContainer(value: Record<string, unknown>): unknown[] | null {
  if (Array.isArray(value.records)) return value.records;
  if (Array.isArray(value.value) && ('@odata.context' in value || '@odata.nextLink' in value)) return value.value;
  return null;
}
