/**
 * Kubernetes audit event → normalized event. Pure; never throws.
 *
 * - `action` is `<verb> <resource>[/<subresource>]` (`create serviceaccounts/token`, `create pods/exec`), or
 *   `<verb> <path>` for non-resource requests (`get /healthz`): the verb alone would not say what was acted on.
 * - Every stage (RequestReceived, ResponseStarted, ResponseComplete, Panic) is an event; the stage stays in raw.
 *   `event_id` is the `auditID`, shared by the stages of one request.
 * - A response code of 400 or more is a failure; 401 is the API server refusing the credentials (auth_failure).
 */
import type { EventDraft, IdentityAction, Outcome, ParseResult, RecordParser } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { integer, ipAddress, principalName, text } from '../shared/lenient';
import { isKubernetesAuditEvent, readKubernetesAuditEvent, type KubernetesAuditEvent } from './audit-event-schema';

export const normalizeKubernetesAuditEvent: RecordParser = (record, ctx): ParseResult => {
  if (!isPlainObject(record)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a Kubernetes audit event (a JSON object), got ${Array.isArray(record) ? 'an array' : typeof record}`,
    };
  }
  if (!isKubernetesAuditEvent(record)) {
    const apiVersion = text(record.apiVersion);
    return {
      ok: false,
      reason: 'unrecognized_shape',
      message: apiVersion
        ? `not a Kubernetes audit event: apiVersion is "${apiVersion}", not audit.k8s.io/*`
        : 'not a Kubernetes audit event: it has no auditID, no audit.k8s.io apiVersion and no kind "Event" with request fields',
    };
  }
  const e = readKubernetesAuditEvent(record);
  const verb = text(e.verb);
  const resource = text(e.objectRef?.resource);
  const subresource = text(e.objectRef?.subresource);
  const resourcePath = resource ? (subresource ? `${resource}/${subresource}` : resource) : uriPath(e.requestURI);
  const action = verb ? (resourcePath ? `${verb} ${resourcePath}` : verb) : 'unknown';
  const code = integer(e.responseStatus?.code);
  const outcome = outcomeOf(e, code);
  const identity = identityAction(e, verb, resource, subresource, code, outcome);
  const classification = classify(verb, resource, subresource, code);
  const time = toIsoMillis(e.requestReceivedTimestamp) ?? toIsoMillis(e.stageTimestamp) ?? toIsoMillis(e.timestamp);
  const target = targetOf(e, identity);
  const username = text(e.user?.username);

  const event: EventDraft = {
    event_id: text(e.auditID),
    source: ctx.source,
    event_time: time ?? ctx.ingestTime,
    event_time_inferred: time === null,
    ingest_time: ctx.ingestTime,
    class_uid: classification[0],
    class_name: classification[1],
    action,
    identity_action: identity,
    outcome,
    outcome_reason: text(e.responseStatus?.reason) ?? text(e.responseStatus?.message) ?? forbidReason(e),
    severity: null,
    actor: principalName(username),
    actor_id: text(e.user?.uid),
    // EKS maps IAM principals to Kubernetes users and names the IAM ARN in `extra.arn`.
    actor_name: firstText(e.user?.extra?.arn),
    actor_type: username ? actorType(username) : null,
    // The first entry is the client as it claims to be (X-Forwarded-For); only the last is set by the server.
    src_ip: ipAddress(e.sourceIPs?.[0]),
    src_country: null,
    src_region: null,
    src_city: null,
    src_lat: null,
    src_lon: null,
    src_asn: null,
    src_asn_org: null,
    user_agent: text(e.userAgent),
    service: text(e.objectRef?.apiGroup),
    target: target?.[0] ?? null,
    target_type: target?.[1] ?? null,
    session_id: firstText(e.user?.extra?.['authentication.kubernetes.io/credential-id']) ?? firstText(e.user?.extra?.accessKeyId),
    mfa_factor: null,
    message: classification[0] === 1007 ? execCommand(e) : null,
  };
  return { ok: true, event };
};

function outcomeOf(e: KubernetesAuditEvent, code: number | null): Outcome {
  if (code !== null) return code >= 400 ? 'failure' : 'success';
  if (text(e.responseStatus?.status) === 'Failure') return 'failure';
  if (text(e.annotations?.['authorization.k8s.io/decision']) === 'forbid') return 'failure';
  return 'unknown'; // RequestReceived and watch streams have no response yet
}

/** The authorizer's reason, when it is the reason for a refusal (it also explains every allowed request). */
function forbidReason(e: KubernetesAuditEvent): string | null {
  return text(e.annotations?.['authorization.k8s.io/decision']) === 'forbid' ? text(e.annotations?.['authorization.k8s.io/reason']) : null;
}

const bindingResources = new Set(['rolebindings', 'clusterrolebindings']);

function identityAction(
  e: KubernetesAuditEvent,
  verb: string | null,
  resource: string | null,
  subresource: string | null,
  code: number | null,
  outcome: Outcome,
): IdentityAction | null {
  if (code === 401) return 'auth_failure';
  if (outcome === 'failure' || !verb || !resource) return null; // a refused change changed nothing
  if (resource === 'serviceaccounts' && subresource === 'token') return verb === 'create' ? 'token_issue' : null;
  if (subresource) return null;
  if (bindingResources.has(resource)) return verb === 'create' ? 'privilege_grant' : verb === 'delete' ? 'privilege_revoke' : null;
  if (resource === 'serviceaccounts') return verb === 'create' ? 'account_create' : verb === 'delete' ? 'account_delete' : null;
  // A long-lived service-account token is a Secret of this type.
  if (resource === 'secrets' && verb === 'create' && e.requestObject?.type === 'kubernetes.io/service-account-token') return 'token_issue';
  return null;
}

/** OCSF class of what the request tried to do, whatever its outcome. */
function classify(verb: string | null, resource: string | null, subresource: string | null, code: number | null): [number, string] {
  if (code === 401) return [3002, 'Authentication'];
  if (resource && bindingResources.has(resource) && !subresource && (verb === 'create' || verb === 'delete')) {
    return [3005, 'User Access Management'];
  }
  if (resource === 'serviceaccounts' && (verb === 'create' || verb === 'delete')) return [3001, 'Account Change'];
  if (resource === 'pods' && (subresource === 'exec' || subresource === 'attach') && verb === 'create') return [1007, 'Process Activity'];
  return [6003, 'API Activity'];
}

/** Who a grant is for (the first subject of a binding), else the object acted on as `namespace/name`. */
function targetOf(e: KubernetesAuditEvent, identity: IdentityAction | null): [string, string] | null {
  if ((identity === 'privilege_grant' || identity === 'privilege_revoke') && Array.isArray(e.requestObject?.subjects)) {
    const subject = e.requestObject.subjects[0] as Record<string, unknown> | undefined;
    const name = principalName(subject?.name);
    if (name) {
      const namespace = text(subject?.namespace);
      return [namespace ? `${namespace}/${name}` : name, text(subject?.kind) ?? 'Subject'];
    }
  }
  const resource = text(e.objectRef?.resource);
  // Create requests name the new object in the body, not in the URL.
  const name = text(e.objectRef?.name) ?? metadataName(e.requestObject) ?? metadataName(e.responseObject);
  if (!name) return null;
  const namespace = text(e.objectRef?.namespace);
  return [namespace ? `${namespace}/${name}` : name, resource ?? 'object'];
}

function metadataName(object: Record<string, unknown> | undefined): string | null {
  const metadata = object?.metadata;
  return isPlainObject(metadata) ? text(metadata.name) : null;
}

/** Kubernetes' own naming conventions for identities (https://kubernetes.io/docs/reference/access-authn-authz/authentication/). */
function actorType(username: string): string {
  if (username.startsWith('system:serviceaccount:')) return 'ServiceAccount';
  if (username.startsWith('system:node:')) return 'Node';
  if (username === 'system:anonymous') return 'Anonymous';
  if (username.startsWith('system:')) return 'System';
  return 'User';
}

/** The command of a `pods/exec` request: in the body (`requestObject.command`) or as `command=` query parameters. */
function execCommand(e: KubernetesAuditEvent): string | null {
  const command = e.requestObject?.command;
  if (Array.isArray(command)) return text(command.map(String).join(' '));
  const uri = text(e.requestURI);
  const query = uri ? uri.indexOf('?') : -1;
  if (!uri || query === -1) return null;
  return text(new URLSearchParams(uri.slice(query + 1)).getAll('command').join(' '));
}

function uriPath(uri: unknown): string | null {
  const s = text(uri);
  if (!s) return null;
  const query = s.indexOf('?');
  return query === -1 ? s : s.slice(0, query);
}

function firstText(value: unknown): string | null {
  return Array.isArray(value) ? text(value[0]) : text(value);
}
