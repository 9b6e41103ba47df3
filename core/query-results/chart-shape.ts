/**
 * Which chart, if any, a query result reads best as. Two shapes qualify, both of exactly two columns:
 * - a time series: one column of timestamps or dates (ISO-8601, `2026-11-27`, `2026-11-27T16:00Z`,
 *   `2026-11-27 16:00:00`) and one of numbers → a line, points in time order;
 * - a grouped count: one column of labels (text, or null shown as "(none)") and one of numbers → bars, in the
 *   result's order (the query's ORDER BY), at most `maxBars` of them.
 * Anything else (one row, more columns, a numeric column with text in it) gets no chart rather than a wrong one.
 * Times without a zone are read as UTC, like every time in the API.
 */

export interface TimePoint {
  readonly time: number;
  readonly label: string;
  readonly value: number;
}

export interface BarPoint {
  readonly label: string;
  readonly value: number;
}

export type ChartShape =
  | { readonly kind: 'line'; readonly timeColumn: string; readonly valueColumn: string; readonly points: readonly TimePoint[] }
  | { readonly kind: 'bar'; readonly labelColumn: string; readonly valueColumn: string; readonly bars: readonly BarPoint[]; readonly omitted: number };

export const maxBars = 25;

const isoTime = /^(\d{4})-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.\d+)?)?)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Milliseconds since the epoch of an ISO-like timestamp or date, read as UTC without a zone; null if it is not one. */
export function parseTimeValue(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = isoTime.exec(value.trim());
  if (!match) return null;
  const [, year, month, day = '01', hour, minute = '00', second = '00', zone] = match;
  // A bare hour (`2026-11-27T16`) is not a valid Date string: write the time out in full.
  const time = hour === undefined ? '00:00:00' : `${hour}:${minute}:${second}`;
  const offset = zone === undefined ? 'Z' : zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${year}-${month}-${day}T${time}${offset}`);
  return Number.isNaN(ms) ? null : ms;
}

function isNumberColumn(rows: readonly (readonly unknown[])[], index: number): boolean {
  let seen = 0;
  for (const row of rows) {
    const value = row[index];
    if (value === null || value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) return false;
    seen++;
  }
  return seen > 0;
}

export function detectChartShape(columns: readonly string[], rows: readonly (readonly unknown[])[]): ChartShape | null {
  if (columns.length !== 2 || rows.length < 2) return null;
  const numeric = [isNumberColumn(rows, 0), isNumberColumn(rows, 1)];
  // The value column is the numeric one; when both are, the second (`GROUP BY x … count(*)` puts the count last).
  const valueIndex = numeric[1] ? 1 : numeric[0] ? 0 : -1;
  if (valueIndex === -1) return null;
  const keyIndex = 1 - valueIndex;
  const keyColumn = columns[keyIndex]!;
  const valueColumn = columns[valueIndex]!;
  const valueOf = (row: readonly unknown[]) => (typeof row[valueIndex] === 'number' ? (row[valueIndex] as number) : 0);

  const times = rows.map((row) => parseTimeValue(row[keyIndex]));
  if (times.every((time) => time !== null)) {
    const points = rows
      .map((row, i) => ({ time: times[i]!, label: String(row[keyIndex]), value: valueOf(row) }))
      .sort((a, b) => a.time - b.time);
    return { kind: 'line', timeColumn: keyColumn, valueColumn, points };
  }

  if (numeric[keyIndex]) return null;
  const labels = rows.map((row) => row[keyIndex]);
  if (!labels.every((label) => label === null || label === undefined || typeof label === 'string' || typeof label === 'boolean')) return null;
  const bars = rows.slice(0, maxBars).map((row) => ({
    label: row[keyIndex] === null || row[keyIndex] === undefined || row[keyIndex] === '' ? '(none)' : String(row[keyIndex]),
    value: valueOf(row),
  }));
  return { kind: 'bar', labelColumn: keyColumn, valueColumn, bars, omitted: rows.length - bars.length };
}
