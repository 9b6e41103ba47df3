/**
 * Suppressions (`GET /api/suppressions`): what mutes alerts' notifications, and the proposals from
 * false-positive reports waiting for review. rules:write users approve or reject a pending one
 * (`POST /api/suppressions/:id/review`; the server refuses a review of your own proposal with 403, shown as is),
 * revoke one (`DELETE`), or create one by hand.
 */
import { useState } from 'react';
import { ApiError, apiRequest, useApi } from '../api/api-client';
import type { Suppression, SuppressionStatus } from '../api/api-types';
import { missingPermissionHint } from '../auth/permissions';
import { useSession } from '../auth/session-context';
import { alertPath } from '../router/app-routes';
import { Link } from '../router/router';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { Timestamp } from '../ui/timestamp';
import { NewSuppressionForm } from './new-suppression-form';
import type { RuleChoice } from './rule-choices';

const statusFilters = [
  { filter: 'all', label: 'All' },
  { filter: 'pending_review', label: 'Pending review' },
  { filter: 'active', label: 'Active' },
  { filter: 'rejected', label: 'Rejected' },
  { filter: 'revoked', label: 'Revoked' },
] as const;
type StatusFilter = (typeof statusFilters)[number]['filter'];

type RowAction = 'approve' | 'reject' | 'revoke';

export function SuppressionsPanel({ rules, nameOfRule }: { rules: readonly RuleChoice[]; nameOfRule: (id: string) => string }) {
  const { me } = useSession();
  const writeHint = missingPermissionHint(me.role, 'rules:write');
  const [filter, setFilter] = useState<StatusFilter>('all');
  const { data, error, loading, reload } = useApi<{ suppressions: Suppression[] }>(`/api/suppressions?status=${filter}`);
  const [formOpen, setFormOpen] = useState(false);
  const [created, setCreated] = useState<Suppression | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ id: string; error: ApiError } | null>(null);
  const [now] = useState(() => Date.now());
  const suppressions = data?.suppressions ?? [];

  async function act(suppression: Suppression, action: RowAction) {
    setBusyId(suppression.id);
    setRowError(null);
    const path = `/api/suppressions/${encodeURIComponent(suppression.id)}`;
    try {
      if (action === 'revoke') await apiRequest<Suppression>(path, { method: 'DELETE' });
      else await apiRequest<Suppression>(`${path}/review`, { method: 'POST', body: { decision: action } });
      reload();
    } catch (cause) {
      if (cause instanceof ApiError) setRowError({ id: suppression.id, error: cause });
    } finally {
      setBusyId(null);
    }
  }

  return (
    <section className="panel" data-testid="suppressions-panel">
      <div className="panel-title">
        Suppressions
        <span className="muted small">mute notifications of matching alerts (the alerts are still recorded)</span>
        <span className="panel-title-spacer" />
        {loading && data && <LoadingIndicator inline label="Refreshing…" />}
        <div className="segmented" role="group" aria-label="Suppression status">
          {statusFilters.map(({ filter: value, label }) => (
            <button key={value} type="button" className={value === filter ? 'segment active' : 'segment'} aria-pressed={value === filter} onClick={() => setFilter(value)}>
              {label}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="button button-small button-primary"
          disabled={formOpen || writeHint !== undefined}
          title={writeHint}
          onClick={() => {
            setCreated(null);
            setFormOpen(true);
          }}
          data-testid="new-suppression"
        >
          New suppression
        </button>
      </div>
      <div className="panel-body">
        {formOpen && (
          <NewSuppressionForm
            rules={rules}
            onCancel={() => setFormOpen(false)}
            onCreated={(suppression) => {
              setFormOpen(false);
              setCreated(suppression);
              reload();
            }}
          />
        )}
        {created && (
          <div className="notice notice-success" role="status">
            Suppression <span className="mono">{created.id}</span> is active until <Timestamp iso={created.expiresAt} />.
          </div>
        )}
        {error && <ErrorBox error={error} />}
        {!data && loading && <LoadingIndicator label="Loading suppressions…" />}
        {data && suppressions.length === 0 && (
          <div className="muted" data-testid="suppressions-empty">
            {filter === 'all' ? 'No suppressions yet. A false-positive report on an alert proposes one.' : 'None with this status.'}
          </div>
        )}
        {suppressions.length > 0 && (
          <div className="table-scroll">
            <table className="data-table" data-testid="suppressions-table">
              <thead>
                <tr>
                  <th>Status</th>
                  <th>Conditions</th>
                  <th>Rule</th>
                  <th>Reason</th>
                  <th>Proposed</th>
                  <th>Reviewed</th>
                  <th>Expires</th>
                  <th className="numeric">Muted</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {suppressions.map((suppression) => (
                  <SuppressionRow
                    key={suppression.id}
                    suppression={suppression}
                    mine={suppression.createdBy === me.id}
                    now={now}
                    ruleName={suppression.ruleId ? nameOfRule(suppression.ruleId) : null}
                    writeHint={writeHint}
                    busy={busyId === suppression.id}
                    error={rowError?.id === suppression.id ? rowError.error : null}
                    onAct={(action) => void act(suppression, action)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}

function SuppressionRow({
  suppression,
  mine,
  now,
  ruleName,
  writeHint,
  busy,
  error,
  onAct,
}: {
  suppression: Suppression;
  mine: boolean;
  now: number;
  ruleName: string | null;
  writeHint: string | undefined;
  busy: boolean;
  error: ApiError | null;
  onAct: (action: RowAction) => void;
}) {
  const pending = suppression.status === 'pending_review';
  const revocable = pending || suppression.status === 'active';
  return (
    <>
      <tr data-testid="suppression-row" data-status={suppression.status}>
        <td>
          <SuppressionStatusBadge suppression={suppression} now={now} />
        </td>
        <td>
          <div className="entity-list">
            {Object.entries(suppression.conditions).map(([field, value]) => (
              <span key={field} className="entity mono" title={`${field} = ${value}`}>
                {field} = {value}
              </span>
            ))}
          </div>
        </td>
        <td className="wrap">{ruleName ?? <span className="muted">all rules</span>}</td>
        <td className="wrap reason-cell">
          {suppression.reason}
          {suppression.fromAlertId && (
            <div className="small">
              from alert <Link to={alertPath(suppression.fromAlertId)} className="mono">{suppression.fromAlertId}</Link>
            </div>
          )}
        </td>
        <td>
          {suppression.createdBy}
          {mine && <span className="muted small"> (you)</span>}
          <div>
            <Timestamp iso={suppression.createdAt} />
          </div>
        </td>
        <td>
          {suppression.reviewedBy ? (
            <>
              {suppression.reviewedBy}
              <div>
                <Timestamp iso={suppression.reviewedAt} />
              </div>
            </>
          ) : (
            <span className="dim">—</span>
          )}
        </td>
        <td>
          <Timestamp iso={suppression.expiresAt} />
        </td>
        <td className="numeric">{suppression.muted}</td>
        <td className="row-actions">
          {pending && (
            <>
              <button type="button" className="button button-small button-primary" disabled={busy || writeHint !== undefined} title={writeHint} onClick={() => onAct('approve')} data-testid="suppression-approve">
                Approve
              </button>
              <button type="button" className="button button-small" disabled={busy || writeHint !== undefined} title={writeHint} onClick={() => onAct('reject')} data-testid="suppression-reject">
                Reject
              </button>
            </>
          )}
          {revocable && (
            <button type="button" className="button button-small" disabled={busy || writeHint !== undefined} title={writeHint ?? 'Stop this suppression now'} onClick={() => onAct('revoke')} data-testid="suppression-revoke">
              Revoke
            </button>
          )}
        </td>
      </tr>
      {error && (
        <tr className="detail-row">
          <td colSpan={9}>
            <ErrorBox error={error} title={error.status === 403 ? 'Not allowed' : 'The suppression was not changed'} testId="suppression-error" />
          </td>
        </tr>
      )}
    </>
  );
}

const statusTones: Record<SuppressionStatus, string> = {
  active: 'tone-success',
  pending_review: 'tone-warning',
  rejected: 'tone-danger',
  revoked: 'tone-muted',
};

function SuppressionStatusBadge({ suppression, now }: { suppression: Suppression; now: number }) {
  const expired = suppression.status === 'active' && Date.parse(suppression.expiresAt) <= now;
  if (expired) return <span className="badge badge-soft tone-muted">expired</span>;
  return <span className={`badge badge-soft ${statusTones[suppression.status] ?? 'tone-neutral'}`}>{suppression.status.replaceAll('_', ' ')}</span>;
}
