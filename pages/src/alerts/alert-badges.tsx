/** Badges of the alerting views: why an alert is muted, and where one delivery stands. */
import type { DeliveryStatus } from '../api/api-types';
import { mutedReason } from './alert-filters';

export function MutedBadge({ mutedBy }: { mutedBy: string }) {
  return (
    <span className="badge badge-soft tone-warning muted-badge" title={`Notifications held back (${mutedBy})`} data-testid="muted-badge">
      muted: {mutedReason(mutedBy)}
    </span>
  );
}

const deliveryTones: Record<DeliveryStatus, string> = {
  pending: 'tone-neutral',
  sending: 'tone-info',
  sent: 'tone-success',
  failed: 'tone-danger',
};

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus | string }) {
  const tone = deliveryTones[status as DeliveryStatus] ?? 'tone-neutral';
  return <span className={`badge badge-soft ${tone}`}>{status}</span>;
}
