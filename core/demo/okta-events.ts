/**
 * Builds single Okta System Log events in Okta's wire format (see okta-wire-schema.ts for the contract).
 *
 * Invariants:
 * - Output is a function of the arguments: ids come from the `Random` passed in, times from `t`.
 * - Keys are written in the order Okta's `/api/v1/logs` returns them, so serialised events look like real ones.
 * - `uuid` is a version-1 UUID whose timestamp is the event time, as Okta's are.
 * - `transaction.id` and `debugData.requestId` are the same value (one HTTP request), as in Okta's log.
 */
import type { Browser } from './catalog';
import type { OktaObjectRef, OktaSystemLogEvent } from './okta-wire-schema';
import type { DemoApp, DemoOrganisation, DemoUser, NetworkOrigin } from './organisation';
import { ALNUM, Random } from './random';

export type OktaSeverity = OktaSystemLogEvent['severity'];
export type OktaOutcome = OktaSystemLogEvent['outcome'];
type AuthenticationContext = OktaSystemLogEvent['authenticationContext'];

/** The browser (or script) and network a request came from. */
export interface OktaClient {
  readonly origin: NetworkOrigin;
  readonly userAgent: Pick<Browser, 'rawUserAgent' | 'os' | 'browser'> | null;
  readonly device: 'Computer' | 'Mobile' | 'Unknown';
}

export interface OktaEventSpec {
  readonly eventType: string;
  readonly displayMessage: string;
  readonly legacyEventType: string | null;
  readonly severity: OktaSeverity;
  readonly actor: OktaObjectRef;
  readonly client: OktaClient | null;
  /** `externalSessionId`; "unknown" before a session exists. */
  readonly sessionId: string;
  readonly authentication?: Pick<AuthenticationContext, 'authenticationProvider' | 'credentialProvider' | 'credentialType'>;
  readonly outcome: OktaOutcome;
  readonly target: OktaObjectRef[] | null;
  /** Extra debug data; `requestId` (and `requestUri`/`url` when a `requestUri` is given) are added here. */
  readonly debugData?: Readonly<Record<string, string>>;
  readonly requestUri?: string;
  readonly transactionId?: string;
  readonly transactionType?: 'WEB' | 'JOB';
}

/** Okta's server nodes: the node part of version-1 UUIDs stays within a small set, as it does in real logs. */
const UUID_NODES = ['e7cc1dd1a43e', '1d4f7b2e8c05', '9b1c6e3f7a28', '3b6a0c9d4e17', '0b52d7e9f1a6', '6e2f8a3c7b90'];

const GREGORIAN_OFFSET_MS = 12_219_292_800_000n;

/** RFC 4122 version-1 UUID for the instant `ms` (100 ns ticks since 1582-10-15), random clock sequence. */
export function uuidV1(ms: number, rng: Random): string {
  const ticks = (BigInt(Math.floor(ms)) + GREGORIAN_OFFSET_MS) * 10_000n + BigInt(rng.int(0, 9_999));
  const timeLow = Number(ticks & 0xffffffffn);
  const timeMid = Number((ticks >> 32n) & 0xffffn);
  const timeHigh = Number((ticks >> 48n) & 0x0fffn) | 0x1000;
  const clockSeq = 0x8000 | (rng.u32() & 0x3fff);
  const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
  return `${hex(timeLow, 8)}-${hex(timeMid, 4)}-${hex(timeHigh, 4)}-${hex(clockSeq, 4)}-${rng.pick(UUID_NODES)}`;
}

/** Okta request ids: 27 URL-safe characters, the tail encoding the cell (`…AAAB4c`). */
export function oktaRequestId(rng: Random): string {
  return `${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 21)}AAA${rng.chars('ABCDEFGHIJ0123456789', 1)}${rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 2)}`;
}

/** An Okta session id (`102…`). */
export function oktaSessionId(rng: Random): string {
  return `102${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 22)}`;
}

export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

function geographicalContext(origin: NetworkOrigin): OktaSystemLogEvent['client']['geographicalContext'] {
  const p = origin.place;
  return {
    city: p.city,
    state: p.state,
    country: p.country,
    postalCode: p.postalCode,
    geolocation: { lat: p.lat, lon: p.lon },
  };
}

export function oktaEvent(t: number, rng: Random, spec: OktaEventSpec): OktaSystemLogEvent {
  const origin = spec.client?.origin ?? null;
  const transactionId = spec.transactionId ?? oktaRequestId(rng);
  const debugData: Record<string, string> = { ...spec.debugData, requestId: transactionId };
  if (spec.requestUri !== undefined) {
    debugData.requestUri = spec.requestUri;
    debugData.url = `${spec.requestUri}?`;
  }
  const auth = spec.authentication;
  return {
    actor: spec.actor,
    client: {
      userAgent: spec.client?.userAgent
        ? { rawUserAgent: spec.client.userAgent.rawUserAgent, os: spec.client.userAgent.os, browser: spec.client.userAgent.browser }
        : null,
      zone: origin ? origin.zone : null,
      device: spec.client ? spec.client.device : null,
      id: null,
      ipAddress: origin ? origin.ip : null,
      geographicalContext: origin ? geographicalContext(origin) : null,
    },
    device: null,
    authenticationContext: {
      authenticationProvider: auth?.authenticationProvider ?? null,
      credentialProvider: auth?.credentialProvider ?? null,
      credentialType: auth?.credentialType ?? null,
      issuer: null,
      interface: null,
      authenticationStep: 0,
      rootSessionId: spec.sessionId,
      externalSessionId: spec.sessionId,
    },
    displayMessage: spec.displayMessage,
    eventType: spec.eventType,
    outcome: spec.outcome,
    published: isoMillis(Math.floor(t)),
    securityContext: origin
      ? {
          asNumber: origin.provider.asNumber,
          asOrg: origin.provider.asOrg,
          isp: origin.provider.isp,
          domain: origin.provider.domain,
          isProxy: origin.isProxy,
        }
      : { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
    severity: spec.severity,
    debugContext: { debugData },
    legacyEventType: spec.legacyEventType,
    transaction: { type: spec.transactionType ?? 'WEB', id: transactionId, detail: {} },
    uuid: uuidV1(t, rng),
    version: '0',
    request: {
      ipChain: origin
        ? [{ ip: origin.ip, geographicalContext: geographicalContext(origin), version: origin.ipVersion, source: null }]
        : [],
    },
    target: spec.target,
  };
}

export function userRef(user: DemoUser): OktaObjectRef {
  return { id: user.oktaId, type: 'User', alternateId: user.email, displayName: user.displayName, detailEntry: null };
}

export function appInstanceRef(app: DemoApp): OktaObjectRef {
  return {
    id: app.id,
    type: 'AppInstance',
    alternateId: app.spec.label,
    displayName: app.spec.name,
    detailEntry: { signOnModeType: app.spec.signOnMode },
  };
}

/** The user's account in an app; its id is stable per (app, user), as Okta's app-user ids are. */
export function appUserRef(app: DemoApp, user: DemoUser): OktaObjectRef {
  const id = `0ua${Random.from(app.id, user.oktaId).chars(ALNUM, 14)}${user.oktaId.slice(-3)}`;
  return { id, type: 'AppUser', alternateId: user.email, displayName: user.displayName, detailEntry: null };
}

export function dashboardRef(org: DemoOrganisation): OktaObjectRef {
  return { id: org.okta.dashboardAppId, type: 'AppInstance', alternateId: 'Okta Dashboard', displayName: 'Okta Dashboard', detailEntry: null };
}

export function adminConsoleRef(org: DemoOrganisation): OktaObjectRef {
  return {
    id: org.okta.adminConsoleAppId,
    type: 'AppInstance',
    alternateId: 'Okta Admin Console',
    displayName: 'Okta Admin Console',
    detailEntry: null,
  };
}

export function mfaEnrollmentRef(user: DemoUser): OktaObjectRef {
  return user.mfaFactor === 'OKTA_VERIFY_PUSH'
    ? {
        id: user.mfaEnrollmentId,
        type: 'AuthenticatorEnrollment',
        alternateId: 'unknown',
        displayName: 'Okta Verify',
        detailEntry: { methodTypeUsed: 'Get a push notification', methodUsedVerifiedProperties: '[DEVICE_BOUND, HARDWARE_PROTECTED, USER_PRESENCE]' },
      }
    : {
        id: user.mfaEnrollmentId,
        type: 'AuthenticatorEnrollment',
        alternateId: 'unknown',
        displayName: 'Security Key or Biometric',
        detailEntry: { methodTypeUsed: 'Use Security Key or Biometric', methodUsedVerifiedProperties: '[DEVICE_BOUND, PHISHING_RESISTANT, USER_PRESENCE]' },
      };
}

export function passwordEnrollmentRef(user: DemoUser): OktaObjectRef {
  return { id: user.passwordEnrollmentId, type: 'AuthenticatorEnrollment', alternateId: 'unknown', displayName: 'Password', detailEntry: null };
}

/** The user's own browser at an origin. */
export function browserClient(user: DemoUser, origin: NetworkOrigin): OktaClient {
  return { origin, userAgent: user.browser, device: 'Computer' };
}
