/**
 * Okta System Log event, as documented at https://developer.okta.com/docs/reference/api/system-log/#logevent-object
 * (the `/api/v1/logs` API and Okta's log streaming send the same object). Every field is optional and lenient:
 * samples in the wild omit fields, redact them, or send a different type, and we still keep the event.
 */
import { z } from 'zod';
import { lenient, restoreKeyCase } from '../shared/lenient';

const geo = z.looseObject({
  city: lenient(z.string().nullable()),
  state: lenient(z.string().nullable()),
  country: lenient(z.string().nullable()),
  postalCode: lenient(z.string().nullable()),
  geolocation: lenient(z.looseObject({ lat: lenient(z.number()), lon: lenient(z.number()) }).nullable()),
});

const actor = z.looseObject({
  id: lenient(z.string().nullable()),
  type: lenient(z.string().nullable()),
  alternateId: lenient(z.string().nullable()),
  displayName: lenient(z.string().nullable()),
  detailEntry: lenient(z.record(z.string(), z.unknown()).nullable()),
});

export const oktaLogEventSchema = z.looseObject({
  uuid: lenient(z.string()),
  published: lenient(z.union([z.string(), z.number()])),
  eventType: lenient(z.string()),
  legacyEventType: lenient(z.string().nullable()),
  version: lenient(z.string()),
  severity: lenient(z.string()),
  displayMessage: lenient(z.string().nullable()),
  actor: lenient(actor),
  client: lenient(
    z.looseObject({
      userAgent: lenient(
        z.looseObject({
          rawUserAgent: lenient(z.string().nullable()),
          os: lenient(z.string().nullable()),
          browser: lenient(z.string().nullable()),
        }).nullable(),
      ),
      zone: lenient(z.string().nullable()),
      device: lenient(z.string().nullable()),
      id: lenient(z.string().nullable()),
      ipAddress: lenient(z.string().nullable()),
      geographicalContext: lenient(geo.nullable()),
    }),
  ),
  outcome: lenient(z.looseObject({ result: lenient(z.string().nullable()), reason: lenient(z.string().nullable()) })),
  target: lenient(z.array(lenient(actor)).nullable()),
  transaction: lenient(z.looseObject({ type: lenient(z.string().nullable()), id: lenient(z.string().nullable()) })),
  debugContext: lenient(
    z.looseObject({ debugData: lenient(z.record(z.string(), z.unknown()).nullable()) }).nullable(),
  ),
  authenticationContext: lenient(
    z.looseObject({
      authenticationProvider: lenient(z.string().nullable()),
      credentialProvider: lenient(z.string().nullable()),
      credentialType: lenient(z.string().nullable()),
      externalSessionId: lenient(z.string().nullable()),
      rootSessionId: lenient(z.string().nullable()),
      interface: lenient(z.string().nullable()),
    }).nullable(),
  ),
  securityContext: lenient(
    z.looseObject({
      asNumber: lenient(z.number().nullable()),
      asOrg: lenient(z.string().nullable()),
      isp: lenient(z.string().nullable()),
      domain: lenient(z.string().nullable()),
      isProxy: lenient(z.boolean().nullable()),
    }).nullable(),
  ),
});
export type OktaLogEvent = z.infer<typeof oktaLogEventSchema>;

/** Top-level keys whose documented camelCase some pipelines lower-case (seen in Panther's test events). */
const camelKeys = [
  'eventType',
  'legacyEventType',
  'displayMessage',
  'authenticationContext',
  'debugContext',
  'securityContext',
] as const;

export function readOktaLogEvent(record: Record<string, unknown>): OktaLogEvent {
  return oktaLogEventSchema.parse(restoreKeyCase(record, camelKeys));
}
