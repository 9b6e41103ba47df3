/**
 * Small builders of Sigma IR by hand, for tests of the pipeline and the backends (and for fixtures): what the
 * parser would produce, without YAML. `pattern('C:\\Win*\\?.exe')` reads `*` and `?` as wildcards and `\`
 * as the escape of the next character, like a Sigma value.
 */
import type {
  CorrelationType,
  Expr,
  LegacyAggregation,
  Logsource,
  Pattern,
  PatternPart,
  Predicate,
  SigmaCorrelationIR,
  SigmaRuleIR,
  SourceLocation,
  TimePart,
} from '../ir';

export const at = (line = 1, column = 1, file = 'test.yml'): SourceLocation => ({ file, line, column });

export function pattern(value: string): Pattern {
  const parts: PatternPart[] = [];
  let text = '';
  const flush = () => {
    if (text) parts.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\' && i + 1 < value.length && '*?\\'.includes(value[i + 1]!)) text += value[++i];
    else if (ch === '*') {
      flush();
      parts.push({ kind: 'anyChars' });
    } else if (ch === '?') {
      flush();
      parts.push({ kind: 'oneChar' });
    } else text += ch;
  }
  flush();
  return parts;
}

export const literal = (text: string): Pattern => [{ kind: 'text', text }];

export const match = (field: string, predicate: Predicate, location?: SourceLocation): Expr =>
  location ? { kind: 'match', field, predicate, location } : { kind: 'match', field, predicate };

export const eq = (field: string, value: string, cased = false): Expr => match(field, { kind: 'pattern', pattern: pattern(value), cased });
export const eqLiteral = (field: string, value: string, cased = false): Expr => match(field, { kind: 'pattern', pattern: literal(value), cased });
export const contains = (field: string, value: string, cased = false): Expr =>
  match(field, { kind: 'pattern', pattern: [{ kind: 'anyChars' }, ...literal(value), { kind: 'anyChars' }], cased });
export const startswith = (field: string, value: string, cased = false): Expr =>
  match(field, { kind: 'pattern', pattern: [...literal(value), { kind: 'anyChars' }], cased });
export const endswith = (field: string, value: string, cased = false): Expr =>
  match(field, { kind: 'pattern', pattern: [{ kind: 'anyChars' }, ...literal(value)], cased });
export const regex = (field: string, source: string, flags: Partial<{ i: boolean; m: boolean; s: boolean }> = {}): Expr =>
  match(field, { kind: 'regex', source, flags: { i: false, m: false, s: false, ...flags } });
export const cidr = (field: string, network: string, prefix: number): Expr =>
  match(field, { kind: 'cidr', version: network.includes(':') ? 6 : 4, network, prefix });
export const num = (field: string, value: number): Expr => match(field, { kind: 'number', value });
export const compare = (field: string, op: 'lt' | 'lte' | 'gt' | 'gte', value: number): Expr => match(field, { kind: 'compare', op, value });
export const bool = (field: string, value: boolean): Expr => match(field, { kind: 'boolean', value });
export const isNull = (field: string): Expr => match(field, { kind: 'null' });
export const exists = (field: string, value = true): Expr => match(field, { kind: 'exists', value });
export const fieldref = (field: string, other: string, position: 'equals' | 'startswith' | 'endswith' | 'contains' = 'equals', cased = false): Expr =>
  match(field, { kind: 'fieldref', field: other, position, cased });
export const timePart = (field: string, part: TimePart, value: number, op: 'eq' | 'lt' | 'lte' | 'gt' | 'gte' = 'eq'): Expr =>
  match(field, { kind: 'timePart', part, op, value });
export const keyword = (value: string, cased = false): Expr => ({ kind: 'keyword', predicate: { kind: 'pattern', pattern: pattern(value), cased } });
export const and = (...items: Expr[]): Expr => ({ kind: 'and', items });
export const or = (...items: Expr[]): Expr => ({ kind: 'or', items });
export const not = (item: Expr): Expr => ({ kind: 'not', item });

export function sigmaRule(condition: Expr, options: { logsource?: Logsource; id?: string; name?: string; title?: string; aggregation?: LegacyAggregation } = {}): SigmaRuleIR {
  return {
    kind: 'rule',
    id: options.id ?? null,
    name: options.name ?? null,
    title: options.title ?? options.name ?? options.id ?? 'Test rule',
    status: null,
    level: 'medium',
    description: null,
    author: null,
    references: [],
    tags: [],
    falsepositives: [],
    date: null,
    modified: null,
    logsource: options.logsource ?? { product: 'test' },
    fields: [],
    condition,
    aggregation: options.aggregation ?? null,
    location: at(1, 1),
  };
}

export function sigmaCorrelation(
  type: CorrelationType,
  rules: string[],
  options: {
    groupBy?: string[];
    timespanMs?: number;
    condition?: Partial<SigmaCorrelationIR['condition']>;
    aliases?: SigmaCorrelationIR['aliases'];
    id?: string;
    name?: string;
  } = {},
): SigmaCorrelationIR {
  return {
    kind: 'correlation',
    id: options.id ?? null,
    name: options.name ?? null,
    title: options.name ?? 'Test correlation',
    level: 'high',
    description: null,
    tags: [],
    type,
    rules,
    groupBy: options.groupBy ?? [],
    aliases: options.aliases ?? {},
    timespanMs: options.timespanMs ?? 300_000,
    condition: { op: 'gte', value: 1, field: null, percentile: null, ...options.condition },
    generate: false,
    location: at(1, 1),
  };
}
