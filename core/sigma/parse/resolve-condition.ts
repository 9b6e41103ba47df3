/**
 * Turns a parsed condition into an `Expr` by replacing identifiers with their search identifiers' expressions.
 * `1 of p` is the OR and `all of p` the AND of the identifiers matching p (`*` = any characters, whole name);
 * `them` and patterns skip identifiers starting with `_` unless the pattern itself starts with `_` (rules spec:
 * "detections starting with underscores are excluded by convention").
 */
import type { Expr } from '../ir';
import type { ConditionAst } from './condition';
import type { SearchIdentifier } from './detection';
import { andExpr, notExpr, orExpr } from './expr';

export interface UnknownIdentifier {
  readonly message: string;
  readonly offset: number;
  readonly token: string;
}

export interface ResolvedCondition {
  /** Null when an identifier is unknown or its definition has errors. */
  readonly expr: Expr | null;
  readonly unknown: readonly UnknownIdentifier[];
  readonly used: ReadonlySet<string>;
}

export function matchIdentifiers(pattern: string | null, names: Iterable<string>): string[] {
  const names_ = [...names];
  if (pattern === null) return names_.filter((n) => !n.startsWith('_'));
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return names_.filter((n) => regex.test(n) && (pattern.startsWith('_') || !n.startsWith('_')));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function resolveCondition(ast: ConditionAst, identifiers: ReadonlyMap<string, SearchIdentifier>): ResolvedCondition {
  const unknown: UnknownIdentifier[] = [];
  const used = new Set<string>();
  let broken = false;
  const lookup = (name: string): Expr => {
    used.add(name);
    const expr = identifiers.get(name)?.expr ?? null;
    if (expr === null) broken = true;
    return expr ?? { kind: 'const', value: false };
  };
  const visit = (node: ConditionAst): Expr => {
    switch (node.kind) {
      case 'and':
        return andExpr(node.items.map(visit));
      case 'or':
        return orExpr(node.items.map(visit));
      case 'not':
        return notExpr(visit(node.item));
      case 'identifier':
        if (!identifiers.has(node.name)) {
          unknown.push({ message: `unknown search identifier '${node.name}'`, offset: node.offset, token: node.name });
          broken = true;
          return { kind: 'const', value: false };
        }
        return lookup(node.name);
      case 'of': {
        const names = matchIdentifiers(node.pattern, identifiers.keys());
        if (names.length === 0) {
          const what = node.pattern === null ? 'them: there is no search identifier' : `no search identifier matches '${node.pattern}'`;
          unknown.push({ message: what, offset: node.patternOffset, token: node.pattern ?? 'them' });
          broken = true;
          return { kind: 'const', value: false };
        }
        const exprs = names.map(lookup);
        return node.quantifier === 'one' ? orExpr(exprs) : andExpr(exprs);
      }
    }
  };
  const expr = visit(ast);
  return { expr: broken ? null : expr, unknown, used };
}
