/**
 * Builders for `Expr` that keep it small and canonical: nested and/or of the same kind are flattened, a
 * one-item and/or is its item, and constants fold (`x and false` → false, `not true` → false, an empty `or`
 * → false, an empty `and` → true). Nothing else is rewritten, so the tree still reads like the rule.
 */
import type { Expr } from '../ir';

export const trueExpr: Expr = { kind: 'const', value: true };
export const falseExpr: Expr = { kind: 'const', value: false };

export function andExpr(items: readonly Expr[]): Expr {
  return junction('and', items);
}

export function orExpr(items: readonly Expr[]): Expr {
  return junction('or', items);
}

function junction(kind: 'and' | 'or', items: readonly Expr[]): Expr {
  const absorbing = kind === 'or';
  const flat: Expr[] = [];
  for (const item of items) {
    if (item.kind === 'const') {
      if (item.value === absorbing) return item;
      continue;
    }
    if (item.kind === kind) flat.push(...item.items);
    else flat.push(item);
  }
  if (flat.length === 0) return { kind: 'const', value: !absorbing };
  if (flat.length === 1) return flat[0] as Expr;
  return { kind, items: flat };
}

export function notExpr(item: Expr): Expr {
  if (item.kind === 'const') return { kind: 'const', value: !item.value };
  if (item.kind === 'not') return item.item;
  return { kind: 'not', item };
}
