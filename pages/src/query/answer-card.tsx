/**
 * One exchange of the Ask thread: the analyst's question, then the answer — explanation, assumptions, engine, cost
 * (with "Run anyway" when the API asks for confirmation; nothing has run then), the SQL in an editable box, and
 * the rows with a chart and CSV export. A question the engine did not understand shows its suggestions as chips.
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import { detectChartShape } from '../../../core/query-results/chart-shape';
import type { QueryAnswer, QueryConversationTurn } from '../api/api-types';
import { CellValue } from '../ui/cell-value';
import { CopyButton } from '../ui/copy-button';
import { ErrorBox } from '../ui/error-box';
import { LoadingIndicator } from '../ui/loading-indicator';
import { StatusBadge } from '../ui/status-badge';
import { AnswerChart } from './answer-chart';
import { RowsGrid } from './results-table';
import { dialectName, engineLabel, formatBytes, formatCount, formatUsd } from './answer-format';
import { csvFileName, downloadCsv } from './csv-download';
import type { ThreadEntry } from './thread-entry';

export interface AnswerActions {
  busy: boolean;
  ask(question: string): void;
  runSql(question: string, sql: string): void;
  /** Runs a priced answer's SQL with `confirm: true`, in place of the priced answer. */
  confirm(entryKey: number, question: string, priced: QueryAnswer): void;
  /** Runs a reopened conversation's turn again (its SQL), keeping its explanation. */
  rerun(question: string, turn: QueryConversationTurn): void;
}

export function AnswerCard({ entry, actions }: { entry: ThreadEntry; actions: AnswerActions }) {
  const status =
    entry.phase === 'stored' ? entry.turn.status : entry.phase === 'answered' && entry.answer.needsConfirmation ? 'needs-confirmation' : entry.phase;
  return (
    <article className="exchange" data-testid="answer" data-status={status} aria-busy={entry.phase === 'asking'}>
      <div className="exchange-question">
        <div className="question-bubble">
          {entry.via !== 'question' && <span className="question-via">{viaLabels[entry.via]}</span>}
          {entry.question}
        </div>
      </div>
      <div className="exchange-answer">
        {entry.phase === 'asking' && <LoadingIndicator label={entry.via === 'question' ? 'Translating and running…' : 'Running…'} inline />}
        {entry.phase === 'answered' && <Answer entryKey={entry.key} question={entry.question} answer={entry.answer} actions={actions} />}
        {entry.phase === 'not-understood' && (
          <NotUnderstood message={entry.message} suggestions={entry.suggestions} engine={entry.engine} actions={actions} />
        )}
        {entry.phase === 'error' && (
          <>
            <ErrorBox error={entry.error} testId="answer-error" title={errorTitle(entry.error.code)} />
            {entry.sql && <SqlBox question={entry.question} sql={entry.sql} actions={actions} runLabel="Run edited SQL" />}
          </>
        )}
        {entry.phase === 'stored' && <StoredTurn question={entry.question} turn={entry.turn} actions={actions} />}
      </div>
    </article>
  );
}

const viaLabels = { 'edited-sql': 'Edited SQL for', confirmed: 'Confirmed', rerun: 'Run again' } as const;

function errorTitle(code: string): string {
  if (code === 'invalid_sql') return 'The query was refused or failed';
  if (code === 'not_found') return 'That conversation is gone';
  return 'The question could not be answered';
}

function Answer({ entryKey, question, answer, actions }: { entryKey: number; question: string; answer: QueryAnswer; actions: AnswerActions }) {
  return (
    <>
      <div className="answer-head">
        <div className="answer-explanation" data-testid="answer-explanation">
          {answer.explanation}
        </div>
        <div className="answer-badges">
          <span className="badge badge-soft tone-neutral" title="What translated the question">
            {engineLabel(answer.engine, answer.fallbackFrom)}
          </span>
          {answer.cached && (
            <span className="badge badge-soft tone-info" data-testid="cached-badge" title="Served from the answer cache: the same question, time range and SQL ran a moment ago">
              cached
            </span>
          )}
        </div>
      </div>
      {answer.fallbackFrom && (
        <div className="notice small">
          The <span className="mono">{answer.fallbackFrom}</span> provider failed, so the offline engine answered instead.
        </div>
      )}
      <Assumptions items={answer.assumptions} />
      <CostLine answer={answer} />
      {answer.needsConfirmation && (
        <div className="confirm-box" data-testid="needs-confirmation">
          <div>
            Estimated at <strong>{formatUsd(answer.estimate.usd)}</strong>, above the amount that runs without confirmation. Nothing has run yet.
          </div>
          <button
            type="button"
            className="button button-primary"
            data-testid="run-anyway"
            disabled={actions.busy}
            onClick={() => actions.confirm(entryKey, question, answer)}
          >
            Run anyway
          </button>
        </div>
      )}
      <SqlBox question={question} sql={answer.sql} actions={actions} runLabel="Run edited SQL" />
      {!answer.needsConfirmation && <AnswerRows question={question} answer={answer} />}
    </>
  );
}

function Assumptions({ items }: { items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <div className="answer-assumptions" data-testid="answer-assumptions">
      <div className="answer-label">Assumptions</div>
      <ul>
        {items.map((item, index) => (
          <li key={index}>{item}</li>
        ))}
      </ul>
    </div>
  );
}

function CostLine({ answer }: { answer: QueryAnswer }) {
  const { estimate } = answer;
  return (
    <div className="answer-cost" data-testid="answer-cost">
      <span className="answer-label">{answer.needsConfirmation ? 'Estimated cost' : 'Cost'}</span>
      <span>
        {formatBytes(estimate.bytes)} · {formatCount(estimate.rows)} rows read · {formatCount(estimate.partitions)} partitions
      </span>
      <span className="answer-cost-price">
        {dialectName(estimate.dialect)} <strong>{formatUsd(estimate.usd)}</strong>
      </span>
      <span className="muted small">{estimate.basis}</span>
    </div>
  );
}

function SqlBox({ question, sql, actions, runLabel }: { question: string; sql: string; actions: AnswerActions; runLabel: string }) {
  const [draft, setDraft] = useState(sql);
  const edited = draft.trim() !== sql.trim();
  function run() {
    if (draft.trim() !== '' && !actions.busy) actions.runSql(question, draft);
  }
  function handleKeys(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  }
  return (
    <div className="answer-sql">
      <div className="answer-label">
        SQL <span className="muted small">· edit it and run it again (Ctrl/⌘ + Enter)</span>
      </div>
      <textarea
        className="sql-editor answer-sql-editor mono"
        data-testid="answer-sql"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={handleKeys}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        aria-label="Generated SQL (editable)"
        rows={Math.min(10, Math.max(3, draft.split('\n').length + Math.floor(draft.length / 100)))}
      />
      <div className="query-toolbar">
        <button type="button" className="button button-small" data-testid="run-edited-sql" disabled={actions.busy || !edited} onClick={run}>
          {runLabel}
        </button>
        {edited && (
          <button type="button" className="button button-small" onClick={() => setDraft(sql)}>
            Undo edits
          </button>
        )}
        <CopyButton text={draft} label="Copy SQL" />
      </div>
    </div>
  );
}

function AnswerRows({ question, answer }: { question: string; answer: QueryAnswer }) {
  const shape = useMemo(() => detectChartShape(answer.columns, answer.rows), [answer.columns, answer.rows]);
  const single = answer.rows.length === 1 && answer.columns.length === 1 ? answer.rows[0]![0] : undefined;
  return (
    <section className="answer-results">
      <div className="answer-results-bar">
        <span className="answer-summary" data-testid="answer-summary">
          {formatCount(answer.rowCount)} {answer.rowCount === 1 ? 'row' : 'rows'}
          {answer.truncated && <span className="truncated-note"> · truncated: only the first {formatCount(answer.rowCount)} rows are shown</span>}
        </span>
        <button
          type="button"
          className="button button-small"
          data-testid="export-csv"
          disabled={answer.columns.length === 0}
          onClick={() => downloadCsv(csvFileName(question), answer.columns, answer.rows)}
        >
          Export CSV
        </button>
      </div>
      {single !== undefined && (
        <div className="answer-number" data-testid="answer-number">
          <CellValue value={typeof single === 'number' ? single.toLocaleString('en-US') : single} />
          <span className="muted small"> {answer.columns[0]}</span>
        </div>
      )}
      {shape && <AnswerChart shape={shape} />}
      <RowsGrid columns={answer.columns} rows={answer.rows} scrollClass="answer-table-scroll" testId="answer-table" />
    </section>
  );
}

function NotUnderstood({ message, suggestions, engine, actions }: { message: string; suggestions: string[]; engine: string | null; actions: AnswerActions }) {
  return (
    <div className="not-understood" data-testid="not-understood">
      <div className="answer-explanation">{message}</div>
      {engine && <div className="muted small">Engine: {engineLabel(engine, null)}</div>}
      {suggestions.length > 0 && (
        <div className="example-chips suggestion-chips" aria-label="Questions that can be answered">
          <span className="muted small">Try</span>
          {suggestions.map((suggestion) => (
            <button key={suggestion} type="button" className="chip" data-testid="suggestion" disabled={actions.busy} onClick={() => actions.ask(suggestion)}>
              {suggestion}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function StoredTurn({ question, turn, actions }: { question: string; turn: QueryConversationTurn; actions: AnswerActions }) {
  return (
    <>
      <div className="answer-head">
        <div className="answer-explanation">{turn.explanation ?? turn.message ?? 'No answer was kept for this question.'}</div>
        <div className="answer-badges">
          <StatusBadge status={turn.status} />
          <span className="badge badge-soft tone-neutral">{engineLabel(turn.engine, null)}</span>
        </div>
      </div>
      {turn.explanation && turn.message && <div className="muted small">{turn.message}</div>}
      <Assumptions items={turn.assumptions} />
      <div className="answer-cost muted">
        {turn.rowCount !== null && (
          <span>
            {formatCount(turn.rowCount)} {turn.rowCount === 1 ? 'row' : 'rows'} then
          </span>
        )}
        {turn.estimate && (
          <span>
            estimated {formatBytes(turn.estimate.bytes)}, {formatUsd(turn.estimate.usd)}
          </span>
        )}
        <span>
          asked {turn.createdAt.slice(0, 16).replace('T', ' ')} UTC{turn.sql ? ' · rows are not kept: run it again to see them' : ''}
        </span>
      </div>
      {turn.sql && (
        <>
          <div className="stored-actions">
            <button type="button" className="button button-small button-primary" disabled={actions.busy} onClick={() => actions.rerun(question, turn)}>
              Run again
            </button>
          </div>
          <SqlBox question={question} sql={turn.sql} actions={actions} runLabel="Run edited SQL" />
        </>
      )}
      {!turn.sql && turn.status === 'not_understood' && (
        <div className="stored-actions">
          <button type="button" className="button button-small" disabled={actions.busy} onClick={() => actions.ask(question)}>
            Ask again
          </button>
        </div>
      )}
    </>
  );
}
