/**
 * One alert in full (`GET /api/alerts/:id`): actions, who and what it is about, its lifecycle (acknowledged,
 * resolved, escalated, muted), its incident, the evidence rows with the rule's attribution, and the delivery
 * log. Shown under an expanded row of the Alerts page and on the alert's own page (`/alerts/:id`).
 */
import { useApi, type ApiState } from '../api/api-client';
import type { Alert, AlertDetail, RoutingState } from '../api/api-types';
import { roleCan } from '../auth/permissions';
import { useSession } from '../auth/session-context';
import { incidentPath } from '../router/app-routes';
import { Link } from '../router/router';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { SeverityBadge } from '../ui/severity-badge';
import { Timestamp } from '../ui/timestamp';
import { AlertActions } from './alert-actions';
import { MutedBadge } from './alert-badges';
import type { AlertChange } from './alert-change';
import { AlertEntities } from './alert-entities';
import { AlertEvidence } from './alert-evidence';
import { DeliveryLog } from './delivery-log';

export interface AlertDetailState {
  detail: ApiState<AlertDetail>;
  /** The routing document, to explain an empty delivery log; undefined without routing:read. */
  routing: RoutingState | undefined;
}

export function useAlertDetail(alertId: string): AlertDetailState {
  const { me } = useSession();
  const detail = useApi<AlertDetail>(`/api/alerts/${encodeURIComponent(alertId)}`);
  const routing = useApi<RoutingState>(roleCan(me.role, 'routing:read') ? '/api/routing' : null);
  return { detail, routing: routing.data };
}

/** `listed` is the alert as the list showed it, drawn until the full detail arrives. */
export function AlertDetailView({ state, listed, onChanged }: { state: AlertDetailState; listed?: Alert; onChanged: (change: AlertChange) => void }) {
  const { data, error, loading } = state.detail;
  const alert = data?.alert ?? listed;
  if (!alert) {
    return error ? <ErrorBox error={error} /> : <LoadingIndicator label="Loading the alert…" />;
  }
  return (
    <div className="alert-detail" data-testid="alert-detail">
      <AlertActions alert={alert} onChanged={onChanged} />
      {error && <ErrorBox error={error} title="Could not load the alert's details" />}
      <AlertFacts alert={alert} detail={data} />
      <AlertEvidence alert={alert} />
      {data ? (
        <DeliveryLog alert={alert} deliveries={data.deliveries} routing={state.routing} />
      ) : (
        loading && <LoadingIndicator inline label="Loading the delivery log…" />
      )}
    </div>
  );
}

function AlertFacts({ alert, detail }: { alert: Alert; detail: AlertDetail | undefined }) {
  const incident = detail?.incident ?? null;
  return (
    <dl className="details-list alert-facts" data-testid="alert-facts">
      <dt>Entities</dt>
      <dd>
        <AlertEntities alert={alert} />
      </dd>
      <dt>Incident</dt>
      <dd>
        {incident ? (
          <span className="inline-facts">
            <Link to={incidentPath(incident.id)}>
              {incident.entityKind} {incident.entity}
            </Link>
            <span className="muted small">risk {incident.riskScore}</span>
            <SeverityBadge severity={incident.severity} />
            <span className="muted small">{incident.status}</span>
          </span>
        ) : alert.incidentId ? (
          <Link to={incidentPath(alert.incidentId)} className="mono">
            {alert.incidentId}
          </Link>
        ) : (
          <span className="dim">none</span>
        )}
      </dd>
      <dt>Tags</dt>
      <dd>
        <ChipList values={alert.tags} empty="none" />
      </dd>
      <dt>Sources</dt>
      <dd>
        <ChipList values={alert.sources} empty="not recorded" />
      </dd>
      <dt>Occurrence</dt>
      <dd>
        #{alert.occurrence}
        {alert.occurrence > 1 && <span className="muted small"> (this dedup key alerted before; a later hit opened this one)</span>}
      </dd>
      <dt>Hits</dt>
      <dd>
        {alert.count.toLocaleString('en-US')}
        {detail && <span className="muted small"> · {detail.hitsRecorded.toLocaleString('en-US')} recorded event hits</span>}
      </dd>
      <dt>Seen</dt>
      <dd>
        <Timestamp iso={alert.firstSeen} /> → <Timestamp iso={alert.lastSeen} />
      </dd>
      <dt>Notifications</dt>
      <dd>{alert.mutedBy ? <MutedBadge mutedBy={alert.mutedBy} /> : <span className="muted">not muted</span>}</dd>
      <dt>Acknowledged</dt>
      <dd data-testid="alert-acknowledged">
        <WhoWhen who={alert.acknowledgedBy} when={alert.acknowledgedAt} />
      </dd>
      <dt>Resolved</dt>
      <dd data-testid="alert-resolved">
        <WhoWhen who={alert.resolvedBy} when={alert.resolvedAt} />
      </dd>
      <dt>Escalated</dt>
      <dd>{alert.escalatedAt ? <Timestamp iso={alert.escalatedAt} /> : <span className="dim">no</span>}</dd>
      <dt>Assignee</dt>
      <dd>{alert.assignee ?? <span className="dim">nobody</span>}</dd>
    </dl>
  );
}

function WhoWhen({ who, when }: { who: string | null; when: string | null }) {
  if (!who && !when) return <span className="dim">—</span>;
  return (
    <>
      {who ?? 'someone'} <span className="muted small">at</span> <Timestamp iso={when} />
    </>
  );
}

function ChipList({ values, empty }: { values: readonly string[]; empty: string }) {
  if (values.length === 0) return <span className="dim">{empty}</span>;
  return (
    <span className="entity-list">
      {values.map((value) => (
        <span key={value} className="entity mono">
          {value}
        </span>
      ))}
    </span>
  );
}
