/**
 * A rule's execution history (`GET /api/rules/:id/runs`): each scheduled window it covered, newest first, with
 * its duration, the rows the engine read and returned, the hits and the error of a failed window (which the
 * next cron tick makes up: the watermark only moves on success).
 */
import type { DetectionRule, RuleRun } from '../api/api-types';
import { useApi } from '../api/api-client';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { StatusBadge } from '../ui/status-badge';
import { formatUtc } from '../ui/format-time';

const shown = 20;

export function RuleRunsPanel({ rule }: { rule: DetectionRule }) {
  const runs = useApi<{ runs: RuleRun[] }>(`/api/rules/${encodeURIComponent(rule.id)}/runs?limit=${shown}`);
  return (
    <div className="rule-panel rule-runs" data-testid="rule-runs">
      <div className="block-heading">
        <span className="field-label">Run history</span>
        <span className="panel-title-spacer" />
        <button type="button" className="button button-small" onClick={runs.reload} disabled={runs.loading}>
          Refresh
        </button>
      </div>
      {runs.error && <ErrorBox error={runs.error} title="The run history did not load" />}
      {runs.loading && !runs.data && <LoadingIndicator label="Loading runs…" />}
      {runs.data && runs.data.runs.length === 0 && (
        <div className="muted small">No scheduled run yet: the rule runs every {rule.intervalMinutes} min over events up to the ingest delay.</div>
      )}
      {runs.data && runs.data.runs.length > 0 && (
        <table className="data-table compact" data-testid="rule-runs-table">
          <thead>
            <tr>
              <th>Window (UTC)</th>
              <th>Status</th>
              <th className="numeric">Duration</th>
              <th className="numeric">Rows read</th>
              <th className="numeric">Rows returned</th>
              <th className="numeric">Hits</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.runs.map((run, index) => (
              <tr key={index} title={run.error ?? undefined}>
                <td className="mono small">
                  {formatUtc(run.windowStart)} → {formatUtc(run.windowEnd)}
                </td>
                <td>
                  <StatusBadge status={run.status} />
                  {run.error && <div className="small run-error">{run.error}</div>}
                </td>
                <td className="numeric">{run.durationMs.toLocaleString('en-US')} ms</td>
                <td className="numeric">{run.rowsRead.toLocaleString('en-US')}</td>
                <td className="numeric">{run.rows.toLocaleString('en-US')}</td>
                <td className="numeric">{run.hits.toLocaleString('en-US')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
