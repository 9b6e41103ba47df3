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
      <RowsGrid columns={result.columns} rows={result.rows} scrollClass="results-scroll" testId="results-table" />
    </section>
  );
}

/** Rows under their column names, numbered, in a scrolling box: the SQL tab's results and each Ask answer. */
export function RowsGrid({ columns, rows, scrollClass, testId }: { columns: string[]; rows: readonly (readonly unknown[])[]; scrollClass: string; testId: string }) {
  return (
    <div className={`table-scroll ${scrollClass}`}>
      <table className="data-table results-table" data-testid={testId}>
        <thead>
          <tr>
            <th className="row-number">#</th>
            {columns.map((column, index) => (
              <th key={`${column}-${index}`}>{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, rowIndex) => (
            <tr key={rowIndex}>
              <td className="row-number">{rowIndex + 1}</td>
              {columns.map((column, columnIndex) => (
                <td key={`${column}-${columnIndex}`}>
                  <CellValue value={row[columnIndex]} />
                </td>
              ))}
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td className="empty-row" colSpan={columns.length + 1}>
                The query matched no rows.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
