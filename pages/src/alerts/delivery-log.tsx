/**
 * An alert's delivery log: one row per destination and lifecycle step (opened, acknowledged, resolved,
 * escalated), with its retry state. When nobody was notified it says why, as far as the UI can tell: the
 * alert is muted, no routing document exists, or no route matched.
 */
import type { Alert, AlertDelivery, RoutingState } from '../api/api-types';
import { Link } from '../router/router';
import { Timestamp } from '../ui/timestamp';
import { DeliveryStatusBadge } from './alert-badges';
import { mutedReason } from './alert-filters';

export function DeliveryLog({ alert, deliveries, routing }: { alert: Alert; deliveries: readonly AlertDelivery[]; routing: RoutingState | undefined }) {
  return (
    <div className="delivery-log" data-testid="delivery-log">
      <div className="block-heading">
        <span className="field-label">Delivery log</span>
        {deliveries.length > 0 && <span className="muted small">{deliveries.length} notification{deliveries.length === 1 ? '' : 's'}</span>}
      </div>
      {deliveries.length === 0 ? (
        <div className="delivery-empty muted" data-testid="delivery-empty">
          {emptyReason(alert, routing)}
        </div>
      ) : (
        <div className="table-scroll evidence-scroll">
          <table className="data-table compact" data-testid="delivery-table">
            <thead>
              <tr>
                <th>Destination</th>
                <th>Kind</th>
                <th>Route</th>
                <th>Status</th>
                <th className="numeric">Attempts</th>
                <th>Next attempt / sent</th>
                <th>Last error</th>
                <th>External id / detail</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <tr key={delivery.id}>
                  <td>
                    <span className="mono">{delivery.destinationId}</span>
                    <div className="muted small">{delivery.destinationType}</div>
                  </td>
                  <td>{delivery.kind}</td>
                  <td className="wrap">{delivery.route}</td>
                  <td>
                    <DeliveryStatusBadge status={delivery.status} />
                  </td>
                  <td className="numeric">{delivery.attempts}</td>
                  <td>
                    {delivery.status === 'pending' ? (
                      <Timestamp iso={delivery.notBefore} />
                    ) : delivery.sentAt ? (
                      <Timestamp iso={delivery.sentAt} />
                    ) : (
                      <span className="dim">—</span>
                    )}
                  </td>
                  <td className="error-cell">
                    {delivery.lastError ? (
                      <span className="cell-text error-text" title={delivery.lastError}>
                        {delivery.lastError}
                      </span>
                    ) : (
                      <span className="dim">—</span>
                    )}
                  </td>
                  <td>
                    {delivery.externalId && <span className="mono selectable">{delivery.externalId}</span>}
                    {delivery.detail && (
                      <div className="cell-text muted small" title={delivery.detail}>
                        {delivery.detail}
                      </div>
                    )}
                    {!delivery.externalId && !delivery.detail && <span className="dim">—</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function emptyReason(alert: Alert, routing: RoutingState | undefined) {
  if (alert.mutedBy) {
    return `No destination was notified: the alert is muted (${mutedReason(alert.mutedBy)}, ${alert.mutedBy}); it is recorded but held back.`;
  }
  if (routing === undefined) return 'No destination was notified for this alert.';
  if (routing.version === 0) {
    return (
      <>
        No destination was notified: no routing document. An admin sets one in <Link to="/settings/routing">Settings → Routing</Link>.
      </>
    );
  }
  return 'No destination was notified: no route of the routing document matched this alert when it was raised.';
}
