/**
 * GitHub (`github`) for SigmaHQ's `product: github, service: audit` rules, which name the audit log event's
 * fields (`action`, `actor`, `repo`, `org`, `visibility`): the paths of `raw` for audit log events and GitHub
 * Enterprise Server syslog lines (whose `raw` is the event's JSON).
 *
 * A GHE event relayed by Logstash keeps the whole relay record in `raw` (the event's JSON is text inside
 * `message`), so `action` also reads our `action` column, which the parser fills with the audit action
 * whatever the delivery. Webhook deliveries are wrapped (`payload.*`) and name their events differently
 * (`organization.member_added`), so audit-log rules do not match them.
 */
import type { LogsourceMapping } from '../ir';
import { column, json, normalizedColumnFields } from './field-targets';
import { knownFields as githubFields } from './known-fields/github';

const knownFields = [...githubFields, 'payload.*', 'data.*'];

export const githubMappings: readonly LogsourceMapping[] = [
  {
    logsource: { product: 'github', service: 'audit' },
    sources: ['github'],
    fields: { ...normalizedColumnFields(knownFields), action: [json('action'), column('action')] },
    knownFields,
  },
];
