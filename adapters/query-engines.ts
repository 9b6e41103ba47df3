/**
 * Which engine answers /api/query and lake SQL, from the Worker's configuration: `QUERY_ENGINE` is `d1` (the
 * default: the embedded hot store) or one of the lake engines — `athena`, `bigquery`, `synapse` — each with its own
 * variables and secrets (docs/configuration.md, "Query engine"). The lake engines read the same normalized objects
 * the Worker writes to R2, through the external table `events` that `mantissa lake ddl --source all` creates.
 *
 * A lake engine named but missing what it needs throws QueryEngineConfigError naming the variable: a
 * misconfigured engine is loud, never a silent fall back to D1. HTTP engines call out through the outbound guard
 * built from OUTBOUND_ALLOWLIST; credentials go only to the adapter, never into a message or a log.
 */
import { z } from 'zod';
import type { HttpFetch } from '../core/collect/transport';
import type { LakeQueryEngine } from '../core/lake/query-engine';
import { parseAllowList } from '../core/net/outbound-policy';
import { queryDialects, type QueryDialect } from '../core/nlq/dialect';
import { AthenaConfigError, createAthenaQueryEngine } from './athena/query-engine';
import { BigQueryConfigError, createBigQueryEngine } from './bigquery/query-engine';
import { guardedFetch } from './http/guarded-fetch';
import { SynapseConfigError } from './synapse/config';
import { createSynapseQueryEngine } from './synapse/query-engine';
import type { TdsSocketFactory } from './synapse/tds/packet';

export class QueryEngineConfigError extends Error {
  override readonly name = 'QueryEngineConfigError';
}

const optionalText = z
  .string()
  .optional()
  .transform((s) => (s && s.trim() ? s.trim() : undefined));

const queryEngineEnvSchema = z.object({
  QUERY_ENGINE: z
    .string()
    .optional()
    .transform((s) => s?.trim().toLowerCase() || 'd1')
    .pipe(z.enum(queryDialects, { error: `must be one of ${queryDialects.join(', ')}` })),
  /** Wall-clock budget of one lake query, polling included. */
  QUERY_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  OUTBOUND_ALLOWLIST: z.string().default(''),
  ATHENA_REGION: optionalText,
  ATHENA_WORKGROUP: optionalText,
  ATHENA_DATABASE: optionalText,
  ATHENA_CATALOG: optionalText,
  ATHENA_OUTPUT_LOCATION: optionalText,
  ATHENA_ENDPOINT: optionalText,
  ATHENA_ACCESS_KEY_ID: optionalText,
  ATHENA_SECRET_ACCESS_KEY: optionalText,
  ATHENA_SESSION_TOKEN: optionalText,
  BIGQUERY_PROJECT: optionalText,
  BIGQUERY_DATASET: optionalText,
  BIGQUERY_LOCATION: optionalText,
  BIGQUERY_SERVICE_ACCOUNT_KEY: optionalText,
  BIGQUERY_MAX_BYTES_BILLED: optionalText,
  BIGQUERY_API_URL: optionalText,
  BIGQUERY_TOKEN_URL: optionalText,
  SYNAPSE_SERVER: optionalText,
  SYNAPSE_PORT: optionalText,
  SYNAPSE_DATABASE: optionalText,
  /** Schema of the events view (`mantissa lake ddl --engine synapse --namespace …`). */
  SYNAPSE_SCHEMA: optionalText,
  SYNAPSE_USER: optionalText,
  SYNAPSE_PASSWORD: optionalText,
  SYNAPSE_TENANT_ID: optionalText,
  SYNAPSE_CLIENT_ID: optionalText,
  SYNAPSE_CLIENT_SECRET: optionalText,
  SYNAPSE_TOKEN_URL: optionalText,
});

export interface ConfiguredLakeEngine {
  readonly engine: LakeQueryEngine;
  /** Qualifiers analysts and models may write before `events` (the database / dataset the table lives in). */
  readonly qualifiers: readonly string[];
  readonly timeoutMs: number;
}

export type QueryEngineChoice = { readonly dialect: 'd1' } | ({ readonly dialect: Exclude<QueryDialect, 'd1'> } & ConfiguredLakeEngine);

const required = <T>(value: T | undefined, name: string, what: string): T => {
  if (value === undefined) throw new QueryEngineConfigError(`QUERY_ENGINE is set to a lake engine but ${name} is not set: ${what}.`);
  return value;
};

export interface QueryEngineDeps {
  /** Raw TCP for Synapse's TDS: cloudflare:sockets in the Worker (adapters/synapse/worker-socket.ts). */
  readonly connectTds?: TdsSocketFactory;
  /** Replaces the outbound guard's fetch (tests only). */
  readonly fetch?: HttpFetch;
}

/** The configured engine. */
export function configuredQueryEngine(env: object, deps: QueryEngineDeps = {}): QueryEngineChoice {
  const parsed = queryEngineEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new QueryEngineConfigError(`The query engine is misconfigured: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }
  const v = parsed.data;
  if (v.QUERY_ENGINE === 'd1') return { dialect: 'd1' };
  const policy = parseAllowList(v.OUTBOUND_ALLOWLIST);
  const fetcher = deps.fetch ?? guardedFetch(policy);
  try {
    switch (v.QUERY_ENGINE) {
      case 'athena': {
        const database = required(v.ATHENA_DATABASE, 'ATHENA_DATABASE', 'the Glue database holding the events table');
        const engine = createAthenaQueryEngine(
          {
            region: required(v.ATHENA_REGION, 'ATHENA_REGION', 'the AWS region of the workgroup, e.g. us-east-1'),
            workGroup: v.ATHENA_WORKGROUP ?? 'primary',
            database,
            ...(v.ATHENA_CATALOG ? { catalog: v.ATHENA_CATALOG } : {}),
            ...(v.ATHENA_OUTPUT_LOCATION ? { outputLocation: v.ATHENA_OUTPUT_LOCATION } : {}),
            ...(v.ATHENA_ENDPOINT ? { endpoint: v.ATHENA_ENDPOINT } : {}),
            accessKeyId: required(v.ATHENA_ACCESS_KEY_ID, 'ATHENA_ACCESS_KEY_ID', 'set it with `wrangler secret put ATHENA_ACCESS_KEY_ID`'),
            secretAccessKey: required(v.ATHENA_SECRET_ACCESS_KEY, 'ATHENA_SECRET_ACCESS_KEY', 'set it with `wrangler secret put ATHENA_SECRET_ACCESS_KEY`'),
            ...(v.ATHENA_SESSION_TOKEN ? { sessionToken: v.ATHENA_SESSION_TOKEN } : {}),
          },
          fetcher,
        );
        return { dialect: 'athena', engine, qualifiers: [database.toLowerCase()], timeoutMs: v.QUERY_TIMEOUT_MS };
      }
      case 'bigquery': {
        const projectId = required(v.BIGQUERY_PROJECT, 'BIGQUERY_PROJECT', 'the Google Cloud project that runs the queries');
        const dataset = required(v.BIGQUERY_DATASET, 'BIGQUERY_DATASET', 'the dataset holding the events table');
        const engine = createBigQueryEngine(
          {
            projectId,
            dataset,
            ...(v.BIGQUERY_LOCATION ? { location: v.BIGQUERY_LOCATION } : {}),
            serviceAccountKey: required(v.BIGQUERY_SERVICE_ACCOUNT_KEY, 'BIGQUERY_SERVICE_ACCOUNT_KEY', 'the service account JSON key: `wrangler secret put BIGQUERY_SERVICE_ACCOUNT_KEY < key.json`'),
            ...(v.BIGQUERY_MAX_BYTES_BILLED ? { maximumBytesBilled: v.BIGQUERY_MAX_BYTES_BILLED } : {}),
            ...(v.BIGQUERY_API_URL ? { apiBaseUrl: v.BIGQUERY_API_URL } : {}),
            ...(v.BIGQUERY_TOKEN_URL ? { tokenUrl: v.BIGQUERY_TOKEN_URL } : {}),
          },
          fetcher,
        );
        const qualifiers = [dataset, `${projectId}.${dataset}`].map((q) => q.toLowerCase());
        return { dialect: 'bigquery', engine, qualifiers, timeoutMs: v.QUERY_TIMEOUT_MS };
      }
      case 'synapse': {
        const database = required(v.SYNAPSE_DATABASE, 'SYNAPSE_DATABASE', 'the serverless SQL database holding the events view');
        const schema = v.SYNAPSE_SCHEMA ?? 'dbo';
        const entra = v.SYNAPSE_TENANT_ID !== undefined || v.SYNAPSE_CLIENT_ID !== undefined;
        const auth = entra
          ? {
              kind: 'entra' as const,
              tenantId: required(v.SYNAPSE_TENANT_ID, 'SYNAPSE_TENANT_ID', 'the directory (tenant) id of the app registration'),
              clientId: required(v.SYNAPSE_CLIENT_ID, 'SYNAPSE_CLIENT_ID', 'the app registration (client) id'),
              clientSecret: required(v.SYNAPSE_CLIENT_SECRET, 'SYNAPSE_CLIENT_SECRET', 'set it with `wrangler secret put SYNAPSE_CLIENT_SECRET`'),
            }
          : {
              kind: 'sql' as const,
              user: required(v.SYNAPSE_USER, 'SYNAPSE_USER', 'a SQL login, or set SYNAPSE_TENANT_ID and SYNAPSE_CLIENT_ID for Entra ID'),
              password: required(v.SYNAPSE_PASSWORD, 'SYNAPSE_PASSWORD', 'set it with `wrangler secret put SYNAPSE_PASSWORD`'),
            };
        const connect = deps.connectTds;
        if (!connect) throw new QueryEngineConfigError('QUERY_ENGINE=synapse needs a TCP socket factory (the Worker passes cloudflare:sockets).');
        const engine = createSynapseQueryEngine(
          {
            server: required(v.SYNAPSE_SERVER, 'SYNAPSE_SERVER', 'the serverless SQL endpoint, e.g. myworkspace-ondemand.sql.azuresynapse.net'),
            ...(v.SYNAPSE_PORT ? { port: v.SYNAPSE_PORT } : {}),
            database,
            auth,
            ...(v.SYNAPSE_TOKEN_URL ? { tokenUrl: v.SYNAPSE_TOKEN_URL } : {}),
          },
          { connect, fetch: fetcher, outboundPolicy: policy },
        );
        return { dialect: 'synapse', engine, qualifiers: [schema, `${database}.${schema}`].map((q) => q.toLowerCase()), timeoutMs: v.QUERY_TIMEOUT_MS };
      }
    }
  } catch (err) {
    if (err instanceof QueryEngineConfigError) throw err;
    // The adapters' own configuration errors name the field; say which engine's variables it came from.
    if (err instanceof AthenaConfigError || err instanceof BigQueryConfigError || err instanceof SynapseConfigError) {
      throw new QueryEngineConfigError(`QUERY_ENGINE=${v.QUERY_ENGINE}: ${err.message}`);
    }
    throw err;
  }
}
