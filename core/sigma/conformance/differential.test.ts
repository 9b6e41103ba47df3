/**
 * Differential test of the two backends on real events: the streaming matcher and the D1 SQL (node:sqlite
 * with migrations 0001 + 0002, rows confirmed by the matcher when the query says `needsConfirmation`) must
 * select the same events —
 * - for every rule of the rules library (rules/sigma/), over the test events of the whole library, each
 *   through the real ingest parsing of its source (a rule also meets every other file's events);
 * - for every SigmaHQ regression pair of the corpus (sigma/regression_data: Windows events through the
 *   generic json source, the Cisco line through syslog, a test mapping reading Windows event JSON), where the
 *   rule must also match its own positive event(s), over all the pairs' events;
 * - for every SigmaHQ rule whose logsource we collect, over the corpus' sample logs of every source.
 * And for the library's correlations, the SQL's firing groups (with first_seen, last_seen, count, value) equal a
 * brute-force sliding-window evaluation in JS (correlation-oracle.ts) over the same events: each test sequence
 * alone, generated sequences placed across clock-aligned boundaries of the timespan, and scheduled runs
 * (timeWindow) of a few minutes each, which must report each burst in the run holding its last event.
 */
import type { DatabaseSync } from 'node:sqlite';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../ingest/parse-batch';
import type { CompiledQuery, ResolvedRule, SigmaCorrelationIR, SigmaRuleIR } from '../ir';
import { identitySources } from '../mappings/identity-view';
import { sigmaMappings } from '../mappings/index';
import { resolveRule } from '../pipeline/resolve-rule';
import { bindTimeWindow, compileCorrelationSql, compileRuleSql, indexRulesByIdOrName } from '../sql/compile-sql';
import { corpusPlaceholders, corpusSigmaRules } from './corpus';
import { correlationRows, splitByMatcher } from './correlation-events';
import { firingGroups, sqlFiringGroups } from './correlation-oracle';
import { insertEvents, matcherUids, migratedDatabase, runQuery, selectedUids, type EventRow } from './events-database';
import { parseSigmaDocuments } from '../parse/parse-documents';
import { corpusLogEvents, libraryEvents, libraryFiles, regressionMapping, regressionPairs, storeRecords, type LibraryEvent, type RegressionPair } from './rule-sources';
import { firingDifferences } from './vector-checks';

function database(rows: readonly StoredEvent[] | readonly Record<string, unknown>[]): DatabaseSync {
  const db = migratedDatabase();
  insertEvents(db, rows as readonly Record<string, unknown>[]);
  return db;
}

function compiled(rule: ResolvedRule): CompiledQuery {
  const q = compileRuleSql(rule, 'd1');
  if (!q.ok) throw new Error(`${rule.rule.title}: ${JSON.stringify(q.errors)}`);
  return q.value;
}

/**
 * D1 (confirmed) and matcher selections of a rule, with what only one of them selects. A legacy aggregation
 * (`| count() by x > N`) is compared on its single events here (the matcher's reading of it); its windows are
 * checked against the oracle below.
 */
function differential(db: DatabaseSync, withAggregation: ResolvedRule) {
  const rule: ResolvedRule = { ...withAggregation, aggregation: null };
  const d1 = selectedUids(db, compiled(rule), rule);
  const matcher = matcherUids(db, rule);
  return { d1, matcher, onlyD1: d1.filter((u) => !matcher.includes(u)), onlyMatcher: matcher.filter((u) => !d1.includes(u)) };
}

const libFiles = libraryFiles();
const libRules = libFiles.flatMap((f) => f.rules.map((rule) => ({ file: f.name, rule })));

describe('the rules library: D1 and the matcher select the same test events', () => {
  let events: LibraryEvent[] = [];
  let db: DatabaseSync;
  beforeAll(async () => {
    events = await libraryEvents();
    db = database(events.map((e) => e.row));
  }, 120_000);

  it('has rules and test events of every source the rules read', () => {
    expect(libRules.length).toBeGreaterThan(20);
    const sources = new Set(events.map((e) => e.row.source));
    const missing = [...new Set(libRules.flatMap((r) => (r.rule.sources.some((s) => sources.has(s)) ? [] : [r.rule.rule.title])))];
    expect(missing).toEqual([]);
  });

  it.each(libRules.map((r) => [`${r.file}: ${r.rule.rule.title}`, r] as const))('%s', (_name, { file, rule }) => {
    const result = differential(db, rule);
    expect({ onlyD1: result.onlyD1, onlyMatcher: result.onlyMatcher }).toEqual({ onlyD1: [], onlyMatcher: [] });
    // A single-event rule selects its own positives (and the check is not vacuous).
    const own = events.filter((e) => e.file === file && e.kind === 'positive').map((e) => e.row.event_uid);
    expect(result.d1).toEqual(expect.arrayContaining(own));
    if (libFiles.find((f) => f.name === file)!.outer.kind === 'rule') expect(own.length).toBeGreaterThan(0);
  });
});

describe('SigmaHQ regression pairs: the rule matches its event, and D1 selects what the matcher does', () => {
  let pairs: RegressionPair[] = [];
  let db: DatabaseSync;
  let userDataKeys: string[] = [];
  beforeAll(async () => {
    pairs = await regressionPairs();
    const rows = pairs.flatMap((p) => p.events);
    userDataKeys = [
      ...new Set(
        rows.flatMap((r) => {
          const raw = JSON.parse(r.raw) as { Event?: { UserData?: Record<string, unknown> } };
          return Object.keys(raw.Event?.UserData ?? {});
        }),
      ),
    ];
    db = database(rows);
  }, 120_000);

  const resolved = (pair: RegressionPair): ResolvedRule => {
    const r = resolveRule(pair.rule, [regressionMapping(pair.rule, ['json', 'syslog'], userDataKeys)], { strict: true });
    if (!r.ok) throw new Error(`${pair.ruleFile}: ${JSON.stringify(r.errors)}`);
    return r.value;
  };

  it('are all there (202 Windows, 1 Cisco)', () => {
    expect(pairs.length).toBe(203);
    expect(pairs.filter((p) => p.events.some((e) => e.source === 'syslog')).length).toBe(1);
  });

  it('each match their positive event(s) on both backends, and D1 selects exactly what the matcher does over every pair’s events', () => {
    const problems: string[] = [];
    for (const pair of pairs) {
      const rule = resolved(pair);
      const result = differential(db, rule);
      const own = pair.events.map((e) => e.event_uid);
      if (result.onlyD1.length || result.onlyMatcher.length) problems.push(`${pair.ruleFile}: D1 only ${result.onlyD1.join(',')} matcher only ${result.onlyMatcher.join(',')}`);
      const missed = own.filter((u) => !result.matcher.includes(u));
      // A pair whose file holds several events (a JSON stream) must match at least one of them.
      if (missed.length === own.length) problems.push(`${pair.ruleFile}: does not match its positive event (${pair.eventFiles.join(', ')})`);
    }
    expect(problems).toEqual([]);
  });
});

describe('SigmaHQ rules we collect, over the corpus’ sample logs: D1 selects what the matcher does', () => {
  let db: DatabaseSync;
  let count = 0;
  beforeAll(async () => {
    const rows = await corpusLogEvents();
    count = rows.length;
    db = database(rows);
  }, 120_000);

  const rules: ResolvedRule[] = [];
  for (const input of corpusSigmaRules()) {
    const parsed = parseSigmaDocuments(input.text, input.file, { placeholders: corpusPlaceholders });
    if (!parsed.ok) continue;
    for (const doc of parsed.value) {
      if (doc.kind !== 'rule') continue;
      const r = resolveRule(doc as SigmaRuleIR, sigmaMappings, { strict: true });
      if (r.ok && compileRuleSql(r.value, 'd1').ok) rules.push(r.value);
    }
  }

  it('holds for every rule', () => {
    expect(count).toBeGreaterThan(2000);
    expect(rules.length).toBeGreaterThan(250);
    const problems: string[] = [];
    let matched = 0;
    for (const rule of rules) {
      const result = differential(db, rule);
      matched += result.matcher.length;
      if (result.onlyD1.length || result.onlyMatcher.length) problems.push(`${rule.rule.title}: D1 only ${result.onlyD1.slice(0, 5).join(',')} matcher only ${result.onlyMatcher.slice(0, 5).join(',')}`);
    }
    expect(problems).toEqual([]);
    expect(matched).toBeGreaterThan(0);
  }, 120_000);
});

describe('SigmaHQ legacy aggregations (`| count() by x > N`) we collect: the SQL fires as the brute-force oracle', () => {
  let pool: Record<string, unknown>[] = [];
  beforeAll(async () => {
    pool = (await corpusLogEvents()) as unknown as Record<string, unknown>[];
  }, 120_000);

  const aggregations: { file: string; rule: ResolvedRule }[] = [];
  for (const input of corpusSigmaRules()) {
    const parsed = parseSigmaDocuments(input.text, input.file, { placeholders: corpusPlaceholders });
    if (!parsed.ok) continue;
    for (const doc of parsed.value) {
      if (doc.kind !== 'rule' || !doc.aggregation) continue;
      const r = resolveRule(doc, sigmaMappings, { strict: true });
      if (r.ok) aggregations.push({ file: input.file, rule: r.value });
    }
  }

  /** The legacy aggregation as the correlation it stands for (a count of events, or of distinct values). */
  const asCorrelation = (rule: ResolvedRule): { corr: SigmaCorrelationIR; lookup: Map<string, ResolvedRule> } => {
    const agg = rule.rule.aggregation!;
    const corr: SigmaCorrelationIR = {
      kind: 'correlation',
      id: null,
      name: null,
      title: `${rule.rule.title} (aggregation)`,
      level: null,
      description: null,
      tags: [],
      type: agg.function === 'count' ? (agg.field ? 'value_count' : 'event_count') : agg.function === 'sum' ? 'value_sum' : 'value_avg',
      rules: ['self'],
      groupBy: agg.groupBy,
      aliases: {},
      timespanMs: agg.timespanMs!,
      condition: { op: agg.op, value: agg.value, field: agg.field, percentile: null },
      generate: false,
      location: rule.rule.location,
    };
    return { corr, lookup: new Map([['self', { ...rule, aggregation: null }]]) };
  };

  it.each(aggregations.map((a) => [a.file, a] as const))('%s', (_file, { rule }) => {
    const agg = rule.rule.aggregation!;
    expect(['count', 'sum', 'avg'], 'a function the oracle knows').toContain(agg.function);
    expect(agg.timespanMs, 'a timeframe').not.toBeNull();
    const query = compiled(rule);
    const { corr, lookup } = asCorrelation(rule);
    const templates = (r: ResolvedRule) => splitByMatcher(r, pool);
    if (templates(lookup.get('self')!).positives.length === 0) {
      // Nothing in the corpus matches: D1 and the oracle must both stay quiet on the samples.
      const db = database(pool);
      expect(runQuery(db, query)).toEqual([]);
      return;
    }
    let fired = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const db = database(correlationRows(corr, lookup, templates, { seed, ungrouped: 0 }));
      const rows = db.prepare('SELECT * FROM events').all() as EventRow[];
      const oracle = firingGroups(corr, lookup, rows);
      fired += oracle.size;
      expect(firingDifferences(sqlFiringGroups(runQuery(db, query), corr.groupBy.length), oracle), `seed ${seed}`).toEqual([]);
    }
    expect(fired).toBeGreaterThan(0);
  });
});

describe('regressions found by this suite, on real records', () => {
  it('a denied DeleteBucket (errorCode AccessDenied) does not fire SigmaHQ’s “AWS S3 Bucket Deleted” (errorCode: null on a field mapped to two places)', async () => {
    const file = corpusSigmaRules().find((f) => f.file.endsWith('aws_cloudtrail_bucket_deleted.yml'))!;
    const parsed = parseSigmaDocuments(file.text, file.file);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const rule = resolveRule(parsed.value[0] as SigmaRuleIR, sigmaMappings, { strict: true });
    if (!rule.ok) throw new Error(JSON.stringify(rule.errors));
    const record = (errorCode?: string) =>
      JSON.stringify({
        eventVersion: '1.08',
        eventTime: '2026-11-20T10:00:00Z',
        eventSource: 's3.amazonaws.com',
        eventName: 'DeleteBucket',
        awsRegion: 'us-east-1',
        sourceIPAddress: '198.51.100.7',
        userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice' },
        requestParameters: { bucketName: 'logs' },
        eventID: `e-${errorCode ?? 'ok'}`,
        ...(errorCode ? { errorCode, errorMessage: 'Access Denied' } : {}),
      });
    const rows = [...(await storeRecords('cloudtrail', record('AccessDenied'), 'a')), ...(await storeRecords('cloudtrail', record(), 'b'))];
    const db = database(rows);
    const result = differential(db, rule.value);
    expect(result.d1).toEqual(['b:1']);
    expect(result.matcher).toEqual(['b:1']);
  });
});

// ---- correlations -----------------------------------------------------------------------------------------

const correlationFiles = libFiles.filter((f) => f.outer.kind === 'correlation');
const countries = ['US', 'FR', 'DE', 'GB', 'JP', 'BR', 'IN', 'CA', 'AU', 'NL'];

function correlationQuery(file: (typeof correlationFiles)[number], timeWindow = false): { corr: SigmaCorrelationIR; query: CompiledQuery; lookup: ReturnType<typeof indexRulesByIdOrName> } {
  const corr = file.outer as SigmaCorrelationIR;
  const lookup = indexRulesByIdOrName([...file.rules, ...file.correlations]);
  const q = compileCorrelationSql(corr, lookup, 'd1', { timeWindow });
  if (!q.ok) throw new Error(`${file.name}: ${JSON.stringify(q.errors)}`);
  return { corr, query: q.value, lookup };
}

describe('the library’s correlations: the SQL fires as a brute-force sliding-window evaluation', () => {
  let events: LibraryEvent[] = [];
  beforeAll(async () => {
    events = await libraryEvents();
  }, 120_000);

  it('has correlations to check', () => {
    expect(correlationFiles.length).toBeGreaterThanOrEqual(5);
  });

  it.each(correlationFiles.map((f) => [f.name, f] as const))('%s: on each test sequence alone', (_n, file) => {
    const { corr, query, lookup } = correlationQuery(file);
    const sequences = [...new Set(events.filter((e) => e.file === file.name && e.sequence).map((e) => e.sequence!))];
    expect(sequences.length).toBeGreaterThan(1);
    for (const name of sequences) {
      const seq = events.filter((e) => e.file === file.name && e.sequence === name);
      const db = database(seq.map((e) => e.row));
      const rows = db.prepare('SELECT * FROM events').all() as EventRow[];
      const sql = sqlFiringGroups(runQuery(db, query), corr.groupBy.length);
      expect(firingDifferences(sql, firingGroups(corr, lookup, rows)), name).toEqual([]);
      expect(sql.size > 0 ? 'match' : 'no_match', name).toBe(seq[0]!.expect);
    }
  });

  const datasets = (file: (typeof correlationFiles)[number], seed: number) => {
    const { corr, lookup } = correlationQuery(file);
    const pool = events.map((e) => e.row as unknown as Record<string, unknown>);
    return correlationRows(corr, lookup, (rule) => splitByMatcher(rule, pool), {
      seed,
      clock: Date.UTC(2026, 10, 20, 9, 0),
      // A source must stay one the rules read: no event without one.
      ungrouped: corr.groupBy.includes('source') ? 0 : 4,
      groupValue: (field, g) => (field === 'source' ? identitySources[g % 6]! : field === 'src_ip' ? `198.51.100.${g + 1}` : `user${g}@example.com`),
      distinctValue: (field, i) => (field === 'src_country' ? countries[i % countries.length]! : field === 'src_ip' ? `203.0.113.${(i % 250) + 1}` : `victim${i}@example.com`),
    });
  };

  it.each(correlationFiles.map((f) => [f.name, f] as const))('%s: on generated sequences across clock boundaries', (_n, file) => {
    const { corr, query, lookup } = correlationQuery(file);
    let fired = 0;
    let quiet = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      const db = database(datasets(file, seed));
      const rows = db.prepare('SELECT * FROM events').all() as EventRow[];
      const oracle = firingGroups(corr, lookup, rows);
      expect(firingDifferences(sqlFiringGroups(runQuery(db, query), corr.groupBy.length), oracle), `seed ${seed}`).toEqual([]);
      fired += oracle.size;
      // The identity view's group-by fields are columns of the same name.
      const groups = new Set(rows.filter((r) => corr.groupBy.every((g) => r[g] !== null)).map((r) => JSON.stringify(corr.groupBy.map((g) => String(r[g])))));
      quiet += groups.size > oracle.size ? 1 : 0;
    }
    expect(fired, 'some group fires').toBeGreaterThan(0);
    expect(quiet, 'some groups do not').toBeGreaterThan(0);
  });

  it.each(correlationFiles.map((f) => [f.name, f] as const))('%s: fires across clock-aligned boundaries', (_n, file) => {
    const { corr, lookup } = correlationQuery(file);
    let straddling = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      const db = database(datasets(file, seed));
      const rows = db.prepare('SELECT * FROM events').all() as EventRow[];
      for (const g of firingGroups(corr, lookup, rows).values()) {
        const first = Date.parse(g.firstSeen);
        const last = Date.parse(g.lastSeen);
        if (Math.floor(first / corr.timespanMs) !== Math.floor(last / corr.timespanMs)) straddling++;
      }
    }
    expect(straddling).toBeGreaterThan(0);
  });

  it.each(correlationFiles.map((f) => [f.name, f] as const))('%s: in scheduled runs, each run reports the windows that end inside it', (_n, file) => {
    const { corr, query, lookup } = correlationQuery(file, true);
    for (const seed of [1, 2, 3]) {
      const db = database(datasets(file, seed));
      const rows = db.prepare('SELECT * FROM events').all() as EventRow[];
      const times = rows.map((r) => Date.parse(String(r.event_time)));
      const step = 7 * 60_000;
      for (let start = Math.floor(Math.min(...times) / step) * step - step; start <= Math.max(...times); start += step) {
        const window = { start: new Date(start).toISOString(), end: new Date(start + step).toISOString() };
        const sql = sqlFiringGroups(runQuery(db, bindTimeWindow(query, window)), corr.groupBy.length);
        expect(firingDifferences(sql, firingGroups(corr, lookup, rows, { window })), `seed ${seed} run ${window.start}`).toEqual([]);
      }
    }
  });
});
