/** Kubernetes audit log source: API server log/webhook backends, EKS via CloudWatch Logs, AKS kube-audit (unwrapped upstream). */
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { normalizeKubernetesAuditEvent } from './normalize-kubernetes-audit-event';

export const kubernetesAuditSource: SourceAdapter = {
  id: 'kubernetes_audit',
  name: 'Kubernetes Audit Log',
  parse: normalizeKubernetesAuditEvent,
};
