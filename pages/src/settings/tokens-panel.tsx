/**
 * API tokens (admin only): list (`GET /api/tokens`, never with secrets), create, and revoke
 * (`DELETE /api/tokens/:id`) after an explicit second click.
 */
import { useState } from 'react';
import { ApiError, apiRequest, useApi } from '../api/api-client';
import type { ApiTokenInfo } from '../api/api-types';
import { useSession } from '../auth/session-context';
import { roleCan } from '../auth/permissions';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { StatusBadge } from '../ui/status-badge';
import { Timestamp } from '../ui/timestamp';
import { CreateTokenForm } from './create-token-form';

export function TokensPanel() {
  const { me } = useSession();
  const isAdmin = roleCan(me.role, 'tokens:manage');
  return (
    <section className="panel" data-testid="tokens-panel">
      <div className="panel-title">API tokens</div>
      {isAdmin ? <TokenManagement currentTokenId={me.id} /> : <div className="panel-body muted">Only admins manage tokens</div>}
    </section>
  );
}

function TokenManagement({ currentTokenId }: { currentTokenId: string }) {
  const { data, error, loading, reload } = useApi<unknown>('/api/tokens');
  const [confirmingId, setConfirmingId] = useState<string | null>(null);
  const [revokingId, setRevokingId] = useState<string | null>(null);
  const [revokeError, setRevokeError] = useState<ApiError | null>(null);
  const tokens = tokenListOf(data);

  async function revoke(token: ApiTokenInfo) {
    setRevokingId(token.id);
    setRevokeError(null);
    try {
      await apiRequest<unknown>(`/api/tokens/${encodeURIComponent(token.id)}`, { method: 'DELETE' });
      setConfirmingId(null);
      reload();
    } catch (cause) {
      if (cause instanceof ApiError) setRevokeError(cause);
    } finally {
      setRevokingId(null);
    }
  }

  return (
    <div className="panel-body">
      <CreateTokenForm onCreated={reload} />
      {error && <ErrorBox error={error} />}
      {revokeError && <ErrorBox error={revokeError} title="The token was not revoked" />}
      {data === undefined && loading && <LoadingIndicator label="Loading tokens…" />}
      {data !== undefined && tokens.length === 0 && <div className="muted">No tokens.</div>}
      {tokens.length > 0 && (
        <div className="table-scroll">
          <table className="data-table" data-testid="tokens-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Role</th>
                <th>Source</th>
                <th>Id</th>
                <th>Created</th>
                <th>Expires</th>
                <th>Last used</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => {
                const state = tokenState(token);
                const isCurrent = token.id === currentTokenId;
                return (
                  <tr key={token.id}>
                    <td className="strong">
                      {token.name}
                      {isCurrent && <span className="muted small"> (this session)</span>}
                    </td>
                    <td>
                      <span className="role-pill">{token.role}</span>
                    </td>
                    <td className="mono">{token.source ?? <span className="dim">—</span>}</td>
                    <td className="mono small">{token.id}</td>
                    <td>
                      <Timestamp iso={token.createdAt} dateOnly />
                    </td>
                    <td>{token.expiresAt ? <Timestamp iso={token.expiresAt} dateOnly /> : <span className="dim">never</span>}</td>
                    <td>{token.lastUsedAt ? <Timestamp iso={token.lastUsedAt} /> : <span className="dim">—</span>}</td>
                    <td>
                      <StatusBadge status={state} />
                    </td>
                    <td className="row-actions">
                      {state === 'revoked' ? null : confirmingId === token.id ? (
                        <>
                          <button type="button" className="button button-small button-danger" disabled={revokingId === token.id} onClick={() => void revoke(token)}>
                            {isCurrent ? 'Revoke (signs you out)' : 'Confirm revoke'}
                          </button>
                          <button type="button" className="button button-small" onClick={() => setConfirmingId(null)}>
                            Cancel
                          </button>
                        </>
                      ) : (
                        <button type="button" className="button button-small" onClick={() => setConfirmingId(token.id)}>
                          Revoke…
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** docs/api.md does not spell out the list's envelope; accept `{tokens:[…]}` or a bare array. */
function tokenListOf(body: unknown): ApiTokenInfo[] {
  if (Array.isArray(body)) return body as ApiTokenInfo[];
  if (typeof body === 'object' && body !== null && 'tokens' in body && Array.isArray(body.tokens)) return body.tokens as ApiTokenInfo[];
  return [];
}

function tokenState(token: ApiTokenInfo): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() < Date.now()) return 'expired';
  return 'active';
}
