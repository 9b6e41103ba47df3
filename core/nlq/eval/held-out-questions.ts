/**
 * Held-out questions: written after the offline engine had been developed against questions.ts, and scored once
 * before any change to the engine, so their first score (docs/benchmarks.md) measures how the engine does on
 * phrasings it was not tuned on. Same conventions as questions.ts.
 */
import type { EvalQuestion } from './questions';

const NOW = '2026-11-27T16:00:00.000Z';
const within = (from: string, to = NOW) => `event_time >= '${from}' AND event_time < '${to}'`;
const THIS_WEEK = within('2026-11-23T00:00:00.000Z');
const TODAY = within('2026-11-27T00:00:00.000Z');
const YESTERDAY = within('2026-11-26T00:00:00.000Z', '2026-11-27T00:00:00.000Z');
const LAST_7D = within('2026-11-20T16:00:00.000Z');
const LOGIN = "identity_action IN ('session_start', 'auth_success', 'auth_failure')";
const LOGGED_IN = "identity_action IN ('session_start', 'auth_success')";
const FAILED = "identity_action = 'auth_failure'";

export const heldOutQuestions: readonly EvalQuestion[] = [
  { id: 'held-1', question: 'Any failed sign-ins from Romania today?', gold: `SELECT COUNT(*) FROM events WHERE ${FAILED} AND src_country = 'Romania' AND ${TODAY}` },
  { id: 'held-2', question: 'list every login by lars.lopez this week', gold: `SELECT event_time, src_ip FROM events WHERE actor = 'lars.lopez@acme-demo.test' AND ${LOGIN} AND ${THIS_WEEK}` },
  { id: 'held-3', question: 'which IP addresses did the password spray come from?', gold: null },
  { id: 'held-4', question: 'how many failed okta logins yesterday', gold: `SELECT COUNT(*) FROM events WHERE source = 'okta' AND ${FAILED} AND ${YESTERDAY}` },
  { id: 'held-5', question: 'Top 5 countries by number of logins in the last 7 days', gold: `SELECT src_country, COUNT(*) AS count FROM events WHERE ${LOGIN} AND src_country IS NOT NULL AND ${LAST_7D} GROUP BY src_country ORDER BY count DESC, src_country LIMIT 5` },
  { id: 'held-6', question: 'show me everything 203.0.113.45 did on Tuesday', gold: `SELECT event_time, action, actor FROM events WHERE src_ip = '203.0.113.45' AND ${within('2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z')}` },
  { id: 'held-7', question: 'count of GetObject by svc-backup-sync', gold: `SELECT COUNT(*) FROM events WHERE action = 'GetObject' AND actor = 'svc-backup-sync'` },
  { id: 'held-8', question: 'Which users logged in from more than one country?', gold: null },
  { id: 'held-9', question: 'failed logins grouped by user agent this week', gold: `SELECT user_agent, COUNT(*) AS count FROM events WHERE ${FAILED} AND user_agent IS NOT NULL AND ${THIS_WEEK} GROUP BY user_agent` },
  { id: 'held-10', question: 'What was the last thing paisley.brown did?', gold: `SELECT event_time, action FROM events WHERE actor IN ('paisley.brown@acme-demo.test', 'paisley.brown', 'EngineerAccess/paisley.brown') ORDER BY event_time DESC LIMIT 1` },
  { id: 'held-11', question: 'how many successful logins from Australia last week', gold: `SELECT COUNT(*) FROM events WHERE ${LOGGED_IN} AND src_country = 'Australia' AND ${within('2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z')}` },
  { id: 'held-12', question: 'hourly failed logins over the last 24 hours', gold: `SELECT substr(event_time, 1, 13) || ':00Z' AS hour, COUNT(*) AS count FROM events WHERE ${FAILED} AND ${within('2026-11-26T16:00:00.000Z')} GROUP BY hour` },
  { id: 'held-13', question: 'who created access keys?', gold: `SELECT actor, COUNT(*) AS count FROM events WHERE identity_action = 'token_issue' GROUP BY actor` },
  { id: 'held-14', question: 'number of distinct IPs per user today', gold: `SELECT actor, COUNT(DISTINCT src_ip) AS count FROM events WHERE actor IS NOT NULL AND ${TODAY} GROUP BY actor` },
  { id: 'held-15', question: 'events from Singapore or Romania', gold: `SELECT event_time, actor, src_ip FROM events WHERE src_country IN ('Singapore', 'Romania')` },
  { id: 'held-16', question: 'most common failure reasons this week', gold: null },
  { id: 'held-17', question: 'Show me MFA denials', gold: `SELECT event_time, actor FROM events WHERE identity_action = 'mfa_deny'` },
  { id: 'held-18', question: 'what happened on nov 15 with the root account', gold: `SELECT event_time, action FROM events WHERE actor_type = 'Root' AND ${within('2026-11-15T00:00:00.000Z', '2026-11-16T00:00:00.000Z')}` },
  { id: 'held-19', question: 'how many people signed in today', gold: `SELECT COUNT(DISTINCT actor) FROM events WHERE ${LOGGED_IN} AND ${TODAY}` },
  { id: 'held-20', question: 'cloudtrail errors by user since Monday', gold: `SELECT actor, COUNT(*) AS count FROM events WHERE source = 'cloudtrail' AND outcome = 'failure' AND actor IS NOT NULL AND ${THIS_WEEK} GROUP BY actor` },
  { id: 'held-21', question: 'Which buckets did svc-backup-sync read?', gold: null },
  { id: 'held-22', question: 'logins from outside the United States in the last 7 days by country', gold: `SELECT src_country, COUNT(*) AS count FROM events WHERE ${LOGIN} AND src_country <> 'United States' AND ${LAST_7D} GROUP BY src_country` },
  { id: 'held-23', question: 'was there any activity from 198.51.100.66?', gold: `SELECT COUNT(*) FROM events WHERE src_ip = '198.51.100.66'` },
  { id: 'held-24', question: 'when did leah.torres last log in from Singapore?', gold: `SELECT MAX(event_time) AS last_seen FROM events WHERE actor = 'leah.torres@acme-demo.test' AND ${LOGGED_IN} AND src_country = 'Singapore'` },
  { id: 'held-25', question: 'show sessions that ended yesterday', gold: `SELECT event_time, actor FROM events WHERE identity_action = 'session_end' AND ${YESTERDAY}` },
  { id: 'held-26', question: 'daily okta logins', gold: `SELECT substr(event_time, 1, 10) AS day, COUNT(*) AS count FROM events WHERE source = 'okta' AND ${LOGIN} GROUP BY day` },
  { id: 'held-27', question: 'top apps used by paisley.brown', gold: `SELECT service, COUNT(*) AS count FROM events WHERE actor IN ('paisley.brown@acme-demo.test', 'paisley.brown', 'EngineerAccess/paisley.brown') AND service IS NOT NULL GROUP BY service ORDER BY count DESC, service LIMIT 10` },
  { id: 'held-28', question: 'How many times was StopLogging called this week?', gold: `SELECT COUNT(*) FROM events WHERE action = 'StopLogging' AND ${THIS_WEEK}` },
  { id: 'held-29', question: 'Did anyone log in as root this week?', gold: `SELECT COUNT(*) FROM events WHERE actor_type = 'Root' AND action = 'ConsoleLogin' AND ${THIS_WEEK}` },
  { id: 'held-30', question: 'show failed logins excluding 203.0.113.45 this week', gold: `SELECT event_time, actor, src_ip FROM events WHERE ${FAILED} AND src_ip <> '203.0.113.45' AND ${THIS_WEEK}` },
  { id: 'held-31', question: 'and by IP?', history: ['How many failed logins this week?'], gold: `SELECT src_ip, COUNT(*) AS count FROM events WHERE ${FAILED} AND ${THIS_WEEK} GROUP BY src_ip` },
  { id: 'held-32', question: 'only cloudtrail', history: ['How many failed events yesterday?'], gold: `SELECT COUNT(*) FROM events WHERE outcome = 'failure' AND source = 'cloudtrail' AND ${YESTERDAY}` },
  { id: 'held-33', question: 'what about Germany', history: ['logins from Canada this week'], gold: `SELECT event_time, actor FROM events WHERE ${LOGIN} AND src_country = 'Germany' AND ${THIS_WEEK}` },
  { id: 'held-34', question: 'Show the 10 most recent events in cloudtrail', gold: `SELECT event_time, action FROM events WHERE source = 'cloudtrail' ORDER BY event_time DESC, event_uid DESC LIMIT 10` },
  { id: 'held-35', question: 'how many events per source per day this week', gold: `SELECT substr(event_time, 1, 10) AS day, source, COUNT(*) AS count FROM events WHERE ${THIS_WEEK} GROUP BY day, source` },
  { id: 'held-36', question: 'Is anyone logging in from North Korea?', gold: `SELECT COUNT(*) FROM events WHERE src_country = 'North Korea' AND ${LOGGED_IN}` },
  { id: 'held-37', question: 'how much data was downloaded from S3?', gold: null },
  { id: 'held-38', question: 'show me admin activity today', gold: `SELECT event_time, actor, action FROM events WHERE (actor IN (SELECT actor FROM events WHERE action = 'user.session.access_admin_app') OR actor_type = 'Root') AND ${TODAY}` },
  { id: 'held-39', question: 'failed logins for users in the sales team', gold: null },
  { id: 'held-40', question: 'list the users who had MFA pushes denied this week', gold: `SELECT DISTINCT actor FROM events WHERE identity_action = 'mfa_deny' AND ${THIS_WEEK}` },
];
