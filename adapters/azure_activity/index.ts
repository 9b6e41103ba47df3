/** Azure Monitor Activity Log source: diagnostic-settings exports (Event Hub, storage) and the REST API. */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { expandActivityLogBatch } from './activity-log-schema';
import { normalizeAzureActivityRecord } from './normalize-azure-activity-record';

export const azureActivitySource: SourceAdapter = {
  id: 'azure_activity',
  name: 'Azure Monitor Activity Log',
  parse: normalizeAzureActivityRecord,
  expand: expandActivityLogBatch,
};
