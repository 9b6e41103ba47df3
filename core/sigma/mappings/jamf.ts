/**
 * Jamf Pro (`jamf`), our own logsource `product: jamf`: webhooks (`webhook.webhookEvent`, `event.*`), object
 * history and action logs, and Log Stream access log lines (stored as `timestamp`, `username`, `status`,
 * `ipAddress`, `entryPoint`), by Jamf's field names.
 */
import type { LogsourceMapping } from '../ir';
import { normalizedColumnFields } from './field-targets';
import { knownFields } from './known-fields/jamf';

const fields = normalizedColumnFields(knownFields);

export const jamfMappings: readonly LogsourceMapping[] = [
  { logsource: { product: 'jamf' }, sources: ['jamf'], fields, knownFields },
];
