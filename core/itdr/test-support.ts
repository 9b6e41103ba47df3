/**
 * Builders for ITDR tests and benchmarks: identity events with sensible defaults, and a person with a
 * matured baseline (weekday sign-ins from home in New York on one laptop, for three weeks).
 */
import type { IdentityAction } from '../schema/event';
import { defaultItdrConfig, type ItdrConfig } from './config';
import { initialOrgState, initialUserState, processSourceEvents, processUserEvents } from './engine';
import type { ItdrEvent, OrgItdrState, UserItdrState } from './types';

export const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const FIREFOX_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

export const places = {
  newYork: { country: 'United States', region: 'New York', city: 'New York', lat: 40.7128, lon: -74.006, asn: 64500, asnOrg: 'home isp', ip: '198.18.1.10' },
  brooklyn: { country: 'United States', region: 'New York', city: 'Brooklyn', lat: 40.6782, lon: -73.9442, asn: 64500, asnOrg: 'home isp', ip: '198.18.1.11' },
  boston: { country: 'United States', region: 'Massachusetts', city: 'Boston', lat: 42.3601, lon: -71.0589, asn: 64501, asnOrg: 'boston fiber', ip: '198.18.2.10' },
  london: { country: 'United Kingdom', region: 'England', city: 'London', lat: 51.5074, lon: -0.1278, asn: 64502, asnOrg: 'uk broadband', ip: '198.18.3.10' },
  singapore: { country: 'Singapore', region: 'Central Singapore', city: 'Singapore', lat: 1.2789, lon: 103.8536, asn: 65536, asnOrg: 'lion city telecom', ip: '198.51.100.99' },
  bucharest: { country: 'Romania', region: 'Bucuresti', city: 'Bucharest', lat: 44.4268, lon: 26.1025, asn: 64511, asnOrg: 'bitvps hosting srl', ip: '203.0.113.45' },
} as const;
export type TestPlace = (typeof places)[keyof typeof places];

let counter = 0;

export function identityEvent(
  action: IdentityAction,
  at: string,
  over: Partial<ItdrEvent> & { place?: TestPlace } = {},
): ItdrEvent {
  const { place = places.newYork, ...rest } = over;
  const actor = rest.actor ?? 'alice@acme.test';
  counter++;
  return {
    eventUid: `ev-${counter}`,
    eventTime: new Date(at).toISOString(),
    source: 'okta',
    action,
    identityAction: action,
    outcome: action === 'auth_failure' || action === 'mfa_deny' ? 'failure' : 'success',
    actor,
    srcIp: place.ip,
    country: place.country,
    city: place.city,
    userAgent: CHROME_MAC,
    subject: rest.subject ?? actor.toLowerCase(),
    actorId: null,
    outcomeReason: null,
    region: place.region,
    lat: place.lat,
    lon: place.lon,
    asn: place.asn,
    asnOrg: place.asnOrg,
    sessionId: null,
    mfaFactor: null,
    service: null,
    target: null,
    targetType: null,
    ...rest,
  };
}

/** One ordinary sign-in: push, accept, session start, two SSOs. */
export function ordinarySignIn(at: string, over: Partial<ItdrEvent> & { place?: TestPlace } = {}): ItdrEvent[] {
  const t = Date.parse(at);
  const sessionId = over.sessionId ?? `sess-${counter + 1}`;
  const o = { ...over, sessionId };
  return [
    identityEvent('mfa_challenge', iso(t), { ...o, mfaFactor: 'OKTA_VERIFY_PUSH' }),
    identityEvent('mfa_accept', iso(t + 15_000), { ...o, mfaFactor: 'OKTA_VERIFY_PUSH' }),
    identityEvent('session_start', iso(t + 20_000), o),
    identityEvent('auth_success', iso(t + 60_000), { ...o, service: 'Slack' }),
    identityEvent('auth_success', iso(t + 600_000), { ...o, service: 'Google Workspace' }),
  ];
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

/** Weekday sign-ins at 14:00 UTC (09:00 in New York) for `days` days ending the day before `end`. */
export function baselineHistory(end: string, days = 21, over: Partial<ItdrEvent> & { place?: TestPlace } = {}): ItdrEvent[] {
  const endDay = Math.floor(Date.parse(end) / DAY) * DAY;
  const out: ItdrEvent[] = [];
  for (let d = days; d >= 1; d--) {
    const day = endDay - d * DAY;
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    out.push(...ordinarySignIn(iso(day + 14 * HOUR + (d % 5) * 7 * MINUTE), over));
  }
  return out;
}

/** An org profile in which the New York ISP and the US are common (20 people). */
export function usOrgProfile(config: ItdrConfig = defaultItdrConfig): OrgItdrState {
  const events: ItdrEvent[] = [];
  for (let i = 0; i < 20; i++) {
    events.push(identityEvent('session_start', '2026-11-02T14:00:00.000Z', { actor: `person${i}@acme.test`, sessionId: `org-${i}` }));
  }
  return processSourceEvents(initialOrgState(), events, config, '2026-11-02T15:00:00.000Z').state;
}

/** Alice with a matured baseline at `end` (three weeks of weekday sign-ins from New York). */
export function matureAlice(end: string, config: ItdrConfig = defaultItdrConfig, over: Partial<ItdrEvent> & { place?: TestPlace } = {}): UserItdrState {
  const history = baselineHistory(end, 21, over);
  return processUserEvents(initialUserState('alice@acme.test'), history, config, history.at(-1)!.eventTime, { org: usOrgProfile(config).profile }).state;
}
