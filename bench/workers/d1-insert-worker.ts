/**
 * Bench-only Worker (never deployed): times the two D1 insert strategies *inside* workerd, so the numbers are
 * D1's and not the cost of reaching D1 from Node. Loaded by bench/d1-insert.bench.ts through Miniflare.
 */
import { eventInsertStatements } from '../../adapters/d1/events-repository';
import type { StoredEvent } from '../../core/ingest/parse-batch';
import { eventColumns } from '../../core/schema/event';

interface BenchEnv {
  DB: D1Database;
}

const columns = ['event_uid', ...eventColumns, 'batch_id'];
const perRowSql = `INSERT OR IGNORE INTO events (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;

export default {
  async fetch(request: Request, env: BenchEnv): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/migrate') {
      for (const statement of (await request.json()) as string[]) await env.DB.prepare(statement).run();
      return Response.json({ ok: true });
    }
    if (url.pathname === '/count') {
      return Response.json(await env.DB.prepare('SELECT count(*) AS n FROM events').first());
    }
    const events = (await request.json()) as StoredEvent[];
    const statements =
      url.pathname === '/bulk'
        ? eventInsertStatements(env.DB, events)
        : events.map((e) =>
            env.DB.prepare(perRowSql).bind(
              ...columns.map((c) => {
                const v = e[c as keyof StoredEvent];
                return typeof v === 'boolean' ? Number(v) : v;
              }),
            ),
          );
    const started = Date.now();
    await env.DB.batch(statements);
    return Response.json({ ms: Date.now() - started, statements: statements.length });
  },
};
