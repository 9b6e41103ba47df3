import { describe, expect, it } from 'vitest';
import type { Expr, Pattern, Predicate, SigmaError } from '../ir';
import { parseSigmaDocuments, type SigmaParseOptions } from './parse-documents';

/** A rule whose detection is `sel:` with the given lines (indented under it). */
function ruleText(selection: string, condition = 'sel'): string {
  const body = selection
    .split('\n')
    .map((line) => `        ${line}`)
    .join('\n');
  return `title: Test\nlogsource:\n    product: test\ndetection:\n    sel:\n${body}\n    condition: ${condition}\n`;
}

function condition(selection: string, options?: SigmaParseOptions): Expr {
  const result = parseSigmaDocuments(ruleText(selection), 'rule.yml', options);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const [document] = result.value;
  if (document?.kind !== 'rule') throw new Error('expected a rule');
  return stripLocations(document.condition);
}

function errors(selection: string, options?: SigmaParseOptions): SigmaError[] {
  const result = parseSigmaDocuments(ruleText(selection), 'rule.yml', options);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.value)}`);
  return [...result.errors];
}

function warnings(selection: string): string[] {
  const result = parseSigmaDocuments(ruleText(selection), 'rule.yml');
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return [...result.warnings];
}

function stripLocations(expr: Expr): Expr {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return { kind: expr.kind, items: expr.items.map(stripLocations) };
    case 'not':
      return { kind: 'not', item: stripLocations(expr.item) };
    case 'match':
      return { kind: 'match', field: expr.field, predicate: expr.predicate };
    case 'keyword':
      return { kind: 'keyword', predicate: expr.predicate };
    case 'const':
      return expr;
  }
}

const text = (t: string) => ({ kind: 'text', text: t }) as const;
const any = { kind: 'anyChars' } as const;
const one = { kind: 'oneChar' } as const;
const pattern = (parts: Pattern, cased = false): Predicate => ({ kind: 'pattern', pattern: parts, cased });
const match = (field: string, predicate: Predicate): Expr => ({ kind: 'match', field, predicate });
const or = (...items: Expr[]): Expr => ({ kind: 'or', items });
const and = (...items: Expr[]): Expr => ({ kind: 'and', items });

describe('plain values', () => {
  it('matches a string exactly, case-insensitively', () => {
    expect(condition("Image: 'C:\\Windows\\whoami.exe'")).toEqual(match('Image', pattern([text('C:\\Windows\\whoami.exe')])));
  });

  it.each([
    ['a*b', [text('a'), any, text('b')]],
    ['a?b', [text('a'), one, text('b')]],
    ['a\\*b', [text('a*b')]],
    ['a\\?b', [text('a?b')]],
    ['a\\\\*', [text('a\\'), any]],
    ['a\\\\\\*', [text('a\\*')]],
    ['C:\\Windows\\', [text('C:\\Windows\\')]],
    ['\\\\\\\\server', [text('\\\\server')]],
    ['**x', [any, text('x')]],
  ])('reads wildcards and escapes in %s', (value, parts) => {
    expect(condition(`f: '${value}'`)).toEqual(match('f', pattern(parts as Pattern)));
  });

  it('searches keywords anywhere in the event’s text (rules spec, Keywords search)', () => {
    const keyword = (parts: Pattern) => ({ kind: 'keyword' as const, predicate: pattern(parts) });
    expect(condition("- 'event::clear'\n- 4625\n- '*x'\n- 'y*z'")).toEqual(
      or(keyword([any, text('event::clear'), any]), keyword([any, text('4625'), any]), keyword([any, text('x'), any]), keyword([any, text('y'), any, text('z'), any])),
    );
  });

  it('ORs a list of values and ANDs the fields of a map', () => {
    expect(condition('a: x\nb:\n    - 1\n    - 2')).toEqual(
      and(match('a', pattern([text('x')])), or(match('b', { kind: 'number', value: 1 }), match('b', { kind: 'number', value: 2 }))),
    );
  });

  it('keeps numbers, booleans, null and the empty string typed', () => {
    expect(condition("n: 4624\nf: 1.5\nb: true\nz: null\ne: ''\nm:")).toEqual(
      and(
        match('n', { kind: 'number', value: 4624 }),
        match('f', { kind: 'number', value: 1.5 }),
        match('b', { kind: 'boolean', value: true }),
        match('z', { kind: 'null' }),
        match('e', pattern([])),
        match('m', { kind: 'null' }),
      ),
    );
  });

  it('refuses null inside a list of values (rules spec, Special Field Values)', () => {
    expect(errors("f:\n    - ''\n    - null")).toMatchObject([{ code: 'invalid_value', location: { line: 8 } }]);
  });

  it('refuses an empty list of values', () => {
    expect(errors('f: []')).toMatchObject([{ code: 'invalid_value' }]);
  });

  it('warns that a hex number is read as a number', () => {
    expect(warnings('f: 0x17')).toEqual([expect.stringContaining('0x17 is read as the number 23')]);
  });
});

describe('contains, startswith, endswith', () => {
  it.each([
    ['contains', [any, text('x'), any]],
    ['startswith', [text('x'), any]],
    ['endswith', [any, text('x')]],
  ])('%s puts wildcards around the value', (modifier, parts) => {
    expect(condition(`f|${modifier}: x`)).toEqual(match('f', pattern(parts as Pattern)));
  });

  it('does not double a wildcard already there', () => {
    expect(condition("f|contains: '*x*'")).toEqual(match('f', pattern([any, text('x'), any])));
  });

  it('applies to a number as written', () => {
    expect(condition('f|startswith: 0x17')).toEqual(match('f', pattern([text('0x17'), any])));
  });

  it('refuses a boolean', () => {
    expect(errors('f|contains: true')).toMatchObject([{ code: 'invalid_modifier_use', message: expect.stringContaining('contains applies to strings') }]);
  });
});

describe('all', () => {
  it('ANDs the values', () => {
    expect(condition('f|contains|all:\n    - a\n    - b')).toEqual(and(match('f', pattern([any, text('a'), any])), match('f', pattern([any, text('b'), any]))));
  });

  it('keeps the alternatives of one value ORed (windash|contains|all, as pySigma)', () => {
    const expr = condition('f|windash|contains|all:\n    - -a\n    - -b');
    expect(expr.kind).toBe('and');
    expect(expr.kind === 'and' && expr.items.map((i) => (i.kind === 'or' ? i.items.length : 0))).toEqual([5, 5]);
  });

  it('ANDs keywords under an empty field name', () => {
    expect(condition("'|all':\n    - a\n    - b")).toEqual(
      and({ kind: 'keyword', predicate: pattern([any, text('a'), any]) }, { kind: 'keyword', predicate: pattern([any, text('b'), any]) }),
    );
  });

  it('warns on a single value', () => {
    expect(warnings('f|all: x')).toEqual([expect.stringContaining('all on a single value')]);
  });
});

describe('encodings', () => {
  it('base64 encodes the UTF-8 text', () => {
    expect(condition('f|base64: é€😀')).toEqual(match('f', pattern([text('w6nigqzwn5iA')])));
  });

  it('base64offset gives the three offsets (pySigma vector)', () => {
    expect(condition('f|base64offset|contains: /bin/bash')).toEqual(
      or(
        match('f', pattern([any, text('L2Jpbi9iYXNo'), any])),
        match('f', pattern([any, text('9iaW4vYmFza'), any])),
        match('f', pattern([any, text('vYmluL2Jhc2'), any])),
      ),
    );
  });

  it.each([
    ['utf16le', 'YwBtAGQA'],
    ['wide', 'YwBtAGQA'],
    ['utf16be', 'AGMAbQBk'],
    ['utf16', '//5jAG0AZAA='],
  ])('%s is applied before base64', (modifier, encoded) => {
    expect(condition(`f|${modifier}|base64: cmd`)).toEqual(match('f', pattern([text(encoded)])));
  });

  it('wide then base64offset encodes the UTF-16 bytes', () => {
    expect(condition('f|wide|base64offset|contains: ping')).toEqual(
      or(
        match('f', pattern([any, text('cABpAG4AZw'), any])),
        match('f', pattern([any, text('AAaQBuAGcA'), any])),
        match('f', pattern([any, text('wAGkAbgBnA'), any])),
      ),
    );
  });

  it('utf16le alone matches the bytes as characters', () => {
    expect(condition('f|utf16le: cmd')).toEqual(match('f', pattern([text('c\u0000m\u0000d\u0000')])));
  });

  it('refuses to encode wildcards', () => {
    expect(errors("f|base64: 'a*'")).toMatchObject([{ code: 'invalid_modifier_use', message: expect.stringContaining('cannot encode wildcards') }]);
  });

  it('refuses a base64offset value so short that an offset form is empty (it would match everything)', () => {
    expect(errors('f|base64offset|contains: a')).toMatchObject([{ code: 'invalid_value', message: expect.stringContaining('too short') }]);
  });
});

describe('windash', () => {
  it('turns a dash starting a word into the five dash characters', () => {
    expect(condition("f|windash: ' -foo'")).toEqual(or(...['-', '/', '\u2013', '\u2014', '\u2015'].map((d) => match('f', pattern([text(` ${d}foo`)])))));
  });

  it('leaves dashes inside words alone and expands every word-start dash', () => {
    const expr = condition("f|windash: '-a-b /c'");
    expect(expr.kind === 'or' && expr.items.length).toBe(25);
  });
});

describe('re', () => {
  it('takes the pattern as written, with i/m/s flags', () => {
    expect(condition("f|re|i|m|s: '^C:\\\\Users\\\\.*$'")).toEqual(match('f', { kind: 'regex', source: '^C:\\\\Users\\\\.*$', flags: { i: true, m: true, s: true } }));
  });

  it('accepts the long flag names', () => {
    expect(condition("f|re|ignorecase: 'a'")).toEqual(match('f', { kind: 'regex', source: 'a', flags: { i: true, m: false, s: false } }));
  });

  it.each([
    ['a(?=b)', 'lookaround'],
    ['(?<!a)b', 'lookaround'],
    ['(a)\\1', 'backreferences'],
    ['a++', 'possessive'],
    ['(?>a)', 'atomic groups'],
  ])('refuses %s, naming the backtracking feature', (source, feature) => {
    expect(errors(`f|re: '${source}'`)).toMatchObject([{ code: 'invalid_regex', message: expect.stringContaining(feature) }]);
  });

  it('refuses a malformed pattern', () => {
    expect(errors("f|re: '[a-z'")).toMatchObject([{ code: 'invalid_regex', message: expect.stringContaining('missing closing ]') }]);
  });

  it.each([
    ['re|exists', "'exists' cannot follow re"],
    ['contains|re', 're must be the first'],
    ['i', 'only applies after re'],
    ['re|cased', 'cased has no meaning'],
    ['re|base64', 'cannot follow re'],
  ])('refuses %s', (modifiers, message) => {
    expect(errors(`f|${modifiers}: 'a'`)).toMatchObject([{ code: 'invalid_modifier_use', message: expect.stringContaining(message) }]);
  });
});

describe('cidr', () => {
  it.each([
    ['10.0.0.0/8', 4, '10.0.0.0', 8],
    ['192.168.1.7', 4, '192.168.1.7', 32],
    ['2001:DB8::/32', 6, '2001:db8::', 32],
    ['::1', 6, '::1', 128],
  ])('normalizes %s', (value, version, network, prefix) => {
    expect(condition(`f|cidr: '${value}'`)).toEqual(match('f', { kind: 'cidr', version: version as 4 | 6, network, prefix }));
  });

  it('clears host bits, with a warning', () => {
    expect(condition('f|cidr: 10.1.2.3/8')).toEqual(match('f', { kind: 'cidr', version: 4, network: '10.0.0.0', prefix: 8 }));
    expect(warnings('f|cidr: 10.1.2.3/8')).toEqual([expect.stringContaining('host bits set')]);
  });

  it.each(['10.0.0.0/33', '300.1.1.1', '1::2::3', 'fe80::1%eth0', '010.0.0.1', 'not-an-ip'])('refuses %s', (value) => {
    expect(errors(`f|cidr: '${value}'`)).toMatchObject([{ code: 'invalid_value', message: expect.stringContaining('invalid cidr') }]);
  });

  it('refuses a number, and other value modifiers', () => {
    expect(errors('f|cidr: 10')).toMatchObject([{ code: 'invalid_modifier_use' }]);
    expect(errors('f|cidr|contains: 10.0.0.0/8')).toMatchObject([{ code: 'invalid_modifier_use' }]);
  });
});

describe('exists', () => {
  it('tests presence, also with YAML 1.1 yes/no', () => {
    expect(condition('a|exists: true\nb|exists: no')).toEqual(and(match('a', { kind: 'exists', value: true }), match('b', { kind: 'exists', value: false })));
  });

  it('refuses other values, other modifiers and keywords', () => {
    expect(errors('a|exists: maybe')).toMatchObject([{ code: 'invalid_value' }]);
    expect(errors('a|exists|all: true')).toMatchObject([{ code: 'invalid_modifier_use' }]);
    expect(errors("'|exists': true")).toMatchObject([{ code: 'invalid_modifier_use', message: expect.stringContaining('needs a field') }]);
  });
});

describe('fieldref', () => {
  it.each([
    ['fieldref', 'equals'],
    ['fieldref|contains', 'contains'],
    ['fieldref|startswith', 'startswith'],
    ['fieldref|endswith', 'endswith'],
    ['endswith|fieldref', 'endswith'],
  ])('%s compares with another field', (modifiers, position) => {
    expect(condition(`a|${modifiers}: b`)).toEqual(match('a', { kind: 'fieldref', field: 'b', position: position as 'equals', cased: false }));
  });

  it('carries cased', () => {
    expect(condition('a|fieldref|cased: b')).toEqual(match('a', { kind: 'fieldref', field: 'b', position: 'equals', cased: true }));
  });

  it('refuses wildcards and other modifiers', () => {
    expect(errors("a|fieldref: 'b*'")).toMatchObject([{ code: 'invalid_value' }]);
    expect(errors('a|fieldref|base64: b')).toMatchObject([{ code: 'invalid_modifier_use' }]);
  });
});

describe('gt, gte, lt, lte', () => {
  it.each(['gt', 'gte', 'lt', 'lte'] as const)('%s compares with a number', (op) => {
    expect(condition(`f|${op}: 10`)).toEqual(match('f', { kind: 'compare', op, value: 10 }));
  });

  it('refuses a string and other value modifiers', () => {
    expect(errors("f|gt: '10'")).toMatchObject([{ code: 'invalid_modifier_use', message: expect.stringContaining('compares with a number') }]);
    expect(errors('f|gt|contains: 10')).toMatchObject([{ code: 'invalid_modifier_use' }]);
  });
});

describe('cased', () => {
  it('makes the pattern case-sensitive', () => {
    expect(condition('f|cased|contains: AbC')).toEqual(match('f', pattern([any, text('AbC'), any], true)));
  });

  it('refuses a number', () => {
    expect(errors('f|cased: 5')).toMatchObject([{ code: 'invalid_modifier_use' }]);
  });
});

describe('expand', () => {
  const placeholders = { Admins: ['root', 'adm_*'], Domain: ['corp.example'], None: [] };

  it('replaces a placeholder with each of its values (values are Sigma strings)', () => {
    expect(condition("u|expand: '%Admins%'", { placeholders })).toEqual(or(match('u', pattern([text('root')])), match('u', pattern([text('adm_'), any]))));
  });

  it('works inside a longer value, after contains, and keeps \\% literal', () => {
    expect(condition("u|contains|expand: '\\%x@%Domain%'", { placeholders })).toEqual(match('u', pattern([any, text('%x@corp.example'), any])));
  });

  it('leaves %name% alone without expand', () => {
    expect(condition("u: '%Admins%'", { placeholders })).toEqual(match('u', pattern([text('%Admins%')])));
  });

  it('matches nothing for a placeholder without values', () => {
    expect(condition("u|expand: '%None%'", { placeholders })).toEqual({ kind: 'const', value: false });
  });

  it('refuses an unknown placeholder, naming it', () => {
    expect(errors("u|expand: '%Nope%'", { placeholders })).toMatchObject([{ code: 'invalid_value', message: expect.stringContaining('%Nope%') }]);
  });

  it('refuses placeholders when no values were supplied', () => {
    expect(errors("u|expand: '%Admins%'")).toMatchObject([{ code: 'invalid_value', message: expect.stringContaining('no placeholder values were supplied') }]);
  });

  const re = (source: string): Predicate => ({ kind: 'regex', source, flags: { i: false, m: false, s: false } });

  it('expands placeholders inside a regex, each value as the regex matching that Sigma string', () => {
    expect(condition("u|re|expand: '^%Admins%@%Domain%$'", { placeholders })).toEqual(
      or(match('u', re('^root@corp\\.example$')), match('u', re('^adm_(?s:.*)@corp\\.example$'))),
    );
  });

  it('escapes regex syntax in values and keeps an escaped \\% of the regex', () => {
    const values = { p: ['a.b(c)|d\\*', 'x?y'] };
    expect(condition("u|re|expand: '\\%%p%'", { placeholders: values })).toEqual(
      or(match('u', re('\\%a\\.b\\(c\\)\\|d\\*')), match('u', re('\\%x(?s:.)y'))),
    );
  });

  it('refuses an unknown placeholder inside a regex', () => {
    expect(errors("u|re|expand: '%Nope%'", { placeholders })).toMatchObject([{ code: 'invalid_value', message: expect.stringContaining('%Nope%') }]);
  });

  it('accepts contains/startswith/endswith after re as changing nothing, with a warning', () => {
    expect(condition("u|re|endswith: 'a+'")).toEqual(match('u', re('a+')));
    expect(warnings("u|re|contains: 'a+'")).toEqual([expect.stringContaining('changes nothing')]);
  });
});

describe('neq', () => {
  it('negates the item: different from every value', () => {
    expect(condition('f|neq:\n    - a\n    - b')).toEqual({ kind: 'not', item: or(match('f', pattern([text('a')])), match('f', pattern([text('b')]))) });
  });
});

describe('unknown and unsupported modifiers', () => {
  it('names an unknown modifier with the key location', () => {
    expect(errors('f|contain: x')).toEqual([{ code: 'unknown_modifier', message: "'f|contain': unknown modifier 'contain'", location: { file: 'rule.yml', line: 6, column: 9 } }]);
  });

  it('reports every unknown modifier of a rule', () => {
    expect(errors('f|foo: x\ng|bar: y').map((e) => e.message)).toEqual(["'f|foo': unknown modifier 'foo'", "'g|bar': unknown modifier 'bar'"]);
  });
});

describe('time modifiers (spec 2.1)', () => {
  const part = (p: string, value: number, op = 'eq'): Predicate => ({ kind: 'timePart', part: p, op, value }) as Predicate;

  it.each(['minute', 'hour', 'day', 'week', 'month', 'year'])('reads %s as a part of the date compared with a number', (name) => {
    expect(condition(`timestamp|${name}: 5`)).toEqual(match('timestamp', part(name, 5)));
  });

  it('combines with one comparison, in either order', () => {
    expect(condition('t|minute|gt: 7')).toEqual(match('t', part('minute', 7, 'gt')));
    expect(condition('t|lte|week: 10')).toEqual(match('t', part('week', 10, 'lte')));
  });

  it('takes a list (OR), all (AND) and neq (NOT)', () => {
    expect(condition('t|hour:\n    - 1\n    - 2')).toEqual(or(match('t', part('hour', 1)), match('t', part('hour', 2))));
    expect(condition('t|hour|neq: 1')).toEqual({ kind: 'not', item: match('t', part('hour', 1)) });
  });

  it('refuses text, fractions, other modifiers and two parts', () => {
    expect(errors("t|hour: '3'")).toMatchObject([{ code: 'invalid_modifier_use', message: expect.stringContaining('not a string') }]);
    expect(errors('t|hour: 3.5')).toMatchObject([{ code: 'invalid_value', message: expect.stringContaining('whole number') }]);
    expect(errors('t|hour|contains: 3')).toMatchObject([{ code: 'invalid_modifier_use', message: expect.stringContaining("not 'contains'") }]);
    expect(errors('t|hour|gt|lt: 3')).toMatchObject([{ code: 'invalid_modifier_use' }]);
    expect(errors('t|hour|cased: 3')).toMatchObject([{ code: 'invalid_modifier_use' }]);
    expect(errors('t|hour|day: 3')).toMatchObject([{ code: 'invalid_modifier_use', message: expect.stringContaining('one time modifier') }]);
  });

  it('warns on a value outside the spec range', () => {
    expect(warnings('t|month: 13')).toEqual([expect.stringContaining('month is a number from 1 to 12')]);
    expect(warnings('t|year: 1')).toEqual([]);
  });
});
