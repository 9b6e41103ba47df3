/**
 * Cloudflare Logpush (`cloudflare`), our own logsource `product: cloudflare`: http_requests, firewall_events,
 * access_requests, Gateway and audit log records under Logpush's field names (`ClientIP`, `ClientRequestHost`,
 * `Action`, `ActionType`). Records do not name their dataset: our `action` column's prefix does
 * (`firewall_events.block`).
 */
import type { LogsourceMapping } from '../ir';
import { normalizedColumnFields } from './field-targets';
import { knownFields } from './known-fields/cloudflare';

const fields = normalizedColumnFields(knownFields);

export const cloudflareMappings: readonly LogsourceMapping[] = [
  { logsource: { product: 'cloudflare' }, sources: ['cloudflare'], fields, knownFields },
];
