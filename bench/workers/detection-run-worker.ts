/**
 * Bench-only Worker (never deployed): the scheduled detector of workers/detect over a local D1 filled by the
 * benchmark, loaded by bench/detection-run.bench.ts through Miniflare. It runs the production code paths —
 * rule storage (RulesRepository + the Sigma validation of POST /api/rules), the bulk insert of the ingest path,
 * runScheduledDetection with the alert sink — without the HTTP app around them.
 */
import { RulesRepository } from '../../adapters/d1/rules-repository';
import { eventInsertStatements } from '../../adapters/d1/events-repository';
import type { StoredEvent } from '../../core/ingest/parse-batch';
import { sigmaRuleInputSchema, sqlRuleInputSchema } from '../../core/detect/sql-rule';
import { runScheduledDetection } from '../../workers/detect/scheduled-detection';
import { validateSigmaRule } from '../../workers/api/routes/sigma-validation';
import type { Env } from '../../workers/env';

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const body = request.method === 'POST' ? ((await request.json()) as unknown) : null;
    switch (url.pathname) {
      case '/migrate':
        for (const statement of body as string[]) await env.DB.prepare(statement).run();
        return Response.json({ ok: true });
      case '/insert': {
        const events = body as StoredEvent[];
        await env.DB.batch(eventInsertStatements(env.DB, events));
        return Response.json({ ok: true });
      }
      case '/rule': {
        const rules = new RulesRepository(env.DB);
        const input = body as Record<string, unknown>;
        if ('yaml' in input) {
          const parsed = sigmaRuleInputSchema.parse(input);
          const derived = await validateSigmaRule(env.DB, parsed.yaml, null);
          return Response.json(await rules.createSigma(parsed, derived, 'bench', new Date()));
        }
        return Response.json(await rules.create(sqlRuleInputSchema.parse(input), 'bench', new Date()));
      }
      case '/sql': {
        // Reference queries, timed here so they and the detector pay the same costs.
        const { sql } = body as { sql: string };
        const started = Date.now();
        const result = await env.DB.prepare(sql).all();
        return Response.json({ ms: Date.now() - started, rowsRead: result.meta.rows_read, results: result.results });
      }
      case '/run': {
        const { now } = body as { now: string };
        const started = Date.now();
        const summaries = await runScheduledDetection(env, new Date(now));
        return Response.json({ ms: Date.now() - started, summaries });
      }
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
