/**
 * Noise control on the demo dataset, end to end inside workerd: the whole rules library (rules/sigma and
 * rules/sql) imported through POST /api/rules, one signed-webhook destination behind a catch-all route, the demo
 * organisation (seed 1, 50 users × 14 days, the generator `npm start` seeds) ingested through POST /ingest/okta
 * and /ingest/cloudtrail in batches of 1,000 (real-time detection runs there), then one cron run that catches
 * every scheduled rule and correlation up over the 14 days (14 windows of 24 h).
 *
 * What it measures (printed, and kept in docs/benchmarks.md, "Noise control on the demo dataset"): raw rule hits
 * (alert_hits rows; identity detections of the ITDR Durable Objects count as hits of their `itdr:<kind>` pseudo-rules), alerts, alerts muted, notifications (trigger deliveries recorded) and incidents. What it
 * asserts — never timing: every attack story of core/demo/stories.ts reaches a person (an alert naming the
 * story's marker was notified), and the pipeline notifies less often than rules hit.
 *
 * The webhook fake is shared with other test files running at the same time: this file never resets it and
 * reads only the deliveries sent to its own path.
 */
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { load, loadAll } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Role } from '../core/auth/roles';
import { describeDemoStories, iterateDemoEvents, type DemoSource, type DemoStoryCast } from '../core/demo/dataset';
import { ruleInputFromFile, sqlRuleFileSchema } from '../core/detect/sql-rule-file';
import worker from '../workers/index';
import { call, callJson, tokensByRole } from './helpers';

const demo = { seed: 1, users: 50, days: 14, end: '2026-11-27T00:00:00.000Z' } as const;
const datasetStart = new Date(Date.parse(demo.end) - demo.days * 86_400_000).toISOString();
const batchSize = 1000;
const hookPath = '/hooks/noise-demo';

const ruleFiles = import.meta.glob<string>('../rules/**/*.yml', { query: '?raw', import: 'default', eager: true });

type RuleFamily = 'identity' | 'cloud' | 'other';

interface ImportedRule {
  readonly id: string;
  readonly file: string;
  readonly name: string;
  readonly family: RuleFamily;
}

interface AlertRow {
  id: string;
  rule_id: string;
  rule_name: string;
  severity: string;
  entities: string;
  first_seen: string;
  last_seen: string;
  muted_by: string | null;
  triggers: number;
}

interface Counts {
  /** Events (or, for SQL rules and correlations, the rows' own counts) behind the hits: sum of alerts.count. */
  matchedEvents: number;
  rawHits: number;
  alerts: number;
  muted: number;
  notifications: number;
  incidents: number;
}

let tokens: Record<Role, string>;
const rules: ImportedRule[] = [];
let stories: DemoStoryCast;
let counts: Counts;
let notified: AlertRow[] = [];
const cronRuns: string[] = [];

function familyOf(file: string): RuleFamily {
  if (/\/sigma\/cloud\/|\/sql\/cloudtrail-/.test(file)) return 'cloud';
  if (/\/sigma\/identity\/|\/sql\/(okta-|signin-)/.test(file)) return 'identity';
  return 'other';
}

/** The library's rules as `mantissa rules import` sends them (cli/rule-files.ts): SQL files mapped, Sigma as YAML. */
function libraryRules(): { file: string; body: Record<string, unknown>; correlation: boolean }[] {
  return Object.entries(ruleFiles)
    .filter(([file]) => !/\.tests\.ya?ml$/.test(file))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, text]) => {
      const documents = loadAll(text) as Record<string, unknown>[];
      const first = documents[0]!;
      if ('sql' in first && documents.length === 1) {
        return { file, body: { ...ruleInputFromFile(sqlRuleFileSchema.parse(load(text))) }, correlation: false };
      }
      const license = typeof first.license === 'string' ? { license: first.license } : {};
      return { file, body: { yaml: text, enabled: true, intervalMinutes: 5, lookbackMinutes: 60, ...license }, correlation: 'correlation' in first };
    });
}

async function ingestDemo(source: DemoSource): Promise<number> {
  let lines: string[] = [];
  let events = 0;
  const flush = async () => {
    const res = await call('POST', `/ingest/${source}`, { token: tokens.ingest, body: lines.join('\n'), headers: { 'content-type': 'application/x-ndjson' } });
    const body = (await res.json()) as { accepted?: number; error?: { message: string } };
    expect(res.status, body.error?.message).toBe(200);
    expect(body.accepted).toBe(lines.length);
    events += lines.length;
    lines = [];
  };
  for (const event of iterateDemoEvents(demo, source)) {
    lines.push(JSON.stringify(event));
    if (lines.length === batchSize) await flush();
  }
  if (lines.length > 0) await flush();
  return events;
}

async function runCron(at: Date) {
  cronRuns.push(at.toISOString());
  await worker.scheduled(createScheduledController({ scheduledTime: at.getTime(), cron: '*/5 * * * *' }), env);
}

async function count(sqlText: string): Promise<number> {
  return (await env.DB.prepare(sqlText).first<{ n: number }>())!.n;
}

beforeAll(async () => {
  tokens = await tokensByRole();
  stories = describeDemoStories(demo);

  const library = libraryRules();
  // Correlations are checked against the rules already stored: send them last, like the CLI.
  for (const rule of [...library.filter((r) => !r.correlation), ...library.filter((r) => r.correlation)]) {
    const res = await callJson<{ id: string; name: string; error?: { message: string } }>('POST', '/api/rules', { token: tokens.admin, json: rule.body });
    expect(res.status, `${rule.file}: ${res.body.error?.message}`).toBe(201);
    rules.push({ id: res.body.id, file: rule.file, name: res.body.name, family: familyOf(rule.file) });
  }

  const routing = {
    destinations: [{ id: 'soc-hook', type: 'webhook', url: `http://127.0.0.1:${inject('fakePorts').webhookReceiver}${hookPath}`, secretName: 'WEBHOOK_SIGNING_SECRET' }],
    routes: [{ name: 'everything', destinations: ['soc-hook'] }],
  };
  const put = await callJson<{ error?: { message: string } }>('PUT', '/api/routing', { token: tokens.admin, json: { document: routing } });
  expect(put.status, put.body.error?.message).toBe(200);

  await ingestDemo('okta');
  await ingestDemo('cloudtrail');

  // One catch-up run over the whole dataset: every rule starts at the dataset's start.
  await env.DB.prepare('UPDATE detection_rules SET watermark = ?1, last_run_at = NULL').bind(datasetStart).run();
  await runCron(new Date(Date.parse(demo.end) + 2 * 60_000));
  if ((await count(`SELECT count(*) AS n FROM detection_rules WHERE enabled = 1 AND (watermark IS NULL OR watermark < '${demo.end}')`)) > 0) {
    await runCron(new Date(Date.parse(demo.end) + 8 * 60_000));
  }

  counts = {
    matchedEvents: await count('SELECT coalesce(sum(count), 0) AS n FROM alerts'),
    rawHits: await count('SELECT count(*) AS n FROM alert_hits'),
    alerts: await count('SELECT count(*) AS n FROM alerts'),
    muted: await count('SELECT count(*) AS n FROM alerts WHERE muted_by IS NOT NULL'),
    notifications: await count(`SELECT count(*) AS n FROM alert_deliveries WHERE kind = 'trigger'`),
    incidents: await count('SELECT count(*) AS n FROM incidents'),
  };
  notified = (
    await env.DB.prepare(
      `SELECT a.id, a.rule_id, a.rule_name, a.severity, a.entities, a.first_seen, a.last_seen, a.muted_by,
              (SELECT count(*) FROM alert_deliveries AS d WHERE d.alert_id = a.id AND d.kind = 'trigger') AS triggers
         FROM alerts AS a ORDER BY a.first_seen`,
    ).all<AlertRow>()
  ).results.filter((a) => a.triggers > 0);
}, 600_000);

afterAll(async () => {
  if (!counts) return;
  const per = (n: number) => (counts.incidents > 0 ? (n / counts.incidents).toFixed(1) : '—');
  console.log(
    [
      `\nNoise control on the demo dataset (seed ${demo.seed}, ${demo.users} users × ${demo.days} days ending ${demo.end}, ${rules.length} rules; cron at ${cronRuns.join(', ')})`,
      '| events behind the hits | raw rule hits | alerts | alerts muted | notifications | incidents |',
      '|---|---|---|---|---|---|',
      `| ${counts.matchedEvents} | ${counts.rawHits} | ${counts.alerts} | ${counts.muted} | ${counts.notifications} | ${counts.incidents} |`,
      `| ${per(counts.matchedEvents)} | ${per(counts.rawHits)} | ${per(counts.alerts)} | ${per(counts.muted)} | ${per(counts.notifications)} | 1 |`,
    ].join('\n'),
  );
  // Per alerting document (a Sigma file's correlation and the correlations it nests alert under their own titles).
  const byDocument = await env.DB.prepare(
    `SELECT a.rule_name AS name, coalesce(r.format, CASE WHEN a.rule_id LIKE 'itdr:%' THEN 'itdr' END) AS format, count(*) AS alerts, sum(a.count) AS events,
            (SELECT count(*) FROM alert_hits AS h WHERE h.alert_id IN (SELECT id FROM alerts WHERE rule_name = a.rule_name)) AS hits,
            sum((SELECT count(*) FROM alert_deliveries AS d WHERE d.alert_id = a.id AND d.kind = 'trigger')) AS notifications,
            group_concat(DISTINCT i.entity_kind || ':' || i.entity) AS incidents
       FROM alerts AS a LEFT JOIN detection_rules AS r ON r.id = a.rule_id LEFT JOIN incidents AS i ON i.id = a.incident_id
      GROUP BY a.rule_name ORDER BY min(a.first_seen), a.rule_name`,
  ).all<{ name: string; format: string; alerts: number; events: number; hits: number; notifications: number; incidents: string }>();
  console.log(
    [
      '| rule (document) | format | events | raw hits | alerts | notifications | incident |',
      '|---|---|---|---|---|---|---|',
      ...byDocument.results.map((r) => `| ${r.name} | ${r.format} | ${r.events} | ${r.hits} | ${r.alerts} | ${r.notifications} | ${r.incidents} |`),
    ].join('\n'),
  );
});

/** Notified alerts whose entities name one of the markers and whose time span meets the story's. */
function notifiedAbout(markers: { ips: string[]; users: string[] }, span: { from: string; to: string }, family?: RuleFamily): AlertRow[] {
  const familyOfRule = new Map(rules.map((r) => [r.id, r.family]));
  return notified.filter((a) => {
    if (family && familyOfRule.get(a.rule_id) !== family) return false;
    if (a.first_seen > span.to || a.last_seen < span.from) return false;
    const entities = JSON.parse(a.entities) as { users?: string[]; ips?: string[] };
    const users = (entities.users ?? []).map((u) => u.toLowerCase());
    return (entities.ips ?? []).some((ip) => markers.ips.includes(ip)) || users.some((u) => markers.users.some((m) => u === m.toLowerCase() || u.endsWith(`/${m.toLowerCase()}`)));
  });
}

const hour = 3_600_000;
const around = (from: string, to: string) => ({ from: new Date(Date.parse(from) - hour).toISOString(), to: new Date(Date.parse(to) + 24 * hour).toISOString() });

describe('noise control on the demo dataset', () => {
  it('catches every rule up to the end of the dataset', async () => {
    const behind = await env.DB.prepare(`SELECT name, watermark, last_error FROM detection_rules WHERE enabled = 1 AND (watermark IS NULL OR watermark < ?1)`)
      .bind(demo.end)
      .all<{ name: string; watermark: string | null; last_error: string | null }>();
    expect(behind.results).toEqual([]);
    const errors = await env.DB.prepare(`SELECT DISTINCT r.name, u.error FROM rule_runs AS u JOIN detection_rules AS r ON r.id = u.rule_id WHERE u.status = 'error'`).all();
    expect(errors.results).toEqual([]);
  });

  it.each([
    {
      story: '(a) password spray → MFA fatigue → admin grant',
      find: () => notifiedAbout({ ips: [stories.passwordSpray.attackerIp], users: [stories.passwordSpray.victim] }, around(stories.passwordSpray.startedAt, stories.passwordSpray.privilegeGrantedAt), 'identity'),
    },
    {
      story: '(b) AWS takeover from the same address',
      find: () => notifiedAbout({ ips: [stories.cloudTakeover.attackerIp], users: [stories.cloudTakeover.iamUser] }, around(stories.cloudTakeover.consoleLoginAt, stories.cloudTakeover.stopLoggingAt), 'cloud'),
    },
    {
      story: '(c) impossible travel to Singapore',
      find: () => notifiedAbout({ ips: [stories.impossibleTravel.foreignIp], users: [stories.impossibleTravel.user] }, around(stories.impossibleTravel.homeSignInAt, stories.impossibleTravel.foreignSignInAt)),
    },
    {
      story: '(d) root console sign-in without MFA, bucket made public',
      find: () => notifiedAbout({ ips: [stories.rootBucketExposure.sourceIp], users: [] }, around(stories.rootBucketExposure.consoleLoginAt, stories.rootBucketExposure.policyChangedAt)),
    },
  ])('loses no attack story: $story reaches a person', ({ story, find }) => {
    const found = find();
    console.log(`${story}: notified by ${[...new Set(found.map((a) => `${a.rule_name} (${a.severity})`))].join('; ') || 'NOTHING'}`);
    expect(found.length, `no notified alert names the markers of ${story}`).toBeGreaterThan(0);
  });

  it('notifies fewer times than rules hit', () => {
    expect(counts.notifications).toBeGreaterThan(0);
    expect(counts.notifications).toBeLessThan(counts.rawHits);
  });

  it('sends the story alerts’ notifications out through the signed webhook', async () => {
    const storyAlerts = new Set(
      [
        notifiedAbout({ ips: [stories.passwordSpray.attackerIp], users: [stories.passwordSpray.victim] }, around(stories.passwordSpray.startedAt, stories.passwordSpray.privilegeGrantedAt)),
        notifiedAbout({ ips: [stories.rootBucketExposure.sourceIp], users: [] }, around(stories.rootBucketExposure.consoleLoginAt, stories.rootBucketExposure.policyChangedAt)),
      ]
        .flat()
        .map((a) => a.id),
    );
    expect(storyAlerts.size).toBeGreaterThan(0);
    const receiver = `http://127.0.0.1:${inject('fakePorts').webhookReceiver}/__fake/deliveries`;
    // The queue consumer sends them (10 a second per destination); wait until the story alerts are through.
    const deadline = Date.now() + 120_000;
    let received: { alertId: string; kind: string; path: string }[] = [];
    while (Date.now() < deadline) {
      received = ((await (await fetch(receiver)).json()) as { deliveries: { alertId: string; kind: string; path: string }[] }).deliveries.filter((d) => d.path === hookPath);
      if ([...storyAlerts].every((id) => received.some((d) => d.alertId === id && d.kind === 'trigger'))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect([...storyAlerts].filter((id) => !received.some((d) => d.alertId === id))).toEqual([]);
    const failed = await count(`SELECT count(*) AS n FROM alert_deliveries WHERE status = 'failed'`);
    expect(failed).toBe(0);
  }, 180_000);
});
