/** Generic JSON source: any JSON object (NDJSON lines or array elements) is an event, its columns found by common field names. */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { normalizeJsonEvent } from './normalize-json-event';

export const jsonSource: SourceAdapter = { id: 'json', name: 'Generic JSON', parse: normalizeJsonEvent };
