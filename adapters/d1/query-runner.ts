/**
 * Runs validated, read-only SQL on D1 and returns columns and rows. Only SQL that came out of
 * core/sql/validate-query reaches here; the row limit is applied outside the analyst's query so it holds
 * for every shape of SELECT (UNION, CTE, ORDER BY …).
 */
export interface QueryRows {
  readonly columns: string[];
  readonly rows: unknown[][];
  readonly truncated: boolean;
}

export async function runReadQuery(
  db: D1Database,
  validatedSql: string,
  params: readonly unknown[],
  limit: number,
): Promise<QueryRows> {
  // The newline keeps the wrapper outside any trailing `--` comment (validated SQL has none; belt and braces).
  const wrapped = `SELECT * FROM (\n${validatedSql}\n) LIMIT ?${params.length + 1}`;
  const result = await db
    .prepare(wrapped)
    .bind(...params, limit + 1)
    .raw({ columnNames: true });
  const [columns = [], ...rows] = result as unknown[][];
  return {
    columns: columns as string[],
    rows: rows.slice(0, limit),
    truncated: rows.length > limit,
  };
}
