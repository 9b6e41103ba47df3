/**
 * Bench-only Worker (never deployed): the natural-language query pipeline of POST /api/query over a local D1
 * filled by bench/nlq-d1.bench.ts through Miniflare. It runs the production code — the ingest path's bulk insert
 * and partition statistics, and answerQuestion with the same D1 ports as the route (offline translator, SQLite
 * validator and rewrites, partition-statistics cost estimate, runReadQuery) — without the HTTP app, the
 * conversation store and the answer cache (a cache hit would time the cache, not the question).
 */
import { eventInsertStatements } from '../../adapters/d1/events-repository';
import { entityValuesFor, lookupActors, refreshEntityValues } from '../../adapters/d1/nlq-entity-values';
import { partitionStatsStatements, partitionTotals } from '../../adapters/d1/partition-stats-repository';
import { runReadQuery } from '../../adapters/d1/query-runner';
import type { StoredEvent } from '../../core/ingest/parse-batch';
import { nlqSchemaVersion } from '../../core/nlq/cache';
import { estimateQueryCost, partitionStatsOf } from '../../core/nlq/cost';
import { offlineTranslator } from '../../core/nlq/offline/index';
import { answerQuestion, defaultPipelineOptions, type PipelinePorts } from '../../core/nlq/pipeline';
import type { ConversationTurn, EntityValues } from '../../core/nlq/translator';
import { sqliteSqlSupport } from '../../core/sql/sqlite-sql-support';

interface BenchEnv {
  readonly DB: D1Database;
}

function ports(db: D1Database, now: Date): PipelinePorts {
  return {
    primary: null,
    offline: offlineTranslator,
    sql: sqliteSqlSupport(),
    // The route's path on a fresh isolate: the cron's snapshot row (the route then keeps it 5 minutes).
    entityValues: (): Promise<EntityValues> => entityValuesFor(db, now),
    lookupUsers: (candidates) => lookupActors(db, candidates, now),
    estimate: async (scope) => estimateQueryCost('d1', scope, await partitionTotals(db, scope)),
    run: (sql, params, maxRows) => runReadQuery(db, sql, params, maxRows),
    cache: null,
  };
}

const options = { ...defaultPipelineOptions, dialect: 'd1' as const, schemaVersion: nlqSchemaVersion, confirmAboveUsd: 1e9 };

export default {
  async fetch(request: Request, env: BenchEnv): Promise<Response> {
    const url = new URL(request.url);
    const body = request.method === 'POST' ? ((await request.json()) as unknown) : null;
    switch (url.pathname) {
      case '/migrate': {
        // On a database kept from an earlier run, migrations it already has fail with "already exists" / "duplicate
        // column": those are skipped, so only the newer ones apply.
        const { statements, kept } = body as { statements: string[]; kept: boolean };
        for (const statement of statements) {
          try {
            await env.DB.prepare(statement).run();
          } catch (err) {
            if (!(kept && /already exists|duplicate column/i.test(String(err)))) throw err;
          }
        }
        return Response.json({ ok: true });
      }
      case '/insert': {
        const events = body as StoredEvent[];
        await env.DB.batch([...eventInsertStatements(env.DB, events), ...partitionStatsStatements(env.DB, partitionStatsOf(events))]);
        return Response.json({ ok: true });
      }
      case '/sql': {
        const { sql } = body as { sql: string };
        const result = await env.DB.prepare(sql).all();
        return Response.json({ rowsRead: result.meta.rows_read, results: result.results });
      }
      case '/values': {
        // What the cron does: compute the entity values the translator resolves names against, and store them.
        const { now } = body as { now: string };
        await env.DB.prepare('DELETE FROM nlq_entity_values').run();
        await refreshEntityValues(env.DB, new Date(now));
        const v = await entityValuesFor(env.DB, new Date(now));
        return Response.json({ users: v.users.length, countries: v.countries.length, sources: v.sources.length, actions: v.actions.length, ips: v.ips?.length ?? 0 });
      }
      case '/ask': {
        const { question, history, now } = body as { question: string; history: ConversationTurn[]; now: string };
        const at = new Date(now);
        const outcome = await answerQuestion({ question, history, userId: 'bench', now: at, confirm: true }, ports(env.DB, at), options);
        if (outcome.kind === 'answered' || outcome.kind === 'needs_confirmation') {
          const a = outcome.answer;
          return Response.json({
            kind: outcome.kind,
            sql: a.sql,
            rows: a.rows.length,
            truncated: a.truncated,
            estimatedRows: a.estimate.rows,
            timeRange: a.timeRange,
          });
        }
        return Response.json({ kind: outcome.kind, message: 'message' in outcome ? outcome.message : '' });
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
