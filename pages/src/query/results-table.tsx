/** The answer of `POST /api/sql`: the summary line and the rows under their column names. */
import type { SqlResult } from '../api/api-types';
import { CellValue } from '../ui/cell-value';

export function ResultsTable({ result, limit }: { result: SqlResult; limit: number }) {
  const rowWord = result.rowCount === 1 ? 'row' : 'rows';
  return (
    <section className="panel results-panel">
      <div className="results-summary" data-testid="results-summary">
        {result.rowCount} {rowWord} · {Math.round(result.elapsedMs)} ms
        {result.truncated && <span className="truncated-note"> · truncated at {limit}</span>}
      </div>
      <div className="table-scroll results-scroll">
        <table className="data-table results-table" data-testid="results-table">
          <thead>
            <tr>
              <th className="row-number">#</th>
              {result.columns.map((column, index) => (
                <th key={`${column}-${index}`}>{column}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.rows.map((row, rowIndex) => (
              <tr key={rowIndex}>
                <td className="row-number">{rowIndex + 1}</td>
                {result.columns.map((column, columnIndex) => (
                  <td key={`${column}-${columnIndex}`}>
                    <CellValue value={row[columnIndex]} />
                  </td>
                ))}
              </tr>
            ))}
            {result.rows.length === 0 && (
              <tr>
                <td className="empty-row" colSpan={result.columns.length + 1}>
                  The query matched no rows.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
