/**
 * The schema catalog the LLM prompt describes: the tables a natural-language question may be answered from,
 * their columns with a one-line meaning each, and the closed vocabularies (outcome, identity_action) a model
 * must use verbatim. Column lists follow core/schema/event.ts and docs/storage-schema.md; a test checks that
 * every column of the `events` table is described, so a new column cannot silently be missing from the prompt.
 *
 * Only what the validator allows may appear here: `events` and `alerts`. `raw` is listed because vendor fields
 * are reached through it (json_extract), which is how rules written against vendor names keep working.
 */
import { identityActions, outcomes, severities } from '../../schema/event';

export interface CatalogColumn {
  readonly name: string;
  readonly type: 'text' | 'integer' | 'real' | 'json';
  readonly description: string;
}

export interface CatalogTable {
  readonly name: string;
  readonly description: string;
  readonly columns: readonly CatalogColumn[];
}

const eventsTable: CatalogTable = {
  name: 'events',
  description: 'Every normalized security event, whatever its source (one row per event).',
  columns: [
    { name: 'event_id', type: 'text', description: "the vendor's event id (not unique across sources)" },
    { name: 'source', type: 'text', description: 'source id, e.g. okta, cloudtrail, entra_id, google_workspace, github' },
    { name: 'event_time', type: 'text', description: 'when it happened, UTC ISO-8601 with milliseconds (2026-11-27T16:18:41.000Z); text order = time order' },
    { name: 'event_time_inferred', type: 'integer', description: '1 when the vendor gave no time and event_time is the arrival time' },
    { name: 'ingest_time', type: 'text', description: 'when Mantissa received it, same format as event_time' },
    { name: 'class_uid', type: 'integer', description: 'OCSF class: 3002 Authentication, 3001 Account Change, 3005 User Access Management, 6003 API Activity…' },
    { name: 'class_name', type: 'text', description: 'OCSF class name, e.g. Authentication' },
    { name: 'action', type: 'text', description: "the vendor's event name: Okta eventType (user.session.start), CloudTrail eventName (ConsoleLogin)…" },
    { name: 'identity_action', type: 'text', description: `what the event means for an identity, one of: ${identityActions.join(', ')}; null otherwise` },
    { name: 'outcome', type: 'text', description: `one of: ${outcomes.join(', ')} (failed logins are outcome = 'failure')` },
    { name: 'outcome_reason', type: 'text', description: "the vendor's reason for the outcome, e.g. INVALID_CREDENTIALS" },
    { name: 'severity', type: 'text', description: `one of: ${severities.join(', ')}; null when the vendor gives none` },
    { name: 'actor', type: 'text', description: 'who did it: an email (lower-cased) or login; the "user" of a question' },
    { name: 'actor_id', type: 'text', description: "the vendor's stable id of the actor" },
    { name: 'actor_name', type: 'text', description: "the actor's display name" },
    { name: 'actor_type', type: 'text', description: 'User, IAMUser, AssumedRole, Root, ServicePrincipal…' },
    { name: 'src_ip', type: 'text', description: 'source IP address (v4 or v6)' },
    { name: 'src_country', type: 'text', description: 'source country as the vendor or GeoIP gives it (a name like "United States" or an ISO code like "US"); use the sample values' },
    { name: 'src_region', type: 'text', description: 'source region or state' },
    { name: 'src_city', type: 'text', description: 'source city' },
    { name: 'src_lat', type: 'real', description: 'source latitude' },
    { name: 'src_lon', type: 'real', description: 'source longitude' },
    { name: 'src_asn', type: 'integer', description: 'source autonomous system number' },
    { name: 'src_asn_org', type: 'text', description: 'source AS organisation' },
    { name: 'user_agent', type: 'text', description: 'client user agent' },
    { name: 'service', type: 'text', description: 'the service or application acted on: s3.amazonaws.com, an Okta app name, a GitHub repository' },
    { name: 'target', type: 'text', description: 'what was acted on: a user, bucket, repository, role' },
    { name: 'target_type', type: 'text', description: 'kind of target: User, AppInstance, Bucket…' },
    { name: 'session_id', type: 'text', description: "the vendor's session id" },
    { name: 'mfa_factor', type: 'text', description: 'MFA factor used (push, totp, sms, webauthn…)' },
    { name: 'message', type: 'text', description: "the vendor's human-readable message" },
    { name: 'raw', type: 'json', description: "the vendor's event exactly as received (JSON text): vendor fields via the dialect's JSON function" },
  ],
};

const alertsTable: CatalogTable = {
  name: 'alerts',
  description: 'One row per deduplicated detection alert.',
  columns: [
    { name: 'id', type: 'text', description: 'alert id' },
    { name: 'rule_id', type: 'text', description: 'id of the detection rule that raised it' },
    { name: 'rule_name', type: 'text', description: 'name of that rule' },
    { name: 'severity', type: 'text', description: `one of: ${severities.join(', ')}` },
    { name: 'title', type: 'text', description: 'alert title' },
    { name: 'entities', type: 'json', description: 'JSON {"users": [...], "ips": [...]}' },
    { name: 'first_seen', type: 'text', description: 'first hit, UTC ISO-8601' },
    { name: 'last_seen', type: 'text', description: 'latest hit, UTC ISO-8601' },
    { name: 'count', type: 'integer', description: 'number of hits (a keyword: write it "count" in double quotes)' },
    { name: 'status', type: 'text', description: 'open, acknowledged, closed or false_positive' },
    { name: 'assignee', type: 'text', description: 'who the alert is assigned to' },
    { name: 'sources', type: 'json', description: 'JSON array of source ids' },
    { name: 'created_at', type: 'text', description: 'when the alert was created, UTC ISO-8601' },
  ],
};

export const nlqCatalog: readonly CatalogTable[] = [eventsTable, alertsTable];

/** The catalog as prompt text: one block per table, one line per column. */
export function renderCatalog(tables: readonly CatalogTable[] = nlqCatalog): string {
  return tables
    .map((t) => [`TABLE ${t.name} — ${t.description}`, ...t.columns.map((c) => `  ${c.name} ${c.type.toUpperCase()}: ${c.description}`)].join('\n'))
    .join('\n\n');
}
