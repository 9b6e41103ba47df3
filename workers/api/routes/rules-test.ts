/**
 * POST /api/rules/:id/test — runs a stored rule over the last N hours (default 24) of events without raising
 * alerts: what it would select, per document of a Sigma rule, with a sample of the rows. The Rules page's
 * "Test against the last 24 h".
 */
import { z } from 'zod';
import { RulesRepository } from '../../../adapters/d1/rules-repository';
import { runReadQuery } from '../../../adapters/d1/query-runner';
import { alertCandidates, ruleWindowParams } from '../../../core/detect/sql-rule';
import { eventHitCandidates } from '../../../core/detect/sigma-hits';
import { sigmaMappings } from '../../../core/sigma/mappings';
import { compileRuleBook } from '../../../core/sigma/rule-book';
import { bindTimeWindow } from '../../../core/sigma/sql/compile-sql';
import { analystQueryPolicy } from '../../../core/sql/query-policy';
import { validateQuery } from '../../../core/sql/validate-query';
import { jsonBody, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';

const bodySchema = z.strictObject({ hours: z.number().int().min(1).max(24 * 7).default(24) });
const maxRows = 5000;
const sampleRows = 20;
const sampleColumns = ['event_time', 'source', 'action', 'outcome', 'actor', 'src_ip', 'src_country', 'target', 'event_uid'];

export function registerRulesTest(app: App) {
  app.post('/rules/:id/test', requirePermission('rules:read'), async (c) => {
    const id = c.req.param('id');
    const body = await jsonBody(c, bodySchema);
    const rule = await new RulesRepository(c.env.DB).get(id);
    if (!rule) throw new ApiError('not_found', `No rule ${id}.`);
    const end = new Date();
    const window = { start: new Date(end.getTime() - body.hours * 3_600_000).toISOString(), end: end.toISOString() };
    const started = Date.now();

    if (rule.format === 'sql') {
      const validated = validateQuery(rule.querySql, analystQueryPolicy([...ruleWindowParams]));
      if (!validated.ok) throw new ApiError('invalid_sql', validated.message);
      const result = await runReadQuery(c.env.DB, validated.sql, validated.params.map((p) => (p === 'window_start' ? window.start : window.end)), maxRows);
      const candidates = alertCandidates(rule, result.columns, result.rows, window);
      return c.json({
        window,
        durationMs: Date.now() - started,
        documents: [
          { title: rule.name, rows: result.rows.length, truncated: result.truncated, alerts: candidates.length, sample: result.rows.slice(0, sampleRows).map((r) => Object.fromEntries(result.columns.map((col, i) => [col, r[i] ?? null]))) },
        ],
      });
    }

    const book = compileRuleBook(await new RulesRepository(c.env.DB).sigmaTexts(), sigmaMappings);
    const problem = book.problems.find((p) => p.rowId === id);
    if (problem) throw new ApiError('invalid_rule', `The rule does not compile: ${problem.errors.map((e) => e.message).join('; ')}`);
    const documents = [];
    for (const entry of book.entries.filter((e) => e.rowId === id)) {
      const query = bindTimeWindow(entry.query, window);
      const { results } = await c.env.DB.prepare(`SELECT * FROM (\n${query.sql}\n) LIMIT ?${query.params.length + 1}`)
        .bind(...query.params, maxRows + 1)
        .all<Record<string, unknown>>();
      const truncated = results.length > maxRows;
      let rows = results.slice(0, maxRows);
      if (entry.confirm) rows = rows.filter((r) => entry.confirm!({ columns: r, raw: parseRaw(r.raw) }));
      const grouped = entry.document.kind === 'correlation' || entry.document.aggregation;
      const alerts = grouped ? rows.length : eventHitCandidates({ id: entry.rowId, title: entry.document.title }, rows, JSON.parse(rule.dedupFields) as string[]).length;
      documents.push({
        title: entry.document.title,
        kind: entry.document.kind,
        raisesAlerts: entry.raisesAlerts,
        rows: rows.length,
        truncated,
        alerts,
        sample: rows.slice(0, sampleRows).map((r) => (grouped ? r : Object.fromEntries(sampleColumns.map((col) => [col, r[col] ?? null])))),
      });
    }
    return c.json({ window, durationMs: Date.now() - started, documents });
  });
}

function parseRaw(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
