/**
 * The query-engine configuration (adapters/query-engines.ts) from Worker-style variables, and one question answered
 * end to end on Synapse serverless: configuration → offline engine (T-SQL) → lake validator and rewrites →
 * the TDS client → the loopback TDS fake. (Athena and BigQuery run the same path inside workerd:
 * test/lake-query.test.ts; Synapse's TLS-only raw socket cannot reach a plain loopback fake from a test Worker.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nlqSchemaVersion } from '../core/nlq/cache';
import { estimateQueryCost } from '../core/nlq/cost';
import { offlineTranslator } from '../core/nlq/offline/index';
import { answerQuestion, defaultPipelineOptions, type PipelinePorts } from '../core/nlq/pipeline';
import { lakeSqlSupport } from '../core/sql/lake-sql-support';
import { lakeQueryPolicy } from '../core/sql/validate-dialect-query';
import { nodeTdsSocketFactory, startSynapseTdsFake, synapseFakeDatabase, synapseFakeSqlLogin, type SynapseFake } from '../test/fakes/synapse-tds';
import { configuredQueryEngine, QueryEngineConfigError } from './query-engines';

let fake: SynapseFake;
beforeAll(async () => {
  fake = await startSynapseTdsFake();
});
afterAll(async () => {
  await fake.close();
});

const synapseEnv = () => ({
  QUERY_ENGINE: 'synapse',
  SYNAPSE_SERVER: '127.0.0.1',
  SYNAPSE_PORT: String(fake.port),
  SYNAPSE_DATABASE: synapseFakeDatabase,
  SYNAPSE_USER: synapseFakeSqlLogin.user,
  SYNAPSE_PASSWORD: synapseFakeSqlLogin.password,
  OUTBOUND_ALLOWLIST: `127.0.0.1:${fake.port}`,
});

describe('configuredQueryEngine', () => {
  it('is D1 when QUERY_ENGINE is unset or empty', () => {
    expect(configuredQueryEngine({}).dialect).toBe('d1');
    expect(configuredQueryEngine({ QUERY_ENGINE: ' ' }).dialect).toBe('d1');
  });

  it('refuses an engine it does not know, listing the ones it does', () => {
    expect(() => configuredQueryEngine({ QUERY_ENGINE: 'snowflake' })).toThrow(/QUERY_ENGINE must be one of d1, athena, bigquery, synapse/);
  });

  it.each([
    [{ QUERY_ENGINE: 'athena', ATHENA_REGION: 'us-east-1', ATHENA_DATABASE: 'lake', ATHENA_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE' }, 'ATHENA_SECRET_ACCESS_KEY'],
    [{ QUERY_ENGINE: 'bigquery', BIGQUERY_PROJECT: 'acme-siem', BIGQUERY_DATASET: 'lake' }, 'BIGQUERY_SERVICE_ACCOUNT_KEY'],
    [{ QUERY_ENGINE: 'synapse', SYNAPSE_SERVER: 'ws-ondemand.sql.azuresynapse.net', SYNAPSE_DATABASE: 'lake', SYNAPSE_USER: 'reader' }, 'SYNAPSE_PASSWORD'],
    [{ QUERY_ENGINE: 'synapse', SYNAPSE_SERVER: 'ws-ondemand.sql.azuresynapse.net', SYNAPSE_DATABASE: 'lake', SYNAPSE_TENANT_ID: 'acme.example' }, 'SYNAPSE_CLIENT_ID'],
  ])('names the missing variable (%j)', (env, missing) => {
    expect(() => configuredQueryEngine(env, { connectTds: nodeTdsSocketFactory })).toThrow(new RegExp(missing));
  });

  it('passes the adapter’s own validation error on, without the secret', () => {
    const env = { QUERY_ENGINE: 'athena', ATHENA_REGION: 'mars', ATHENA_DATABASE: 'lake', ATHENA_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', ATHENA_SECRET_ACCESS_KEY: 's3cr3t-value' };
    let error: unknown;
    try {
      configuredQueryEngine(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(QueryEngineConfigError);
    expect((error as Error).message).toMatch(/^QUERY_ENGINE=athena: .*region/);
    expect((error as Error).message).not.toContain('s3cr3t-value');
  });

  it('qualifies the Synapse events view by its schema (dbo unless SYNAPSE_SCHEMA says otherwise)', () => {
    const choice = configuredQueryEngine({ ...synapseEnv(), SYNAPSE_SCHEMA: 'Security' }, { connectTds: nodeTdsSocketFactory });
    expect(choice.dialect === 'synapse' && choice.qualifiers).toEqual(['security', `${synapseFakeDatabase}.security`]);
  });
});

describe('a question answered on Synapse', () => {
  it('runs the offline engine’s T-SQL on the configured Synapse engine and returns its rows', async () => {
    const choice = configuredQueryEngine(synapseEnv(), { connectTds: nodeTdsSocketFactory });
    if (choice.dialect !== 'synapse') throw new Error('expected the Synapse engine');
    const ports: PipelinePorts = {
      primary: null,
      offline: offlineTranslator,
      sql: lakeSqlSupport('synapse', lakeQueryPolicy(['events'], choice.qualifiers)),
      entityValues: async () => ({ users: [], countries: [], sources: ['okta'], actions: [], ips: [] }),
      estimate: async (scope) => estimateQueryCost('synapse', scope, { rows: 0, bytes: 0, partitions: 0 }),
      run: async (sql, _params, maxRows) => {
        const result = await choice.engine.run(sql, { maxRows, timeoutMs: choice.timeoutMs });
        if (result.kind !== 'success') throw new Error(result.message);
        return result.value;
      },
      cache: null,
    };
    const options = { ...defaultPipelineOptions, dialect: 'synapse' as const, schemaVersion: nlqSchemaVersion };
    const request = { question: 'how many failed logins in October', history: [], userId: 'u1', now: new Date('2026-11-27T16:00:00Z'), confirm: false };

    // Unscripted, the fake answers SQL Server's Msg 208: the failure carries the exact T-SQL that was sent.
    const first = await answerQuestion(request, ports, options);
    if (first.kind !== 'failed') throw new Error(`expected the fake to refuse unscripted SQL, got ${first.kind}`);
    expect(first.message).toMatch(/^Synapse refused the query on 127.0.0.1.*Msg 208, Level 16, State 1, Line 1: Invalid object name/);
    expect(first.sql).toBe(
      "SELECT TOP (1000) COUNT(*) AS [count] FROM [events] WHERE [event_time] >= N'2026-10-01T00:00:00.000Z' AND [event_time] < N'2026-11-01T00:00:00.000Z' " +
        "AND [identity_action] IN (N'session_start', N'auth_success', N'auth_failure') AND [outcome] = N'failure' AND [events].[date] BETWEEN '2026-10-01' AND '2026-10-31'",
    );

    fake.script(first.sql, { columns: [{ name: 'count', type: 'int' }], rows: [[17]] });
    const second = await answerQuestion(request, ports, options);
    if (second.kind !== 'answered') throw new Error(`expected an answer, got ${second.kind}`);
    expect(second.answer.columns).toEqual(['count']);
    expect(second.answer.rows).toEqual([[17]]);
    expect(second.answer.engine).toBe('offline');
    expect(second.answer.assumptions.join(' ')).toMatch(/collation/i);
  });
});
