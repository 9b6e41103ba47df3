/**
 * What an analyst can do to an alert: Acknowledge and Close (`PATCH /api/alerts/:id`), and False positive,
 * which opens the form that also proposes a suppression. Disabled with a hint without alerts:write.
 */
import { useState } from 'react';
import { ApiError, apiRequest } from '../api/api-client';
import type { Alert, AlertStatus } from '../api/api-types';
import { missingPermissionHint } from '../auth/permissions';
import { useSession } from '../auth/session-context';
import { ContainUserForm } from '../identity/contain-user-form';
import { ErrorBox } from '../ui/error-box';
import type { AlertChange } from './alert-change';
import { FalsePositiveForm } from './false-positive-form';

const statusActions: readonly { status: AlertStatus; label: string }[] = [
  { status: 'acknowledged', label: 'Acknowledge' },
  { status: 'closed', label: 'Close' },
];

/** The status buttons alone, for a table row. */
export function AlertStatusButtons({ alert, onChanged }: { alert: Alert; onChanged: (change: AlertChange) => void }) {
  const { me } = useSession();
  const writeHint = missingPermissionHint(me.role, 'alerts:write');
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);

  async function changeStatus(status: AlertStatus) {
    setPending(true);
    setFailure(null);
    try {
      const updated = await apiRequest<Alert>(`/api/alerts/${encodeURIComponent(alert.id)}`, { method: 'PATCH', body: { status } });
      onChanged({ kind: 'status', alert: updated });
    } catch (cause) {
      if (cause instanceof ApiError) setFailure(cause);
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      {statusActions
        .filter((action) => (action.status === 'acknowledged' ? alert.status === 'open' : alert.status !== 'closed'))
        .map((action) => (
          <button
            key={action.status}
            type="button"
            className="button button-small"
            disabled={pending || writeHint !== undefined}
            title={writeHint}
            onClick={() => void changeStatus(action.status)}
            data-testid={`alert-${action.status}`}
          >
            {action.label}
          </button>
        ))}
      {failure && <ErrorBox error={failure} title="Could not change the alert" />}
    </>
  );
}

/** The status buttons and False positive with its form, for the alert's detail. */
export function AlertActions({ alert, onChanged }: { alert: Alert; onChanged: (change: AlertChange) => void }) {
  const { me } = useSession();
  const writeHint = missingPermissionHint(me.role, 'alerts:write');
  const runHint = missingPermissionHint(me.role, 'playbooks:run');
  const [formOpen, setFormOpen] = useState(false);
  // The person the alert is about: the contain-user playbook can start from here (with a second person's approval).
  const user = alert.entities.users?.[0];
  const [containOpen, setContainOpen] = useState(false);

  return (
    <div className="alert-actions">
      <div className="alert-actions-buttons">
        <AlertStatusButtons alert={alert} onChanged={onChanged} />
        {alert.status !== 'false_positive' && (
          <button
            type="button"
            className="button button-small"
            disabled={formOpen || writeHint !== undefined}
            title={writeHint ?? 'Close as a false positive and propose a suppression'}
            onClick={() => setFormOpen(true)}
            data-testid="alert-false-positive"
          >
            False positive…
          </button>
        )}
        {user && (
          <button
            type="button"
            className="button button-small"
            disabled={containOpen || runHint !== undefined}
            title={runHint ?? `Start the contain-user playbook for ${user}: it snapshots their recent events and waits for a second person's approval`}
            onClick={() => setContainOpen(true)}
            data-testid="alert-contain-user"
          >
            Contain {user}…
          </button>
        )}
      </div>
      {containOpen && user && <ContainUserForm user={user} onClose={() => setContainOpen(false)} />}
      {formOpen && (
        <FalsePositiveForm
          alert={alert}
          onCancel={() => setFormOpen(false)}
          onDone={(result) => {
            setFormOpen(false);
            onChanged({ kind: 'false-positive', result });
          }}
        />
      )}
    </div>
  );
}
