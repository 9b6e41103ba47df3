/**
 * Microsoft Entra ID source: sign-in and directory-audit logs from Microsoft Graph or from Azure diagnostic
 * settings (Event Hub / storage, `{"records": [...]}` unwrapped), Graph security alerts and risk detections.
 */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { expandEntraContainer } from './entra-schema';
import { normalizeEntraRecord } from './normalize-entra-record';

export const entraIdSource: SourceAdapter = {
  id: 'entra_id',
  name: 'Microsoft Entra ID',
  parse: normalizeEntraRecord,
  expand: expandEntraContainer,
};
