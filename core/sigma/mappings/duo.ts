/**
 * Cisco Duo (`duo`) for SigmaHQ's `product: cisco, service: duo` rules, which name the Admin API's log fields
 * (`event_type`, `reason`, `result`, `factor`): the paths of `raw`. Also `product: duo`, our own name.
 */
import type { LogsourceMapping } from '../ir';
import { normalizedColumnFields } from './field-targets';
import { knownFields } from './known-fields/duo';

const fields = normalizedColumnFields(knownFields);

export const duoMappings: readonly LogsourceMapping[] = [
  { logsource: { product: 'cisco', service: 'duo' }, sources: ['duo'], fields, knownFields },
  { logsource: { product: 'duo' }, sources: ['duo'], fields, knownFields },
];
