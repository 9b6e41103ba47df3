/** The users, IP addresses and hosts an alert is about, as compact chips. */
import type { Alert } from '../api/api-types';

export function AlertEntities({ alert }: { alert: Alert }) {
  const users = alert.entities?.users ?? [];
  const ips = alert.entities?.ips ?? [];
  const hosts = alert.entities?.hosts ?? [];
  if (users.length === 0 && ips.length === 0 && hosts.length === 0) return <span className="dim">—</span>;
  return (
    <div className="entity-list">
      {users.map((user) => (
        <span key={`u:${user}`} className="entity" title="user">
          {user}
        </span>
      ))}
      {ips.map((ip) => (
        <span key={`ip:${ip}`} className="entity mono" title="IP address">
          {ip}
        </span>
      ))}
      {hosts.map((host) => (
        <span key={`h:${host}`} className="entity mono" title="host">
          {host}
        </span>
      ))}
    </div>
  );
}
