/**
 * Our identity view as a logsource, `product: mantissa, service: identity`: the identity events of every source
 * that has them (sign-ins, MFA steps, sessions, privilege, account, password, token and factor changes), read
 * through the normalized columns only — `identity_action`, `actor`, `src_ip`, `src_country`, `mfa_factor`,
 * `outcome`, `action` (the vendor's event name), `source` — so one rule covers Okta, Entra ID, Google
 * Workspace, Duo and the rest alike (docs/schema.md, "The identity view").
 *
 * Vendor fields are deliberately unknown here (`knownFields` is empty): strict mode refuses them, because a
 * vendor name means something in one source only. Rules that need one belong to that vendor's logsource.
 */
import type { FieldTarget, LogsourceMapping } from '../ir';
import { column, type EventColumn } from './field-targets';
import { exists } from './where-conditions';

const columns: readonly EventColumn[] = [
  'event_id',
  'source',
  'event_time',
  'class_uid',
  'class_name',
  'action',
  'identity_action',
  'outcome',
  'outcome_reason',
  'severity',
  'actor',
  'actor_id',
  'actor_name',
  'actor_type',
  'src_ip',
  'src_country',
  'src_region',
  'src_city',
  'src_asn',
  'src_asn_org',
  'user_agent',
  'service',
  'target',
  'target_type',
  'session_id',
  'mfa_factor',
  'message',
];

/** Sources whose parsers fill `identity_action` (docker, guardduty and vpc_flow never do). */
export const identitySources: readonly string[] = [
  'okta',
  'entra_id',
  'google_workspace',
  'duo',
  'onelogin',
  'm365',
  'github',
  'slack',
  'onepassword',
  'crowdstrike',
  'jamf',
  'snowflake',
  'salesforce',
  'cloudtrail',
  'azure_activity',
  'gcp_audit',
  'kubernetes_audit',
  'cloudflare',
  'syslog',
  'json',
];

export const identityViewMappings: readonly LogsourceMapping[] = [
  {
    logsource: { product: 'mantissa', service: 'identity' },
    sources: identitySources,
    where: exists('identity_action'),
    fields: Object.fromEntries(columns.map((name): [string, FieldTarget] => [name, column(name)])),
    knownFields: [],
  },
];
