/**
 * Amazon GuardDuty (`guardduty`) as `product: aws, service: guardduty` and our own `product: guardduty`: findings
 * under GuardDuty's camelCase names (`type`, `severity` — a number, 7.0–8.9 high, 9.0+ critical —,
 * `resource.resourceType`, `service.action.actionType`). `service.additionalInfo` is free-form.
 */
import type { LogsourceMapping } from '../ir';
import { normalizedColumnFields } from './field-targets';
import { knownFields as vendorFields } from './known-fields/guardduty';

const knownFields = [...vendorFields, 'service.additionalInfo.*'];
const fields = normalizedColumnFields(knownFields);

export const guardDutyMappings: readonly LogsourceMapping[] = [
  { logsource: { product: 'aws', service: 'guardduty' }, sources: ['guardduty'], fields, knownFields },
  { logsource: { product: 'guardduty' }, sources: ['guardduty'], fields, knownFields },
];
