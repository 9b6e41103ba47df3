/**
 * Salesforce source: EventLogFile CSV files (header row first) and their pipeline-parsed JSON rows, and
 * LoginHistory / SetupAuditTrail / Real-Time Event Monitoring records from the REST API.
 */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { normalizeSalesforceRecord } from './normalize-salesforce-record';

export const salesforceSource: SourceAdapter = {
  id: 'salesforce',
  name: 'Salesforce',
  parse: normalizeSalesforceRecord,
  text: 'csv',
};
