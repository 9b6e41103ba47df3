/**
 * One person's identity threat picture (`GET /api/identity/users/:id`): risk with its breakdown and history,
 * kill-chain stages and incident, the attack timeline, the sign-in map with impossible-travel arcs, the
 * baseline, sessions, the latest identity events, containment, and the "Contain user…" action.
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
import { AttackTimeline } from './attack-timeline';
import { BaselinePanel } from './baseline-panel';
import { ContainUserForm } from './contain-user-form';
import { IdentityEventsTable } from './identity-events-table';
import { IdentityIncidentsPanel } from './identity-incidents-panel';
import { humanize, KillChainStrip, RiskBadge } from './identity-labels';
import { RiskHistoryChart } from './risk-history-chart';
import { SignInMap } from './sign-in-map';

export function IdentityUserPage({ user }: { user: string }) {
  const { me } = useSession();
  const { data, error, loading } = useApi<IdentityUserState>(`/api/identity/users/${encodeURIComponent(user)}`);
  const [containOpen, setContainOpen] = useState(false);
  const [detectionsOnly, setDetectionsOnly] = useState(true);
  const runHint = missingPermissionHint(me.role, 'playbooks:run');
  const contained = data?.containment ?? null;
  // Risk decays (24 h half-life): next to an open incident, the peak says how bad it got, the score how it is now.
  const peak = data?.riskHistory.reduce<(typeof data.riskHistory)[number] | null>((best, p) => (best === null || p.score > best.score ? p : best), null) ?? null;

  return (
    <>
      <div className="breadcrumb">
        <Link to="/identity">Identity</Link> / <span className="mono">{user}</span>
      </div>
      <PageHeader
        title={data?.user ?? user}
        subtitle={data && data.identities.length > 0 ? `Identities: ${data.identities.join(', ')}` : undefined}
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
            <Stat label={peak && peak.score > data.risk.score ? 'Risk now' : 'Risk'} value={<RiskBadge score={data.risk.score} level={data.risk.level} />} />
            {peak && peak.score > data.risk.score && (
              <Stat
                label="Peak risk"
                value={
                  <span data-testid="peak-risk">
                    <RiskBadge score={peak.score} level={peak.level} /> <Timestamp iso={peak.at} />
                  </span>
                }
              />
            )}
            <Stat label="Detections" value={data.detections.length.toLocaleString('en-US')} />
            <Stat label="Identity events" value={data.eventCount.toLocaleString('en-US')} />
            <Stat label="First seen" value={<Timestamp iso={data.firstSeen} />} />
            <Stat label="Last seen" value={<Timestamp iso={data.lastSeen} />} />
            <Stat label="State" value={contained ? <span className="text-danger strong">contained</span> : 'active'} />
          </div>

          <div className="itdr-grid">
            <section className="panel">
              <div className="panel-title">
                Kill chain{' '}
                {data.incident && (
                  <span className={data.incident.status === 'escalated' ? 'badge severity-critical' : 'badge severity-high'} data-testid="identity-incident-status">
                    incident {data.incident.status}
                  </span>
                )}
              </div>
              <div className="panel-body">
                <KillChainStrip reached={data.stages.map((s) => s.stage)} />
                <div className="small muted itdr-note">Two stages within 72 h open an identity incident; three escalate it.</div>
              </div>
              <div className="panel-title">Risk breakdown</div>
              {data.risk.breakdown.length === 0 ? (
                <div className="muted panel-body">No risk: nothing was detected recently.</div>
              ) : (
                <table className="data-table" data-testid="risk-breakdown">
                  <thead>
                    <tr>
                      <th>Detection</th>
                      <th>When</th>
                      <th className="numeric">Points now</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.risk.breakdown.map((b) => (
                      <tr key={b.detectionId}>
                        <td className="mono">{b.kind}</td>
                        <td>
                          <Timestamp iso={b.at} />
                        </td>
                        <td className="numeric">{b.contribution}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section className="panel">
              <div className="panel-title">
                Risk history <span className="muted small">(score after each detection, then decayed to now)</span>
              </div>
              <div className="panel-body">
                <RiskHistoryChart points={data.riskHistory} thresholds={data.riskThresholds} />
              </div>
            </section>
          </div>

          <section className="panel">
            <div className="panel-title">
              Sign-ins <span className="muted small">(where the person signed in from; arcs: impossible travel)</span>
            </div>
            <div className="panel-body">
              <SignInMap points={data.map.points} arcs={data.map.arcs} />
            </div>
          </section>

          <section className="panel">
            <div className="panel-title">
              Attack timeline
              <span className="panel-title-spacer" />
              <label className="small">
                <input type="checkbox" checked={detectionsOnly} onChange={(event) => setDetectionsOnly(event.target.checked)} data-testid="timeline-detections-only" />{' '}
                detections and their evidence only
              </label>
            </div>
            <AttackTimeline entries={data.timeline} detectionsOnly={detectionsOnly} />
          </section>

          {data.baseline && <BaselinePanel baseline={data.baseline} />}

          <IdentityIncidentsPanel person={data.user} />

          <section className="panel">
            <div className="panel-title">
              Sessions <span className="muted small">({data.sessions.length})</span>
            </div>
            {data.sessions.length === 0 ? (
              <div className="muted panel-body">No provider session seen.</div>
            ) : (
              <div className="table-scroll">
                <table className="data-table" data-testid="identity-sessions-table">
                  <thead>
                    <tr>
                      <th>Provider</th>
                      <th>Started</th>
                      <th>Last activity</th>
                      <th>From</th>
                      <th>Device</th>
                      <th>State</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.sessions.map((s) => (
                      <tr key={`${s.provider}-${s.id}`}>
                        <td>{s.provider}</td>
                        <td>
                          <Timestamp iso={s.startedAt} />
                        </td>
                        <td>
                          <Timestamp iso={s.lastAt} />
                        </td>
                        <td>
                          <span className="mono">{s.ip ?? '—'}</span> <span className="muted small">{[s.city, s.country].filter(Boolean).join(', ')}</span>
                        </td>
                        <td className="small">
                          <span className="cell-text" title={s.device ?? undefined}>
                            {s.device ?? '—'}
                          </span>
                        </td>
                        <td>{s.ended ? 'ended' : 'active'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>

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
          {data.detections.length > 0 && (
            <div className="muted small">
              Detections: {[...new Set(data.detections.map((d) => humanize(d.kind)))].join(', ')}. Detector reference: docs/itdr.md.
            </div>
          )}
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
