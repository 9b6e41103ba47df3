import { describe, expect, it } from 'vitest';
import { analystQueryPolicy } from '../../sql/query-policy';
import { lakeQueryPolicy, validateLakeQuery } from '../../sql/validate-dialect-query';
import { validateQuery } from '../../sql/validate-query';
import type { ConversationTurn, EntityValues, TranslateInput, Translation } from '../translator';
import { exampleQuestions, offlineTranslator, translateOffline } from './index';

const now = new Date('2026-11-27T16:00:00.000Z'); // a Friday
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

function ask(question: string, history: ConversationTurn[] = [], dialect: TranslateInput['dialect'] = 'd1'): Translation {
  return translateOffline({ question, history, now, dialect, values });
}
function sqlOf(question: string, history: ConversationTurn[] = []): string {
  const t = ask(question, history);
  if (!t.ok) throw new Error(`refused "${question}": ${t.message}`);
  return t.sql;
}
function turn(question: string, history: ConversationTurn[] = []): ConversationTurn {
  const t = ask(question, history);
  return t.ok ? { question, sql: t.sql, timeRange: t.timeRange } : { question, sql: null, timeRange: null };
}

describe('offlineTranslator', () => {
  it('answers the issue\'s example with failed logins outside the US since Monday 00:00 UTC, and says so', async () => {
    const t = await offlineTranslator.translate({ question: 'Show me all failed logins from outside the US this week', history: [], now, dialect: 'd1', values });
    expect(t.ok).toBe(true);
    if (!t.ok) return;
    expect(t.engine).toBe('offline');
    expect(t.sql).toContain("event_time >= '2026-11-23T00:00:00.000Z'");
    expect(t.sql).toContain("event_time < '2026-11-27T16:00:00.000Z'");
    expect(t.sql).toContain("outcome = 'failure'");
    expect(t.sql).toContain("(src_country IS NOT NULL AND src_country <> 'United States')");
    expect(t.assumptions).toContain('this week = since Monday 2026-11-23 00:00 UTC');
    expect(t.timeRange).toEqual({ from: '2026-11-23T00:00:00.000Z', to: '2026-11-27T16:00:00.000Z' });
    expect(t.explanation).toMatch(/failed logins/);
  });

  it('is deterministic', () => {
    expect(ask('Top 5 users by failed logins in the last 7 days')).toEqual(ask('Top 5 users by failed logins in the last 7 days'));
  });

  it.each([
    ['athena', 'SELECT COUNT(*) AS "count" FROM events WHERE event_time >= \'2026-11-27T00:00:00.000Z\''],
    ['bigquery', 'SELECT COUNT(*) AS `count` FROM events WHERE event_time >= \'2026-11-27T00:00:00.000Z\''],
    ['synapse', 'SELECT COUNT(*) AS [count] FROM events WHERE event_time >= N\'2026-11-27T00:00:00.000Z\''],
  ] as const)('answers on %s with the D1 answer written in its dialect (lake-dialect.ts)', (dialect, start) => {
    const d1 = ask('how many failed logins today');
    const t = ask('how many failed logins today', [], dialect);
    expect(t.ok && d1.ok).toBe(true);
    if (!t.ok || !d1.ok) return;
    expect(t.sql.startsWith(start), t.sql).toBe(true);
    expect(validateLakeQuery(t.sql, dialect, lakeQueryPolicy(['events']))).toMatchObject({ ok: true });
    expect({ explanation: t.explanation, timeRange: t.timeRange, engine: t.engine }).toEqual({ explanation: d1.explanation, timeRange: d1.timeRange, engine: 'offline' });
  });

  it.each(['athena', 'bigquery', 'synapse'] as const)('refuses an alerts question on %s, saying alerts live in D1', (dialect) => {
    const t = ask('show open alerts', [], dialect);
    expect(t.ok).toBe(false);
    if (t.ok) return;
    expect(t.message).toMatch(/^Alerts are kept in D1 only, not in the lake: ask this on the D1 engine/);
    expect(t.suggestions.length).toBeGreaterThan(0);
    for (const s of t.suggestions) expect(ask(s, [], dialect).ok, s).toBe(true);
  });

  it.each(exampleQuestions)('answers its own example question "%s" with SQL the validator accepts', (question) => {
    const sql = sqlOf(question);
    expect(validateQuery(sql, analystQueryPolicy())).toMatchObject({ ok: true });
  });

  it.each([
    ['How many failed logins in the last 24 hours?', /^SELECT COUNT\(\*\) AS "count" FROM events WHERE/],
    ['Which users had the most failed logins this week?', /^SELECT actor, COUNT\(\*\) AS "count" .* GROUP BY actor ORDER BY "count" DESC, actor LIMIT 10$/],
    ['Top 3 source IPs by failed logins', /^SELECT src_ip, COUNT\(\*\) AS "count" .* LIMIT 3$/],
    ['When did the root user last log in?', /^SELECT MAX\(event_time\) AS last_seen, COUNT\(\*\) AS "count" FROM events .*actor_type = 'Root'/],
    ['failed logins per hour yesterday', /^SELECT substr\(event_time, 1, 13\) \|\| ':00Z' AS hour, COUNT\(\*\) AS "count" .* GROUP BY hour ORDER BY hour/],
    ['How many distinct users logged in today?', /^SELECT COUNT\(DISTINCT actor\) AS "count"/],
    ['show the last 5 failed logins', /ORDER BY event_time DESC, event_uid DESC LIMIT 5$/],
    ['which countries did paisley log in from', /^SELECT src_country, COUNT\(\*\) .*actor IN \('paisley.brown@acme-demo.test', 'paisley.brown', 'EngineerAccess\/paisley.brown'\)/],
    ['Show StopLogging events from 203.0.113.45', /action = 'StopLogging' AND src_ip = '203.0.113.45'|src_ip = '203.0.113.45' AND action = 'StopLogging'/],
    ['events not from okta today', /\(source IS NOT NULL AND source <> 'okta'\)/],
    ['logins from RO', /src_country = 'Romania'/],
    ['how many events in s3', /service = 's3.amazonaws.com'/],
    ['show open alerts', /^SELECT id, last_seen, .* FROM alerts WHERE last_seen >= .* AND status = 'open'/],
    ['How many failed logins between Nov 20 and Nov 22?', /event_time >= '2026-11-20T00:00:00.000Z' AND event_time < '2026-11-23T00:00:00.000Z'/],
  ])('translates "%s"', (question, pattern) => {
    expect(sqlOf(question)).toMatch(pattern);
  });

  it('states the default window when the question names no time', () => {
    const t = ask('how many failed logins');
    expect(t.ok && t.assumptions[0]).toMatch(/^no time range was given: the last 30 days/);
  });

  describe('refusals', () => {
    it.each([
      'What is the weather in London?',
      'delete all events from yesterday',
      "'; DROP TABLE events; --",
      'Which users are suspicious?',
      'failed logins by department',
      'users with more than 5 failed logins',
      'logins that did not use a VPN',
      'users who never logged in',
      'select * from sqlite_master',
    ])('refuses "%s" with at least one suggestion it can answer', (question) => {
      const t = ask(question);
      expect(t.ok).toBe(false);
      if (t.ok) return;
      expect(t.suggestions.length).toBeGreaterThan(0);
      for (const s of t.suggestions) expect(ask(s).ok, s).toBe(true);
    });

    it('names the words it did not understand', () => {
      const t = ask('failed logins by department');
      expect(!t.ok && t.message).toMatch(/"department"/);
    });

    it('asks which user when a first name is ambiguous, suggesting each', () => {
      const t = ask('show events from caroline');
      expect(t.ok).toBe(false);
      if (t.ok) return;
      expect(t.message).toMatch(/could be 2 users/);
      expect(t.suggestions).toEqual(expect.arrayContaining(['show events from caroline.green', 'show events from caroline.scott']));
    });

    it('suggests the close user name for a typo instead of guessing', () => {
      const t = ask('how many logins from paisly this week');
      expect(t.ok).toBe(false);
      if (!t.ok) expect(t.suggestions[0]).toBe('how many logins from paisley this week');
    });

    it('never drops a negation it cannot place', () => {
      expect(ask('logins not using okta verify push notifications').ok).toBe(false);
    });
  });

  describe('values from the question', () => {
    it.each([
      ['events by user "x\' OR 1=1 --"', "actor = 'x'' OR 1=1 --'"],
      ['events by user "o\'brien"', "actor = 'o''brien'"],
      ['events by user "a\'); DELETE FROM events; --"', "actor = 'a''); DELETE FROM events; --'"],
      ['events by admin@example.com', "actor = 'admin@example.com'"],
      ["events by o'brien@example.com", "actor = 'o''brien@example.com'"],
    ])('keeps "%s" one escaped literal', (question, literal) => {
      const sql = sqlOf(question);
      expect(sql).toContain(literal);
      const checked = validateQuery(sql, analystQueryPolicy());
      expect(checked.ok).toBe(true);
      if (checked.ok) expect(checked.sql).toContain(literal.replace(/^actor/, '"actor"'));
    });

    it('refuses a value with a backslash rather than emit it', () => {
      const t = ask('events by user "CORP\\\\alice"');
      expect(t.ok).toBe(false);
    });

    it('refuses a quoted value it cannot place', () => {
      const t = ask('show "something odd" today');
      expect(!t.ok && t.message).toMatch(/I do not know what "something odd" is/);
    });
  });

  describe('follow-ups', () => {
    const first = turn('Show me all failed logins from outside the US this week');

    it('"only admins" adds the admin filter to the previous question', () => {
      const sql = sqlOf('only admins', [first]);
      expect(sql).toContain("src_country <> 'United States'");
      expect(sql).toContain("actor IN (SELECT actor FROM events WHERE action = 'user.session.access_admin_app' AND event_time >= '2026-08-29T16:00:00.000Z' AND event_time < '2026-11-27T16:00:00.000Z')");
      expect(sql).toContain("event_time >= '2026-11-23T00:00:00.000Z'");
    });

    it('"now by country" regroups the previous question', () => {
      expect(sqlOf('now by country', [first])).toMatch(/^SELECT src_country, COUNT\(\*\) AS "count" .*outcome = 'failure'.* GROUP BY src_country/);
    });

    it('"what about last month?" moves the time range and keeps the rest', () => {
      const sql = sqlOf('what about last month?', [first]);
      expect(sql).toContain("event_time >= '2026-10-01T00:00:00.000Z' AND event_time < '2026-11-01T00:00:00.000Z'");
      expect(sql).toContain("outcome = 'failure'");
    });

    it('a new country replaces the previous one', () => {
      const sql = sqlOf('and from Germany?', [turn('How many logins from Romania this week?')]);
      expect(sql).toContain("src_country = 'Germany'");
      expect(sql).not.toContain('Romania');
    });

    it('keeps the time range the previous turn resolved, not a re-reading of it', () => {
      const earlier: ConversationTurn = { question: 'failed logins yesterday', sql: 'SELECT 1', timeRange: { from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z' } };
      expect(sqlOf('now by user', [earlier])).toContain("event_time >= '2026-11-20T00:00:00.000Z' AND event_time < '2026-11-21T00:00:00.000Z'");
    });

    it('skips refused turns', () => {
      expect(sqlOf('only admins', [first, { question: 'what is the weather', sql: null }])).toContain("src_country <> 'United States'");
    });

    it('refuses a follow-up of a question it cannot read (e.g. answered by an LLM)', () => {
      const t = ask('only admins', [{ question: 'show logins with a risk score over 80', sql: 'SELECT 1', timeRange: null }]);
      expect(!t.ok && t.message).toMatch(/could not read the previous question/);
    });
  });
});

describe('robustness', () => {
  // A seeded word soup from the engine's own vocabulary and some noise: whatever comes in, the engine either
  // refuses with suggestions or returns SQL that the validator accepts; it never throws.
  const words = [
    'show', 'how', 'many', 'failed', 'logins', 'from', 'outside', 'the', 'US', 'this', 'week', 'by', 'country', 'user',
    'top', '5', 'admins', 'only', 'not', 'okta', 'cloudtrail', 'yesterday', 'between', 'Nov', '20', 'and', '22', 'when',
    'last', 'first', 'paisley', 'caroline', 'root', 'denied', 'mfa', 'pushes', 'per', 'day', 'hour', '203.0.113.45',
    'Romania', 'RO', 'DE', "o'brien", '"x\' OR 1=1"', 'which', 'users', 'most', 'distinct', 'ips', 'alerts', 'open',
    'severity', 'StopLogging', 'GetObject', 's3', 'slack', 'since', 'Monday', 'in', 'October', 'what', 'about',
    'DROP', 'TABLE', ';', '--', '/*', 'weird', 'zzz', 'never', 'without', 'logged', 'trend', 'daily', 'where',
  ];
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const soups = Array.from({ length: 400 }, () => Array.from({ length: 1 + Math.floor(next() * 9) }, () => words[Math.floor(next() * words.length)]).join(' '));

  it('never throws, and every answer validates or refusal carries suggestions', () => {
    for (const question of soups) {
      const t = ask(question);
      if (t.ok) expect(validateQuery(t.sql, analystQueryPolicy()).ok, `${question}\n${t.sql}`).toBe(true);
      else expect(t.suggestions.length, question).toBeGreaterThan(0);
    }
  });
});
