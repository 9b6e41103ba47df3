/**
 * Alerts: the triage list from `GET /api/alerts`, filtered by status, with per-alert status changes
 * (`PATCH /api/alerts/:id`). Clicking a row shows the evidence rows the rule matched.
 */
import { Fragment, useState } from 'react';
import { ApiError, apiRequest, useApi } from '../api/api-client';
import { alertStatuses, type Alert, type AlertStatus } from '../api/api-types';
import { useSession } from '../auth/session-context';
import { missingPermissionHint } from '../auth/permissions';
import { AlertEntities } from './alert-entities';
import { AlertEvidence } from './alert-evidence';
import { EmptyState } from '../ui/empty-state';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { PageHeader } from '../ui/page-header';
import { SeverityBadge } from '../ui/severity-badge';
import { StatusBadge } from '../ui/status-badge';
import { Timestamp } from '../ui/timestamp';

type StatusFilter = AlertStatus | 'all';

const columnCount = 8;

const statusFilters: readonly StatusFilter[] = [...alertStatuses, 'all'];
const alertActions: readonly { status: AlertStatus; label: string }[] = [
  { status: 'acknowledged', label: 'Acknowledge' },
  { status: 'closed', label: 'Close' },
  { status: 'false_positive', label: 'False positive' },
];

export function AlertsPage() {
  const { me } = useSession();
  const [filter, setFilter] = useState<StatusFilter>('open');
  const [expandedId, setExpandedId] = useState<string | null>(null);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<{ alertId: string; error: ApiError } | null>(null);
  const query = filter === 'all' ? '/api/alerts?limit=100' : `/api/alerts?status=${filter}&limit=100`;
  const { data, error, loading, reload } = useApi<{ alerts: Alert[] }>(query);
  const writeHint = missingPermissionHint(me.role, 'alerts:write');

  async function changeStatus(alert: Alert, status: AlertStatus) {
    setPendingId(alert.id);
    setActionError(null);
    try {
      await apiRequest<Alert>(`/api/alerts/${encodeURIComponent(alert.id)}`, { method: 'PATCH', body: { status } });
      reload();
    } catch (cause) {
      if (cause instanceof ApiError) setActionError({ alertId: alert.id, error: cause });
    } finally {
      setPendingId(null);
    }
  }

  const alerts = data?.alerts ?? [];

  return (
    <>
      <PageHeader
        title="Alerts"
        subtitle="Detections raised by the scheduled rules, deduplicated per rule and entity."
        actions={
          <>
            {loading && data && <LoadingIndicator inline label="Refreshing…" />}
            <div className="segmented" role="group" aria-label="Status filter">
              {statusFilters.map((status) => (
                <button
                  key={status}
                  type="button"
                  className={status === filter ? 'segment active' : 'segment'}
                  aria-pressed={status === filter}
                  onClick={() => {
                    setFilter(status);
                    setExpandedId(null);
                  }}
                >
                  {status.replaceAll('_', ' ')}
                </button>
              ))}
            </div>
            <button type="button" className="button" onClick={reload}>
              Refresh
            </button>
          </>
        }
      />
      {error && <ErrorBox error={error} />}
      {!data && loading && <LoadingIndicator label="Loading alerts…" />}
      {data && alerts.length === 0 && (
        <EmptyState title={filter === 'all' ? 'No alerts yet' : `No ${filter.replaceAll('_', ' ')} alerts`}>
          Alerts appear when an enabled detection rule matches ingested events.
        </EmptyState>
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
                  <th>First seen</th>
                  <th>Last seen</th>
                  <th className="numeric">Count</th>
                  <th>Status</th>
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
                      >
                        <td>
                          <SeverityBadge severity={alert.severity} />
                        </td>
                        <td className="strong wrap">
                          <span className="disclosure" aria-hidden="true">
                            {expanded ? '▾' : '▸'}
                          </span>
                          {alert.title}
                          <div className="muted small alert-rule">rule: {alert.ruleName}</div>
                        </td>
                        <td>
                          <AlertEntities alert={alert} />
                        </td>
                        <td>
                          <Timestamp iso={alert.firstSeen} stacked />
                        </td>
                        <td>
                          <Timestamp iso={alert.lastSeen} stacked />
                        </td>
                        <td className="numeric">{alert.count.toLocaleString('en-US')}</td>
                        <td>
                          <StatusBadge status={alert.status} />
                        </td>
                        <td className="row-actions row-actions-wrap" onClick={(event) => event.stopPropagation()}>
                          {alertActions
                            .filter((action) => action.status !== alert.status)
                            .map((action) => (
                              <button
                                key={action.status}
                                type="button"
                                className="button button-small"
                                disabled={pendingId === alert.id || writeHint !== undefined}
                                title={writeHint}
                                onClick={() => void changeStatus(alert, action.status)}
                              >
                                {action.label}
                              </button>
                            ))}
                        </td>
                      </tr>
                      {actionError?.alertId === alert.id && (
                        <tr className="detail-row">
                          <td colSpan={columnCount}>
                            <ErrorBox error={actionError.error} title="Could not change the alert" />
                          </td>
                        </tr>
                      )}
                      {expanded && (
                        <tr className="detail-row">
                          <td colSpan={columnCount}>
                            <AlertEvidence alert={alert} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
          {alerts.length >= 100 && <div className="table-footnote muted small">Showing the first 100 alerts.</div>}
        </section>
      )}
    </>
  );
}
