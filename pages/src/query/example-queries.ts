/**
 * Starter queries offered as chips on the Query page's SQL tab. Each is a single read-only SELECT over `events`
 * that the API's SQL validator accepts.
 */

export interface ExampleQuery {
  label: string;
  sql: string;
}

export const latestEventsQuery: ExampleQuery = {
  label: 'Latest events',
  sql: `SELECT event_time, source, action, actor, src_ip, outcome
FROM events
ORDER BY event_time DESC
LIMIT 100`,
};

export const exampleQueries: readonly ExampleQuery[] = [
  latestEventsQuery,
  {
    label: 'Failed sign-ins by user (7 days)',
    // event_time is ISO-8601 text (2026-11-27T16:18:41.000Z); strftime builds the bound in the same form.
    sql: `SELECT actor, count(*) AS failures
FROM events
WHERE identity_action IN ('auth_failure', 'mfa_deny')
  AND event_time >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-7 days')
GROUP BY actor
ORDER BY failures DESC
LIMIT 50`,
  },
  {
    label: 'Events per source',
    sql: `SELECT source, count(*) AS events, min(event_time) AS first, max(event_time) AS last
FROM events
GROUP BY source`,
  },
  {
    label: 'Sign-ins by country',
    sql: `SELECT src_country, count(*) AS n
FROM events
WHERE identity_action IN ('auth_success','session_start')
GROUP BY src_country
ORDER BY n DESC`,
  },
  {
    label: 'CloudTrail API calls by principal',
    sql: `SELECT actor, service, action, count(*) AS n
FROM events
WHERE source = 'cloudtrail'
GROUP BY 1,2,3
ORDER BY n DESC
LIMIT 50`,
  },
];
