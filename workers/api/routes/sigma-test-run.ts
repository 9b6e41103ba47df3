/**
 * Runs compiled Sigma rule-book entries over a time window without raising alerts: what each document would
 * select, how many alerts it would raise, and a sample of its rows. Shared by POST /api/rules/:id/test (a stored
 * rule) and POST /api/rules/from-question (a generated rule that is not saved).
 */
import { eventHitCandidates } from '../../../core/detect/sigma-hits';
import type { BookEntry } from '../../../core/sigma/rule-book';
import { bindTimeWindow } from '../../../core/sigma/sql/compile-sql';

export const testMaxRows = 5000;
export const testSampleRows = 20;
export const testSampleColumns = ['event_time', 'source', 'action', 'outcome', 'actor', 'src_ip', 'src_country', 'target', 'event_uid'];

export interface TestWindow {
  readonly start: string;
  readonly end: string;
}

export interface DocumentTestResult {
  readonly title: string;
  readonly kind: BookEntry['document']['kind'];
  readonly raisesAlerts: boolean;
  readonly rows: number;
  readonly truncated: boolean;
  readonly alerts: number;
  readonly sample: readonly Record<string, unknown>[];
}

/** Each entry's query over `window` (bound parameters), at most `testMaxRows` rows each, confirmed where needed. */
export async function runSigmaEntriesOverWindow(
  db: D1Database,
  entries: readonly BookEntry[],
  window: TestWindow,
  dedupFields: readonly string[],
): Promise<DocumentTestResult[]> {
  const documents: DocumentTestResult[] = [];
  for (const entry of entries) {
    const query = bindTimeWindow(entry.query, window);
    const { results } = await db
      .prepare(`SELECT * FROM (\n${query.sql}\n) LIMIT ?${query.params.length + 1}`)
      .bind(...query.params, testMaxRows + 1)
      .all<Record<string, unknown>>();
    const truncated = results.length > testMaxRows;
    let rows = results.slice(0, testMaxRows);
    if (entry.confirm) rows = rows.filter((r) => entry.confirm!({ columns: r, raw: parseRaw(r.raw) }));
    const grouped = entry.document.kind === 'correlation' || (entry.document.kind === 'rule' && entry.document.aggregation);
    const alerts = grouped ? rows.length : eventHitCandidates({ id: entry.rowId, title: entry.document.title }, rows, [...dedupFields]).length;
    documents.push({
      title: entry.document.title,
      kind: entry.document.kind,
      raisesAlerts: entry.raisesAlerts,
      rows: rows.length,
      truncated,
      alerts,
      sample: rows.slice(0, testSampleRows).map((r) => (grouped ? r : Object.fromEntries(testSampleColumns.map((col) => [col, r[col] ?? null])))),
    });
  }
  return documents;
}

function parseRaw(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
