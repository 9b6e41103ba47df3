/**
 * One user's identity state (`GET /api/identity/users/:id`): totals, containment, the latest identity
 * events, and the "Contain user…" action.
 */
import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-client';
import type { IdentityUserState } from '../api/api-types';
import { missingPermissionHint } from '../auth/permissions';
import { useSession } from '../auth/session-context';
import { Link } from '../router/router';
import { EmptyState } from '../ui/empty-state';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { PageHeader } from '../ui/page-header';
import { Timestamp } from '../ui/timestamp';
import { ContainUserForm } from './contain-user-form';
import { IdentityEventsTable } from './identity-events-table';

export function IdentityUserPage({ user }: { user: string }) {
  const { me } = useSession();
  const { data, error, loading } = useApi<IdentityUserState>(`/api/identity/users/${encodeURIComponent(user)}`);
  const [containOpen, setContainOpen] = useState(false);
  const runHint = missingPermissionHint(me.role, 'playbooks:run');
  const contained = data?.containment ?? null;

  return (
    <>
      <div className="breadcrumb">
        <Link to="/identity">Identity</Link> / <span className="mono">{user}</span>
      </div>
      <PageHeader
        title={user}
        actions={
          data && (
            <button
              type="button"
              className="button button-danger"
              disabled={containOpen || contained !== null || runHint !== undefined}
              title={runHint ?? (contained ? 'This user is already contained' : undefined)}
              onClick={() => setContainOpen(true)}
              data-testid="contain-user"
            >
              Contain user…
            </button>
          )
        }
      />
      {error?.status === 404 ? (
        <EmptyState title="This user has never been seen">
          No identity event names <span className="mono">{user}</span>. <Link to="/identity">Back to the user list</Link>
        </EmptyState>
      ) : (
        error && <ErrorBox error={error} />
      )}
      {!data && loading && <LoadingIndicator label="Loading identity state…" />}
      {data && (
        <>
          {contained && (
            <div className="containment-banner" role="status">
              <strong>Contained</strong> since <Timestamp iso={contained.containedAt} /> by {contained.containedBy}: {contained.reason}{' '}
              <span className="muted">
                (run <span className="mono">{contained.playbookRunId}</span>)
              </span>
            </div>
          )}
          {containOpen && <ContainUserForm user={data.user} onClose={() => setContainOpen(false)} />}
          <div className="stat-row">
            <Stat label="Identity events" value={data.eventCount.toLocaleString('en-US')} />
            <Stat label="First seen" value={<Timestamp iso={data.firstSeen} />} />
            <Stat label="Last seen" value={<Timestamp iso={data.lastSeen} />} />
            <Stat label="State" value={contained ? <span className="text-danger strong">contained</span> : 'active'} />
          </div>
          <section className="panel">
            <div className="panel-title">
              Recent identity events <span className="muted small">(newest first, up to 200)</span>
            </div>
            {data.events.length === 0 ? (
              <div className="muted panel-body">No identity events are stored for this user.</div>
            ) : (
              <IdentityEventsTable events={data.events} />
            )}
          </section>
        </>
      )}
    </>
  );
}

function Stat({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
    </div>
  );
}
