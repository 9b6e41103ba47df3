/**
 * Google Cloud Audit Logs (`gcp_audit`) for SigmaHQ's `product: gcp, service: gcp.audit` rules.
 *
 * Our `raw` is the Cloud Logging LogEntry (`protoPayload.methodName`, `protoPayload.serviceName`…). SigmaHQ's GCP
 * rules name it two other ways: Elastic's gcp module (`gcp.audit.method_name`) and a `data.`-prefixed export
 * (`data.protoPayload.methodName`); both read the LogEntry paths. The payload's `request`, `response`,
 * `metadata` and `serviceData`, and the entry's `labels`, are each service's own.
 */
import type { LogsourceMapping } from '../ir';
import { json, normalizedColumnFields, prefixedAliases } from './field-targets';
import { knownFields as gcpFields } from './known-fields/gcp-audit';

const openObjects = [
  'protoPayload.request',
  'protoPayload.response',
  'protoPayload.metadata',
  'protoPayload.serviceData',
  'labels',
  'resource.labels',
];

const knownFields = [...gcpFields, ...openObjects.map((key) => `${key}.*`)];

/** Elastic's gcp.audit fields (https://www.elastic.co/docs/reference/integrations/gcp#audit) → LogEntry paths. */
const elasticAudit = {
  'gcp.audit.method_name': [json('protoPayload.methodName'), json('methodName')],
  'gcp.audit.service_name': [json('protoPayload.serviceName'), json('serviceName')],
  'gcp.audit.resource_name': [json('protoPayload.resourceName'), json('resourceName')],
  'gcp.audit.authentication_info.principal_email': [json('protoPayload.authenticationInfo.principalEmail')],
  'gcp.audit.request_metadata.caller_ip': [json('protoPayload.requestMetadata.callerIp')],
  'gcp.audit.status.code': [json('protoPayload.status.code')],
};

export const gcpAuditMappings: readonly LogsourceMapping[] = [
  {
    logsource: { product: 'gcp', service: 'gcp.audit' },
    sources: ['gcp_audit'],
    fields: {
      ...normalizedColumnFields(knownFields),
      ...prefixedAliases(knownFields, 'data.', 'protoPayload'),
      'data.protoPayload.logName': json('logName'),
      ...elasticAudit,
    },
    knownFields,
  },
];
