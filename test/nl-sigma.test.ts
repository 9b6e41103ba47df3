/**
 * NL → Sigma over the API: POST /api/rules/from-question turns an alerting request into Sigma, runs it over the
 * last 24 hours of real ingested events without saving it, and the YAML it returns is accepted by POST /api/rules.
 */
import { env } from 'cloudflare:workers';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../core/auth/roles';
import { exampleAlertRequests } from '../core/nlq/sigma';
import { call, callJson, tokensByRole } from './helpers';

let tokens: Record<Role, string>;

/** An Okta System Log failed sign-in, as GET /api/v1/logs returns it (user.session.start, outcome FAILURE). */
function oktaFailure(user: string, ip: string, at: Date, i: number) {
  return JSON.stringify({
    uuid: `nl-sigma-${user}-${i}`,
    published: at.toISOString(),
    eventType: 'user.session.start',
    displayMessage: 'User login to Okta',
    severity: 'WARN',
    version: '0',
    outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' },
    actor: { id: '00u1a2b3c4d5e6f7g8h9', type: 'User', alternateId: user, displayName: 'Brute Target' },
    client: {
      ipAddress: ip,
      userAgent: { rawUserAgent: 'python-requests/2.31.0', os: 'Unknown', browser: 'UNKNOWN' },
      geographicalContext: { country: 'Romania', city: 'Bucharest', state: 'Bucuresti', geolocation: { lat: 44.43, lon: 26.1 } },
      zone: 'null',
    },
    authenticationContext: { authenticationStep: 0, externalSessionId: 'unknown' },
    securityContext: { asNumber: 9009, asOrg: 'm247 ltd', isp: 'm247 ltd', domain: '.', isProxy: false },
    transaction: { type: 'WEB', id: `tx-${i}` },
    target: [],
  });
}

const request = 'Alert when a user fails login 5+ times in 10 minutes';
const target = 'brute.target@acme.test';

interface FromQuestion {
  yaml: string;
  rules: string[];
  sql: string;
  assumptions: string[];
  test: { window: { start: string; end: string }; documents: { title: string; kind: string; rows: number; alerts: number; sample: Record<string, unknown>[] }[] };
}

beforeAll(async () => {
  tokens = await tokensByRole();
  const start = Date.now() - 30 * 60_000;
  const failures = Array.from({ length: 6 }, (_, i) => oktaFailure(target, '198.51.100.23', new Date(start + i * 50_000), i));
  // Another user with only two failures must not fire.
  failures.push(oktaFailure('careful.user@acme.test', '198.51.100.24', new Date(start), 100), oktaFailure('careful.user@acme.test', '198.51.100.24', new Date(start + 60_000), 101));
  const res = await call('POST', '/ingest/okta', { token: tokens.ingest, body: failures.join('\n') });
  expect(res.status).toBe(200);
});

describe('POST /api/rules/from-question', () => {
  let generated: FromQuestion;
  let savedId: string;

  it('generates a brute-force correlation and shows that the user with six failures fires', async () => {
    const rulesBefore = await env.DB.prepare('SELECT count(*) AS n FROM detection_rules').first<{ n: number }>();
    const res = await callJson<FromQuestion>('POST', '/api/rules/from-question', { token: tokens.analyst, json: { question: request } });
    expect(res.status).toBe(200);
    generated = res.body;
    const [correlation, base] = parseAllDocuments(generated.yaml).map((d) => d.toJS() as { title: string; correlation?: unknown; detection?: { selection: unknown } });
    expect(correlation!.correlation).toMatchObject({ type: 'event_count', 'group-by': ['actor'], timespan: '10m', condition: { gte: 5 } });
    expect(base!.detection!.selection).toEqual({ identity_action: 'auth_failure' });
    expect(generated.rules).toEqual([correlation!.title, base!.title]);
    expect(generated.sql).toContain('SELECT');

    const [grouped, events] = generated.test.documents;
    expect(grouped).toMatchObject({ kind: 'correlation', rows: 1, alerts: 1 });
    expect(grouped!.sample[0]).toMatchObject({ actor: target });
    expect(events).toMatchObject({ kind: 'rule', rows: 8 });
    expect(new Date(generated.test.window.end).getTime() - new Date(generated.test.window.start).getTime()).toBe(24 * 3_600_000);
    // Nothing was saved.
    expect(await env.DB.prepare('SELECT count(*) AS n FROM detection_rules').first<{ n: number }>()).toEqual(rulesBefore);
  });

  it('saves the generated YAML through POST /api/rules', async () => {
    const res = await callJson<{ id: string; name: string; format: string; severity: string }>('POST', '/api/rules', { token: tokens.analyst, json: { yaml: generated.yaml } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: generated.rules[0], format: 'sigma', severity: 'medium' });
    savedId = res.body.id;
  });

  it('tests the saved rule through POST /api/rules/:id/test with the same shared runner, finding the same group', async () => {
    const res = await callJson<FromQuestion['test']>('POST', `/api/rules/${savedId}/test`, { token: tokens.viewer, json: { hours: 24 } });
    expect(res.status).toBe(200);
    expect(res.body.documents.map((d) => ({ title: d.title, rows: d.rows, alerts: d.alerts }))).toEqual(
      generated.test.documents.map((d) => ({ title: d.title, rows: d.rows, alerts: d.alerts })),
    );
    expect(res.body.documents[0]!.sample[0]).toMatchObject({ actor: target });
  });

  // Every shape of generated SQL runs on D1: correlations with and without group-by, value counts, a negated
  // country filter, CloudTrail raw-JSON fields.
  it.each([
    ...exampleAlertRequests,
    'Alert when there are more than 50 failed logins in 10 minutes',
    'Alert when a user signs in from 3 different countries within 1 hour',
    'Alert on sign-ins from outside the US in okta as critical',
    'Alert on console logins without MFA',
    'Alert on more than 100 access denied errors in AWS within 1 day',
  ])('runs the rule for %j over the window', async (question) => {
    const res = await callJson<FromQuestion>('POST', '/api/rules/from-question', { token: tokens.analyst, json: { question, hours: 2 } });
    expect(res.status).toBe(200);
    expect(res.body.test.documents.map((d) => d.title)).toEqual(res.body.rules);
  });

  it('refuses a request it cannot read, with suggestions', async () => {
    const res = await callJson<{ error: { code: string; message: string }; suggestions: string[] }>('POST', '/api/rules/from-question', {
      token: tokens.analyst,
      json: { question: 'alert when the coffee machine is empty' },
    });
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_input']);
    expect(res.body.suggestions.length).toBeGreaterThan(0);
  });

  it('answers 401 without a token and 403 for a viewer', async () => {
    expect((await call('POST', '/api/rules/from-question', { json: { question: request } })).status).toBe(401);
    const viewer = await callJson<{ error: { code: string } }>('POST', '/api/rules/from-question', { token: tokens.viewer, json: { question: request } });
    expect([viewer.status, viewer.body.error.code]).toEqual([403, 'forbidden']);
  });
});
