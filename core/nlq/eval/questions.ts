/**
 * The natural-language evaluation set: questions as analysts ask them about the demo organisation (core/demo,
 * seed 1, 50 users, 14 days ending 2026-11-27T16:00Z, a Friday; `now` is that same instant), each with gold SQL
 * written by hand from the question and the schema — not from the engine's output — and run on the same data.
 *
 * Conventions the gold SQL follows (the meanings the product documents in docs/nlq.md):
 * - a login is an event with identity_action session_start, auth_success or auth_failure; a failed login is
 *   identity_action auth_failure; "logged in" means a successful login;
 * - "this week" starts Monday 2026-11-23 00:00Z; "last week" is Monday 11-16 to Monday 11-23; days are UTC days;
 * - no time named = the last 30 days, which holds the whole demo window;
 * - admins = accounts that opened the Okta Admin Console (at any time: the demo window is shorter than the
 *   engine's 90-day lookback), plus the AWS root user;
 * - groupings leave out rows whose grouped column is NULL; top lists break ties by the grouped value.
 * List questions compare the gold's columns only (the engine returns more).
 *
 * `gold: null` marks a question the engine must refuse (out of scope, ambiguous, unsafe): refusing it is correct.
 * `history` holds the earlier questions of a follow-up chain, asked first in the same conversation.
 */
export interface EvalQuestion {
  readonly id: string;
  readonly question: string;
  readonly gold: string | null;
  readonly history?: readonly string[];
}

const NOW = '2026-11-27T16:00:00.000Z';
/** event_time in [from, to) */
const within = (from: string, to = NOW) => `event_time >= '${from}' AND event_time < '${to}'`;
const THIS_WEEK = within('2026-11-23T00:00:00.000Z');
const LAST_24H = within('2026-11-26T16:00:00.000Z');
const LAST_7D = within('2026-11-20T16:00:00.000Z');
const TODAY = within('2026-11-27T00:00:00.000Z');
const YESTERDAY = within('2026-11-26T00:00:00.000Z', '2026-11-27T00:00:00.000Z');
const LAST_WEEK = within('2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z');
const NOV_24 = within('2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z');
const LOGIN = "identity_action IN ('session_start', 'auth_success', 'auth_failure')";
const LOGGED_IN = "identity_action IN ('session_start', 'auth_success')";
const FAILED = "identity_action = 'auth_failure'";
const ADMINS = "(actor IN (SELECT actor FROM events WHERE action = 'user.session.access_admin_app') OR actor_type = 'Root')";
const PAISLEY = "actor IN ('paisley.brown@acme-demo.test', 'paisley.brown', 'EngineerAccess/paisley.brown')";

export const evalQuestions: readonly EvalQuestion[] = [
  // The example and its follow-ups
  { id: 'issue-1', question: 'Show me all failed logins from outside the US this week', gold: `SELECT event_time, actor, src_ip, src_country FROM events WHERE ${FAILED} AND src_country <> 'United States' AND ${THIS_WEEK}` },
  { id: 'issue-2', question: 'only admins', history: ['Show me all failed logins from outside the US this week'], gold: `SELECT event_time, actor, src_ip FROM events WHERE ${FAILED} AND src_country <> 'United States' AND ${THIS_WEEK} AND ${ADMINS}` },
  { id: 'issue-3', question: 'now by country', history: ['Show me all failed logins from outside the US this week'], gold: `SELECT src_country, COUNT(*) AS n FROM events WHERE ${FAILED} AND src_country <> 'United States' AND ${THIS_WEEK} GROUP BY src_country` },
  { id: 'issue-4', question: 'what about last week?', history: ['Show me all failed logins from outside the US this week'], gold: `SELECT event_time, actor, src_ip FROM events WHERE ${FAILED} AND src_country <> 'United States' AND ${LAST_WEEK}` },
  { id: 'issue-5', question: 'what about last month?', history: ['Show me all failed logins from outside the US this week', 'now by country'], gold: `SELECT src_country, COUNT(*) AS n FROM events WHERE ${FAILED} AND src_country <> 'United States' AND event_time >= '2026-10-01T00:00:00.000Z' AND event_time < '2026-11-01T00:00:00.000Z' GROUP BY src_country` },
  { id: 'issue-6', question: 'How many failed logins from outside the US this week?', gold: `SELECT COUNT(*) FROM events WHERE ${FAILED} AND src_country != 'United States' AND ${THIS_WEEK}` },

  // Counts
  { id: 'count-1', question: 'How many failed logins in the last 24 hours?', gold: `SELECT COUNT(*) FROM events WHERE ${FAILED} AND ${LAST_24H}` },
  { id: 'count-2', question: 'how many events are there?', gold: `SELECT COUNT(*) FROM events` },
  { id: 'count-3', question: 'How many events did we get from okta today?', gold: `SELECT COUNT(*) FROM events WHERE source = 'okta' AND ${TODAY}` },
  { id: 'count-4', question: 'number of cloudtrail events yesterday', gold: `SELECT COUNT(*) FROM events WHERE source = 'cloudtrail' AND ${YESTERDAY}` },
  { id: 'count-5', question: 'How many failed logins were there this week?', gold: `SELECT COUNT(*) FROM events WHERE ${FAILED} AND ${THIS_WEEK}` },
  { id: 'count-6', question: 'count of successful logins yesterday', gold: `SELECT COUNT(*) FROM events WHERE ${LOGGED_IN} AND outcome = 'success' AND ${YESTERDAY}` },
  { id: 'count-7', question: 'How many denied MFA pushes were there?', gold: `SELECT COUNT(*) FROM events WHERE action = 'user.mfa.okta_verify.deny_push'` },
  { id: 'count-8', question: 'how many MFA push notifications were sent this week', gold: `SELECT COUNT(*) FROM events WHERE action = 'system.push.send_factor_verify_push' AND ${THIS_WEEK}` },
  { id: 'count-9', question: 'How many AccessDenied errors in cloudtrail?', gold: `SELECT COUNT(*) FROM events WHERE source = 'cloudtrail' AND outcome_reason LIKE 'AccessDenied%'` },
  { id: 'count-10', question: 'How many distinct users logged in today?', gold: `SELECT COUNT(DISTINCT actor) FROM events WHERE ${LOGGED_IN} AND ${TODAY}` },
  { id: 'count-11', question: 'How many unique IPs did paisley.brown use this week?', gold: `SELECT COUNT(DISTINCT src_ip) FROM events WHERE ${PAISLEY} AND ${THIS_WEEK}` },
  { id: 'count-12', question: 'how many countries did we see logins from in the last 7 days', gold: `SELECT COUNT(DISTINCT src_country) FROM events WHERE ${LOGIN} AND ${LAST_7D}` },
  { id: 'count-13', question: 'How many privilege grants happened this week?', gold: `SELECT COUNT(*) FROM events WHERE identity_action = 'privilege_grant' AND ${THIS_WEEK}` },
  { id: 'count-14', question: 'how many events came from 203.0.113.45?', gold: `SELECT COUNT(*) FROM events WHERE src_ip = '203.0.113.45'` },
  { id: 'count-15', question: 'How many times did root log in?', gold: `SELECT COUNT(*) FROM events WHERE actor = 'root' AND action = 'ConsoleLogin'` },
  { id: 'count-16', question: 'How many GetObject calls were there on Nov 24?', gold: `SELECT COUNT(*) FROM events WHERE action = 'GetObject' AND ${NOV_24}` },
  { id: 'count-17', question: 'Total number of failed events in the last 7 days', gold: `SELECT COUNT(*) FROM events WHERE outcome = 'failure' AND ${LAST_7D}` },
  { id: 'count-18', question: 'how many logins from Romania', gold: `SELECT COUNT(*) FROM events WHERE src_country = 'Romania' AND ${LOGIN}` },
  { id: 'count-19', question: 'How many sign-ins from Germany this week?', gold: `SELECT COUNT(*) FROM events WHERE src_country = 'Germany' AND ${LOGIN} AND ${THIS_WEEK}` },
  { id: 'count-20', question: 'how many okta sessions started yesterday', gold: `SELECT COUNT(*) FROM events WHERE action = 'user.session.start' AND outcome = 'success' AND ${YESTERDAY}` },
  { id: 'count-21', question: 'How many logouts today?', gold: `SELECT COUNT(*) FROM events WHERE action = 'user.session.end' AND ${TODAY}` },
  { id: 'count-22', question: 'How many accounts were created in the last 7 days?', gold: `SELECT COUNT(*) FROM events WHERE action IN ('user.lifecycle.create', 'CreateUser') AND ${LAST_7D}` },
  { id: 'count-23', question: 'how many deactivated accounts this month', gold: `SELECT COUNT(*) FROM events WHERE identity_action = 'account_disable' AND event_time >= '2026-11-01T00:00:00.000Z'` },
  { id: 'count-24', question: 'How many events from the UK yesterday?', gold: `SELECT COUNT(*) FROM events WHERE src_country = 'United Kingdom' AND ${YESTERDAY}` },
  { id: 'count-25', question: 'How many failed logins did lucas.howard have?', gold: `SELECT COUNT(*) FROM events WHERE actor = 'lucas.howard@acme-demo.test' AND ${FAILED}` },
  { id: 'count-26', question: 'number of s3 events today', gold: `SELECT COUNT(*) FROM events WHERE service = 's3.amazonaws.com' AND ${TODAY}` },
  { id: 'count-27', question: 'how many Slack logins this week?', gold: `SELECT COUNT(*) FROM events WHERE service = 'Slack' AND ${LOGIN} AND ${THIS_WEEK}` },
  { id: 'count-28', question: 'How many distinct users signed in to the AWS console this week?', gold: `SELECT COUNT(DISTINCT actor) FROM events WHERE action = 'ConsoleLogin' AND outcome = 'success' AND ${THIS_WEEK}` },
  { id: 'count-29', question: 'how many users failed to log in yesterday?', gold: `SELECT COUNT(DISTINCT actor) FROM events WHERE ${FAILED} AND ${YESTERDAY}` },
  { id: 'count-30', question: 'How many events were not successful today?', gold: `SELECT COUNT(*) FROM events WHERE outcome <> 'success' AND ${TODAY}` },

  // Lists
  { id: 'list-1', question: 'Show denied MFA pushes in the last 7 days', gold: `SELECT event_time, actor, src_ip FROM events WHERE identity_action = 'mfa_deny' AND ${LAST_7D}` },
  { id: 'list-2', question: 'List AWS console sign-ins without MFA this month', gold: `SELECT event_time, actor, src_ip FROM events WHERE action = 'ConsoleLogin' AND json_extract(raw, '$.additionalEventData.MFAUsed') = 'No' AND event_time >= '2026-11-01T00:00:00.000Z'` },
  { id: 'list-3', question: 'show me logins from Singapore', gold: `SELECT event_time, actor, src_ip, action FROM events WHERE src_country = 'Singapore' AND ${LOGIN}` },
  { id: 'list-4', question: 'show all events from 198.51.100.99', gold: `SELECT event_time, actor, action FROM events WHERE src_ip = '198.51.100.99'` },
  { id: 'list-5', question: "What did the root user do?", gold: `SELECT event_time, action, src_ip FROM events WHERE actor_type = 'Root'` },
  { id: 'list-6', question: 'Show StopLogging events', gold: `SELECT event_time, actor, src_ip FROM events WHERE action = 'StopLogging'` },
  { id: 'list-7', question: 'list privilege grants this week', gold: `SELECT event_time, actor, target FROM events WHERE identity_action = 'privilege_grant' AND ${THIS_WEEK}` },
  { id: 'list-8', question: 'Show me threats detected by okta', gold: `SELECT event_time, src_ip, action FROM events WHERE action = 'security.threat.detected' AND source = 'okta'` },
  { id: 'list-9', question: 'find all events by svc-backup-sync except GetObject', gold: `SELECT event_time, action FROM events WHERE actor = 'svc-backup-sync' AND action <> 'GetObject'` },
  { id: 'list-10', question: 'Show failed logins for paisley.brown@acme-demo.test', gold: `SELECT event_time, src_ip FROM events WHERE actor = 'paisley.brown@acme-demo.test' AND ${FAILED}` },
  { id: 'list-11', question: 'show me the last 5 failed logins', gold: `SELECT event_time, actor FROM events WHERE ${FAILED} ORDER BY event_time DESC LIMIT 5` },
  { id: 'list-12', question: 'What was the most recent root login?', gold: `SELECT event_time, src_ip FROM events WHERE actor_type = 'Root' AND action = 'ConsoleLogin' ORDER BY event_time DESC LIMIT 1` },
  { id: 'list-13', question: 'first 3 events today', gold: `SELECT event_time, action FROM events WHERE ${TODAY} ORDER BY event_time ASC LIMIT 3` },
  { id: 'list-14', question: 'Show AttachUserPolicy and CreateAccessKey events', gold: `SELECT event_time, actor, action FROM events WHERE action IN ('AttachUserPolicy', 'CreateAccessKey')` },
  { id: 'list-15', question: 'Show me accounts disabled this month', gold: `SELECT event_time, actor, target FROM events WHERE identity_action = 'account_disable' AND event_time >= '2026-11-01T00:00:00.000Z'` },
  { id: 'list-16', question: 'show the admin console access events', gold: `SELECT event_time, actor FROM events WHERE service = 'Okta Admin Console'` },
  { id: 'list-17', question: 'show failed logins from 203.0.113.0/24 on Nov 24', gold: `SELECT event_time, actor, src_ip FROM events WHERE src_ip LIKE '203.0.113.%' AND ${FAILED} AND ${NOV_24}` },
  { id: 'list-18', question: 'list denied requests in cloudtrail yesterday', gold: `SELECT event_time, actor, action FROM events WHERE source = 'cloudtrail' AND outcome = 'failure' AND outcome_reason LIKE '%Denied%' AND ${YESTERDAY}` },
  { id: 'list-19', question: 'Show PutBucketPolicy events', gold: `SELECT event_time, actor, target FROM events WHERE action = 'PutBucketPolicy'` },
  { id: 'list-20', question: 'show events by leah.torres from outside the United States', gold: `SELECT event_time, action, src_country FROM events WHERE actor = 'leah.torres@acme-demo.test' AND src_country IS NOT NULL AND src_country <> 'United States'` },
  { id: 'list-21', question: 'Show me console logins without MFA', gold: `SELECT event_time, actor FROM events WHERE action = 'ConsoleLogin' AND json_extract(raw, '$.additionalEventData.MFAUsed') = 'No'` },
  { id: 'list-22', question: 'list the DeleteBucketPublicAccessBlock events', gold: `SELECT event_time, actor, target FROM events WHERE action = 'DeleteBucketPublicAccessBlock'` },
  { id: 'list-23', question: 'show okta events from Romania on Tuesday', gold: `SELECT event_time, actor, action FROM events WHERE source = 'okta' AND src_country = 'Romania' AND ${NOV_24}` },
  { id: 'list-24', question: 'show accepted mfa pushes from Romania', gold: `SELECT event_time, actor FROM events WHERE identity_action = 'mfa_accept' AND src_country = 'Romania'` },
  { id: 'list-25', question: 'Show me the new users created this week', gold: `SELECT event_time, actor, target FROM events WHERE identity_action = 'account_create' AND ${THIS_WEEK}` },

  // Top-N and rankings
  { id: 'top-1', question: 'Which users had the most failed logins this week?', gold: `SELECT actor, COUNT(*) AS count FROM events WHERE ${FAILED} AND ${THIS_WEEK} GROUP BY actor ORDER BY count DESC, actor LIMIT 10` },
  { id: 'top-2', question: 'Top 10 source IPs by failed logins in the last 7 days', gold: `SELECT src_ip, COUNT(*) AS count FROM events WHERE ${FAILED} AND ${LAST_7D} GROUP BY src_ip ORDER BY count DESC, src_ip LIMIT 10` },
  { id: 'top-3', question: 'top 5 users by number of events today', gold: `SELECT actor, COUNT(*) AS count FROM events WHERE actor IS NOT NULL AND ${TODAY} GROUP BY actor ORDER BY count DESC, actor LIMIT 5` },
  { id: 'top-4', question: 'Most common actions in okta in the last 24 hours', gold: `SELECT action, COUNT(*) AS count FROM events WHERE source = 'okta' AND ${LAST_24H} GROUP BY action ORDER BY count DESC, action LIMIT 10` },
  { id: 'top-5', question: 'what are the top 3 countries for logins this week', gold: `SELECT src_country, COUNT(*) AS count FROM events WHERE ${LOGIN} AND src_country IS NOT NULL AND ${THIS_WEEK} GROUP BY src_country ORDER BY count DESC, src_country LIMIT 3` },
  { id: 'top-6', question: 'Which user had the most failed logins?', gold: `SELECT actor, COUNT(*) AS count FROM events WHERE ${FAILED} GROUP BY actor ORDER BY count DESC, actor LIMIT 1` },
  { id: 'top-7', question: 'which IP had the most failed logins this week', gold: `SELECT src_ip, COUNT(*) AS count FROM events WHERE ${FAILED} AND ${THIS_WEEK} GROUP BY src_ip ORDER BY count DESC, src_ip LIMIT 1` },
  { id: 'top-8', question: 'top services by events in the last 7 days', gold: `SELECT service, COUNT(*) AS count FROM events WHERE service IS NOT NULL AND ${LAST_7D} GROUP BY service ORDER BY count DESC, service LIMIT 10` },
  { id: 'top-9', question: 'most active users in cloudtrail yesterday', gold: `SELECT actor, COUNT(*) AS count FROM events WHERE source = 'cloudtrail' AND actor IS NOT NULL AND ${YESTERDAY} GROUP BY actor ORDER BY count DESC, actor LIMIT 10` },
  { id: 'top-10', question: 'top 5 apps by logins this week', gold: `SELECT service, COUNT(*) AS count FROM events WHERE ${LOGIN} AND service IS NOT NULL AND ${THIS_WEEK} GROUP BY service ORDER BY count DESC, service LIMIT 5` },
  { id: 'top-11', question: 'Which users were denied access the most in cloudtrail?', gold: `SELECT actor, COUNT(*) AS count FROM events WHERE source = 'cloudtrail' AND outcome = 'failure' AND outcome_reason LIKE '%denied%' GROUP BY actor ORDER BY count DESC, actor LIMIT 10` },
  { id: 'top-12', question: 'top 3 buckets by GetObject calls', gold: `SELECT target, COUNT(*) AS count FROM events WHERE action = 'GetObject' AND target IS NOT NULL GROUP BY target ORDER BY count DESC, target LIMIT 3` },
  { id: 'top-13', question: 'least common actions this week', gold: `SELECT action, COUNT(*) AS count FROM events WHERE ${THIS_WEEK} GROUP BY action ORDER BY count ASC, action LIMIT 10` },
  { id: 'top-14', question: 'top 5 ISPs by logins', gold: `SELECT src_asn_org, COUNT(*) AS count FROM events WHERE ${LOGIN} AND src_asn_org IS NOT NULL GROUP BY src_asn_org ORDER BY count DESC, src_asn_org LIMIT 5` },
  { id: 'top-15', question: 'Which country had the most failed logins in the last 7 days?', gold: `SELECT src_country, COUNT(*) AS count FROM events WHERE ${FAILED} AND src_country IS NOT NULL AND ${LAST_7D} GROUP BY src_country ORDER BY count DESC, src_country LIMIT 1` },
  { id: 'top-16', question: 'top user agents for failed logins', gold: `SELECT user_agent, COUNT(*) AS count FROM events WHERE ${FAILED} AND user_agent IS NOT NULL GROUP BY user_agent ORDER BY count DESC, user_agent LIMIT 10` },
  { id: 'top-17', question: 'most common event types in cloudtrail today', gold: `SELECT action, COUNT(*) AS count FROM events WHERE source = 'cloudtrail' AND ${TODAY} GROUP BY action ORDER BY count DESC, action LIMIT 10` },
  { id: 'top-18', question: 'which users received the most MFA pushes this week?', gold: `SELECT actor, COUNT(*) AS count FROM events WHERE identity_action = 'mfa_challenge' AND ${THIS_WEEK} GROUP BY actor ORDER BY count DESC, actor LIMIT 10` },
  { id: 'top-19', question: 'which user got the most mfa pushes this week?', gold: `SELECT actor, COUNT(*) AS count FROM events WHERE identity_action = 'mfa_challenge' AND ${THIS_WEEK} GROUP BY actor ORDER BY count DESC, actor LIMIT 1` },
  { id: 'top-20', question: 'users with the most MFA pushes this week', gold: `SELECT actor, COUNT(*) AS count FROM events WHERE identity_action = 'mfa_challenge' AND ${THIS_WEEK} GROUP BY actor ORDER BY count DESC, actor LIMIT 10` },

  // Group by
  { id: 'group-1', question: 'Failed logins by country since Monday', gold: `SELECT src_country, COUNT(*) AS count FROM events WHERE ${FAILED} AND src_country IS NOT NULL AND ${THIS_WEEK} GROUP BY src_country` },
  { id: 'group-2', question: 'events by source today', gold: `SELECT source, COUNT(*) AS count FROM events WHERE ${TODAY} GROUP BY source` },
  { id: 'group-3', question: 'logins by outcome this week', gold: `SELECT outcome, COUNT(*) AS count FROM events WHERE ${LOGIN} AND ${THIS_WEEK} GROUP BY outcome` },
  { id: 'group-4', question: 'count failed logins per user yesterday', gold: `SELECT actor, COUNT(*) AS count FROM events WHERE ${FAILED} AND ${YESTERDAY} GROUP BY actor` },
  { id: 'group-5', question: 'cloudtrail events by service in the last 24 hours', gold: `SELECT service, COUNT(*) AS count FROM events WHERE source = 'cloudtrail' AND ${LAST_24H} GROUP BY service` },
  { id: 'group-6', question: 'logins by country and city this week', gold: `SELECT src_country, src_city, COUNT(*) AS count FROM events WHERE ${LOGIN} AND src_country IS NOT NULL AND src_city IS NOT NULL AND ${THIS_WEEK} GROUP BY src_country, src_city` },
  { id: 'group-7', question: 'events per action for svc-backup-sync', gold: `SELECT action, COUNT(*) AS count FROM events WHERE actor = 'svc-backup-sync' GROUP BY action` },
  { id: 'group-8', question: 'Break down failed events by action in cloudtrail this week', gold: `SELECT action, COUNT(*) AS count FROM events WHERE outcome = 'failure' AND source = 'cloudtrail' AND ${THIS_WEEK} GROUP BY action` },
  { id: 'group-9', question: 'mfa events by factor', gold: `SELECT mfa_factor, COUNT(*) AS count FROM events WHERE identity_action IN ('mfa_challenge', 'mfa_accept', 'mfa_deny') AND mfa_factor IS NOT NULL GROUP BY mfa_factor` },
  { id: 'group-10', question: 'events by principal type in cloudtrail', gold: `SELECT actor_type, COUNT(*) AS count FROM events WHERE source = 'cloudtrail' GROUP BY actor_type` },
  { id: 'group-11', question: 'logins per source', gold: `SELECT source, COUNT(*) AS count FROM events WHERE ${LOGIN} GROUP BY source` },
  { id: 'group-12', question: 'How many failed logins per IP this week?', gold: `SELECT src_ip, COUNT(*) AS count FROM events WHERE ${FAILED} AND ${THIS_WEEK} GROUP BY src_ip` },
  { id: 'group-13', question: 'How many users logged in per country this week?', gold: `SELECT src_country, COUNT(DISTINCT actor) AS count FROM events WHERE ${LOGGED_IN} AND src_country IS NOT NULL AND ${THIS_WEEK} GROUP BY src_country` },
  { id: 'group-14', question: 'When did each user last log in from Romania?', gold: `SELECT actor, MAX(event_time) AS last_seen FROM events WHERE ${LOGGED_IN} AND src_country = 'Romania' GROUP BY actor` },
  { id: 'group-15', question: 'events by outcome for okta yesterday', gold: `SELECT outcome, COUNT(*) AS count FROM events WHERE source = 'okta' AND ${YESTERDAY} GROUP BY outcome` },
  { id: 'group-16', question: 'Who granted admin privileges this week?', gold: `SELECT actor, COUNT(*) AS count FROM events WHERE identity_action = 'privilege_grant' AND ${THIS_WEEK} GROUP BY actor` },
  { id: 'group-17', question: 'who failed to log in today', gold: `SELECT actor, COUNT(*) AS count FROM events WHERE ${FAILED} AND ${TODAY} GROUP BY actor` },
  { id: 'group-18', question: 'who logged in from Singapore?', gold: `SELECT actor, COUNT(*) AS count FROM events WHERE ${LOGGED_IN} AND src_country = 'Singapore' GROUP BY actor` },
  { id: 'group-19', question: 'Which users were granted admin rights?', gold: `SELECT target, COUNT(*) AS count FROM events WHERE identity_action = 'privilege_grant' GROUP BY target` },
  { id: 'group-20', question: 'where did leah torres log in from this week?', gold: `SELECT src_country, src_city, COUNT(*) AS count FROM events WHERE actor = 'leah.torres@acme-demo.test' AND ${LOGGED_IN} AND ${THIS_WEEK} AND src_country IS NOT NULL AND src_city IS NOT NULL GROUP BY src_country, src_city` },
  { id: 'group-21', question: 'where did leah.torres log in from last week?', gold: `SELECT src_country, src_city, COUNT(*) AS count FROM events WHERE actor = 'leah.torres@acme-demo.test' AND ${LOGGED_IN} AND ${LAST_WEEK} AND src_country IS NOT NULL AND src_city IS NOT NULL GROUP BY src_country, src_city` },

  // Distinct values
  { id: 'distinct-1', question: 'Which countries did users log in from yesterday?', gold: `SELECT DISTINCT src_country FROM events WHERE ${LOGGED_IN} AND src_country IS NOT NULL AND ${YESTERDAY}` },
  { id: 'distinct-2', question: 'What IPs did paisley.brown use this week?', gold: `SELECT DISTINCT src_ip FROM events WHERE ${PAISLEY} AND src_ip IS NOT NULL AND ${THIS_WEEK}` },
  { id: 'distinct-3', question: 'list the log sources', gold: `SELECT DISTINCT source FROM events` },
  { id: 'distinct-4', question: 'which services did svc-backup-sync use', gold: `SELECT DISTINCT service FROM events WHERE actor = 'svc-backup-sync' AND service IS NOT NULL` },
  { id: 'distinct-5', question: 'which users failed to log in from Romania?', gold: `SELECT DISTINCT actor FROM events WHERE ${FAILED} AND src_country = 'Romania'` },
  { id: 'distinct-6', question: 'What actions did the root account perform?', gold: `SELECT DISTINCT action FROM events WHERE actor_type = 'Root'` },
  { id: 'distinct-7', question: 'which users logged in from the UK today', gold: `SELECT DISTINCT actor FROM events WHERE ${LOGGED_IN} AND src_country = 'United Kingdom' AND ${TODAY}` },
  { id: 'distinct-8', question: 'show distinct user agents seen from 203.0.113.45', gold: `SELECT DISTINCT user_agent FROM events WHERE src_ip = '203.0.113.45' AND user_agent IS NOT NULL` },
  { id: 'distinct-9', question: 'what countries are in the data?', gold: `SELECT DISTINCT src_country FROM events WHERE src_country IS NOT NULL` },
  { id: 'distinct-10', question: 'Which apps did leah torres access on Nov 20?', gold: `SELECT DISTINCT service FROM events WHERE actor = 'leah.torres@acme-demo.test' AND service IS NOT NULL AND ${within('2026-11-20T00:00:00.000Z', '2026-11-21T00:00:00.000Z')}` },
  { id: 'distinct-11', question: 'which admins logged in this week', gold: `SELECT DISTINCT actor FROM events WHERE ${ADMINS} AND ${LOGGED_IN} AND ${THIS_WEEK}` },
  { id: 'distinct-12', question: 'which users had denied MFA pushes?', gold: `SELECT DISTINCT actor FROM events WHERE identity_action = 'mfa_deny'` },
  { id: 'distinct-13', question: 'which cities did lars lopez log in from', gold: `SELECT DISTINCT src_city FROM events WHERE actor = 'lars.lopez@acme-demo.test' AND ${LOGGED_IN} AND src_city IS NOT NULL` },
  { id: 'distinct-14', question: 'which actions failed in cloudtrail this week?', gold: `SELECT DISTINCT action FROM events WHERE source = 'cloudtrail' AND outcome = 'failure' AND ${THIS_WEEK}` },

  // First / last occurrence
  { id: 'when-1', question: 'When did the root user last log in?', gold: `SELECT MAX(event_time) AS last_seen FROM events WHERE actor_type = 'Root' AND action = 'ConsoleLogin'` },
  { id: 'when-2', question: 'when was StopLogging called?', gold: `SELECT MIN(event_time) AS first_seen, MAX(event_time) AS last_seen FROM events WHERE action = 'StopLogging'` },
  { id: 'when-3', question: 'When did paisley.brown first log in from Romania?', gold: `SELECT MIN(event_time) AS first_seen FROM events WHERE ${PAISLEY} AND ${LOGGED_IN} AND src_country = 'Romania'` },
  { id: 'when-4', question: 'last time svc-backup-sync was used', gold: `SELECT MAX(event_time) AS last_seen FROM events WHERE actor = 'svc-backup-sync'` },
  { id: 'when-5', question: 'when did we first see 203.0.113.45?', gold: `SELECT MIN(event_time) AS first_seen FROM events WHERE src_ip = '203.0.113.45'` },
  { id: 'when-6', question: 'When was the last privilege grant?', gold: `SELECT MAX(event_time) AS last_seen FROM events WHERE identity_action = 'privilege_grant'` },
  { id: 'when-7', question: 'When did lars.lopez last sign in?', gold: `SELECT MAX(event_time) AS last_seen FROM events WHERE actor = 'lars.lopez@acme-demo.test' AND ${LOGGED_IN}` },
  { id: 'when-8', question: 'when did the first failed login happen this week', gold: `SELECT MIN(event_time) AS first_seen FROM events WHERE ${FAILED} AND ${THIS_WEEK}` },
  { id: 'when-9', question: 'When did someone last log in from Singapore?', gold: `SELECT MAX(event_time) AS last_seen FROM events WHERE ${LOGGED_IN} AND src_country = 'Singapore'` },
  { id: 'when-10', question: 'when was the last threat detected', gold: `SELECT MAX(event_time) AS last_seen FROM events WHERE action = 'security.threat.detected'` },

  // Trends over time
  { id: 'trend-1', question: 'Logins per day this week', gold: `SELECT substr(event_time, 1, 10) AS day, COUNT(*) AS count FROM events WHERE ${LOGIN} AND ${THIS_WEEK} GROUP BY day` },
  { id: 'trend-2', question: 'failed logins per hour on Nov 24', gold: `SELECT substr(event_time, 1, 13) || ':00Z' AS hour, COUNT(*) AS count FROM events WHERE ${FAILED} AND ${NOV_24} GROUP BY hour` },
  { id: 'trend-3', question: 'daily cloudtrail events in the last 7 days', gold: `SELECT substr(event_time, 1, 10) AS day, COUNT(*) AS count FROM events WHERE source = 'cloudtrail' AND ${LAST_7D} GROUP BY day` },
  { id: 'trend-4', question: 'hourly events today', gold: `SELECT substr(event_time, 1, 13) || ':00Z' AS hour, COUNT(*) AS count FROM events WHERE ${TODAY} GROUP BY hour` },
  { id: 'trend-5', question: 'failed logins over time', gold: `SELECT substr(event_time, 1, 10) AS day, COUNT(*) AS count FROM events WHERE ${FAILED} GROUP BY day` },
  { id: 'trend-6', question: 'trend of GetObject calls in the last 24 hours', gold: `SELECT substr(event_time, 1, 13) || ':00Z' AS hour, COUNT(*) AS count FROM events WHERE action = 'GetObject' AND ${LAST_24H} GROUP BY hour` },
  { id: 'trend-7', question: 'logins per day by source this week', gold: `SELECT substr(event_time, 1, 10) AS day, source, COUNT(*) AS count FROM events WHERE ${LOGIN} AND ${THIS_WEEK} GROUP BY day, source` },
  { id: 'trend-8', question: 'How many events per day from okta last week?', gold: `SELECT substr(event_time, 1, 10) AS day, COUNT(*) AS count FROM events WHERE source = 'okta' AND ${LAST_WEEK} GROUP BY day` },
  { id: 'trend-9', question: 'daily failed logins from Romania', gold: `SELECT substr(event_time, 1, 10) AS day, COUNT(*) AS count FROM events WHERE ${FAILED} AND src_country = 'Romania' GROUP BY day` },
  { id: 'trend-10', question: 'denied MFA pushes per hour yesterday', gold: `SELECT substr(event_time, 1, 13) || ':00Z' AS hour, COUNT(*) AS count FROM events WHERE identity_action = 'mfa_deny' AND ${YESTERDAY} GROUP BY hour` },

  // Time phrases
  { id: 'time-1', question: 'how many events in the last hour', gold: `SELECT COUNT(*) FROM events WHERE ${within('2026-11-27T15:00:00.000Z')}` },
  { id: 'time-2', question: 'How many failed logins between Nov 20 and Nov 22?', gold: `SELECT COUNT(*) FROM events WHERE ${FAILED} AND ${within('2026-11-20T00:00:00.000Z', '2026-11-23T00:00:00.000Z')}` },
  { id: 'time-3', question: 'failed logins on 2026-11-24', gold: `SELECT event_time, actor FROM events WHERE ${FAILED} AND ${NOV_24}` },
  { id: 'time-4', question: 'How many logins since Nov 25?', gold: `SELECT COUNT(*) FROM events WHERE ${LOGIN} AND ${within('2026-11-25T00:00:00.000Z')}` },
  { id: 'time-5', question: 'number of events over the weekend', gold: `SELECT COUNT(*) FROM events WHERE ${within('2026-11-21T00:00:00.000Z', '2026-11-23T00:00:00.000Z')}` },
  { id: 'time-6', question: 'how many failed logins last Friday', gold: `SELECT COUNT(*) FROM events WHERE ${FAILED} AND ${within('2026-11-20T00:00:00.000Z', '2026-11-21T00:00:00.000Z')}` },
  { id: 'time-7', question: 'How many events in the past 3 days?', gold: `SELECT COUNT(*) FROM events WHERE ${within('2026-11-24T16:00:00.000Z')}` },
  { id: 'time-8', question: 'how many events in October?', gold: `SELECT COUNT(*) FROM events WHERE ${within('2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')}` },
  { id: 'time-9', question: 'how many okta events this month', gold: `SELECT COUNT(*) FROM events WHERE source = 'okta' AND ${within('2026-11-01T00:00:00.000Z')}` },
  { id: 'time-10', question: 'count logins in the last 48 hours', gold: `SELECT COUNT(*) FROM events WHERE ${LOGIN} AND ${within('2026-11-25T16:00:00.000Z')}` },
  { id: 'time-11', question: 'how many events in the last 2 weeks', gold: `SELECT COUNT(*) FROM events WHERE ${within('2026-11-13T16:00:00.000Z')}` },
  { id: 'time-12', question: 'number of events from 2026-11-20 to 2026-11-21', gold: `SELECT COUNT(*) FROM events WHERE ${within('2026-11-20T00:00:00.000Z', '2026-11-22T00:00:00.000Z')}` },
  { id: 'time-13', question: 'failed logins after Nov 25', gold: `SELECT event_time, actor FROM events WHERE ${FAILED} AND ${within('2026-11-26T00:00:00.000Z')}` },
  { id: 'time-14', question: 'How many failed logins 3 days ago?', gold: `SELECT COUNT(*) FROM events WHERE ${FAILED} AND ${NOV_24}` },
  { id: 'time-15', question: 'how many events on Wednesday?', gold: `SELECT COUNT(*) FROM events WHERE ${within('2026-11-25T00:00:00.000Z', '2026-11-26T00:00:00.000Z')}` },
  { id: 'time-16', question: 'How many failed logins since Monday?', gold: `SELECT COUNT(*) FROM events WHERE ${FAILED} AND ${THIS_WEEK}` },

  // Entities: names, codes, aliases
  { id: 'entity-1', question: "Show paisley's failed logins", gold: `SELECT event_time, src_ip FROM events WHERE ${PAISLEY} AND ${FAILED}` },
  { id: 'entity-2', question: 'how many events by Paisley Brown today', gold: `SELECT COUNT(*) FROM events WHERE ${PAISLEY} AND ${TODAY}` },
  { id: 'entity-3', question: 'logins from RO', gold: `SELECT event_time, actor FROM events WHERE src_country = 'Romania' AND ${LOGIN}` },
  { id: 'entity-4', question: 'how many logins from the USA this week', gold: `SELECT COUNT(*) FROM events WHERE src_country = 'United States' AND ${LOGIN} AND ${THIS_WEEK}` },
  { id: 'entity-5', question: 'how many logins from Great Britain yesterday', gold: `SELECT COUNT(*) FROM events WHERE src_country = 'United Kingdom' AND ${LOGIN} AND ${YESTERDAY}` },
  { id: 'entity-6', question: 'how many events from aws today', gold: `SELECT COUNT(*) FROM events WHERE source = 'cloudtrail' AND ${TODAY}` },
  { id: 'entity-7', question: 'how many IAM events this week?', gold: `SELECT COUNT(*) FROM events WHERE service = 'iam.amazonaws.com' AND ${THIS_WEEK}` },
  { id: 'entity-8', question: 'How many Salesforce logins yesterday?', gold: `SELECT COUNT(*) FROM events WHERE service = 'Salesforce.com' AND ${LOGIN} AND ${YESTERDAY}` },
  { id: 'entity-9', question: 'how many console logins this week', gold: `SELECT COUNT(*) FROM events WHERE action = 'ConsoleLogin' AND ${THIS_WEEK}` },
  { id: 'entity-10', question: 'How many events from Indian IPs today?', gold: `SELECT COUNT(*) FROM events WHERE src_country = 'India' AND ${TODAY}` },
  { id: 'entity-11', question: 'count events from 2001:db8::1', gold: `SELECT COUNT(*) FROM events WHERE src_ip = '2001:db8::1'` },
  { id: 'entity-12', question: 'how many events from Canada or Australia today', gold: `SELECT COUNT(*) FROM events WHERE src_country IN ('Canada', 'Australia') AND ${TODAY}` },
  { id: 'entity-13', question: 'How many logins from China?', gold: `SELECT COUNT(*) FROM events WHERE src_country = 'China' AND ${LOGIN}` },
  { id: 'entity-14', question: 'count non-US logins today', gold: `SELECT COUNT(*) FROM events WHERE src_country <> 'United States' AND ${LOGIN} AND ${TODAY}` },
  { id: 'entity-15', question: 'How many events by EngineerAccess/paisley.brown yesterday?', gold: `SELECT COUNT(*) FROM events WHERE actor = 'EngineerAccess/paisley.brown' AND ${YESTERDAY}` },
  { id: 'entity-16', question: 'how many events not from okta today', gold: `SELECT COUNT(*) FROM events WHERE source <> 'okta' AND ${TODAY}` },
  { id: 'entity-17', question: 'how many events by non-admins today', gold: `SELECT COUNT(*) FROM events WHERE NOT ${ADMINS} AND ${TODAY}` },
  { id: 'entity-18', question: 'How many events by admins this week?', gold: `SELECT COUNT(*) FROM events WHERE ${ADMINS} AND ${THIS_WEEK}` },
  { id: 'entity-19', question: 'how many events for user "o\'brien"', gold: `SELECT COUNT(*) FROM events WHERE actor = 'o''brien'` },
  { id: 'entity-20', question: 'how many stop logging events', gold: `SELECT COUNT(*) FROM events WHERE action = 'StopLogging'` },
  { id: 'entity-21', question: 'How many user.session.start events failed?', gold: `SELECT COUNT(*) FROM events WHERE action = 'user.session.start' AND outcome = 'failure'` },
  { id: 'entity-22', question: 'How many Google Workspace sign-ins today?', gold: `SELECT COUNT(*) FROM events WHERE service = 'Google Workspace' AND ${LOGIN} AND ${TODAY}` },

  // Follow-up chains
  { id: 'follow-1', question: 'only failed ones', history: ['logins from Romania'], gold: `SELECT event_time, actor FROM events WHERE src_country = 'Romania' AND ${FAILED}` },
  { id: 'follow-2', question: 'now by user', history: ['failed logins this week'], gold: `SELECT actor, COUNT(*) AS count FROM events WHERE ${FAILED} AND ${THIS_WEEK} GROUP BY actor` },
  { id: 'follow-3', question: 'what about yesterday?', history: ['How many failed logins this week?'], gold: `SELECT COUNT(*) FROM events WHERE ${FAILED} AND ${YESTERDAY}` },
  { id: 'follow-4', question: 'and from Germany?', history: ['How many logins from Romania this week?'], gold: `SELECT COUNT(*) FROM events WHERE ${LOGIN} AND src_country = 'Germany' AND ${THIS_WEEK}` },
  { id: 'follow-5', question: 'only admins', history: ['How many events today?'], gold: `SELECT COUNT(*) FROM events WHERE ${ADMINS} AND ${TODAY}` },
  { id: 'follow-6', question: 'just okta', history: ['events by action yesterday'], gold: `SELECT action, COUNT(*) AS count FROM events WHERE source = 'okta' AND ${YESTERDAY} GROUP BY action` },
  { id: 'follow-7', question: 'per day', history: ['How many failed logins in the last 7 days?'], gold: `SELECT substr(event_time, 1, 10) AS day, COUNT(*) AS count FROM events WHERE ${FAILED} AND ${LAST_7D} GROUP BY day` },
  { id: 'follow-8', question: 'now by country', history: ['How many logins this week?', 'only failed ones'], gold: `SELECT src_country, COUNT(*) AS count FROM events WHERE ${FAILED} AND src_country IS NOT NULL AND ${THIS_WEEK} GROUP BY src_country` },
  { id: 'follow-9', question: 'what about last week?', history: ['Which users had the most failed logins this week?'], gold: `SELECT actor, COUNT(*) AS count FROM events WHERE ${FAILED} AND ${LAST_WEEK} GROUP BY actor ORDER BY count DESC, actor LIMIT 10` },
  { id: 'follow-10', question: 'excluding the US', history: ['logins by country today'], gold: `SELECT src_country, COUNT(*) AS count FROM events WHERE ${LOGIN} AND src_country IS NOT NULL AND src_country <> 'United States' AND ${TODAY} GROUP BY src_country` },
  { id: 'follow-11', question: 'how many?', history: ['show denied MFA pushes'], gold: `SELECT COUNT(*) FROM events WHERE identity_action = 'mfa_deny'` },
  { id: 'follow-12', question: 'what about for lucas.howard?', history: ['How many failed logins did omar.cook have this week?'], gold: `SELECT COUNT(*) FROM events WHERE actor = 'lucas.howard@acme-demo.test' AND ${FAILED} AND ${THIS_WEEK}` },
  { id: 'follow-13', question: 'only from 203.0.113.45', history: ['failed logins on Nov 24', 'by user'], gold: `SELECT actor, COUNT(*) AS count FROM events WHERE ${FAILED} AND src_ip = '203.0.113.45' AND ${NOV_24} GROUP BY actor` },
  { id: 'follow-14', question: 'only successful ones', history: ['logins from Singapore'], gold: `SELECT event_time, actor FROM events WHERE src_country = 'Singapore' AND ${LOGGED_IN}` },
  { id: 'follow-15', question: 'same for cloudtrail', history: ['most common actions in okta today'], gold: `SELECT action, COUNT(*) AS count FROM events WHERE source = 'cloudtrail' AND ${TODAY} GROUP BY action ORDER BY count DESC, action LIMIT 10` },
  { id: 'follow-16', question: 'show them', history: ['How many console logins without MFA?'], gold: `SELECT event_time, actor FROM events WHERE action = 'ConsoleLogin' AND json_extract(raw, '$.additionalEventData.MFAUsed') = 'No'` },

  // Alerts (the evaluation database has no alerts: these check the SQL runs and answers empty)
  { id: 'alert-1', question: 'How many open alerts by severity?', gold: `SELECT severity, COUNT(*) AS count FROM alerts WHERE status = 'open' GROUP BY severity` },
  { id: 'alert-2', question: 'show high severity alerts from the last 24 hours', gold: `SELECT id FROM alerts WHERE severity = 'high' AND last_seen >= '2026-11-26T16:00:00.000Z' AND last_seen < '${NOW}'` },
  { id: 'alert-3', question: 'count of alerts this week', gold: `SELECT COUNT(*) FROM alerts WHERE last_seen >= '2026-11-23T00:00:00.000Z' AND last_seen < '${NOW}'` },

  // Must refuse: out of scope, judgement, ambiguous, unsafe, unsupported shapes
  { id: 'refuse-1', question: "What's the weather in London?", gold: null },
  { id: 'refuse-2', question: 'delete all events from yesterday', gold: null },
  { id: 'refuse-3', question: "'; DROP TABLE events; --", gold: null },
  { id: 'refuse-4', question: 'Which users are suspicious?', gold: null },
  { id: 'refuse-5', question: 'failed logins by department', gold: null },
  { id: 'refuse-6', question: 'show events from caroline', gold: null },
  { id: 'refuse-7', question: 'how many logins from paisly this week', gold: null },
  { id: 'refuse-8', question: 'users with more than 5 failed logins', gold: null },
  { id: 'refuse-9', question: 'What is the average session length?', gold: null },
  { id: 'refuse-10', question: 'why was paisley brown compromised?', gold: null },
  { id: 'refuse-11', question: 'compare failed logins this week to last week', gold: null },
  { id: 'refuse-12', question: 'update the alerts to closed', gold: null },
  { id: 'refuse-13', question: 'show me anomalous logins', gold: null },
  { id: 'refuse-14', question: 'failed logins this week and last month', gold: null },
  { id: 'entity-23', question: 'events from user "x\' OR 1=1 --"', gold: `SELECT event_time FROM events WHERE actor = 'x'' OR 1=1 --'` },
  { id: 'refuse-16', question: 'list the tables in the database', gold: null },
  { id: 'refuse-17', question: 'logins that did not use a VPN', gold: null },
  { id: 'refuse-18', question: 'show me impossible travel', gold: null },
  { id: 'refuse-19', question: 'predict the next attack', gold: null },
  { id: 'refuse-20', question: 'select * from sqlite_master', gold: null },
  { id: 'refuse-21', question: 'how many failed logins did chen have', gold: null },
  { id: 'refuse-22', question: 'logins from Atlantis', gold: null },
];
