/**
 * The Query page's SQL tab: write a read-only SELECT over `events`, `alerts` and `detection_rules`, run it with
 * `POST /api/sql`, and read the rows. Ctrl/Cmd+Enter runs. A refused query shows the validator's reason.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import { ApiError, apiRequest } from '../api/api-client';
import type { SqlResult } from '../api/api-types';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { exampleQueries, latestEventsQuery } from './example-queries';
import { ResultsTable } from './results-table';

const rowLimits = [100, 1000, 10000] as const;

type RunState =
  | { phase: 'idle' }
  | { phase: 'running' }
  | { phase: 'done'; result: SqlResult; limit: number }
  | { phase: 'failed'; error: ApiError };

export function SqlExplorer() {
  const [sql, setSql] = useState(latestEventsQuery.sql);
  const [limit, setLimit] = useState<number>(1000);
  const [run, setRun] = useState<RunState>({ phase: 'idle' });
  const latestRun = useRef(0);

  async function runQuery(text: string = sql) {
    if (text.trim() === '') return;
    const runId = ++latestRun.current;
    setRun({ phase: 'running' });
    try {
      const result = await apiRequest<SqlResult>('/api/sql', { method: 'POST', body: { sql: text, limit } });
      if (runId === latestRun.current) setRun({ phase: 'done', result, limit });
    } catch (cause) {
      if (runId !== latestRun.current) return;
      setRun({ phase: 'failed', error: cause instanceof ApiError ? cause : new ApiError(0, 'client_error', String(cause), null) });
    }
  }

  function handleEditorKeys(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void runQuery();
    }
  }

  return (
    <>
      <div className="muted small sql-scope">
        One read-only <span className="mono">SELECT</span> over <span className="mono">events</span>,{' '}
        <span className="mono">alerts</span> and <span className="mono">detection_rules</span>.
      </div>
      <section className="panel query-panel">
        <div className="example-chips" aria-label="Example queries">
          <span className="muted small">Examples</span>
          {exampleQueries.map((example) => (
            <button
              key={example.label}
              type="button"
              className="chip"
              title={example.sql}
              onClick={() => {
                setSql(example.sql);
                void runQuery(example.sql);
              }}
            >
              {example.label}
            </button>
          ))}
        </div>
        <textarea
          data-testid="sql-editor"
          className="sql-editor mono"
          value={sql}
          onChange={(event) => setSql(event.target.value)}
          onKeyDown={handleEditorKeys}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          aria-label="SQL query"
          rows={8}
        />
        <div className="query-toolbar">
          <button
            data-testid="run-query"
            type="button"
            className="button button-primary"
            onClick={() => void runQuery()}
            disabled={run.phase === 'running' || sql.trim() === ''}
          >
            {run.phase === 'running' ? 'Running…' : 'Run'}
          </button>
          <label className="inline-field">
            Row limit
            <select value={limit} onChange={(event) => setLimit(Number(event.target.value))} data-testid="row-limit">
              {rowLimits.map((value) => (
                <option key={value} value={value}>
                  {value.toLocaleString('en-US')}
                </option>
              ))}
            </select>
          </label>
          <span className="muted small">
            <kbd>Ctrl</kbd>/<kbd>⌘</kbd> + <kbd>Enter</kbd> runs
          </span>
        </div>
      </section>
      {run.phase === 'running' && <LoadingIndicator label="Running query…" />}
      {run.phase === 'failed' && (
        <ErrorBox
          error={run.error}
          testId="query-error"
          title={run.error.code === 'invalid_sql' ? 'Query refused' : 'Query failed'}
        />
      )}
      {run.phase === 'done' && <ResultsTable result={run.result} limit={run.limit} />}
      {run.phase === 'idle' && <div className="muted results-hint">Run a query, or pick an example, to see results here.</div>}
    </>
  );
}
