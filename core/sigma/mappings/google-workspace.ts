/**
 * Google Workspace activity for SigmaHQ's `product: gcp` services `google_workspace.admin` and
 * `google_workspace.login`, and our own `product: google_workspace`.
 *
 * SigmaHQ's Workspace rules were written against Workspace logs shared into Cloud Logging (Cloud Audit Logs:
 * `protoPayload.serviceName: admin.googleapis.com`, `protoPayload.metadata.event[].eventName`), which reach us
 * through `gcp_audit`; the Admin SDK Reports API activities our `google_workspace` source reads carry the same
 * event names as `events[].name` (flattened exports: `name`) and parameters as `events[].parameters[]`
 * (`{name, value}`; flattened: `parameters.<NAME>`). So these logsources read both sources, each name listing
 * both places.
 *
 * Known gap: `eventService` / `protoPayload.serviceName` exist only in the Cloud Audit Logs form. The Reports
 * API says `id.applicationName: admin`, not `admin.googleapis.com`, and a field mapping cannot rewrite a value,
 * so a rule that tests the service name matches Cloud Audit Logs records only (see README.md here).
 */
import type { LogsourceMapping } from '../ir';
import { json, normalizedColumnFields } from './field-targets';
import { knownFields as gcpFields } from './known-fields/gcp-audit';
import { knownFields as workspaceFields } from './known-fields/google-workspace';
import { anyOf, equals } from './where-conditions';

const workspaceKnown = [...workspaceFields, 'parameters.*'];
const bothSourcesKnown = [...workspaceKnown, ...gcpFields, 'protoPayload.metadata.*'];

const eventName = [json('events[].name'), json('name'), json('protoPayload.metadata.event[].eventName')];
const eventType = [json('events[].type'), json('type'), json('protoPayload.metadata.event[].eventType')];
/** Any parameter's value: a rule naming one parameter (`setting_name`) reads every parameter's value. */
function parameter(name: string) {
  return [json(`parameters.${name}`), json('events[].parameters[].value'), json('protoPayload.metadata.event[].parameter[].value')];
}

const sigmaHqFields = {
  ...normalizedColumnFields(bothSourcesKnown),
  eventService: [json('protoPayload.serviceName')],
  eventName,
  eventType,
  setting_name: parameter('SETTING_NAME'),
  new_value: parameter('NEW_VALUE'),
  old_value: parameter('OLD_VALUE'),
  'protoPayload.metadata.event.eventName': eventName,
  'protoPayload.metadata.event.eventType': eventType,
  'protoPayload.Servicename': [json('protoPayload.serviceName')],
};

export const googleWorkspaceMappings: readonly LogsourceMapping[] = [
  {
    logsource: { product: 'gcp', service: 'google_workspace.admin' },
    sources: ['google_workspace', 'gcp_audit'],
    where: anyOf(equals('id.applicationName', 'admin'), equals('protoPayload.serviceName', 'admin.googleapis.com')),
    fields: sigmaHqFields,
    knownFields: bothSourcesKnown,
  },
  {
    logsource: { product: 'gcp', service: 'google_workspace.login' },
    sources: ['google_workspace', 'gcp_audit'],
    where: anyOf(equals('id.applicationName', 'login'), equals('protoPayload.serviceName', 'login.googleapis.com')),
    fields: sigmaHqFields,
    knownFields: bothSourcesKnown,
  },
  {
    // Ours: every Workspace application, by the Reports API's own names (`id.applicationName`, `events[].name`).
    logsource: { product: 'google_workspace' },
    sources: ['google_workspace'],
    fields: {
      ...normalizedColumnFields(workspaceKnown),
      eventName: [json('events[].name'), json('name')],
      eventType: [json('events[].type'), json('type')],
      applicationName: [json('id.applicationName')],
      'events.parameters.value': [json('events[].parameters[].value'), json('events[].parameters[].multiValue[]')],
    },
    knownFields: workspaceKnown,
  },
];
