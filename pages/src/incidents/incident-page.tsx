/** One incident (`GET /api/incidents/:id`): its entity, risk and the alerts that make it up, each linking to the alert. */
import { useApi } from '../api/api-client';
import type { IncidentDetail } from '../api/api-types';
import { alertPath, identityUserPath } from '../router/app-routes';
import { Link } from '../router/router';
import { AlertEntities } from '../alerts/alert-entities';
import { MutedBadge } from '../alerts/alert-badges';
import { EmptyState } from '../ui/empty-state';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { PageHeader } from '../ui/page-header';
import { SeverityBadge } from '../ui/severity-badge';
import { StatusBadge } from '../ui/status-badge';
import { Timestamp } from '../ui/timestamp';
import { RiskScore } from './risk-score';

export function IncidentPage({ incidentId }: { incidentId: string }) {
  const { data, error, loading, reload } = useApi<IncidentDetail>(`/api/incidents/${encodeURIComponent(incidentId)}`);
  const incident = data?.incident;
  const alerts = data?.alerts ?? [];

  return (
    <>
      <div className="breadcrumb">
        <Link to="/incidents">Incidents</Link> / <span className="mono">{incidentId}</span>
      </div>
      <PageHeader
        title={incident ? `${incident.entityKind === 'ip' ? 'IP address' : 'User'} ${incident.entity}` : 'Incident'}
        subtitle={incident && <span className="inline-facts">{incident.entityKind === 'user' && <Link to={identityUserPath(incident.entity)}>Identity timeline</Link>}</span>}
        actions={
          <>
            {loading && data && <LoadingIndicator inline label="Refreshing…" />}
            <button type="button" className="button" onClick={reload}>
              Refresh
            </button>
          </>
        }
      />
      {error && <ErrorBox error={error} />}
      {!data && loading && <LoadingIndicator label="Loading the incident…" />}
      {incident && (
        <div className="stat-row" data-testid="incident-summary">
          <div className="stat">
            <div className="stat-label">Risk score</div>
            <div className="stat-value">
              <RiskScore score={incident.riskScore} />
            </div>
          </div>
          <div className="stat">
            <div className="stat-label">Severity · status</div>
            <div className="stat-value inline-facts">
              <SeverityBadge severity={incident.severity} />
              <StatusBadge status={incident.status} />
            </div>
          </div>
          <div className="stat">
            <div className="stat-label">Alerts</div>
            <div className="stat-value">{incident.alertCount}</div>
          </div>
          <div className="stat">
            <div className="stat-label">Seen</div>
            <div className="stat-value small">
              <Timestamp iso={incident.firstSeen} /> → <Timestamp iso={incident.lastSeen} />
            </div>
          </div>
        </div>
      )}
      {data && alerts.length === 0 && <EmptyState title="This incident has no alerts left" />}
      {alerts.length > 0 && (
        <section className="panel">
          <div className="panel-title">Alerts</div>
          <div className="table-scroll">
            <table className="data-table" data-testid="incident-alerts">
              <thead>
                <tr>
                  <th>Severity</th>
                  <th>Title / rule</th>
                  <th>Entities</th>
                  <th>First seen</th>
                  <th>Last seen</th>
                  <th className="numeric">Count</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {alerts.map((alert) => (
                  <tr key={alert.id}>
                    <td>
                      <SeverityBadge severity={alert.severity} />
                    </td>
                    <td className="wrap">
                      <Link to={alertPath(alert.id)} className="strong" data-testid="incident-alert-link">
                        {alert.title}
                      </Link>
                      <div className="muted small">rule: {alert.ruleName}</div>
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
                      <div className="badge-stack">
                        <StatusBadge status={alert.status} />
                        {alert.mutedBy && <MutedBadge mutedBy={alert.mutedBy} />}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
