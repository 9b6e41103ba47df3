/**
 * The Okta System Log event (LogEvent object) exactly as the demo generator emits it: the shape of
 * https://developer.okta.com/docs/reference/api/system-log/#logevent-object, with every field Okta's `/api/v1/logs`
 * returns, in Okta's key order.
 *
 * This is deliberately strict (unknown keys, wrong types and malformed ids fail) because it is the generator's
 * contract and the test oracle for every generated event. The ingest parser's schema (adapters/okta) is the
 * lenient one: real feeds omit and redact fields.
 *
 * Invariants:
 * - `published` is ISO-8601 UTC with milliseconds and a `Z`; `uuid` is an RFC 4122 UUID (Okta's are version 1).
 * - `client.zone` is a network-zone name or the string "null", as Okta writes it.
 * - `debugContext.debugData` values are strings (Okta serialises them so).
 */
import { z } from 'zod';

const geolocationSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});

export const oktaGeographicalContextSchema = z.strictObject({
  city: z.string().nullable(),
  state: z.string().nullable(),
  country: z.string().nullable(),
  postalCode: z.string().nullable(),
  geolocation: geolocationSchema.nullable(),
});
export type OktaGeographicalContext = z.infer<typeof oktaGeographicalContextSchema>;

/** An actor or a target: `{id, type, alternateId, displayName, detailEntry}`. */
export const oktaObjectRefSchema = z.strictObject({
  id: z.string().min(1),
  type: z.string().min(1),
  alternateId: z.string().nullable(),
  displayName: z.string().nullable(),
  detailEntry: z.record(z.string(), z.unknown()).nullable(),
});
export type OktaObjectRef = z.infer<typeof oktaObjectRefSchema>;

const ipAddressSchema = z.union([z.ipv4(), z.ipv6()]);

export const oktaOutcomeResults = ['SUCCESS', 'FAILURE', 'SKIPPED', 'ALLOW', 'DENY', 'CHALLENGE', 'UNKNOWN'] as const;
export const oktaSeverities = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

export const oktaSystemLogEventSchema = z.strictObject({
  actor: oktaObjectRefSchema,
  client: z.strictObject({
    userAgent: z.strictObject({ rawUserAgent: z.string().min(1), os: z.string(), browser: z.string() }).nullable(),
    zone: z.string().nullable(),
    device: z.string().nullable(),
    id: z.string().nullable(),
    ipAddress: ipAddressSchema.nullable(),
    geographicalContext: oktaGeographicalContextSchema.nullable(),
  }),
  device: z.null(),
  authenticationContext: z.strictObject({
    authenticationProvider: z
      .enum(['ACTIVE_DIRECTORY', 'FACTOR_PROVIDER', 'FEDERATION', 'LDAP', 'OKTA_AUTHENTICATION_PROVIDER', 'SOCIAL'])
      .nullable(),
    credentialProvider: z.enum(['OKTA_CREDENTIAL_PROVIDER', 'OKTA_AUTHENTICATION_PROVIDER']).nullable(),
    credentialType: z.enum(['PASSWORD', 'OTP', 'ASSERTION', 'OKTA_CLIENT_SESSION']).nullable(),
    issuer: z.strictObject({ id: z.string(), type: z.string() }).nullable(),
    interface: z.string().nullable(),
    authenticationStep: z.literal(0),
    rootSessionId: z.string().min(1),
    externalSessionId: z.string().min(1),
  }),
  displayMessage: z.string().min(1),
  eventType: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'Okta event types are dotted lower-case names'),
  outcome: z.strictObject({ result: z.enum(oktaOutcomeResults), reason: z.string().min(1).nullable() }),
  published: z.iso.datetime({ offset: false, precision: 3 }),
  securityContext: z.strictObject({
    asNumber: z.number().int().positive().nullable(),
    asOrg: z.string().nullable(),
    isp: z.string().nullable(),
    domain: z.string().nullable(),
    isProxy: z.boolean().nullable(),
  }),
  severity: z.enum(oktaSeverities),
  debugContext: z.strictObject({ debugData: z.record(z.string(), z.string()) }),
  legacyEventType: z.string().min(1).nullable(),
  transaction: z.strictObject({
    type: z.enum(['WEB', 'JOB']),
    id: z.string().min(1),
    detail: z.record(z.string(), z.unknown()),
  }),
  uuid: z.uuid(),
  version: z.literal('0'),
  request: z.strictObject({
    ipChain: z.array(
      z.strictObject({
        ip: ipAddressSchema,
        geographicalContext: oktaGeographicalContextSchema.nullable(),
        version: z.enum(['V4', 'V6']),
        source: z.string().nullable(),
      }),
    ),
  }),
  target: z.array(oktaObjectRefSchema).min(1).nullable(),
});
export type OktaSystemLogEvent = z.infer<typeof oktaSystemLogEventSchema>;
