/** A user's identity events (newest first) as the Identity page shows them. */
import type { IdentityEvent } from '../api/api-types';
import { StatusBadge } from '../ui/status-badge';
import { Timestamp } from '../ui/timestamp';

export function IdentityEventsTable({ events }: { events: readonly IdentityEvent[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="identity-events-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Source</th>
            <th>Action</th>
            <th>Identity action</th>
            <th>Outcome</th>
            <th>Source IP</th>
            <th>Location</th>
            <th>User agent</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event, index) => (
            <tr key={`${event.eventTime}-${index}`}>
              <td>
                <Timestamp iso={event.eventTime} />
              </td>
              <td>{event.source}</td>
              <td className="mono">
                <span className="cell-text identity-action-name" title={event.action}>
                  {event.action}
                </span>
              </td>
              <td className="mono">{event.identityAction ?? <span className="dim">—</span>}</td>
              <td>
                <StatusBadge status={event.outcome} />
              </td>
              <td className="mono">{event.srcIp ?? <span className="dim">—</span>}</td>
              <td>{[event.city, event.country].filter(Boolean).join(', ') || <span className="dim">—</span>}</td>
              <td className="fill-cell">
                {event.userAgent ? (
                  <span className="cell-text" title={event.userAgent}>
                    {event.userAgent}
                  </span>
                ) : (
                  <span className="dim">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
