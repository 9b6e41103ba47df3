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

export interface CountedRows {
  /** Column names of the first row (an empty result has none). */
  readonly columns: string[];
  readonly rows: Record<string, unknown>[];
  readonly truncated: boolean;
  /** Rows the engine read to answer (D1's meta.rows_read): the cost of the query, not the size of its answer. */
  readonly rowsRead: number;
}

/**
 * Like runReadQuery, with what the query cost: for the detection paths, which keep rows scanned in each rule
 * run's history. Rows come back as objects (the rule SQL's columns are named by the rule).
 */
export async function runCountedQuery(
  db: D1Database,
  validatedSql: string,
  params: readonly unknown[],
  limit: number,
): Promise<CountedRows> {
  const wrapped = `SELECT * FROM (\n${validatedSql}\n) LIMIT ?${params.length + 1}`;
  const result = await db
    .prepare(wrapped)
    .bind(...params, limit + 1)
    .all<Record<string, unknown>>();
  const rows = result.results.slice(0, limit);
  return {
    columns: rows.length > 0 ? Object.keys(rows[0]!) : [],
    rows,
    truncated: result.results.length > limit,
    rowsRead: result.meta.rows_read ?? 0,
  };
}
