/**
 * Cloudflare Logpush records (NDJSON, the default `output_type`), one schema per dataset, as documented at
 * https://developers.cloudflare.com/logs/reference/log-fields/ (zone-scoped `http_requests`, `firewall_events`;
 * account-scoped `access_requests`, `gateway_dns`, `gateway_http`, `gateway_network`, `audit_logs` and
 * `audit_logs_v2`). A Logpush job sends only the fields its `output_options.field_names` lists, so every field
 * is optional and lenient: a record is kept whatever subset of its dataset's fields it carries.
 *
 * Timestamps (`EdgeStartTimestamp`, `Datetime`, `CreatedAt`, `When`…) are `int or string` in the reference:
 * the job's `timestamp_format` makes them Unix nanoseconds (the default), Unix seconds, or RFC 3339 text
 * (https://developers.cloudflare.com/logs/reference/log-output-options/).
 */
import { z } from 'zod';
import { lenient, restoreKeyCase } from '../shared/lenient';

const str = lenient(z.string().nullable());
const num = lenient(z.union([z.number(), z.string()]).nullable());
const timestamp = lenient(z.union([z.string(), z.number()]).nullable());
const flag = lenient(z.union([z.boolean(), z.string()]).nullable());

export const httpRequestSchema = z.looseObject({
  RayID: str,
  EdgeStartTimestamp: timestamp,
  EdgeEndTimestamp: timestamp,
  ClientIP: str,
  ClientCountry: str,
  ClientCity: str,
  ClientRegionCode: str,
  ClientLatitude: num,
  ClientLongitude: num,
  ClientASN: num,
  ClientRequestHost: str,
  ClientRequestMethod: str,
  ClientRequestURI: str,
  ClientRequestPath: str,
  ClientRequestUserAgent: str,
  EdgeResponseStatus: num,
  SecurityAction: str,
  SecurityRuleID: str,
  SecurityRuleDescription: str,
  WAFAction: str,
  WAFRuleMessage: str,
});
export type HttpRequestRecord = z.infer<typeof httpRequestSchema>;

export const firewallEventSchema = z.looseObject({
  RayID: str,
  Datetime: timestamp,
  Action: str,
  Kind: str,
  Source: str,
  RuleID: str,
  Description: str,
  MatchIndex: num,
  ClientIP: str,
  ClientCountry: str,
  ClientASN: num,
  ClientASNDescription: str,
  ClientRequestHost: str,
  ClientRequestMethod: str,
  ClientRequestPath: str,
  ClientRequestQuery: str,
  ClientRequestUserAgent: str,
});
export type FirewallEventRecord = z.infer<typeof firewallEventSchema>;

export const accessRequestSchema = z.looseObject({
  RayID: str,
  CreatedAt: timestamp,
  Action: str,
  Allowed: flag,
  AppDomain: str,
  AppUUID: str,
  Connection: str,
  Country: str,
  Email: str,
  IPAddress: str,
  UserUID: str,
});
export type AccessRequestRecord = z.infer<typeof accessRequestSchema>;

/** The fields Gateway DNS, HTTP and Network share; each dataset adds its own below. */
const gatewayShape = {
  Datetime: timestamp,
  Action: str,
  Email: str,
  UserID: str,
  PolicyID: str,
  PolicyName: str,
  SessionID: str,
  DeviceName: str,
};

export const gatewayDnsSchema = z.looseObject({
  ...gatewayShape,
  QueryID: str,
  QueryName: str,
  QueryTypeName: str,
  ResolverDecision: str,
  SrcIP: str,
  SrcIPCountryCode: str,
  DstIP: str,
});
export type GatewayDnsRecord = z.infer<typeof gatewayDnsSchema>;

export const gatewayHttpSchema = z.looseObject({
  ...gatewayShape,
  RequestID: str,
  URL: str,
  HTTPHost: str,
  HTTPMethod: str,
  HTTPStatusCode: num,
  UserAgent: str,
  SourceIP: str,
  SourceIPCountryCode: str,
  DestinationIP: str,
  BlockedFileName: str,
  BlockedFileReason: str,
});
export type GatewayHttpRecord = z.infer<typeof gatewayHttpSchema>;

export const gatewayNetworkSchema = z.looseObject({
  ...gatewayShape,
  SourceIP: str,
  SourceIPCountryCode: str,
  DestinationIP: str,
  DestinationPort: num,
  SNI: str,
  TransportProtocol: str,
});
export type GatewayNetworkRecord = z.infer<typeof gatewayNetworkSchema>;

/** `audit_logs` and its successor `audit_logs_v2` (ActionTimestamp, ActorIPAddress, AuditLogID, ActionDescription…). */
export const auditLogSchema = z.looseObject({
  ID: str,
  AuditLogID: str,
  When: timestamp,
  ActionTimestamp: timestamp,
  ActionType: str,
  ActionDescription: str,
  ActionResult: flag,
  ActorEmail: str,
  ActorID: str,
  ActorIP: str,
  ActorIPAddress: str,
  ActorType: str,
  ResourceType: str,
  ResourceID: str,
  ResourceProduct: str,
});
export type AuditLogRecord = z.infer<typeof auditLogSchema>;

export const logpushDatasets = [
  'http_requests',
  'firewall_events',
  'access_requests',
  'gateway_dns',
  'gateway_http',
  'gateway_network',
  'audit_logs',
] as const;
export type LogpushDataset = (typeof logpushDatasets)[number];

/**
 * How each dataset is recognised, tried in this order: one of its `strong` fields (named as only that dataset
 * names them), or its timestamp field (`anchor`) together with one of its `weak` fields (names another
 * vendor might use too: `URL`, `UserAgent`, `Email`…). A field list is a Logpush job's choice, so no single
 * field is required. Firewall events come before Gateway Network because `Datetime` + `Action` + a request field
 * is a firewall event, while `Datetime` + `Action` + a user or a network address is Gateway traffic.
 */
interface DatasetSignature {
  readonly dataset: LogpushDataset;
  readonly strong: readonly string[];
  readonly anchor: string | null;
  readonly weak: readonly string[];
}

const requestFields = ['RayID', 'ClientIP', 'ClientRequestHost', 'ClientRequestMethod', 'ClientRequestPath', 'ClientRequestUserAgent', 'ClientCountry', 'EdgeResponseStatus', 'EdgeColoCode', 'OriginResponseStatus'];

export const datasetSignatures: readonly DatasetSignature[] = [
  {
    dataset: 'audit_logs',
    strong: ['ActionType', 'ActorEmail', 'ActorIP', 'ActorIPAddress', 'AuditLogID', 'ActionTimestamp', 'ActionDescription'],
    anchor: 'When',
    weak: ['ID', 'ActorID', 'ActorType', 'ResourceType', 'ResourceID', 'OldValue', 'NewValue', 'OwnerID', 'Interface', 'ActionResult'],
  },
  {
    dataset: 'access_requests',
    strong: ['AppDomain', 'AppUUID', 'UserUID', 'Allowed', 'PurposeJustificationPrompt', 'PurposeJustificationResponse', 'TemporaryAccessApprovers', 'TemporaryAccessDuration'],
    anchor: 'CreatedAt',
    weak: ['Action', 'Email', 'IPAddress', 'Connection', 'Country', 'RayID'],
  },
  {
    dataset: 'gateway_dns',
    strong: ['QueryName', 'QueryNameReversed', 'QueryTypeName', 'ResolverDecision', 'ResolvedIPs', 'DoHSubdomain', 'DoTSubdomain', 'CNAMEs', 'ResourceRecords'],
    anchor: 'Datetime',
    weak: ['SrcIP', 'DstIP', 'RCode', 'QueryType', 'QueryID', 'QuerySize', 'Location', 'LocationID'],
  },
  {
    dataset: 'gateway_http',
    strong: ['HTTPHost', 'HTTPMethod', 'HTTPStatusCode', 'HTTPVersion', 'IsIsolated', 'BlockedFileName', 'BlockedFileHash', 'BlockedFileReason', 'UploadedFileNames', 'DownloadedFileNames', 'UntrustedCertificateAction', 'PrivateAppAUD'],
    anchor: 'Datetime',
    weak: ['URL', 'Referer', 'UserAgent', 'RequestID'],
  },
  {
    dataset: 'firewall_events',
    strong: ['OriginatorRayID', 'MatchIndex', 'ClientRequestQuery', 'ClientASNDescription', 'ClientRefererHost', 'ClientRefererPath', 'ClientRefererQuery', 'ClientRefererScheme'],
    anchor: 'Datetime',
    weak: ['Kind', 'RuleID', 'Source', 'Description', 'Ref', ...requestFields],
  },
  {
    dataset: 'gateway_network',
    strong: ['DetectedProtocol', 'TransportProtocol', 'OverrideIP', 'OverridePort'],
    anchor: 'Datetime',
    weak: ['Action', 'Email', 'UserID', 'SNI', 'Transport', 'SourceIP', 'DestinationIP', 'SourcePort', 'DestinationPort', 'PolicyID', 'PolicyName', 'SessionID', 'DeviceID', 'DeviceName', 'VirtualNetworkID', 'ApplicationIDs', 'CategoryIDs'],
  },
  {
    dataset: 'http_requests',
    strong: [
      'EdgeStartTimestamp', 'EdgeEndTimestamp', 'RayID', 'ClientRequestURI', 'ClientRequestBytes', 'ClientRequestHost', 'ClientRequestMethod',
      'ClientRequestPath', 'ClientRequestUserAgent', 'ClientSrcPort', 'ClientSSLProtocol', 'ClientDeviceType', 'CacheCacheStatus',
      'EdgeResponseStatus', 'EdgeResponseBytes', 'EdgeColoCode', 'EdgePathingOp', 'EdgePathingSrc', 'EdgePathingStatus', 'OriginIP',
      'SecurityAction', 'SecurityActions', 'SecurityRuleID', 'WAFAttackScore', 'WAFAction', 'WAFRuleID', 'BotScore', 'ZoneName', 'ParentRayID',
    ],
    anchor: null,
    weak: [],
  },
];

/**
 * Keys worth restoring when a pipeline lower-cased a record: compound names only (`ClientIP`, `QueryName`).
 * Lower-cased one-word names (`source`, `kind`, `description`, `url`, `when`) are every other vendor's keys.
 */
const compoundKnownFields = [...new Set(datasetSignatures.flatMap((s) => [...s.strong, ...(s.anchor ? [s.anchor] : []), ...s.weak]))].filter((k) =>
  /[a-z][A-Z]/.test(k),
);

function hasAny(record: Record<string, unknown>, keys: readonly string[]): boolean {
  for (const key of keys) if (key in record) return true;
  return false;
}

function detectExact(record: Record<string, unknown>): LogpushDataset | null {
  for (const s of datasetSignatures) {
    if (hasAny(record, s.strong) || (s.anchor !== null && s.anchor in record && hasAny(record, s.weak))) return s.dataset;
  }
  return null;
}

/**
 * The Logpush dataset a record belongs to, from the fields it carries (Logpush records name no dataset), and
 * the record with Cloudflare's key casing restored if a pipeline lower-cased it; null when it is none of them.
 */
export function detectLogpushDataset(record: Record<string, unknown>): { dataset: LogpushDataset; record: Record<string, unknown> } | null {
  const exact = detectExact(record);
  if (exact) return { dataset: exact, record };
  const restored = restoreKeyCase(record, compoundKnownFields);
  if (restored === record) return null;
  const dataset = detectExact(restored);
  return dataset ? { dataset, record: restoreKeyCase(record, schemaKeys[dataset]) } : null;
}

const schemas = {
  http_requests: httpRequestSchema,
  firewall_events: firewallEventSchema,
  access_requests: accessRequestSchema,
  gateway_dns: gatewayDnsSchema,
  gateway_http: gatewayHttpSchema,
  gateway_network: gatewayNetworkSchema,
  audit_logs: auditLogSchema,
} as const;

const schemaKeys = Object.fromEntries(
  Object.entries(schemas).map(([dataset, schema]) => [dataset, Object.keys(schema.shape)]),
) as Record<LogpushDataset, string[]>;

export interface LogpushRecords {
  http_requests: HttpRequestRecord;
  firewall_events: FirewallEventRecord;
  access_requests: AccessRequestRecord;
  gateway_dns: GatewayDnsRecord;
  gateway_http: GatewayHttpRecord;
  gateway_network: GatewayNetworkRecord;
  audit_logs: AuditLogRecord;
}

export function readLogpushRecord<D extends LogpushDataset>(dataset: D, record: Record<string, unknown>): LogpushRecords[D] {
  return schemas[dataset].parse(record) as LogpushRecords[D];
}
