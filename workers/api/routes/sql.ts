/** POST /api/sql — an analyst's SQL on the D1 lake, through the validator. */
import { z } from 'zod';
import { analystQueryPolicy } from '../../../core/sql/query-policy';
import { validateQuery } from '../../../core/sql/validate-query';
import { runReadQuery } from '../../../adapters/d1/query-runner';
import { jsonBody, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';

const sqlRequestSchema = z.object({
  sql: z.string().max(20_000),
  limit: z.number().int().min(1).max(10_000).default(1000),
});

const policy = analystQueryPolicy();

export function registerSql(app: App) {
  app.post('/sql', requirePermission('events:query'), async (c) => {
    const { sql, limit } = await jsonBody(c, sqlRequestSchema);
    const validated = validateQuery(sql, policy);
    if (!validated.ok) throw new ApiError('invalid_sql', validated.message, { reason: validated.reason });
    const started = performance.now();
    let result;
    try {
      result = await runReadQuery(c.env.DB, validated.sql, [], limit);
    } catch (err) {
      // The engine refused a query the validator let through (a column that does not exist, a type error).
      throw new ApiError('invalid_sql', `The query failed on the database: ${engineMessage(err)}`);
    }
    const elapsedMs = Math.round((performance.now() - started) * 10) / 10;
    return c.json({ columns: result.columns, rows: result.rows, rowCount: result.rows.length, truncated: result.truncated, elapsedMs });
  });
}

function engineMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // D1 prefixes messages with its own plumbing ("D1_ERROR: "); keep the SQLite part.
  return message.replace(/^D1_\w+:\s*/, '').replace(/:\s*SQLITE_\w+$/, '');
}
