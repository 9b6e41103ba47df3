/**
 * Identity: identity incidents, then the people ITDR tracks, riskiest first (`GET /api/identity/users?q=`),
 * each opening their risk, attack timeline, sign-in map and baseline.
 */
import { useEffect, useState } from 'react';
import { useApi } from '../api/api-client';
import type { IdentityUserSummary } from '../api/api-types';
import { identityUserPath } from '../router/app-routes';
import { navigate } from '../router/router';
import { EmptyState } from '../ui/empty-state';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { PageHeader } from '../ui/page-header';
import { Timestamp } from '../ui/timestamp';
import { IdentityIncidentsPanel } from './identity-incidents-panel';
import { humanize, RiskBadge } from './identity-labels';

const searchDelayMs = 250;

export function IdentitySearchPage() {
  const [search, setSearch] = useState('');
  const [appliedSearch, setAppliedSearch] = useState('');

  useEffect(() => {
    const timer = window.setTimeout(() => setAppliedSearch(search.trim()), searchDelayMs);
    return () => window.clearTimeout(timer);
  }, [search]);

  const path = appliedSearch === '' ? '/api/identity/users?limit=100' : `/api/identity/users?q=${encodeURIComponent(appliedSearch)}&limit=100`;
  const { data, error, loading } = useApi<{ users: IdentityUserSummary[] }>(path);
  const users = data?.users ?? [];

  return (
    <>
      <PageHeader
        title="Identity"
        subtitle="Identity threat detection across Okta, Entra ID, Google Workspace, Duo and Microsoft 365: risky people, their attacks and baselines."
      />
      <IdentityIncidentsPanel />
      <div className="toolbar">
        <input
          type="search"
          className="search-input"
          placeholder="Search people (e.g. alice or @acme.test)"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          aria-label="Search users"
          data-testid="identity-search"
          autoFocus
        />
        {loading && data && <LoadingIndicator inline label="Searching…" />}
      </div>
      {error && <ErrorBox error={error} />}
      {!data && loading && <LoadingIndicator label="Loading users…" />}
      {data && users.length === 0 && (
        <EmptyState title={appliedSearch ? `No person matches “${appliedSearch}”` : 'No people seen yet'}>
          People appear here once identity events (Okta, Entra ID, …) are ingested. Events stored before ITDR ran are
          picked up by <span className="mono">mantissa itdr rebuild</span>.
        </EmptyState>
      )}
      {users.length > 0 && (
        <section className="panel">
          <div className="panel-title">
            Risky users <span className="muted small">(risk decays with a 24 h half-life)</span>
          </div>
          <div className="table-scroll">
            <table className="data-table" data-testid="identity-users-table">
              <thead>
                <tr>
                  <th>Person</th>
                  <th>Risk</th>
                  <th>Last detection</th>
                  <th>Kill-chain stages</th>
                  <th className="numeric">Detections</th>
                  <th className="numeric">Events</th>
                  <th>Last seen</th>
                </tr>
              </thead>
              <tbody>
                {users.map((user) => (
                  <tr key={user.user} className="clickable" onClick={() => navigate(identityUserPath(user.user))} data-testid="identity-user-row">
                    <td>
                      <a
                        href={identityUserPath(user.user)}
                        className="strong"
                        onClick={(event) => {
                          if (event.metaKey || event.ctrlKey || event.shiftKey) event.stopPropagation();
                          else event.preventDefault();
                        }}
                      >
                        {user.user}
                      </a>
                      {user.identities.length > 1 && <div className="muted small">{user.identities.length} identities</div>}
                    </td>
                    <td>
                      <RiskBadge score={user.riskScore} level={user.riskLevel} />
                    </td>
                    <td>
                      {user.lastDetection ? (
                        <>
                          <span className="mono small">{user.lastDetection.kind}</span>{' '}
                          <span className="muted small">
                            <Timestamp iso={user.lastDetection.at} />
                          </span>
                        </>
                      ) : (
                        <span className="dim">—</span>
                      )}
                    </td>
                    <td>
                      <div className="itdr-stages">
                        {user.stages.map((s) => (
                          <span key={s} className="badge badge-soft itdr-stage">
                            {humanize(s)}
                          </span>
                        ))}
                      </div>
                    </td>
                    <td className="numeric">{user.detectionCount.toLocaleString('en-US')}</td>
                    <td className="numeric">{user.events.toLocaleString('en-US')}</td>
                    <td>
                      <Timestamp iso={user.lastSeen} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {users.length >= 100 && <div className="table-footnote muted small">Showing the 100 riskiest matches; refine the search to narrow it.</div>}
        </section>
      )}
    </>
  );
}
