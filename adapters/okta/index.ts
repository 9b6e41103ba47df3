/** Okta System Log source: the `/api/v1/logs` API, log streaming, and event hooks (unwrapped upstream). */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { normalizeOktaEvent } from './normalize-okta-event';

export const oktaSource: SourceAdapter = { id: 'okta', name: 'Okta System Log', parse: normalizeOktaEvent };
