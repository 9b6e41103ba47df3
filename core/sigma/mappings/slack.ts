/**
 * Slack (`slack`), our own logsource `product: slack`: Audit Logs API entries (`action`, `actor.user.email`,
 * `entity.user.id`, `context.ip_address`, `details.*`), access and integration log entries, by Slack's field
 * names as received.
 */
import type { LogsourceMapping } from '../ir';
import { normalizedColumnFields } from './field-targets';
import { knownFields as vendorFields } from './known-fields/slack';

const knownFields = [...vendorFields, 'details.*'];
const fields = normalizedColumnFields(knownFields);

export const slackMappings: readonly LogsourceMapping[] = [
  { logsource: { product: 'slack' }, sources: ['slack'], fields, knownFields },
];
