/**
 * Cisco Duo source: Admin API authentication (v1 and v2), administrator, offline enrollment, activity and
 * telephony (v1 and v2) logs, and user objects, told apart by shape; `{"stat": "OK", "response": ...}` unwrapped.
 */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { expandDuoResponse } from './duo-schema';
import { normalizeDuoRecord } from './normalize-duo-record';

export const duoSource: SourceAdapter = {
  id: 'duo',
  name: 'Cisco Duo',
  parse: normalizeDuoRecord,
  expand: expandDuoResponse,
};
