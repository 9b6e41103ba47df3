/**
 * What a model must know about each SQL dialect to write a query our validator accepts and the engine runs:
 * the engine's name, how times are stored and compared, bucketing, JSON access, and the limits the validator
 * enforces (one SELECT, a LIMIT of at most 10,000, a time bound on event_time).
 */
import { sqliteFunctions } from '../../sql/query-policy';
import type { QueryDialect } from '../dialect';

const common = [
  'Write exactly one read-only SELECT statement (WITH … SELECT is allowed). Never write INSERT, UPDATE, DELETE, DDL, PRAGMA, ATTACH or more than one statement, and no comments.',
  'Only use the tables and columns listed in the schema.',
  'Always bound event_time (or first_seen/last_seen for alerts) with an explicit range; when the question gives no time, use the last 24 hours and say so in assumptions.',
  'Always end with a LIMIT of at most 10000 (use 100 for lists unless the question asks for more).',
  'Match entity values exactly as they appear in the sample values (same spelling and case); compare emails in lower case.',
  'Weeks start on Monday 00:00 UTC; "today", "yesterday", "this week", "last month" are UTC calendar ranges relative to the given now.',
  'List every interpretation you made in assumptions (time window, which column stands for "user" or "country", what "failed" means).',
  'If the question cannot be answered from these tables, return sql = "" and explain why in explanation.',
];

const byDialect: Record<QueryDialect, { engine: string; rules: readonly string[] }> = {
  d1: {
    engine: 'SQLite (Cloudflare D1)',
    rules: [
      "Times are TEXT like '2026-11-27T16:18:41.000Z': compare them as strings with literals of exactly that form, e.g. event_time >= '2026-11-20T00:00:00.000Z' AND event_time < '2026-11-27T00:00:00.000Z'.",
      "Bucket by hour with strftime('%Y-%m-%dT%H:00:00Z', event_time) and by day with substr(event_time, 1, 10).",
      "Read vendor fields with json_extract(raw, '$.path.to.field').",
      'There is no ILIKE: LIKE is already case-insensitive for ASCII. Booleans are 0/1.',
      `Use only these functions: ${sqliteFunctions.join(', ')}.`,
    ],
  },
  athena: {
    engine: 'Amazon Athena (Trino SQL)',
    rules: [
      "event_time is an ISO-8601 string: compare it with string literals of the same form, or convert with from_iso8601_timestamp(event_time).",
      "Bucket with date_trunc('hour', from_iso8601_timestamp(event_time)).",
      "Read vendor fields with json_extract_scalar(raw, '$.path.to.field').",
      'Quote identifiers with double quotes only when needed; string literals use single quotes.',
    ],
  },
  bigquery: {
    engine: 'Google BigQuery (GoogleSQL)',
    rules: [
      "event_time is an ISO-8601 string: compare with string literals of the same form, or TIMESTAMP(event_time).",
      'Bucket with TIMESTAMP_TRUNC(TIMESTAMP(event_time), HOUR).',
      "Read vendor fields with JSON_VALUE(raw, '$.path.to.field').",
      'Use the table names as given (no project or dataset prefix): the engine qualifies them.',
    ],
  },
  synapse: {
    engine: 'Azure Synapse serverless SQL (T-SQL)',
    rules: [
      "event_time is an ISO-8601 string: compare with string literals of the same form, or CAST(event_time AS datetime2).",
      'Bucket with DATETRUNC(hour, CAST(event_time AS datetime2)).',
      "Read vendor fields with JSON_VALUE(raw, '$.path.to.field').",
      'Limit rows with SELECT TOP (n) … (at most 10000) instead of LIMIT.',
    ],
  },
};

export function dialectEngineName(dialect: QueryDialect): string {
  return byDialect[dialect].engine;
}

/** The numbered rules for one dialect, as prompt text. */
export function renderDialectRules(dialect: QueryDialect): string {
  const rules = dialect === 'synapse' ? common.map((r) => (r.startsWith('Always end with a LIMIT') ? 'Always cap the rows with TOP (n), n at most 10000 (100 for lists unless the question asks for more).' : r)) : common;
  return [...rules, ...byDialect[dialect].rules].map((r, i) => `${i + 1}. ${r}`).join('\n');
}
