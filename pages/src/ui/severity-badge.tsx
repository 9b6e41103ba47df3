/** Severity as a coloured badge: critical dark red, high red, medium orange, low blue, info grey. */
import type { Severity } from '../api/api-types';

export function SeverityBadge({ severity }: { severity: Severity | string }) {
  return <span className={`badge severity-${severity}`}>{severity}</span>;
}
