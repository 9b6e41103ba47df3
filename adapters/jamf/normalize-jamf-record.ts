/**
 * Jamf Pro record (webhook, object history entry, action log, Log Stream access log line) → normalized event.
 * Pure; never throws. The feed is detected from the record's shape (jamf-pro-schema).
 *
 * Invariants:
 * - Webhook `action` is the `webhookEvent`; a RestAPIOperation adds its HTTP method
 *   (`RestAPIOperation.DELETE`), with the API user as actor and `operationSuccessful` as outcome.
 * - Device webhooks (enrolment, check-in, inventory) are Device Inventory Info; the device is the target and
 *   its assigned user the actor.
 * - Access log lines keep their fields under Jamf's names as `raw`; their time has no zone and is read as UTC.
 */
import type { EventDraft, IdentityAction, Outcome, ParseContext, ParseResult, RecordParser } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { ipAddress, principalName, text } from '../shared/lenient';
import { blankEvent, ocsf, type OcsfClass } from './event-draft';
import {
  actionLogSchema,
  detectJamfFeed,
  objectHistorySchema,
  parseAccessLogLine,
  webhookDeviceSchema,
  webhookEventSchema,
  webhookSchema,
  type WebhookDevice,
  type WebhookEvent,
} from './jamf-pro-schema';

export const normalizeJamfRecord: RecordParser = (record, ctx): ParseResult => {
  if (typeof record === 'string') {
    const fields = parseAccessLogLine(record);
    if (!fields) {
      return { ok: false, reason: 'unrecognized_shape', message: 'not a Jamf Pro log line: expected a Log Stream access log line starting with [JSSACCESSLOG]' };
    }
    return { ok: true, event: accessLogEvent(fields, ctx, true) };
  }
  if (!isPlainObject(record)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a Jamf Pro webhook, history entry or action log (a JSON object), got ${Array.isArray(record) ? 'an array' : typeof record}`,
    };
  }
  const shipped = shippedAccessLogLine(record);
  if (shipped !== null) {
    const fields = parseAccessLogLine(shipped);
    // The shipper's record is kept as received; the line's fields are what the normalized columns come from.
    if (fields) return { ok: true, event: accessLogEvent(fields, ctx, false) };
  }
  switch (detectJamfFeed(record)) {
    case 'webhook':
      return { ok: true, event: webhookEvent(record, ctx) };
    case 'object_history':
      return { ok: true, event: historyEvent(record, ctx) };
    case 'action_log':
      return { ok: true, event: actionLogEvent(record, ctx) };
    case null:
      return {
        ok: false,
        reason: 'unrecognized_shape',
        message: 'not a Jamf Pro record: expected a webhook ({webhook: {webhookEvent}, event}), an object history entry (note, username, date) or an action log (actionType, requestor)',
      };
  }
};

const deviceEvents = new Set([
  'ComputerAdded',
  'ComputerCheckIn',
  'ComputerInventoryCompleted',
  'ComputerPushCapabilityChanged',
  'MobileDeviceCheckIn',
  'MobileDeviceEnrolled',
  'MobileDeviceUnEnrolled',
  'MobileDeviceInventoryCompleted',
  'DeviceAddedToDEP',
]);

function webhookClass(name: string): OcsfClass | null {
  if (deviceEvents.has(name)) return ocsf.deviceInventory;
  if (name === 'RestAPIOperation') return ocsf.apiActivity;
  if (name === 'JSSStartup' || name === 'JSSShutdown') return ocsf.applicationLifecycle;
  if (name === 'SmartGroupUserMembershipChange') return ocsf.groupManagement;
  return null;
}

function webhookEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const hook = webhookSchema.parse(record).webhook ?? null;
  const name = text(hook?.webhookEvent) ?? 'unknown';
  const e = webhookEventSchema.parse(isPlainObject(record.event) ? record.event : {});
  const base = blankEvent(ctx, toIsoMillis(hook?.eventTimestamp), webhookClass(name));
  if (name === 'RestAPIOperation') return restApiEvent(base, e);
  const event = isPlainObject(record.event) ? record.event : null;
  const device = e.computer ?? (event && ('deviceName' in event || 'serialNumber' in event) ? webhookDeviceSchema.parse(event) : null);
  if (device) return deviceEvent(base, name, e, device);
  return { ...base, action: name, ...otherWebhookFields(name, e) };
}

function restApiEvent(base: EventDraft, e: WebhookEvent): EventDraft {
  const method = text(e.restAPIOperationType)?.toUpperCase() ?? null;
  const outcome = booleanOutcome(e.operationSuccessful);
  const objectType = text(e.objectTypeName);
  const objectName = text(e.objectName) ?? idText(e.objectID);
  return {
    ...base,
    action: method ? `RestAPIOperation.${method}` : 'RestAPIOperation',
    identity_action: outcome === 'success' ? accountIdentity(method, objectType) : null,
    outcome,
    actor: principalName(e.authorizedUsername),
    target: objectName,
    target_type: objectName ? objectType : null,
    message: [method, objectType, objectName, idText(e.objectID) && `(id ${idText(e.objectID)})`].filter(Boolean).join(' ') || null,
  };
}

/**
 * Jamf Pro user accounts created or deleted through the API. Jamf names object types in words; an account
 * type (not an account *group*) created by POST or removed by DELETE is read as account creation or deletion.
 */
function accountIdentity(method: string | null, objectType: string | null): IdentityAction | null {
  const type = objectType?.toLowerCase() ?? '';
  if (!type.includes('account') || type.includes('group')) return null;
  if (method === 'POST') return 'account_create';
  if (method === 'DELETE') return 'account_delete';
  return null;
}

function deviceEvent(base: EventDraft, name: string, e: WebhookEvent, d: WebhookDevice): EventDraft {
  const deviceName = text(d.deviceName) ?? text(d.serialNumber) ?? text(d.udid);
  const os = text(d.osVersion);
  const serial = text(d.serialNumber);
  const policyId = idText(e.policyId);
  return {
    ...base,
    action: name,
    outcome: e.successful === undefined ? 'success' : booleanOutcome(e.successful),
    actor: principalName(e.username) ?? principalName(d.username) ?? principalName(d.emailAddress),
    actor_name: text(d.realName),
    src_ip: ipAddress(d.ipAddress) ?? ipAddress(d.reportedIpAddress),
    service: policyId ? `policy ${policyId}` : null,
    target: deviceName,
    target_type: deviceName ? (name.startsWith('MobileDevice') ? 'mobile_device' : name.startsWith('Computer') ? 'computer' : 'device') : null,
    message: [text(d.model), os && `OS ${os}`, serial && `serial ${serial}`, text(e.trigger) && `trigger ${text(e.trigger)}`].filter(Boolean).join(', ') || null,
  };
}

/** Server, smart group, push, command and patch webhooks: what each one names. */
function otherWebhookFields(name: string, e: WebhookEvent): Partial<EventDraft> {
  if (name === 'JSSStartup' || name === 'JSSShutdown') {
    const url = text(e.jssUrl);
    return { outcome: 'success', src_ip: ipAddress(e.hostAddress), target: url, target_type: url ? 'server' : null, message: text(e.institution) };
  }
  if (name.startsWith('SmartGroup')) {
    const group = text(e.name);
    const added = (e.groupAddedDevicesIds ?? e.groupAddedUserIds ?? []).length;
    const removed = (e.groupRemovedDevicesIds ?? e.groupRemovedUserIds ?? []).length;
    return { outcome: 'success', target: group, target_type: group ? 'smart_group' : null, message: `added ${added}, removed ${removed}` };
  }
  // PushSent and MobileDeviceCommandCompleted name a device; PatchSoftwareTitleUpdated a software title.
  const device = text(e.managementId) ?? text(e.udid);
  if (device) return { outcome: 'success', target: device, target_type: 'device', message: text(e.command) ?? text(e.type) };
  const subject = text(e.name);
  return { outcome: 'success', target: subject, target_type: subject ? 'object' : null, message: text(e.latestVersion) ?? text(e.description) };
}

function historyEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const h = objectHistorySchema.parse(record);
  return {
    ...blankEvent(ctx, toIsoMillis(h.date), ocsf.entityManagement),
    event_id: idText(h.id),
    action: text(h.note) ?? 'history',
    outcome: 'success',
    actor: principalName(h.username),
    message: text(h.details),
  };
}

function actionLogEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const a = actionLogSchema.parse(record);
  const status = text(a.status)?.toUpperCase() ?? null;
  const outcome: Outcome = status === 'COMPLETED' ? 'success' : status === 'FAILED' ? 'failure' : 'unknown';
  const count = idText(a.target?.deviceCount);
  const deviceClass = text(a.target?.deviceClass);
  const targetName = text(a.target?.name) ?? idText(a.target?.id);
  return {
    ...blankEvent(ctx, toIsoMillis(a.createdTime), null),
    event_id: idText(a.id),
    action: text(a.actionType) ?? 'action',
    outcome,
    outcome_reason: status,
    actor: principalName(a.requestor?.name) ?? idText(a.requestor?.id),
    actor_id: idText(a.requestor?.id),
    actor_type: text(a.requestor?.type),
    target: targetName,
    target_type: targetName ? text(a.target?.type) : null,
    message: count ? `${count} ${deviceClass ?? 'device'} device(s)` : null,
  };
}

/**
 * A Log Stream line inside a log shipper's JSON record: `{"message": "[JSSACCESSLOG] …"}` (Datadog, generic
 * HTTPS) or `{"event": "[JSSACCESSLOG] …"}` (Splunk HEC).
 */
function shippedAccessLogLine(record: Record<string, unknown>): string | null {
  for (const value of [record.message, record.event]) {
    if (typeof value === 'string' && value.trimStart().startsWith('[JSSACCESSLOG]')) return value;
  }
  return null;
}

/** `withRaw`: a bare text line keeps its fields as `raw`; a shipper's JSON record is stored as received. */
function accessLogEvent(fields: Record<string, string>, ctx: ParseContext, withRaw: boolean): EventDraft {
  const status = text(fields.status);
  const lower = status?.toLowerCase() ?? '';
  const outcome: Outcome = lower.startsWith('successful') ? 'success' : lower.startsWith('failed') ? 'failure' : 'unknown';
  return {
    ...blankEvent(ctx, toIsoMillis(fields.timestamp), ocsf.authentication),
    action: status ?? 'access',
    identity_action: outcome === 'success' ? 'auth_success' : outcome === 'failure' ? 'auth_failure' : null,
    outcome,
    outcome_reason: status,
    actor: principalName(fields.username),
    src_ip: ipAddress(fields.ipAddress),
    // JSS = the web interface, "JSS (API)" = the Classic API, "Universal API" = the Jamf Pro API.
    service: text(fields.entryPoint),
    ...(withRaw ? { raw: JSON.stringify(fields) } : {}),
  };
}

function booleanOutcome(value: unknown): Outcome {
  if (value === true || value === 'true') return 'success';
  if (value === false || value === 'false') return 'failure';
  return 'unknown';
}

function idText(value: unknown): string | null {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : text(value);
}
