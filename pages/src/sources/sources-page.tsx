/** Sources: what has been ingested per source (`GET /api/sources`) and how to send more. */
import { useApi } from '../api/api-client';
import type { SourceStats } from '../api/api-types';
import { EmptyState } from '../ui/empty-state';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { PageHeader } from '../ui/page-header';
import { Timestamp } from '../ui/timestamp';
import { SendDataPanel } from './send-data-panel';

export function SourcesPage() {
  const { data, error, loading, reload } = useApi<{ sources: SourceStats[] }>('/api/sources');
  const sources = data?.sources ?? [];

  return (
    <>
      <PageHeader
        title="Sources"
        subtitle="Log sources and their ingest totals."
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
      {!data && loading && <LoadingIndicator label="Loading sources…" />}
      {data && sources.length === 0 && <EmptyState title="Nothing ingested yet">Send a first batch with the command below.</EmptyState>}
      {sources.length > 0 && (
        <section className="panel">
          <div className="table-scroll">
            <table className="data-table" data-testid="sources-table">
              <thead>
                <tr>
                  <th>Source</th>
                  <th>Id</th>
                  <th className="numeric">Batches</th>
                  <th className="numeric">Accepted</th>
                  <th className="numeric">Rejected</th>
                  <th>Last ingest</th>
                </tr>
              </thead>
              <tbody>
                {sources.map((source) => (
                  <tr key={source.id}>
                    <td className="strong">{source.name}</td>
                    <td className="mono">{source.id}</td>
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
