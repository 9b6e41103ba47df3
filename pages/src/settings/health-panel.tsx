/**
 * Health of the Worker's bindings (`GET /api/health`). A degraded deployment answers 503 with the same
 * report, which is shown as data rather than as an error.
 */
import { useApi } from '../api/api-client';
import type { Health } from '../api/api-types';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { StatusBadge } from '../ui/status-badge';

const degradedStatuses = [503] as const;

export function HealthPanel() {
  const { data, error, loading, reload } = useApi<Health>('/api/health', { acceptStatuses: degradedStatuses });
  const bindings = Object.entries(data?.bindings ?? {});

  return (
    <section className="panel" data-testid="health-panel">
      <div className="panel-title">
        Health
        {data && <StatusBadge status={data.status} />}
        {data && <span className="muted small">version {data.version}</span>}
        <span className="panel-title-spacer" />
        {loading && data && <LoadingIndicator inline label="Checking…" />}
        <button type="button" className="button button-small" onClick={reload}>
          Check again
        </button>
      </div>
      {error && <ErrorBox error={error} />}
      {!data && loading && <LoadingIndicator label="Checking bindings…" />}
      {data && (
        <table className="data-table">
          <thead>
            <tr>
              <th>Binding</th>
              <th>State</th>
              <th className="numeric">Latency</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {bindings.map(([name, binding]) => (
              <tr key={name}>
                <td className="mono">{name}</td>
                <td>
                  <StatusBadge status={binding.ok ? 'ok' : 'error'} />
                </td>
                <td className="numeric">{binding.latencyMs === undefined ? <span className="dim">—</span> : `${Math.round(binding.latencyMs)} ms`}</td>
                <td className={binding.error ? 'text-danger' : undefined}>{binding.error ?? <span className="dim">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
