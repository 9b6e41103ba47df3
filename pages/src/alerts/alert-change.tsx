/**
 * What an analyst just did to an alert, and the notice that confirms it. The notice lives on the page rather
 * than in the alert's row because the change usually moves the alert out of the current filter.
 */
import type { ReactNode } from 'react';
import type { Alert, FalsePositiveResponse } from '../api/api-types';
import { Link } from '../router/router';
import { alertPath } from '../router/app-routes';
import { formatUtc } from '../ui/format-time';

export type AlertChange = { kind: 'status'; alert: Alert } | { kind: 'false-positive'; result: FalsePositiveResponse };

export function AlertChangeNotice({ change, onDismiss, linkToAlert }: { change: AlertChange; onDismiss: () => void; linkToAlert: boolean }) {
  const alert = change.kind === 'status' ? change.alert : change.result.alert;
  const title = linkToAlert ? <Link to={alertPath(alert.id)}>{alert.title}</Link> : <strong>{alert.title}</strong>;
  return (
    <div className="notice notice-success change-notice" role="status" data-testid={change.kind === 'false-positive' ? 'fp-proposal' : 'alert-changed'}>
      <button type="button" className="notice-dismiss" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
      {change.kind === 'status' ? (
        <>
          Alert {title} is now <strong>{alert.status.replaceAll('_', ' ')}</strong>.
        </>
      ) : (
        <SuppressionProposal change={change} title={title} />
      )}
    </div>
  );
}

function SuppressionProposal({ change, title }: { change: Extract<AlertChange, { kind: 'false-positive' }>; title: ReactNode }) {
  const { suppression } = change.result;
  const conditions = Object.entries(suppression.conditions);
  return (
    <>
      <div>
        Alert {title} marked <strong>false positive</strong>. Proposed suppression <span className="mono">{suppression.id}</span>:
      </div>
      <ul className="proposal-list">
        <li>
          matches{' '}
          {conditions.map(([field, value], index) => (
            <span key={field}>
              {index > 0 && ' and '}
              <span className="mono">{field}</span> = <span className="mono strong">{value}</span>
            </span>
          ))}
          , on {suppression.ruleId ? <>alerts of this rule only</> : <>alerts of every rule</>}, until {formatUtc(suppression.expiresAt)} UTC once approved;
        </li>
        <li>
          <strong>awaits review by someone else</strong> with rules:write: it mutes nothing until approved in{' '}
          <Link to="/settings/suppressions">Settings → Suppressions &amp; maintenance</Link>.
        </li>
      </ul>
    </>
  );
}
