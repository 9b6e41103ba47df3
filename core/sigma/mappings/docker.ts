/**
 * Docker Engine (`docker`), our own logsource `product: docker`: engine events (`Type`, `Action`, `Actor.ID`,
 * `Actor.Attributes.*` — labels and options, free-form) and json-file log lines (`log`, `stream`).
 */
import type { LogsourceMapping } from '../ir';
import { normalizedColumnFields } from './field-targets';
import { knownFields as vendorFields } from './known-fields/docker';

const knownFields = [...vendorFields, 'Actor.Attributes.*'];
const fields = normalizedColumnFields(knownFields);

export const dockerMappings: readonly LogsourceMapping[] = [
  { logsource: { product: 'docker' }, sources: ['docker'], fields, knownFields },
];
