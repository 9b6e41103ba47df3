/**
 * Salesforce (`salesforce`), our own logsource `product: salesforce`: EventLogFile rows (`EVENT_TYPE`,
 * `LOGIN_STATUS`, `USER_NAME`; CSV rows are stored as objects under their column names), LoginHistory and
 * Real-Time Event Monitoring objects (`Status`, `SourceIp`) and SetupAuditTrail entries (`Action`, `Section`,
 * `Display`, `CreatedBy.Username`), by Salesforce's field names as received.
 */
import type { LogsourceMapping } from '../ir';
import { normalizedColumnFields } from './field-targets';
import { knownFields } from './known-fields/salesforce';

const fields = normalizedColumnFields(knownFields);

export const salesforceMappings: readonly LogsourceMapping[] = [
  { logsource: { product: 'salesforce' }, sources: ['salesforce'], fields, knownFields },
];
