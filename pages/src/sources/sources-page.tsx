/**
 * Sources: every source this build parses, what it has received (push totals, events today), and the pull
 * collectors configured for it — last success, lag behind the vendor, errors (`GET /api/sources`).
 */
import { useApi } from '../api/api-client';
import type { CollectorStatus, SourcesResponse } from '../api/api-types';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { PageHeader } from '../ui/page-header';
import { StatusBadge } from '../ui/status-badge';
import { Timestamp } from '../ui/timestamp';
import { SendDataPanel } from './send-data-panel';

export function SourcesPage() {
  const { data, error, loading, reload } = useApi<SourcesResponse>('/api/sources');
  const sources = data?.sources ?? [];
  const collectors = sources.flatMap((s) => s.collectors);

  return (
    <>
      <PageHeader
        title="Sources"
        subtitle="What each source has sent, and the collectors that pull from vendor APIs."
        actions={
          <>
            {loading && data && <LoadingIndicator inline label="Refreshing…" />}
            <button type="button" className="button" onClick={reload}>
              Refresh
            </button>
          </>
        }
      />
      {error && <ErrorBox error={error} />}
      {data?.collectorsError && (
        <div className="notice notice-danger" role="alert">
          <strong>Collectors are not running:</strong> {data.collectorsError}
        </div>
      )}
      {!data && loading && <LoadingIndicator label="Loading sources…" />}
      {collectors.length > 0 && (
        <section className="panel">
          <h2 className="panel-title">Pull collectors</h2>
          <div className="table-scroll">
            <table className="data-table" data-testid="collectors-table">
              <thead>
                <tr>
                  <th>Collector</th>
                  <th>Source</th>
                  <th>State</th>
                  <th>Last success</th>
                  <th className="numeric">Lag</th>
                  <th className="numeric">Events</th>
                  <th>Last error</th>
                </tr>
              </thead>
              <tbody>
                {collectors.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <span className="strong mono">{c.id}</span>
                      <div className="dim small">{c.description}, every {c.intervalMinutes} min</div>
                    </td>
                    <td className="mono">{c.source}</td>
                    <td>
                      <StatusBadge status={collectorState(c)} />
                    </td>
                    <td>{c.lastSuccessAt ? <Timestamp iso={c.lastSuccessAt} /> : <span className="dim">never</span>}</td>
                    <td className="numeric">{c.lagSeconds === null ? <span className="dim">—</span> : formatLag(c.lagSeconds)}</td>
                    <td className="numeric">{c.eventsTotal.toLocaleString('en-US')}</td>
                    <td className={c.lastError ? 'text-danger small' : 'dim'} title={c.lastError ?? undefined}>
                      {c.lastError ? `${c.lastError.slice(0, 140)}${c.lastError.length > 140 ? '…' : ''}` : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {sources.length > 0 && (
        <section className="panel">
          <h2 className="panel-title">Sources</h2>
          <div className="table-scroll">
            <table className="data-table" data-testid="sources-table">
              <thead>
                <tr>
                  <th>Source</th>
                  <th>Id</th>
                  <th>Collectors</th>
                  <th className="numeric">Events today</th>
                  <th className="numeric">Batches</th>
                  <th className="numeric">Accepted lines</th>
                  <th className="numeric">Rejected lines</th>
                  <th>Last ingest</th>
                </tr>
              </thead>
              <tbody>
                {sources.map((source) => (
                  <tr key={source.id}>
                    <td className="strong">{source.name}</td>
                    <td className="mono">{source.id}</td>
                    <td>{source.collectors.length > 0 ? source.collectors.map((c) => c.id).join(', ') : <span className="dim">push only</span>}</td>
                    <td className="numeric">{source.eventsToday.toLocaleString('en-US')}</td>
                    <td className="numeric">{source.batches.toLocaleString('en-US')}</td>
                    <td className="numeric">{source.accepted.toLocaleString('en-US')}</td>
                    <td className={source.rejected > 0 ? 'numeric text-danger' : 'numeric'}>{source.rejected.toLocaleString('en-US')}</td>
                    <td>{source.lastIngestAt ? <Timestamp iso={source.lastIngestAt} /> : <span className="dim">never</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      <SendDataPanel />
    </>
  );
}

function collectorState(c: CollectorStatus): string {
  if (!c.enabled) return 'disabled';
  if (!c.lastRunAt) return 'queued';
  if (c.consecutiveFailures > 0) return 'failing';
  return 'ok';
}

function formatLag(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}
