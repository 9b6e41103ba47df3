/**
 * A lifecycle status (alert, playbook run, rule run) as a tinted badge. Unknown statuses fall back to the
 * neutral style rather than failing, since the API may add states.
 */
const statusTones: Record<string, 'danger' | 'warning' | 'success' | 'info' | 'neutral' | 'muted'> = {
  open: 'danger',
  acknowledged: 'warning',
  closed: 'muted',
  false_positive: 'neutral',
  queued: 'neutral',
  running: 'info',
  waiting_approval: 'warning',
  approved: 'success',
  rejected: 'danger',
  complete: 'success',
  errored: 'danger',
  timed_out: 'muted',
  ok: 'success',
  success: 'success',
  error: 'danger',
  failure: 'danger',
  degraded: 'danger',
  active: 'success',
  expired: 'warning',
  revoked: 'muted',
  failing: 'danger',
  disabled: 'muted',
};

export function StatusBadge({ status }: { status: string }) {
  const tone = statusTones[status] ?? 'neutral';
  return <span className={`badge badge-soft tone-${tone}`}>{status.replaceAll('_', ' ')}</span>;
}
