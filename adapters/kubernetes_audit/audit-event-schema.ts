/**
 * Kubernetes audit event (`kind: Event`, `apiVersion: audit.k8s.io/v1`), as documented in the audit API reference
 * (https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-Event) and written by the
 * API server's log and webhook backends. EKS delivers the same events through CloudWatch Logs, AKS through Azure
 * diagnostic settings (category `kube-audit`), GKE through Cloud Audit Logs (a different shape, read by gcp_audit).
 * Webhook batches (`kind: EventList`) and CloudWatch Logs payloads are unwrapped before the parser runs.
 *
 * Every field is lenient: test events and redacted exports drop or retype fields, and the event is still kept.
 */
import { z } from 'zod';
import { lenient } from '../shared/lenient';

const userInfo = z.looseObject({
  username: lenient(z.string()),
  uid: lenient(z.string()),
  groups: lenient(z.array(z.unknown())),
  /** Authenticator-specific values, each a list: EKS `arn`, `accessKeyId`; `authentication.kubernetes.io/credential-id`. */
  extra: lenient(z.record(z.string(), z.unknown())),
});

export const kubernetesAuditEventSchema = z.looseObject({
  kind: lenient(z.string()),
  apiVersion: lenient(z.string()),
  level: lenient(z.string()),
  auditID: lenient(z.string()),
  stage: lenient(z.string()),
  requestURI: lenient(z.string()),
  verb: lenient(z.string()),
  user: lenient(userInfo),
  impersonatedUser: lenient(userInfo),
  sourceIPs: lenient(z.array(z.unknown())),
  userAgent: lenient(z.string()),
  objectRef: lenient(
    z.looseObject({
      resource: lenient(z.string()),
      namespace: lenient(z.string()),
      name: lenient(z.string()),
      uid: lenient(z.string()),
      apiGroup: lenient(z.string()),
      apiVersion: lenient(z.string()),
      subresource: lenient(z.string()),
    }),
  ),
  /** A metav1.Status: `code` is the HTTP status of the response. */
  responseStatus: lenient(
    z.looseObject({
      code: lenient(z.union([z.number(), z.string()])),
      status: lenient(z.string()),
      reason: lenient(z.string()),
      message: lenient(z.string()),
    }),
  ),
  requestObject: lenient(z.record(z.string(), z.unknown())),
  responseObject: lenient(z.record(z.string(), z.unknown())),
  requestReceivedTimestamp: lenient(z.union([z.string(), z.number()])),
  stageTimestamp: lenient(z.union([z.string(), z.number()])),
  /** audit.k8s.io/v1beta1 only; v1 replaced it with the two timestamps above. */
  timestamp: lenient(z.union([z.string(), z.number()])),
  annotations: lenient(z.record(z.string(), z.unknown())),
});
export type KubernetesAuditEvent = z.infer<typeof kubernetesAuditEventSchema>;

export function readKubernetesAuditEvent(record: Record<string, unknown>): KubernetesAuditEvent {
  return kubernetesAuditEventSchema.parse(record);
}

/**
 * True for an audit event: `apiVersion: audit.k8s.io/…`, an `auditID`, or `kind: Event` without an apiVersion but
 * with a request field. A core `kind: Event` (apiVersion `v1` or `events.k8s.io/v1`: "Pulled image …") is not one.
 */
export function isKubernetesAuditEvent(record: Record<string, unknown>): boolean {
  const apiVersion = record.apiVersion;
  if (typeof apiVersion === 'string') return apiVersion.startsWith('audit.k8s.io/');
  if (typeof record.auditID === 'string') return true;
  return (
    record.kind === 'Event' &&
    (record.verb !== undefined ||
      record.user !== undefined ||
      record.objectRef !== undefined ||
      record.sourceIPs !== undefined ||
      record.requestURI !== undefined ||
      record.stage !== undefined)
  );
}
