/** Saves a query result as a CSV file (core/query-results/csv.ts) through a Blob URL and a download link. */
import { toCsv } from '../../../core/query-results/csv';

export function csvFileName(question: string, at: Date = new Date()): string {
  const slug = question
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  const stamp = at.toISOString().slice(0, 19).replaceAll(':', '').replace('T', '-');
  return `mantissa-${slug || 'query'}-${stamp}.csv`;
}

export function downloadCsv(fileName: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): void {
  const blob = new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the time the click returns; revoking later rather than now is for slow browsers.
  window.setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
