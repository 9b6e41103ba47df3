/**
 * Maintenance windows (`GET /api/maintenance-windows`): scheduled quiet periods for some rules or sources.
 * rules:write users schedule and delete them.
 */
import { useState } from 'react';
import { ApiError, apiRequest, useApi } from '../api/api-client';
import type { MaintenanceWindow } from '../api/api-types';
import { missingPermissionHint } from '../auth/permissions';
import { useSession } from '../auth/session-context';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { StatusBadge } from '../ui/status-badge';
import { Timestamp } from '../ui/timestamp';
import { NewMaintenanceForm } from './new-maintenance-form';
import type { RuleChoice } from './rule-choices';

export function MaintenancePanel({ rules, nameOfRule }: { rules: readonly RuleChoice[]; nameOfRule: (id: string) => string }) {
  const { me } = useSession();
  const writeHint = missingPermissionHint(me.role, 'rules:write');
  const { data, error, loading, reload } = useApi<{ maintenanceWindows: MaintenanceWindow[] }>('/api/maintenance-windows');
  const [formOpen, setFormOpen] = useState(false);
  const [confirmingId, setConfirmingId] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [now] = useState(() => Date.now());
  const windows = data?.maintenanceWindows ?? [];

  async function remove(entry: MaintenanceWindow) {
    setBusyId(entry.id);
    setFailure(null);
    try {
      await apiRequest<MaintenanceWindow>(`/api/maintenance-windows/${encodeURIComponent(entry.id)}`, { method: 'DELETE' });
      setConfirmingId(null);
      reload();
    } catch (cause) {
      if (cause instanceof ApiError) setFailure(cause);
    } finally {
      setBusyId(null);
    }
  }

  return (
    <section className="panel" data-testid="maintenance-panel">
      <div className="panel-title">
        Maintenance windows
        <span className="muted small">alerts are recorded but notify nobody while a window is on</span>
        <span className="panel-title-spacer" />
        {loading && data && <LoadingIndicator inline label="Refreshing…" />}
        <button type="button" className="button button-small button-primary" disabled={formOpen || writeHint !== undefined} title={writeHint} onClick={() => setFormOpen(true)}>
          New window
        </button>
      </div>
      <div className="panel-body">
        {formOpen && (
          <NewMaintenanceForm
            rules={rules}
            onCancel={() => setFormOpen(false)}
            onCreated={() => {
              setFormOpen(false);
              reload();
            }}
          />
        )}
        {error && <ErrorBox error={error} />}
        {failure && <ErrorBox error={failure} title="The window was not deleted" />}
        {!data && loading && <LoadingIndicator label="Loading maintenance windows…" />}
        {data && windows.length === 0 && <div className="muted">No maintenance windows.</div>}
        {windows.length > 0 && (
          <div className="table-scroll">
            <table className="data-table" data-testid="maintenance-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Starts</th>
                  <th>Ends</th>
                  <th>State</th>
                  <th>Rules</th>
                  <th>Sources</th>
                  <th>Created by</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {windows.map((entry) => (
                  <tr key={entry.id}>
                    <td className="strong">{entry.name}</td>
                    <td>
                      <Timestamp iso={entry.startsAt} />
                    </td>
                    <td>
                      <Timestamp iso={entry.endsAt} />
                    </td>
                    <td>
                      <StatusBadge status={windowState(entry, now)} />
                    </td>
                    <td className="wrap">{entry.ruleIds.length === 0 ? <span className="muted">all rules</span> : entry.ruleIds.map(nameOfRule).join(', ')}</td>
                    <td className="mono">{entry.sources.length === 0 ? <span className="muted">all</span> : entry.sources.join(', ')}</td>
                    <td>{entry.createdBy}</td>
                    <td className="row-actions">
                      {confirmingId === entry.id ? (
                        <>
                          <button type="button" className="button button-small button-danger" disabled={busyId === entry.id} onClick={() => void remove(entry)}>
                            Confirm delete
                          </button>
                          <button type="button" className="button button-small" onClick={() => setConfirmingId(null)}>
                            Cancel
                          </button>
                        </>
                      ) : (
                        <button type="button" className="button button-small" disabled={writeHint !== undefined} title={writeHint} onClick={() => setConfirmingId(entry.id)}>
                          Delete…
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}

function windowState(entry: MaintenanceWindow, now: number): 'active' | 'scheduled' | 'ended' {
  if (Date.parse(entry.endsAt) <= now) return 'ended';
  if (Date.parse(entry.startsAt) > now) return 'scheduled';
  return 'active';
}
