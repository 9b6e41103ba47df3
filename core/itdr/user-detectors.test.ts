import { describe, expect, it } from 'vitest';
import { parseItdrConfig, defaultItdrConfig } from './config';
import { initialUserState, processUserEvents } from './engine';
import { DAY, FIREFOX_WIN, HOUR, MINUTE, identityEvent, iso, matureAlice, ordinarySignIn, places, usOrgProfile } from './test-support';
import type { Detection, DetectionKind, ItdrEvent, UserItdrState } from './types';

// Monday 2026-11-23; Alice signed in on weekdays at about 14:00 UTC from home in New York for three weeks.
const MONDAY = Date.parse('2026-11-23T00:00:00.000Z');
const at = (hours: number): string => iso(MONDAY + hours * HOUR);
const org = usOrgProfile().profile;

function run(state: UserItdrState, events: ItdrEvent[], config = defaultItdrConfig, external: Detection[] = []) {
  const now = events.map((e) => e.eventTime).sort().at(-1) ?? at(23);
  return processUserEvents(state, events, config, now, { org, external });
}
const kinds = (ds: readonly Detection[]): DetectionKind[] => ds.map((d) => d.kind);
const only = (ds: readonly Detection[], kind: DetectionKind): Detection[] => ds.filter((d) => d.kind === kind);

describe('baseline fixture', () => {
  it('is mature and produced no detections while learning', () => {
    const alice = matureAlice(at(0));
    expect(alice.detections).toEqual([]);
    expect(alice.baseline.signIns).toBeGreaterThanOrEqual(10);
    expect(Object.keys(alice.baseline.countries)).toEqual(['United States']);
  });

  it('sees nothing in an ordinary Monday sign-in', () => {
    const result = run(matureAlice(at(0)), ordinarySignIn(at(14.1)));
    expect(result.detections).toEqual([]);
  });
});

describe('impossible_travel', () => {
  it('fires for New York then Singapore 40 minutes later, on alice, initial access', () => {
    const events = [...ordinarySignIn(at(14)), ...ordinarySignIn(iso(MONDAY + 14 * HOUR + 40 * MINUTE), { place: places.singapore, userAgent: FIREFOX_WIN })];
    const result = run(matureAlice(at(0)), events);
    const [travel] = only(result.detections, 'impossible_travel');
    expect(travel).toBeDefined();
    expect(travel!.user).toBe('alice@acme.test');
    expect(travel!.stage).toBe('initial_access');
    expect(travel!.mitre).toContain('T1078');
    expect(travel!.evidence.details.distanceKm).toBeGreaterThan(15_000);
    expect(only(result.detections, 'impossible_travel')).toHaveLength(1);
  });

  it('does not fire for New York then London ten hours later (557 km/h)', () => {
    const events = [...ordinarySignIn(at(4)), ...ordinarySignIn(at(14), { place: places.london })];
    expect(kinds(run(matureAlice(at(0)), events).detections)).not.toContain('impossible_travel');
  });

  it('ignores pairs closer than the minimum distance (New York then Boston 10 minutes later)', () => {
    const events = [...ordinarySignIn(at(14)), ...ordinarySignIn(iso(MONDAY + 14 * HOUR + 10 * MINUTE), { place: places.boston })];
    expect(kinds(run(matureAlice(at(0)), events).detections)).not.toContain('impossible_travel');
  });

  it('ignores allow-listed VPN egress', () => {
    const config = parseItdrConfig({ impossibleTravel: { allowCidrs: ['198.51.100.0/24'] } });
    const events = [...ordinarySignIn(at(14)), ...ordinarySignIn(iso(MONDAY + 14 * HOUR + 40 * MINUTE), { place: places.singapore })];
    expect(kinds(run(matureAlice(at(0), config), events, config).detections)).not.toContain('impossible_travel');
  });
});

describe('novelty (new_country, new_city, new_asn, new_device)', () => {
  it('fires new_country for a first sign-in from London', () => {
    const [d] = only(run(matureAlice(at(0)), ordinarySignIn(at(14), { place: places.london })).detections, 'new_country');
    expect(d?.evidence.details.country).toBe('United Kingdom');
    expect(d?.stage).toBe('initial_access');
    expect(d?.severity).toBe('medium');
  });

  it('fires new_city and new_asn for Boston, not new_country', () => {
    const ks = kinds(run(matureAlice(at(0)), ordinarySignIn(at(14), { place: places.boston })).detections);
    expect(ks).toContain('new_city');
    expect(ks).toContain('new_asn');
    expect(ks).not.toContain('new_country');
  });

  it('does not fire new_city for Brooklyn, 9 km from known New York on the same ISP', () => {
    expect(run(matureAlice(at(0)), ordinarySignIn(at(14), { place: places.brooklyn })).detections).toEqual([]);
  });

  it('fires new_asn for a new network in the same city', () => {
    const ks = kinds(run(matureAlice(at(0)), ordinarySignIn(at(14), { asn: 64999, srcIp: '198.18.9.9' })).detections);
    expect(ks).toEqual(['new_asn']);
  });

  it('fires new_device for another browser, once per device', () => {
    const result = run(matureAlice(at(0)), [...ordinarySignIn(at(14), { userAgent: FIREFOX_WIN }), ...ordinarySignIn(at(16), { userAgent: FIREFOX_WIN })]);
    expect(kinds(result.detections)).toEqual(['new_device']);
  });

  it('fires nothing when a value is known', () => {
    const alice = matureAlice(at(0));
    const first = run(alice, ordinarySignIn(at(14), { userAgent: FIREFOX_WIN }));
    const later = run(first.state, ordinarySignIn(iso(MONDAY + 2 * DAY + 14 * HOUR), { userAgent: FIREFOX_WIN }));
    expect(later.detections).toEqual([]);
  });
});

describe('unusual_hour', () => {
  it('fires for a sign-in at 03:00 UTC (22:00 in New York) against 14:00 UTC habits', () => {
    const [d] = only(run(matureAlice(at(0)), ordinarySignIn(at(27))).detections, 'unusual_hour');
    expect(d?.evidence.details.hourUtc).toBe(3);
    expect(d?.severity).toBe('low');
  });

  it('does not fire two hours after the usual time', () => {
    expect(kinds(run(matureAlice(at(0)), ordinarySignIn(at(16.5))).detections)).not.toContain('unusual_hour');
  });

  it('does not fire when the organisation commonly signs in at that hour', () => {
    const busy = usOrgProfile().profile;
    busy.hourOfWeek[1 * 24 + 3] = 1000; // Monday 03:00 UTC
    const result = processUserEvents(matureAlice(at(0)), ordinarySignIn(at(3)), defaultItdrConfig, at(4), { org: busy });
    expect(kinds(result.detections)).not.toContain('unusual_hour');
  });
});

describe('brute_force', () => {
  it('fires at the tenth failure in ten minutes, once', () => {
    const failures = Array.from({ length: 14 }, (_, i) => identityEvent('auth_failure', iso(MONDAY + 14 * HOUR + i * 30_000), { place: places.bucharest }));
    const result = run(matureAlice(at(0)), failures);
    const found = only(result.detections, 'brute_force');
    expect(found).toHaveLength(1);
    expect(found[0]!.stage).toBe('credential_attack');
    expect(found[0]!.evidence.eventUids).toHaveLength(10);
    expect(found[0]!.at).toBe(failures[9]!.eventTime);
  });

  it('does not fire for three mistypes then a success', () => {
    const events = [0, 1, 2].map((i) => identityEvent('auth_failure', iso(MONDAY + 14 * HOUR + i * MINUTE)));
    expect(run(matureAlice(at(0)), [...events, ...ordinarySignIn(at(14.1))]).detections).toEqual([]);
  });
});

describe('mfa_fatigue', () => {
  function pushes(count: number, denied: number, from: number, sessionId: string): ItdrEvent[] {
    const out: ItdrEvent[] = [];
    for (let i = 0; i < count; i++) {
      out.push(identityEvent('mfa_challenge', iso(from + i * 90_000), { place: places.bucharest, sessionId, mfaFactor: 'OKTA_VERIFY_PUSH' }));
      if (i < denied) out.push(identityEvent('mfa_deny', iso(from + i * 90_000 + 30_000), { place: places.bucharest, sessionId }));
    }
    out.push(identityEvent('mfa_accept', iso(from + count * 90_000), { place: places.bucharest, sessionId, mfaFactor: 'OKTA_VERIFY_PUSH' }));
    return out;
  }

  it('fires when a push is accepted after six denied ones', () => {
    const result = run(matureAlice(at(0)), pushes(7, 6, MONDAY + 2 * HOUR, 'attacker-session'));
    const [d] = only(result.detections, 'mfa_fatigue');
    expect(d?.user).toBe('alice@acme.test');
    expect(d?.stage).toBe('credential_attack');
    expect(d?.mitre).toEqual(['T1621']);
    expect(d?.evidence.details.denials).toBe(6);
  });

  it('does not fire when the second push is accepted', () => {
    expect(kinds(run(matureAlice(at(0)), pushes(2, 1, MONDAY + 14 * HOUR, 's2')).detections)).not.toContain('mfa_fatigue');
  });
});

describe('mfa_factor_removed_then_signin', () => {
  const removal = (t: string) => identityEvent('factor_remove', t, { actor: 'helpdesk@acme.test', subject: 'alice@acme.test', target: 'alice@acme.test', targetType: 'User', place: places.newYork });

  it('fires for a sign-in from a new device an hour after an admin reset the factors', () => {
    const result = run(matureAlice(at(0)), [removal(at(13)), ...ordinarySignIn(at(14), { userAgent: FIREFOX_WIN, place: places.bucharest })]);
    const [d] = only(result.detections, 'mfa_factor_removed_then_signin');
    expect(d?.stage).toBe('defense_evasion');
    expect(d?.severity).toBe('high');
    expect(d?.evidence.details.removedByOther).toBe(true);
  });

  it('does not fire for a sign-in two days after the reset', () => {
    const result = run(matureAlice(at(0)), [removal(at(-36)), ...ordinarySignIn(at(14))]);
    expect(kinds(result.detections)).not.toContain('mfa_factor_removed_then_signin');
  });
});

describe('privilege_escalation', () => {
  const grant = (actor: string, target: string, t: string) =>
    identityEvent('privilege_grant', t, { actor, subject: target, target, targetType: 'User', action: 'user.account.privilege.grant' });

  it('fires on the grantee and on the granter of an admin role', () => {
    const g = grant('bob@acme.test', 'alice@acme.test', at(15));
    const onAlice = run(matureAlice(at(0)), [g]);
    expect(onAlice.detections.map((d) => [d.kind, d.stage, d.evidence.details.role])).toEqual([['privilege_escalation', 'privilege_escalation', 'grantee']]);
    const onBob = processUserEvents(initialUserState('bob@acme.test'), [g], defaultItdrConfig, at(15), { org });
    expect(onBob.detections.map((d) => d.evidence.details.role)).toEqual(['granter']);
  });

  it('is critical for a self-grant', () => {
    const [d] = run(matureAlice(at(0)), [grant('alice@acme.test', 'alice@acme.test', at(15))]).detections;
    expect(d?.severity).toBe('critical');
    expect(d?.evidence.details.selfGrant).toBe(true);
  });

  it('is critical for a grant by an account created two days ago', () => {
    const created = identityEvent('account_create', at(-48), { actor: 'admin@acme.test', subject: 'mallory@acme.test', target: 'mallory@acme.test', targetType: 'User' });
    const g = grant('mallory@acme.test', 'eve@acme.test', at(15));
    const result = processUserEvents(initialUserState('mallory@acme.test'), [created, g], defaultItdrConfig, at(15), { org });
    const [d] = only(result.detections, 'privilege_escalation');
    expect(d?.severity).toBe('critical');
    expect(d?.evidence.details.grantByNewAccount).toBe(true);
  });

  it('does not fire for a revoke', () => {
    const revoke = identityEvent('privilege_revoke', at(15), { actor: 'bob@acme.test', subject: 'alice@acme.test', target: 'alice@acme.test', targetType: 'User' });
    expect(run(matureAlice(at(0)), [revoke]).detections).toEqual([]);
  });
});

describe('dormant_account_reactivation', () => {
  it('fires for a sign-in from a new address after 20 idle days', () => {
    const result = run(matureAlice(at(0)), ordinarySignIn(at(20 * 24 + 14), { place: places.boston }));
    const [d] = only(result.detections, 'dormant_account_reactivation');
    expect(d?.stage).toBe('initial_access');
    expect(d?.evidence.details.idleDays).toBeGreaterThanOrEqual(20);
  });

  it('does not fire when the person comes back from leave on their own laptop at home', () => {
    expect(run(matureAlice(at(0)), ordinarySignIn(at(20 * 24 + 14))).detections).toEqual([]);
  });

  it('does not fire after three idle days', () => {
    expect(kinds(run(matureAlice(at(0)), ordinarySignIn(at(3 * 24 + 14), { place: places.boston })).detections)).not.toContain('dormant_account_reactivation');
  });
});

describe('session_hijack', () => {
  it('fires when the session is used from another network and device', () => {
    const signIn = ordinarySignIn(at(14), { sessionId: 'cookie-1' });
    const replay = identityEvent('auth_success', at(16), { sessionId: 'cookie-1', place: places.bucharest, userAgent: FIREFOX_WIN, service: 'GitHub' });
    const result = run(matureAlice(at(0)), [...signIn, replay]);
    const hijacks = only(result.detections, 'session_hijack');
    expect(hijacks).toHaveLength(1);
    expect(hijacks[0]!.stage).toBe('initial_access');
    expect(hijacks[0]!.evidence.details.changed).toBe('asn,country,device');
  });

  it('does not fire when the address changes within the same ISP and browser', () => {
    const signIn = ordinarySignIn(at(14), { sessionId: 'cookie-2' });
    const later = identityEvent('auth_success', at(16), { sessionId: 'cookie-2', place: places.brooklyn, service: 'Jira' });
    expect(kinds(run(matureAlice(at(0)), [...signIn, later]).detections)).not.toContain('session_hijack');
  });
});

describe('concurrent_sessions', () => {
  it('fires for two active sessions 5,500 km apart', () => {
    const a = ordinarySignIn(at(14), { sessionId: 'ny' });
    const b = ordinarySignIn(iso(MONDAY + 14 * HOUR + 12 * MINUTE), { sessionId: 'ldn', place: places.london });
    const [d] = only(run(matureAlice(at(0)), [...a, ...b]).detections, 'concurrent_sessions');
    expect(d?.evidence.details.distanceKm).toBeGreaterThan(5000);
    expect(d?.stage).toBe('initial_access');
  });

  it('does not fire when the first session ended before the second started', () => {
    const a = ordinarySignIn(at(14), { sessionId: 'ny2' });
    const end = identityEvent('session_end', iso(MONDAY + 14 * HOUR + 11 * MINUTE), { sessionId: 'ny2' });
    const b = ordinarySignIn(iso(MONDAY + 14 * HOUR + 12 * MINUTE), { sessionId: 'ldn2', place: places.london });
    expect(kinds(run(matureAlice(at(0)), [...a, end, ...b]).detections)).not.toContain('concurrent_sessions');
  });
});

describe('token_anomaly', () => {
  const token = (t: string) => identityEvent('token_issue', t, { target: 'api-token-ci', action: 'system.api_token.create' });

  it('fires when a new token is followed by a success from an unknown network', () => {
    const use = identityEvent('auth_success', at(18), { place: places.bucharest, service: 'Okta API' });
    const [d] = only(run(matureAlice(at(0)), [token(at(14)), use]).detections, 'token_anomaly');
    expect(d?.stage).toBe('persistence');
    expect(d?.evidence.eventUids).toHaveLength(2);
  });

  it('does not fire when the token is used from home', () => {
    const use = identityEvent('auth_success', at(18), { service: 'Okta API' });
    expect(kinds(run(matureAlice(at(0)), [token(at(14)), use]).detections)).not.toContain('token_anomaly');
  });
});

describe('illicit_oauth_consent', () => {
  it('fires for consent to an application nobody in the organisation uses', () => {
    const consent = identityEvent('oauth_consent', at(15), { service: 'Mail Export Pro' });
    const [d] = run(matureAlice(at(0)), [consent]).detections;
    expect(d?.kind).toBe('illicit_oauth_consent');
    expect(d?.stage).toBe('persistence');
  });

  it('does not fire for consent to an application the person already uses', () => {
    const consent = identityEvent('oauth_consent', at(15), { service: 'Slack' });
    expect(run(matureAlice(at(0)), [consent]).detections).toEqual([]);
  });
});

describe('volume_spike', () => {
  it('fires once when a day has many times the usual identity events', () => {
    const burst = Array.from({ length: 260 }, (_, i) => identityEvent('auth_success', iso(MONDAY + 15 * HOUR + i * 10_000), { sessionId: 'sess-burst', service: `App ${i % 40}` }));
    const result = run(matureAlice(at(0)), [...ordinarySignIn(at(14), { sessionId: 'sess-burst' }), ...burst]);
    const spikes = only(result.detections, 'volume_spike');
    expect(spikes).toHaveLength(1);
    expect(spikes[0]!.stage).toBe('lateral_movement');
  });

  it('does not fire on an ordinary day', () => {
    expect(kinds(run(matureAlice(at(0)), [...ordinarySignIn(at(14)), ...ordinarySignIn(at(19))]).detections)).not.toContain('volume_spike');
  });
});

describe('spray_then_success', () => {
  const spray: Detection = {
    id: 'password_spray:alice@acme.test:f1',
    kind: 'password_spray',
    severity: 'medium',
    at: at(2),
    user: 'alice@acme.test',
    stage: 'credential_attack',
    mitre: ['T1110.003'],
    score: 15,
    evidence: { eventUids: ['f1'], summary: 'spray', details: { sourceIp: places.bucharest.ip } },
  };

  it('fires for a success from the spraying address after the person was sprayed', () => {
    const result = run(matureAlice(at(0)), ordinarySignIn(at(3), { place: places.bucharest }), defaultItdrConfig, [spray]);
    const [d] = only(result.detections, 'spray_then_success');
    expect(d?.stage).toBe('initial_access');
    expect(d?.severity).toBe('critical');
    expect(result.stageChange.stages).toEqual(['credential_attack', 'initial_access']);
    expect(result.incidentChange.action).toBe('open');
  });

  it('does not fire when the sprayed person signs in from home as usual', () => {
    const result = run(matureAlice(at(0)), ordinarySignIn(at(14)), defaultItdrConfig, [spray]);
    expect(kinds(result.detections)).toEqual(['password_spray']);
    expect(result.incidentChange.action).toBe('none');
  });
});

describe('idempotency and bounds', () => {
  it('changes nothing when the same batch is processed twice', () => {
    const events = ordinarySignIn(at(14), { place: places.london });
    const first = run(matureAlice(at(0)), events);
    const before = structuredClone(first.state);
    const again = run(first.state, events);
    expect(first.detections.length).toBeGreaterThan(0);
    expect(again.detections).toEqual([]);
    expect(again.state).toEqual(before);
  });

  it('keeps state JSON-serialisable', () => {
    const state = run(matureAlice(at(0)), ordinarySignIn(at(14), { place: places.london })).state;
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});
