/**
 * Queries on a lake engine inside workerd: with QUERY_ENGINE naming Athena or BigQuery, POST /api/query and
 * analyst SQL sent as /api/query {sql} go through the configuration (adapters/query-engines.ts), the lake dialect's
 * validator and rewrites (core/sql/lake-sql-support.ts), the cost estimate (BigQuery's dry run) and the real
 * engine adapters, which call the loopback fakes of test/fakes/group-lake.ts through the outbound guard. The fakes
 * answer only what they are scripted for, so each test first sees the exact SQL the Worker sends, then scripts it.
 */
import { beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Role } from '../core/auth/roles';
import { callWithVars, tokensByRole } from './helpers';

let tokens: Record<Role, string>;
beforeAll(async () => {
  tokens = await tokensByRole();
});

const ports = () => inject('fakePorts');
const week = "event_time >= '2026-11-20T00:00:00.000Z' AND event_time < '2026-11-27T00:00:00.000Z'";
const fakeOrigin = (name: string) => `http://127.0.0.1:${ports()[name]}`;

async function admin(fake: string, action: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${fakeOrigin(fake)}/__fake/${action}`, { method: 'POST', body: JSON.stringify(body ?? {}), headers: { 'content-type': 'application/json' } });
  return res.json();
}

const bigQueryVars = () => ({
  QUERY_ENGINE: 'bigquery',
  BIGQUERY_PROJECT: 'acme-siem',
  BIGQUERY_DATASET: 'mantissa_lake',
  BIGQUERY_LOCATION: 'europe-west4',
  BIGQUERY_SERVICE_ACCOUNT_KEY: inject('bigQueryFakeKey'),
  BIGQUERY_API_URL: fakeOrigin('lakeBigQuery'),
  BIGQUERY_TOKEN_URL: `${fakeOrigin('lakeBigQueryOAuth')}/token`,
  NLQ_PROVIDER: 'offline',
  NLQ_CONFIRM_USD: '100',
});

const athenaVars = () => ({
  QUERY_ENGINE: 'athena',
  ATHENA_REGION: 'us-east-1',
  ATHENA_WORKGROUP: 'mantissa',
  ATHENA_DATABASE: 'mantissa_lake',
  ATHENA_ACCESS_KEY_ID: 'AKIAIOSFODNN7ATHENA1',
  ATHENA_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYATHENAKEY',
  ATHENA_ENDPOINT: fakeOrigin('lakeAthena'),
});

async function post(vars: Record<string, string>, path: string, token: string | undefined, json: unknown) {
  const res = await callWithVars(vars as never, 'POST', path, {
    ...(token ? { token } : {}),
    body: JSON.stringify(json),
    headers: { 'content-type': 'application/json' },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string; details?: Record<string, unknown> } } };
}

/** The SQL the Worker sent, from the error a fake answers to an unscripted query. */
function sentSql(body: { error?: { details?: Record<string, unknown> } } & Record<string, unknown>): string {
  const sql = (body.error?.details?.sql ?? body.sql) as string | undefined;
  expect(typeof sql).toBe('string');
  return sql!;
}

describe('POST /api/query on BigQuery', () => {
  beforeEach(async () => {
    await admin('lakeBigQuery', 'reset');
  });

  const question = {
    question: 'failed logins by user',
    // Without a time range: the pipeline bounds it to the last 24 h (up to the end of the current minute).
    sql: "SELECT actor, count(*) AS failures FROM events WHERE identity_action = 'auth_failure' GROUP BY actor ORDER BY failures DESC",
  };

  it('runs the bounded, limited BigQuery SQL and prices it with a dry run', async () => {
    // 1. Unscripted: the fake refuses, and the refusal shows the SQL the pipeline produced.
    const first = await post(bigQueryVars(), '/api/query', tokens.analyst, question);
    expect(first.status).toBe(400);
    expect(first.body.error!.message).toContain('no result is scripted');
    const sql = sentSql(first.body);
    expect(sql).toMatch(/^SELECT actor, COUNT\(\*\) AS failures FROM \(SELECT \* FROM events WHERE event_time >= '[^']+' AND event_time < '[^']+' AND `date` BETWEEN '[\d-]+' AND '[\d-]+'\) AS events WHERE identity_action = 'auth_failure'/);
    expect(sql).toContain('`date` BETWEEN');
    expect(sql).toMatch(/LIMIT 1000$/);

    // 2. Scripted: rows come back typed, and the estimate is BigQuery's own dry-run figure.
    await admin('lakeBigQuery', 'script', {
      queries: [
        {
          sql,
          schema: [
            { name: 'actor', type: 'STRING' },
            { name: 'failures', type: 'INTEGER' },
          ],
          rows: [
            ['alice@acme.test', 7],
            ['bob@acme.test', 2],
          ],
          totalBytesProcessed: 3 * 2 ** 40,
        },
      ],
    });
    const second = await post(bigQueryVars(), '/api/query', tokens.analyst, question);
    expect(second.status).toBe(200);
    expect(second.body.columns).toEqual(['actor', 'failures']);
    expect(second.body.rows).toEqual([
      ['alice@acme.test', 7],
      ['bob@acme.test', 2],
    ]);
    const estimate = second.body.estimate as { bytes: number; usd: number; dialect: string; basis: string };
    expect(estimate).toMatchObject({ dialect: 'bigquery', bytes: 3 * 2 ** 40, usd: 18.75 });
    expect(estimate.basis).toMatch(/^bigquery dry run/);
    const requests = (await admin('lakeBigQuery', 'requests')) as { url: string; body: string }[];
    const queries = requests.filter((r) => r.url.endsWith('/queries')).map((r) => JSON.parse(r.body) as { dryRun?: boolean; query: string; defaultDataset: unknown });
    expect(queries.some((q) => q.dryRun === true && q.query === sql)).toBe(true);
    expect(queries.some((q) => q.dryRun !== true && q.query === sql)).toBe(true);
    expect(queries[0]!.defaultDataset).toEqual({ projectId: 'acme-siem', datasetId: 'mantissa_lake' });
  });

  it('asks for confirmation before a query the dry run prices above NLQ_CONFIRM_USD, and does not run it', async () => {
    // Other SQL than the test above: an answer it cached would be served without cost (cache before confirmation).
    const costly = { question: 'all failed logins', sql: `SELECT actor, count(*) AS failures FROM events WHERE identity_action = 'auth_failure' AND ${week} GROUP BY actor` };
    const first = await post(bigQueryVars(), '/api/query', tokens.analyst, costly);
    const sql = sentSql(first.body);
    await admin('lakeBigQuery', 'script', { queries: [{ sql, schema: [{ name: 'actor', type: 'STRING' }, { name: 'failures', type: 'INTEGER' }], rows: [], totalBytesProcessed: 200 * 2 ** 40 }] });
    const before = ((await admin('lakeBigQuery', 'jobs')) as unknown[]).length;
    const res = await post(bigQueryVars(), '/api/query', tokens.analyst, costly);
    expect(res.status).toBe(200);
    expect(res.body.needsConfirmation).toBe(true);
    expect((res.body.estimate as { usd: number }).usd).toBe(1250);
    expect(((await admin('lakeBigQuery', 'jobs')) as unknown[]).length).toBe(before);
  });

  it('answers a plain-English question with no LLM: the offline engine writes GoogleSQL', async () => {
    const ask = { question: 'how many failed logins in October' };
    const first = await post(bigQueryVars(), '/api/query', tokens.analyst, ask);
    expect(first.status).toBe(400);
    const sql = sentSql(first.body);
    expect(sql).toMatch(/^SELECT COUNT\(\*\) AS `count` FROM events WHERE /);
    expect(sql).toContain("event_time >= '2026-10-01T00:00:00.000Z'");
    expect(sql).toContain("outcome = 'failure'");
    expect(sql).toMatch(/AND events.date BETWEEN '2026-10-01' AND '2026-10-31' LIMIT 1000$/);
    await admin('lakeBigQuery', 'script', { queries: [{ sql, schema: [{ name: 'count', type: 'INTEGER' }], rows: [[17]], totalBytesProcessed: 1024 }] });
    const second = await post(bigQueryVars(), '/api/query', tokens.analyst, ask);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ engine: 'offline', columns: ['count'], rows: [[17]] });
  });

  it('refuses SQL the BigQuery validator refuses, before anything reaches BigQuery', async () => {
    const res = await post(bigQueryVars(), '/api/query', tokens.analyst, { question: 'x', sql: 'SELECT * FROM INFORMATION_SCHEMA.TABLES' });
    expect(res.status).toBe(400);
    expect(res.body.error!.code).toBe('invalid_sql');
    const requests = (await admin('lakeBigQuery', 'requests')) as unknown[];
    expect(requests).toHaveLength(0);
  });

  it('says which variable is missing when BigQuery is half configured', async () => {
    const { BIGQUERY_PROJECT: _, ...vars } = bigQueryVars();
    const res = await post(vars, '/api/query', tokens.analyst, question);
    expect(res.status).toBe(503);
    expect(res.body.error!.message).toContain('BIGQUERY_PROJECT');
    expect(res.body.error!.message).not.toContain('PRIVATE KEY');
  });
});

describe('POST /api/query on Athena', () => {
  beforeEach(async () => {
    await admin('lakeAthena', 'reset');
  });

  // A literal range: the SQL sent is the same on every call (a default window moves with the clock).
  const edited = { question: 'events by source', sql: `SELECT source, count(*) AS n FROM events WHERE ${week} GROUP BY source` };

  it('sends the bounded Athena SQL, signed, and returns typed rows', async () => {
    const first = await post(athenaVars(), '/api/query', tokens.analyst, edited);
    expect(first.status).toBe(400);
    // The fake's evaluator cannot read the pruned query: Athena's own FAILED reason comes back. The date predicate
    // follows from the event_time range (a strict bound at midnight leaves that day out).
    expect(first.body.error!.message).toMatch(/^The query failed on the database: .*SYNTAX_ERROR/);
    const sql = sentSql(first.body);
    expect(sql).toBe(
      `SELECT "source", COUNT(*) AS "n" FROM "events" WHERE "event_time" >= '2026-11-20T00:00:00.000Z' AND "event_time" < '2026-11-27T00:00:00.000Z' AND "events"."date" BETWEEN '2026-11-20' AND '2026-11-26' GROUP BY "source" LIMIT 1000`,
    );

    await admin('lakeAthena', 'result', { sql, columns: [{ name: 'source', type: 'varchar' }, { name: 'n', type: 'bigint' }], rows: [['okta', '41'], ['cloudtrail', '12']], scanned: 52_428_800 });
    const second = await post(athenaVars(), '/api/query', tokens.analyst, edited);
    expect(second.status).toBe(200);
    expect(second.body.rows).toEqual([
      ['okta', 41],
      ['cloudtrail', 12],
    ]);
    expect((second.body.estimate as { dialect: string }).dialect).toBe('athena');
    const executions = (await admin('lakeAthena', 'executions')) as { query: string; database: string; workGroup: string }[];
    expect(executions.map((e) => e.query)).toEqual([sql, sql]);
    expect(executions[1]).toMatchObject({ database: 'mantissa_lake', workGroup: 'mantissa' });
  });

  it('refuses a system schema before Athena is called', async () => {
    const res = await post(athenaVars(), '/api/query', tokens.analyst, { question: 'x', sql: 'SELECT * FROM information_schema.tables' });
    expect(res.status).toBe(400);
    expect(res.body.error!.code).toBe('invalid_sql');
    expect((await admin('lakeAthena', 'executions')) as unknown[]).toHaveLength(0);
  });

  it('needs a token and the events:query permission', async () => {
    expect((await post(athenaVars(), '/api/query', undefined, edited)).status).toBe(401);
    expect((await post(athenaVars(), '/api/query', tokens.ingest, edited)).status).toBe(403);
    expect((await admin('lakeAthena', 'executions')) as unknown[]).toHaveLength(0);
  });

  it('fails loudly, naming the variable, when the secret key is missing', async () => {
    const { ATHENA_SECRET_ACCESS_KEY: _, ...vars } = athenaVars();
    const res = await post(vars, '/api/query', tokens.analyst, edited);
    expect(res.status).toBe(503);
    expect(res.body.error!.message).toContain('ATHENA_SECRET_ACCESS_KEY');
  });
});
