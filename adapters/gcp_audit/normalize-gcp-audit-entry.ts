/**
 * Google Cloud Audit Logs entry → normalized event. Pure; never throws.
 *
 * Feed detection: an entry with an AuditLog payload (in `protoPayload`, or flattened to the top level) is an
 * audit event; the log (Admin Activity, Data Access, System Event, Policy Denied) is read from `logName`. Other
 * LogEntries that reach this source are kept (class null, `action` "unknown") rather than dropped.
 *
 * Outcome: a non-zero `status.code`, a permission `granted: false`, or a Policy Denied log is a failure; any other
 * AuditLog entry is a success (an absent status is code 0); an entry with another payload is unknown.
 */
import type { EventDraft, IdentityAction, Outcome, ParseResult, RecordParser, Severity } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { integer, ipAddress, principalName, text } from '../shared/lenient';
import { isLogEntry, readAuditLogEntry, type AuditLog, type LogEntry } from './log-entry-schema';

export const normalizeGcpAuditEntry: RecordParser = (record, ctx): ParseResult => {
  if (!isPlainObject(record)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a Cloud Audit Logs entry (a JSON object), got ${Array.isArray(record) ? 'an array' : typeof record}`,
    };
  }
  const { entry, auditLog: a } = readAuditLogEntry(record);
  if (!isLogEntry(record, entry, a)) {
    return {
      ok: false,
      reason: 'unrecognized_shape',
      message: 'not a Cloud Logging entry: it has no protoPayload, insertId, logName or AuditLog fields (methodName, serviceName)',
    };
  }
  const method = text(a?.methodName);
  const action = method ?? 'unknown';
  const code = statusCode(a);
  const denied = a?.authorizationInfo?.find((info) => info?.granted === false);
  const policyDenied = entry.logName?.endsWith('cloudaudit.googleapis.com%2Fpolicy') === true || entry.logName?.endsWith('cloudaudit.googleapis.com/policy') === true;
  const failed = (code !== null && code !== 0) || denied !== undefined || policyDenied;
  // An AuditLog reports a call that was made; an absent status is google.rpc.Status's default, code 0 (OK).
  const outcome: Outcome = failed ? 'failure' : a ? 'success' : 'unknown';
  const identity = failed || !a || !method ? null : identityAction(method, a);
  const classification = a ? classify(identity, method) : null;
  const time = toIsoMillis(entry.timestamp) ?? toIsoMillis(entry.receiveTimestamp);
  const principal = a?.authenticationInfo;
  const target = a ? targetOf(a, identity, entry) : null;

  const event: EventDraft = {
    event_id: text(entry.insertId),
    source: ctx.source,
    event_time: time ?? ctx.ingestTime,
    event_time_inferred: time === null,
    ingest_time: ctx.ingestTime,
    class_uid: classification?.[0] ?? null,
    class_name: classification?.[1] ?? null,
    action,
    identity_action: identity,
    outcome,
    outcome_reason: failed ? failureReason(code, text(a?.status?.message), denied?.permission, policyDenied) : null,
    severity: logSeverity(text(entry.severity)),
    actor: principalName(principal?.principalEmail) ?? text(principal?.principalSubject),
    actor_id: text(principal?.principalSubject),
    actor_name: null,
    actor_type: actorType(text(principal?.principalSubject), text(principal?.principalEmail)),
    // callerIp may be "private" or "gce-internal-ip" for calls from inside Google's network.
    src_ip: ipAddress(a?.requestMetadata?.callerIp) ?? ipAddress(a?.requestMetadata?.callerIP),
    src_country: null,
    src_region: null,
    src_city: null,
    src_lat: null,
    src_lon: null,
    src_asn: null,
    src_asn_org: null,
    user_agent: text(a?.requestMetadata?.callerSuppliedUserAgent),
    service: text(a?.serviceName) ?? text(entry.operation?.producer),
    target: target?.[0] ?? null,
    target_type: target?.[1] ?? null,
    session_id: text(principal?.serviceAccountKeyName),
    mfa_factor: null,
    message: a ? null : (text(entry.textPayload) ?? text(entry.jsonPayload?.message)),
  };
  return { ok: true, event };
};

function statusCode(a: AuditLog | null): number | null {
  const code = a?.status?.code;
  if (code === undefined) return null;
  return integer(code) ?? (text(code) && text(code) !== 'OK' ? -1 : 0); // a code name other than OK is an error
}

/** https://grpc.github.io/grpc/core/md_doc_statuscodes.html */
const grpcCodeNames = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE',
  'DATA_LOSS', 'UNAUTHENTICATED',
] as const;

function failureReason(code: number | null, message: string | null, deniedPermission: string | undefined, policyDenied: boolean): string | null {
  const name = code !== null && code > 0 ? (grpcCodeNames[code] ?? String(code)) : null;
  if (name && message && message !== name) return `${name}: ${message}`;
  if (name ?? message) return name ?? message;
  if (deniedPermission) return `permission not granted: ${deniedPermission}`;
  return policyDenied ? 'denied by a security policy' : null;
}

/** Cloud Logging's LogSeverity; DEFAULT means none was set. */
function logSeverity(severity: string | null): Severity | null {
  switch (severity?.toUpperCase()) {
    case 'DEBUG':
    case 'INFO':
    case 'NOTICE':
      return 'info';
    case 'WARNING':
      return 'medium';
    case 'ERROR':
      return 'high';
    case 'CRITICAL':
    case 'ALERT':
    case 'EMERGENCY':
      return 'critical';
    default:
      return null;
  }
}

/** Methods by their last segment, lower-cased (`google.iam.admin.v1.CreateServiceAccountKey` → `createserviceaccountkey`). */
const identityMethods: Record<string, IdentityAction> = {
  createserviceaccountkey: 'token_issue',
  uploadserviceaccountkey: 'token_issue',
  deleteserviceaccountkey: 'token_revoke',
  disableserviceaccountkey: 'token_revoke',
  // IAM Credentials API: short-lived credentials minted for a service account.
  generateaccesstoken: 'token_issue',
  generateidtoken: 'token_issue',
  signjwt: 'token_issue',
  createserviceaccount: 'account_create',
  deleteserviceaccount: 'account_delete',
  disableserviceaccount: 'account_disable',
  enableserviceaccount: 'account_enable',
  // Google Workspace Admin SDK calls logged through Cloud Audit Logs (google.admin.AdminService.*).
  createuser: 'account_create',
  deleteuser: 'account_delete',
  suspenduser: 'account_disable',
  unsuspenduser: 'account_enable',
  changepassword: 'password_change',
  assignrole: 'privilege_grant',
  unassignrole: 'privilege_revoke',
  grantadminprivilege: 'privilege_grant',
  revokeadminprivilege: 'privilege_revoke',
  addgroupmember: 'privilege_grant',
  removegroupmember: 'privilege_revoke',
};

/** GKE audit entries name Kubernetes calls `io.k8s.<group>.<version>.<resource>[.<subresource>].<verb>`. */
const kubernetesMethods: [suffix: string, action: IdentityAction][] = [
  ['.clusterrolebindings.create', 'privilege_grant'],
  ['.rolebindings.create', 'privilege_grant'],
  ['.clusterrolebindings.delete', 'privilege_revoke'],
  ['.rolebindings.delete', 'privilege_revoke'],
  ['.serviceaccounts.token.create', 'token_issue'],
  ['.serviceaccounts.create', 'account_create'],
  ['.serviceaccounts.delete', 'account_delete'],
];

function identityAction(method: string, a: AuditLog): IdentityAction | null {
  const lower = method.toLowerCase();
  if (lower.startsWith('io.k8s.')) return kubernetesMethods.find(([suffix]) => lower.endsWith(suffix))?.[1] ?? null;
  const last = lower.slice(lower.lastIndexOf('.') + 1);
  if (last === 'setiampolicy' || last === 'setiampermissions') return policyChange(a);
  // API keys: `google.api.apikeys.v2.ApiKeys.CreateKey`; other services also have a CreateKey.
  if (lower.includes('apikeys')) return last === 'createkey' ? 'token_issue' : last === 'deletekey' ? 'token_revoke' : null;
  return identityMethods[last] ?? null;
}

/**
 * A policy write grants when its recorded delta adds a binding and revokes when it only removes; IAM records the
 * delta in `serviceData` (older services) or `metadata`. Without a delta, a request that sets bindings is a grant.
 */
function policyChange(a: AuditLog): IdentityAction | null {
  const deltas = bindingDeltas(a);
  if (deltas.length > 0) {
    if (deltas.some((d) => d.action === 'ADD')) return 'privilege_grant';
    return deltas.some((d) => d.action === 'REMOVE') ? 'privilege_revoke' : null;
  }
  const policy = a.request?.policy;
  return isPlainObject(policy) && Array.isArray(policy.bindings) && policy.bindings.length > 0 ? 'privilege_grant' : null;
}

function bindingDeltas(a: AuditLog): Record<string, unknown>[] {
  for (const container of [a.serviceData, a.metadata]) {
    const delta = container?.policyDelta;
    if (isPlainObject(delta) && Array.isArray(delta.bindingDeltas)) return delta.bindingDeltas.filter(isPlainObject);
  }
  return [];
}

function classify(identity: IdentityAction | null, method: string | null): [number, string] | null {
  if (identity === 'privilege_grant' || identity === 'privilege_revoke') return [3005, 'User Access Management'];
  if (identity) return [3001, 'Account Change'];
  return method ? [6003, 'API Activity'] : null;
}

/** Who a grant is for (the first member added), else the resource acted on. */
function targetOf(a: AuditLog, identity: IdentityAction | null, entry: LogEntry): [string, string | null] | null {
  if (identity === 'privilege_grant' || identity === 'privilege_revoke') {
    const wanted = identity === 'privilege_grant' ? 'ADD' : 'REMOVE';
    const delta = bindingDeltas(a).find((d) => d.action === wanted);
    const member = text(delta?.member);
    if (member) {
      // IAM members are `user:alice@example.com`, `serviceAccount:…`, `group:…`, `domain:…`.
      const colon = member.indexOf(':');
      return colon > 0 ? [principalName(member.slice(colon + 1)) ?? member, member.slice(0, colon)] : [principalName(member) ?? member, null];
    }
  }
  const resource = text(a.resourceName);
  return resource ? [resource, text(entry.resource?.type)] : null;
}

/** From the principal's IAM prefix, or a service-account e-mail's domain. */
function actorType(subject: string | null, email: string | null): string | null {
  if (subject?.startsWith('serviceAccount:')) return 'ServiceAccount';
  if (subject?.startsWith('user:')) return 'User';
  if (subject?.startsWith('principal://')) return 'FederatedUser';
  if (email?.startsWith('system:serviceaccount:')) return 'ServiceAccount'; // GKE
  if (email === 'system@google.com') return 'System'; // System Event logs: Google acted, not a user
  if (!email?.includes('@')) return null;
  return email.endsWith('.gserviceaccount.com') ? 'ServiceAccount' : 'User';
}
