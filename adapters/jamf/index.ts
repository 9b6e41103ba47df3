/**
 * Jamf Pro source: webhooks, Jamf Pro API object history and action logs (single entries or whole
 * `{totalCount, results}` responses), and Jamf Log Stream access log lines (`text: 'lines'`).
 */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { expandJamfList } from './jamf-pro-schema';
import { normalizeJamfRecord } from './normalize-jamf-record';

export const jamfSource: SourceAdapter = {
  id: 'jamf',
  name: 'Jamf Pro',
  parse: normalizeJamfRecord,
  text: 'lines',
  expand: expandJamfList,
};
