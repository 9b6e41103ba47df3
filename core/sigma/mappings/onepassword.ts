/**
 * 1Password Events API (`onepassword`), our own logsource `product: onepassword`: sign-in attempts
 * (`category`, `type`, `target_user.email`), item usages (`action`, `item_uuid`) and audit events (`action`,
 * `object_type`, `actor_details.email`), by the API's field names as received.
 */
import type { LogsourceMapping } from '../ir';
import { normalizedColumnFields } from './field-targets';
import { knownFields } from './known-fields/onepassword';

const fields = normalizedColumnFields(knownFields);

export const onePasswordMappings: readonly LogsourceMapping[] = [
  { logsource: { product: 'onepassword' }, sources: ['onepassword'], fields, knownFields },
];
