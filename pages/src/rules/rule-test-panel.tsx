/**
 * "Test against the last 24 h": runs the stored rule over the last day of events without raising anything
 * (`POST /api/rules/:id/test`) and shows, per document of the rule, the rows it selects, the alerts those rows
 * would raise, whether the row cap cut it short, and a sample.
 */
import { useState } from 'react';
import { ApiError, apiRequest } from '../api/api-client';
import type { DetectionRule, RuleTestDocument, RuleTestResult } from '../api/api-types';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { RecordTable } from '../ui/record-table';
import { formatUtc } from '../ui/format-time';

const testHours = 24;

export function RuleTestPanel({ rule }: { rule: DetectionRule }) {
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<RuleTestResult | null>(null);
  const [failure, setFailure] = useState<ApiError | null>(null);

  async function run() {
    setRunning(true);
    setFailure(null);
    try {
      setResult(await apiRequest<RuleTestResult>(`/api/rules/${encodeURIComponent(rule.id)}/test`, { method: 'POST', body: { hours: testHours } }));
    } catch (cause) {
      if (cause instanceof ApiError) setFailure(cause);
    } finally {
      setRunning(false);
    }
  }

  return (
    <div className="rule-panel" data-testid="rule-test">
      <div className="block-heading">
        <span className="field-label">Test run</span>
        <span className="panel-title-spacer" />
        <button type="button" className="button button-small" disabled={running} onClick={() => void run()} data-testid="rule-test-run">
          {result ? 'Test again' : `Test against the last ${testHours} h`}
        </button>
      </div>
      {running && <LoadingIndicator label={`Running the rule over the last ${testHours} h of events…`} />}
      {failure && <ErrorBox error={failure} title="The test did not run" />}
      {!running && !result && !failure && <div className="muted small">Runs the rule over recent events without raising alerts or notifying anyone.</div>}
      {result && !running && (
        <div className="rule-test-result" data-testid="rule-test-result">
          <div className="muted small">
            {formatUtc(result.window.start)} → {formatUtc(result.window.end)} UTC · {result.durationMs} ms
          </div>
          {result.documents.map((tested, index) => (
            <TestDocument key={index} tested={tested} single={result.documents.length === 1} />
          ))}
        </div>
      )}
    </div>
  );
}

export function TestDocument({ tested, single }: { tested: RuleTestDocument; single: boolean }) {
  const wouldRaise = tested.raisesAlerts === false ? 0 : tested.alerts;
  return (
    <div className="test-document" data-testid="rule-test-document">
      {!single && (
        <div className="convert-tested-title">
          <span className="strong">{tested.title}</span>
          {tested.kind && <span className="badge badge-soft tone-neutral">{tested.kind}</span>}
          {tested.raisesAlerts === false && <span className="muted small">feeds a correlation; raises no alerts itself</span>}
        </div>
      )}
      <div className="test-counts">
        <span data-testid="rule-test-rows">
          <strong>{tested.rows.toLocaleString('en-US')}</strong> row{tested.rows === 1 ? '' : 's'} found
        </span>
        <span data-testid="rule-test-alerts">
          <strong>{wouldRaise.toLocaleString('en-US')}</strong> alert{wouldRaise === 1 ? '' : 's'} it would raise
        </span>
        {tested.truncated && <span className="truncated-note">truncated: more rows matched than the test reads</span>}
      </div>
      {tested.sample.length > 0 ? (
        <>
          {tested.sample.length < tested.rows && <div className="muted small">First {tested.sample.length} rows:</div>}
          <RecordTable rows={tested.sample} />
        </>
      ) : (
        <div className="muted small">No matching events in the window.</div>
      )}
    </div>
  );
}
