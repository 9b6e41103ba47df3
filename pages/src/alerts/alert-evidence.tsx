/**
 * An alert's evidence: the event rows its rule matched, shown under the expanded alert row, with the rule's
 * author attribution when it carries one (the Detection Rule License requires messages based on a rule's
 * matches to keep it).
 */
import type { Alert } from '../api/api-types';
import { RecordTable } from '../ui/record-table';
import { Timestamp } from '../ui/timestamp';

export function AlertEvidence({ alert }: { alert: Alert }) {
  const evidence = alert.evidence ?? [];
  return (
    <div className="evidence">
      {alert.ruleAttribution && (
        <div className="attribution muted small" data-testid="alert-attribution">
          Rule: {alert.ruleAttribution}{' '}
          {alert.ruleLicense && <span className="badge badge-soft tone-muted license-badge">{alert.ruleLicense}</span>}
        </div>
      )}
      <div className="evidence-meta muted small">
        Evidence: {evidence.length} row{evidence.length === 1 ? '' : 's'} · alert <span className="mono">{alert.id}</span> · dedup key{' '}
        <span className="mono">{alert.dedupKey}</span> · updated <Timestamp iso={alert.updatedAt} />
      </div>
      {evidence.length === 0 ? <div className="muted">This alert carries no evidence rows.</div> : <RecordTable rows={evidence} />}
    </div>
  );
}
