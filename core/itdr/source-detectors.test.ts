import { describe, expect, it } from 'vitest';
import { defaultItdrConfig } from './config';
import { initialOrgState, processSourceEvents } from './engine';
import { HOUR, MINUTE, identityEvent, iso, places, type TestPlace } from './test-support';
import type { ItdrEvent } from './types';

const START = Date.parse('2026-11-24T02:00:00.000Z');
const failure = (person: string, ms: number, place: TestPlace = places.bucharest): ItdrEvent =>
  identityEvent('auth_failure', iso(ms), { actor: person, place, userAgent: 'python-requests/2.32.3' });
const success = (person: string, ms: number, place: TestPlace = places.newYork): ItdrEvent => identityEvent('session_start', iso(ms), { actor: person, place, sessionId: `s-${person}-${ms}` });
const people = (n: number): string[] => Array.from({ length: n }, (_, i) => `user${i}@acme.test`);

function run(events: ItdrEvent[]) {
  return processSourceEvents(initialOrgState(), events, defaultItdrConfig, events.at(-1)!.eventTime);
}

describe('password_spray', () => {
  it('fires for one address failing for 12 accounts once each, one detection per account', () => {
    const events = people(12).map((p, i) => failure(p, START + i * MINUTE));
    const { detections } = run(events);
    expect(detections.map((d) => d.user).sort()).toEqual(people(12).slice().sort());
    expect(detections.every((d) => d.kind === 'password_spray' && d.stage === 'credential_attack' && d.mitre.includes('T1110.003'))).toBe(true);
    expect(detections[0]!.evidence.details.sourceIp).toBe(places.bucharest.ip);
  });

  it('catches a slow spray of one guess every 90 minutes over 18 hours', () => {
    const events = people(12).map((p, i) => failure(p, START + i * 90 * MINUTE));
    expect(run(events).detections.filter((d) => d.kind === 'password_spray')).toHaveLength(12);
  });

  it('tells accounts sprayed after the detection too, once each', () => {
    const events = [...people(15), ...people(15)].map((p, i) => failure(p, START + i * MINUTE));
    const { detections } = run(events);
    expect(detections).toHaveLength(15);
    expect(new Set(detections.map((d) => d.user)).size).toBe(15);
  });

  it('is idempotent across retried batches', () => {
    const events = people(12).map((p, i) => failure(p, START + i * MINUTE));
    const first = run(events);
    expect(processSourceEvents(first.state, events, defaultItdrConfig, events.at(-1)!.eventTime).detections).toEqual([]);
  });

  it('does not fire for an office NAT where colleagues mistype once among many successes', () => {
    const office = places.newYork;
    const events: ItdrEvent[] = [];
    people(60).forEach((p, i) => {
      if (i < 12) events.push(failure(p, START + i * 5 * MINUTE, office));
      events.push(success(p, START + i * 5 * MINUTE + 30_000, office));
    });
    expect(run(events.sort((a, b) => a.eventTime.localeCompare(b.eventTime))).detections).toEqual([]);
  });

  it('does not fire for many attempts on one account (that is brute force)', () => {
    const events = Array.from({ length: 30 }, (_, i) => failure('alice@acme.test', START + i * 20_000));
    expect(run(events).detections).toEqual([]);
  });

  it('forgets failures older than the window', () => {
    const events = people(12).map((p, i) => failure(p, START + i * 3 * HOUR));
    expect(run(events).detections).toEqual([]);
  });
});

describe('credential_stuffing', () => {
  it('fires for 20 accounts tried within 5 minutes, mostly failing', () => {
    const events = people(20).map((p, i) => (i === 7 ? success(p, START + i * 15_000, places.bucharest) : failure(p, START + i * 15_000)));
    const stuffing = run(events).detections.filter((d) => d.kind === 'credential_stuffing');
    expect(stuffing).toHaveLength(19);
    expect(stuffing[0]!.mitre).toEqual(['T1110.004']);
    expect(stuffing[0]!.stage).toBe('credential_attack');
  });

  it('does not fire for 20 colleagues signing in from the office within 5 minutes', () => {
    const events = people(20).map((p, i) => success(p, START + i * 15_000));
    expect(run(events).detections).toEqual([]);
  });

  it('does not fire for a spray at one guess a minute (too slow for stuffing)', () => {
    const events = people(30).map((p, i) => failure(p, START + i * MINUTE));
    expect(run(events).detections.filter((d) => d.kind === 'credential_stuffing')).toEqual([]);
  });
});

describe('org profile', () => {
  it('counts each person once per country and ASN', () => {
    const events = [success('a@acme.test', START), success('a@acme.test', START + HOUR), success('b@acme.test', START)];
    const profile = run(events).state.profile;
    expect(profile.people).toBe(2);
    expect(profile.countries['United States']).toBe(2);
    expect(profile.asns['64500']).toBe(2);
  });
});
