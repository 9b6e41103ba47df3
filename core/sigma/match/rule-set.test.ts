import { describe, expect, it } from 'vitest';
import type { Expr, LogsourceMapping, ResolvedRule } from '../ir';
import { and, cidr, contains, endswith, eq, exists, not, or, regex, sigmaRule, startswith } from '../pipeline/ir-builders';
import { resolveRule } from '../pipeline/resolve-rule';
import { compileMatcher, type MatchableEvent } from './compile-matcher';
import { compileRuleSet, requiredValues, ruleId } from './rule-set';

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const okta: LogsourceMapping = {
  logsource: { product: 'okta' },
  sources: ['okta'],
  fields: { eventType: { kind: 'column', column: 'action' }, 'client.ipAddress': { kind: 'column', column: 'src_ip' } },
  knownFields: ['target[].alternateId', 'target[].type'],
};
const cloudtrail: LogsourceMapping = {
  logsource: { product: 'aws', service: 'cloudtrail' },
  sources: ['cloudtrail'],
  // Two places for one field, as EventBridge-wrapped CloudTrail has: the index must union their candidates.
  fields: {
    eventName: [
      { kind: 'column', column: 'action' },
      { kind: 'json', path: [{ key: 'detail', array: false }, { key: 'eventName', array: false }] },
    ],
    sourceIPAddress: { kind: 'column', column: 'src_ip' },
  },
};

const oktaTypes = Array.from({ length: 80 }, (_v, i) => `okta.type${i}.${['start', 'update', 'grant', 'deny'][i % 4]}`);
const awsSources = Array.from({ length: 20 }, (_v, i) => `svc${i}.amazonaws.com`);
const awsNames = Array.from({ length: 200 }, (_v, i) => `${['Create', 'Delete', 'Put', 'Attach', 'Stop'][i % 5]}Thing${i}`);

/** A rule set shaped like SigmaHQ's cloud rules: mostly keyed on the event type, with extra conditions. */
function buildRules(count: number): ResolvedRule[] {
  const rnd = prng(7);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const rules: ResolvedRule[] = [];
  for (let i = 0; i < count; i++) {
    const isOkta = i % 2 === 0;
    let condition: Expr;
    const shape = i % 10;
    if (isOkta) {
      const extra = [
        eq('outcome.result', 'FAILURE'),
        contains('client.userAgent.rawUserAgent', 'python'),
        not(cidr('client.ipAddress', '10.0.0.0', 8)),
        eq('target.type', 'User'),
        endswith('actor.alternateId', '@admin.test'),
      ][i % 5]!;
      condition =
        shape === 9
          ? and(contains('displayMessage', `word${i % 7}`), extra)
          : shape === 8
            ? and(or(eq('eventType', pick(oktaTypes)), eq('eventType', pick(oktaTypes)), eq('eventType', pick(oktaTypes))), extra)
            : and(eq('eventType', pick(oktaTypes)), extra);
    } else {
      const extra = [
        eq('userIdentity.type', 'Root'),
        exists('errorCode'),
        startswith('userAgent', 'aws-cli'),
        regex('requestParameters.bucketName', '^prod-[a-z]+$'),
        not(eq('sourceIPAddress', 'AWS Internal')),
      ][i % 5]!;
      condition =
        shape === 9
          ? and(eq('userIdentity.type', 'Root'), extra)
          : and(eq('eventSource', pick(awsSources)), or(eq('eventName', pick(awsNames)), eq('eventName', pick(awsNames))), extra);
    }
    const r = resolveRule(sigmaRule(condition, { id: `rule-${i}`, logsource: isOkta ? okta.logsource : cloudtrail.logsource }), [okta, cloudtrail], {
      strict: false,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    rules.push(r.value);
  }
  return rules;
}

function buildEvents(count: number): MatchableEvent[] {
  const rnd = prng(11);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const events: MatchableEvent[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      const action = pick(oktaTypes);
      const raw = {
        eventType: action,
        displayMessage: `User word${i % 9} did something`,
        outcome: { result: pick(['SUCCESS', 'FAILURE']) },
        actor: { alternateId: pick(['alice@acme.test', 'root@admin.test', 'bob@acme.test']) },
        client: { ipAddress: pick(['10.1.2.3', '198.51.100.7']), userAgent: { rawUserAgent: pick(['Mozilla/5.0', 'python-requests/2.31']) } },
        target: [{ alternateId: 'carol@acme.test', type: pick(['User', 'AppInstance']) }],
      };
      events.push({ columns: { source: 'okta', action, src_ip: raw.client.ipAddress, actor: raw.actor.alternateId }, raw });
    } else {
      const action = pick(awsNames);
      const raw: Record<string, unknown> = {
        eventSource: pick(awsSources),
        eventName: action,
        userIdentity: { type: pick(['IAMUser', 'AssumedRole', 'Root']) },
        userAgent: pick(['aws-cli/2.15', 'console.amazonaws.com', 'Boto3/1.34']),
        sourceIPAddress: pick(['203.0.113.9', 'AWS Internal']),
        requestParameters: { bucketName: pick(['prod-logs', 'dev-data', 'prod-42']) },
      };
      if (rnd() < 0.2) raw.errorCode = 'AccessDenied';
      if (rnd() < 0.3) raw.detail = { eventName: pick(awsNames) };
      events.push({ columns: { source: 'cloudtrail', action, src_ip: raw.sourceIPAddress }, raw });
    }
  }
  return events;
}

describe('compileRuleSet', () => {
  const rules = buildRules(400);
  const events = buildEvents(4_000);

  it('returns exactly the rules whose own matcher matches, in rule order', () => {
    const set = compileRuleSet(rules);
    const singles = rules.map((r) => ({ id: ruleId(r), sources: r.sources, matches: compileMatcher(r) }));
    let hits = 0;
    for (const e of events) {
      const expected = singles.filter((r) => r.sources.includes(e.columns.source as string) && r.matches(e)).map((r) => r.id);
      hits += expected.length;
      expect(set(e)).toEqual(expected);
    }
    expect(hits).toBeGreaterThan(100);
  });

  it('finds the literals a field must equal through ANDs and ORs', () => {
    const r = resolveRule(sigmaRule(and(or(eq('a', 'X'), eq('a', 'y')), not(eq('b', 'z'))), { logsource: okta.logsource }), [okta], { strict: false });
    if (!r.ok) throw new Error('unresolved');
    const key = (name: string) => JSON.stringify([{ kind: 'json', path: [{ key: name, array: false }] }]);
    expect(requiredValues(r.value.condition, key('a'))).toEqual(new Set(['x', 'y']));
    expect(requiredValues(r.value.condition, key('b'))).toBeNull();
    expect(requiredValues({ kind: 'const', value: false }, key('a'))).toEqual(new Set());
  });

  it('selects through its index exactly what every matcher of the source selects (throughput printed; the benchmark is bench/sigma.bench.ts)', () => {
    const set = compileRuleSet(rules);
    const bench = buildEvents(100_000);
    for (let i = 0; i < 20_000; i++) set(bench[i]!); // warm-up
    let matched = 0;
    const started = performance.now();
    for (const e of bench) matched += set(e).length;
    const seconds = (performance.now() - started) / 1000;
    const rate = (bench.length * rules.length) / seconds;
    console.log(
      `rule set: ${rules.length} rules × ${bench.length} events in ${(seconds * 1000).toFixed(0)} ms = ` +
        `${(rate / 1e6).toFixed(1)} M rule-evaluations/s (${(bench.length / seconds / 1e6).toFixed(2)} M events/s, ${matched} matches)`,
    );
    // For comparison: every rule of the event's source, one compiled matcher after the other, no index.
    const bySource = new Map<string, ((e: MatchableEvent) => boolean)[]>();
    for (const r of rules) for (const s of r.sources) bySource.set(s, [...(bySource.get(s) ?? []), compileMatcher(r)]);
    let evaluations = 0;
    let naiveMatched = 0;
    const naiveStarted = performance.now();
    for (const e of bench) {
      const list = bySource.get(e.columns.source as string)!;
      for (const m of list) if (m(e)) naiveMatched++;
      evaluations += list.length;
    }
    const naiveSeconds = (performance.now() - naiveStarted) / 1000;
    console.log(`  without the index: ${(evaluations / naiveSeconds / 1e6).toFixed(1)} M compiled-matcher calls/s`);
    expect(matched).toBe(naiveMatched);
    expect(matched).toBeGreaterThan(0);
  });
});
