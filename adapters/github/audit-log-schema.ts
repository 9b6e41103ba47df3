/**
 * GitHub audit log event, as the REST API (`GET /orgs/{org}/audit-log`, `/enterprises/{enterprise}/audit-log`)
 * and audit log streaming deliver it:
 * https://docs.github.com/en/organizations/keeping-your-organization-secure/managing-security-settings-for-your-organization/reviewing-the-audit-log-for-your-organization
 * and the event list, https://docs.github.com/en/enterprise-cloud@latest/admin/monitoring-activity-in-your-enterprise/reviewing-audit-logs-for-your-enterprise/audit-log-events-for-your-enterprise.
 * GitHub Enterprise Server forwards the same objects over syslog (`… github_audit: {json}`,
 * https://docs.github.com/en/enterprise-server@latest/admin/monitoring-activity-in-your-enterprise/exploring-user-activity-in-your-enterprise/log-forwarding),
 * older releases with most fields under `data`.
 *
 * Invariants: every field is optional and lenient; ids and times arrive as numbers or strings. Panther's export
 * renames `@timestamp` to `at_sign_timestamp`; both are read.
 */
import { z } from 'zod';
import { lenient } from '../shared/lenient';

const str = lenient(z.string().nullable());
const id = lenient(z.union([z.string(), z.number()]).nullable());
const time = lenient(z.union([z.string(), z.number()]).nullable());

export const actorLocationSchema = z.looseObject({
  country_code: str,
  country_name: str,
  region: str,
  region_name: str,
  city: str,
  location: lenient(z.looseObject({ lat: lenient(z.number()), lon: lenient(z.number()) }).nullable()),
});

/** Fields GitHub Enterprise Server (before the flat format) nests under `data`. */
const legacyDataSchema = z.looseObject({
  _document_id: str,
  actor_location: lenient(actorLocationSchema.nullable()),
  actor_session: id,
  user_agent: str,
  team: str,
  permission: str,
  old_permission: str,
  reason: str,
});

export const auditLogEventSchema = z.looseObject({
  action: str,
  '@timestamp': time,
  at_sign_timestamp: time,
  created_at: time,
  _document_id: str,
  actor: str,
  actor_id: id,
  actor_ip: str,
  actor_is_bot: lenient(z.boolean().nullable()),
  actor_location: lenient(actorLocationSchema.nullable()),
  external_identity_nameid: str,
  external_identity_username: str,
  user: str,
  user_id: id,
  org: lenient(z.union([z.string(), z.array(z.string())]).nullable()),
  repo: str,
  repository: str,
  team: str,
  business: str,
  name: str,
  integration: str,
  user_agent: str,
  hashed_token: str,
  token_id: id,
  programmatic_access_type: str,
  operation_type: str,
  permission: str,
  old_permission: str,
  role: str,
  conclusion: str,
  data: lenient(legacyDataSchema.nullable()),
});
export type AuditLogEvent = z.infer<typeof auditLogEventSchema>;

/** An audit log event, recognised by its keys whatever their values' types. */
export function isAuditLogEvent(record: Record<string, unknown>): boolean {
  if ('action' in record || '_document_id' in record) return true;
  return 'actor' in record && ('created_at' in record || '@timestamp' in record || 'org' in record || 'repo' in record || 'business' in record);
}

/** Logstash's record of a GHE syslog line (airbnb/streamalert `ghe:general`): the line is in `message`. */
export function isForwardedSyslogRecord(record: Record<string, unknown>): record is Record<string, unknown> & { message: string } {
  return typeof record.message === 'string' && (record.program === 'github_audit' || record.message.includes('github_audit:'));
}

const syslogTag = 'github_audit:';

/**
 * The audit event inside a GHE syslog line (`<190>May 22 12:05:54 host github_audit: {...}`), or why there is
 * none: the line is not GitHub's, or its JSON is cut (syslog relays truncate long lines) or malformed.
 */
export function auditEventFromSyslogLine(line: string): { ok: true; event: Record<string, unknown> } | { ok: false; message: string } {
  const tag = line.indexOf(syslogTag);
  if (tag === -1) return { ok: false, message: 'not a GitHub Enterprise audit log line: it has no "github_audit:" tag' };
  const start = line.indexOf('{', tag + syslogTag.length);
  if (start === -1) return { ok: false, message: 'the github_audit line carries no JSON object after its tag' };
  try {
    const value: unknown = JSON.parse(line.slice(start));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { ok: true, event: value as Record<string, unknown> };
    return { ok: false, message: 'the github_audit line carries JSON that is not an object' };
  } catch (err) {
    return { ok: false, message: `the JSON of the github_audit line is malformed or cut short (${err instanceof Error ? err.message : String(err)})` };
  }
}
