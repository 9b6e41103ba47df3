/**
 * Playbooks: the SOAR runs (`GET /api/playbooks/runs`) and their approvals. While any run is queued,
 * running or waiting for approval the list refreshes every 5 seconds.
 */
import { Fragment, useEffect, useState } from 'react';
import { useApi } from '../api/api-client';
import type { PlaybookRun, PlaybookRunStatus } from '../api/api-types';
import { missingPermissionHint } from '../auth/permissions';
import { useSession } from '../auth/session-context';
import { identityUserPath } from '../router/app-routes';
import { Link } from '../router/router';
import { EmptyState } from '../ui/empty-state';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { PageHeader } from '../ui/page-header';
import { StatusBadge } from '../ui/status-badge';
import { Timestamp } from '../ui/timestamp';
import { RunDecisionForm } from './run-decision-form';
import { RunDetails } from './run-details';

const pollIntervalMs = 5000;
const activeStatuses: ReadonlySet<PlaybookRunStatus> = new Set(['queued', 'running', 'waiting_approval']);
const columnCount = 8;

export function PlaybooksPage() {
  const { me } = useSession();
  const { data, error, loading, reload } = useApi<{ runs: PlaybookRun[] }>('/api/playbooks/runs');
  const [decision, setDecision] = useState<{ runId: string; approve: boolean } | null>(null);
  const [expandedId, setExpandedId] = useState<string | null>(null);
  const approveHint = missingPermissionHint(me.role, 'playbooks:approve');
  const runs = data?.runs ?? [];
  const anyActive = runs.some((run) => activeStatuses.has(run.status));

  useEffect(() => {
    if (!anyActive) return;
    const timer = window.setInterval(reload, pollIntervalMs);
    return () => window.clearInterval(timer);
  }, [anyActive, reload]);

  return (
    <>
      <PageHeader
        title="Playbooks"
        subtitle={anyActive ? 'Runs in progress: refreshing every 5 s.' : 'Response playbook runs and their approvals.'}
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
      {!data && loading && <LoadingIndicator label="Loading playbook runs…" />}
      {data && runs.length === 0 && (
        <EmptyState title="No playbook runs yet">
          Start one from a user’s page in <Link to="/identity">Identity</Link> with “Contain user…”.
        </EmptyState>
      )}
      {runs.length > 0 && (
        <section className="panel">
          <div className="table-scroll">
            <table className="data-table" data-testid="playbook-runs-table">
              <thead>
                <tr>
                  <th>Playbook</th>
                  <th>User</th>
                  <th>Status</th>
                  <th>Requested by</th>
                  <th>Decided by</th>
                  <th>Created</th>
                  <th>Updated</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((run) => {
                  const expanded = expandedId === run.id;
                  const deciding = decision?.runId === run.id ? decision : null;
                  return (
                    <Fragment key={run.id}>
                      <tr className={expanded ? 'clickable expanded' : 'clickable'} onClick={() => setExpandedId(expanded ? null : run.id)}>
                        <td className="mono">
                          <span className="disclosure" aria-hidden="true">
                            {expanded ? '▾' : '▸'}
                          </span>
                          {run.playbook}
                        </td>
                        <td onClick={(event) => event.stopPropagation()}>
                          {run.params.userId ? <Link to={identityUserPath(run.params.userId)}>{run.params.userId}</Link> : <span className="dim">—</span>}
                        </td>
                        <td>
                          <StatusBadge status={run.status} />
                        </td>
                        <td>{run.requestedBy}</td>
                        <td>
                          {run.decidedBy ?? <span className="dim">—</span>}
                          {run.decisionComment && <div className="muted small clamp" title={run.decisionComment}>“{run.decisionComment}”</div>}
                        </td>
                        <td>
                          <Timestamp iso={run.createdAt} />
                        </td>
                        <td>
                          <Timestamp iso={run.updatedAt} />
                        </td>
                        <td className="row-actions" onClick={(event) => event.stopPropagation()}>
                          {run.status === 'waiting_approval' ? (
                            <>
                              <button
                                type="button"
                                className="button button-small button-primary"
                                disabled={approveHint !== undefined}
                                title={approveHint}
                                onClick={() => setDecision({ runId: run.id, approve: true })}
                              >
                                Approve
                              </button>
                              <button
                                type="button"
                                className="button button-small"
                                disabled={approveHint !== undefined}
                                title={approveHint}
                                onClick={() => setDecision({ runId: run.id, approve: false })}
                              >
                                Reject
                              </button>
                            </>
                          ) : (
                            <span className="dim">—</span>
                          )}
                        </td>
                      </tr>
                      {deciding && (
                        <tr className="detail-row">
                          <td colSpan={columnCount}>
                            <RunDecisionForm
                              key={`${run.id}:${deciding.approve}`}
                              run={run}
                              approve={deciding.approve}
                              onCancel={() => setDecision(null)}
                              onDecided={() => {
                                setDecision(null);
                                reload();
                              }}
                            />
                          </td>
                        </tr>
                      )}
                      {expanded && (
                        <tr className="detail-row">
                          <td colSpan={columnCount}>
                            <RunDetails run={run} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}
