/**
 * Scheduled detection (cron → SQL rules → alerts, with watermarks) and the contain-user playbook Workflow
 * (evidence → approval by someone else → containment in the identity Durable Object), inside workerd.
 */
import { createScheduledController, introspectWorkflow } from 'cloudflare:test';
import bruteForceRule from '../rules/sigma/identity/mr_identity_brute_force_single_account.yml?raw';
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../core/auth/roles';
import worker from '../workers/index';
import { call, callJson, createToken, tokensByRole } from './helpers';

let tokens: Record<Role, string>;

beforeAll(async () => {
  tokens = await tokensByRole();
});

async function runCron(at: Date) {
  const controller = createScheduledController({ scheduledTime: at.getTime(), cron: '*/5 * * * *' });
  await worker.scheduled(controller, env);
}

function oktaFailure(user: string, ip: string, at: Date, i: number) {
  return JSON.stringify({
    uuid: `spray-${user}-${i}`,
    published: at.toISOString(),
    eventType: 'user.session.start',
    outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' },
    actor: { alternateId: user, type: 'User' },
    client: { ipAddress: ip },
  });
}

const sprayRule = {
  name: 'Password spray from one IP',
  description: 'Five or more accounts failing to sign in from the same address.',
  severity: 'high',
  sql: `SELECT src_ip, count(DISTINCT actor) AS users, count(*) AS n, min(event_time) AS first_seen, max(event_time) AS last_seen
          FROM events
         WHERE identity_action = 'auth_failure' AND event_time > :window_start AND event_time <= :window_end
         GROUP BY src_ip HAVING count(DISTINCT actor) >= 5`,
  intervalMinutes: 5,
  lookbackMinutes: 60,
};

describe('scheduled detection', () => {
  const now = new Date();
  let ruleId: string;

  it('refuses a rule whose SQL does not bound the window', async () => {
    const res = await callJson<{ error: { code: string; message: string } }>('POST', '/api/rules', {
      token: tokens.analyst,
      json: { ...sprayRule, sql: "SELECT src_ip FROM events WHERE identity_action = 'auth_failure'" },
    });
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_sql']);
    expect(res.body.error.message).toContain(':window_start');
  });

  it('turns rule hits into one alert per entity', async () => {
    const created = await callJson<{ id: string }>('POST', '/api/rules', { token: tokens.analyst, json: sprayRule });
    expect(created.status).toBe(201);
    ruleId = created.body.id;
    const at = new Date(now.getTime() - 10 * 60_000);
    const body = Array.from({ length: 6 }, (_, i) => oktaFailure(`user${i}@acme.test`, '203.0.113.66', at, i)).join('\n');
    expect((await call('POST', '/ingest/okta', { token: tokens.ingest, body })).status).toBe(200);

    await runCron(now);

    const { body: list } = await callJson<{ alerts: { ruleId: string; severity: string; title: string; count: number; entities: { ips: string[] }; status: string }[] }>(
      'GET',
      '/api/alerts?status=open',
      { token: tokens.viewer },
    );
    expect(list.alerts).toHaveLength(1);
    expect(list.alerts[0]).toMatchObject({
      ruleId,
      severity: 'high',
      title: 'Password spray from one IP: from 203.0.113.66',
      count: 6,
      entities: { ips: ['203.0.113.66'] },
      status: 'open',
    });
  });

  it('advances the watermark so the next run does not count the same events again', async () => {
    await runCron(new Date(now.getTime() + 5 * 60_000));
    const { body } = await callJson<{ alerts: { count: number }[] }>('GET', '/api/alerts', { token: tokens.viewer });
    expect(body.alerts.map((a) => a.count)).toEqual([6]);
    const rule = await env.DB.prepare('SELECT watermark, last_run_status, last_hits FROM detection_rules WHERE id = ?1').bind(ruleId).first();
    expect(rule).toEqual({ watermark: new Date(now.getTime() + 4 * 60_000).toISOString(), last_run_status: 'ok', last_hits: 0 });
    const runs = await env.DB.prepare('SELECT count(*) AS n FROM rule_runs WHERE rule_id = ?1').bind(ruleId).first<{ n: number }>();
    expect(runs?.n).toBe(2);
  });

  it('records a failing rule on that rule, keeps its watermark, and still runs the others', async () => {
    const broken = await callJson<{ id: string }>('POST', '/api/rules', {
      token: tokens.admin,
      json: { ...sprayRule, name: 'Broken', sql: 'SELECT json(actor) AS x FROM events WHERE event_time > :window_start AND event_time <= :window_end AND actor IS NOT NULL' },
    });
    await runCron(new Date(now.getTime() + 10 * 60_000));
    const rows = await env.DB.prepare('SELECT id, last_run_status, last_error, watermark FROM detection_rules ORDER BY name').all<{
      id: string;
      last_run_status: string;
      last_error: string | null;
      watermark: string | null;
    }>();
    const brokenRow = rows.results.find((r) => r.id === broken.body.id)!;
    expect(brokenRow.last_run_status).toBe('error');
    expect(brokenRow.last_error).toMatch(/malformed JSON/);
    expect(brokenRow.watermark).toBeNull();
    expect(rows.results.find((r) => r.id === ruleId)!.last_run_status).toBe('ok');
  });

  it('shows the execution history with rows read, rows returned, hits and errors', async () => {
    const { status, body } = await callJson<{ runs: { status: string; windowStart: string; windowEnd: string; rowsRead: number; rows: number; hits: number; durationMs: number; error: string | null }[] }>(
      'GET',
      `/api/rules/${ruleId}/runs?limit=10`,
      { token: tokens.viewer },
    );
    expect(status).toBe(200);
    expect(body.runs).toHaveLength(3);
    // Newest first; the first window found the six failures: the engine read at least those rows.
    const first = body.runs.at(-1)!;
    expect(first).toMatchObject({ status: 'ok', rows: 1, hits: 1, error: null });
    expect(first.rowsRead).toBeGreaterThanOrEqual(6);
    expect(body.runs[0]!.windowEnd > body.runs[1]!.windowEnd).toBe(true);
    expect((await call('GET', '/api/rules/no-such-rule/runs', { token: tokens.viewer })).status).toBe(404);
    expect((await call('GET', `/api/rules/${ruleId}/runs?limit=0`, { token: tokens.viewer })).status).toBe(400);
  });

  it('lets responders acknowledge an alert and refuses viewers', async () => {
    const { body } = await callJson<{ alerts: { id: string }[] }>('GET', '/api/alerts', { token: tokens.viewer });
    const id = body.alerts[0]!.id;
    expect((await call('PATCH', `/api/alerts/${id}`, { token: tokens.viewer, json: { status: 'acknowledged' } })).status).toBe(403);
    const res = await callJson<{ status: string }>('PATCH', `/api/alerts/${id}`, { token: tokens.responder, json: { status: 'acknowledged' } });
    expect([res.status, res.body.status]).toEqual([200, 'acknowledged']);
    expect((await call('PATCH', `/api/alerts/${id}`, { token: tokens.responder, json: { status: 'bogus' } })).status).toBe(400);
  });

  it('disables a rule through PATCH', async () => {
    const res = await callJson<{ enabled: boolean }>('PATCH', `/api/rules/${ruleId}`, { token: tokens.analyst, json: { enabled: false } });
    expect([res.status, res.body.enabled]).toEqual([200, false]);
  });
});

describe('contain-user playbook', () => {
  const user = 'victim@acme.test';
  let introspector: Awaited<ReturnType<typeof introspectWorkflow>>;

  beforeAll(async () => {
    const body = [
      JSON.stringify({ uuid: 'v-1', published: new Date().toISOString(), eventType: 'user.session.start', outcome: { result: 'SUCCESS' }, actor: { alternateId: user }, client: { ipAddress: '198.51.100.4' } }),
    ].join('\n');
    await call('POST', '/ingest/okta', { token: tokens.ingest, body });
  });

  afterEach(async () => {
    await introspector?.dispose();
  });

  async function startRun(token: string, userId = user) {
    introspector = await introspectWorkflow(env.PLAYBOOKS);
    const res = await callJson<{ id: string; status: string }>('POST', '/api/playbooks/runs', {
      token,
      json: { playbook: 'contain-user', userId, reason: 'Impossible travel and MFA fatigue' },
    });
    expect(res.status).toBe(202);
    const [instance] = await introspector.get();
    await instance!.waitForStepResult({ name: 'await-approval' });
    return { id: res.body.id, instance: instance! };
  }

  async function runRow(id: string) {
    return callJson<{ status: string; decidedBy: string | null; result: Record<string, unknown> | null }>('GET', `/api/playbooks/runs/${id}`, {
      token: tokens.viewer,
    });
  }

  it('collects evidence, waits for someone else’s approval, then contains the user', async () => {
    const requester = await createToken('responder', { name: 'requester' });
    const { id, instance } = await startRun(requester.token);
    expect((await runRow(id)).body.status).toBe('waiting_approval');

    const own = await callJson<{ error: { message: string } }>('POST', `/api/playbooks/runs/${id}/decision`, {
      token: requester.token,
      json: { approve: true },
    });
    expect(own.status).toBe(403);
    expect(own.body.error.message).toContain('someone else must approve');

    const approved = await callJson<{ status: string }>('POST', `/api/playbooks/runs/${id}/decision`, {
      token: tokens.responder,
      json: { approve: true, comment: 'confirmed with the user’s manager' },
    });
    expect([approved.status, approved.body.status]).toEqual([200, 'approved']);
    await instance.waitForStatus('complete');

    const row = await runRow(id);
    expect(row.body).toMatchObject({ status: 'complete', decidedBy: 'test-responder' });
    const evidenceKey = row.body.result!.evidenceKey as string;
    const evidence = (await (await env.LAKE.get(evidenceKey))!.json()) as { events: unknown[] };
    expect(evidence.events).toHaveLength(1);

    const identity = await callJson<{ containment: { playbookRunId: string; containedBy: string } | null }>(
      'GET',
      `/api/identity/users/${encodeURIComponent(user)}`,
      { token: tokens.viewer },
    );
    expect(identity.body.containment).toMatchObject({ playbookRunId: id, containedBy: 'test-responder' });

    const again = await call('POST', `/api/playbooks/runs/${id}/decision`, { token: tokens.admin, json: { approve: true } });
    expect(again.status).toBe(409);
  });

  it('contains the person the Identity page shows, whatever form of the account the run was started with', async () => {
    // `ACME\Victim2` resolves to the person `victim2`, as the ITDR feed and GET /api/identity/users resolve it.
    const { id, instance } = await startRun(tokens.admin, 'ACME\\Victim2');
    const approved = await callJson<{ status: string }>('POST', `/api/playbooks/runs/${id}/decision`, { token: tokens.responder, json: { approve: true } });
    expect(approved.status).toBe(200);
    await instance.waitForStatus('complete');
    expect((await runRow(id)).body.result).toMatchObject({ contained: 'victim2' });
    const identity = await callJson<{ containment: { playbookRunId: string } | null }>('GET', '/api/identity/users/victim2', { token: tokens.viewer });
    expect(identity.body.containment).toMatchObject({ playbookRunId: id });
  });

  it('changes nothing when the approver rejects', async () => {
    const { id, instance } = await startRun(tokens.analyst);
    await callJson('POST', `/api/playbooks/runs/${id}/decision`, { token: tokens.responder, json: { approve: false } });
    await instance.waitForStatus('complete');
    expect((await runRow(id)).body.status).toBe('rejected');
  });

  it('records a timeout when nobody decides', async () => {
    introspector = await introspectWorkflow(env.PLAYBOOKS);
    await introspector.modifyAll(async (m) => {
      await m.forceEventTimeout({ name: 'approval' });
    });
    const res = await callJson<{ id: string }>('POST', '/api/playbooks/runs', {
      token: tokens.analyst,
      json: { playbook: 'contain-user', userId: user, reason: 'test timeout' },
    });
    const [instance] = await introspector.get();
    await instance!.waitForStatus('complete');
    expect((await runRow(res.body.id)).body.status).toBe('timed_out');
  });

  it('refuses an unknown playbook', async () => {
    const res = await call('POST', '/api/playbooks/runs', { token: tokens.analyst, json: { playbook: 'nuke', userId: user, reason: 'x' } });
    expect(res.status).toBe(400);
  });
});

describe('Sigma rules', () => {
  const now = new Date();
  const adminGrant = `title: Okta admin privilege granted
id: 7b1e0f0a-1111-4a5b-9c3d-000000000001
status: experimental
description: An Okta administrator role was granted.
author: Mantissa Log test
date: 2026-11-27
logsource:
    product: okta
    service: okta
detection:
    selection:
        eventType: user.account.privilege.grant
    condition: selection
level: high
`;
  const suspiciousAgent = `title: Scripted Okta sign-in
id: 7b1e0f0a-1111-4a5b-9c3d-000000000002
logsource:
    product: okta
    service: okta
detection:
    selection:
        eventType: user.session.start
        client.userAgent.rawUserAgent|re: '^python-requests/\\d+\\.'
    condition: selection
level: medium
`;
  const bruteForce = bruteForceRule;

  function okta(uuid: string, at: Date, extra: Record<string, unknown>) {
    return JSON.stringify({ uuid, published: at.toISOString(), actor: { alternateId: 'mallory@acme.test', type: 'User' }, client: { ipAddress: '203.0.113.9' }, ...extra });
  }

  async function post(yaml: string, token = tokens.analyst) {
    return callJson<{ id: string; format: string; sql: string; name: string; severity: string; error?: { code: string; message: string }; errors?: { code: string; line: number | null; column: number | null }[] }>(
      'POST',
      '/api/rules',
      { token, json: { yaml, lookbackMinutes: 120 } },
    );
  }

  it('saves a valid Sigma rule with its title, level and compiled SQL', async () => {
    const res = await post(adminGrant);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ format: 'sigma', name: 'Okta admin privilege granted', severity: 'high' });
    expect(res.body.sql).toMatch(/SELECT e\.\* FROM events/);
  });

  it('refuses the same Sigma id twice', async () => {
    expect((await post(adminGrant)).status).toBe(409);
  });

  it.each([
    ['malformed YAML', 'title: x\nlogsource: [unclosed\n', 'yaml', 3],
    ['an unknown modifier', adminGrant.replace('id: 7b1e0f0a-1111-4a5b-9c3d-000000000001', 'id: 7b1e0f0a-1111-4a5b-9c3d-00000000000a').replace('eventType: user', 'eventType|sometimes: user'), 'unknown_modifier', 12],
    ['a regex RE2 cannot run in linear time', suspiciousAgent.replace('000000000002', '00000000000b').replace("'^python-requests/\\d+\\.'", "'(a)\\1'"), 'invalid_regex', 9],
    ['a field the Okta mapping does not know', adminGrant.replace('000000000001', '00000000000c').replace('eventType:', 'eventTipe:'), 'unmapped_field', 12],
  ])('refuses %s with its line and column', async (_label, yaml, code, line) => {
    const res = await post(yaml);
    expect([res.status, res.body.error?.code]).toEqual([400, 'invalid_rule']);
    expect(res.body.errors?.[0], JSON.stringify(res.body.errors)).toMatchObject({ code, line });
    expect(res.body.errors?.[0]?.column).toBeGreaterThan(0);
  });

  it('raises an alert per entity from matching events, confirming regex matches exactly on D1', async () => {
    expect((await post(suspiciousAgent)).status).toBe(201);
    const at = new Date(now.getTime() - 20 * 60_000);
    const body = [
      okta('sig-1', at, { eventType: 'user.account.privilege.grant', outcome: { result: 'SUCCESS' }, target: [{ alternateId: 'eve@acme.test', type: 'User' }] }),
      okta('sig-2', at, { eventType: 'user.session.start', outcome: { result: 'SUCCESS' }, client: { ipAddress: '203.0.113.9', userAgent: { rawUserAgent: 'python-requests/2.32.3' } } }),
      okta('sig-3', at, { eventType: 'user.session.start', outcome: { result: 'SUCCESS' }, client: { ipAddress: '198.51.100.2', userAgent: { rawUserAgent: 'Mozilla/5.0 python-requests/2.0' } } }),
    ].join('\n');
    expect((await call('POST', '/ingest/okta', { token: tokens.ingest, body })).status).toBe(200);
    await runCron(now);
    const { body: list } = await callJson<{ alerts: { ruleName: string; title: string; severity: string; count: number }[] }>('GET', '/api/alerts', { token: tokens.viewer });
    const sigmaAlerts = list.alerts.filter((a) => a.ruleName === 'Okta admin privilege granted' || a.ruleName === 'Scripted Okta sign-in');
    expect(sigmaAlerts.map((a) => [a.ruleName, a.title, a.severity, a.count]).sort()).toEqual([
      ['Okta admin privilege granted', 'Okta admin privilege granted: mallory@acme.test from 203.0.113.9', 'high', 1],
      ['Scripted Okta sign-in', 'Scripted Okta sign-in: mallory@acme.test from 203.0.113.9', 'medium', 1],
    ]);
  });

  it('runs a correlation over a sliding window, and its base rule raises no alert of its own', async () => {
    expect((await post(bruteForce)).status).toBe(201);
    // Five failures before a 10-minute clock boundary and five after it: ten within ten minutes.
    const base = new Date(Math.floor((now.getTime() - 30 * 60_000) / 600_000) * 600_000);
    const failures = Array.from({ length: 10 }, (_, i) =>
      okta(`bf-${i}`, new Date(base.getTime() + (i < 5 ? -(5 - i) * 30_000 : (i - 4) * 30_000)), {
        eventType: 'user.session.start',
        outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' },
        actor: { alternateId: 'victim@acme.test', type: 'User' },
      }),
    ).join('\n');
    expect((await call('POST', '/ingest/okta', { token: tokens.ingest, body: failures })).status).toBe(200);
    await runCron(new Date(now.getTime() + 6 * 60_000));
    const { body: list } = await callJson<{ alerts: { ruleName: string; entities: { users: string[] }; count: number }[] }>('GET', '/api/alerts', { token: tokens.viewer });
    const brute = list.alerts.filter((a) => a.ruleName === 'Brute Force Against One Account');
    expect(brute).toHaveLength(1);
    expect(brute[0]).toMatchObject({ entities: { users: ['victim@acme.test'] } });
    expect(brute[0]!.count).toBeGreaterThanOrEqual(10);
    expect(list.alerts.some((a) => a.ruleName === 'Failed Sign-In (identity view)')).toBe(false);
  });

  it('keeps a DRL rule’s licence and author attribution with the rule and with every alert it raises', async () => {
    const attribution = '"Okta MFA Reset or Deactivated" by Austin Songer @austinsonger; SigmaHQ rule rules/identity/okta/okta_mfa_reset_or_deactivated.yml (https://github.com/SigmaHQ/sigma); licensed under the Detection Rule License (DRL) 1.1, https://github.com/SigmaHQ/Detection-Rule-License';
    // The detection of SigmaHQ's okta_mfa_reset_or_deactivated.yml (DRL 1.1, attribution above).
    const yaml = `title: Okta MFA Reset or Deactivated
id: 50e068d7-1e6b-4054-87e5-0a592c40c7e0
author: Austin Songer @austinsonger
logsource:
    product: okta
    service: okta
detection:
    selection:
        eventType:
            - user.mfa.factor.deactivate
            - user.mfa.factor.reset_all
    condition: selection
level: medium
`;
    const saved = await callJson<{ license: string; attribution: string }>('POST', '/api/rules', { token: tokens.analyst, json: { yaml, lookbackMinutes: 120, license: 'DRL-1.1', attribution } });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ license: 'DRL-1.1', attribution });
    const at = new Date(now.getTime() - 15 * 60_000);
    const body = okta('drl-1', at, { eventType: 'user.mfa.factor.reset_all', outcome: { result: 'SUCCESS' } });
    expect((await call('POST', '/ingest/okta', { token: tokens.ingest, body })).status).toBe(200);
    await runCron(new Date(now.getTime() + 12 * 60_000));
    const { body: list } = await callJson<{ alerts: { ruleName: string; ruleLicense: string | null; ruleAttribution: string | null }[] }>('GET', '/api/alerts', { token: tokens.viewer });
    const raised = list.alerts.filter((a) => a.ruleName === 'Okta MFA Reset or Deactivated');
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ ruleLicense: 'DRL-1.1', ruleAttribution: attribution });
    expect(list.alerts.filter((a) => a.ruleName === 'Scripted Okta sign-in').every((a) => a.ruleAttribution === null)).toBe(true);
  });

  it('converts a field the mapping does not know with a warning, and refuses it when asked to be strict', async () => {
    const yaml = adminGrant.replace('000000000001', '00000000000d').replace('eventType:', 'eventTipe:');
    const lenient = await callJson<{ results: { ok: boolean; warnings: string[]; queries: Record<string, { ok: boolean; inline: string }> }[] }>('POST', '/api/rules/convert', {
      token: tokens.viewer,
      json: { yaml, dialects: ['athena'] },
    });
    expect(lenient.status).toBe(200);
    expect(lenient.body.results[0]).toMatchObject({ ok: true, warnings: ['Field "eventTipe" (line 12) is not a known field of okta; reading raw.eventTipe.'] });
    expect(lenient.body.results[0]!.queries.athena!.inline).toContain('$.eventTipe');
    const strict = await callJson<{ results: { ok: boolean; errors: { code: string; line: number }[] }[] }>('POST', '/api/rules/convert', {
      token: tokens.viewer,
      json: { yaml, dialects: ['athena'], strict: true },
    });
    expect(strict.body.results[0]).toMatchObject({ ok: false, errors: [{ code: 'unmapped_field', line: 12 }] });
  });

  it('converts a rule to all four dialects with bound parameters and the inline export form', async () => {
    const res = await callJson<{ results: { ok: boolean; queries: Record<string, { ok: boolean; sql: string; params: unknown[]; inline: string }> }[] }>('POST', '/api/rules/convert', {
      token: tokens.viewer,
      json: { yaml: adminGrant },
    });
    expect(res.status).toBe(200);
    const queries = res.body.results[0]!.queries;
    expect(Object.keys(queries).sort()).toEqual(['athena', 'bigquery', 'd1', 'synapse']);
    for (const q of Object.values(queries)) {
      expect(q.ok).toBe(true);
      expect(q.sql).not.toContain('user.account.privilege.grant');
      expect(q.params).toContain('user.account.privilege.grant');
      expect(q.inline).toContain('user.account.privilege.grant');
    }
  });
});
