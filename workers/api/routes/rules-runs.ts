/**
 * GET /api/rules/:id/runs?limit= — a rule's execution history, newest first: each scheduled window it covered,
 * how long it took, the rows the engine read and returned, the hits, and the error when it failed (a failed
 * window is retried on the next cron tick, so an error row is followed by the run that made it up).
 */
import { z } from 'zod';
import { RulesRepository } from '../../../adapters/d1/rules-repository';
import { validate, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';

const querySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

export function registerRulesRuns(app: App) {
  app.get('/rules/:id/runs', requirePermission('rules:read'), async (c) => {
    const id = c.req.param('id');
    const { limit } = validate(querySchema, c.req.query(), 'query');
    const rules = new RulesRepository(c.env.DB);
    if (!(await rules.get(id))) throw new ApiError('not_found', `No rule ${id}.`);
    const runs = await rules.recentRuns(id, limit);
    return c.json({
      runs: runs.map((r) => ({
        startedAt: r.startedAt,
        durationMs: r.durationMs,
        windowStart: r.windowStart,
        windowEnd: r.windowEnd,
        status: r.status,
        rowsRead: r.rowsRead,
        rows: r.rows,
        hits: r.hits,
        error: r.error,
      })),
    });
  });
}
