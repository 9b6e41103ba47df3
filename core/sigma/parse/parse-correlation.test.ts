import { describe, expect, it } from 'vitest';
import type { SigmaCorrelationIR, SigmaDocumentIR, SigmaError } from '../ir';
import { checkSigmaReferences, parseSigmaDocuments } from './parse-documents';

function correlation(section: string, head = 'title: C\n'): string {
  const body = section
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return `${head}correlation:\n${body}\n`;
}

function parsed(text: string): SigmaDocumentIR[] {
  const result = parseSigmaDocuments(text, 'c.yml');
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return [...result.value];
}

function only(text: string): SigmaCorrelationIR {
  const [document] = parsed(text);
  if (document?.kind !== 'correlation') throw new Error('expected a correlation');
  return document;
}

function errorsOf(text: string): SigmaError[] {
  const result = parseSigmaDocuments(text, 'c.yml');
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.value)}`);
  return [...result.errors];
}

function warningsOf(text: string): string[] {
  const result = parseSigmaDocuments(text, 'c.yml');
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return [...result.warnings];
}

describe('correlation types', () => {
  it('reads an event_count correlation', () => {
    expect(
      only(
        correlation('type: event_count\nrules:\n    - 5638f7c0-ac70-491d-8465-2a65075e0d86\ngroup-by:\n    - ComputerName\ntimespan: 1h\ncondition:\n    gte: 100', 'title: Many failed logins\nid: 0e95725d-7320-415d-80f7-004da920fc11\nlevel: high\ntags:\n    - attack.t1110\n'),
      ),
    ).toEqual({
      kind: 'correlation',
      id: '0e95725d-7320-415d-80f7-004da920fc11',
      name: null,
      title: 'Many failed logins',
      level: 'high',
      description: null,
      tags: ['attack.t1110'],
      type: 'event_count',
      rules: ['5638f7c0-ac70-491d-8465-2a65075e0d86'],
      groupBy: ['ComputerName'],
      aliases: {},
      timespanMs: 3_600_000,
      condition: { op: 'gte', value: 100, field: null, percentile: null },
      generate: false,
      location: { file: 'c.yml', line: 1, column: 1 },
    });
  });

  it.each(['value_count', 'value_sum', 'value_avg', 'value_median'] as const)('reads %s with its field', (type) => {
    const c = only(correlation(`type: ${type}\nrules: [r]\ngroup-by: [a]\ntimespan: 1d\ncondition:\n    field: User\n    lt: 5`));
    expect([c.type, c.condition]).toEqual([type, { op: 'lt', value: 5, field: 'User', percentile: null }]);
  });

  it('reads the neq condition (Sigma 2.1)', () => {
    const c = only(correlation('type: event_count\nrules: [r]\ntimespan: 1m\ncondition:\n    neq: 5'));
    expect(c.condition).toEqual({ op: 'neq', value: 5, field: null, percentile: null });
  });

  it('reads value_percentile with its percentile', () => {
    const c = only(correlation('type: value_percentile\nrules: [r]\ngroup-by: [a]\ntimespan: 15m\ncondition:\n    field: Latency\n    percentile: 95\n    gte: 500'));
    expect(c.condition).toEqual({ op: 'gte', value: 500, field: 'Latency', percentile: 95 });
  });

  it('warns on value_percentile without percentile (the spec example has none)', () => {
    expect(warningsOf(correlation('type: value_percentile\nrules: [r]\ngroup-by: [a]\ntimespan: 1d\ncondition:\n    field: Image\n    lte: 1'))).toEqual([
      expect.stringContaining('value_percentile without condition.percentile'),
    ]);
  });

  it.each(['temporal', 'temporal_ordered'] as const)('%s without condition requires every rule', (type) => {
    const c = only(correlation(`type: ${type}\nrules:\n    - a\n    - b\n    - c\ngroup-by:\n    - User\ntimespan: 5m`));
    expect([c.rules, c.condition, c.timespanMs]).toEqual([['a', 'b', 'c'], { op: 'gte', value: 3, field: null, percentile: null }, 300_000]);
  });

  it.each([
    ['30s', 30_000],
    ['90m', 5_400_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
  ])('reads timespan %s', (timespan, ms) => {
    expect(only(correlation(`type: event_count\nrules: [r]\ntimespan: ${timespan}\ncondition:\n    gt: 1`)).timespanMs).toBe(ms);
  });

  it('reads aliases, a single group-by string and generate (top level or in correlation)', () => {
    const c = only(
      correlation(
        'type: temporal\nrules:\n    - internal_error\n    - new_network_connection\ngroup-by: internal_ip\ntimespan: 10s\ngenerate: true\naliases:\n    internal_ip:\n        internal_error: destination.ip\n        new_network_connection: source.ip',
      ),
    );
    expect([c.groupBy, c.aliases, c.generate]).toEqual([['internal_ip'], { internal_ip: { internal_error: 'destination.ip', new_network_connection: 'source.ip' } }, true]);
    expect(only(correlation('type: temporal\nrules: [a, b]\ntimespan: 1m', 'title: C\ngenerate: true\n')).generate).toBe(true);
  });
});

describe('correlation errors', () => {
  it.each([
    ['type: event_counts\nrules: [r]\ntimespan: 1m\ncondition:\n    gt: 1', 'schema', 'correlation.type', 3, 11],
    ['type: event_count\nrules: [r]\ntimespan: 1x\ncondition:\n    gt: 1', 'schema', "'1x' is not a time span", 5, 15],
    ['type: event_count\nrules: [r]\ncondition:\n    gt: 1', 'schema', 'timespan is required', 2, 1],
    ['type: event_count\nrules: [r]\ntimespan: 1m', 'schema', 'condition is required for event_count', 2, 1],
    ['type: event_count\nrules: [r]\ngroupby: [a]\ntimespan: 1m\ncondition:\n    gt: 1', 'schema', "unknown key 'groupby'", 5, 5],
    ['type: value_count\nrules: [r]\ntimespan: 1m\ncondition:\n    gt: 1', 'schema', 'field is required for value_count', 7, 9],
    ['type: event_count\nrules: [r]\ntimespan: 1m\ncondition:\n    gt: many', 'schema', 'gt must be a number', 7, 13],
    ['type: event_count\nrules: [r]\ntimespan: 1m\ncondition:\n    over: 1', 'schema', "unknown key 'over'", 7, 9],
    ['type: event_count\nrules: [r]\ntimespan: 1m\ncondition:\n    gt: 100\n    lte: 200', 'unsupported_feature', 'range condition', 7, 9],
    ['type: value_count\nrules: [r]\ntimespan: 1m\ncondition:\n    field: [a, b]\n    gt: 1', 'unsupported_feature', 'several fields', 7, 16],
    ['type: temporal\nrules: [a, b]\ntimespan: 1m\ncondition: a and b', 'unsupported_feature', 'expression', 6, 16],
    ['type: temporal\nrules: [a, b]\ntimespan: 1m\naliases:\n    ip:\n        c: src', 'correlation', "maps rule 'c'", 8, 13],
    ['type: temporal\nrules: [a, a]\ntimespan: 1m', 'correlation', "rule 'a' is listed twice", 4, 16],
    ['type: event_count\nrules: []\ntimespan: 1m\ncondition:\n    gt: 1', 'schema', 'correlation.rules', 4, 12],
  ])('refuses %j', (section, code, message, line, column) => {
    expect(errorsOf(correlation(section))).toEqual([{ code, message: expect.stringContaining(message), location: { file: 'c.yml', line, column } }]);
  });

  it('refuses a generate given twice with different values', () => {
    expect(errorsOf(correlation('type: temporal\nrules: [a, b]\ntimespan: 1m\ngenerate: false', 'title: C\ngenerate: true\n'))).toMatchObject([{ code: 'schema', message: expect.stringContaining('generate is given twice') }]);
  });
});

describe('chained correlations', () => {
  const spec = `title: Correlation - Multiple Failed Logins Followed by Successful Login
id: b180ead8-d58f-40b2-ae54-c8940995b9b6
status: experimental
correlation:
    type: temporal_ordered
    rules:
        - multiple_failed_login
        - successful_login
    group-by:
        - User
    timespan: 10m
level: high
---
title: Multiple failed logons
id: a8418a5a-5fc4-46b5-b23b-6c73beb19d41
name: multiple_failed_login
correlation:
    type: event_count
    rules:
        - failed_login
    group-by:
        - User
    timespan: 10m
    condition:
        gte: 10
---
title: Single failed login
id: 53ba33fd-3a50-4468-a5ef-c583635cfa92
name: failed_login
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID:
            - 529
            - 4625
    condition: selection
---
title: Successful login
id: 4d0a2c83-c62c-4ed4-b475-c7e23a9269b8
name: successful_login
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID:
            - 528
            - 4624
    condition: selection
`;

  it("parses the spec's chained example, whose references all resolve", () => {
    const documents = parsed(spec);
    expect(documents.map((d) => [d.kind, d.name])).toEqual([
      ['correlation', null],
      ['correlation', 'multiple_failed_login'],
      ['rule', 'failed_login'],
      ['rule', 'successful_login'],
    ]);
    expect(checkSigmaReferences(documents, { requireResolved: true })).toEqual([]);
  });

  it('refuses dangling references when the whole rule set is given', () => {
    const documents = parsed(correlation('type: temporal\nrules: [a, b]\ntimespan: 1m'));
    expect(checkSigmaReferences(documents, { requireResolved: false })).toEqual([]);
    expect(checkSigmaReferences(documents, { requireResolved: true })).toMatchObject([
      { code: 'correlation', message: expect.stringContaining("'a'") },
      { code: 'correlation', message: expect.stringContaining("'b'") },
    ]);
  });

  it('refuses a cycle of correlations and a correlation referring to itself', () => {
    const a = correlation('type: event_count\nrules: [b]\ntimespan: 1m\ncondition:\n    gt: 1', 'title: A\nname: a\n');
    const b = correlation('type: event_count\nrules: [a]\ntimespan: 1m\ncondition:\n    gt: 1', 'title: B\nname: b\n');
    expect(errorsOf(`${a}---\n${b}`)).toMatchObject([{ code: 'correlation', message: "correlations refer to each other in a cycle: 'A' → 'B' → 'A'" }]);
    expect(errorsOf(correlation('type: event_count\nrules: [a]\ntimespan: 1m\ncondition:\n    gt: 1', 'title: A\nname: a\n'))).toMatchObject([{ code: 'correlation', message: "correlation 'A' refers to itself" }]);
  });
});
