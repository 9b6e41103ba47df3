/**
 * Microsoft 365 (`m365`) for SigmaHQ's `product: m365` services `audit`, `exchange`, `threat_management` and
 * `threat_detection`.
 *
 * `audit` rules name the Management Activity API record (`Operation`, `Workload`, `ResultStatus`, `ObjectId`):
 * the paths of `raw`. `Parameters`, `ExtendedProperties` and `OperationProperties` are lists of `{Name, Value}`;
 * a rule naming one of their entries (`RequestType`) or testing the list's text (`Parameters|contains:
 * 'ForwardingSmtpAddress'`) reads every entry's name and value.
 *
 * The other three services' rules use Splunk's CIM names for the same records: `eventSource` (the workload:
 * `Exchange`, `SecurityComplianceCenter`), `eventName` (the operation; for Security & Compliance alerts, the
 * alert's `Name`) and `status` (success/failure, our `outcome` column). The workload in the rule is the only
 * thing that separates them, so they share one mapping each, without an extra condition.
 */
import type { LogsourceMapping } from '../ir';
import { column, json, normalizedColumnFields } from './field-targets';
import { knownFields } from './known-fields/m365';

function entries(list: string) {
  return [json(`${list}[].Name`), json(`${list}[].Value`)];
}

const fields = {
  ...normalizedColumnFields(knownFields),
  Parameters: entries('Parameters'),
  ExtendedProperties: entries('ExtendedProperties'),
  OperationProperties: entries('OperationProperties'),
  ModifiedProperties: [json('ModifiedProperties[].Name'), json('ModifiedProperties[].NewValue'), json('ModifiedProperties[].OldValue')],
  RequestType: [json('ExtendedProperties[].Value')],
  UserAuthenticationMethod: [json('ExtendedProperties[].Value')],
  eventSource: [json('Workload')],
  eventName: [json('Operation'), json('Name')],
  status: [column('outcome')],
};

export const m365Mappings: readonly LogsourceMapping[] = (['audit', 'exchange', 'threat_management', 'threat_detection'] as const).map(
  (service): LogsourceMapping => ({ logsource: { product: 'm365', service }, sources: ['m365'], fields, knownFields }),
);
