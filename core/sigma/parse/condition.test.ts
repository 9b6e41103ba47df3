import { describe, expect, it } from 'vitest';
import type { Expr, SigmaError, SigmaRuleIR } from '../ir';
import { parseAggregation, parseConditionExpression, type ConditionAst } from './condition';
import { parseSigmaDocuments } from './parse-documents';
import { matchIdentifiers } from './resolve-condition';

/** Renders an AST compactly: and/or/not as s-expressions, `of` as "1of(p)". */
function show(ast: ConditionAst | { message: string }): string {
  if ('message' in ast) return `error: ${ast.message}`;
  switch (ast.kind) {
    case 'and':
    case 'or':
      return `(${ast.kind} ${ast.items.map(show).join(' ')})`;
    case 'not':
      return `(not ${show(ast.item)})`;
    case 'identifier':
      return ast.name;
    case 'of':
      return `${ast.quantifier === 'one' ? '1' : 'all'}of(${ast.pattern ?? 'them'})`;
  }
}

describe('condition grammar', () => {
  it.each([
    ['a or b and c', '(or a (and b c))'],
    ['a and b or c', '(or (and a b) c)'],
    ['not a and b', '(and (not a) b)'],
    ['not a or not b', '(or (not a) (not b))'],
    ['not not a', '(not (not a))'],
    ['a and (b or c)', '(and a (or b c))'],
    ['(a or b) and not (c or d)', '(and (or a b) (not (or c d)))'],
    ['a and b and c', '(and a b c)'],
    ['1 of sel* and not 1 of filter*', '(and 1of(sel*) (not 1of(filter*)))'],
    ['all of them', 'allof(them)'],
    ['any of x_*', '1of(x_*)'],
    ['not 1 of them or a', '(or (not 1of(them)) a)'],
    ['A AND NOT b', '(and A (not b))'],
    ['((a))', 'a'],
    ['sel-1 and sel.2', '(and sel-1 sel.2)'],
  ])('parses %s', (text, expected) => {
    expect(show(parseConditionExpression(text))).toBe(expected);
  });

  it.each([
    ['a and', 'unexpected end of condition', 5],
    ['a b', 'unexpected "b" after a complete condition', 2],
    ['(a or b', 'missing ")"', 7],
    ['a or )', 'unexpected ")"', 5],
    ['2 of sel*', 'invalid quantifier "2": Sigma only has "1 of" and "all of"', 0],
    ['1 of', 'expected "them" or a search identifier pattern after "of"', 4],
    ['1 of and', 'expected "them" or a search identifier pattern', 5],
    ['sel* and b', 'wildcards in "sel*" only work after "1 of" or "all of"', 0],
  ])('refuses %s with the offset of the problem', (text, message, offset) => {
    const result = parseConditionExpression(text);
    expect(result).toMatchObject({ message: expect.stringContaining(message), offset });
  });
});

describe('identifier patterns', () => {
  const names = ['selection', 'selection_2', 'sel_x', 'filter_main', '_hidden', 'keywords'];

  it.each([
    [null, ['selection', 'selection_2', 'sel_x', 'filter_main', 'keywords']],
    ['selection*', ['selection', 'selection_2']],
    ['sel*', ['selection', 'selection_2', 'sel_x']],
    ['*_*', ['selection_2', 'sel_x', 'filter_main']],
    ['selection', ['selection']],
    ['_*', ['_hidden']],
  ])('%s matches whole names, skipping _ names unless asked', (pattern, expected) => {
    expect(matchIdentifiers(pattern, names)).toEqual(expected);
  });
});

describe('legacy aggregation', () => {
  it.each([
    ['count() > 5', { function: 'count', field: null, groupBy: [], op: 'gt', value: 5 }],
    ['count(TargetUserName) by IpAddress > 10', { function: 'count', field: 'TargetUserName', groupBy: ['IpAddress'], op: 'gt', value: 10 }],
    ['max(bytes) by a, b >= 1.5', { function: 'max', field: 'bytes', groupBy: ['a', 'b'], op: 'gte', value: 1.5 }],
    ['sum(x) = 3', { function: 'sum', field: 'x', groupBy: [], op: 'eq', value: 3 }],
    ['avg(x) < 3', { function: 'avg', field: 'x', groupBy: [], op: 'lt', value: 3 }],
    ['min(x) <= 3', { function: 'min', field: 'x', groupBy: [], op: 'lte', value: 3 }],
  ])('parses %s', (text, expected) => {
    expect(parseAggregation(` ${text}`, 10)).toEqual(expected);
  });

  it('refuses near and malformed aggregations', () => {
    expect(parseAggregation(' near sel2', 5)).toMatchObject({ unsupported: expect.stringContaining('near'), offset: 6 });
    expect(parseAggregation(' count() >> 5', 5)).toMatchObject({ message: expect.stringContaining('invalid aggregation'), offset: 6 });
    expect(parseAggregation(' sum() > 5', 5)).toMatchObject({ message: 'sum() needs a field' });
  });
});

function rule(detection: string): string {
  return `title: T\nlogsource:\n    product: p\ndetection:\n${detection}\n`;
}

function ruleExpr(detection: string): Expr {
  const result = parseSigmaDocuments(rule(detection), 'c.yml');
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return (result.value[0] as SigmaRuleIR).condition;
}

function ruleErrors(detection: string): SigmaError[] {
  const result = parseSigmaDocuments(rule(detection), 'c.yml');
  if (result.ok) throw new Error('expected errors');
  return [...result.errors];
}

const sel = (field: string) => ({
  kind: 'match',
  field,
  predicate: { kind: 'pattern', pattern: [{ kind: 'text', text: 'v' }], cased: false },
  location: expect.any(Object),
});

describe('conditions in rules', () => {
  const three = '    sel_a:\n        a: v\n    sel_b:\n        b: v\n    filter:\n        c: v';

  it('resolves precedence into the Expr (not > and > or)', () => {
    expect(ruleExpr(`${three}\n    condition: sel_a or sel_b and not filter`)).toEqual({
      kind: 'or',
      items: [sel('a'), { kind: 'and', items: [sel('b'), { kind: 'not', item: sel('c') }] }],
    });
  });

  it('expands 1 of / all of patterns and them', () => {
    expect(ruleExpr(`${three}\n    condition: 1 of sel_* and not filter`)).toEqual({
      kind: 'and',
      items: [{ kind: 'or', items: [sel('a'), sel('b')] }, { kind: 'not', item: sel('c') }],
    });
    expect(ruleExpr(`${three}\n    condition: all of them`)).toEqual({ kind: 'and', items: [sel('a'), sel('b'), sel('c')] });
  });

  it('ORs a list of conditions', () => {
    expect(ruleExpr(`${three}\n    condition:\n        - sel_a\n        - sel_b and filter`)).toEqual({
      kind: 'or',
      items: [sel('a'), { kind: 'and', items: [sel('b'), sel('c')] }],
    });
  });

  it('reports an unknown identifier at its line and column', () => {
    expect(ruleErrors(`${three}\n    condition: sel_a and sel_c`)).toEqual([
      { code: 'unknown_identifier', message: "unknown search identifier 'sel_c'", location: { file: 'c.yml', line: 11, column: 26 } },
    ]);
  });

  it('reports a pattern matching nothing', () => {
    expect(ruleErrors(`${three}\n    condition: 1 of x*`)).toMatchObject([{ code: 'unknown_identifier', message: "no search identifier matches 'x*'", location: { line: 11, column: 21 } }]);
  });

  it('reports a syntax error at its column, inside quotes too', () => {
    // The value starts after the quote (column 17); the end of "sel_a and (sel_b" is column 33.
    expect(ruleErrors(`${three}\n    condition: 'sel_a and (sel_b'`)).toMatchObject([{ code: 'condition', message: 'missing ")"', location: { line: 11, column: 33 } }]);
  });

  it('locates errors inside a folded condition', () => {
    const errors = ruleErrors(`${three}\n    condition: >\n        sel_a and\n        not nope`);
    expect(errors).toMatchObject([{ code: 'unknown_identifier', location: { line: 13, column: 13 } }]);
  });

  it('parses the legacy aggregation with timeframe, warning that it is deprecated', () => {
    const result = parseSigmaDocuments(rule(`${three}\n    timeframe: 10m\n    condition: sel_a | count(b) by c > 5`), 'c.yml');
    expect(result.ok && (result.value[0] as SigmaRuleIR).aggregation).toEqual({ function: 'count', field: 'b', groupBy: ['c'], op: 'gt', value: 5, timespanMs: 600_000 });
    expect(result.ok && result.warnings).toEqual(expect.arrayContaining([expect.stringContaining('deprecated')]));
  });

  it('refuses near with unsupported_feature at its column', () => {
    expect(ruleErrors(`${three}\n    condition: sel_a | near sel_b`)).toMatchObject([{ code: 'unsupported_feature', location: { line: 11, column: 24 } }]);
  });

  it('refuses an invalid timeframe', () => {
    expect(ruleErrors(`${three}\n    timeframe: 10x\n    condition: sel_a | count() > 5`)).toMatchObject([{ code: 'schema', location: { line: 11, column: 16 } }]);
  });

  it('warns about search identifiers the condition does not use', () => {
    const result = parseSigmaDocuments(rule(`${three}\n    condition: sel_a`), 'c.yml');
    expect(result.ok && result.warnings).toEqual(["c.yml:7:5: search identifier 'sel_b' is not used by the condition", "c.yml:9:5: search identifier 'filter' is not used by the condition"]);
  });
});
