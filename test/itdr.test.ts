/**
 * Identity threat detection hosted in Durable Objects, end to end inside workerd: real-shaped Okta System Log
 * events (the shape of the shared corpus' Okta samples) and Microsoft Graph sign-ins (the shape of
 * adapters/entra_id/fixtures/graph.ndjson) go through POST /ingest/okta and /ingest/entra_id; the org-wide and
 * per-person objects run the core engine; detections become alerts through the alerting pipeline and an
 * identity incident spans both providers; the API answers the risky-users list, the person view and the
 * incidents; the state survives a restart of the object and is rebuilt from the events table after a wipe.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../core/auth/roles';
import type { PersonView } from '../core/identity/identity-state';
import { IdentityUserState } from '../durable-objects/identity-user-state';
import { call, callJson, tokensByRole } from './helpers';

let tokens: Record<Role, string>;

const domain = 'itdr-corp.test';
const victim = `alice@${domain}`;
const attackerIp = '203.0.113.45';
const base = Date.now() - 3 * 3600_000;
const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();

function oktaSignInFailure(user: string, minute: number, i: number) {
  return {
    uuid: `itdr-spray-${i}-${user}`,
    published: at(minute),
    eventType: 'user.session.start',
    version: '0',
    severity: 'INFO',
    displayMessage: 'User login to Okta',
    actor: { id: `00u${i}spray`, type: 'User', alternateId: user, displayName: user.split('@')[0] },
    client: {
      userAgent: { browser: 'UNKNOWN', os: 'Unknown', rawUserAgent: 'python-requests/2.32.3' },
      geographicalContext: { geolocation: { lat: 44.4268, lon: 26.1025 }, city: 'Bucharest', state: 'Bucuresti', country: 'Romania', postalCode: '010011' },
      zone: 'null',
      ipAddress: attackerIp,
      device: 'Unknown',
    },
    request: {},
    outcome: { result: 'FAILURE', reason: 'VERIFICATION_ERROR' },
  };
}

function oktaPrivilegeGrant(minute: number) {
  return {
    uuid: 'itdr-grant-1',
    published: at(minute),
    eventType: 'user.account.privilege.grant',
    version: '0',
    severity: 'INFO',
    legacyEventType: 'core.user.admin_privilege.granted',
    displayMessage: 'Grant user privilege',
    actor: { id: '00uadmin1', type: 'User', alternateId: `it-admin@${domain}`, displayName: 'IT Admin' },
    client: {
      userAgent: { browser: 'CHROME', os: 'Mac OS X', rawUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36' },
      geographicalContext: { geolocation: { lat: 37.7852, lon: -122.3874 }, city: 'San Francisco', state: 'California', country: 'United States', postalCode: '94105' },
      zone: 'null',
      ipAddress: '198.51.100.7',
      device: 'Computer',
    },
    request: {},
    outcome: { result: 'SUCCESS' },
    target: [{ id: '00ualice1', type: 'User', alternateId: victim, displayName: 'Alice' }],
    transaction: {},
    debugContext: { debugData: { privilegeGranted: 'Super administrator', threatSuspected: 'false' } },
    authenticationContext: {},
    securityContext: {},
  };
}

function entraSignIn(minute: number, id: string, place: { ip: string; city: string; state: string; country: string; lat: number; lon: number }) {
  return {
    id,
    createdDateTime: at(minute).replace('.000Z', 'Z'),
    userDisplayName: 'Alice',
    userPrincipalName: victim,
    userId: '7e1f1a40-0000-4000-8000-0000000a11ce',
    appId: '00000003-0000-0000-c000-000000000000',
    appDisplayName: 'One Outlook Web',
    ipAddress: place.ip,
    clientAppUsed: 'Browser',
    correlationId: `corr-${id}`,
    conditionalAccessStatus: 'notApplied',
    isInteractive: true,
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    riskEventTypes: [],
    riskEventTypes_v2: [],
    resourceDisplayName: 'Office 365 Exchange Online',
    resourceId: '00000002-0000-0ff1-ce00-000000000000',
    status: { errorCode: 0, failureReason: 'Other.', additionalDetails: null },
    deviceDetail: { deviceId: '', displayName: '', operatingSystem: 'Windows10', browser: 'Edge 131.0.0', isCompliant: false, isManaged: false, trustType: '' },
    location: { city: place.city, state: place.state, countryOrRegion: place.country, geoCoordinates: { altitude: null, latitude: place.lat, longitude: place.lon } },
    appliedConditionalAccessPolicies: [],
  };
}

const sprayTargets = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj'].map((n) => `${n}@${domain}`);
const sprayBody = sprayTargets.map((u, i) => JSON.stringify(oktaSignInFailure(u, i * 2, i))).join('\n');
const entraBody = [
  entraSignIn(40, '5a7c0c11-0000-4000-8000-000000000001', { ip: attackerIp, city: 'Bucharest', state: 'Bucuresti', country: 'RO', lat: 44.4268, lon: 26.1025 }),
  entraSignIn(75, '5a7c0c11-0000-4000-8000-000000000002', { ip: '198.51.100.99', city: 'Singapore', state: 'Singapore', country: 'SG', lat: 1.2897, lon: 103.8501 }),
]
  .map((r) => JSON.stringify(r))
  .join('\n');

async function ingest(source: string, body: string) {
  const res = await callJson<{ accepted: number; duplicate: boolean }>('POST', `/ingest/${source}`, {
    token: tokens.ingest,
    body,
    headers: { 'content-type': 'application/x-ndjson' },
  });
  expect(res.status).toBe(200);
  return res.body;
}

async function personView(id: string) {
  const res = await callJson<PersonView>('GET', `/api/identity/users/${encodeURIComponent(id)}`, { token: tokens.viewer });
  expect(res.status).toBe(200);
  return res.body;
}

interface IncidentAnswer {
  id: string;
  person: string;
  status: string;
  stages: string[];
  providers: string[];
  detections: { kind: string; stage: string; alertId: string | null }[];
}

async function incidentsOf(person: string) {
  const res = await callJson<{ incidents: IncidentAnswer[] }>('GET', `/api/identity/incidents?status=all&person=${encodeURIComponent(person)}`, { token: tokens.viewer });
  expect(res.status).toBe(200);
  return res.body.incidents;
}

/** What must be identical after a restart or a rebuild (the risk "now" point moves with the clock). */
function durablePart(view: PersonView) {
  return {
    user: view.user,
    eventCount: view.eventCount,
    firstSeen: view.firstSeen,
    lastSeen: view.lastSeen,
    events: view.events.map((e) => e.eventUid),
    detections: view.detections.map((d) => [d.id, d.kind, d.stage, d.at, d.severity]),
    stages: view.stages,
    incident: view.incident,
    baseline: view.baseline && { ...view.baseline, maturity: null },
    sessions: view.sessions,
    riskHistory: view.riskHistory.filter((p) => p.reason !== 'now (decayed)' && p.reason !== 'decay'),
    map: view.map,
  };
}

beforeAll(async () => {
  tokens = await tokensByRole();
  await ingest('okta', sprayBody);
  await ingest('entra_id', entraBody);
});

describe('ITDR on the ingest path', () => {
  it('turns an Okta password spray and an Entra ID success for the same person into one identity incident', async () => {
    const incidents = await incidentsOf(victim);
    expect(incidents).toHaveLength(1);
    const [incident] = incidents;
    expect(incident!.stages).toEqual(expect.arrayContaining(['credential_attack', 'initial_access']));
    expect(incident!.providers).toEqual(['entra_id', 'okta']);
    expect(incident!.detections.map((d) => d.kind)).toEqual(expect.arrayContaining(['password_spray', 'spray_then_success']));
  });

  it('raises the detections as alerts through the alerting pipeline, with the person and the address as entities', async () => {
    const { results } = await env.DB.prepare(`SELECT rule_id, rule_name, entities, sources, tags FROM alerts WHERE rule_id LIKE 'itdr:%' AND entities LIKE ?1`)
      .bind(`%${victim}%`)
      .all<{ rule_id: string; rule_name: string; entities: string; sources: string; tags: string }>();
    const byRule = new Map(results.map((r) => [r.rule_id, r]));
    expect([...byRule.keys()]).toEqual(expect.arrayContaining(['itdr:spray_then_success']));
    // The spray is one alert about the attacking address, its targets folded in as hits.
    const spray = (await env.DB.prepare(`SELECT rule_id, rule_name, entities, sources, tags, count, title FROM alerts WHERE rule_id = 'itdr:password_spray'`).first<{
      entities: string;
      sources: string;
      tags: string;
      count: number;
      title: string;
    }>())!;
    expect(JSON.parse(spray.entities)).toMatchObject({ users: [], ips: [attackerIp] });
    expect(spray.title).toBe(`Password spray from ${attackerIp}`);
    expect(spray.count).toBe(sprayTargets.length);
    expect(JSON.parse(spray.sources)).toEqual(['okta']);
    expect(JSON.parse(spray.tags)).toEqual(expect.arrayContaining(['itdr', 'itdr.stage.credential_attack', 'attack.t1110.003']));
    expect(JSON.parse(byRule.get('itdr:spray_then_success')!.sources)).toEqual(['entra_id']);
    // Every sprayed person got a password_spray detection (their risk), but the alert is one, on the address;
    // only the victim signed in afterwards.
    const sprayAlerts = await env.DB.prepare(`SELECT count(*) AS n FROM alerts WHERE rule_id = 'itdr:password_spray'`).first<{ n: number }>();
    expect(sprayAlerts!.n).toBe(1);
    const success = await env.DB.prepare(`SELECT count(*) AS n FROM alerts WHERE rule_id = 'itdr:spray_then_success'`).first<{ n: number }>();
    expect(success!.n).toBe(1);
  });

  it('escalates the incident when a third kill-chain stage is reached', async () => {
    await ingest('okta', JSON.stringify(oktaPrivilegeGrant(90)));
    const incidents = await incidentsOf(victim);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.status).toBe('escalated');
    expect(incidents[0]!.stages).toEqual(expect.arrayContaining(['credential_attack', 'initial_access', 'privilege_escalation']));
    // The grant also went to the granter's object, which does not take the grantee's identity for its own.
    expect((await personView(`it-admin@${domain}`)).identities).toEqual([`okta:it-admin@${domain}`]);
  });

  it('changes nothing when a batch is retried, through the API or straight to the object', async () => {
    const before = durablePart(await personView(victim));
    const alertsBefore = await env.DB.prepare(`SELECT count(*) AS n, sum(count) AS hits FROM alerts WHERE rule_id LIKE 'itdr:%'`).first();
    expect((await ingest('okta', sprayBody)).duplicate).toBe(true);
    const stub = env.IDENTITY_USER.get(env.IDENTITY_USER.idFromName(victim));
    const again = await stub.process(victim, (await stub.snapshot(victim)).events, { org: null, external: [], now: new Date().toISOString() });
    expect([again.stored, again.detections.length]).toEqual([0, 0]);
    expect(durablePart(await personView(victim))).toEqual(before);
    expect(await env.DB.prepare(`SELECT count(*) AS n, sum(count) AS hits FROM alerts WHERE rule_id LIKE 'itdr:%'`).first()).toEqual(alertsBefore);
  });
});

describe('GET /api/identity/users', () => {
  it('lists people riskiest first, with score, level and last detection', async () => {
    const res = await callJson<{ users: { user: string; riskScore: number; riskLevel: string; lastDetection: { kind: string } | null }[] }>('GET', '/api/identity/users', {
      token: tokens.viewer,
    });
    expect(res.status).toBe(200);
    const scores = res.body.users.map((u) => u.riskScore);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(res.body.users[0]).toMatchObject({ user: victim });
    expect(res.body.users[0]!.riskScore).toBeGreaterThan(50);
    expect(['high', 'critical']).toContain(res.body.users[0]!.riskLevel);
    expect(res.body.users.find((u) => u.user === `bob@${domain}`)?.lastDetection?.kind).toBe('password_spray');
  });
});

describe('GET /api/identity/users/:id', () => {
  it('answers the person by email, in any case, with risk, detections, baseline, sessions, timeline and risk history', async () => {
    const view = await personView(victim.toUpperCase());
    expect(view.user).toBe(victim);
    expect(view.identities).toEqual(expect.arrayContaining([`okta:${victim}`, `entra_id:${victim}`]));
    expect(view.risk.score).toBeGreaterThan(50);
    expect(view.risk.breakdown.map((b) => b.kind)).toEqual(expect.arrayContaining(['spray_then_success', 'password_spray']));
    const kinds = view.detections.map((d) => d.kind);
    expect(kinds).toEqual(expect.arrayContaining(['password_spray', 'spray_then_success', 'impossible_travel', 'privilege_escalation']));
    for (const d of view.detections) {
      expect(d.kind).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(d.evidence.summary.length).toBeGreaterThan(0);
    }
    expect(view.baseline?.hourOfWeek).toHaveLength(168);
    expect(view.baseline?.countries.map((c) => c.value)).toEqual(expect.arrayContaining(['RO', 'SG']));
    expect(view.timeline.some((t) => t.type === 'detection' && t.name === 'spray_then_success')).toBe(true);
    expect(view.timeline.some((t) => t.type === 'event' && t.source === 'okta')).toBe(true);
    expect(view.riskHistory.filter((p) => p.reason !== 'decay' && p.reason !== 'now (decayed)').length).toBeGreaterThanOrEqual(3);
    expect(view.map.points.map((p) => p.city)).toEqual(expect.arrayContaining(['Bucharest', 'Singapore']));
    expect(view.map.arcs).toEqual([expect.objectContaining({ from: expect.objectContaining({ label: 'Bucharest, RO' }), to: expect.objectContaining({ label: 'Singapore, SG' }) })]);
  });

  it('answers 404 for a person never seen', async () => {
    expect((await call('GET', `/api/identity/users/nobody@${domain}`, { token: tokens.viewer })).status).toBe(404);
  });
});

describe('durability', () => {
  it('answers the same after the object restarts (a new instance on the same storage)', async () => {
    const now = new Date().toISOString();
    const stub = env.IDENTITY_USER.get(env.IDENTITY_USER.idFromName(victim));
    const live = await stub.view(victim, now);
    const restarted = await runInDurableObject(stub, (_instance: IdentityUserState, state) => new IdentityUserState(state, env).view(victim, now));
    expect(restarted).toEqual(live);
    expect(live.detections.length).toBeGreaterThan(0);
  });

  it('rebuilds a wiped object from the events table to the same state (POST /api/identity/rebuild)', async () => {
    const before = durablePart(await personView(victim));
    const stub = env.IDENTITY_USER.get(env.IDENTITY_USER.idFromName(victim));
    await stub.reset();
    expect((await stub.view(victim, new Date().toISOString())).detections).toEqual([]);

    const pages: { phase: string; replayed: number; total: number; done: boolean }[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const res: { status: number; body: { phase: string; replayed: number; total: number; done: boolean; cursor: string | null } } = await callJson('POST', '/api/identity/rebuild', {
        token: tokens.admin,
        json: { cursor, pageSize: 5 },
      });
      expect(res.status).toBe(200);
      pages.push(res.body);
      if (res.body.done) break;
      cursor = res.body.cursor;
    }
    expect(pages.at(-1)).toMatchObject({ phase: 'done', done: true });
    expect(pages.at(-1)!.replayed).toBe(pages.at(-1)!.total);
    expect(pages.length).toBeGreaterThan(3);
    expect(durablePart(await personView(victim))).toEqual(before);
    // Alerts were not raised twice, and the incident is still the one incident.
    const success = await env.DB.prepare(`SELECT count(*) AS n, sum(count) AS hits FROM alerts WHERE rule_id = 'itdr:spray_then_success'`).first();
    expect(success).toEqual({ n: 1, hits: 1 });
    expect(await incidentsOf(victim)).toHaveLength(1);
  });

  it('analyses, on rebuild, the events an object stored before ITDR existed', async () => {
    const person = `carol@${domain}`;
    const before = durablePart(await personView(person));
    expect(before.detections.length).toBeGreaterThan(0);
    // A pre-ITDR object: its events recorded, no engine state, and no identity_users row (so no reset reaches it).
    const stub = env.IDENTITY_USER.get(env.IDENTITY_USER.idFromName(person));
    await runInDurableObject(stub, (_instance: IdentityUserState, state) => {
      for (const table of ['itdr_state', 'itdr_detection_events', 'itdr_risk_history']) state.storage.sql.exec(`DELETE FROM ${table}`);
    });
    await env.DB.prepare('DELETE FROM identity_users WHERE person = ?1').bind(person).run();
    let cursor: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const res: { status: number; body: { done: boolean; cursor: string | null } } = await callJson('POST', '/api/identity/rebuild', { token: tokens.admin, json: { cursor } });
      expect(res.status).toBe(200);
      if (res.body.done) break;
      cursor = res.body.cursor;
    }
    expect(durablePart(await personView(person))).toEqual(before);
  });

  it('rebuilds one person by email', async () => {
    const person = `bob@${domain}`;
    const before = durablePart(await personView(person));
    await env.IDENTITY_USER.get(env.IDENTITY_USER.idFromName(person)).reset();
    let cursor: string | null = null;
    let done = false;
    for (let guard = 0; guard < 10 && !done; guard++) {
      const res: { status: number; body: { done: boolean; cursor: string | null; persons: number } } = await callJson('POST', '/api/identity/rebuild', {
        token: tokens.admin,
        json: { user: person.toUpperCase(), cursor },
      });
      expect(res.status).toBe(200);
      expect(res.body.persons).toBe(1);
      done = res.body.done;
      cursor = res.body.cursor;
    }
    const after = durablePart(await personView(person));
    // The org-wide spray detection is restored only by a rebuild of everyone; the person's own state is identical.
    expect({ ...after, detections: [], stages: [], riskHistory: [] }).toEqual({ ...before, detections: [], stages: [], riskHistory: [] });
  });
});

describe('security', () => {
  it.each([
    ['GET', '/api/identity/users'],
    ['GET', `/api/identity/users/${victim}`],
    ['GET', '/api/identity/incidents'],
    ['POST', '/api/identity/rebuild'],
  ])('%s %s answers 401 without a token', async (method, path) => {
    expect((await call(method, path, method === 'POST' ? { json: {} } : {})).status).toBe(401);
  });

  it.each(['analyst', 'responder', 'viewer', 'ingest'] as const)('refuses a rebuild to the %s role (403)', async (role) => {
    expect((await call('POST', '/api/identity/rebuild', { token: tokens[role], json: {} })).status).toBe(403);
  });

  it('refuses the identity views to an ingest token (403)', async () => {
    expect((await call('GET', '/api/identity/incidents', { token: tokens.ingest })).status).toBe(403);
    expect((await call('GET', '/api/identity/users', { token: tokens.ingest })).status).toBe(403);
  });

  it('refuses a forged rebuild cursor (400)', async () => {
    const res = await callJson<{ error: { code: string } }>('POST', '/api/identity/rebuild', { token: tokens.admin, json: { cursor: 'eyJwaGFzZSI6Im5vcGUifQ' } });
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_input']);
  });
});
