/**
 * The detection runtime and alert delivery, inside workerd against the loopback destination fakes
 * (test/fakes/group-alerting.ts): real-time Sigma detection on ingest, routing to PagerDuty, Slack and a signed
 * webhook through the real queue, acknowledge/resolve follow-ups, noise control (dedup windows, false-positive
 * suppressions with review, maintenance windows, thresholds), incidents, escalation, quiet hours, and two chaos
 * tests: a destination that fails and times out, and a day of cron ticks with detector runs dying midway.
 */
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Role } from '../core/auth/roles';
import { incidentSeverity, riskPoints } from '../core/alerting/noise';
import type { Severity } from '../core/schema/event';
import worker from '../workers/index';
import { deliverOne } from '../workers/detect/deliver-queue';
import { runScheduledDetection } from '../workers/detect/scheduled-detection';
import { call, callJson, tokensByRole } from './helpers';

let tokens: Record<Role, string>;
const ports = () => inject('fakePorts');
const fakeUrl = (name: string, path = '') => `http://127.0.0.1:${ports()[name]}${path}`;

async function fake<T>(name: string, action: string, body?: unknown): Promise<T> {
  const res = await fetch(fakeUrl(name, `/__fake/${action}`), body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return (await res.json()) as T;
}

async function runCron(at: Date, e: Cloudflare.Env = env) {
  await worker.scheduled(createScheduledController({ scheduledTime: at.getTime(), cron: '*/5 * * * *' }), e);
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000, explain?: () => Promise<unknown>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${explain ? `: ${JSON.stringify(await explain())}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function routingDocument(extra: Record<string, unknown> = {}) {
  return {
    baseUrl: 'https://siem.acme.test',
    destinations: [
      { id: 'pd', type: 'pagerduty', routingKeySecret: 'PAGERDUTY_ROUTING_KEY', apiBase: fakeUrl('pagerduty') },
      { id: 'soc-slack', type: 'slack', mode: 'bot', tokenSecret: 'SLACK_BOT_TOKEN', channel: 'C0FAKEALERTS', apiUrl: fakeUrl('slackChat', '/api') },
      { id: 'hook', type: 'webhook', url: fakeUrl('webhookReceiver', '/hooks/mantissa'), secretName: 'WEBHOOK_SIGNING_SECRET' },
    ],
    routes: [
      { name: 'page the on-call', match: { minSeverity: 'high', rules: ['Okta Admin*'] }, destinations: ['pd', 'hook'], continue: true },
      { name: 'everything to chat', match: { rules: ['Okta*'] }, destinations: ['soc-slack', 'hook'] },
    ],
    ...extra,
  };
}

const adminGrantRule = (id: string, title = 'Okta Admin Role Granted', actorPrefix = '') => `title: ${title}
id: ${id}
status: experimental
description: An Okta administrator role was granted.
author: Mantissa Log test
date: 2026-11-27
tags:
    - attack.privilege-escalation
    - attack.t1098.003
logsource:
    product: okta
    service: okta
detection:
    selection:
        eventType: user.account.privilege.grant${actorPrefix ? `\n        actor.alternateId|startswith: '${actorPrefix}'` : ''}
    condition: selection
level: high
`;

function oktaGrant(uuid: string, at: Date, actor = 'mallory@acme.test', ip = '203.0.113.9') {
  return JSON.stringify({
    uuid,
    published: at.toISOString(),
    eventType: 'user.account.privilege.grant',
    outcome: { result: 'SUCCESS' },
    actor: { alternateId: actor, type: 'User' },
    client: { ipAddress: ip },
    target: [{ alternateId: 'eve@acme.test', type: 'User' }],
  });
}

async function ingest(lines: string[]) {
  const res = await call('POST', '/ingest/okta', { token: tokens.ingest, body: lines.join('\n') });
  expect(res.status).toBe(200);
  return (await res.json()) as { batchId: string; accepted: number };
}

async function createRule(yaml: string, extra: Record<string, unknown> = {}) {
  const res = await callJson<{ id: string; error?: { message: string } }>('POST', '/api/rules', { token: tokens.analyst, json: { yaml, ...extra } });
  expect(res.status, res.body.error?.message).toBe(201);
  return res.body.id;
}

interface AlertView {
  id: string;
  ruleId: string;
  ruleName: string;
  status: string;
  count: number;
  occurrence: number;
  mutedBy: string | null;
  incidentId: string | null;
  entities: { users: string[]; ips: string[] };
}

async function alertsOf(ruleId: string): Promise<AlertView[]> {
  return (await callJson<{ alerts: AlertView[] }>('GET', `/api/alerts?ruleId=${ruleId}&limit=1000`, { token: tokens.viewer })).body.alerts;
}

interface DeliveryView {
  destinationId: string;
  kind: string;
  status: string;
  attempts: number;
  route: string;
  notBefore: string;
  deliveryKey: string;
  lastError: string | null;
}

async function deliveriesOf(alertId: string): Promise<DeliveryView[]> {
  return (await callJson<{ deliveries: DeliveryView[] }>('GET', `/api/alerts/${alertId}`, { token: tokens.viewer })).body.deliveries;
}

beforeAll(async () => {
  tokens = await tokensByRole();
});

describe('the routing document', () => {
  it('refuses an unknown destination and bad destination settings, naming where', async () => {
    const doc = routingDocument();
    const unknown = await callJson<{ error: { message: string }; problems: string[] }>('PUT', '/api/routing', {
      token: tokens.admin,
      json: { document: { ...doc, routes: [{ name: 'x', destinations: ['nowhere'] }] } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.problems.join('\n')).toContain('routes[0] (x).destinations names "nowhere", which is not a destination');

    const badSlack = await callJson<{ problems: string[] }>('PUT', '/api/routing', {
      token: tokens.admin,
      json: { document: { ...doc, destinations: [{ id: 'pd', type: 'slack', mode: 'bot', tokenSecret: 'SLACK_BOT_TOKEN' }], routes: [] } },
    });
    expect(badSlack.status).toBe(400);
    expect(badSlack.body.problems.some((p) => p.startsWith('destinations.0.channel'))).toBe(true);
  });

  it('accepts YAML, stores versions, and warns about secrets the Worker lacks', async () => {
    const yaml = `destinations:\n  - id: hook\n    type: webhook\n    url: https://hooks.acme.test/mantissa\n    secretName: NOT_SET_ANYWHERE\nroutes:\n  - name: all\n    destinations: [hook]\n`;
    const put = await callJson<{ version: number; warnings: string[] }>('PUT', '/api/routing', { token: tokens.admin, body: yaml, headers: { 'content-type': 'application/yaml' } });
    expect(put.status).toBe(200);
    expect(put.body.warnings).toEqual(['secret NOT_SET_ANYWHERE is not set (wrangler secret put NOT_SET_ANYWHERE; locally: .dev.vars)']);
    const get = await callJson<{ version: number; document: { routes: unknown[] } }>('GET', '/api/routing', { token: tokens.responder });
    expect(get.body.version).toBe(put.body.version);
    expect(get.body.document.routes).toHaveLength(1);
    expect((await call('PUT', '/api/routing', { token: tokens.analyst, json: { document: {} } })).status).toBe(403);
  });
});

describe('real-time detection and delivery', () => {
  let ruleId: string;
  let alertId: string;

  beforeAll(async () => {
    await fake('webhookReceiver', 'reset', {});
    await fake('pagerduty', 'reset', {});
    await fake('slackChat', 'reset', {});
    expect((await callJson('PUT', '/api/routing', { token: tokens.admin, json: { document: routingDocument() } })).status).toBe(200);
    ruleId = await createRule(adminGrantRule('6a0c1f52-7d7e-4a53-9a40-000000000001'));
  });

  it('raises the alert during the ingest request, and delivers it through the queue in seconds', async () => {
    const started = Date.now();
    await ingest([oktaGrant('rt-1', new Date(Date.now() - 30_000))]);
    const [alert] = await alertsOf(ruleId);
    expect(alert).toMatchObject({ status: 'open', count: 1, entities: { users: ['mallory@acme.test'], ips: ['203.0.113.9'] } });
    alertId = alert!.id;

    const delivered = await waitFor('the webhook delivery', async () => {
      const d = await fake<{ unique: number; deliveries: { alertId: string; kind: string }[] }>('webhookReceiver', 'deliveries');
      return d.deliveries.find((x) => x.alertId === alertId && x.kind === 'trigger') ? d : null;
    });
    expect(delivered.unique).toBe(1);
    console.log(`ingest → signed webhook delivery: ${Date.now() - started} ms`);

    const pd = await waitFor('the PagerDuty alert', async () => {
      const alerts = await fake<{ dedup_key: string; state: string; severity: string }[]>('pagerduty', 'alerts', {});
      return alerts.length > 0 ? alerts : null;
    });
    expect(pd).toEqual([expect.objectContaining({ dedup_key: `mantissa-${alertId}`, state: 'triggered', severity: 'error' })]);
    const slack = await waitFor('the Slack message', async () => {
      const m = await fake<{ channel: string; ts: string; threadTs: string | null }[]>('slackChat', 'messages');
      return m.length > 0 ? m : null;
    });
    expect(slack).toHaveLength(1);
    // One delivery per destination, even though two routes name the webhook.
    const deliveries = await waitFor('all deliveries sent', async () => {
      const d = await deliveriesOf(alertId);
      return d.every((x) => x.status === 'sent') ? d : null;
    });
    expect(deliveries.map((d) => [d.destinationId, d.kind, d.route]).sort()).toEqual([
      ['hook', 'trigger', 'page the on-call'],
      ['pd', 'trigger', 'page the on-call'],
      ['soc-slack', 'trigger', 'everything to chat'],
    ]);
  });

  it('counts each event once across the real-time and scheduled paths', async () => {
    await runCron(new Date(Date.now() + 2 * 60_000));
    const [alert] = await alertsOf(ruleId);
    expect(alert!.count).toBe(1);
    await ingest([oktaGrant('rt-2', new Date(Date.now() - 20_000))]);
    await runCron(new Date(Date.now() + 8 * 60_000));
    expect((await alertsOf(ruleId)).map((a) => a.count)).toEqual([2]);
    // The second hit folds into the open alert: nobody is paged twice.
    expect((await deliveriesOf(alertId)).filter((d) => d.kind === 'trigger')).toHaveLength(3);
  });

  it('tells the destinations when the alert is acknowledged and resolved, with one PagerDuty dedup key', async () => {
    expect((await call('PATCH', `/api/alerts/${alertId}`, { token: tokens.responder, json: { status: 'acknowledged' } })).status).toBe(200);
    await waitFor('acknowledge deliveries', async () => (await deliveriesOf(alertId)).filter((d) => d.kind === 'acknowledge' && d.status === 'sent').length === 3, 15_000, () => deliveriesOf(alertId));
    expect((await call('PATCH', `/api/alerts/${alertId}`, { token: tokens.responder, json: { status: 'closed' } })).status).toBe(200);
    await waitFor('resolve deliveries', async () => (await deliveriesOf(alertId)).filter((d) => d.kind === 'resolve' && d.status === 'sent').length === 3);

    const pd = await fake<{ dedup_key: string; state: string; actions: string[] }[]>('pagerduty', 'alerts', {});
    expect(pd).toEqual([expect.objectContaining({ dedup_key: `mantissa-${alertId}`, state: 'resolved', actions: ['trigger', 'acknowledge', 'resolve'] })]);
    const slack = await fake<{ ts: string; threadTs: string | null; edited: boolean }[]>('slackChat', 'messages');
    const original = slack.find((m) => m.threadTs === null)!;
    expect(original.edited).toBe(true);
    expect(slack.filter((m) => m.threadTs === original.ts)).toHaveLength(2);
    const hook = await fake<{ deliveries: { alertId: string; kind: string; attempts: number }[] }>('webhookReceiver', 'deliveries');
    expect(hook.deliveries.filter((d) => d.alertId === alertId).map((d) => [d.kind, d.attempts])).toEqual([
      ['trigger', 1],
      ['acknowledge', 1],
      ['resolve', 1],
    ]);
  });

  it('reopens a closed alert that fires again, as a new occurrence that pages again', async () => {
    await ingest([oktaGrant('rt-3', new Date(Date.now() - 10_000))]);
    const [alert] = await alertsOf(ruleId);
    expect(alert).toMatchObject({ id: alertId, status: 'open', occurrence: 2, count: 3 });
    const triggers = await waitFor('second-occurrence triggers sent', async () => {
      const d = (await deliveriesOf(alertId)).filter((x) => x.kind === 'trigger' && x.deliveryKey.endsWith(':2'));
      return d.length === 3 && d.every((x) => x.status === 'sent') ? d : null;
    });
    expect(triggers).toHaveLength(3);
    const pd = await fake<{ state: string }[]>('pagerduty', 'alerts', {});
    expect(pd.map((a) => a.state)).toEqual(['resolved', 'triggered']);
  });
});

describe('noise control', () => {
  let ruleId: string;

  beforeAll(async () => {
    await callJson('PUT', '/api/routing', { token: tokens.admin, json: { document: routingDocument() } });
    ruleId = await createRule(adminGrantRule('6a0c1f52-7d7e-4a53-9a40-000000000002', 'Okta Admin Grant For Noise Tests'), { dedupWindowMinutes: 30 });
  });

  it('opens a new alert once the dedup window has passed', async () => {
    const base = Date.now() - 6 * 3_600_000;
    await ingest([oktaGrant('dw-1', new Date(base), 'dana@acme.test', '198.51.100.7')]);
    await ingest([oktaGrant('dw-2', new Date(base + 10 * 60_000), 'dana@acme.test', '198.51.100.7')]);
    await ingest([oktaGrant('dw-3', new Date(base + 90 * 60_000), 'dana@acme.test', '198.51.100.7')]);
    const dana = (await alertsOf(ruleId)).filter((a) => a.entities.users.includes('dana@acme.test'));
    expect(dana.map((a) => a.count).sort()).toEqual([1, 2]);
  });

  it('proposes a suppression from a false positive, which mutes nothing until someone else approves it', async () => {
    const hour = 3_600_000;
    const now = Date.now();
    await ingest([oktaGrant('fp-1', new Date(now - 5 * hour), 'svc-provisioner@acme.test', '10.20.0.5')]);
    const first = (await alertsOf(ruleId)).find((a) => a.entities.users.includes('svc-provisioner@acme.test'))!;
    const fp = await callJson<{ suppression: { id: string; status: string; conditions: Record<string, string> } }>('POST', `/api/alerts/${first.id}/false-positive`, {
      token: tokens.analyst,
      json: { reason: 'the provisioning service grants roles by design', fields: ['actor'] },
    });
    expect(fp.status).toBe(201);
    expect(fp.body.suppression).toMatchObject({ status: 'pending_review', conditions: { actor: 'svc-provisioner@acme.test' } });
    const self = await call('POST', `/api/suppressions/${fp.body.suppression.id}/review`, { token: tokens.analyst, json: { decision: 'approve' } });
    expect(self.status).toBe(403);

    // Still pending: a hit after the dedup window opens a new alert, which notifies.
    await ingest([oktaGrant('fp-2', new Date(now - 3 * hour), 'svc-provisioner@acme.test', '10.20.0.5')]);
    const second = (await alertsOf(ruleId)).find((a) => a.entities.users.includes('svc-provisioner@acme.test') && a.status === 'open')!;
    expect(second.id).not.toBe(first.id);
    expect(second.mutedBy).toBeNull();
    expect((await deliveriesOf(second.id)).length).toBeGreaterThan(0);

    const approved = await callJson<{ status: string }>('POST', `/api/suppressions/${fp.body.suppression.id}/review`, { token: tokens.admin, json: { decision: 'approve' } });
    expect(approved.body.status).toBe('active');
    await ingest([oktaGrant('fp-3', new Date(now - 1 * hour), 'svc-provisioner@acme.test', '10.20.0.5')]);
    const third = (await alertsOf(ruleId)).find((a) => a.entities.users.includes('svc-provisioner@acme.test') && a.status === 'open' && a.id !== second.id)!;
    expect(third.mutedBy).toBe(fp.body.suppression.id);
    expect(await deliveriesOf(third.id)).toEqual([]);
    const list = await callJson<{ suppressions: { id: string; muted: number }[] }>('GET', '/api/suppressions?status=active', { token: tokens.viewer });
    expect(list.body.suppressions.find((s) => s.id === fp.body.suppression.id)!.muted).toBe(1);
  });

  it('mutes alerts during a maintenance window of their rule', async () => {
    const now = Date.now();
    const mw = await callJson<{ id: string }>('POST', '/api/maintenance-windows', {
      token: tokens.analyst,
      json: { name: 'IAM migration', startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(), ruleIds: [ruleId] },
    });
    expect(mw.status).toBe(201);
    await ingest([oktaGrant('mw-1', new Date(now - 30_000), 'migrator@acme.test', '192.0.2.10')]);
    const alert = (await alertsOf(ruleId)).find((a) => a.entities.users.includes('migrator@acme.test'))!;
    expect(alert.mutedBy).toBe(`maintenance:${mw.body.id}`);
    expect(await deliveriesOf(alert.id)).toEqual([]);
    expect((await call('DELETE', `/api/maintenance-windows/${mw.body.id}`, { token: tokens.analyst })).status).toBe(200);
  });

  it('notifies only once an alert reaches the rule’s threshold', async () => {
    const thresholdRule = await createRule(adminGrantRule('6a0c1f52-7d7e-4a53-9a40-000000000003', 'Okta Admin Grant Threshold'), { threshold: 3 });
    const at = Date.now() - 120_000;
    await ingest([oktaGrant('th-1', new Date(at), 'tess@acme.test', '192.0.2.20'), oktaGrant('th-2', new Date(at + 1000), 'tess@acme.test', '192.0.2.20')]);
    const [early] = await alertsOf(thresholdRule);
    expect(early).toMatchObject({ count: 2, mutedBy: 'threshold' });
    expect(await deliveriesOf(early!.id)).toEqual([]);
    await ingest([oktaGrant('th-3', new Date(at + 2000), 'tess@acme.test', '192.0.2.20')]);
    const [reached] = await alertsOf(thresholdRule);
    expect(reached).toMatchObject({ count: 3, mutedBy: null });
    expect((await deliveriesOf(reached!.id)).map((d) => d.destinationId).sort()).toEqual(['hook', 'pd', 'soc-slack']);
  });

  it('rolls alerts on the same user into one incident whose risk adds up', async () => {
    const second = await createRule(adminGrantRule('6a0c1f52-7d7e-4a53-9a40-000000000004', 'Okta Admin Grant Second Opinion').replace('level: high', 'level: medium'));
    await ingest([oktaGrant('inc-1', new Date(Date.now() - 15_000), 'ivan@acme.test', '192.0.2.30')]);
    const a = (await alertsOf(ruleId)).find((x) => x.entities.users.includes('ivan@acme.test'))!;
    const b = (await alertsOf(second)).find((x) => x.entities.users.includes('ivan@acme.test'))!;
    expect(a.incidentId).toBeTruthy();
    expect(b.incidentId).toBe(a.incidentId);
    const incident = await callJson<{ incident: { entity: string; alertCount: number; riskScore: number; severity: string }; alerts: { severity: Severity }[] }>(
      'GET',
      `/api/incidents/${a.incidentId}`,
      { token: tokens.viewer },
    );
    // Every rule of this file that saw the grant (the high ones, and the medium second opinion) rolled into it.
    const alerts = incident.body.alerts;
    expect(alerts.length).toBeGreaterThanOrEqual(2);
    const score = alerts.reduce((n, x) => n + riskPoints[x.severity], 0);
    expect(incident.body.incident).toMatchObject({ entity: 'ivan@acme.test', alertCount: alerts.length, riskScore: score, severity: incidentSeverity(score) });
  });
});

describe('escalation and quiet hours', () => {
  it('escalates an alert nobody acknowledged, and holds notifications during quiet hours', async () => {
    await fake('pagerduty', 'reset', {});
    const now = new Date();
    const hour = now.getUTCHours();
    const quietHours = { timezone: 'UTC', start: `${String(hour).padStart(2, '0')}:00`, end: `${String((hour + 2) % 24).padStart(2, '0')}:00`, allowSeverity: 'critical' };
    const doc = routingDocument({
      routes: [
        { name: 'slack first', match: { rules: ['Okta Escalation*'] }, destinations: ['soc-slack'], escalate: { afterMinutes: 15, destinations: ['pd'] } },
        { name: 'quiet mail', match: { rules: ['Okta Quiet*'] }, destinations: ['hook'], quietHours },
      ],
    });
    expect((await callJson('PUT', '/api/routing', { token: tokens.admin, json: { document: doc } })).status).toBe(200);
    const escalating = await createRule(adminGrantRule('6a0c1f52-7d7e-4a53-9a40-000000000005', 'Okta Escalation Test'));
    const quiet = await createRule(adminGrantRule('6a0c1f52-7d7e-4a53-9a40-000000000006', 'Okta Quiet Hours Test'));
    await ingest([oktaGrant('esc-1', new Date(now.getTime() - 30_000), 'oscar@acme.test', '192.0.2.40')]);

    const [esc] = await alertsOf(escalating);
    expect((await deliveriesOf(esc!.id)).map((d) => d.destinationId)).toEqual(['soc-slack']);
    await runCron(new Date(now.getTime() + 10 * 60_000));
    expect((await deliveriesOf(esc!.id)).map((d) => d.destinationId)).toEqual(['soc-slack']);
    await runCron(new Date(now.getTime() + 20 * 60_000));
    const escalated = await deliveriesOf(esc!.id);
    expect(escalated.map((d) => [d.destinationId, d.route])).toEqual([
      ['soc-slack', 'slack first'],
      ['pd', 'escalation:slack first'],
    ]);

    const [held] = await alertsOf(quiet);
    const [delivery] = await deliveriesOf(held!.id);
    expect(delivery).toMatchObject({ destinationId: 'hook', status: 'pending' });
    expect(Date.parse(delivery!.notBefore)).toBeGreaterThan(now.getTime());
    expect(new Date(delivery!.notBefore).getUTCMinutes()).toBe(0);
  });
});

describe('chaos', () => {
  it('delivers every alert exactly once to a destination that fails and times out for a while', async () => {
    await fake('webhookReceiver', 'reset', {});
    const doc = routingDocument({ routes: [{ name: 'hook only', match: { rules: ['Okta Chaos*'] }, destinations: ['hook'] }] });
    await callJson('PUT', '/api/routing', { token: tokens.admin, json: { document: doc } });
    const rule = await createRule(adminGrantRule('6a0c1f52-7d7e-4a53-9a40-000000000007', 'Okta Chaos Test', 'chaos-'), { realtime: false, lookbackMinutes: 180 });
    // Events of ten users, found by the scheduled path at a simulated time an hour ahead: the queue's own
    // consumer (running on the real clock) finds every delivery not yet due and leaves it to this test.
    const t0 = Date.now();
    await ingest(Array.from({ length: 10 }, (_, i) => oktaGrant(`chaos-${i}`, new Date(t0 - 120_000 + i * 1000), `chaos-user${i}@acme.test`, `192.0.2.${100 + i}`)));
    let clock = t0 + 3_600_000;
    await runCron(new Date(clock));
    const alerts = await alertsOf(rule);
    expect(alerts).toHaveLength(10);

    // The receiver fails 12 requests with 500, then answers 4 too late (the delivery timeout is 1.5 s) while
    // still recording them: the case idempotency keys exist for.
    await fake('webhookReceiver', 'fail', { status: 500, times: 12 });
    await fake('webhookReceiver', 'delay', { ms: 2500, times: 4, accept: true });
    const keys = (await Promise.all(alerts.map((a) => deliveriesOf(a.id)))).flat().map((d) => d.deliveryKey);
    expect(keys).toHaveLength(10);
    for (let round = 0; round < 40; round++) {
      clock += 5 * 60_000;
      const pending = (await Promise.all(alerts.map((a) => deliveriesOf(a.id)))).flat().filter((d) => d.status !== 'sent' && d.status !== 'failed');
      if (pending.length === 0) break;
      for (const d of pending) await deliverOne(env, d.deliveryKey, new Date(clock));
    }
    const final = (await Promise.all(alerts.map((a) => deliveriesOf(a.id)))).flat();
    expect(final.map((d) => d.status), JSON.stringify(final.map((d) => d.lastError))).toEqual(Array(10).fill('sent'));
    expect(final.some((d) => d.attempts > 1)).toBe(true);
    const received = await fake<{ deliveries: { alertId: string; deliveryKey: string; attempts: number }[] }>('webhookReceiver', 'deliveries');
    const ids = new Set(alerts.map((a) => a.id));
    const ours = received.deliveries.filter((d) => ids.has(d.alertId));
    // Each alert reached the receiver as one delivery; the late answers were retried and recognised as repeats.
    expect(ours).toHaveLength(10);
    expect(new Set(ours.map((d) => d.deliveryKey)).size).toBe(10);
    expect(ours.some((d) => d.attempts > 1)).toBe(true);
  }, 120_000);

  it('makes up detector runs that die midway over a day of cron ticks: no missing and no duplicate alerts', async () => {
    await callJson('PUT', '/api/routing', { token: tokens.admin, json: { document: routingDocument({ routes: [] }) } });
    const rule = await createRule(adminGrantRule('6a0c1f52-7d7e-4a53-9a40-000000000008', 'Okta Day Of Chaos'), { realtime: false, dedupWindowMinutes: 2 * 24 * 60 });
    // Only this rule runs in the simulated day (the others' runs are not what is measured).
    await env.DB.prepare('UPDATE detection_rules SET enabled = 0 WHERE id != ?1').bind(rule).run();
    // A day of events, 3 users, one grant every ~17 minutes, ingested up front with their own times.
    const dayStart = Math.floor(Date.now() / 3_600_000) * 3_600_000 + 2 * 3_600_000;
    const events = Array.from({ length: 85 }, (_, i) => ({ uuid: `day-${i}`, at: new Date(dayStart + i * 17 * 60_000), user: `day${i % 3}@acme.test` }));
    await ingest(events.map((e) => oktaGrant(e.uuid, e.at, e.user, '198.51.100.50')));
    await env.DB.prepare('UPDATE detection_rules SET watermark = ?2 WHERE id = ?1').bind(rule, new Date(dayStart - 60_000).toISOString()).run();

    // A D1 whose batch() fails on a fixed schedule: half the time before writing, half after it committed.
    let calls = 0;
    const failures = { before: 0, after: 0 };
    const flakyDb = new Proxy(env.DB, {
      get(target, prop) {
        if (prop !== 'batch') {
          const value = Reflect.get(target, prop, target) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        }
        return async (statements: D1PreparedStatement[]) => {
          calls++;
          if (calls % 11 === 0) {
            failures.before++;
            throw new Error('D1_ERROR: injected failure before the write');
          }
          const result = await target.batch(statements);
          if (calls % 13 === 0) {
            failures.after++;
            throw new Error('D1_ERROR: injected loss of the answer after the write');
          }
          return result;
        };
      },
    });
    const flakyEnv = { ...env, DB: flakyDb } as Cloudflare.Env;
    for (let tick = 1; tick <= 24 * 12 + 6; tick++) {
      const at = new Date(dayStart + tick * 5 * 60_000);
      try {
        await runScheduledDetection(flakyEnv, at);
      } catch {
        // a run that dies outright: the next tick makes it up
      }
    }
    await runScheduledDetection(env, new Date(dayStart + (24 * 12 + 12) * 5 * 60_000));
    expect(failures.before + failures.after).toBeGreaterThan(5);

    const alerts = await alertsOf(rule);
    expect(alerts.map((a) => a.entities.users[0]).sort()).toEqual(['day0@acme.test', 'day1@acme.test', 'day2@acme.test']);
    const expected = [0, 1, 2].map((u) => events.filter((_, i) => i % 3 === u).length);
    expect(alerts.sort((a, b) => a.entities.users[0]!.localeCompare(b.entities.users[0]!)).map((a) => a.count)).toEqual(expected);
    const hits = await env.DB.prepare('SELECT count(*) AS n FROM alert_hits WHERE alert_id IN (SELECT id FROM alerts WHERE rule_id = ?1)').bind(rule).first<{ n: number }>();
    expect(hits!.n).toBe(events.length);
    // The successful runs' windows tile the day: no gap, no overlap.
    const { results: runs } = await env.DB.prepare(`SELECT window_start, window_end FROM rule_runs WHERE rule_id = ?1 AND status = 'ok' ORDER BY window_start`)
      .bind(rule)
      .all<{ window_start: string; window_end: string }>();
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.window_start).toBe(runs[i - 1]!.window_end);
  }, 180_000);
});
