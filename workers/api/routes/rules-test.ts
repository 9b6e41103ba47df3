/**
 * POST /api/rules/:id/test — runs a stored rule over the last N hours (default 24) of events without raising
 * alerts: what it would select, per document of a Sigma rule, with a sample of the rows. The Rules page's
 * "Test against the last 24 h".
 */
import { z } from 'zod';
import { RulesRepository } from '../../../adapters/d1/rules-repository';
import { runReadQuery } from '../../../adapters/d1/query-runner';
import { alertCandidates, ruleWindowParams } from '../../../core/detect/sql-rule';
import { sigmaMappings } from '../../../core/sigma/mappings';
import { compileRuleBook } from '../../../core/sigma/rule-book';
import { analystQueryPolicy } from '../../../core/sql/query-policy';
import { validateQuery } from '../../../core/sql/validate-query';
import { jsonBody, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';
import { runSigmaEntriesOverWindow, testMaxRows as maxRows, testSampleRows as sampleRows } from './sigma-test-run';

const bodySchema = z.strictObject({ hours: z.number().int().min(1).max(24 * 7).default(24) });

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
    const documents = await runSigmaEntriesOverWindow(c.env.DB, book.entries.filter((e) => e.rowId === id), window, JSON.parse(rule.dedupFields) as string[]);
    return c.json({ window, durationMs: Date.now() - started, documents });
  });
}

