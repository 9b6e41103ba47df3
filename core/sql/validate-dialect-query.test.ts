import { describe, expect, it } from 'vitest';
import { lakeQueryPolicy, validateLakeQuery, type LakeDialect } from './validate-dialect-query';

const policy = lakeQueryPolicy(['events', 'alerts'], ['mantissa', 'acme-prod.mantissa']);

describe.each<[LakeDialect, string, string]>([
  ['athena', "SELECT actor, count(*) AS n FROM events WHERE event_time >= timestamp '2026-11-01 00:00:00' GROUP BY actor ORDER BY n DESC LIMIT 10", 'SELECT * FROM mantissa.events LIMIT 5'],
  ['bigquery', "SELECT actor, COUNT(*) AS n FROM `acme-prod.mantissa.events` WHERE event_time >= TIMESTAMP '2026-11-01' GROUP BY actor ORDER BY n DESC LIMIT 10", 'SELECT * FROM mantissa.events LIMIT 5'],
  ['synapse', "SELECT TOP 10 actor, COUNT(*) AS n FROM events WHERE event_time >= '2026-11-01' GROUP BY actor ORDER BY n DESC", 'SELECT TOP 5 * FROM mantissa.events'],
])('%s', (dialect, typical, qualified) => {
  it('accepts a typical analyst query and a qualified table', () => {
    for (const sql of [typical, qualified, 'WITH x AS (SELECT actor FROM events) SELECT actor FROM x']) {
      const result = validateLakeQuery(sql, dialect, policy);
      expect(result.ok ? result.tables : result.message).toEqual(['events']);
    }
  });

  it.each([
    ['SELECT 1; DROP TABLE events', ['multiple_statements', 'parse_error']],
    ['DROP TABLE events', ['not_select', 'parse_error']],
    ["DELETE FROM events WHERE actor = 'x'", ['not_select', 'parse_error']],
    ["INSERT INTO events (actor) VALUES ('x')", ['not_select', 'parse_error']],
    ['SELECT * FROM secrets', ['table_not_allowed']],
    ['SELECT * FROM other_dataset.events', ['table_not_allowed']],
    ['SELECT * FROM information_schema.tables', ['table_not_allowed']],
    ['SELECT actor FROM events UNION ALL SELECT table_name FROM information_schema.columns', ['table_not_allowed']],
    ['SELECT * FROM events WHERE actor IN (SELECT name FROM secrets)', ['table_not_allowed']],
    ['WITH events AS (SELECT * FROM secrets) SELECT * FROM events', ['table_not_allowed']],
    ['SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT * FROM events) a) b) c) d', ['too_deep']],
    ['', ['empty']],
    ['SELEC * FROM events', ['parse_error']],
  ])('refuses %s', (sql, reasons) => {
    const result = validateLakeQuery(sql, dialect, policy);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(reasons).toContain(result.reason);
      expect(result.message.length).toBeGreaterThan(15);
    }
  });
});

describe('dialect-specific refusals', () => {
  it.each<[LakeDialect, string, string]>([
    ['athena', 'SELECT * FROM events LIMIT 1000000', 'limit_too_large'],
    ['bigquery', 'SELECT * FROM events LIMIT 99999999', 'limit_too_large'],
    ['bigquery', 'SELECT * FROM mantissa.INFORMATION_SCHEMA.TABLES', 'table_not_allowed'],
    ['bigquery', 'SELECT * FROM `other-project.mantissa.events`', 'table_not_allowed'],
    ['synapse', 'SELECT TOP 1000000 * FROM events', 'limit_too_large'],
    ['synapse', 'SELECT * FROM sys.objects', 'table_not_allowed'],
    ['synapse', 'SELECT * INTO stolen FROM events', 'not_select'],
    ['athena', 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c', 'recursive_cte'],
    ['athena', 'SELECT * FROM events UNION ALL SELECT * FROM information_schema.columns', 'table_not_allowed'],
    ['athena', 'SELECT * FROM system.runtime.queries', 'parse_error'],
    ['bigquery', "SELECT * FROM EXTERNAL_QUERY('conn', 'SELECT 1')", 'function_not_allowed'],
    ['bigquery', "SELECT * FROM events WHERE actor = 'a' /* x */; DROP TABLE events", 'multiple_statements'],
    ['synapse', "SELECT * FROM OPENROWSET(BULK 'https://x.blob.core.windows.net/c/*.parquet', FORMAT = 'PARQUET') AS r", 'parse_error'],
    ['synapse', 'SELECT TOP 10 * FROM events; EXEC sp_who', 'multiple_statements'],
    ['synapse', "SELECT * FROM events WHERE actor = 'x'; DROP TABLE events --'", 'multiple_statements'],
    ['synapse', 'SELECT actor FROM events ORDER BY actor OFFSET 0 ROWS FETCH NEXT 1000000 ROWS ONLY', 'limit_too_large'],
    ['athena', 'SELECT * FROM (WITH secrets AS (SELECT 1 AS a) SELECT a FROM secrets) t, secrets', 'table_not_allowed'],
    ['bigquery', 'SELECT * FROM (WITH secrets AS (SELECT 1 AS a) SELECT a FROM secrets) t CROSS JOIN secrets', 'table_not_allowed'],
    ['synapse', 'WITH c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c', 'recursive_cte'],
    ['athena', 'WITH x AS (SELECT actor FROM events), y AS (SELECT * FROM y) SELECT * FROM y', 'recursive_cte'],
  ])('%s refuses %s', (dialect, sql, reason) => {
    const result = validateLakeQuery(sql, dialect, policy);
    expect(result.ok ? `accepted: ${result.sql}` : result.reason).toBe(reason);
  });
});

it('names the table function it refused', () => {
  const result = validateLakeQuery("SELECT * FROM EXTERNAL_QUERY('conn', 'SELECT 1')", 'bigquery', policy);
  expect(result.ok ? '' : result.message).toBe('Table function external_query() is not allowed in FROM.');
});
