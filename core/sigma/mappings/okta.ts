/**
 * Okta System Log (`okta`) for SigmaHQ's `product: okta, service: okta` rules, which name Okta's own fields
 * (`eventType`, `actor.alternateId`, `target.displayName`, `debugContext.debugData.requestUri`): the paths of
 * `raw` as received. `target` is a list (any target may match); `debugContext.debugData` is free-form.
 */
import type { LogsourceMapping } from '../ir';
import { normalizedColumnFields } from './field-targets';
import { knownFields as oktaFields } from './known-fields/okta';

const knownFields = [...oktaFields, 'debugContext.debugData.*'];

export const oktaMappings: readonly LogsourceMapping[] = [
  { logsource: { product: 'okta', service: 'okta' }, sources: ['okta'], fields: normalizedColumnFields(knownFields), knownFields },
];
