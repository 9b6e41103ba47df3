/**
 * The scheduled detector (cron): runs every enabled SQL rule that is due over its next event-time window
 * (core/detect/sql-rule), turns result rows into alerts, and records the run. One rule's failure is recorded
 * on that rule and does not stop the others; its watermark stays put, so the window is retried next time.
 */
import { alertCandidates, isRuleDue, maxWindowsPerRun, ruleWindow, ruleWindowParams, type RuleWindow } from '../../core/detect/sql-rule';
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
    summaries.push(await catchUpRule(env, rules, rule, now));
  }
  return summaries;
}

/** Runs a rule over consecutive windows until it is caught up, an error stops it, or the per-run bound. */
async function catchUpRule(env: Env, rules: RulesRepository, rule: RuleRow, now: Date): Promise<RuleRunSummary> {
  const total: RuleRunSummary = { ruleId: rule.id, status: 'skipped', hits: 0, newAlerts: 0 };
  let state = rule;
  for (let i = 0; i < maxWindowsPerRun; i++) {
    const window = ruleWindow(state, now);
    if (!window) break;
    const result = await runWindow(env, rules, state, window, now);
    total.status = result.status;
    total.hits += result.hits;
    total.newAlerts += result.newAlerts;
    if (result.status === 'error') return { ...total, error: result.error };
    state = { ...state, watermark: window.end };
  }
  return total;
}

async function runWindow(env: Env, rules: RulesRepository, rule: RuleRow, window: RuleWindow, now: Date): Promise<RuleRunSummary> {
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
