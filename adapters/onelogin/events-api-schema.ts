/**
 * OneLogin Events API event (https://developers.onelogin.com/api-docs/1/events/event-resource): a flat object
 * with a numeric `event_type_id`, the acting user (`actor_user_id`, `actor_user_name`) or system
 * (`actor_system`), the user acted on (`user_id`, `user_name`), the app, role, group, policy or OTP device
 * involved, `ipaddr`, `created_at` and the event's `id`. Event broadcasters send the same fields (plus `uuid`).
 *
 * Every field is optional and lenient (ids arrive as numbers or strings). An Events API page
 * (`{"status": {...}, "pagination": {...}, "data": [...]}`) is unwrapped by `expandOneLoginPage`.
 */
import { z } from 'zod';
import { isPlainObject } from '../../core/ingest/split-records';
import { lenient } from '../shared/lenient';

const str = lenient(z.string().nullable());
const id = lenient(z.union([z.number(), z.string()]).nullable());

export const oneLoginEventSchema = z.looseObject({
  id,
  uuid: str,
  event_type_id: id,
  created_at: str,
  account_id: id,
  actor_system: str,
  actor_user_id: id,
  actor_user_name: str,
  assuming_acting_user_id: id,
  user_id: id,
  user_name: str,
  app_id: id,
  app_name: str,
  role_id: id,
  role_name: str,
  group_id: id,
  group_name: str,
  policy_id: id,
  policy_name: str,
  otp_device_id: id,
  otp_device_name: str,
  authentication_factor_description: str,
  privilege_name: str,
  ipaddr: str,
  proxy_ip: str,
  notes: str,
  custom_message: str,
  error_description: str,
  risk_score: id,
});
export type OneLoginEvent = z.infer<typeof oneLoginEventSchema>;

/** An Events API response page → its events; anything else → null. */
export function expandOneLoginPage(value: Record<string, unknown>): unknown[] | null {
  return isPlainObject(value.status) && Array.isArray(value.data) ? value.data : null;
}
