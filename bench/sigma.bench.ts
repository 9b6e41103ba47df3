/**
 * Sigma engine benchmarks, one core, plain Node (`npx tsx bench/sigma.bench.ts`); medians of 5 runs after a
 * warm-up, each against a reference measured in the same process:
 *
 * (a) Conversion: every SigmaHQ rule file of the shared corpus whose logsource we collect, parsed
 *     (parseSigmaDocuments), resolved in strict mode (resolveRule + sigmaMappings) and compiled for D1, Athena,
 *     BigQuery and Synapse (compileRuleSql / compileCorrelationSql). Target: under 1 s in total. Reference:
 *     parsing the same YAML texts with the `yaml` library alone (parseAllDocuments + toJS).
 * (b) Streaming matcher: the whole rule set (the corpus rules we collect + rules/sigma, compiled with
 *     compileRuleSet) over realistic events — the demo generator's Okta System Log and CloudTrail records,
 *     normalized through the real parsers (parseBatch) as the ingest path stores them. Throughput counted as
 *     rule-evaluations per second = events × rules in the set / time. Target: ≥ 20 million. Reference: the
 *     naive evaluation, every compiled matcher (with its source check) on every event.
 */
import { parseAllDocuments } from 'yaml';
import { sourceAdapters } from '../adapters/sources';
import { iterateDemoEvents } from '../core/demo/dataset';
import { parseBatch, type StoredEvent } from '../core/ingest/parse-batch';
import type { ResolvedRule, SigmaCorrelationIR, SigmaRuleIR, SqlDialectName } from '../core/sigma/ir';
import { compileMatcher, type MatchableEvent } from '../core/sigma/match/compile-matcher';
import { compileRuleSet } from '../core/sigma/match/rule-set';
import { sigmaMappings } from '../core/sigma/mappings/index';
import { parseSigmaDocuments } from '../core/sigma/parse/parse-documents';
import { resolveRule, selectLogsourceMapping } from '../core/sigma/pipeline/resolve-rule';
import { compileCorrelationSql, compileRuleSql, indexRulesByIdOrName } from '../core/sigma/sql/compile-sql';
import { corpusPlaceholders, corpusSigmaRules } from '../core/sigma/conformance/corpus';
import { libraryFiles } from '../core/sigma/conformance/rule-sources';
import { fmt, machineLine, median } from './machine';

const runs = 5;

async function time(fn: () => unknown): Promise<number> {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

// ---- (a) conversion ---------------------------------------------------------------------------------------

const dialects: readonly SqlDialectName[] = ['d1', 'athena', 'bigquery', 'synapse'];

/** Rule files whose every detection rule's logsource we collect (as docs/sigma-coverage.md counts them). */
const collected = corpusSigmaRules().filter((f) => {
  try {
    const docs = parseAllDocuments(f.text).map((d) => d.toJS() as { logsource?: Record<string, string>; detection?: unknown });
    const rules = docs.filter((d) => d && d.detection !== undefined);
    return rules.length > 0 && rules.every((d) => selectLogsourceMapping(d.logsource ?? {}, sigmaMappings) !== null);
  } catch {
    return false;
  }
});

interface Stages {
  parse: number;
  resolve: number;
  compile: Record<SqlDialectName, number>;
  rules: number;
  queries: number;
}

/** One conversion of every collected file, timing each stage. */
function convertAll(): Stages {
  const stages: Stages = { parse: 0, resolve: 0, compile: { d1: 0, athena: 0, bigquery: 0, synapse: 0 }, rules: 0, queries: 0 };
  for (const f of collected) {
    let t = performance.now();
    const parsed = parseSigmaDocuments(f.text, f.file, { placeholders: corpusPlaceholders });
    stages.parse += performance.now() - t;
    if (!parsed.ok) continue;
    t = performance.now();
    const rules: ResolvedRule[] = [];
    let failed = false;
    for (const doc of parsed.value) {
      if (doc.kind !== 'rule') continue;
      const r = resolveRule(doc as SigmaRuleIR, sigmaMappings, { strict: true });
      if (r.ok) rules.push(r.value);
      else failed = true;
    }
    stages.resolve += performance.now() - t;
    if (failed) continue;
    stages.rules += rules.length;
    const correlations = parsed.value.filter((d): d is SigmaCorrelationIR => d.kind === 'correlation');
    const lookup = indexRulesByIdOrName([...rules, ...correlations]);
    for (const dialect of dialects) {
      t = performance.now();
      for (const r of rules) if (compileRuleSql(r, dialect).ok) stages.queries++;
      for (const c of correlations) if (compileCorrelationSql(c, lookup, dialect).ok) stages.queries++;
      stages.compile[dialect] += performance.now() - t;
    }
  }
  return stages;
}

function yamlOnly(): number {
  let documents = 0;
  for (const f of collected) for (const d of parseAllDocuments(f.text)) if (d.toJS()) documents++;
  return documents;
}

const referenceMs = await time(yamlOnly);
const totals: Stages[] = [];
const totalMs = await time(() => totals.push(convertAll()));
const last = totals.at(-1)!;
const stageMedian = (pick: (s: Stages) => number) => median(totals.slice(1).map(pick));
const compileMs = (s: Stages) => dialects.reduce((n, d) => n + s.compile[d], 0);

console.log(`\n## Sigma conversion of the SigmaHQ corpus we collect (${machineLine()})`);
console.log(`${collected.length} rule files (${last.rules} rules resolved, ${last.queries} queries in 4 dialects), one core, medians of ${runs} runs\n`);
console.log('| stage | ms | share |');
console.log('|---|---|---|');
const stageRows: [string, number][] = [
  ['parse (YAML → IR)', stageMedian((s) => s.parse)],
  ['resolve (strict)', stageMedian((s) => s.resolve)],
  ...dialects.map((d): [string, number] => [`compile ${d}`, stageMedian((s) => s.compile[d])]),
];
const stageSum = stageRows.reduce((n, [, ms]) => n + ms, 0);
for (const [name, ms] of stageRows) console.log(`| ${name} | ${fmt(ms, 1)} | ${fmt((100 * ms) / stageSum, 0)}% |`);
console.log(`| **total** (parse + resolve + compile ×4) | **${fmt(totalMs, 1)}** | target < 1,000 ms: ${totalMs < 1000 ? 'met' : 'NOT met'} |`);
console.log(`| reference: \`yaml\` parseAllDocuments + toJS alone | ${fmt(referenceMs, 1)} | total / reference = ${fmt(totalMs / referenceMs, 2)} |`);
console.log(`\ncompile, all four dialects: ${fmt(stageMedian(compileMs), 1)} ms`);

// ---- (b) streaming matcher ----------------------------------------------------------------------------------

const ruleSet: ResolvedRule[] = [];
for (const f of collected) {
  const parsed = parseSigmaDocuments(f.text, f.file, { placeholders: corpusPlaceholders });
  if (!parsed.ok) continue;
  for (const doc of parsed.value) {
    if (doc.kind !== 'rule') continue;
    const r = resolveRule(doc as SigmaRuleIR, sigmaMappings, { strict: true });
    if (r.ok) ruleSet.push(r.value);
  }
}
const corpusRuleCount = ruleSet.length;
for (const f of libraryFiles()) ruleSet.push(...f.rules);

const eventsPerSource = 100_000;
const end = '2026-11-27T00:00:00.000Z';
async function demoEvents(source: 'okta' | 'cloudtrail'): Promise<StoredEvent[]> {
  const lines: string[] = [];
  for (const e of iterateDemoEvents({ end, users: 400, days: 14 }, source)) {
    lines.push(JSON.stringify(e));
    if (lines.length === eventsPerSource) break;
  }
  const batch = await parseBatch(lines.join('\n'), sourceAdapters.get(source)!, { source, batchId: 'bench', ingestTime: end });
  if (!batch.ok) throw new Error(batch.message);
  return batch.events;
}
const stored = [...(await demoEvents('okta')), ...(await demoEvents('cloudtrail'))].sort((a, b) => (a.event_time < b.event_time ? -1 : 1));
const events: MatchableEvent[] = stored.map((row) => ({ columns: row as unknown as Record<string, unknown>, raw: JSON.parse(row.raw) as unknown }));
const bySource = new Map<string, number>();
for (const e of stored) bySource.set(e.source, (bySource.get(e.source) ?? 0) + 1);

const matchSet = compileRuleSet(ruleSet);
const naive = ruleSet.map((r) => ({ sources: new Set(r.sources), matches: compileMatcher(r) }));
let setMatches = 0;
let naiveMatches = 0;
const setMs = await time(() => {
  setMatches = 0;
  for (const e of events) setMatches += matchSet(e).length;
});
const naiveMs = await time(() => {
  naiveMatches = 0;
  for (const e of events) {
    const source = e.columns.source as string;
    for (const r of naive) if (r.sources.has(source) && r.matches(e)) naiveMatches++;
  }
});
if (setMatches !== naiveMatches) throw new Error(`the rule set found ${setMatches} matches, the naive evaluation ${naiveMatches}`);
const evaluations = events.length * ruleSet.length;
const rate = (ms: number) => evaluations / (ms / 1000);

console.log(`\n## Streaming matcher throughput (${machineLine()})`);
console.log(
  `${fmt(ruleSet.length)} rules (${fmt(corpusRuleCount)} SigmaHQ rules we collect + ${fmt(ruleSet.length - corpusRuleCount)} of rules/sigma) × ` +
    `${fmt(events.length)} demo events (${[...bySource].map(([s, n]) => `${fmt(n)} ${s}`).join(', ')}), normalized by the real parsers; ` +
    `one core, medians of ${runs} runs; ${fmt(setMatches)} matches\n`,
);
console.log('| evaluation | events/s | rule-evaluations/s | ratio |');
console.log('|---|---|---|---|');
console.log(`| compileRuleSet (source + index) | ${fmt(events.length / (setMs / 1000))} | ${fmt(rate(setMs) / 1e6, 1)} M (target ≥ 20 M: ${rate(setMs) >= 20e6 ? 'met' : 'NOT met'}) | ${fmt(naiveMs / setMs, 1)} × |`);
console.log(`| reference: every compiled matcher on every event | ${fmt(events.length / (naiveMs / 1000))} | ${fmt(rate(naiveMs) / 1e6, 1)} M | 1 × |`);
