/**
 * Generic JSON (`json`), our own logsource `product: json`: any JSON object no dedicated source reads, stored
 * as received. Its fields are the sender's, so every name resolves to the raw path of the same name (no
 * `knownFields`: any name is accepted). Of our columns only `identity_action` is mapped, a name no sender uses;
 * a sender's own `src_ip` or `actor` keys stay its fields.
 */
import type { LogsourceMapping } from '../ir';
import { column } from './field-targets';

export const jsonEventsMappings: readonly LogsourceMapping[] = [
  { logsource: { product: 'json' }, sources: ['json'], fields: { identity_action: column('identity_action') } },
];
