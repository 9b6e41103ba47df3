/**
 * A table for rows whose shape is not known in advance (alert evidence): columns are the union of the
 * rows' keys in first-seen order. Non-object rows are shown as a single value column.
 */
import { CellValue } from './cell-value';

export function RecordTable({ rows }: { rows: readonly unknown[] }) {
  const columns: string[] = [];
  for (const row of rows) {
    if (isRecord(row)) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  }
  const hasPlainValues = rows.some((row) => !isRecord(row));
  if (hasPlainValues) columns.push('value');

  return (
    <div className="table-scroll evidence-scroll">
      <table className="data-table compact">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column}>{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              {columns.map((column) => (
                <td key={column}>
                  <CellValue value={isRecord(row) ? row[column] : column === 'value' ? row : undefined} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
