/**
 * Microsoft 365 source: Office 365 Management Activity API audit records (Azure AD, Exchange, SharePoint,
 * OneDrive and the other workloads) and Exchange Online message trace rows, told apart by shape.
 */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { expandM365Container } from './m365-schema';
import { normalizeM365Record } from './normalize-m365-record';

export const m365Source: SourceAdapter = {
  id: 'm365',
  name: 'Microsoft 365',
  parse: normalizeM365Record,
  expand: expandM365Container,
};
