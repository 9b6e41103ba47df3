import { describe, expect, it } from 'vitest';
import type { SigmaError, SigmaRuleIR } from '../ir';
import { parseSigmaDocuments, parseSigmaFile, parseSigmaFilters } from './parse-documents';

const fullRule = `title: Whoami Execution
id: 929a690e-bef0-4204-a928-ef5e620d6fcc
name: whoami_execution
related:
    - id: 08fbc97d-0a2f-491c-ae21-8ffcfd3174e9
      type: derived
taxonomy: sigma
status: test
description: Detects a whoami.exe execution
license: DRL-1.1
author: Florian Roth
references:
    - https://example.com/a
date: 2019-10-23
modified: 2023/01/02
logsource:
    category: process_creation
    product: windows
    definition: Sysmon or 4688
detection:
    selection:
        Image|endswith: '\\whoami.exe'
    condition: selection
fields:
    - CommandLine
falsepositives:
    - Admin activity
level: high
tags:
    - attack.discovery
    - attack.t1033
scope:
    - server
simulation:
    - custom: attribute
`;

function errorsOf(text: string): SigmaError[] {
  const result = parseSigmaDocuments(text, 'r.yml');
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.value)}`);
  return [...result.errors];
}

describe('parseSigmaDocuments: rule metadata', () => {
  it('reads every attribute of the spec and keeps custom ones out of the IR', () => {
    const result = parseSigmaDocuments(fullRule, 'r.yml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const rule = result.value[0] as SigmaRuleIR;
    expect(rule).toEqual({
      kind: 'rule',
      id: '929a690e-bef0-4204-a928-ef5e620d6fcc',
      name: 'whoami_execution',
      title: 'Whoami Execution',
      status: 'test',
      level: 'high',
      description: 'Detects a whoami.exe execution',
      author: 'Florian Roth',
      references: ['https://example.com/a'],
      tags: ['attack.discovery', 'attack.t1033'],
      falsepositives: ['Admin activity'],
      fields: ['CommandLine'],
      date: '2019-10-23',
      modified: '2023-01-02',
      logsource: { category: 'process_creation', product: 'windows' },
      condition: {
        kind: 'match',
        field: 'Image',
        predicate: { kind: 'pattern', pattern: [{ kind: 'anyChars' }, { kind: 'text', text: '\\whoami.exe' }], cased: false },
        location: { file: 'r.yml', line: 22, column: 9 },
      },
      aggregation: null,
      location: { file: 'r.yml', line: 1, column: 1 },
    });
    expect(result.warnings).toEqual(["r.yml:15:11: modified '2023/01/02' uses the deprecated YYYY/MM/DD form; write YYYY-MM-DD"]);
  });

  it('produces plain JSON data', () => {
    const result = parseSigmaDocuments(fullRule, 'r.yml');
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  const tail = 'logsource:\n    product: p\ndetection:\n    sel: x\n    condition: sel\n';
  it.each([
    ['title: 5', 'title', 1, 8],
    ['title: T\nlevel: severe', 'level', 2, 8],
    ['title: T\nstatus: done', 'status', 2, 9],
    ['title: T\nreferences: https://x', 'references', 2, 13],
    ['title: T\ntags: [1, attack.x]', 'tags.0', 2, 8],
    ['title: T\nrelated:\n    - id: x\n      type: cousin', 'related.0.type', 4, 13],
    ['title: T\ndate: 23.10.2019', "date: '23.10.2019' is not a date", 2, 7],
    ['title: T\nauthor:\n    - a\n    - b', 'author', 3, 5],
  ])('refuses %j with a schema error at the value', (head, message, line, column) => {
    const errors = errorsOf(`${head}\n${tail}`);
    expect(errors).toEqual([{ code: 'schema', message: expect.stringContaining(message), location: { file: 'r.yml', line, column } }]);
  });

  it('requires title, logsource and a condition, reporting them all', () => {
    const errors = errorsOf('description: x\ndetection:\n    sel:\n        a: b\n');
    expect(errors.map((e) => e.message)).toEqual([
      'title: title is required and must be a string',
      'logsource: logsource is required: a map with category, product and/or service',
      'detection.condition: condition must be a string or a list of strings',
    ]);
    expect(errors.every((e) => e.code === 'schema')).toBe(true);
  });

  it('refuses an empty logsource', () => {
    expect(errorsOf('title: T\nlogsource:\n    definition: x\ndetection:\n    sel:\n        a: b\n    condition: sel\n')).toMatchObject([
      { code: 'schema', message: expect.stringContaining('at least one of category, product or service'), location: { line: 3, column: 5 } },
    ]);
  });

  it('warns about what the spec only recommends', () => {
    const result = parseSigmaDocuments('title: T\nid: not-a-uuid\ntags:\n    - Attack.T1234\nlogsource:\n    product: p\ndetection:\n    sel: x\n    condition: sel\n', 'r.yml');
    expect(result.ok && result.warnings).toEqual(["r.yml:2:5: id 'not-a-uuid' is not a UUID", "r.yml:4:7: tag 'Attack.T1234' does not follow the namespace.name syntax (lowercase letters, digits, _ - .)"]);
  });
});

describe('parseSigmaDocuments: detection structure', () => {
  const rule = (detection: string) => `title: T\nlogsource:\n    product: p\ndetection:\n${detection}\n`;

  it('reads a keyword string and a list of maps', () => {
    const result = parseSigmaDocuments(rule('    kw: evil\n    maps:\n        - a: 1\n        - b: 2\n          c: 3\n    condition: kw or maps'), 'r.yml');
    expect(result.ok).toBe(true);
    const condition = result.ok ? (result.value[0] as SigmaRuleIR).condition : null;
    expect(condition).toMatchObject({
      kind: 'or',
      items: [{ kind: 'keyword' }, { kind: 'match', field: 'a' }, { kind: 'and', items: [{ field: 'b' }, { field: 'c' }] }],
    });
  });

  it.each([
    ['    sel: []', 'is an empty list'],
    ['    sel: {}', 'is an empty map'],
    ['    sel: true', 'must be a map of fields, a list, or a keyword string'],
    ['    sel:\n        - [a]', 'not nested lists'],
  ])('refuses %s', (definition, message) => {
    expect(errorsOf(rule(`${definition}\n    condition: sel`))).toMatchObject([{ code: 'schema', message: expect.stringContaining(message) }]);
  });

  it('refuses a map as a field value', () => {
    expect(errorsOf(rule('    sel:\n        a:\n            b: c\n    condition: sel'))).toMatchObject([{ code: 'invalid_value', location: { line: 7, column: 13 } }]);
  });

  it('refuses null and booleans as keywords', () => {
    expect(errorsOf(rule('    sel:\n        - a\n        - null\n    condition: sel'))).toMatchObject([{ code: 'invalid_value', message: expect.stringContaining('null cannot be a keyword') }]);
  });

  it('collects the errors of every search identifier', () => {
    const errors = errorsOf(rule("    a:\n        f|nope: x\n    b:\n        g|re: '(?=x)'\n    condition: a and b and c"));
    expect(errors.map((e) => e.code)).toEqual(['unknown_modifier', 'invalid_regex', 'unknown_identifier']);
  });

  it('refuses a document with no detection, correlation or filter', () => {
    expect(errorsOf('title: T\nlogsource:\n    product: p\n')).toMatchObject([{ code: 'schema', message: expect.stringContaining('no detection') }]);
  });

  it('refuses Sigma 1.0 collection actions as unsupported', () => {
    expect(errorsOf('action: global\ntitle: T\n')).toMatchObject([{ code: 'unsupported_feature' }]);
  });
});

describe('parseSigmaDocuments: YAML', () => {
  it('reports YAML syntax errors with their location', () => {
    expect(errorsOf('title: T\ndetection: [\n')).toMatchObject([{ code: 'yaml', location: { file: 'r.yml', line: expect.any(Number), column: expect.any(Number) } }]);
  });

  it('refuses duplicate keys (PyYAML keeps the last one silently)', () => {
    expect(errorsOf('title: T\ntitle: U\n')).toMatchObject([{ code: 'yaml', message: expect.stringContaining('unique'), location: { line: 2 } }]);
  });

  it('follows aliases', () => {
    const text = 'title: T\nlogsource:\n    product: p\ndetection:\n    a:\n        f: &v evil\n    b:\n        g: *v\n    condition: a and b\n';
    const result = parseSigmaDocuments(text, 'r.yml');
    expect(result.ok && (result.value[0] as SigmaRuleIR).condition).toMatchObject({ kind: 'and', items: [{ field: 'f' }, { field: 'g', predicate: { pattern: [{ text: 'evil' }] } }] });
  });

  it('refuses a document that is not a map, and an empty file', () => {
    expect(errorsOf('- a\n- b\n')).toMatchObject([{ code: 'schema', message: expect.stringContaining('must be a map') }]);
    expect(errorsOf('# nothing\n')).toMatchObject([{ code: 'schema', message: 'the file holds no YAML document' }]);
  });

  it('reads several documents and reports errors of each with their own line', () => {
    const doc = (n: number, cond: string) => `title: R${n}\nlogsource:\n    product: p\ndetection:\n    sel: x\n    condition: ${cond}\n`;
    const ok = parseSigmaDocuments(`${doc(1, 'sel')}---\n${doc(2, 'sel')}`, 'r.yml');
    expect(ok.ok && ok.value.map((d) => d.title)).toEqual(['R1', 'R2']);
    const errors = errorsOf(`${doc(1, 'nope1')}---\n${doc(2, 'nope2')}`);
    expect(errors.map((e) => [e.code, e.location?.line])).toEqual([
      ['unknown_identifier', 6],
      ['unknown_identifier', 13],
    ]);
  });

  it('refuses duplicate ids and names in one file', () => {
    const doc = (title: string) => `title: ${title}\nid: 929a690e-bef0-4204-a928-ef5e620d6fcc\nlogsource:\n    product: p\ndetection:\n    sel: x\n    condition: sel\n`;
    expect(errorsOf(`${doc('A')}---\n${doc('B')}`)).toMatchObject([{ code: 'schema', message: expect.stringContaining("already used by 'A' (r.yml:1:1)"), location: { line: 9 } }]);
  });
});

describe('document kinds', () => {
  const rule = 'title: R\nlogsource:\n    product: p\ndetection:\n    sel: x\n    condition: sel\n';
  const filter = "title: F\nlogsource:\n    product: p\nfilter:\n    rules: [r]\n    selection:\n        u: adm\n    condition: not selection\n";

  it('parseSigmaFile returns rules and filters', () => {
    const result = parseSigmaFile(`${rule}---\n${filter}`, 'f.yml');
    expect(result.ok && [result.value.documents.length, result.value.filters.length]).toEqual([1, 1]);
  });

  it('parseSigmaDocuments refuses a filter document, parseSigmaFilters a rule', () => {
    expect(errorsOf(filter)).toMatchObject([{ code: 'schema', message: expect.stringContaining('parseSigmaFilters') }]);
    const filters = parseSigmaFilters(rule, 'r.yml');
    expect(!filters.ok && filters.errors).toMatchObject([{ code: 'schema', message: expect.stringContaining('parseSigmaDocuments') }]);
  });

  it('refuses a document that is two kinds at once', () => {
    expect(errorsOf(`${rule}correlation:\n    type: temporal\n`)).toMatchObject([{ code: 'schema', message: expect.stringContaining('not detection and correlation') }]);
  });
});
