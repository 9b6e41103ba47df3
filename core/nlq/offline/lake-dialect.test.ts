import { beforeAll, describe, expect, it } from 'vitest';
import { evalNow, openDemoDatabase, type DemoDatabase } from '../../../scripts/eval-nlq-database';
import { lakeSqlSupport } from '../../sql/lake-sql-support';
import { lakeQueryPolicy, validateLakeQuery, type LakeDialect } from '../../sql/validate-dialect-query';
import { heldOutQuestions } from '../eval/held-out-questions';
import { evalQuestions } from '../eval/questions';
import type { ConversationTurn, EntityValues, TranslateInput, Translation } from '../translator';
import { translateOffline } from './index';
import { sqliteToLake } from './lake-dialect';

const dialects: readonly LakeDialect[] = ['athena', 'bigquery', 'synapse'];
const policy = lakeQueryPolicy(['events']);
const now = new Date('2026-11-27T16:00:00.000Z');
const values: EntityValues = {
  users: [
    'paisley.brown@acme-demo.test', 'paisley.brown', 'EngineerAccess/paisley.brown', 'lars.lopez@acme-demo.test',
    'caroline.green@acme-demo.test', 'caroline.scott@acme-demo.test', 'svc-backup-sync', 'root', 'unknown',
  ],
  countries: ['Germany', 'Romania', 'Singapore', 'United Kingdom', 'United States'],
  sources: ['cloudtrail', 'okta'],
  actions: ['ConsoleLogin', 'GetObject', 'ListUsers', 'StopLogging', 'user.session.start', 'user.session.access_admin_app', 'user.mfa.okta_verify.deny_push'],
  ips: ['203.0.113.45', '198.51.100.99'],
  services: ['s3.amazonaws.com', 'Salesforce.com', 'Okta Admin Console', 'Okta Dashboard', 'Slack'],
};

function ask(question: string, dialect: TranslateInput['dialect'], history: ConversationTurn[] = []): Translation {
  return translateOffline({ question, history, now, dialect, values });
}
function lakeSql(sql: string, dialect: LakeDialect): { sql: string; assumptions: string[] } {
  const r = sqliteToLake(sql, dialect);
  if (!r.ok) throw new Error(`refused ${sql}: ${r.message}`);
  return r;
}

/** Every problem with a lake answer: the validator's refusal, a missing time bound (the pipeline would wrap it). */
function lakeProblems(sql: string, dialect: LakeDialect): string[] {
  const checked = validateLakeQuery(sql, dialect, policy);
  if (!checked.ok) return [`validator: ${checked.message}`];
  const support = lakeSqlSupport(dialect, policy);
  const prepared = support.validate(sql);
  if (!prepared.ok) return [`lake SqlSupport: ${prepared.message}`];
  return support.scope(prepared.sql, now).timeBounded ? [] : ['not time-bounded'];
}

describe('sqliteToLake', () => {
  // Question → the exact SQL for Athena, BigQuery and Synapse. Each row was read against the vendor rules in the
  // module header (quotes, TOP, CONCAT, argument order of CHARINDEX, expressions instead of GROUP BY aliases).
  const representative: readonly [string, string, string, string, string][] = [
  [
    "list",
    "show the last 5 failed logins",
    "SELECT event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= '2026-10-28T16:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND outcome = 'failure' ORDER BY event_time DESC, event_uid DESC LIMIT 5",
    "SELECT event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= '2026-10-28T16:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND outcome = 'failure' ORDER BY event_time DESC, event_uid DESC LIMIT 5",
    "SELECT TOP (5) event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= N'2026-10-28T16:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z' AND identity_action IN (N'session_start', N'auth_success', N'auth_failure') AND outcome = N'failure' ORDER BY event_time DESC, event_uid DESC",
  ],
  [
    "count",
    "How many failed logins today?",
    "SELECT COUNT(*) AS \"count\" FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND outcome = 'failure'",
    "SELECT COUNT(*) AS `count` FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND outcome = 'failure'",
    "SELECT COUNT(*) AS [count] FROM events WHERE event_time >= N'2026-11-27T00:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z' AND identity_action IN (N'session_start', N'auth_success', N'auth_failure') AND outcome = N'failure'",
  ],
  [
    "distinct count",
    "How many distinct users logged in today?",
    "SELECT COUNT(DISTINCT actor) AS \"count\" FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND outcome = 'success'",
    "SELECT COUNT(DISTINCT actor) AS `count` FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND outcome = 'success'",
    "SELECT COUNT(DISTINCT actor) AS [count] FROM events WHERE event_time >= N'2026-11-27T00:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z' AND identity_action IN (N'session_start', N'auth_success', N'auth_failure') AND outcome = N'success'",
  ],
  [
    "group / top-N",
    "Top 3 source IPs by failed logins this week",
    "SELECT src_ip, COUNT(*) AS \"count\" FROM events WHERE event_time >= '2026-11-23T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND outcome = 'failure' AND src_ip IS NOT NULL GROUP BY src_ip ORDER BY \"count\" DESC, src_ip LIMIT 3",
    "SELECT src_ip, COUNT(*) AS `count` FROM events WHERE event_time >= '2026-11-23T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND outcome = 'failure' AND src_ip IS NOT NULL GROUP BY src_ip ORDER BY `count` DESC, src_ip LIMIT 3",
    "SELECT TOP (3) src_ip, COUNT(*) AS [count] FROM events WHERE event_time >= N'2026-11-23T00:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z' AND identity_action IN (N'session_start', N'auth_success', N'auth_failure') AND outcome = N'failure' AND src_ip IS NOT NULL GROUP BY src_ip ORDER BY [count] DESC, src_ip",
  ],
  [
    "trend by hour",
    "failed logins per hour yesterday",
    "SELECT substr(event_time, 1, 13) || ':00Z' AS \"hour\", COUNT(*) AS \"count\" FROM events WHERE event_time >= '2026-11-26T00:00:00.000Z' AND event_time < '2026-11-27T00:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND outcome = 'failure' GROUP BY substr(event_time, 1, 13) || ':00Z' ORDER BY substr(event_time, 1, 13) || ':00Z' LIMIT 10000",
    "SELECT SUBSTR(event_time, 1, 13) || ':00Z' AS `hour`, COUNT(*) AS `count` FROM events WHERE event_time >= '2026-11-26T00:00:00.000Z' AND event_time < '2026-11-27T00:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND outcome = 'failure' GROUP BY SUBSTR(event_time, 1, 13) || ':00Z' ORDER BY SUBSTR(event_time, 1, 13) || ':00Z' LIMIT 10000",
    "SELECT TOP (10000) CONCAT(SUBSTRING(event_time, 1, 13), N':00Z') AS [hour], COUNT(*) AS [count] FROM events WHERE event_time >= N'2026-11-26T00:00:00.000Z' AND event_time < N'2026-11-27T00:00:00.000Z' AND identity_action IN (N'session_start', N'auth_success', N'auth_failure') AND outcome = N'failure' GROUP BY CONCAT(SUBSTRING(event_time, 1, 13), N':00Z') ORDER BY CONCAT(SUBSTRING(event_time, 1, 13), N':00Z')",
  ],
  [
    "trend by day and source",
    "Logins per day this week by source",
    "SELECT substr(event_time, 1, 10) AS \"day\", source, COUNT(*) AS \"count\" FROM events WHERE event_time >= '2026-11-23T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND source IS NOT NULL GROUP BY substr(event_time, 1, 10), source ORDER BY substr(event_time, 1, 10), source LIMIT 10000",
    "SELECT SUBSTR(event_time, 1, 10) AS `day`, source, COUNT(*) AS `count` FROM events WHERE event_time >= '2026-11-23T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND source IS NOT NULL GROUP BY SUBSTR(event_time, 1, 10), source ORDER BY SUBSTR(event_time, 1, 10), source LIMIT 10000",
    "SELECT TOP (10000) SUBSTRING(event_time, 1, 10) AS [day], source, COUNT(*) AS [count] FROM events WHERE event_time >= N'2026-11-23T00:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z' AND identity_action IN (N'session_start', N'auth_success', N'auth_failure') AND source IS NOT NULL GROUP BY SUBSTRING(event_time, 1, 10), source ORDER BY SUBSTRING(event_time, 1, 10), source",
  ],
  [
    "first seen",
    "When did paisley first log in?",
    "SELECT MIN(event_time) AS first_seen, COUNT(*) AS \"count\" FROM events WHERE event_time >= '2026-10-28T16:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND outcome = 'success' AND actor IN ('paisley.brown@acme-demo.test', 'paisley.brown', 'EngineerAccess/paisley.brown')",
    "SELECT MIN(event_time) AS first_seen, COUNT(*) AS `count` FROM events WHERE event_time >= '2026-10-28T16:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND outcome = 'success' AND actor IN ('paisley.brown@acme-demo.test', 'paisley.brown', 'EngineerAccess/paisley.brown')",
    "SELECT MIN(event_time) AS first_seen, COUNT(*) AS [count] FROM events WHERE event_time >= N'2026-10-28T16:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z' AND identity_action IN (N'session_start', N'auth_success', N'auth_failure') AND outcome = N'success' AND actor IN (N'paisley.brown@acme-demo.test', N'paisley.brown', N'EngineerAccess/paisley.brown')",
  ],
  [
    "last seen",
    "When did the root user last log in?",
    "SELECT MAX(event_time) AS last_seen, COUNT(*) AS \"count\" FROM events WHERE event_time >= '2026-10-28T16:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND outcome = 'success' AND actor_type = 'Root'",
    "SELECT MAX(event_time) AS last_seen, COUNT(*) AS `count` FROM events WHERE event_time >= '2026-10-28T16:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND outcome = 'success' AND actor_type = 'Root'",
    "SELECT MAX(event_time) AS last_seen, COUNT(*) AS [count] FROM events WHERE event_time >= N'2026-10-28T16:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z' AND identity_action IN (N'session_start', N'auth_success', N'auth_failure') AND outcome = N'success' AND actor_type = N'Root'",
  ],
  [
    "admins subquery",
    "how many logins by admins today",
    "SELECT COUNT(*) AS \"count\" FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND (actor IN (SELECT actor FROM events WHERE action = 'user.session.access_admin_app' AND event_time >= '2026-08-29T16:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z') OR actor_type = 'Root')",
    "SELECT COUNT(*) AS `count` FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND (actor IN (SELECT actor FROM events WHERE action = 'user.session.access_admin_app' AND event_time >= '2026-08-29T16:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z') OR actor_type = 'Root')",
    "SELECT COUNT(*) AS [count] FROM events WHERE event_time >= N'2026-11-27T00:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z' AND identity_action IN (N'session_start', N'auth_success', N'auth_failure') AND (actor IN (SELECT actor FROM events WHERE action = N'user.session.access_admin_app' AND event_time >= N'2026-08-29T16:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z') OR actor_type = N'Root')",
  ],
  [
    "non-admins (NOT IN subquery)",
    "how many logins by non-admins today",
    "SELECT COUNT(*) AS \"count\" FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND (actor NOT IN (SELECT actor FROM events WHERE action = 'user.session.access_admin_app' AND event_time >= '2026-08-29T16:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z') AND (actor_type IS NULL OR actor_type <> 'Root'))",
    "SELECT COUNT(*) AS `count` FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND (actor NOT IN (SELECT actor FROM events WHERE action = 'user.session.access_admin_app' AND event_time >= '2026-08-29T16:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z') AND (actor_type IS NULL OR actor_type <> 'Root'))",
    "SELECT COUNT(*) AS [count] FROM events WHERE event_time >= N'2026-11-27T00:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z' AND identity_action IN (N'session_start', N'auth_success', N'auth_failure') AND (actor NOT IN (SELECT actor FROM events WHERE action = N'user.session.access_admin_app' AND event_time >= N'2026-08-29T16:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z') AND (actor_type IS NULL OR actor_type <> N'Root'))",
  ],
  [
    "JSON field",
    "List AWS console sign-ins without MFA this month",
    "SELECT event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= '2026-11-01T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND (action = 'ConsoleLogin' AND json_extract_scalar(raw, '$.additionalEventData.MFAUsed') = 'No') AND action = 'ConsoleLogin' ORDER BY event_time DESC, event_uid DESC LIMIT 1000",
    "SELECT event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= '2026-11-01T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND (action = 'ConsoleLogin' AND JSON_VALUE(raw, '$.additionalEventData.MFAUsed') = 'No') AND action = 'ConsoleLogin' ORDER BY event_time DESC, event_uid DESC LIMIT 1000",
    "SELECT TOP (1000) event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= N'2026-11-01T00:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z' AND (action = N'ConsoleLogin' AND JSON_VALUE(raw, N'$.additionalEventData.MFAUsed') = N'No') AND action = N'ConsoleLogin' ORDER BY event_time DESC, event_uid DESC",
  ],
  [
    "user agent contains",
    "events with user agent \"curl\" today",
    "SELECT event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND strpos(lower(user_agent), 'curl') > 0 ORDER BY event_time DESC, event_uid DESC LIMIT 1000",
    "SELECT event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND STRPOS(LOWER(user_agent), 'curl') > 0 ORDER BY event_time DESC, event_uid DESC LIMIT 1000",
    "SELECT TOP (1000) event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= N'2026-11-27T00:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z' AND CHARINDEX(N'curl', LOWER(user_agent)) > 0 ORDER BY event_time DESC, event_uid DESC",
  ],
  [
    "user agent does not contain",
    "events with user agent not \"curl\" today",
    "SELECT event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND (user_agent IS NULL OR (strpos(lower(user_agent), 'curl') = 0)) ORDER BY event_time DESC, event_uid DESC LIMIT 1000",
    "SELECT event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND (user_agent IS NULL OR (STRPOS(LOWER(user_agent), 'curl') = 0)) ORDER BY event_time DESC, event_uid DESC LIMIT 1000",
    "SELECT TOP (1000) event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= N'2026-11-27T00:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z' AND (user_agent IS NULL OR (CHARINDEX(N'curl', LOWER(user_agent)) = 0)) ORDER BY event_time DESC, event_uid DESC",
  ],
  [
    "IP prefix",
    "failed logins from 203.0.113.0/24 today",
    "SELECT event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND substr(src_ip, 1, 10) = '203.0.113.' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND outcome = 'failure' ORDER BY event_time DESC, event_uid DESC LIMIT 1000",
    "SELECT event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND SUBSTR(src_ip, 1, 10) = '203.0.113.' AND identity_action IN ('session_start', 'auth_success', 'auth_failure') AND outcome = 'failure' ORDER BY event_time DESC, event_uid DESC LIMIT 1000",
    "SELECT TOP (1000) event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= N'2026-11-27T00:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z' AND SUBSTRING(src_ip, 1, 10) = N'203.0.113.' AND identity_action IN (N'session_start', N'auth_success', N'auth_failure') AND outcome = N'failure' ORDER BY event_time DESC, event_uid DESC",
  ],
  [
    "negated source",
    "events not from okta today",
    "SELECT event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND (source IS NOT NULL AND source <> 'okta') ORDER BY event_time DESC, event_uid DESC LIMIT 1000",
    "SELECT event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND (source IS NOT NULL AND source <> 'okta') ORDER BY event_time DESC, event_uid DESC LIMIT 1000",
    "SELECT TOP (1000) event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= N'2026-11-27T00:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z' AND (source IS NOT NULL AND source <> N'okta') ORDER BY event_time DESC, event_uid DESC",
  ],
  [
    "negated root",
    "events not by the root user today",
    "SELECT event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND (actor_type IS NULL OR actor_type <> 'Root') ORDER BY event_time DESC, event_uid DESC LIMIT 1000",
    "SELECT event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND (actor_type IS NULL OR actor_type <> 'Root') ORDER BY event_time DESC, event_uid DESC LIMIT 1000",
    "SELECT TOP (1000) event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= N'2026-11-27T00:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z' AND (actor_type IS NULL OR actor_type <> N'Root') ORDER BY event_time DESC, event_uid DESC",
  ],
  [
    "quote in a value",
    "events by user \"o'brien\" today",
    "SELECT event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND actor = 'o''brien' ORDER BY event_time DESC, event_uid DESC LIMIT 1000",
    "SELECT event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z' AND actor = 'o\\'brien' ORDER BY event_time DESC, event_uid DESC LIMIT 1000",
    "SELECT TOP (1000) event_time, source, action, outcome, actor, src_ip, src_country, service, target FROM events WHERE event_time >= N'2026-11-27T00:00:00.000Z' AND event_time < N'2026-11-27T16:00:00.000Z' AND actor = N'o''brien' ORDER BY event_time DESC, event_uid DESC",
  ],
  ];

  it.each(representative)('writes the %s question ("%s") for each lake dialect', (_label, question, athena, bigquery, synapse) => {
    const expected: Record<LakeDialect, string> = { athena, bigquery, synapse };
    for (const dialect of dialects) {
      const t = ask(question, dialect);
      expect(t.ok, dialect).toBe(true);
      if (!t.ok) continue;
      expect(t.sql, dialect).toBe(expected[dialect]);
      expect(lakeProblems(t.sql, dialect), dialect).toEqual([]);
    }
  });

  it.each([
    ['athena', "\"actor\" = 'o''brien'"],
    ['bigquery', "actor = 'o\\'brien'"],
    ['synapse', "[actor] = N'o''brien'"],
  ] as const)('keeps a quote in a value one literal through the %s validator', (dialect, literal) => {
    const t = ask(`events by user "o'brien" today`, dialect);
    if (!t.ok) throw new Error(t.message);
    const checked = validateLakeQuery(t.sql, dialect, policy);
    expect(checked.ok && checked.sql).toContain(literal);
  });

  it.each([
    ['athena', "actor = 'x'' OR 1=1 --'"],
    ['bigquery', "actor = 'x\\' OR 1=1 --'"],
    ['synapse', "actor = N'x'' OR 1=1 --'"],
  ] as const)('does not let a quoted value end its %s literal early', (dialect, literal) => {
    const t = ask('events by user "x\' OR 1=1 --"', dialect);
    if (!t.ok) throw new Error(t.message);
    expect(t.sql).toContain(literal);
    expect(t.sql).toMatch(/ORDER BY event_time DESC, event_uid DESC( LIMIT 1000)?$/);
    expect(lakeProblems(t.sql, dialect)).toEqual([]);
  });

  it.each([
    ['athena', "'a\nc'"],
    ['bigquery', "'a\\nc'"],
    ['synapse', "N'a\nc'"],
  ] as const)('writes a newline in a value as %s reads it', (dialect, literal) => {
    const sql = lakeSql("SELECT actor FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND actor = 'a\nc'", dialect).sql;
    expect(sql).toContain(`actor = ${literal}`);
    expect(validateLakeQuery(sql, dialect, policy)).toMatchObject({ ok: true });
  });

  it('refuses a backslash, which the SQLite reader would take for an escape', () => {
    // The engine never writes one (sql-literal.ts refuses it); were one to come, no value may change on the way.
    expect(sqliteToLake("SELECT actor FROM events WHERE actor = 'CORP\\alice'", 'bigquery')).toEqual({ ok: false, message: expect.stringMatching(/backslash/) });
  });

  it('writes a value outside ASCII as an N\'…\' literal on Synapse, so it compares as written', () => {
    expect(lakeSql("SELECT actor FROM events WHERE actor = 'zoë'", 'synapse').sql).toBe("SELECT actor FROM events WHERE actor = N'zoë'");
  });

  it('keeps the grouping of AND and OR, adding parentheses the tree needs', () => {
    const sql = "SELECT actor FROM events WHERE (source = 'okta' OR source = 'cloudtrail') AND NOT (outcome = 'failure') AND actor IN ('a', 'b')";
    expect(lakeSql(sql, 'athena').sql).toBe(sql);
    expect(lakeSql(sql, 'synapse').sql).toBe("SELECT actor FROM events WHERE (source = N'okta' OR source = N'cloudtrail') AND NOT (outcome = N'failure') AND actor IN (N'a', N'b')");
  });

  it.each(dialects)('refuses alerts on %s, saying that alerts live in D1', (dialect) => {
    const r = sqliteToLake("SELECT severity, COUNT(*) AS \"count\" FROM alerts WHERE last_seen >= '2026-11-01T00:00:00.000Z' GROUP BY severity", dialect);
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/^Alerts are kept in D1 only, not in the lake: ask this on the D1 engine\./) });
  });

  it.each([
    ['LIKE', "SELECT actor FROM events WHERE actor LIKE 'a%'", /LIKE/],
    ['a table alias', 'SELECT actor FROM events AS e', /reads a table in a form/],
    ['OFFSET', 'SELECT actor FROM events LIMIT 5 OFFSET 2', /OFFSET/],
    ['DISTINCT', 'SELECT DISTINCT actor FROM events', /DISTINCT/],
    ['SELECT *', 'SELECT * FROM events', /star|\*/],
    ['substr from 0', "SELECT actor FROM events WHERE substr(actor, 0, 2) = 'a'", /substr\(\) from a position/],
    ['instr with an empty needle', "SELECT actor FROM events WHERE instr(actor, '') > 0", /empty needle/],
    ['json_extract compared with a number', "SELECT actor FROM events WHERE json_extract(raw, '$.a') = 5", /compared with something other than text/],
    ['json_extract with an array path', "SELECT actor FROM events WHERE json_extract(raw, '$.a[0]') = 'x'", /path other than/],
    ['a function it does not map', "SELECT strftime('%H', event_time) AS h FROM events", /strftime/],
    ['a window function', 'SELECT COUNT(*) OVER (PARTITION BY actor) AS n FROM events', /window/],
    ['a SUM', 'SELECT SUM(src_asn) AS s FROM events', /SUM/],
  ])('refuses %s rather than guess', (_what, sql, message) => {
    for (const dialect of dialects) {
      const r = sqliteToLake(sql, dialect);
      expect(r.ok, dialect).toBe(false);
      if (!r.ok) expect(r.message).toMatch(message);
    }
  });

  describe('assumptions, added only where the dialect means something else', () => {
    it('says on Synapse that text compares by collation, naming the columns, and not when only event_time is compared', () => {
      const filtered = lakeSql("SELECT COUNT(*) AS \"count\" FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND actor = 'alice'", 'synapse');
      expect(filtered.assumptions).toEqual([expect.stringMatching(/^on Synapse, text is compared, grouped and sorted by the database's collation.*\(here: actor\)$/)]);
      expect(lakeSql("SELECT COUNT(*) AS \"count\" FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z'", 'synapse').assumptions).toEqual([]);
      expect(lakeSql("SELECT COUNT(*) AS \"count\" FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND actor = 'alice'", 'athena').assumptions).toEqual([]);
      expect(lakeSql("SELECT COUNT(*) AS \"count\" FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' AND actor = 'alice'", 'bigquery').assumptions).toEqual([]);
    });

    it('says on Athena that NULLs sort last for an ascending key that may be NULL, and only then', () => {
      const nullable = "SELECT actor FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' ORDER BY actor LIMIT 5";
      expect(lakeSql(nullable, 'athena').assumptions).toEqual(['on Athena, rows whose actor is unknown (NULL) sort last, where D1 sorts them first']);
      expect(lakeSql(nullable, 'bigquery').assumptions).toEqual([]);
      expect(lakeSql(nullable.replace('ORDER BY actor', 'ORDER BY actor DESC'), 'athena').assumptions).toEqual([]);
      expect(lakeSql(nullable.replace('WHERE', 'WHERE actor IS NOT NULL AND'), 'athena').assumptions).toEqual([]);
      expect(lakeSql(nullable.replace('ORDER BY actor', 'ORDER BY event_time, event_uid'), 'athena').assumptions).toEqual([]);
    });

    it('says on Synapse that CONCAT reads NULL as empty text when a part may be NULL, and only then', () => {
      const nullable = "SELECT actor || '@' AS k FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z'";
      expect(lakeSql(nullable, 'synapse').sql).toBe("SELECT CONCAT(actor, N'@') AS k FROM events WHERE event_time >= N'2026-11-27T00:00:00.000Z'");
      expect(lakeSql(nullable, 'synapse').assumptions).toContain('on Synapse, CONCAT reads a missing (NULL) part as empty text, where D1 gives no value');
      expect(lakeSql(nullable.replace('actor ||', 'source ||'), 'synapse').assumptions).toEqual([]);
    });

    it('says that lower() folds non-ASCII letters on the lake when a folded match has non-ASCII text', () => {
      const t = ask('events with user agent containing "Navegador É" today', 'bigquery');
      expect(t.ok && t.assumptions).toContain("on BigQuery, lower() folds every letter, D1's only A to Z: matching non-ASCII text ignores case there");
      const ascii = ask('events with user agent "curl" today', 'bigquery');
      expect(ascii.ok && ascii.assumptions.some((a) => a.includes('lower()'))).toBe(false);
    });
  });
});

describe('the offline engine on the lake dialects, over the evaluation set', () => {
  let demo: DemoDatabase;
  beforeAll(async () => {
    demo = await openDemoDatabase();
  });

  const questions = [...evalQuestions, ...heldOutQuestions];
  const evalTime = new Date(evalNow);
  const translate = (question: string, history: ConversationTurn[], dialect: TranslateInput['dialect']) =>
    translateOffline({ question, history, now: evalTime, dialect, values: demo.values });
  /** Asks a question after its chain, the chain answered on the same dialect. */
  const askInChain = (question: string, chain: readonly string[], dialect: TranslateInput['dialect']): Translation => {
    const history: ConversationTurn[] = [];
    for (const earlier of chain) {
      const t = translate(earlier, history, dialect);
      history.push(t.ok ? { question: earlier, sql: t.sql, timeRange: t.timeRange } : { question: earlier, sql: null, timeRange: null });
    }
    return translate(question, history, dialect);
  };

  it.each(dialects)('answers on %s every events question it answers on D1, with SQL the validator accepts, bounded in time, meaning the same', (dialect) => {
    const problems: string[] = [];
    let answered = 0;
    for (const q of questions) {
      const d1 = askInChain(q.question, q.history ?? [], 'd1');
      const lake = askInChain(q.question, q.history ?? [], dialect);
      if (!d1.ok) {
        if (lake.ok || lake.message !== d1.message) problems.push(`${q.id}: D1 refused, ${dialect} did not refuse the same way`);
        continue;
      }
      if (/\bFROM alerts\b/.test(d1.sql)) {
        if (lake.ok || !/^Alerts are kept in D1 only/.test(lake.message)) problems.push(`${q.id}: an alerts question was not refused`);
        continue;
      }
      if (!lake.ok) {
        problems.push(`${q.id}: refused: ${lake.message}`);
        continue;
      }
      answered++;
      problems.push(...lakeProblems(lake.sql, dialect).map((p) => `${q.id}: ${p}\n${lake.sql}`));
      if (lake.explanation !== d1.explanation) problems.push(`${q.id}: explanation differs`);
      if (JSON.stringify(lake.timeRange) !== JSON.stringify(d1.timeRange)) problems.push(`${q.id}: time range differs`);
      if (JSON.stringify(lake.assumptions.slice(0, d1.assumptions.length)) !== JSON.stringify(d1.assumptions)) problems.push(`${q.id}: D1's assumptions not kept`);
      if (lake.sql !== lakeSql(d1.sql, dialect).sql) problems.push(`${q.id}: not the D1 answer rewritten`);
    }
    expect(problems).toEqual([]);
    expect(answered).toBeGreaterThan(200);
  });

  it.each(dialects)('refuses the alerts questions on %s and suggests only questions it answers there', (dialect) => {
    const alertQuestions = questions.filter((q) => {
      const d1 = askInChain(q.question, q.history ?? [], 'd1');
      return d1.ok && /\bFROM alerts\b/.test(d1.sql);
    });
    expect(alertQuestions.length).toBeGreaterThan(0);
    for (const q of alertQuestions) {
      const t = askInChain(q.question, q.history ?? [], dialect);
      expect(t.ok).toBe(false);
      if (t.ok) continue;
      expect(t.message).toMatch(/Alerts are kept in D1 only, not in the lake: ask this on the D1 engine/);
      expect(t.suggestions.length).toBeGreaterThan(0);
      for (const s of t.suggestions) expect(translate(s, [], dialect).ok, s).toBe(true);
    }
  });
});

describe('robustness on the lake dialects', () => {
  // The same kind of seeded word soup as the D1 robustness test: whatever comes in, the engine refuses with
  // suggestions it can answer on that dialect, or returns SQL the dialect's validator accepts; it never throws.
  const words = [
    'show', 'how', 'many', 'failed', 'logins', 'from', 'outside', 'the', 'US', 'this', 'week', 'by', 'country', 'user',
    'top', '5', 'admins', 'only', 'not', 'okta', 'cloudtrail', 'yesterday', 'per', 'day', 'hour', '203.0.113.0/24',
    'Romania', "o'brien", 'which', 'users', 'most', 'distinct', 'alerts', 'open', 'severity', 'StopLogging', 'when',
    'last', 'first', 'root', 'denied', 'mfa', 'without', 'console', 'user agent', '"curl"', 'non-admins', 'DROP', ';',
  ];
  let state = 4242;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const soups = Array.from({ length: 120 }, () => Array.from({ length: 1 + Math.floor(next() * 8) }, () => words[Math.floor(next() * words.length)]).join(' '));

  it.each(dialects)('never throws on %s, and every answer validates or refusal carries answerable suggestions', (dialect) => {
    let answered = 0;
    for (const question of soups) {
      const t = ask(question, dialect);
      if (t.ok) {
        answered++;
        expect(lakeProblems(t.sql, dialect), `${question}\n${t.sql}`).toEqual([]);
      } else {
        expect(t.suggestions.length, question).toBeGreaterThan(0);
        for (const s of t.suggestions) expect(ask(s, dialect).ok, `${question} → ${s}`).toBe(true);
      }
    }
    expect(answered).toBeGreaterThan(10);
  });

  it('is deterministic', () => {
    for (const dialect of dialects) expect(ask('Top 5 users by failed logins in the last 7 days', dialect)).toEqual(ask('Top 5 users by failed logins in the last 7 days', dialect));
  });
});
