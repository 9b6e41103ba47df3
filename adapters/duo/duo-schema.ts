/**
 * Cisco Duo Admin API log records (https://duo.com/docs/adminapi#logs) and user objects
 * (https://duo.com/docs/adminapi#users):
 *
 * - authentication logs, v2 (`/admin/v2/logs/authentication`: `txid`, `isotimestamp`, `user{name,key}`,
 *   `result`, `reason`, `factor`, `access_device{ip,location,browser,os}`, `auth_device`, `application`) and the
 *   older v1 shape (`username`, `integration`, `ip`, `location`, `device`, results in upper case);
 * - administrator logs (`action`, `username`, `object`, `description` — a JSON string — `timestamp`,
 *   `isotimestamp`) and offline enrollment logs, which have the same fields and `o2fa_*` actions;
 * - activity logs (`/admin/v2/logs/activity`: `activity_id`, `ts`, `action{name}`, `actor`, `target`,
 *   `outcome{result}`, `access_device{ip{address}}`);
 * - telephony logs, v1 (`context`, `credits`, `phone`, `type`, `timestamp`) and v2 (`telephony_id`, `txid`, `ts`);
 * - user objects from the users endpoint (`user_id`, `username`, `status`, `phones`...).
 *
 * Every field is optional and lenient. Admin API responses (`{"stat": "OK", "response": ...}`) are unwrapped by
 * `expandDuoResponse`.
 */
import { z } from 'zod';
import { isPlainObject } from '../../core/ingest/split-records';
import { lenient } from '../shared/lenient';

const str = lenient(z.string().nullable());
const numOrStr = lenient(z.union([z.number(), z.string()]).nullable());
const location = lenient(z.looseObject({ city: str, state: str, country: str }).nullable());

const accessDevice = lenient(
  z.looseObject({
    // v2 authentication logs send a string; activity logs send {"address": "..."}.
    ip: lenient(z.union([z.string(), z.looseObject({ address: str })]).nullable()),
    hostname: str,
    browser: str,
    browser_version: str,
    os: str,
    os_version: str,
    location,
  }).nullable(),
);

export const authenticationLogSchema = z.looseObject({
  txid: str,
  timestamp: numOrStr,
  isotimestamp: str,
  event_type: str,
  result: str,
  reason: str,
  factor: str,
  email: str,
  user: lenient(z.looseObject({ name: str, key: str }).nullable()),
  application: lenient(z.looseObject({ name: str, key: str }).nullable()),
  access_device: accessDevice,
  trusted_session_info: lenient(z.looseObject({ trusted_session_uuid: str }).nullable()),
  // v1
  username: str,
  integration: str,
  ip: str,
  location,
});
export type AuthenticationLog = z.infer<typeof authenticationLogSchema>;

/** Administrator and offline enrollment logs share this shape. */
export const administratorLogSchema = z.looseObject({
  action: str,
  description: lenient(z.union([z.string(), z.record(z.string(), z.unknown())]).nullable()),
  isotimestamp: str,
  timestamp: numOrStr,
  object: str,
  username: str,
});
export type AdministratorLog = z.infer<typeof administratorLogSchema>;

const principal = lenient(z.looseObject({ key: str, name: str, type: str }).nullable());

export const activityLogSchema = z.looseObject({
  activity_id: str,
  ts: str,
  action: lenient(z.looseObject({ name: str, details: str }).nullable()),
  actor: principal,
  target: principal,
  outcome: lenient(z.looseObject({ result: str }).nullable()),
  application: lenient(z.looseObject({ name: str, key: str, type: str }).nullable()),
  access_device: accessDevice,
});
export type ActivityLog = z.infer<typeof activityLogSchema>;

export const telephonyLogSchema = z.looseObject({
  telephony_id: str,
  txid: str,
  ts: str,
  isotimestamp: str,
  timestamp: numOrStr,
  context: str,
  credits: numOrStr,
  phone: str,
  type: str,
});
export type TelephonyLog = z.infer<typeof telephonyLogSchema>;

export const userObjectSchema = z.looseObject({
  user_id: str,
  username: str,
  realname: str,
  email: str,
  status: str,
  is_enrolled: lenient(z.boolean().nullable()),
});
export type UserObject = z.infer<typeof userObjectSchema>;

/**
 * `{"stat": "OK", "response": [...]}` (v1 logs, users) and `{"stat": "OK", "response": {"authlogs" | "items":
 * [...], "metadata": {...}}}` (v2 logs) → their records; anything else → null.
 */
export function expandDuoResponse(value: Record<string, unknown>): unknown[] | null {
  if (typeof value.stat !== 'string' || !('response' in value)) return null;
  const response = value.response;
  if (Array.isArray(response)) return response;
  if (isPlainObject(response)) {
    if (Array.isArray(response.authlogs)) return response.authlogs;
    if (Array.isArray(response.items)) return response.items;
  }
  return null;
}
