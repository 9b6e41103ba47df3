/**
 * The scheduled detector (cron): runs every enabled SQL rule that is due over its next event-time window
 * (core/detect/sql-rule), turns result rows into alerts, and records the run. One rule's failure is recorded
 * on that rule and does not stop the others; its watermark stays put, so the window is retried next time.
 */
import { eventHitCandidates } from '../../core/detect/sigma-hits';
import { alertCandidates, isRuleDue, maxWindowsPerRun, ruleWindow, ruleWindowParams, type AlertCandidate, type RuleWindow } from '../../core/detect/sql-rule';
import { sigmaMappings } from '../../core/sigma/mappings';
import { compileRuleBook, severityOfLevel, type BookEntry, type RuleBook } from '../../core/sigma/rule-book';
import { bindTimeWindow } from '../../core/sigma/sql/compile-sql';
import { analystQueryPolicy } from '../../core/sql/query-policy';
import { validateQuery } from '../../core/sql/validate-query';
import { runCountedQuery } from '../../adapters/d1/query-runner';
import { RulesRepository, type RuleRow } from '../../adapters/d1/rules-repository';
import type { Env } from '../env';
import { recordHits, type SinkRule } from './alert-sink';

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
  const enabled = await rules.listEnabled();
  // Every stored Sigma rule is compiled together (correlations refer to rules, enabled or not), once per run.
  const book = enabled.some((r) => r.format === 'sigma') ? compileRuleBook(await rules.sigmaTexts(), sigmaMappings) : null;
  for (const rule of enabled) {
    if (!isRuleDue(rule, now)) {
      summaries.push({ ruleId: rule.id, status: 'skipped', hits: 0, newAlerts: 0 });
      continue;
    }
    summaries.push(await catchUpRule(env, rules, rule, now, book));
  }
  return summaries;
}

/** Runs a rule over consecutive windows until it is caught up, an error stops it, or the per-run bound. */
async function catchUpRule(env: Env, rules: RulesRepository, rule: RuleRow, now: Date, book: RuleBook | null): Promise<RuleRunSummary> {
  const total: RuleRunSummary = { ruleId: rule.id, status: 'skipped', hits: 0, newAlerts: 0 };
  let state = rule;
  for (let i = 0; i < maxWindowsPerRun; i++) {
    const window = ruleWindow(state, now);
    if (!window) break;
    const result = rule.format === 'sigma' ? await runSigmaWindow(env, rules, state, window, now, book) : await runWindow(env, rules, state, window, now);
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
  const finish = async (status: 'ok' | 'error', rows: number, hits: number, error: string | null, rowsRead = 0) => {
    await rules.recordRun(rule, {
      startedAt: now.toISOString(),
      durationMs: Date.now() - started,
      windowStart: window.start,
      windowEnd: window.end,
      status,
      rows,
      rowsRead,
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
    const result = await runCountedQuery(env.DB, validated.sql, params, maxRowsPerRun);
    const candidates = alertCandidates(rule, result.columns, result.rows.map((r) => result.columns.map((c) => r[c])), window);
    const { newAlerts } = await recordHits(env, sinkRule(rule, { name: rule.name, severity: rule.severity, hitScope: rule.id }), candidates, now);
    await finish('ok', result.rows.length, candidates.length, result.truncated ? `more than ${maxRowsPerRun} rows; the rest were not alerted` : null, result.rowsRead);
    return { ruleId: rule.id, status: 'ok', hits: candidates.length, newAlerts };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await finish('error', 0, 0, message);
    return { ruleId: rule.id, status: 'error', hits: 0, newAlerts: 0, error: message };
  }
}

/** Rows a Sigma query may return per window before the run records that the rest were not alerted. */
export const maxSigmaRowsPerWindow = 5000;

/** One window of a stored Sigma rule: every document of its YAML, each with its own compiled D1 query. */
async function runSigmaWindow(env: Env, rules: RulesRepository, rule: RuleRow, window: RuleWindow, now: Date, book: RuleBook | null): Promise<RuleRunSummary> {
  const started = Date.now();
  const problem = book?.problems.find((p) => p.rowId === rule.id);
  const entries = book?.entries.filter((e) => e.rowId === rule.id) ?? [];
  let rowsRead = 0;
  const record = async (status: 'ok' | 'error', rows: number, hits: number, error: string | null) => {
    await rules.recordRun(rule, { startedAt: now.toISOString(), durationMs: Date.now() - started, windowStart: window.start, windowEnd: window.end, status, rows, rowsRead, hits, error });
  };
  if (problem || entries.length === 0) {
    const message = problem ? problem.errors.map((e) => e.message).join('; ') : 'the rule compiles to nothing';
    await record('error', 0, 0, `Sigma rule does not compile: ${message}`);
    return { ruleId: rule.id, status: 'error', hits: 0, newAlerts: 0, error: message };
  }
  let rows = 0;
  let hits = 0;
  let newAlerts = 0;
  const notes: string[] = [];
  try {
    for (const entry of entries) {
      const found = await runBookEntry(env, entry, window, JSON.parse(rule.dedupFields) as string[]);
      rows += found.rows;
      rowsRead += found.rowsRead;
      if (found.truncated) notes.push(`${entry.document.title}: more than ${maxSigmaRowsPerWindow} rows; the rest were not alerted`);
      if (!entry.raisesAlerts) continue;
      hits += found.candidates.length;
      const severity = entry.document.level ? severityOfLevel(entry.document.level) : rule.severity;
      const hitScope = `${entry.rowId}:${entry.document.id ?? entry.document.title}`;
      const tags = entry.document.tags.length > 0 ? entry.document.tags : undefined;
      newAlerts += (await recordHits(env, sinkRule(rule, { name: entry.document.title, severity, hitScope, tags }), found.candidates, now)).newAlerts;
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await record('error', rows, hits, message);
    return { ruleId: rule.id, status: 'error', hits, newAlerts, error: message };
  }
  await record('ok', rows, hits, notes.length ? notes.join('; ') : null);
  return { ruleId: rule.id, status: 'ok', hits, newAlerts };
}

/** The sink's view of a rule row, for one of its documents (or the whole SQL rule). */
function sinkRule(rule: RuleRow, doc: { name: string; severity: RuleRow['severity']; hitScope: string; tags?: readonly string[] | undefined }): SinkRule {
  return {
    id: rule.id,
    name: doc.name,
    severity: doc.severity,
    hitScope: doc.hitScope,
    sigmaId: rule.sigmaId,
    tags: doc.tags ?? (JSON.parse(rule.tags) as string[]),
    dedupWindowMinutes: rule.dedupWindowMinutes,
    threshold: rule.threshold,
  };
}

async function runBookEntry(
  env: Env,
  entry: BookEntry,
  window: RuleWindow,
  dedupFields: readonly string[],
): Promise<{ rows: number; rowsRead: number; truncated: boolean; candidates: AlertCandidate[] }> {
  const query = bindTimeWindow(entry.query, window);
  const { columns, rows, truncated, rowsRead } = await runCountedQuery(env.DB, query.sql, query.params, maxSigmaRowsPerWindow);
  const title = entry.document.title;
  if (entry.document.kind === 'correlation' || entry.document.aggregation) {
    return { rows: rows.length, rowsRead, truncated, candidates: alertCandidates({ id: `${entry.rowId}:${entry.document.id ?? title}`, name: title }, columns, rows.map((r) => columns.map((c) => r[c])), window) };
  }
  // Engines without some predicate (D1 has no REGEXP) select a superset: each row is confirmed exactly.
  const events = entry.confirm ? rows.filter((r) => entry.confirm!({ columns: r, raw: parseRaw(r.raw) })) : rows;
  return { rows: rows.length, rowsRead, truncated, candidates: eventHitCandidates({ id: `${entry.rowId}:${entry.document.id ?? title}`, title }, events, dedupFields) };
}

function parseRaw(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
