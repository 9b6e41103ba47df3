/**
 * Approve or reject a run that waits for approval (`POST /api/playbooks/runs/:id/decision`). The API
 * refuses (403) when the caller requested the run, and that message is shown as is.
 */
import { useState, type FormEvent } from 'react';
import { ApiError, apiRequest } from '../api/api-client';
import type { PlaybookRun } from '../api/api-types';
import { ErrorBox } from '../ui/error-box';

export function RunDecisionForm({
  run,
  approve,
  onDecided,
  onCancel,
}: {
  run: PlaybookRun;
  approve: boolean;
  onDecided: () => void;
  onCancel: () => void;
}) {
  const [comment, setComment] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitting(true);
    setFailure(null);
    try {
      await apiRequest<PlaybookRun>(`/api/playbooks/runs/${encodeURIComponent(run.id)}/decision`, {
        method: 'POST',
        body: { approve, comment: comment.trim() },
      });
      onDecided();
    } catch (cause) {
      if (cause instanceof ApiError) setFailure(cause);
    } finally {
      setSubmitting(false);
    }
  }

  const verb = approve ? 'Approve' : 'Reject';
  return (
    <form className="decision-form" onSubmit={submit}>
      <label className="field">
        <span className="field-label">
          {verb} <span className="mono">{run.playbook}</span>
          {run.params.userId && (
            <>
              {' '}
              for <span className="mono">{run.params.userId}</span>
            </>
          )}{' '}
          — comment (recorded with the decision)
        </span>
        <textarea rows={2} value={comment} onChange={(event) => setComment(event.target.value)} autoFocus />
      </label>
      {failure && <ErrorBox error={failure} title={failure.status === 403 ? 'You cannot decide this run' : `Could not ${verb.toLowerCase()} the run`} />}
      <div className="form-actions">
        <button type="submit" className={approve ? 'button button-primary' : 'button button-danger'} disabled={submitting}>
          {submitting ? 'Sending…' : verb}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
