/** Identity: find a user seen in identity events (`GET /api/identity/users?q=`) and open their timeline. */
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

const searchDelayMs = 250;

export function IdentitySearchPage() {
  const [search, setSearch] = useState('');
  const [appliedSearch, setAppliedSearch] = useState('');

  useEffect(() => {
    const timer = window.setTimeout(() => setAppliedSearch(search.trim()), searchDelayMs);
    return () => window.clearTimeout(timer);
  }, [search]);

  const path = appliedSearch === '' ? '/api/identity/users?limit=50' : `/api/identity/users?q=${encodeURIComponent(appliedSearch)}&limit=50`;
  const { data, error, loading } = useApi<{ users: IdentityUserSummary[] }>(path);
  const users = data?.users ?? [];

  return (
    <>
      <PageHeader title="Identity" subtitle="Users seen in identity-provider events, with their sign-in history and containment state." />
      <div className="toolbar">
        <input
          type="search"
          className="search-input"
          placeholder="Search users (e.g. alice or @acme.test)"
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
        <EmptyState title={appliedSearch ? `No user matches “${appliedSearch}”` : 'No users seen yet'}>
          Users appear here once identity events (Okta, Entra ID, …) are ingested.
        </EmptyState>
      )}
      {users.length > 0 && (
        <section className="panel">
          <div className="table-scroll">
            <table className="data-table" data-testid="identity-users-table">
              <thead>
                <tr>
                  <th>User</th>
                  <th className="numeric">Events</th>
                  <th className="numeric">Failures</th>
                  <th>Last seen</th>
                </tr>
              </thead>
              <tbody>
                {users.map((user) => (
                  <tr key={user.user} className="clickable" onClick={() => navigate(identityUserPath(user.user))}>
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
                    </td>
                    <td className="numeric">{user.events.toLocaleString('en-US')}</td>
                    <td className={user.failures > 0 ? 'numeric text-danger' : 'numeric'}>{user.failures.toLocaleString('en-US')}</td>
                    <td>
                      <Timestamp iso={user.lastSeen} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {users.length >= 50 && <div className="table-footnote muted small">Showing the first 50 matches; refine the search to narrow it.</div>}
        </section>
      )}
    </>
  );
}
