/**
 * Incidents: the alerts open on one entity (a user or an IP) rolled up into one incident, riskiest first
 * (`GET /api/incidents`). The risk score is the sum of the incident's alerts' severity points.
 */
import { useState } from 'react';
import { useApi } from '../api/api-client';
import type { Incident } from '../api/api-types';
import { incidentPath } from '../router/app-routes';
import { Link, navigate } from '../router/router';
import { EmptyState } from '../ui/empty-state';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { PageHeader } from '../ui/page-header';
import { SeverityBadge } from '../ui/severity-badge';
import { StatusBadge } from '../ui/status-badge';
import { Timestamp } from '../ui/timestamp';
import { RiskScore } from './risk-score';

const statusFilters = ['open', 'closed', 'all'] as const;
type IncidentFilter = (typeof statusFilters)[number];

export function IncidentsPage() {
  const [filter, setFilter] = useState<IncidentFilter>('open');
  const { data, error, loading, reload } = useApi<{ incidents: Incident[] }>(`/api/incidents?status=${filter}`);
  const incidents = data?.incidents ?? [];

  return (
    <>
      <PageHeader
        title="Incidents"
        subtitle="Alerts on the same user or IP address, grouped and ranked by risk score."
        actions={
          <>
            {loading && data && <LoadingIndicator inline label="Refreshing…" />}
            <div className="segmented" role="group" aria-label="Status filter">
              {statusFilters.map((status) => (
                <button key={status} type="button" className={status === filter ? 'segment active' : 'segment'} aria-pressed={status === filter} onClick={() => setFilter(status)}>
                  {status}
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
      {!data && loading && <LoadingIndicator label="Loading incidents…" />}
      {data && incidents.length === 0 && (
        <EmptyState title={filter === 'all' ? 'No incidents yet' : `No ${filter} incidents`}>
          An incident opens when an alert names a user or an IP address; later alerts on that entity join it.
        </EmptyState>
      )}
      {incidents.length > 0 && (
        <section className="panel">
          <div className="table-scroll">
            <table className="data-table" data-testid="incidents-table">
              <thead>
                <tr>
                  <th>Entity</th>
                  <th>Kind</th>
                  <th className="numeric">Risk score</th>
                  <th>Severity</th>
                  <th className="numeric">Alerts</th>
                  <th>First seen</th>
                  <th>Last seen</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {incidents.map((incident) => (
                  <tr key={incident.id} className="clickable" onClick={() => navigate(incidentPath(incident.id))} data-testid="incident-row">
                    <td className="strong">
                      <Link to={incidentPath(incident.id)} onClick={(event) => event.stopPropagation()} className={incident.entityKind === 'ip' ? 'mono' : undefined}>
                        {incident.entity}
                      </Link>
                    </td>
                    <td>{incident.entityKind === 'ip' ? 'IP address' : 'user'}</td>
                    <td className="numeric">
                      <RiskScore score={incident.riskScore} />
                    </td>
                    <td>
                      <SeverityBadge severity={incident.severity} />
                    </td>
                    <td className="numeric">{incident.alertCount}</td>
                    <td>
                      <Timestamp iso={incident.firstSeen} stacked />
                    </td>
                    <td>
                      <Timestamp iso={incident.lastSeen} stacked />
                    </td>
                    <td>
                      <StatusBadge status={incident.status} />
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
