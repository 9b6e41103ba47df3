/**
 * OneLogin (`onelogin`) for SigmaHQ's `product: onelogin, service: onelogin.events` rules, which name the Events
 * API fields (`event_type_id`, `user_name`, `ipaddr`): the paths of `raw`.
 */
import type { LogsourceMapping } from '../ir';
import { normalizedColumnFields } from './field-targets';
import { knownFields } from './known-fields/onelogin';

export const oneloginMappings: readonly LogsourceMapping[] = [
  {
    logsource: { product: 'onelogin', service: 'onelogin.events' },
    sources: ['onelogin'],
    fields: normalizedColumnFields(knownFields),
    knownFields,
  },
];
