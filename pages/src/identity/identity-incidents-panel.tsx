/**
 * Identity incidents (`GET /api/identity/incidents`): people whose detections crossed two kill-chain stages
 * (escalated at three), across every identity provider.
 */
import { useApi } from '../api/api-client';
import type { IdentityIncident } from '../api/api-types';
import { alertPath, identityUserPath } from '../router/app-routes';
import { Link } from '../router/router';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { SeverityBadge } from '../ui/severity-badge';
import { Timestamp } from '../ui/timestamp';
import { humanize } from './identity-labels';

export function IdentityIncidentsPanel({ person }: { person?: string }) {
  const path = `/api/identity/incidents?status=all&limit=50${person ? `&person=${encodeURIComponent(person)}` : ''}`;
  const { data, error, loading } = useApi<{ incidents: IdentityIncident[] }>(path);
  const incidents = data?.incidents ?? [];
  return (
    <section className="panel">
      <div className="panel-title">
        Identity incidents <span className="muted small">(two kill-chain stages open one, three escalate it)</span>
      </div>
      {error && <ErrorBox error={error} />}
      {!data && loading && <LoadingIndicator label="Loading identity incidents…" />}
      {data && incidents.length === 0 && <div className="muted panel-body">No identity incident{person ? ' for this person' : ''}.</div>}
      {incidents.length > 0 && (
        <div className="table-scroll">
          <table className="data-table" data-testid="identity-incidents-table">
            <thead>
              <tr>
                <th>Person</th>
                <th>Status</th>
                <th>Stages</th>
                <th>Detections</th>
                <th>Providers</th>
                <th>Opened</th>
                <th>Last seen</th>
              </tr>
            </thead>
            <tbody>
              {incidents.map((incident) => (
                <tr key={incident.id} data-testid="identity-incident-row">
                  <td className="strong">
                    <Link to={identityUserPath(incident.person)}>{incident.person}</Link>
                  </td>
                  <td>
                    <SeverityBadge severity={incident.severity} /> <span className="small">{incident.status}</span>
                  </td>
                  <td>
                    <div className="itdr-stages">
                      {incident.stages.map((s) => (
                        <span key={s} className="badge badge-soft itdr-stage">
                          {humanize(s)}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td className="small">
                    {incident.detections.map((d, i) => (
                      <span key={d.id}>
                        {i > 0 && ', '}
                        {d.alertId ? <Link to={alertPath(d.alertId)}>{humanize(d.kind)}</Link> : humanize(d.kind)}
                      </span>
                    ))}
                  </td>
                  <td className="small">{incident.providers.join(', ')}</td>
                  <td>
                    <Timestamp iso={incident.openedAt} />
                  </td>
                  <td>
                    <Timestamp iso={incident.lastSeen} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
