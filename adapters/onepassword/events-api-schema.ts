/**
 * 1Password Events API records (https://developer.1password.com/docs/events-api/reference):
 * - sign-in attempts (`POST /api/v2/signinattempts`): https://developer.1password.com/docs/events-api/reference/#post-apiv2signinattempts
 * - item usages (`POST /api/v2/itemusages`): https://developer.1password.com/docs/events-api/item-usage-actions
 * - audit events (`POST /api/v2/auditevents`): https://developer.1password.com/docs/events-api/audit-events
 * A whole response (`{cursor, has_more, items: [...]}`) may be posted; its items are unwrapped
 * (`expandEventsApiResponse`).
 *
 * Invariants: every field is optional and lenient. The Events API sends RFC 3339 times with nanoseconds;
 * Panther's export rewrites them as `2021-12-15 18:02:23` (UTC).
 */
import { z } from 'zod';
import { lenient } from '../shared/lenient';

const str = lenient(z.string().nullable());
const num = lenient(z.union([z.number(), z.string()]).nullable());

const userSchema = lenient(z.looseObject({ uuid: str, name: str, email: str, type: str }).nullable());

const clientSchema = lenient(
  z
    .looseObject({
      app_name: str,
      app_version: str,
      platform_name: str,
      platform_version: str,
      os_name: str,
      os_version: str,
      ip_address: str,
    })
    .nullable(),
);

const locationSchema = lenient(
  z.looseObject({ country: str, region: str, city: str, latitude: num, longitude: num }).nullable(),
);

export const signInAttemptSchema = z.looseObject({
  uuid: str,
  session_uuid: str,
  timestamp: str,
  category: str,
  type: str,
  country: str,
  details: lenient(z.looseObject({ value: str }).nullable()),
  target_user: userSchema,
  client: clientSchema,
  location: locationSchema,
});
export type SignInAttempt = z.infer<typeof signInAttemptSchema>;

export const itemUsageSchema = z.looseObject({
  uuid: str,
  timestamp: str,
  used_version: num,
  vault_uuid: str,
  item_uuid: str,
  action: str,
  user: userSchema,
  client: clientSchema,
  location: locationSchema,
});
export type ItemUsage = z.infer<typeof itemUsageSchema>;

export const auditEventSchema = z.looseObject({
  uuid: str,
  timestamp: str,
  actor_uuid: str,
  actor_type: str,
  actor_details: userSchema,
  action: str,
  object_type: str,
  object_uuid: str,
  object_details: userSchema,
  aux_id: num,
  aux_uuid: str,
  aux_details: userSchema,
  aux_info: str,
  session: lenient(z.looseObject({ uuid: str, login_time: str, device_uuid: str, ip: str }).nullable()),
  location: locationSchema,
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export type OnePasswordFeed = 'sign_in_attempt' | 'item_usage' | 'audit_event';

/** The Events API feed a record comes from, by the fields only that feed has; null when it has none. */
export function detectOnePasswordFeed(record: Record<string, unknown>): OnePasswordFeed | null {
  if ('category' in record && ('target_user' in record || 'session_uuid' in record || 'type' in record)) return 'sign_in_attempt';
  if ('item_uuid' in record || 'used_version' in record) return 'item_usage';
  if ('actor_uuid' in record || ('object_type' in record && 'action' in record)) return 'audit_event';
  return null;
}

/** A whole Events API response posted as one body: `{cursor, has_more, items}`. */
export function expandEventsApiResponse(value: Record<string, unknown>): unknown[] | null {
  return Array.isArray(value.items) && ('cursor' in value || 'has_more' in value) ? value.items : null;
}
