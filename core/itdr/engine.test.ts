import { describe, expect, it } from 'vitest';
import { parseItdrConfig, defaultItdrConfig } from './config';
import { groupEventsByPerson, initialOrgState, initialUserState, personsOf, processSourceEvents, processUserEvents, userRisk } from './engine';
import { DAY, HOUR, MINUTE, identityEvent, iso, ordinarySignIn, places, usOrgProfile } from './test-support';
import type { ItdrEvent } from './types';

describe('cold start', () => {
  it("does not flood a new person's first week of normal activity with detections", () => {
    const org = usOrgProfile().profile;
    const start = Date.parse('2026-11-16T00:00:00.000Z'); // Monday
    const events: ItdrEvent[] = [];
    for (let d = 0; d < 7; d++) {
      const day = start + d * DAY;
      if (d >= 5) continue;
      events.push(...ordinarySignIn(iso(day + 14 * HOUR + d * 11 * MINUTE), { actor: 'newbie@acme.test' }));
      if (d % 2 === 0) events.push(...ordinarySignIn(iso(day + 19 * HOUR), { actor: 'newbie@acme.test', place: places.brooklyn }));
      if (d === 3) events.push(identityEvent('auth_failure', iso(day + 13 * HOUR), { actor: 'newbie@acme.test' }));
    }
    let state = initialUserState('newbie@acme.test');
    const detections = [];
    // Day by day, as ingest would deliver them.
    for (let d = 0; d < 7; d++) {
      const from = iso(start + d * DAY);
      const to = iso(start + (d + 1) * DAY);
      const result = processUserEvents(state, events.filter((e) => e.eventTime >= from && e.eventTime < to), defaultItdrConfig, to, { org });
      state = result.state;
      detections.push(...result.detections);
    }
    expect(detections).toEqual([]);
    expect(userRisk(state, defaultItdrConfig, iso(start + 7 * DAY)).score).toBe(0);
    expect(state.baseline.signIns).toBeGreaterThan(5);
  });

  it('still flags, at low severity, a young account signing in from a country the organisation never uses', () => {
    const org = usOrgProfile().profile;
    const first = ordinarySignIn('2026-11-16T14:00:00.000Z', { actor: 'newbie@acme.test' });
    const second = ordinarySignIn('2026-11-17T14:00:00.000Z', { actor: 'newbie@acme.test', place: places.bucharest });
    const result = processUserEvents(initialUserState('newbie@acme.test'), [...first, ...second], defaultItdrConfig, '2026-11-17T15:00:00.000Z', { org });
    const novelty = result.detections.filter((d) => d.kind === 'new_country');
    expect(novelty).toHaveLength(1);
    expect(novelty[0]!.severity).toBe('low');
    expect(novelty[0]!.evidence.details.baselineMature).toBe(false);
  });
});

describe('cross-provider attack', () => {
  const config = parseItdrConfig({ identity: { domainAliases: { 'acme.onmicrosoft.com': 'acme.test' } } });

  it('a spray on Okta then a success on Entra ID for the same person is one person, two stages, one incident', () => {
    const start = Date.parse('2026-11-24T02:00:00.000Z');
    const targets = [...Array.from({ length: 14 }, (_, i) => `user${i}@acme.test`), 'alice@acme.test'];
    const spray = targets.map((p, i) =>
      identityEvent('auth_failure', iso(start + i * MINUTE), { actor: p, place: places.bucharest, source: 'okta', userAgent: 'python-requests/2.32.3' }),
    );
    const entraSuccess = identityEvent('auth_success', iso(start + 40 * MINUTE), {
      source: 'entra_id',
      action: 'Sign-in activity',
      actor: 'Alice@acme.onmicrosoft.com',
      subject: 'alice@acme.onmicrosoft.com',
      actorId: '7d3e8c1a-0000-4000-8000-000000000001',
      place: places.bucharest,
      sessionId: 'entra-session-1',
      service: 'Office 365 Exchange Online',
    });
    const batch = [...spray, entraSuccess];

    // The host's order: org-wide first, then each person with the org's detections about them.
    const org = processSourceEvents(usOrgProfile(config), batch, config, entraSuccess.eventTime);
    const byPerson = groupEventsByPerson(batch, config);
    expect(byPerson.get('alice@acme.test')?.map((e) => e.source)).toEqual(['okta', 'entra_id']);
    expect(personsOf(entraSuccess, config)).toEqual(['alice@acme.test']);

    const alice = processUserEvents(initialUserState('alice@acme.test'), byPerson.get('alice@acme.test')!, config, entraSuccess.eventTime, {
      org: org.state.profile,
      external: org.detections.filter((d) => d.user === 'alice@acme.test'),
    });
    expect(alice.detections.map((d) => [d.kind, d.stage, d.user])).toEqual([
      ['password_spray', 'credential_attack', 'alice@acme.test'],
      ['spray_then_success', 'initial_access', 'alice@acme.test'],
      ['new_country', 'initial_access', 'alice@acme.test'],
      ['new_asn', 'initial_access', 'alice@acme.test'],
    ]);
    expect(alice.stageChange.stages).toEqual(['credential_attack', 'initial_access']);
    expect(alice.incidentChange.action).toBe('open');
    expect(alice.state.incident?.stages).toEqual(['credential_attack', 'initial_access']);
    expect(alice.state.incident?.status).toBe('open');
    expect(alice.riskChange.after).toBeGreaterThan(alice.riskChange.before);

    // The other sprayed people have one stage each: no incident.
    const user0 = processUserEvents(initialUserState('user0@acme.test'), byPerson.get('user0@acme.test')!, config, entraSuccess.eventTime, {
      org: org.state.profile,
      external: org.detections.filter((d) => d.user === 'user0@acme.test'),
    });
    expect(user0.incidentChange.action).toBe('none');
  });
});

describe('privilege grant routing', () => {
  it('sends a grant to both the grantee and the granter', () => {
    const grant = identityEvent('privilege_grant', '2026-11-24T03:00:00.000Z', {
      actor: 'paisley@acme.test',
      subject: 'lars@acme.test',
      target: 'lars@acme.test',
      targetType: 'User',
    });
    expect(personsOf(grant, defaultItdrConfig)).toEqual(['lars@acme.test', 'paisley@acme.test']);
  });
});

describe('org state', () => {
  it('drops idle sources so the state stays bounded', () => {
    const e = identityEvent('auth_failure', '2026-11-20T00:00:00.000Z', { place: places.bucharest });
    const first = processSourceEvents(initialOrgState(), [e], defaultItdrConfig, e.eventTime);
    expect(Object.keys(first.state.sources)).toEqual([places.bucharest.ip]);
    const later = processSourceEvents(first.state, [], defaultItdrConfig, '2026-11-22T00:00:00.000Z');
    expect(later.state.sources).toEqual({});
  });
});
