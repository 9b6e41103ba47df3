/**
 * The scheduled detector (cron): runs every enabled SQL rule that is due over its next event-time window
 * (core/detect/sql-rule), turns result rows into alerts, and records the run. One rule's failure is recorded
 * on that rule and does not stop the others; its watermark stays put, so the window is retried next time.
 */
import { alertCandidates, isRuleDue, ruleWindow, ruleWindowParams } from '../../core/detect/sql-rule';
import { analystQueryPolicy } from '../../core/sql/query-policy';
import { validateQuery } from '../../core/sql/validate-query';
import { AlertsRepository } from '../../adapters/d1/alerts-repository';
import { runReadQuery } from '../../adapters/d1/query-runner';
import { RulesRepository, type RuleRow } from '../../adapters/d1/rules-repository';
import type { Env } from '../env';

/** Rows one rule run may return; beyond this the run is recorded as truncated in its error. */
export const maxRowsPerRun = 1000;

export interface RuleRunSummary {
  ruleId: string;
  status: 'ok' | 'error' | 'skipped';
  hits: number;
  newAlerts: number;
  error?: string;
}

const rulePolicy = analystQueryPolicy([...ruleWindowParams]);

export async function runScheduledDetection(env: Env, now: Date): Promise<RuleRunSummary[]> {
  const rules = new RulesRepository(env.DB);
  const summaries: RuleRunSummary[] = [];
  for (const rule of await rules.listEnabled()) {
    if (!isRuleDue(rule, now)) {
      summaries.push({ ruleId: rule.id, status: 'skipped', hits: 0, newAlerts: 0 });
      continue;
    }
    summaries.push(await runRule(env, rules, rule, now));
  }
  return summaries;
}

async function runRule(env: Env, rules: RulesRepository, rule: RuleRow, now: Date): Promise<RuleRunSummary> {
  const window = ruleWindow(rule, now);
  if (!window) return { ruleId: rule.id, status: 'skipped', hits: 0, newAlerts: 0 };
  const started = Date.now();
  const finish = async (status: 'ok' | 'error', rows: number, hits: number, error: string | null) => {
    await rules.recordRun(rule, {
      startedAt: now.toISOString(),
      durationMs: Date.now() - started,
      windowStart: window.start,
      windowEnd: window.end,
      status,
      rows,
      hits,
      error,
    });
  };

  const validated = validateQuery(rule.querySql, rulePolicy);
  if (!validated.ok) {
    await finish('error', 0, 0, `rule SQL refused: ${validated.message}`);
    return { ruleId: rule.id, status: 'error', hits: 0, newAlerts: 0, error: validated.message };
  }
  try {
    const params = validated.params.map((p) => (p === 'window_start' ? window.start : window.end));
    const result = await runReadQuery(env.DB, validated.sql, params, maxRowsPerRun);
    const candidates = alertCandidates(rule, result.columns, result.rows, window);
    const newAlerts = await new AlertsRepository(env.DB).upsert(rule, candidates, now);
    await finish('ok', result.rows.length, candidates.length, result.truncated ? `more than ${maxRowsPerRun} rows; the rest were not alerted` : null);
    return { ruleId: rule.id, status: 'ok', hits: candidates.length, newAlerts };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await finish('error', 0, 0, message);
    return { ruleId: rule.id, status: 'error', hits: 0, newAlerts: 0, error: message };
  }
}
