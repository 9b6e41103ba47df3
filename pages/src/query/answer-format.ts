/** Words and numbers of a `POST /api/query` answer: bytes, dollars, the engine. */
import type { SqlDialect } from '../api/api-types';

const dialectNames: Record<SqlDialect, string> = { d1: 'D1', athena: 'Athena', bigquery: 'BigQuery', synapse: 'Synapse' };

export function dialectName(dialect: SqlDialect): string {
  return dialectNames[dialect];
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

const cents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const tiny = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 2, maximumFractionDigits: 12 });

/** Dollars: cents from one cent up, two significant digits below (D1 prices are millionths of a dollar). */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  return usd >= 0.01 ? cents.format(usd) : tiny.format(usd);
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "offline engine", "anthropic", "your SQL" — and the provider that failed, when the offline engine stood in. */
export function engineLabel(engine: string, fallbackFrom: string | null): string {
  const name = engine === 'offline' ? 'offline engine' : engine === 'sql' ? 'your SQL' : engine;
  return fallbackFrom ? `${name} (${fallbackFrom} failed)` : name;
}
