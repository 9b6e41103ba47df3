/**
 * "Contain user…": asks for a reason, then starts the `contain-user` playbook (`POST /api/playbooks/runs`).
 * The playbook snapshots the user's recent events and waits for a second person's approval.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, apiRequest } from '../api/api-client';
import type { PlaybookRun } from '../api/api-types';
import { Link } from '../router/router';
import { ErrorBox } from '../ui/error-box';

export function ContainUserForm({ user, onClose }: { user: string; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [reasonMissing, setReasonMissing] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [run, setRun] = useState<PlaybookRun | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (reason.trim() === '') {
      setReasonMissing(true);
      return;
    }
    setReasonMissing(false);
    setFailure(null);
    setSubmitting(true);
    try {
      setRun(
        await apiRequest<PlaybookRun>('/api/playbooks/runs', {
          method: 'POST',
          body: { playbook: 'contain-user', userId: user, reason: reason.trim() },
        }),
      );
    } catch (cause) {
      if (cause instanceof ApiError) setFailure(cause);
    } finally {
      setSubmitting(false);
    }
  }

  if (run) {
    return (
      <div className="notice notice-success" data-testid="containment-requested">
        Containment requested: playbook run <span className="mono">{run.id}</span> is {run.status.replaceAll('_', ' ')}. Another
        approver must approve it before the user is contained. <Link to="/playbooks">Open Playbooks →</Link>
      </div>
    );
  }

  return (
    <form className="panel form-panel contain-form" onSubmit={submit}>
      <h2>Contain {user}</h2>
      <p className="muted">
        Starts the <span className="mono">contain-user</span> playbook: it collects the user’s recent events into an evidence
        snapshot and waits for approval by someone other than you. On approval the user is marked as contained.
      </p>
      <label className="field">
        <span className="field-label">Reason (recorded with the run)</span>
        <textarea rows={3} value={reason} onChange={(event) => setReason(event.target.value)} autoFocus placeholder="Why this account must be contained" />
        {reasonMissing && <span className="field-error">Give a reason for the approver.</span>}
      </label>
      {failure && <ErrorBox error={failure} title="The playbook was not started" />}
      <div className="form-actions">
        <button type="submit" className="button button-danger" disabled={submitting}>
          {submitting ? 'Starting…' : 'Request containment'}
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
