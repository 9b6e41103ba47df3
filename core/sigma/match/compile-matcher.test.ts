import { describe, expect, it } from 'vitest';
import type { Expr, LogsourceMapping, ResolvedRule, SigmaRuleIR } from '../ir';
import { parseSigmaDocuments } from '../parse/parse-documents';
import { and, bool, cidr, compare, contains, eq, exists, fieldref, isNull, keyword, not, num, or, regex, sigmaRule } from '../pipeline/ir-builders';
import { resolveRule } from '../pipeline/resolve-rule';
import { compileExprMatcher, compileMatcher, type MatchableEvent } from './compile-matcher';

const mapping: LogsourceMapping = {
  logsource: { product: 'okta' },
  sources: ['okta'],
  fields: {
    user: { kind: 'column', column: 'actor' },
    inferred: { kind: 'column', column: 'event_time_inferred' },
    ip: { kind: 'column', column: 'src_ip' },
    // One field in two places, as CloudTrail's bare records and EventBridge's `detail` have it.
    errorCode: [
      { kind: 'json', path: [{ key: 'errorCode', array: false }] },
      { kind: 'json', path: [{ key: 'detail', array: false }, { key: 'errorCode', array: false }] },
    ],
  },
  knownFields: ['target[].alternateId', 'target[].roles[]'],
};

const resolved = (condition: Expr): ResolvedRule => {
  const r = resolveRule(sigmaRule(condition, { logsource: { product: 'okta' } }), [mapping], { strict: false });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

const event = (raw: unknown, columns: Record<string, unknown> = {}): MatchableEvent => ({ columns: { source: 'okta', ...columns }, raw });
const matches = (condition: Expr, e: MatchableEvent) => compileMatcher(resolved(condition))(e);

describe('compileMatcher', () => {
  it('matches case-insensitively by default and exactly with cased', () => {
    expect(matches(eq('eventType', 'USER.SESSION.*'), event({ eventType: 'user.session.start' }))).toBe(true);
    expect(matches(eq('eventType', 'USER.SESSION.*', true), event({ eventType: 'user.session.start' }))).toBe(false);
  });

  it('reads columns with the lake types: NULL is absent, a boolean column’s 1 is true', () => {
    expect(matches(isNull('user'), event({}, { actor: null }))).toBe(true);
    expect(matches(exists('user'), event({}, { actor: null }))).toBe(false);
    expect(matches(bool('inferred', true), event({}, { event_time_inferred: 1 }))).toBe(true);
    expect(matches(bool('inferred', true), event({}, { event_time_inferred: false }))).toBe(false);
  });

  it('tells JSON null from an absent key', () => {
    expect(matches(isNull('a'), event({ a: null }))).toBe(true);
    expect(matches(isNull('a'), event({}))).toBe(true);
    expect(matches(exists('a'), event({ a: null }))).toBe(true);
    expect(matches(exists('a'), event({}))).toBe(false);
    expect(matches(isNull('a'), event({ a: {} }))).toBe(false);
  });

  it('never reads a prototype property as a field', () => {
    expect(matches(exists('constructor'), event({}))).toBe(false);
    expect(matches(exists('a.toString'), event({ a: {} }))).toBe(false);
    expect(matches(exists('a.constructor'), event({ a: { constructor: 1 } }))).toBe(true);
  });

  it('matches when any array element does; no element counts as one missing element', () => {
    const raw = { target: [{ alternateId: 'x' }, { alternateId: 'bob@x.com', roles: ['ADMIN'] }] };
    expect(matches(eq('target.alternateId', 'BOB@x.com'), event(raw))).toBe(true);
    expect(matches(eq('target.roles', 'admin'), event(raw))).toBe(true);
    expect(matches(isNull('target.roles'), event(raw))).toBe(true);
    expect(matches(isNull('target.alternateId'), event({ target: [] }))).toBe(true);
    expect(matches(isNull('target.alternateId'), event({ target: 'x' }))).toBe(true);
    expect(matches(eq('target.alternateId', 'x'), event({ target: { alternateId: 'x' } }))).toBe(false);
  });

  it('compares numbers with JSON numbers and numeric strings', () => {
    expect(matches(num('code', 4625), event({ code: '4625' }))).toBe(true);
    expect(matches(num('code', 4625), event({ code: '04625' }))).toBe(false);
    expect(matches(compare('size', 'gte', 100), event({ size: '1e2' }))).toBe(true);
    expect(matches(compare('size', 'lt', 100), event({ size: 'x' }))).toBe(false);
    expect(matches(eq('code', '4625'), event({ code: 4625 }))).toBe(true);
  });

  it('runs regexes on RE2, in linear time even for patterns that backtrack in other engines', () => {
    expect(matches(regex('msg', '^fail(ed|ure)$', { i: true }), event({ msg: 'FAILURE' }))).toBe(true);
    expect(matches(regex('msg', '^x$', { m: true }), event({ msg: 'a\nx\nb' }))).toBe(true);
    const evil = event({ msg: `${'a'.repeat(50_000)}!` });
    // A backtracking engine would not finish this within the test timeout.
    expect(matches(regex('msg', '^(a+)+$'), evil)).toBe(false);
  });

  it('matches CIDR networks by address version', () => {
    expect(matches(cidr('ip', '10.0.0.0', 8), event({}, { src_ip: '10.1.2.3' }))).toBe(true);
    expect(matches(cidr('ip', '10.0.0.0', 8), event({}, { src_ip: '::ffff:10.1.2.3' }))).toBe(false);
    expect(matches(cidr('ip', '2001:db8::', 32), event({}, { src_ip: '2001:DB8::7' }))).toBe(true);
  });

  it('reads a field in several places: a value in any of them, an absence only in all of them', () => {
    const bare = event({ errorCode: 'AccessDenied' });
    const wrapped = event({ detail: { errorCode: 'AccessDenied' } });
    const succeeded = event({ eventName: 'DeleteBucket' });
    expect([bare, wrapped, succeeded].map((e) => matches(eq('errorCode', 'AccessDenied'), e))).toEqual([true, true, false]);
    expect([bare, wrapped, succeeded].map((e) => matches(isNull('errorCode'), e))).toEqual([false, false, true]);
    expect([bare, wrapped, succeeded].map((e) => matches(exists('errorCode', false), e))).toEqual([false, false, true]);
    expect([bare, wrapped, succeeded].map((e) => matches(exists('errorCode'), e))).toEqual([true, true, false]);
    expect([bare, wrapped, succeeded].map((e) => matches(not(isNull('errorCode')), e))).toEqual([true, true, false]);
  });

  it('compares two fields with fieldref', () => {
    expect(matches(fieldref('user', 'target.alternateId'), event({ target: [{ alternateId: 'BOB' }] }, { actor: 'bob' }))).toBe(true);
    expect(matches(fieldref('user', 'other', 'startswith', true), event({ other: 'Bo' }, { actor: 'bob' }))).toBe(false);
    expect(matches(fieldref('user', 'other'), event({}, { actor: 'bob' }))).toBe(false);
  });

  it('finds a keyword anywhere in the message or the raw record, as the parser writes it', () => {
    const parsed = parseSigmaDocuments("title: t\nlogsource: {product: okta}\ndetection:\n  keywords:\n    - 'no dot1x port-control'\n  condition: keywords\n", 't.yml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const r = resolveRule(parsed.value[0] as SigmaRuleIR, [mapping], { strict: false });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const m = compileMatcher(r.value);
    expect(m(event({}, { message: '%PARSER-5-CFGLOG_LOGGEDCMD: User:admin logged command:NO DOT1X port-control' }))).toBe(true);
    expect(m(event({ cmd: 'interface x; no dot1x port-control' }, { message: 'x' }))).toBe(true);
    expect(m(event({}, { message: 'dot1x port-control auto' }))).toBe(false);
  });

  it('matches keywords in the message, then in the raw record as received', () => {
    expect(matches(keyword('*mimikatz*'), event({}, { message: 'Found MIMIKATZ' }))).toBe(true);
    expect(matches(keyword('*mimikatz*'), event({}, { message: 'x', raw: '{"cmd":"mimikatz.exe"}' }))).toBe(true);
    expect(matches(keyword('*mimikatz*'), event({ cmd: 'mimikatz.exe' }, { message: 'x' }))).toBe(true);
  });

  it('gives an OR of equalities the same answers merged into a set as one by one', () => {
    const values = ['alpha', 'Kilo', 'İstanbul', 'x*y', 'ÉTÉ'];
    const merged = compileExprMatcher(resolved(or(...values.map((v) => eq('f', v)))).condition);
    const single = values.map((v) => compileExprMatcher(resolved(eq('f', v)).condition));
    for (const candidate of ['ALPHA', 'kilo', '\u212Ailo', 'İSTANBUL', 'istanbul', 'x*y', 'xay', 'été', 'ete', '']) {
      const e = event({ f: candidate });
      expect([candidate, merged(e)]).toEqual([candidate, single.some((m) => m(e))]);
    }
  });

  it('composes and, or, not', () => {
    const rule = and(or(contains('msg', 'fail'), num('code', 1)), not(eq('user', 'root')));
    expect(matches(rule, event({ msg: 'login failed' }, { actor: 'alice' }))).toBe(true);
    expect(matches(rule, event({ msg: 'login failed' }, { actor: 'ROOT' }))).toBe(false);
    expect(matches(rule, event({ code: 2 }, { actor: 'alice' }))).toBe(false);
  });
});
