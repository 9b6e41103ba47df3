/**
 * Jamf Pro's event feeds:
 * - Webhooks: `{webhook: {id, name, webhookEvent, eventTimestamp}, event: {...}}`, one POST per event,
 *   https://developer.jamf.com/developer-guide/docs/webhooks (event payloads per webhookEvent).
 * - Object history entries of the Jamf Pro API (`GET /api/v1/<resource>/{id}/history`, e.g.
 *   `/v1/buildings/{id}/history`, `/v1/scripts/{id}/history`): `{id, username, date, note, details}`, listed in
 *   `{totalCount, results}` (HistorySearchResults), https://developer.jamf.com/jamf-pro/reference/get_v1-buildings-id-history.
 * - Action logs (`GET /api/v1/action-logs`, Jamf Pro 11.34): mass actions (wipe, lock, delete, unmanage) with
 *   their requestor and target, https://developer.jamf.com/jamf-pro/changelog/1134-additions.
 * - Access log lines from the Jamf Log Stream (Jamf Cloud Premium): `[JSSACCESSLOG] <time> - username=…,
 *   status=…, ipAddress=…, entryPoint=…`, https://developer.jamf.com/jamf-pro/docs/jamf-log-stream.
 *
 * Invariants: every field is optional and lenient (Jamf's samples type `jssID` as an integer, exports send
 * text). List responses (`{totalCount, results}`) are unwrapped into their entries (`expandJamfList`).
 */
import { z } from 'zod';
import { isPlainObject } from '../../core/ingest/split-records';
import { lenient } from '../shared/lenient';

const str = lenient(z.string().nullable());
const id = lenient(z.union([z.string(), z.number()]).nullable());
const flag = lenient(z.union([z.boolean(), z.string()]).nullable());

/** A computer or mobile device as webhooks describe it (ComputerAdded, MobileDeviceEnrolled, event.computer…). */
export const webhookDeviceSchema = z.looseObject({
  deviceName: str,
  serialNumber: str,
  udid: str,
  jssID: id,
  model: str,
  osVersion: str,
  osBuild: str,
  ipAddress: str,
  reportedIpAddress: str,
  username: str,
  realName: str,
  emailAddress: str,
  managementId: str,
});
export type WebhookDevice = z.infer<typeof webhookDeviceSchema>;

export const webhookEventSchema = z.looseObject({
  // RestAPIOperation
  authorizedUsername: str,
  objectID: id,
  objectName: str,
  objectTypeName: str,
  operationSuccessful: flag,
  restAPIOperationType: str,
  // ComputerCheckIn, ComputerPolicyFinished, ComputerPatchPolicyCompleted
  computer: lenient(webhookDeviceSchema.nullable()),
  trigger: str,
  username: str,
  policyId: id,
  successful: flag,
  // JSSStartup, JSSShutdown
  hostAddress: str,
  institution: str,
  jssUrl: str,
  // Smart group membership changes
  name: str,
  jssid: id,
  groupAddedDevicesIds: lenient(z.array(z.unknown()).nullable()),
  groupRemovedDevicesIds: lenient(z.array(z.unknown()).nullable()),
  groupAddedUserIds: lenient(z.array(z.unknown()).nullable()),
  groupRemovedUserIds: lenient(z.array(z.unknown()).nullable()),
  // PushSent, MobileDeviceCommandCompleted, PatchSoftwareTitleUpdated
  type: str,
  command: str,
  description: str,
  managementId: str,
  udid: str,
  latestVersion: str,
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

export const webhookSchema = z.looseObject({
  webhook: lenient(z.looseObject({ id, name: str, webhookEvent: str, eventTimestamp: id }).nullable()),
});

export const objectHistorySchema = z.looseObject({ id, username: str, date: str, note: str, details: str });

export const actionLogSchema = z.looseObject({
  id,
  createdTime: str,
  actionType: str,
  status: str,
  requestor: lenient(z.looseObject({ id, type: str, name: str }).nullable()),
  target: lenient(z.looseObject({ type: str, id, name: str, deviceClass: str, deviceCount: id }).nullable()),
});

export type JamfFeed = 'webhook' | 'object_history' | 'action_log';

export function detectJamfFeed(record: Record<string, unknown>): JamfFeed | null {
  if (isPlainObject(record.webhook) || ('webhook' in record && 'event' in record)) return 'webhook';
  if ('actionType' in record && ('requestor' in record || 'createdTime' in record)) return 'action_log';
  if ('note' in record && ('username' in record || 'date' in record)) return 'object_history';
  return null;
}

/** A Jamf Pro API list response (`{totalCount, results}`), posted whole. */
export function expandJamfList(value: Record<string, unknown>): unknown[] | null {
  return Array.isArray(value.results) && 'totalCount' in value ? value.results : null;
}

const accessLogTag = '[JSSACCESSLOG]';

/** The fields of a Log Stream access log line, under the line's own names; null when it is not one. */
export function parseAccessLogLine(line: string): Record<string, string> | null {
  const s = line.trim();
  if (!s.startsWith(accessLogTag)) return null;
  const dash = s.indexOf(' - ', accessLogTag.length);
  if (dash === -1) return null;
  const fields: Record<string, string> = { timestamp: s.slice(accessLogTag.length, dash).trim() };
  for (const pair of s.slice(dash + 3).split(', ')) {
    const eq = pair.indexOf('=');
    if (eq > 0) fields[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return fields;
}
