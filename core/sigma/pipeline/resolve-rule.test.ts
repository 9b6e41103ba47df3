import { describe, expect, it } from 'vitest';
import type { LogsourceMapping, ResolvedExpr } from '../ir';
import { and, at, eq, fieldref, keyword, match, sigmaRule } from './ir-builders';
import { parseFieldPath, resolveField } from './resolve-field';
import { resolveRule, selectLogsourceMapping } from './resolve-rule';

const okta: LogsourceMapping = {
  logsource: { product: 'okta', service: 'okta' },
  sources: ['okta'],
  fields: {
    eventType: { kind: 'column', column: 'action' },
    'client.ipAddress': [
      { kind: 'column', column: 'src_ip' },
      { kind: 'json', path: [{ key: 'client', array: false }, { key: 'ipAddress', array: false }] },
    ],
  },
  knownFields: ['eventType', 'client.ipAddress', 'target[].alternateId', 'target[].type', 'outcome.result'],
};
const oktaAny: LogsourceMapping = { logsource: { product: 'okta' }, sources: ['okta_legacy'], fields: {} };
const guardduty: LogsourceMapping = {
  logsource: { product: 'aws', service: 'guardduty' },
  sources: ['cloudtrail'],
  where: eq('service', 'guardduty.amazonaws.com'),
  fields: { service: { kind: 'column', column: 'service' } },
};
const mappings = [oktaAny, okta, guardduty];

const resolvedOk = (r: ReturnType<typeof resolveRule>) => {
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

describe('logsource gating', () => {
  it('picks the most specific mapping whose every key equals the rule logsource', () => {
    expect(selectLogsourceMapping({ product: 'okta', service: 'okta' }, mappings)?.mapping).toBe(okta);
    expect(selectLogsourceMapping({ product: 'OKTA', service: 'Okta', category: 'x' }, mappings)?.mapping).toBe(okta);
    expect(selectLogsourceMapping({ product: 'okta' }, mappings)?.mapping).toBe(oktaAny);
  });

  it('refuses a rule whose logsource no mapping covers, naming the logsource', () => {
    const r = resolveRule(sigmaRule(eq('a', 'b'), { logsource: { product: 'windows', category: 'process_creation' } }), mappings, { strict: false });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]!.code).toBe('unsupported_logsource');
      expect(r.errors[0]!.message).toContain('product: windows, category: process_creation');
    }
  });

  it('warns when two mappings are equally specific', () => {
    const twin: LogsourceMapping = { ...okta, sources: ['okta2'] };
    const r = resolveRule(sigmaRule(eq('eventType', 'x'), { logsource: { product: 'okta', service: 'okta' } }), [okta, twin], { strict: false });
    expect(r.ok && r.warnings.join()).toMatch(/Several mappings/);
  });
});

describe('field resolution', () => {
  it('parses dotted names with array markers', () => {
    expect(parseFieldPath('target[].alternateId')).toEqual([
      { key: 'target', array: true },
      { key: 'alternateId', array: false },
    ]);
    expect(parseFieldPath('a..b')).toBeNull();
  });

  it('uses explicit fields, several targets, and array steps from knownFields', () => {
    expect(resolveField('eventType', okta)).toEqual({ targets: [{ kind: 'column', column: 'action' }], known: true });
    expect(resolveField('client.ipAddress', okta)?.targets).toHaveLength(2);
    expect(resolveField('target.alternateId', okta)).toEqual({
      targets: [{ kind: 'json', path: [{ key: 'target', array: true }, { key: 'alternateId', array: false }] }],
      known: true,
    });
    expect(resolveField('target', okta)?.known).toBe(true);
    expect(resolveField('debugContext.debugData', okta)?.known).toBe(false);
    expect(resolveField('anything.at.all', oktaAny)).toEqual({
      targets: [{ kind: 'json', path: ['anything', 'at', 'all'].map((key) => ({ key, array: false })) }],
      known: true,
    });
  });

  it('resolves a rule into targets, fieldref targets included, without touching the input', () => {
    const input = sigmaRule(and(eq('eventType', 'user.session.start'), fieldref('target.alternateId', 'client.ipAddress'), keyword('*x*')), {
      logsource: { product: 'okta', service: 'okta' },
    });
    const frozen = JSON.stringify(input);
    const value = resolvedOk(resolveRule(input, mappings, { strict: true }));
    expect(JSON.stringify(input)).toBe(frozen);
    expect(value.sources).toEqual(['okta']);
    expect(value.mapping).toBe(okta);
    const items = (value.condition as Extract<ResolvedExpr, { kind: 'and' }>).items;
    expect(items[0]).toMatchObject({ kind: 'match', targets: [{ kind: 'column', column: 'action' }] });
    expect(items[1]).toMatchObject({ kind: 'match', refTargets: okta.fields['client.ipAddress'] });
    expect(items[2]).toMatchObject({ kind: 'keyword' });
  });

  it('refuses in strict mode every field outside knownFields, naming the field and its line', () => {
    const rule = sigmaRule(and(match('debugContext.x', { kind: 'null' }, at(12, 9)), match('nope', { kind: 'null' }, at(13, 9))), {
      logsource: { product: 'okta', service: 'okta' },
    });
    const r = resolveRule(rule, mappings, { strict: true });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.code)).toEqual(['unmapped_field', 'unmapped_field']);
      expect(r.errors[0]!.message).toContain('"debugContext.x" is not a known field of okta');
      expect(r.errors[0]!.location).toEqual(at(12, 9));
    }
  });

  it('reads the raw path with a warning outside strict mode', () => {
    const r = resolveRule(sigmaRule(eq('debugContext.x', 'y'), { logsource: { product: 'okta', service: 'okta' } }), mappings, { strict: false });
    expect(r.ok && r.warnings[0]).toMatch(/not a known field/);
  });

  it('ANDs the mapping where-condition in front of the rule condition', () => {
    const value = resolvedOk(resolveRule(sigmaRule(eq('eventName', 'x'), { logsource: { product: 'aws', service: 'guardduty' } }), mappings, { strict: true }));
    expect(value.condition).toMatchObject({
      kind: 'and',
      items: [{ kind: 'match', targets: [{ kind: 'column', column: 'service' }] }, { kind: 'match', targets: [{ kind: 'json' }] }],
    });
  });

  it('resolves legacy aggregation fields', () => {
    const rule = sigmaRule(eq('eventType', 'x'), {
      logsource: { product: 'okta', service: 'okta' },
      aggregation: { function: 'count', field: null, groupBy: ['client.ipAddress'], op: 'gt', value: 5, timespanMs: 60_000 },
    });
    const r = resolveRule(rule, mappings, { strict: true });
    expect(r.ok && r.value.aggregation?.groupBy).toEqual([{ kind: 'column', column: 'src_ip' }]);
    expect(r.ok && r.warnings.join()).toMatch(/several places/);
  });
});
