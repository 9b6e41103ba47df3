/** OneLogin source: Events API events and event-broadcaster deliveries; Events API pages unwrapped. */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { expandOneLoginPage } from './events-api-schema';
import { normalizeOneLoginEvent } from './normalize-onelogin-event';

export const oneloginSource: SourceAdapter = {
  id: 'onelogin',
  name: 'OneLogin',
  parse: normalizeOneLoginEvent,
  expand: expandOneLoginPage,
};
