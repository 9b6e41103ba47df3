/**
 * What a Sigma rule becomes in each SQL dialect (`POST /api/rules/convert`): per document of the YAML, the SQL
 * with its placeholders and the values bound to them, one tab per dialect. Nothing here is saved.
 */
import { useState } from 'react';
import { sqlDialects, type ConvertResponse, type ConvertedQuery, type SigmaProblem, type SqlDialect } from '../api/api-types';
import { CopyButton } from '../ui/copy-button';
import { SigmaProblemList } from './sigma-errors';

const dialectLabels: Record<SqlDialect, string> = { d1: 'D1', athena: 'Athena', bigquery: 'BigQuery', synapse: 'Synapse' };

/** How each dialect writes the placeholder of the n-th (1-based) bound value. */
const placeholderOf: Record<SqlDialect, (n: number) => string> = {
  d1: (n) => `?${n}`,
  athena: (n) => `? #${n}`,
  bigquery: (n) => `@p${n}`,
  synapse: (n) => `@p${n}`,
};

export function ConvertPreview({ response, stale, onSelect }: { response: ConvertResponse; stale: boolean; onSelect: (problem: SigmaProblem) => void }) {
  const [dialect, setDialect] = useState<SqlDialect>('d1');
  return (
    <section className="panel convert-preview" data-testid="convert-preview">
      <div className="panel-title">
        SQL preview
        <div className="segmented" role="tablist" aria-label="SQL dialect">
          {sqlDialects.map((value) => (
            <button
              key={value}
              type="button"
              role="tab"
              className={value === dialect ? 'segment active' : 'segment'}
              aria-selected={value === dialect}
              onClick={() => setDialect(value)}
              data-testid={`dialect-tab-${value}`}
            >
              {dialectLabels[value]}
            </button>
          ))}
        </div>
        <span className="panel-title-spacer" />
        {stale && <span className="muted small">The YAML changed since this preview.</span>}
      </div>
      <div className="panel-body" role="tabpanel">
        {response.results.length === 0 && <div className="muted">The YAML holds no Sigma document.</div>}
        {response.results.map((result, index) => (
          <div key={index} className="convert-document">
            <div className="convert-document-title">
              <span className="strong">{result.title}</span>
              {result.kind === 'correlation' && <span className="badge badge-soft tone-info">correlation</span>}
            </div>
            {result.ok ? (
              <DialectQuery dialect={dialect} query={result.queries?.[dialect]} onSelect={onSelect} />
            ) : (
              <DocumentProblems error={result.error} problems={result.errors} onSelect={onSelect} />
            )}
          </div>
        ))}
      </div>
    </section>
  );
}

function DialectQuery({ dialect, query, onSelect }: { dialect: SqlDialect; query: ConvertedQuery | undefined; onSelect: (problem: SigmaProblem) => void }) {
  if (!query) return <div className="muted">Not translated for {dialectLabels[dialect]}.</div>;
  if (!query.ok) return <DocumentProblems error={query.error} problems={query.errors} onSelect={onSelect} />;
  const params = query.params ?? [];
  return (
    <div data-testid={`dialect-sql-${dialect}`}>
      {query.needsConfirmation && (
        <div className="notice small">
          {dialectLabels[dialect]} selects a superset; rows are confirmed by the matcher.
        </div>
      )}
      <pre className="sql-block mono preview-sql">{query.sql}</pre>
      {params.length > 0 && (
        <table className="data-table compact params-table">
          <thead>
            <tr>
              <th>Placeholder</th>
              <th>Bound value</th>
            </tr>
          </thead>
          <tbody>
            {params.map((value, index) => (
              <tr key={index}>
                <td className="mono">{placeholderOf[dialect](index + 1)}</td>
                <td className="mono">{value === null ? <span className="dim">NULL</span> : JSON.stringify(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {query.inline && (
        <div className="preview-actions">
          <CopyButton text={query.inline} label="Copy with values inlined" />
        </div>
      )}
    </div>
  );
}

function DocumentProblems({ error, problems, onSelect }: { error?: string; problems?: SigmaProblem[]; onSelect: (problem: SigmaProblem) => void }) {
  return (
    <div className="error-box">
      <div className="error-title">Not translated</div>
      {error && <div className="error-message">{error}</div>}
      {problems && problems.length > 0 && <SigmaProblemList problems={problems} onSelect={onSelect} />}
    </div>
  );
}
