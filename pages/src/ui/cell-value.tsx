/**
 * One value of a query result or evidence row. Long values are cut by CSS with the full value in the
 * tooltip; strings (including JSON text such as `raw`) are shown exactly as stored; null is a dim "null".
 */
import type { ReactNode } from 'react';

export function CellValue({ value }: { value: unknown }): ReactNode {
  if (value === null || value === undefined) return <span className="null-value">null</span>;
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return (
    <span className={typeof value === 'number' ? 'cell-text cell-number' : 'cell-text'} title={text}>
      {text}
    </span>
  );
}
