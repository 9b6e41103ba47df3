/**
 * The condition grammar (rules spec, "Condition"), least to most binding: `or`, `and`, `not`, `x of pattern`,
 * parentheses. Quantifiers are `1` and `all` (and `any`, pySigma's synonym of `1`); the target is `them` (every
 * identifier not starting with `_`) or a pattern with `*` wildcards. Keywords are case-insensitive.
 *
 * The obsolete aggregation form `expr | count(field) by group > N` (also min/max/avg/sum) is split off at the
 * pipe and parsed separately; `near` is refused. Offsets are kept so errors point inside the condition string.
 */
import type { LegacyAggregation } from '../ir';

export type ConditionAst =
  | { readonly kind: 'and' | 'or'; readonly items: readonly ConditionAst[] }
  | { readonly kind: 'not'; readonly item: ConditionAst }
  | { readonly kind: 'identifier'; readonly name: string; readonly offset: number }
  | { readonly kind: 'of'; readonly quantifier: 'one' | 'all'; readonly pattern: string | null; readonly offset: number; readonly patternOffset: number };

export interface ConditionSyntaxError {
  readonly message: string;
  /** Offset in the condition string. */
  readonly offset: number;
  /** The text at the offset (to locate it in folded YAML). */
  readonly token: string;
}

interface Token {
  readonly text: string;
  readonly lower: string;
  readonly offset: number;
}

const keywords: ReadonlySet<string> = new Set(['and', 'or', 'not', 'of', '(', ')']);

function tokenize(text: string, base: number): Token[] {
  const tokens: Token[] = [];
  const pattern = /\(|\)|[^\s()]+/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    tokens.push({ text: match[0], lower: match[0].toLowerCase(), offset: base + match.index });
  }
  return tokens;
}

export function parseConditionExpression(text: string, base = 0): ConditionAst | ConditionSyntaxError {
  const tokens = tokenize(text, base);
  const end = base + text.length;
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const error = (message: string, token: Token | undefined): ConditionSyntaxError => ({
    message,
    offset: token?.offset ?? end,
    token: token?.text ?? '',
  });

  const parseOr = (): ConditionAst | ConditionSyntaxError => {
    const items: ConditionAst[] = [];
    for (;;) {
      const item = parseAnd();
      if ('message' in item) return item;
      items.push(item);
      if (peek()?.lower !== 'or') break;
      position += 1;
    }
    return items.length === 1 ? (items[0] as ConditionAst) : { kind: 'or', items };
  };
  const parseAnd = (): ConditionAst | ConditionSyntaxError => {
    const items: ConditionAst[] = [];
    for (;;) {
      const item = parseNot();
      if ('message' in item) return item;
      items.push(item);
      if (peek()?.lower !== 'and') break;
      position += 1;
    }
    return items.length === 1 ? (items[0] as ConditionAst) : { kind: 'and', items };
  };
  const parseNot = (): ConditionAst | ConditionSyntaxError => {
    if (peek()?.lower === 'not') {
      position += 1;
      const item = parseNot();
      return 'message' in item ? item : { kind: 'not', item };
    }
    return parsePrimary();
  };
  const parsePrimary = (): ConditionAst | ConditionSyntaxError => {
    const token = peek();
    if (!token) return error('unexpected end of condition: expected a search identifier, "not", "(" or "1 of"/"all of"', undefined);
    if (token.text === '(') {
      position += 1;
      const inner = parseOr();
      if ('message' in inner) return inner;
      const close = peek();
      if (close?.text !== ')') return error(close ? `expected ")" but found "${close.text}"` : 'missing ")"', close);
      position += 1;
      return inner;
    }
    if (tokens[position + 1]?.lower === 'of') {
      const quantifier = token.lower === '1' || token.lower === 'any' ? 'one' : token.lower === 'all' ? 'all' : null;
      if (quantifier === null) {
        const hint = /^\d+$/.test(token.text) ? ': Sigma only has "1 of" and "all of"' : '';
        return error(`invalid quantifier "${token.text}"${hint}`, token);
      }
      const target = tokens[position + 2];
      if (!target || keywords.has(target.lower)) return error('expected "them" or a search identifier pattern after "of"', target);
      position += 3;
      const pattern = target.lower === 'them' ? null : target.text;
      return { kind: 'of', quantifier, pattern, offset: token.offset, patternOffset: target.offset };
    }
    if (keywords.has(token.lower)) return error(`unexpected "${token.text}": expected a search identifier`, token);
    if (token.text.includes('*')) return error(`wildcards in "${token.text}" only work after "1 of" or "all of"`, token);
    position += 1;
    return { kind: 'identifier', name: token.text, offset: token.offset };
  };

  const ast = parseOr();
  if ('message' in ast) return ast;
  const extra = peek();
  if (extra) return error(`unexpected "${extra.text}" after a complete condition`, extra);
  return ast;
}

export type AggregationParse = Omit<LegacyAggregation, 'timespanMs'> | ConditionSyntaxError | { readonly unsupported: string; readonly offset: number; readonly token: string };

const aggregationPattern =
  /^\s*(count|min|max|avg|sum)\s*\(\s*([^()\s]*)\s*\)\s*(?:by\s+([^<>=!]*?)\s*)?(<=|>=|==|=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/i;

/** Parses the part after the pipe: `count(field) by group > N`. `base` is its offset in the condition. */
export function parseAggregation(text: string, base: number): AggregationParse {
  const trimmedStart = text.length - text.trimStart().length;
  const firstWord = /^\s*(\S+)/.exec(text)?.[1] ?? '';
  if (firstWord.toLowerCase() === 'near') {
    return { unsupported: 'the near aggregation is not supported: write a temporal correlation rule instead', offset: base + trimmedStart, token: firstWord };
  }
  const match = aggregationPattern.exec(text);
  if (!match) {
    return {
      message: 'invalid aggregation: expected "count(field) by group > N" (count, min, max, avg or sum; <, <=, >, >=, =)',
      offset: base + trimmedStart,
      token: firstWord,
    };
  }
  const fn = (match[1] as string).toLowerCase() as LegacyAggregation['function'];
  const field = match[2] === '' ? null : (match[2] as string);
  if (fn !== 'count' && field === null) {
    return { message: `${fn}() needs a field`, offset: base + trimmedStart, token: firstWord };
  }
  const groupBy = match[3] ? match[3].split(',').map((g) => g.trim()).filter((g) => g !== '') : [];
  const opText = match[4] as string;
  const op = opText === '<' ? 'lt' : opText === '<=' ? 'lte' : opText === '>' ? 'gt' : opText === '>=' ? 'gte' : 'eq';
  return { function: fn, field, groupBy, op, value: Number(match[5]) };
}

/** Splits `expr | aggregation` at the first pipe (condition strings have no quoting, so the first is the one). */
export function splitAggregation(condition: string): { readonly expression: string; readonly aggregation: { readonly text: string; readonly offset: number } | null } {
  const pipe = condition.indexOf('|');
  if (pipe === -1) return { expression: condition, aggregation: null };
  return { expression: condition.slice(0, pipe), aggregation: { text: condition.slice(pipe + 1), offset: pipe + 1 } };
}
