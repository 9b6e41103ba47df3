/**
 * The curated few-shot bank and how examples are chosen for a question.
 *
 * Each example is a question as analysts phrase it and the answer we want (SQLite, for D1), written against one
 * fixed "now" — Wednesday 2026-03-18 15:00 UTC — which the prompt states, so the model sees how relative time
 * phrases become literal ranges. Examples only go to prompts of their own dialect: most are SQLite (D1); the lake
 * dialects (Athena, BigQuery, Synapse) have the two most common shapes each.
 *
 * Similarity is Okapi BM25 (k1 = 1.2, b = 0.75) of the question's tokens against each example question's tokens:
 * lower-cased words, a small stop-word list removed, a trailing plural "s" dropped. It needs no embedding service,
 * is deterministic, and rewards the rare, telling words ("country", "mfa", "top") over common ones. Ties keep the
 * bank's order; when nothing overlaps, the first examples (the most common question shapes) are used.
 */
import type { QueryDialect } from '../dialect';
import type { LlmAnswer } from './answer';

export interface FewShotExample {
  readonly dialect: QueryDialect;
  readonly question: string;
  readonly answer: LlmAnswer;
}

export const exampleNow = '2026-03-18T15:00:00.000Z';

const day = (from: string, to: string) => ({ from, to });

export const exampleBank: readonly FewShotExample[] = [
  {
    dialect: 'd1',
    question: 'Show me all failed logins this week',
    answer: {
      sql: "SELECT event_time, actor, src_ip, src_country, source, action, outcome_reason FROM events WHERE identity_action = 'auth_failure' AND event_time >= '2026-03-16T00:00:00.000Z' AND event_time < '2026-03-18T15:00:00.000Z' ORDER BY event_time DESC LIMIT 100",
      explanation: 'Failed authentications since Monday, newest first.',
      assumptions: ['this week = since Monday 2026-03-16 00:00 UTC', 'a failed login = identity_action auth_failure'],
      timeRange: day('2026-03-16T00:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'd1',
    question: 'How many failed logins from outside the US in the last 24 hours?',
    answer: {
      sql: "SELECT count(*) AS failed_logins FROM events WHERE identity_action = 'auth_failure' AND src_country IS NOT NULL AND src_country NOT IN ('United States', 'US') AND event_time >= '2026-03-17T15:00:00.000Z' AND event_time < '2026-03-18T15:00:00.000Z' LIMIT 1",
      explanation: 'The number of failed authentications in the last 24 hours whose source country is not the United States.',
      assumptions: ['"the US" matches src_country "United States" or "US"', 'events without a known country are left out'],
      timeRange: day('2026-03-17T15:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'd1',
    question: 'Top 10 users by number of failed logins yesterday',
    answer: {
      sql: "SELECT actor, count(*) AS failures FROM events WHERE identity_action = 'auth_failure' AND actor IS NOT NULL AND event_time >= '2026-03-17T00:00:00.000Z' AND event_time < '2026-03-18T00:00:00.000Z' GROUP BY actor ORDER BY failures DESC LIMIT 10",
      explanation: 'The ten accounts with the most failed authentications yesterday.',
      assumptions: ['yesterday = 2026-03-17 00:00 to 24:00 UTC'],
      timeRange: day('2026-03-17T00:00:00.000Z', '2026-03-18T00:00:00.000Z'),
    },
  },
  {
    dialect: 'd1',
    question: 'Failed logins per hour over the last day',
    answer: {
      sql: "SELECT strftime('%Y-%m-%dT%H:00:00Z', event_time) AS hour, count(*) AS failures FROM events WHERE identity_action = 'auth_failure' AND event_time >= '2026-03-17T15:00:00.000Z' AND event_time < '2026-03-18T15:00:00.000Z' GROUP BY hour ORDER BY hour LIMIT 1000",
      explanation: 'Hourly count of failed authentications over the last 24 hours.',
      assumptions: ['the last day = the last 24 hours'],
      timeRange: day('2026-03-17T15:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'd1',
    question: 'Which countries did alice@acme.com log in from this month?',
    answer: {
      sql: "SELECT src_country, count(*) AS logins, min(event_time) AS first_seen, max(event_time) AS last_seen FROM events WHERE actor = 'alice@acme.com' AND identity_action IN ('auth_success', 'session_start') AND event_time >= '2026-03-01T00:00:00.000Z' AND event_time < '2026-03-18T15:00:00.000Z' GROUP BY src_country ORDER BY logins DESC LIMIT 100",
      explanation: 'The source countries of successful logins by alice@acme.com since 1 March, with counts.',
      assumptions: ['this month = since 2026-03-01 00:00 UTC', 'a login = identity_action auth_success or session_start'],
      timeRange: day('2026-03-01T00:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'd1',
    question: 'When did bob last sign in?',
    answer: {
      sql: "SELECT max(event_time) AS last_login FROM events WHERE actor = 'bob@acme.com' AND identity_action IN ('auth_success', 'session_start') AND event_time >= '2026-02-16T15:00:00.000Z' AND event_time < '2026-03-18T15:00:00.000Z' LIMIT 1",
      explanation: "The time of bob@acme.com's most recent successful sign-in in the last 30 days.",
      assumptions: ['"bob" is the user bob@acme.com from the data', 'no time given: searched the last 30 days for a last occurrence'],
      timeRange: day('2026-02-16T15:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'd1',
    question: 'List distinct IP addresses used by admins today',
    answer: {
      sql: "SELECT DISTINCT src_ip FROM events WHERE src_ip IS NOT NULL AND (actor_type IN ('Root', 'Admin') OR lower(actor) LIKE 'admin%') AND event_time >= '2026-03-18T00:00:00.000Z' AND event_time < '2026-03-18T15:00:00.000Z' LIMIT 1000",
      explanation: 'The distinct source IPs of events by administrator accounts today.',
      assumptions: ['today = since 2026-03-18 00:00 UTC', 'an admin = actor_type Root/Admin or an actor name starting with "admin"'],
      timeRange: day('2026-03-18T00:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'd1',
    question: 'Show MFA denials in the last 7 days by user',
    answer: {
      sql: "SELECT actor, count(*) AS denials, max(event_time) AS latest FROM events WHERE identity_action = 'mfa_deny' AND event_time >= '2026-03-11T15:00:00.000Z' AND event_time < '2026-03-18T15:00:00.000Z' GROUP BY actor ORDER BY denials DESC LIMIT 100",
      explanation: 'Denied or failed MFA challenges over the last 7 days, per user.',
      assumptions: ['an MFA denial = identity_action mfa_deny'],
      timeRange: day('2026-03-11T15:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'd1',
    question: 'Count events by source since Monday',
    answer: {
      sql: "SELECT source, count(*) AS events FROM events WHERE event_time >= '2026-03-16T00:00:00.000Z' AND event_time < '2026-03-18T15:00:00.000Z' GROUP BY source ORDER BY events DESC LIMIT 100",
      explanation: 'Number of events per source since Monday.',
      assumptions: ['since Monday = since 2026-03-16 00:00 UTC'],
      timeRange: day('2026-03-16T00:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'd1',
    question: 'Root account console logins in February',
    answer: {
      sql: "SELECT event_time, src_ip, src_country, outcome FROM events WHERE source = 'cloudtrail' AND action = 'ConsoleLogin' AND actor_type = 'Root' AND event_time >= '2026-02-01T00:00:00.000Z' AND event_time < '2026-03-01T00:00:00.000Z' ORDER BY event_time LIMIT 100",
      explanation: 'AWS root-user console sign-ins during February 2026.',
      assumptions: ['February = February 2026 (the most recent February)', 'root = CloudTrail actor_type Root'],
      timeRange: day('2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'),
    },
  },
  {
    dialect: 'd1',
    question: 'What S3 buckets were deleted between March 1 and March 10?',
    answer: {
      sql: "SELECT event_time, actor, json_extract(raw, '$.requestParameters.bucketName') AS bucket, outcome FROM events WHERE source = 'cloudtrail' AND action = 'DeleteBucket' AND event_time >= '2026-03-01T00:00:00.000Z' AND event_time < '2026-03-11T00:00:00.000Z' ORDER BY event_time LIMIT 100",
      explanation: 'CloudTrail DeleteBucket calls from 1 to 10 March inclusive, with the bucket name from the vendor event.',
      assumptions: ['between March 1 and March 10 includes all of March 10 (UTC)'],
      timeRange: day('2026-03-01T00:00:00.000Z', '2026-03-11T00:00:00.000Z'),
    },
  },
  {
    dialect: 'd1',
    question: 'Open critical alerts this week',
    answer: {
      sql: `SELECT id, title, rule_name, first_seen, last_seen, "count" AS hits FROM alerts WHERE status = 'open' AND severity = 'critical' AND last_seen >= '2026-03-16T00:00:00.000Z' AND last_seen < '2026-03-18T15:00:00.000Z' ORDER BY last_seen DESC LIMIT 100`,
      explanation: 'Critical alerts still open that fired this week.',
      assumptions: ['this week = since Monday 2026-03-16 00:00 UTC', 'fired this week = last hit this week'],
      timeRange: day('2026-03-16T00:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'd1',
    question: 'Users who had more than 5 failed logins in the last hour',
    answer: {
      sql: "SELECT actor, count(*) AS failures FROM events WHERE identity_action = 'auth_failure' AND event_time >= '2026-03-18T14:00:00.000Z' AND event_time < '2026-03-18T15:00:00.000Z' GROUP BY actor HAVING count(*) > 5 ORDER BY failures DESC LIMIT 100",
      explanation: 'Accounts with more than five failed authentications in the last hour.',
      assumptions: [],
      timeRange: day('2026-03-18T14:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'd1',
    question: 'Privilege grants by service in the last 30 days',
    answer: {
      sql: "SELECT service, count(*) AS grants FROM events WHERE identity_action = 'privilege_grant' AND event_time >= '2026-02-16T15:00:00.000Z' AND event_time < '2026-03-18T15:00:00.000Z' GROUP BY service ORDER BY grants DESC LIMIT 100",
      explanation: 'Admin role or privileged group grants over the last 30 days, per service.',
      assumptions: ['a privilege grant = identity_action privilege_grant'],
      timeRange: day('2026-02-16T15:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'd1',
    question: 'First time we saw IP 203.0.113.7',
    answer: {
      sql: "SELECT min(event_time) AS first_seen, count(*) AS events FROM events WHERE src_ip = '203.0.113.7' AND event_time >= '2025-03-18T15:00:00.000Z' AND event_time < '2026-03-18T15:00:00.000Z' LIMIT 1",
      explanation: 'The earliest event from 203.0.113.7 within the last year, and how many events it has.',
      assumptions: ['no time given for a first occurrence: searched the last 365 days'],
      timeRange: day('2025-03-18T15:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'athena',
    question: 'Show me all failed logins this week',
    answer: {
      sql: "SELECT event_time, actor, src_ip, src_country, source, action FROM events WHERE identity_action = 'auth_failure' AND event_time >= '2026-03-16T00:00:00.000Z' AND event_time < '2026-03-18T15:00:00.000Z' ORDER BY event_time DESC LIMIT 100",
      explanation: 'Failed authentications since Monday, newest first.',
      assumptions: ['this week = since Monday 2026-03-16 00:00 UTC', 'a failed login = identity_action auth_failure'],
      timeRange: day('2026-03-16T00:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'athena',
    question: 'Failed logins per hour over the last day',
    answer: {
      sql: "SELECT date_trunc('hour', from_iso8601_timestamp(event_time)) AS hour, count(*) AS failures FROM events WHERE identity_action = 'auth_failure' AND event_time >= '2026-03-17T15:00:00.000Z' AND event_time < '2026-03-18T15:00:00.000Z' GROUP BY 1 ORDER BY 1 LIMIT 1000",
      explanation: 'Hourly count of failed authentications over the last 24 hours.',
      assumptions: ['the last day = the last 24 hours'],
      timeRange: day('2026-03-17T15:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'bigquery',
    question: 'Show me all failed logins this week',
    answer: {
      sql: "SELECT event_time, actor, src_ip, src_country, source, action FROM events WHERE identity_action = 'auth_failure' AND event_time >= '2026-03-16T00:00:00.000Z' AND event_time < '2026-03-18T15:00:00.000Z' ORDER BY event_time DESC LIMIT 100",
      explanation: 'Failed authentications since Monday, newest first.',
      assumptions: ['this week = since Monday 2026-03-16 00:00 UTC', 'a failed login = identity_action auth_failure'],
      timeRange: day('2026-03-16T00:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'bigquery',
    question: 'Failed logins per hour over the last day',
    answer: {
      sql: "SELECT TIMESTAMP_TRUNC(TIMESTAMP(event_time), HOUR) AS hour, COUNT(*) AS failures FROM events WHERE identity_action = 'auth_failure' AND event_time >= '2026-03-17T15:00:00.000Z' AND event_time < '2026-03-18T15:00:00.000Z' GROUP BY hour ORDER BY hour LIMIT 1000",
      explanation: 'Hourly count of failed authentications over the last 24 hours.',
      assumptions: ['the last day = the last 24 hours'],
      timeRange: day('2026-03-17T15:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'synapse',
    question: 'Show me all failed logins this week',
    answer: {
      sql: "SELECT TOP (100) event_time, actor, src_ip, src_country, source, action FROM events WHERE identity_action = 'auth_failure' AND event_time >= '2026-03-16T00:00:00.000Z' AND event_time < '2026-03-18T15:00:00.000Z' ORDER BY event_time DESC",
      explanation: 'Failed authentications since Monday, newest first.',
      assumptions: ['this week = since Monday 2026-03-16 00:00 UTC', 'a failed login = identity_action auth_failure'],
      timeRange: day('2026-03-16T00:00:00.000Z', '2026-03-18T15:00:00.000Z'),
    },
  },
  {
    dialect: 'synapse',
    question: 'Top 10 users by number of failed logins yesterday',
    answer: {
      sql: "SELECT TOP (10) actor, COUNT(*) AS failures FROM events WHERE identity_action = 'auth_failure' AND actor IS NOT NULL AND event_time >= '2026-03-17T00:00:00.000Z' AND event_time < '2026-03-18T00:00:00.000Z' GROUP BY actor ORDER BY failures DESC",
      explanation: 'The ten accounts with the most failed authentications yesterday.',
      assumptions: ['yesterday = 2026-03-17 00:00 to 24:00 UTC'],
      timeRange: day('2026-03-17T00:00:00.000Z', '2026-03-18T00:00:00.000Z'),
    },
  },
];

const stopWords = new Set(
  'a an and are as at be by did do does for from had has have how i in is it me of on or over per show the this to was were what when which who whom with all any list many much give tell find get there their'.split(' '),
);

/** The tokens BM25 compares: lower-case words and numbers, stop words removed, a plural "s" dropped. */
export function similarityTokens(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9][a-z0-9._@-]*/g) ?? [])
    .map((t) => t.replace(/[.-]+$/, ''))
    .filter((t) => t.length > 0 && !stopWords.has(t))
    .map((t) => (t.length > 3 && t.endsWith('s') && !t.endsWith('ss') ? t.slice(0, -1) : t));
}

const k1 = 1.2;
const b = 0.75;

/** BM25 score of each document for the query, in document order. */
export function bm25Scores(query: readonly string[], documents: readonly (readonly string[])[]): number[] {
  const n = documents.length;
  if (n === 0) return [];
  const avgLength = documents.reduce((sum, d) => sum + d.length, 0) / n || 1;
  const documentFrequency = new Map<string, number>();
  for (const d of documents) for (const t of new Set(d)) documentFrequency.set(t, (documentFrequency.get(t) ?? 0) + 1);
  const terms = [...new Set(query)];
  return documents.map((d) => {
    let score = 0;
    for (const t of terms) {
      const tf = d.filter((x) => x === t).length;
      if (tf === 0) continue;
      const df = documentFrequency.get(t) ?? 0;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      score += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * d.length) / avgLength));
    }
    return score;
  });
}

/** The `count` examples of `dialect` most similar to `question`, most similar first. */
export function selectExamples(question: string, dialect: QueryDialect, count = 4, bank: readonly FewShotExample[] = exampleBank): FewShotExample[] {
  const candidates = bank.filter((e) => e.dialect === dialect);
  const scores = bm25Scores(
    similarityTokens(question),
    candidates.map((e) => similarityTokens(e.question)),
  );
  return candidates
    .map((example, index) => ({ example, index, score: scores[index] ?? 0 }))
    .sort((x, y) => y.score - x.score || x.index - y.index)
    .slice(0, count)
    .map((x) => x.example);
}
