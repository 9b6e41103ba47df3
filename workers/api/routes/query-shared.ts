/**
 * What /api/query needs beyond the request: its configuration (NLQ_* variables, validated with zod), the
 * translators (the configured LLM provider, if any, and the offline engine), and the pipeline's ports — on D1, or
 * on the lake engine QUERY_ENGINE names (adapters/query-engines.ts). On a lake engine the SQL is that engine's
 * dialect, validated by its grammar; entity values still come from D1 (the hot store holds the recent ones); the
 * cost comes from the engine's dry run where it has one (BigQuery), otherwise from partition statistics.
 */
import { z } from 'zod';
import { NlqCacheRepository } from '../../../adapters/d1/nlq-cache-repository';
import { entityValuesFor, lookupActors } from '../../../adapters/d1/nlq-entity-values';
import { partitionTotals } from '../../../adapters/d1/partition-stats-repository';
import { runReadQuery } from '../../../adapters/d1/query-runner';
import { createLlmTranslator, LlmConfigError } from '../../../adapters/llm/index';
import { workerTdsSocketFactory } from '../../../adapters/synapse/worker-socket';
import { configuredQueryEngine, QueryEngineConfigError, type ConfiguredLakeEngine, type QueryEngineChoice } from '../../../adapters/query-engines';
import { nlqSchemaVersion } from '../../../core/nlq/cache';
import { estimateQueryCost, priceDryRun } from '../../../core/nlq/cost';
import { offlineTranslator } from '../../../core/nlq/offline/index';
import { defaultPipelineOptions, maxPipelineRows, type PipelineOptions, type PipelinePorts } from '../../../core/nlq/pipeline';
import type { EntityValues, Translator } from '../../../core/nlq/translator';
import { lakeSqlSupport } from '../../../core/sql/lake-sql-support';
import { sqliteSqlSupport } from '../../../core/sql/sqlite-sql-support';
import { lakeQueryPolicy, type LakeDialect } from '../../../core/sql/validate-dialect-query';
import type { Env } from '../../env';
import { ApiError } from '../../errors';

const nlqConfigSchema = z.object({
  /** Estimated cost in USD above which a query runs only with `confirm: true`. */
  NLQ_CONFIRM_USD: z.coerce.number().min(0).default(defaultPipelineOptions.confirmAboveUsd),
  NLQ_MAX_ROWS: z.coerce.number().int().min(1).max(maxPipelineRows).default(defaultPipelineOptions.maxRows),
  NLQ_DEFAULT_WINDOW_HOURS: z.coerce.number().int().min(1).max(24 * 366).default(defaultPipelineOptions.defaultWindowHours),
  NLQ_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(defaultPipelineOptions.cacheTtlSeconds),
});

const configs = new WeakMap<object, PipelineOptions>();

/** Pipeline options from the environment (the dialect is the configured query engine's). */
export function nlqOptions(env: Env): PipelineOptions {
  const cached = configs.get(env);
  if (cached) return cached;
  const parsed = nlqConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ApiError('unavailable', `Natural-language queries are misconfigured (wrangler.toml [vars]): ${issues}`);
  }
  const v = parsed.data;
  const options: PipelineOptions = {
    dialect: queryEngine(env).dialect,
    confirmAboveUsd: v.NLQ_CONFIRM_USD,
    maxRows: v.NLQ_MAX_ROWS,
    defaultWindowHours: v.NLQ_DEFAULT_WINDOW_HOURS,
    cacheTtlSeconds: v.NLQ_CACHE_TTL_SECONDS,
    schemaVersion: nlqSchemaVersion,
    maxRepairs: defaultPipelineOptions.maxRepairs,
  };
  configs.set(env, options);
  return options;
}

/** The one place that picks translators: the configured LLM provider (or none) and the offline engine. */
export function nlqTranslators(env: Env): { primary: Translator | null; offline: Translator } {
  try {
    return { primary: createLlmTranslator(env), offline: offlineTranslator };
  } catch (err) {
    if (err instanceof LlmConfigError) throw new ApiError('unavailable', err.message);
    throw err;
  }
}

/** How long this isolate reuses the entity values it read (the cron's snapshot row, adapters/d1/nlq-entity-values). */
export const entityValuesTtlMs = 5 * 60_000;
const entityValuesCache = new WeakMap<D1Database, { readAt: number; values: Promise<EntityValues> }>();

function cachedEntityValues(db: D1Database, now: Date): Promise<EntityValues> {
  const hit = entityValuesCache.get(db);
  if (hit && now.getTime() - hit.readAt < entityValuesTtlMs) return hit.values;
  const values = entityValuesFor(db, now);
  entityValuesCache.set(db, { readAt: now.getTime(), values });
  // A failed read is not kept: the next question tries again.
  values.catch(() => entityValuesCache.delete(db));
  return values;
}

const engines = new WeakMap<object, QueryEngineChoice>();

/** The configured query engine (D1 unless QUERY_ENGINE names a lake engine), built once per environment. */
export function queryEngine(env: Env): QueryEngineChoice {
  const cached = engines.get(env);
  if (cached) return cached;
  let choice: QueryEngineChoice;
  try {
    choice = configuredQueryEngine(env, { connectTds: workerTdsSocketFactory });
  } catch (err) {
    if (err instanceof QueryEngineConfigError) throw new ApiError('unavailable', err.message);
    throw err;
  }
  engines.set(env, choice);
  return choice;
}

/** The pipeline's ports on the configured engine. */
export function pipelinePorts(env: Env, now: Date): PipelinePorts {
  const choice = queryEngine(env);
  return choice.dialect === 'd1' ? d1PipelinePorts(env, now) : lakePipelinePorts(env, now, choice.dialect, choice);
}

function lakePipelinePorts(env: Env, now: Date, dialect: LakeDialect, lake: ConfiguredLakeEngine): PipelinePorts {
  const db = env.DB;
  return {
    ...nlqTranslators(env),
    sql: lakeSqlSupport(dialect, lakeQueryPolicy(['events'], lake.qualifiers)),
    entityValues: () => cachedEntityValues(db, now),
    lookupUsers: (candidates) => lookupActors(db, candidates, now),
    estimate: async (scope, sql) => {
      const dryRun = lake.engine.dryRun;
      if (dryRun) {
        const result = await dryRun(sql);
        if (result.kind === 'success') return priceDryRun(dialect, scope, result.value.bytes);
        // A failed dry run is not fatal: the statistics still give an estimate, and the basis says why.
        const fromStats = estimateQueryCost(dialect, scope, await partitionTotals(db, scope));
        return { ...fromStats, basis: `${fromStats.basis} (the ${dialect} dry run failed: ${result.message})` };
      }
      return estimateQueryCost(dialect, scope, await partitionTotals(db, scope));
    },
    run: async (sql, _params, maxRows) => {
      const result = await lake.engine.run(sql, { maxRows, timeoutMs: lake.timeoutMs });
      // An engine failure is thrown, as D1's are: the pipeline reports it (or repairs the SQL with an LLM).
      if (result.kind !== 'success') throw new Error(result.kind === 'retryable' ? `${result.message} (temporary: try again)` : result.message);
      return { columns: result.value.columns, rows: result.value.rows, truncated: result.value.truncated };
    },
    cache: new NlqCacheRepository(db, dialect),
  };
}

export function d1PipelinePorts(env: Env, now: Date): PipelinePorts {
  const db = env.DB;
  return {
    ...nlqTranslators(env),
    sql: sqliteSqlSupport(),
    entityValues: () => cachedEntityValues(db, now),
    lookupUsers: (candidates) => lookupActors(db, candidates, now),
    estimate: async (scope) => estimateQueryCost('d1', scope, await partitionTotals(db, scope)),
    run: (sql, params, maxRows) => runReadQuery(db, sql, params, maxRows),
    cache: new NlqCacheRepository(db, 'd1'),
  };
}
