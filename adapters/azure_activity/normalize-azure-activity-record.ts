/**
 * Azure Monitor Activity Log record → normalized event. Pure; never throws.
 *
 * Feed detection, per record: `operationName` as a string is the diagnostic-settings export (resource log schema),
 * `operationName: {value}` with `eventTimestamp` the REST API; one lenient schema reads both. Resource logs of
 * other categories in the same schema are kept too; AKS `kube-audit` records carry a Kubernetes audit event as JSON
 * text in `properties.log`, which is read by the Kubernetes audit normalizer (`action` `<verb> <resource>`).
 *
 * Invariants: the caller's UPN (or e-mail, or app id) is the actor; a successful role assignment write is a
 * privilege grant, the grantee (from the request body) its target; `Start`/`Accepted` events of an operation have
 * an unknown outcome and no identity action, so that an operation is counted once, by its final event.
 */
import type { EventDraft, IdentityAction, Outcome, ParseContext, ParseResult, RecordParser, Severity } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { integer, ipAddress, principalName, text } from '../shared/lenient';
import { normalizeKubernetesAuditEvent } from '../kubernetes_audit/normalize-kubernetes-audit-event';
import { localizedValue, readActivityLogRecord, type ActivityLogRecord } from './activity-log-schema';

const upnClaim = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn';
const emailClaim = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
const nameClaim = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';
const objectIdClaim = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
const authMethodsClaim = 'http://schemas.microsoft.com/claims/authnmethodsreferences';

export const normalizeAzureActivityRecord: RecordParser = (record, ctx): ParseResult => {
  if (!isPlainObject(record)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected an Azure Activity Log record (a JSON object), got ${Array.isArray(record) ? 'an array' : typeof record}`,
    };
  }
  const r = readActivityLogRecord(record);
  const operation = text(localizedValue(r.operationName));
  const resourceId = text(r.resourceId);
  if (!operation && !text(r.eventDataId) && !(resourceId && (r.time !== undefined || r.eventTimestamp !== undefined || r.category !== undefined))) {
    return {
      ok: false,
      reason: 'unrecognized_shape',
      message: 'not an Azure Activity Log record: it has no operationName, no eventDataId and no resourceId with a time or category',
    };
  }
  const category = text(localizedValue(r.category));
  const time = toIsoMillis(r.time) ?? toIsoMillis(r.eventTimestamp);
  if (category?.toLowerCase().startsWith('kube-audit')) {
    const kubernetes = kubernetesAuditEventIn(r, ctx, time);
    if (kubernetes) return kubernetes;
  }

  const action = operation ?? 'unknown';
  const operationKey = action.toLowerCase();
  const properties = r.properties;
  const claims = r.identity?.claims ?? r.claims;
  const authorization = r.identity?.authorization ?? r.authorization;
  const outcome = outcomeOf(r);
  const privilege = privilegeOperations[operationKey] ?? kubernetesBindingChange(operationKey);
  const identity: IdentityAction | null = privilege && outcome === 'success' ? privilege : null;
  const classification = classify(category, privilege);
  const target = targetOf(r, operation, resourceId);

  const event: EventDraft = {
    event_id: text(r.eventDataId),
    source: ctx.source,
    event_time: time ?? ctx.ingestTime,
    event_time_inferred: time === null,
    ingest_time: ctx.ingestTime,
    class_uid: classification?.[0] ?? null,
    class_name: classification?.[1] ?? null,
    action,
    identity_action: identity,
    outcome,
    outcome_reason: outcome === 'failure' ? failureReason(r) : null,
    severity: azureSeverity(text(r.level)),
    actor:
      principalName(r.caller) ??
      principalName(claims?.[upnClaim]) ??
      principalName(claims?.upn) ??
      principalName(claims?.[emailClaim]) ??
      emailOnly(claims?.name) ??
      principalName(claims?.[nameClaim]) ??
      principalName(r.identity?.requester?.upn) ??
      text(claims?.appid) ??
      text(r.identity?.requester?.appId) ??
      text(claims?.name),
    actor_id:
      text(claims?.[objectIdClaim]) ??
      text(claims?.oid) ??
      text(r.identity?.requester?.objectId) ??
      // The evidence is the role assignment that let the caller act, made to the caller's principal.
      text(authorization?.evidence?.principalId) ??
      text(claims?.appid),
    actor_name: text(claims?.name),
    actor_type: text(authorization?.evidence?.principalType) ?? text(claims?.idtyp) ?? text(r.identity?.type),
    src_ip: ipWithoutPort(r.callerIpAddress) ?? ipWithoutPort(r.httpRequest?.clientIpAddress) ?? ipWithoutPort(claims?.ipaddr),
    src_country: null,
    src_region: null,
    src_city: null,
    src_lat: null,
    src_lon: null,
    src_asn: null,
    src_asn_org: null,
    user_agent: text(properties?.userAgentHeader) ?? text(properties?.userAgent),
    service: serviceOf(r, operation, resourceId),
    target: target?.[0] ?? null,
    target_type: target?.[1] ?? null,
    session_id: null,
    mfa_factor: usedMfa(claims) ? 'MFA' : null,
    message: text(r.description) ?? text(r.resultDescription) ?? localizedOperationName(r),
  };
  return { ok: true, event };
};

/** An AKS `kube-audit` record, read as the Kubernetes audit event it carries; null to read it as a plain record. */
function kubernetesAuditEventIn(r: ActivityLogRecord, ctx: ParseContext, time: string | null): ParseResult | null {
  const log = r.properties?.log;
  if (typeof log !== 'string' || !log.trimStart().startsWith('{')) return null;
  let inner: unknown;
  try {
    inner = JSON.parse(log);
  } catch {
    return null;
  }
  const result = normalizeKubernetesAuditEvent(inner, ctx);
  if (!result.ok) return null;
  const event = result.event;
  if (!event.event_time_inferred || time === null) return result;
  return { ok: true, event: { ...event, event_time: time, event_time_inferred: false } };
}

function outcomeOf(r: ActivityLogRecord): Outcome {
  const status = text(localizedValue(r.status)) ?? text(r.resultType);
  if (status) {
    switch (status.toLowerCase()) {
      case 'success':
      case 'succeeded':
        return 'success';
      case 'failure':
      case 'failed':
        return 'failure';
      default:
        return 'unknown'; // Start, Started, Accept, Accepted, Active, Resolved, InProgress: not the final event
    }
  }
  const code = integer(r.statusCode);
  if (code !== null) return code >= 400 ? 'failure' : 'success';
  const metric = text(r.properties?.metricResponseType);
  if (metric) return metric === 'Success' ? 'success' : 'failure';
  return 'unknown';
}

function failureReason(r: ActivityLogRecord): string | null {
  const signature = r.resultSignature === undefined ? null : text(String(r.resultSignature));
  return (
    text(localizedValue(r.subStatus)) ??
    text(r.properties?.statusCode) ??
    text(r.statusText) ??
    text(r.properties?.metricResponseType) ??
    signature ??
    text(r.resultDescription)
  );
}

function azureSeverity(level: string | null): Severity | null {
  switch (level?.toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'error':
      return 'high';
    case 'warning':
      return 'medium';
    case 'informational':
    case 'information':
    case 'verbose':
      return 'info';
    default:
      return null;
  }
}

/** Operations that grant or take away a role, by lower-cased operation name. */
const privilegeOperations: Record<string, IdentityAction> = {
  'microsoft.authorization/roleassignments/write': 'privilege_grant',
  'microsoft.authorization/roleassignments/delete': 'privilege_revoke',
  // Makes the caller User Access Administrator at root scope.
  'microsoft.authorization/elevateaccess/action': 'privilege_grant',
  // PIM: a request to activate or assign a role.
  'microsoft.authorization/roleassignmentschedulerequests/write': 'privilege_grant',
};

/** Kubernetes RBAC bindings written through ARM (AKS, Arc-enabled clusters) are role assignments too. */
function kubernetesBindingChange(operationKey: string): IdentityAction | null {
  if (!operationKey.includes('/rbac.authorization.k8s.io/')) return null;
  if (operationKey.endsWith('rolebindings/write')) return 'privilege_grant';
  if (operationKey.endsWith('rolebindings/delete')) return 'privilege_revoke';
  return null;
}

function classify(category: string | null, privilege: IdentityAction | null): [number, string] | null {
  if (privilege) return [3005, 'User Access Management'];
  switch (category?.toLowerCase()) {
    case 'security':
      return [2004, 'Detection Finding']; // Microsoft Defender for Cloud alerts
    case 'servicehealth':
    case 'resourcehealth':
    case 'recommendation':
    case 'alert':
    case 'autoscale':
      return null; // Azure reporting on itself, not a call
    default:
      return [6003, 'API Activity'];
  }
}

/** A blob for storage logs, the grantee of a role assignment, else the resource acted on. */
function targetOf(r: ActivityLogRecord, operation: string | null, resourceId: string | null): [string, string | null] | null {
  const objectKey = text(r.properties?.objectKey);
  if (objectKey) return [objectKey, text(r.properties?.serviceType) ?? 'blob'];
  if (operation?.toLowerCase().startsWith('microsoft.authorization/roleassignments/')) {
    const grantee = roleAssignmentPrincipal(r.properties);
    if (grantee) return grantee;
  }
  if (!resourceId) return null;
  return [resourceId, text(localizedValue(r.resourceType)) ?? resourceTypeOf(resourceId)];
}

/** `{"Properties": {"PrincipalId", "PrincipalType"}}` of a role assignment request body (JSON text or object). */
function roleAssignmentPrincipal(properties: Record<string, unknown> | undefined): [string, string | null] | null {
  let body = properties?.requestbody ?? properties?.requestBody ?? properties?.responseBody;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return null;
    }
  }
  if (!isPlainObject(body)) return null;
  const inner = body.Properties ?? body.properties;
  if (!isPlainObject(inner)) return null;
  const principalId = text(inner.PrincipalId) ?? text(inner.principalId);
  return principalId ? [principalId, text(inner.PrincipalType) ?? text(inner.principalType)] : null;
}

/**
 * The ARM resource type of a resource id: `/subscriptions/…/providers/Microsoft.Storage/storageAccounts/x/blobServices/default`
 * → `Microsoft.Storage/storageAccounts/blobServices` (the last provider wins for extension resources such as locks).
 */
function resourceTypeOf(resourceId: string): string | null {
  const lower = resourceId.toLowerCase();
  const marker = lower.lastIndexOf('/providers/');
  if (marker === -1) {
    if (lower.includes('/resourcegroups/')) return 'Microsoft.Resources/resourceGroups';
    return lower.startsWith('/subscriptions/') ? 'Microsoft.Resources/subscriptions' : null;
  }
  const segments = resourceId.slice(marker + '/providers/'.length).split('/');
  const types = segments.filter((_, i) => i === 0 || i % 2 === 1);
  return types.join('/') || null;
}

/** The resource provider (`microsoft.storage`), lower-cased because Azure's own casing of it varies by record. */
function serviceOf(r: ActivityLogRecord, operation: string | null, resourceId: string | null): string | null {
  const provider = text(localizedValue(r.resourceProviderName));
  if (provider) return provider.toLowerCase();
  const slash = operation?.indexOf('/') ?? -1;
  if (operation && slash > 0) return operation.slice(0, slash).toLowerCase();
  if (!resourceId) return null;
  const marker = resourceId.toLowerCase().lastIndexOf('/providers/');
  if (marker === -1) return null;
  const start = marker + '/providers/'.length;
  const end = resourceId.indexOf('/', start);
  return resourceId.slice(start, end === -1 ? undefined : end).toLowerCase() || null;
}

function localizedOperationName(r: ActivityLogRecord): string | null {
  const field = r.operationName;
  if (typeof field !== 'object' || field === null) return null;
  const localized = text(field.localizedValue);
  return localized && localized !== text(field.value) ? localized : null;
}

function usedMfa(claims: Record<string, unknown> | undefined): boolean {
  const methods = claims?.[authMethodsClaim] ?? claims?.amr;
  if (Array.isArray(methods)) return methods.includes('mfa');
  return typeof methods === 'string' && methods.split(/[ ,]/).includes('mfa');
}

function emailOnly(value: unknown): string | null {
  const s = principalName(value);
  return s?.includes('@') ? s : null;
}

/** Storage logs add the client port (`1.2.3.4:5678`, `[2001:db8::1]:443`); `0.0.0.0` stands for "no caller". */
function ipWithoutPort(value: unknown): string | null {
  const s = text(value);
  if (!s) return null;
  let ip = ipAddress(s);
  if (!ip && s.startsWith('[')) {
    const end = s.indexOf(']');
    ip = end > 0 ? ipAddress(s.slice(1, end)) : null;
  } else if (!ip) {
    const colon = s.indexOf(':');
    ip = colon > 0 && colon === s.lastIndexOf(':') ? ipAddress(s.slice(0, colon)) : null;
  }
  return ip === '0.0.0.0' ? null : ip;
}
