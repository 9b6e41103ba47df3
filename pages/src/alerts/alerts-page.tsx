/**
 * Alerts: the triage list from `GET /api/alerts`, filtered by status, severity and how recently the alert was
 * active. A row shows whether notifications are muted and the incident it belongs to; expanding it loads the
 * full alert (evidence, lifecycle, delivery log) with its actions.
 */
import { Fragment, useState } from 'react';
import { useApi } from '../api/api-client';
import { alertStatuses, severities, type Alert, type Severity } from '../api/api-types';
import { alertPath, incidentPath } from '../router/app-routes';
import { Link } from '../router/router';
import { EmptyState } from '../ui/empty-state';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { PageHeader } from '../ui/page-header';
import { SeverityBadge } from '../ui/severity-badge';
import { StatusBadge } from '../ui/status-badge';
import { Timestamp } from '../ui/timestamp';
import { AlertStatusButtons } from './alert-actions';
import { MutedBadge } from './alert-badges';
import { AlertChangeNotice, type AlertChange } from './alert-change';
import { AlertDetailView, useAlertDetail } from './alert-detail';
import { AlertEntities } from './alert-entities';
import { alertListLimit, alertsQuery, sinceFor, timeRanges, type AlertFilters, type StatusFilter, type TimeRange } from './alert-filters';

const columnCount = 8;
const statusFilters: readonly StatusFilter[] = [...alertStatuses, 'all'];

export function AlertsPage() {
  const [filters, setFilters] = useState<AlertFilters>({ status: 'open', severities: [], range: 'all' });
  const [since, setSince] = useState<string | null>(null);
  const [expandedId, setExpandedId] = useState<string | null>(null);
  const [change, setChange] = useState<AlertChange | null>(null);
  const { data, error, loading, reload } = useApi<{ alerts: Alert[] }>(alertsQuery(filters, since));

  function updateFilters(next: Partial<AlertFilters>) {
    const merged = { ...filters, ...next };
    setFilters(merged);
    setSince(sinceFor(merged.range));
    setExpandedId(null);
  }

  function refresh() {
    const nextSince = sinceFor(filters.range);
    if (nextSince === since) reload();
    else setSince(nextSince);
  }

  function toggleSeverity(severity: Severity) {
    const chosen = filters.severities.includes(severity) ? filters.severities.filter((s) => s !== severity) : [...filters.severities, severity];
    updateFilters({ severities: chosen });
  }

  function changed(next: AlertChange) {
    setChange(next);
    reload();
  }

  const alerts = data?.alerts ?? [];

  return (
    <>
      <PageHeader
        title="Alerts"
        subtitle="Detections raised by the rules, deduplicated per rule and entity."
        actions={
          <>
            {loading && data && <LoadingIndicator inline label="Refreshing…" />}
            <button type="button" className="button" onClick={refresh}>
              Refresh
            </button>
          </>
        }
      />
      <div className="filter-bar" data-testid="alert-filters">
        <div className="segmented" role="group" aria-label="Status filter">
          {statusFilters.map((status) => (
            <button
              key={status}
              type="button"
              className={status === filters.status ? 'segment active' : 'segment'}
              aria-pressed={status === filters.status}
              onClick={() => updateFilters({ status })}
              data-testid={`status-filter-${status}`}
            >
              {status.replaceAll('_', ' ')}
            </button>
          ))}
        </div>
        <div className="severity-filter" role="group" aria-label="Severity filter">
          {severities.map((severity) => {
            const on = filters.severities.includes(severity);
            return (
              <button
                key={severity}
                type="button"
                className={on ? `severity-toggle on severity-${severity}` : 'severity-toggle'}
                aria-pressed={on}
                onClick={() => toggleSeverity(severity)}
                data-testid={`severity-filter-${severity}`}
              >
                {severity}
              </button>
            );
          })}
          {filters.severities.length > 0 && (
            <button type="button" className="link-button small" onClick={() => updateFilters({ severities: [] })}>
              any severity
            </button>
          )}
        </div>
        <div className="segmented" role="group" aria-label="Active within">
          {timeRanges.map(({ range, label }) => (
            <button
              key={range}
              type="button"
              className={range === filters.range ? 'segment active' : 'segment'}
              aria-pressed={range === filters.range}
              onClick={() => updateFilters({ range: range as TimeRange })}
              title={range === 'all' ? 'Any time' : `Active in the last ${label}`}
              data-testid={`range-filter-${range}`}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      {change && <AlertChangeNotice change={change} onDismiss={() => setChange(null)} linkToAlert />}
      {error && <ErrorBox error={error} />}
      {!data && loading && <LoadingIndicator label="Loading alerts…" />}
      {data && alerts.length === 0 && (
        <EmptyState title="No alerts match these filters">Alerts appear when an enabled detection rule matches ingested events.</EmptyState>
      )}
      {alerts.length > 0 && (
        <section className="panel">
          <div className="table-scroll">
            <table className="data-table" data-testid="alerts-table">
              <thead>
                <tr>
                  <th>Severity</th>
                  <th>Title / rule</th>
                  <th>Entities</th>
                  <th>Last seen</th>
                  <th className="numeric">Count</th>
                  <th>Status</th>
                  <th>Incident</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {alerts.map((alert) => {
                  const expanded = expandedId === alert.id;
                  return (
                    <Fragment key={alert.id}>
                      <tr
                        className={expanded ? 'clickable expanded' : 'clickable'}
                        onClick={() => setExpandedId(expanded ? null : alert.id)}
                        aria-expanded={expanded}
                        data-testid="alert-row"
                        data-severity={alert.severity}
                      >
                        <td>
                          <SeverityBadge severity={alert.severity} />
                        </td>
                        <td className="strong wrap">
                          <span className="disclosure" aria-hidden="true">
                            {expanded ? '▾' : '▸'}
                          </span>
                          {alert.title}
                          <div className="muted small alert-rule">
                            rule: {alert.ruleName}
                            {alert.occurrence > 1 && <> · occurrence #{alert.occurrence}</>}
                          </div>
                        </td>
                        <td>
                          <AlertEntities alert={alert} />
                        </td>
                        <td>
                          <Timestamp iso={alert.lastSeen} stacked />
                        </td>
                        <td className="numeric">{alert.count.toLocaleString('en-US')}</td>
                        <td>
                          <div className="badge-stack">
                            <StatusBadge status={alert.status} />
                            {alert.mutedBy && <MutedBadge mutedBy={alert.mutedBy} />}
                          </div>
                        </td>
                        <td onClick={(event) => event.stopPropagation()}>
                          {alert.incidentId ? (
                            <Link to={incidentPath(alert.incidentId)} className="mono small" title={alert.incidentId}>
                              {shortId(alert.incidentId)}
                            </Link>
                          ) : (
                            <span className="dim">—</span>
                          )}
                        </td>
                        <td className="row-actions row-actions-wrap" onClick={(event) => event.stopPropagation()}>
                          <AlertStatusButtons alert={alert} onChanged={changed} />
                        </td>
                      </tr>
                      {expanded && (
                        <tr className="detail-row">
                          <td colSpan={columnCount}>
                            <ExpandedAlert alert={alert} onChanged={changed} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
          {alerts.length >= alertListLimit && <div className="table-footnote muted small">Showing the {alertListLimit} most recently active alerts.</div>}
        </section>
      )}
    </>
  );
}

function ExpandedAlert({ alert, onChanged }: { alert: Alert; onChanged: (change: AlertChange) => void }) {
  const state = useAlertDetail(alert.id);
  return (
    <>
      <div className="detail-links small">
        <Link to={alertPath(alert.id)}>Open the alert’s page</Link>
      </div>
      <AlertDetailView
        state={state}
        listed={alert}
        onChanged={(change) => {
          state.detail.reload();
          onChanged(change);
        }}
      />
    </>
  );
}

/** `inc_057940c5e242475f816f` → `inc_057940…`: enough to tell incidents apart in a column. */
function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 10)}…` : id;
}
