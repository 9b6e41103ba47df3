/**
 * Walking node-sql-parser syntax trees (any grammar): the SELECTs that have a FROM, wherever they stand — CTE
 * bodies, UNION arms, subqueries — and a WHERE split into its top-level AND terms. Shared by the D1 and lake
 * query-scope analyses (query-scope.ts, lake-query-scope.ts).
 */
export type SqlNode = Record<string, unknown>;

/** Calls `visit` for every SELECT with a FROM list in the tree, outermost first. */
export function forEachSelectWithFrom(root: unknown, visit: (select: SqlNode, from: SqlNode[]) => void): void {
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    const node = value as SqlNode;
    if (node.type === 'select' && Array.isArray(node.from)) visit(node, node.from as SqlNode[]);
    for (const [key, child] of Object.entries(node)) {
      // The parser's summaries of the tree, not part of it.
      if (key === 'tableList' || key === 'columnList') continue;
      walk(child);
    }
  };
  walk(root);
}

/** The top-level conjuncts of a WHERE (`a AND (b AND c)` → a, b, c); an OR or NOT stays one term. */
export function splitAnd(expr: SqlNode | null | undefined): SqlNode[] {
  if (!expr) return [];
  if (expr.type === 'binary_expr' && String(expr.operator).toUpperCase() === 'AND') {
    return [...splitAnd(expr.left as SqlNode), ...splitAnd(expr.right as SqlNode)];
  }
  return [expr];
}
