/**
 * NL → Sigma: each phrasing becomes the expected rule structure (events, threshold, timespan, group-by), and
 * every generated YAML compiles strictly through the real Sigma engine (parse → resolve → D1 SQL).
 */
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { sigmaMappings } from '../../sigma/mappings';
import { compileRuleBook } from '../../sigma/rule-book';
import { exampleAlertRequests, generateSigmaRule, type SigmaGeneration } from './index';

const now = new Date('2026-11-27T12:00:00Z');

function generate(request: string): Extract<SigmaGeneration, { ok: true }> {
  let n = 0;
  const result = generateSigmaRule(request, sigmaMappings, { now, newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
  if (!result.ok) throw new Error(`${request}: ${result.message}`);
  return result;
}

interface Doc {
  title: string;
  name?: string;
  author: string;
  date: string;
  level?: string;
  tags?: string[];
  logsource?: { product: string; service: string };
  detection?: { selection: Record<string, unknown>; condition: string } & Record<string, unknown>;
  correlation?: { type: string; rules: string[]; 'group-by'?: string[]; timespan: string; condition: { gte: number; field?: string } };
}

function documents(yaml: string): Doc[] {
  return parseAllDocuments(yaml).map((d) => d.toJS() as Doc);
}

interface Expected {
  selection: Record<string, unknown>;
  logsource?: string;
  correlation?: { type: string; 'group-by'?: string[]; timespan: string; condition: { gte: number; field?: string } };
  level?: string;
  tag?: string;
}

const cases: [string, Expected][] = [
  ['Alert when a user fails login 5+ times in 10 minutes', { selection: { identity_action: 'auth_failure' }, correlation: { type: 'event_count', 'group-by': ['actor'], timespan: '10m', condition: { gte: 5 } }, tag: 'attack.t1110.001' }],
  ['Alert me if anyone signs in from North Korea', { selection: { identity_action: ['auth_success', 'session_start'], src_country: ['North Korea', 'KP'] }, level: 'high' }],
  ['Notify when an admin role is granted', { selection: { identity_action: 'privilege_grant' }, level: 'high', tag: 'attack.t1098.003' }],
  ['Alert when 20 different users fail to sign in from one IP within an hour', { selection: { identity_action: 'auth_failure', 'src_ip|exists': true }, correlation: { type: 'value_count', 'group-by': ['src_ip'], timespan: '1h', condition: { field: 'actor', gte: 20 } }, tag: 'attack.t1110.003' }],
  ['Alert when the root account is used', { selection: { 'userIdentity.type': 'Root' }, logsource: 'aws/cloudtrail', tag: 'attack.t1078.004' }],
  ['When someone removes an MFA factor', { selection: { identity_action: 'factor_remove' }, tag: 'attack.t1556.006' }],
  ['More than 3 MFA push denials for one user in 5 minutes', { selection: { identity_action: 'mfa_deny' }, correlation: { type: 'event_count', 'group-by': ['actor'], timespan: '5m', condition: { gte: 4 } }, tag: 'attack.t1621' }],
  ['Alert on sign-ins from outside the US in okta as critical', { selection: { identity_action: ['session_start', 'auth_success', 'auth_failure'], source: 'okta', 'src_country|exists': true }, level: 'critical' }],
  ['Alert when there are more than 50 failed logins in 10 minutes', { selection: { identity_action: 'auth_failure' }, correlation: { type: 'event_count', timespan: '10m', condition: { gte: 51 } } }],
  ['Alert when 10 different IPs fail login for one user within 1h', { selection: { identity_action: 'auth_failure', 'src_ip|exists': true }, correlation: { type: 'value_count', 'group-by': ['actor'], timespan: '1h', condition: { field: 'src_ip', gte: 10 } } }],
  ['Alert when a user signs in from 3 different countries within 1 hour', { selection: { identity_action: ['auth_success', 'session_start'], 'src_country|exists': true }, correlation: { type: 'value_count', 'group-by': ['actor'], timespan: '1h', condition: { field: 'src_country', gte: 3 } } }],
  ['Notify me when an API token is created', { selection: { identity_action: 'token_issue' } }],
  ['Alert when an account is created in Entra ID', { selection: { identity_action: 'account_create', source: 'entra_id' } }],
  ['Alert on console logins without MFA', { selection: { eventName: 'ConsoleLogin', 'additionalEventData.MFAUsed': 'No' }, logsource: 'aws/cloudtrail' }],
  ['alert when mfa push denials happen 5 times per user in 30s', { selection: { identity_action: 'mfa_deny' }, correlation: { type: 'event_count', 'group-by': ['actor'], timespan: '30s', condition: { gte: 5 } } }],
  ['Alert on more than 100 access denied errors in AWS within 1 day', { selection: { outcome: 'failure', 'outcome_reason|contains': 'denied', source: 'cloudtrail' }, correlation: { type: 'event_count', timespan: '1d', condition: { gte: 101 } } }],
  ['Alert when a user is deleted', { selection: { identity_action: 'account_delete' } }],
  ['Alert on password resets in Google Workspace with high severity', { selection: { identity_action: 'password_reset', source: 'google_workspace' }, level: 'high' }],
  ['Alert if someone signs in from Russia 3 or more times per IP in 2 hours', { selection: { identity_action: ['auth_success', 'session_start'], src_country: ['Russia', 'RU'], 'src_ip|exists': true }, correlation: { type: 'event_count', 'group-by': ['src_ip'], timespan: '2h', condition: { gte: 3 } } }],
  ['Alert me on brute force', { selection: { identity_action: 'auth_failure' }, correlation: { type: 'event_count', 'group-by': ['actor'], timespan: '10m', condition: { gte: 10 } }, tag: 'attack.t1110.001' }],
  ['Alert when 5 users fail login from one IP in 10 minutes', { selection: { identity_action: 'auth_failure', 'src_ip|exists': true }, correlation: { type: 'value_count', 'group-by': ['src_ip'], timespan: '10m', condition: { field: 'actor', gte: 5 } } }],
  ['Alert when someone fails MFA 3 times in 10 minutes', { selection: { identity_action: 'mfa_deny' }, correlation: { type: 'event_count', 'group-by': ['actor'], timespan: '10m', condition: { gte: 3 } } }],
  ['Alert when a user fails login 5+ times in 10 minutes from Russia', { selection: { identity_action: 'auth_failure', src_country: ['Russia', 'RU'] }, correlation: { type: 'event_count', 'group-by': ['actor'], timespan: '10m', condition: { gte: 5 } } }],
  ['Alert if more than 10 failed logins per IP in 5 min in okta', { selection: { identity_action: 'auth_failure', source: 'okta', 'src_ip|exists': true }, correlation: { type: 'event_count', 'group-by': ['src_ip'], timespan: '5m', condition: { gte: 11 } } }],
  ['Page me for any okta threat', { selection: { action: 'security.threat.detected', source: 'okta' } }],
];

describe('generateSigmaRule', () => {
  it.each(cases)('%s', (request, expected) => {
    const result = generate(request);
    const docs = documents(result.yaml);
    const base = docs.find((d) => d.detection)!;
    expect(base.detection!.selection).toEqual(expected.selection);
    expect(`${base.logsource!.product}/${base.logsource!.service}`).toBe(expected.logsource ?? 'mantissa/identity');
    const main = docs[0]!;
    if (expected.correlation) {
      expect(docs).toHaveLength(2);
      const { rules, ...correlation } = main.correlation!;
      expect(correlation).toEqual(expected.correlation);
      expect(rules).toEqual([base.name]);
    } else {
      expect(docs).toHaveLength(1);
      expect(main.correlation).toBeUndefined();
    }
    if (expected.level) expect(main.level).toBe(expected.level);
    if (expected.tag) expect(main.tags).toContain(expected.tag);
    for (const d of docs) {
      expect(d.author).toBe(`Mantissa Log (generated from: "${request}")`);
      expect(d.date).toBe('2026-11-27');
    }
    expect(result.titles).toEqual(docs.map((d) => d.title));
    // Compiles strictly through the engine, independently of the generator's own check.
    const book = compileRuleBook([{ rowId: 'r', yaml: result.yaml }], sigmaMappings);
    expect(book.problems).toEqual([]);
    expect(book.entries).toHaveLength(docs.length);
    expect(result.compiled.every((c) => c.sql.includes('SELECT'))).toBe(true);
  });

  it('generates and compiles every example it offers as a suggestion', () => {
    for (const request of exampleAlertRequests) expect(generate(request).compiled.length).toBeGreaterThan(0);
  });

  it('restates the request in the description and states assumptions', () => {
    const result = generate('Alert when there are more than 50 failed logins in 10 minutes');
    const main = parseAllDocuments(result.yaml)[0]!.toJS() as { description: string };
    expect(main.description).toContain('Generated from the request "Alert when there are more than 50 failed logins in 10 minutes"');
    expect(result.assumptions).toEqual(['no grouping was given: events are counted across all users and sources together']);
  });

  it('assumes one hour when a count has no time span, and says so', () => {
    const result = generate('Alert when a user fails login 10 times');
    expect(parseYaml(result.yaml.split('---\n')[0]!)).toMatchObject({ correlation: { timespan: '1h', condition: { gte: 10 } } });
    expect(result.assumptions).toEqual(['no time span was given: counted within one hour']);
  });

  it('uses the ids it is given, so the output is reproducible', () => {
    expect(generate('Alert when the root account is used').yaml).toBe(generate('Alert when the root account is used').yaml);
    expect(generate('Alert when the root account is used').yaml).toContain('id: 00000000-0000-4000-8000-000000000001');
  });

  it.each([
    ['alert when someone sneezes', 'Could not tell which events'],
    ['alert when a user fails login while juggling', '"juggling"'],
    ['alert on failed logins within 10 minutes', 'needs a count'],
    ['alert when 5 different users fail login per user in 1h', 'same field it groups by'],
    ['alert on sign-ins from Russia or China', 'more than one country'],
    ['', 'empty'],
  ])('refuses %j with suggestions', (request, message) => {
    const result = generateSigmaRule(request, sigmaMappings, { now });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('not_understood');
    expect(result.message).toContain(message);
    expect(result.suggestions.length).toBeGreaterThan(0);
    for (const s of result.suggestions) expect(exampleAlertRequests).toContain(s);
  });

  it('never returns a rule that does not compile, whatever mix of understood words it is given (seeded word soup)', () => {
    const words = [
      'alert', 'when', 'a', 'user', 'fails', 'login', '5+', 'times', 'in', '10', 'minutes', 'from', 'North Korea', 'outside', 'the', 'US',
      'one', 'IP', 'different', 'users', '20', 'within', 'an', 'hour', 'root', 'account', 'is', 'used', 'removes', 'MFA', 'factor',
      'more than', '3', 'push', 'denials', 'per', 'source', 'okta', 'entra', 'aws', 'critical', 'high', 'admin', 'role', 'granted',
      'signs', 'countries', 'access denied', 'tokens', 'created', '"quoted"', "o'brien", '---', '#', ':', '{x}', '2d', '30s',
    ];
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    let understood = 0;
    for (let i = 0; i < 400; i++) {
      const length = 3 + ((next() >>> 12) % 9);
      const request = Array.from({ length }, () => words[(next() >>> 12) % words.length]).join(' ');
      const result = generateSigmaRule(request, sigmaMappings, { now });
      if (!result.ok) expect([request, result.reason]).toEqual([request, 'not_understood']);
      else understood++;
    }
    expect(understood).toBeGreaterThan(0);
  });

  it('writes a compiling rule for every combination of the parts it understands', () => {
    const prefixes = ['Alert when', 'Notify me if', 'When'];
    const counts = ['', 'more than 3 times', '5+ times', 'at least 10 times'];
    const events = ['a user fails login', 'someone signs in', 'MFA push denials happen', 'an admin role is granted', 'someone removes an MFA factor', 'the root account is used', 'an API token is created'];
    const groups = ['', 'for one user', 'from one IP', 'per source'];
    const spans = ['', 'in 10 minutes', 'within an hour', 'in 30s', 'within 2 days'];
    const places = ['', 'in okta', 'from North Korea', 'outside the US', 'in AWS'];
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    const pick = <T,>(list: readonly T[]) => list[(next() >>> 12) % list.length]!;
    let written = 0;
    for (let i = 0; i < 300; i++) {
      const request = [pick(prefixes), pick(events), pick(counts), pick(groups), pick(spans), pick(places), pick(['', 'as critical', 'with low severity'])]
        .filter((part) => part !== '')
        .join(' ');
      const result = generateSigmaRule(request, sigmaMappings, { now });
      if (!result.ok) {
        expect([request, result.reason]).toEqual([request, 'not_understood']);
        continue;
      }
      written++;
      expect(compileRuleBook([{ rowId: 'r', yaml: result.yaml }], sigmaMappings).problems).toEqual([]);
    }
    expect(written).toBeGreaterThan(150);
  });
});
