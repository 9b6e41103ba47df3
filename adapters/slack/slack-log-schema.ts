/**
 * Slack's logs, as their APIs return them:
 * - Audit Logs API entry (`GET https://api.slack.com/audit/v1/logs`, Enterprise Grid):
 *   https://api.slack.com/admin/audit-logs and the action list https://api.slack.com/admin/audit-logs-anomaly
 *   / https://api.slack.com/admin/audit-logs-call.
 * - Access logs (`team.accessLogs`): https://api.slack.com/methods/team.accessLogs
 * - Integration logs (`team.integrationLogs`): https://api.slack.com/methods/team.integrationLogs
 *
 * A whole API response may be posted too: its list (`entries`, `logins`, `logs`) is unwrapped into entries
 * (`expandSlackResponse`).
 *
 * Invariants: every field is optional and lenient; times are epoch seconds as numbers or strings (Panther's
 * export rewrites `date_create` as `2022-07-28 16:48:14`).
 */
import { z } from 'zod';
import { lenient } from '../shared/lenient';

const str = lenient(z.string().nullable());
const id = lenient(z.union([z.string(), z.number()]).nullable());
const time = lenient(z.union([z.string(), z.number()]).nullable());

const slackUser = z.looseObject({ id: str, name: str, email: str, team: str });

export const auditLogEntrySchema = z.looseObject({
  id: str,
  date_create: time,
  action: str,
  actor: lenient(z.looseObject({ type: str, user: lenient(slackUser.nullable()) }).nullable()),
  /** `{type, <type>: {...}}`: the object acted on, under the key its type names. */
  entity: lenient(z.record(z.string(), z.unknown()).nullable()),
  context: lenient(
    z
      .looseObject({
        location: lenient(z.looseObject({ type: str, id: str, name: str, domain: str }).nullable()),
        ua: str,
        ip_address: str,
        session_id: id,
      })
      .nullable(),
  ),
  details: lenient(z.record(z.string(), z.unknown()).nullable()),
});
export type AuditLogEntry = z.infer<typeof auditLogEntrySchema>;

export const accessLogEntrySchema = z.looseObject({
  user_id: str,
  username: str,
  date_first: time,
  date_last: time,
  count: id,
  ip: str,
  user_agent: str,
  isp: str,
  country: str,
  region: str,
});
export type AccessLogEntry = z.infer<typeof accessLogEntrySchema>;

export const integrationLogEntrySchema = z.looseObject({
  user_id: str,
  user_name: str,
  date: time,
  change_type: str,
  service_id: id,
  service_type: str,
  app_id: id,
  app_type: str,
  channel: str,
  scope: str,
  reason: str,
});
export type IntegrationLogEntry = z.infer<typeof integrationLogEntrySchema>;

export type SlackFeed = 'audit_log' | 'access_log' | 'integration_log';

/** The feed an entry belongs to, by the fields only that feed has; null when it has none of them. */
export function detectSlackFeed(record: Record<string, unknown>): SlackFeed | null {
  if ('action' in record && ('actor' in record || 'entity' in record || 'context' in record || 'date_create' in record)) return 'audit_log';
  if ('change_type' in record && ('service_id' in record || 'app_id' in record || 'user_id' in record)) return 'integration_log';
  if ('user_id' in record && ('date_first' in record || 'date_last' in record || 'ip' in record)) return 'access_log';
  return null;
}

/** An API response posted whole: `{entries}` (audit logs), `{logins}` (access logs), `{logs}` (integration logs). */
export function expandSlackResponse(value: Record<string, unknown>): unknown[] | null {
  if (Array.isArray(value.entries)) return value.entries;
  if (Array.isArray(value.logins)) return value.logins;
  if (Array.isArray(value.logs) && ('ok' in value || 'paging' in value)) return value.logs;
  return null;
}
