/**
 * Conditions a mapping adds to every rule it serves (`LogsourceMapping.where`), written as the parser would
 * produce them from a Sigma selection, so they compile exactly as rule conditions do. Field names are resolved
 * through the same mapping; every name used here is either a plain vendor path or a mapped name whose targets
 * include that path, so reading it either way selects the same events.
 */
import type { Expr, Pattern } from '../ir';

function text(value: string): Pattern {
  return [{ kind: 'text', text: value }];
}

/** Case-insensitive equality with one of the values (Sigma's default comparison). */
export function equals(field: string, ...values: string[]): Expr {
  const items: Expr[] = values.map((value) => ({ kind: 'match', field, predicate: { kind: 'pattern', pattern: text(value), cased: false } }));
  return items.length === 1 ? items[0]! : { kind: 'or', items };
}

export function endsWith(field: string, suffix: string): Expr {
  return { kind: 'match', field, predicate: { kind: 'pattern', pattern: [{ kind: 'anyChars' }, { kind: 'text', text: suffix }], cased: false } };
}

export function startsWith(field: string, prefix: string): Expr {
  return { kind: 'match', field, predicate: { kind: 'pattern', pattern: [{ kind: 'text', text: prefix }, { kind: 'anyChars' }], cased: false } };
}

export function exists(field: string): Expr {
  return { kind: 'match', field, predicate: { kind: 'exists', value: true } };
}

export function anyOf(...items: Expr[]): Expr {
  return { kind: 'or', items };
}

export function allOf(...items: Expr[]): Expr {
  return { kind: 'and', items };
}
