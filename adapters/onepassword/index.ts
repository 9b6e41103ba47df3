/**
 * 1Password source: Events API sign-in attempts, item usages and audit events, one per line or as a whole
 * API response (`{cursor, has_more, items}`).
 */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { expandEventsApiResponse } from './events-api-schema';
import { normalizeOnePasswordEvent } from './normalize-onepassword-event';

export const onePasswordSource: SourceAdapter = {
  id: 'onepassword',
  name: '1Password Events API',
  parse: normalizeOnePasswordEvent,
  expand: expandEventsApiResponse,
};
