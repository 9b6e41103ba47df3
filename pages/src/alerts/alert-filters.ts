/**
 * The Alerts page's filters and the `GET /api/alerts` query they make. Pure: the time range becomes an
 * absolute `since` only when the caller picks the moment (on a filter change or Refresh), so re-rendering
 * never changes the request.
 */
import { severities, type AlertStatus, type Severity } from '../api/api-types';

export type StatusFilter = AlertStatus | 'all';

export const timeRanges = [
  { range: '24h', label: '24 h', hours: 24 },
  { range: '7d', label: '7 d', hours: 24 * 7 },
  { range: '30d', label: '30 d', hours: 24 * 30 },
  { range: 'all', label: 'All', hours: null },
] as const;
export type TimeRange = (typeof timeRanges)[number]['range'];

export const alertListLimit = 200;

export interface AlertFilters {
  status: StatusFilter;
  /** Empty: every severity. */
  severities: readonly Severity[];
  range: TimeRange;
}

/** Alerts active since (last seen at or after) this instant, or null for no bound; `now` by default. */
export function sinceFor(range: TimeRange, now: number = Date.now()): string | null {
  const hours = timeRanges.find((entry) => entry.range === range)?.hours ?? null;
  return hours === null ? null : new Date(now - hours * 3_600_000).toISOString();
}

export function alertsQuery(filters: AlertFilters, since: string | null): string {
  const params = new URLSearchParams();
  if (filters.status !== 'all') params.set('status', filters.status);
  // In the canonical order, so toggling chips in another order asks for the same URL.
  const chosen = severities.filter((severity) => filters.severities.includes(severity));
  if (chosen.length > 0 && chosen.length < severities.length) params.set('severity', chosen.join(','));
  if (since !== null) params.set('since', since);
  params.set('limit', String(alertListLimit));
  return `/api/alerts?${params.toString()}`;
}

/** Why an alert's notifications are held back, in words (`mutedBy` is a suppression id, `maintenance:<id>` or `threshold`). */
export function mutedReason(mutedBy: string): 'suppression' | 'maintenance' | 'below threshold' {
  if (mutedBy === 'threshold') return 'below threshold';
  if (mutedBy.startsWith('maintenance:')) return 'maintenance';
  return 'suppression';
}
