/**
 * Kubernetes audit log (`kubernetes_audit`) for SigmaHQ's `product: kubernetes, service: audit` rules (some also
 * say `category: application`; a mapping matches whatever else a rule's logsource names), which name the
 * `audit.k8s.io/v1` Event fields (`verb`, `objectRef.resource`, `objectRef.subresource`, `responseStatus.code`):
 * the paths of `raw`. `requestObject` is the API object itself, `annotations` and
 * `user.extra` free-form maps.
 *
 * Three SigmaHQ rules use short names: `apiGroup` (the object's API group), `hostPath` (a pod volume mounting
 * a host path) and `capabilities` (capabilities a container adds); each reads the place in the pod spec.
 * AKS audit events arrive inside Azure diagnostic records (`azure_activity`, `properties.log`) and GKE's as
 * Cloud Audit Logs (`gcp_audit`): neither is read by this mapping.
 */
import type { LogsourceMapping } from '../ir';
import { json, normalizedColumnFields } from './field-targets';
import { knownFields as auditFields } from './known-fields/kubernetes-audit';

const knownFields = [...auditFields, 'requestObject.*', 'annotations.*', 'user.extra.*'];

const containers = ['containers', 'initContainers', 'ephemeralContainers'];

export const kubernetesAuditMappings: readonly LogsourceMapping[] = [
  {
    logsource: { product: 'kubernetes', service: 'audit' },
    sources: ['kubernetes_audit'],
    fields: {
      ...normalizedColumnFields(knownFields),
      apiGroup: [json('objectRef.apiGroup')],
      hostPath: [json('requestObject.spec.volumes[].hostPath.path')],
      capabilities: containers.map((c) => json(`requestObject.spec.${c}[].securityContext.capabilities.add[]`)),
      // Our own rules' names for the pod spec's lists, so that any container may match.
      'requestObject.spec.containers.securityContext.privileged': containers.map((c) => json(`requestObject.spec.${c}[].securityContext.privileged`)),
      'requestObject.spec.template.spec.containers.securityContext.privileged': containers.map((c) =>
        json(`requestObject.spec.template.spec.${c}[].securityContext.privileged`),
      ),
      'requestObject.spec.containers.image': containers.map((c) => json(`requestObject.spec.${c}[].image`)),
      'requestObject.spec.volumes.hostPath.path': [json('requestObject.spec.volumes[].hostPath.path')],
      'requestObject.subjects.name': [json('requestObject.subjects[].name')],
      'requestObject.subjects.kind': [json('requestObject.subjects[].kind')],
    },
    knownFields,
  },
];
