/** One alert on its own page (`/alerts/:id`), where the Incidents page and notifications link to. */
import { useState } from 'react';
import { Link } from '../router/router';
import { PageHeader } from '../ui/page-header';
import { SeverityBadge } from '../ui/severity-badge';
import { StatusBadge } from '../ui/status-badge';
import { AlertChangeNotice, type AlertChange } from './alert-change';
import { AlertDetailView, useAlertDetail } from './alert-detail';

export function AlertPage({ alertId }: { alertId: string }) {
  const state = useAlertDetail(alertId);
  const [change, setChange] = useState<AlertChange | null>(null);
  const alert = state.detail.data?.alert;

  return (
    <>
      <div className="breadcrumb">
        <Link to="/alerts">Alerts</Link> / <span className="mono">{alertId}</span>
      </div>
      <PageHeader
        title={alert?.title ?? 'Alert'}
        subtitle={
          alert && (
            <span className="inline-facts">
              <SeverityBadge severity={alert.severity} />
              <StatusBadge status={alert.status} />
              <span>rule: {alert.ruleName}</span>
            </span>
          )
        }
        actions={
          <button type="button" className="button" onClick={state.detail.reload}>
            Refresh
          </button>
        }
      />
      {change && <AlertChangeNotice change={change} onDismiss={() => setChange(null)} linkToAlert={false} />}
      <section className="panel">
        <div className="panel-body">
          <AlertDetailView
            state={state}
            onChanged={(next) => {
              setChange(next);
              state.detail.reload();
            }}
          />
        </div>
      </section>
    </>
  );
}
