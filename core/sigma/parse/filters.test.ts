import { describe, expect, it } from 'vitest';
import type { SigmaDocumentIR, SigmaRuleIR } from '../ir';
import { applySigmaFilters, logsourceCovers, parseSigmaDocuments, parseSigmaFilters, type SigmaFilterIR } from './parse-documents';

const rules = `title: Failed login
id: 6f3e2987-db24-4c78-a860-b4f4095a7095
name: failed_login
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        EventID: 4625
    condition: selection
---
title: Other
id: 257f7780-ea6c-48d4-ae8e-2b95b3740d84
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        EventID: 1
    condition: selection
---
title: Many failed logins
correlation:
    type: event_count
    rules: [failed_login]
    timespan: 5m
    condition:
        gte: 10
`;

const adminFilter = `title: Filter Administrator account
description: The valid administrator account start with adm_
logsource:
    category: process_creation
    product: windows
filter:
    rules:
        - 6f3e2987-db24-4c78-a860-b4f4095a7095
    selection:
        User|startswith: 'adm_'
    condition: not selection
`;

function documents(): SigmaDocumentIR[] {
  const result = parseSigmaDocuments(rules, 'rules.yml');
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return [...result.value];
}

function filters(text: string): SigmaFilterIR[] {
  const result = parseSigmaFilters(text, 'filter.yml');
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return [...result.value];
}

const adminMatch = {
  kind: 'match',
  field: 'User',
  predicate: { kind: 'pattern', pattern: [{ kind: 'text', text: 'adm_' }, { kind: 'anyChars' }], cased: false },
  location: { file: 'filter.yml', line: 10, column: 9 },
};

describe('parseSigmaFilters', () => {
  it('reads a filter document', () => {
    expect(filters(adminFilter)).toEqual([
      {
        kind: 'filter',
        id: null,
        name: null,
        title: 'Filter Administrator account',
        description: 'The valid administrator account start with adm_',
        date: null,
        modified: null,
        logsource: { category: 'process_creation', product: 'windows' },
        rules: ['6f3e2987-db24-4c78-a860-b4f4095a7095'],
        condition: { kind: 'not', item: adminMatch },
        location: { file: 'filter.yml', line: 1, column: 1 },
      },
    ]);
  });

  it("warns when a condition has no 'not' (it would narrow the rules instead of excluding)", () => {
    const result = parseSigmaFilters(adminFilter.replace('not selection', 'selection'), 'filter.yml');
    expect(result.ok && result.warnings).toEqual([expect.stringContaining("without 'not' it narrows the rules")]);
  });

  it.each([
    [adminFilter.replace(/ {4}rules:\n.*\n/, ''), 'filter.rules'],
    [adminFilter.replace('    condition: not selection\n', ''), 'filter.condition'],
    [adminFilter.replace(/ {4}selection:\n.*\n/, ''), "unknown search identifier 'selection'"],
    [adminFilter.replace(/logsource:\n.*\n.*\n/, ''), 'logsource'],
  ])('refuses a filter missing a part (%#)', (text, message) => {
    const result = parseSigmaFilters(text, 'filter.yml');
    expect(!result.ok && result.errors.map((e) => e.message)).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });
});

describe('applySigmaFilters', () => {
  it('ANDs the filter to the rules it names, and leaves the others and correlations alone', () => {
    const before = documents();
    const after = applySigmaFilters(before, filters(adminFilter));
    expect((after[0] as SigmaRuleIR).condition).toEqual({ kind: 'and', items: [(before[0] as SigmaRuleIR).condition, { kind: 'not', item: adminMatch }] });
    expect(after[1]).toBe(before[1]);
    expect(after[2]).toBe(before[2]);
  });

  it('matches rules by name too, and does not change its input', () => {
    const before = documents();
    const copy = JSON.parse(JSON.stringify(before));
    const after = applySigmaFilters(before, filters(adminFilter.replace('- 6f3e2987-db24-4c78-a860-b4f4095a7095', '- failed_login')));
    expect((after[0] as SigmaRuleIR).condition.kind).toBe('and');
    expect(before).toEqual(copy);
  });

  it('applies rules: any to every rule whose logsource it covers', () => {
    const after = applySigmaFilters(documents(), filters(adminFilter.replace(/ {4}rules:\n.*\n/, '    rules: any\n')));
    expect(after.map((d) => (d.kind === 'rule' ? d.condition.kind : d.kind))).toEqual(['and', 'and', 'correlation']);
  });

  it('skips rules whose logsource the filter does not cover', () => {
    const before = documents();
    const after = applySigmaFilters(before, filters(adminFilter.replace('product: windows', 'product: linux')));
    expect(after[0]).toBe(before[0]);
  });
});

describe('logsourceCovers', () => {
  it.each([
    [{ product: 'windows' }, { category: 'process_creation', product: 'windows' }, true],
    [{ category: 'process_creation', product: 'windows' }, { product: 'windows' }, false],
    [{ service: 'security' }, { product: 'windows', service: 'sysmon' }, false],
    [{}, { product: 'aws' }, true],
  ])('%j covers %j: %s', (filter, rule, expected) => {
    expect(logsourceCovers(filter, rule)).toBe(expected);
  });
});
