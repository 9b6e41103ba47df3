/**
 * Microsoft Entra ID (`entra_id`) for SigmaHQ's `product: azure` services `signinlogs`, `auditlogs`,
 * `riskdetection` and `pim`.
 *
 * SigmaHQ's Azure rules were written against three namings of the same records:
 * - Log Analytics / Sentinel table columns, PascalCase: `ResultType`, `ResultDescription`, `Status`,
 *   `AuthenticationRequirement`, `OperationName`, `Category`, `TargetResources`, `LoggedByService`;
 * - the diagnostic-settings export (Event Hub, storage), camelCase envelope plus `properties.*`: `resultType`,
 *   `callerIpAddress`, `location`, `properties.appId`, `properties.result`;
 * - an older connector's `properties.message` for the audit activity name.
 * Our `raw` holds either the diagnostic export (envelope + `properties`) or the Graph resource (the same keys
 * as `properties`, at the top level), and some pipelines lower-case the envelope's keys. So every name reads
 * the Graph place and the `properties` place (`nestedAlternates`), and each Log Analytics column lists where its
 * value is in both shapes. Where a column is computed by Log Analytics (`Status` = success/failure), our
 * `outcome` column, computed the same way by the parser, stands in.
 */
import type { LogsourceMapping } from '../ir';
import { column, json, nestedAlternates, normalizedColumnFields } from './field-targets';
import { knownFields as entraFields } from './known-fields/entra-id';
import { anyOf, endsWith, equals, exists } from './where-conditions';

const knownFields = entraFields;

/** A Graph resource field as it appears in both shapes: `properties.<path>` and `<path>`. */
function both(path: string) {
  return [json(`properties.${path}`), json(path)];
}

/** Fields common to the Azure services: both shapes of every known path, plus our columns. */
const common = {
  ...normalizedColumnFields(knownFields),
  ...nestedAlternates(knownFields, 'properties'),
};

// Sign-ins: Log Analytics `SigninLogs` columns.
const resultType = [json('resultType'), json('resulttype'), ...both('status.errorCode')];
const resultDescription = [json('resultDescription'), json('resultdescription'), ...both('status.failureReason')];
const signInFields = {
  ...common,
  ResultType: resultType,
  resultType,
  ResultDescription: resultDescription,
  Resultdescription: resultDescription,
  resultDescription,
  // Log Analytics' Status is {errorCode, failureReason, additionalDetails}; rules compare it with the outcome
  // ("Success") or look for text in the details ("MFA Denied; user declined the authentication").
  Status: [column('outcome'), ...both('status.additionalDetails'), ...both('status.failureReason')],
  AuthenticationRequirement: both('authenticationRequirement'),
  ConditionalAccessStatus: both('conditionalAccessStatus'),
  ResourceDisplayName: both('resourceDisplayName'),
  AppDisplayName: both('appDisplayName'),
  AppId: both('appId'),
  RiskState: both('riskState'),
  RiskLevelDuringSignIn: both('riskLevelDuringSignIn'),
  UserAgent: both('userAgent'),
  userAgent: both('userAgent'),
  UserPrincipalName: both('userPrincipalName'),
  Username: [...both('userPrincipalName'), column('actor')],
  IPAddress: [...both('ipAddress'), json('callerIpAddress'), json('calleripaddress')],
  callerIpAddress: [json('callerIpAddress'), json('calleripaddress'), ...both('ipAddress')],
  ClientApp: both('clientAppUsed'),
  ClientAppUsed: both('clientAppUsed'),
  NetworkLocationDetails: both('networkLocationDetails'),
  'DeviceDetail.deviceId': both('deviceDetail.deviceId'),
  'DeviceDetail.trusttype': both('deviceDetail.trustType'),
  'DeviceDetail.trustType': both('deviceDetail.trustType'),
  'DeviceDetail.isCompliant': both('deviceDetail.isCompliant'),
  'DeviceDetail.isManaged': both('deviceDetail.isManaged'),
  'DeviceDetail.operatingSystem': both('deviceDetail.operatingSystem'),
  // The export's envelope `location` is a country code; Graph's `location` is an object.
  location: [json('location'), ...both('location.countryOrRegion'), column('src_country')],
  Location: [json('location'), ...both('location.countryOrRegion'), column('src_country')],
};

// Directory audits: Log Analytics `AuditLogs` columns; the export's envelope `operationName` is the activity.
const activity = [json('operationName'), json('operationname'), ...both('operationName'), ...both('activityDisplayName')];
const targetResources = [
  ...both('targetResources[].id'),
  ...both('targetResources[].displayName'),
  ...both('targetResources[].userPrincipalName'),
  ...both('targetResources[].modifiedProperties[].newValue'),
];
const modifiedProperties = [
  ...both('targetResources[].modifiedProperties[].displayName'),
  ...both('targetResources[].modifiedProperties[].oldValue'),
  ...both('targetResources[].modifiedProperties[].newValue'),
];
const initiatedBy = [
  ...both('initiatedBy.user.userPrincipalName'),
  ...both('initiatedBy.user.displayName'),
  ...both('initiatedBy.app.displayName'),
  column('actor'),
];
const auditFields = {
  ...common,
  'properties.message': activity,
  OperationName: activity,
  operationName: activity,
  ActivityDisplayName: activity,
  ActivityType: activity,
  activityType: activity,
  // The audit category: `properties.category` in the export (whose envelope `category` is "AuditLogs" or,
  // in some exports, the audit category itself), `category` in Graph.
  Category: [...both('category')],
  category: [...both('category')],
  LoggedByService: both('loggedByService'),
  OperationType: both('operationType'),
  Result: both('result'),
  'properties.result': both('result'),
  // AuditLogs' Result (success/failure) and ResultReason ("Admin registered temporary access pass method…").
  Status: [column('outcome'), ...both('result'), ...both('resultReason')],
  ResultReason: both('resultReason'),
  failure_status_reason: both('resultReason'),
  TargetResources: targetResources,
  'properties.targetResources': targetResources,
  'TargetResources.type': both('targetResources[].type'),
  'targetResources.type': both('targetResources[].type'),
  'TargetResources.modifiedProperties': modifiedProperties,
  'TargetResources.ModifiedProperties.DisplayName': both('targetResources[].modifiedProperties[].displayName'),
  'TargetResources.ModifiedProperties.NewValue': both('targetResources[].modifiedProperties[].newValue'),
  'TargetResources.modifiedProperties.newValue': both('targetResources[].modifiedProperties[].newValue'),
  'TargetResources.ModifiedProperties.OldValue': both('targetResources[].modifiedProperties[].oldValue'),
  Target: [...both('targetResources[].userPrincipalName'), ...both('targetResources[].displayName'), column('target')],
  InitiatedBy: initiatedBy,
  Initiatedby: initiatedBy,
  'properties.initiatedBy': initiatedBy,
  // additionalDetails is a list of {key, value}; a rule naming one key reads every value.
  'additionalDetails.additionalInfo': both('additionalDetails[].value'),
  AdditionalDetails: [...both('additionalDetails[].key'), ...both('additionalDetails[].value')],
};

const riskFields = {
  ...common,
  riskEventType: both('riskEventType'),
  RiskEventType: both('riskEventType'),
  RiskLevel: both('riskLevel'),
  RiskState: both('riskState'),
  RiskDetail: both('riskDetail'),
};

/** Sign-in records: the export's sign-in categories, or a sign-in's `status.errorCode` in either shape. */
const isSignIn = anyOf(endsWith('category', 'SignInLogs'), exists('properties.status.errorCode'), exists('status.errorCode'));
/** Directory audits: the export's AuditLogs category, or a directoryAudit's activity or initiator. */
const isAudit = anyOf(
  equals('category', 'AuditLogs'),
  exists('properties.activityDisplayName'),
  exists('activityDisplayName'),
  exists('properties.initiatedBy'),
  exists('initiatedBy'),
);
const isRiskDetection = anyOf(exists('properties.riskEventType'), exists('riskEventType'));

export const entraIdMappings: readonly LogsourceMapping[] = [
  { logsource: { product: 'azure', service: 'signinlogs' }, sources: ['entra_id'], where: isSignIn, fields: signInFields, knownFields },
  { logsource: { product: 'azure', service: 'auditlogs' }, sources: ['entra_id'], where: isAudit, fields: auditFields, knownFields },
  { logsource: { product: 'azure', service: 'riskdetection' }, sources: ['entra_id'], where: isRiskDetection, fields: riskFields, knownFields },
  // PIM alert incidents name their type in `riskEventType` in SigmaHQ's rules (staleSignInAlertIncident…).
  { logsource: { product: 'azure', service: 'pim' }, sources: ['entra_id'], fields: riskFields, knownFields },
];
