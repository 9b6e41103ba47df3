/**
 * The project's Sigma rules (rules/sigma/) and their test events (rules/sigma/README.md):
 * - every rule file is well formed: metadata, unique ids and names, references that resolve;
 * - every rule's logsource has exactly one mapping, and every field it names (correlation group-by and
 *   aggregated fields included) resolves in it — the rules compile in strict mode;
 * - every test event is a valid vendor record today: it goes through the real splitter and the parser of its
 *   source (adapters/sources.ts), as the ingest route would take it, and that source is one the rule reads;
 * - through the real engine (parseSigmaDocuments → resolveRule, strict → compileMatcher and compileRuleSql /
 *   compileCorrelationSql for D1, run on node:sqlite, the engine D1 is): positives match and negatives do not,
 *   on both backends; sequences of a correlation fire or not as the file says.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { sourceAdapters } from '../../../adapters/sources';
import { parseBatch, type StoredEvent } from '../../ingest/parse-batch';
import type { CompiledQuery, Logsource, LogsourceMapping, ResolvedRule, SigmaCorrelationIR, SigmaDocumentIR } from '../ir';
import { compileMatcher } from '../match/compile-matcher';
import { parseSigmaDocuments } from '../parse/parse-documents';
import { resolveRule } from '../pipeline/resolve-rule';
import { compileCorrelationSql, compileRuleSql, indexRulesByIdOrName, type CorrelationInput } from '../sql/compile-sql';
import { lookupField } from './field-targets';
import { sigmaMappings } from './index';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const rulesRoot = join(repoRoot, 'rules/sigma');

// ---- The test-event file format (rules/sigma/README.md) ----------------------------------------------------

const testEventSchema = z.strictObject({
  name: z.string().optional(),
  /** The event's source id; default: the file's `source`. */
  source: z.string().optional(),
  /** The vendor's record as the source receives it: a JSON object, or a text line for line-based sources. */
  event: z.union([z.record(z.string(), z.unknown()), z.string()]),
});

const testsFileSchema = z.strictObject({
  source: z.string(),
  /** YAML anchors reused below (`<<: *okta_failure`); not read otherwise. */
  templates: z.unknown().optional(),
  positives: z.array(testEventSchema).optional(),
  negatives: z.array(testEventSchema).optional(),
  sequences: z
    .array(
      z.strictObject({
        name: z.string(),
        expect: z.enum(['match', 'no_match']),
        events: z.array(testEventSchema).min(1),
      }),
    )
    .optional(),
});
type RuleTestsFile = z.infer<typeof testsFileSchema>;

// ---- Rule files ----------------------------------------------------------------------------------------------

interface RuleDoc {
  readonly [key: string]: unknown;
  readonly id?: string;
  readonly name?: string;
  readonly title?: string;
  readonly logsource?: Logsource;
  readonly detection?: Record<string, unknown>;
  readonly correlation?: {
    readonly type: string;
    readonly rules: readonly string[];
    readonly 'group-by'?: readonly string[];
    readonly timespan: string;
    readonly condition?: Record<string, unknown>;
    readonly aliases?: Record<string, Record<string, string>>;
  };
}

interface RuleFile {
  readonly path: string;
  readonly docs: readonly RuleDoc[];
  readonly testsPath: string;
}

function ruleFiles(): RuleFile[] {
  if (!existsSync(rulesRoot)) return [];
  return readdirSync(rulesRoot, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.yml') && !name.endsWith('.tests.yml'))
    .sort()
    .map((name) => {
      const path = join(rulesRoot, name);
      const docs = parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJS() as RuleDoc);
      return { path, docs, testsPath: path.replace(/\.yml$/, '.tests.yml') };
    });
}

function readTests(path: string): RuleTestsFile {
  const [doc] = parseAllDocuments(readFileSync(path, 'utf8'), { merge: true });
  // Our own files reuse their templates freely: no limit on aliases (the default guards untrusted input).
  return testsFileSchema.parse(doc!.toJS({ maxAliasCount: -1 }));
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const levels = ['informational', 'low', 'medium', 'high', 'critical'];

/** The metadata the brief asks of every rule file's outermost document. */
function metadataProblems(doc: RuleDoc): string[] {
  const problems: string[] = [];
  const str = (key: string): boolean => typeof doc[key] === 'string' && (doc[key] as string).trim() !== '';
  const list = (key: string): boolean => Array.isArray(doc[key]) && (doc[key] as unknown[]).length > 0;
  if (!uuid.test(String(doc.id))) problems.push('id is not a UUID v4');
  for (const key of ['title', 'description']) if (!str(key)) problems.push(`no ${key}`);
  for (const key of ['references', 'tags', 'falsepositives']) if (!list(key)) problems.push(`no ${key}`);
  if (doc.author !== 'Mantissa Log') problems.push('author is not "Mantissa Log"');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(String(doc.date))) problems.push('date is not YYYY-MM-DD');
  if (!levels.includes(String(doc.level))) problems.push('no valid level');
  if (doc.license !== 'Apache-2.0') problems.push('license is not Apache-2.0');
  const tags = (doc.tags ?? []) as unknown[];
  if (!tags.some((t) => typeof t === 'string' && /^attack\.[a-z0-9_.-]+$/.test(t))) problems.push('no attack.* tag');
  return problems;
}

/** The one mapping that applies to a logsource: every key the mapping sets equals the rule's. */
function applicableMappings(logsource: Logsource): LogsourceMapping[] {
  const keys = ['product', 'service', 'category'] as const;
  return sigmaMappings.filter((m) => keys.every((k) => m.logsource[k] === undefined || m.logsource[k].toLowerCase() === logsource[k]?.toLowerCase()));
}

function detectionFields(detection: Record<string, unknown>): string[] {
  const fields = new Set<string>();
  const visit = (map: Record<string, unknown>): void => {
    for (const [key, value] of Object.entries(map)) {
      const [field, ...modifiers] = key.split('|');
      if (field) fields.add(field);
      if (modifiers.includes('fieldref')) for (const ref of [value].flat()) if (typeof ref === 'string') fields.add(ref);
    }
  };
  for (const [name, search] of Object.entries(detection)) {
    if (name === 'condition' || name === 'timeframe') continue;
    for (const item of [search].flat()) if (typeof item === 'object' && item !== null) visit(item as Record<string, unknown>);
  }
  return [...fields];
}

/** The detection rules a document stands for, following correlation references inside its file. */
function baseRules(doc: RuleDoc, file: RuleFile, seen = new Set<RuleDoc>()): RuleDoc[] {
  if (seen.has(doc)) return [];
  seen.add(doc);
  if (doc.detection) return [doc];
  return (doc.correlation?.rules ?? []).flatMap((ref) => {
    const target = file.docs.find((d) => d.name === ref || d.id === ref);
    return target ? baseRules(target, file, seen) : [];
  });
}

function timespanMs(text: string): number {
  const m = /^(\d+)([smhd])$/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

async function parseTestEvent(source: string, event: Record<string, unknown> | string): Promise<StoredEvent[] | string> {
  const adapter = sourceAdapters.get(source);
  if (!adapter) return `unknown source ${source}`;
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const batch = await parseBatch(body, adapter, { source, batchId: 'rule-tests', ingestTime: '2026-11-27T12:00:00.000Z' });
  if (!batch.ok) return batch.message;
  if (batch.deadLetters.length > 0) return batch.deadLetters.map((d) => d.message).join('; ');
  return batch.events;
}

// ---- Tests ---------------------------------------------------------------------------------------------------

const files = ruleFiles();
const name = (f: RuleFile): string => relative(rulesRoot, f.path);

describe('the Sigma rules library', () => {
  it('has rules in every folder', () => {
    const folders = new Set(files.map((f) => name(f).split('/')[0]));
    expect([...folders].sort()).toEqual(['cloud', 'identity', 'kubernetes', 'saas']);
  });

  it('uses each id and each name once', () => {
    const ids = files.flatMap((f) => f.docs.map((d) => d.id));
    const names = files.flatMap((f) => f.docs.map((d) => d.name).filter((n) => n !== undefined));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it.each(files.map((f) => [name(f), f] as const))('%s is complete', (_n, file) => {
    expect(metadataProblems(file.docs[0]!)).toEqual([]);
    for (const doc of file.docs) {
      expect(doc.id, `${doc.title}: id`).toMatch(uuid);
      expect(doc.title, 'title').toBeTruthy();
      expect(doc.license, `${doc.title}: license`).toBe('Apache-2.0');
      expect(Boolean(doc.detection) !== Boolean(doc.correlation), `${doc.title}: a rule or a correlation`).toBe(true);
      for (const ref of doc.correlation?.rules ?? []) {
        expect(file.docs.some((d) => d.name === ref || d.id === ref), `${doc.title}: rule ${ref}`).toBe(true);
      }
      if (doc.correlation) expect(timespanMs(doc.correlation.timespan), `${doc.title}: timespan`).toBeGreaterThan(0);
    }
    // Only the outermost document of a correlation chain raises alerts: it comes first.
    if (file.docs.length > 1) expect(file.docs[0]!.correlation).toBeDefined();
  });

  it.each(files.map((f) => [name(f), f] as const))('%s resolves every field in strict mode', (_n, file) => {
    const problems: string[] = [];
    for (const doc of file.docs) {
      if (doc.detection) {
        const mappings = applicableMappings(doc.logsource ?? {});
        if (mappings.length !== 1) {
          problems.push(`${doc.title}: ${mappings.length} mappings apply`);
          continue;
        }
        for (const field of detectionFields(doc.detection)) {
          if (lookupField(mappings[0]!, field) === null) problems.push(`${doc.title}: ${field}`);
        }
      }
      if (doc.correlation) {
        const fields = [...(doc.correlation['group-by'] ?? []), ...(typeof doc.correlation.condition?.field === 'string' ? [doc.correlation.condition.field] : [])];
        for (const base of baseRules(doc, file)) {
          const [mapping] = applicableMappings(base.logsource ?? {});
          for (const field of fields) {
            const aliased = doc.correlation.aliases?.[field]?.[base.name ?? ''] ?? field;
            const targets = mapping ? lookupField(mapping, aliased) : null;
            // Correlations group and count on one value per event: no list paths.
            if (targets === null || targets.some((t) => t.kind === 'json' && t.path.some((s) => s.array))) problems.push(`${doc.title}: ${aliased} in ${base.title}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(files.map((f) => [name(f), f] as const))('%s has test events in the format of the README', (_n, file) => {
    expect(existsSync(file.testsPath), relative(repoRoot, file.testsPath)).toBe(true);
    const tests = readTests(file.testsPath);
    const outer = file.docs[0]!;
    if (outer.correlation) {
      const sequences = tests.sequences ?? [];
      expect(tests.positives ?? []).toEqual([]);
      expect(sequences.some((s) => s.expect === 'match'), 'a sequence that matches').toBe(true);
      expect(sequences.some((s) => s.expect === 'no_match'), 'a near miss').toBe(true);
    } else {
      expect(tests.sequences ?? []).toEqual([]);
      expect((tests.positives ?? []).length, 'positives').toBeGreaterThan(0);
      expect((tests.negatives ?? []).length, 'negatives').toBeGreaterThan(0);
    }
  });

  it.each(files.map((f) => [name(f), f] as const))('%s: every test event is a valid record of a source the rule reads', async (_n, file) => {
    const tests = readTests(file.testsPath);
    const sources = new Set(baseRules(file.docs[0]!, file).flatMap((r) => applicableMappings(r.logsource ?? {}).flatMap((m) => m.sources)));
    const events = [...(tests.positives ?? []), ...(tests.negatives ?? []), ...(tests.sequences ?? []).flatMap((s) => s.events)];
    const problems: string[] = [];
    for (const [i, item] of events.entries()) {
      const source = item.source ?? tests.source;
      const label = item.name ?? `event ${i + 1}`;
      if (!sources.has(source)) problems.push(`${label}: source ${source} is not read by the rule (${[...sources].join(', ')})`);
      const parsed = await parseTestEvent(source, item.event);
      if (typeof parsed === 'string') problems.push(`${label}: ${parsed}`);
      else if (parsed.length !== 1) problems.push(`${label}: ${parsed.length} events instead of one`);
    }
    expect(problems).toEqual([]);
  });

  it.each(files.filter((f) => f.docs[0]!.correlation).map((f) => [name(f), f] as const))(
    '%s tests a matching sequence that straddles a clock-aligned window boundary',
    async (_n, file) => {
      const tests = readTests(file.testsPath);
      const span = timespanMs(file.docs[0]!.correlation!.timespan);
      let straddles = false;
      for (const sequence of (tests.sequences ?? []).filter((s) => s.expect === 'match')) {
        const times: number[] = [];
        for (const item of sequence.events) {
          const parsed = await parseTestEvent(item.source ?? tests.source, item.event);
          if (typeof parsed !== 'string') times.push(...parsed.map((e) => Date.parse(e.event_time)));
        }
        if (Math.floor(Math.min(...times) / span) !== Math.floor(Math.max(...times) / span)) straddles = true;
      }
      expect(straddles).toBe(true);
    },
  );
});

// ---- Through the engine ----------------------------------------------------------------------------------------

interface CompiledFile {
  readonly outer: SigmaDocumentIR;
  readonly rules: readonly ResolvedRule[];
  readonly correlations: readonly SigmaCorrelationIR[];
}

/** Parses a rule file with the engine's parser and resolves its rules in strict mode; throws on any error. */
function compileFile(file: RuleFile): CompiledFile {
  const parsed = parseSigmaDocuments(readFileSync(file.path, 'utf8'), relative(repoRoot, file.path));
  if (!parsed.ok) throw new Error(`parse: ${JSON.stringify(parsed.errors)}`);
  const rules: ResolvedRule[] = [];
  const correlations: SigmaCorrelationIR[] = [];
  for (const doc of parsed.value) {
    if (doc.kind === 'correlation') {
      correlations.push(doc);
      continue;
    }
    const resolved = resolveRule(doc, sigmaMappings, { strict: true });
    if (!resolved.ok) throw new Error(`resolve ${doc.title}: ${JSON.stringify(resolved.errors)}`);
    rules.push(resolved.value);
  }
  return { outer: parsed.value[0]!, rules, correlations };
}

/** A fresh events table (migrations/0001_init.sql) holding the given stored events. */
function eventsDatabase(events: readonly StoredEvent[]): DatabaseSync {
  const migration = readFileSync(join(repoRoot, 'migrations/0001_init.sql'), 'utf8');
  const db = new DatabaseSync(':memory:');
  db.exec(/CREATE TABLE events \([\s\S]*?\n\);/.exec(migration)![0]);
  const columns = (db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map((c) => c.name);
  const insert = db.prepare(`INSERT INTO events (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  for (const event of events) {
    const row = event as unknown as Record<string, unknown>;
    insert.run(...columns.map((c) => (typeof row[c] === 'boolean' ? (row[c] ? 1 : 0) : ((row[c] ?? null) as string | number | null))));
  }
  return db;
}

function runSql(db: DatabaseSync, query: CompiledQuery): Record<string, unknown>[] {
  return db.prepare(query.sql).all(...(query.params as (string | number | null)[])) as Record<string, unknown>[];
}

/** Parses every event of a list, giving each a unique storage key (its index). */
async function storedEvents(defaultSource: string, items: readonly { source?: string; event: Record<string, unknown> | string }[]): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (const [i, item] of items.entries()) {
    const parsed = await parseTestEvent(item.source ?? defaultSource, item.event);
    if (typeof parsed === 'string') throw new Error(parsed);
    for (const event of parsed) events.push({ ...event, event_uid: `t:${i}` });
  }
  return events;
}

const singleRuleFiles = files.filter((f) => !f.docs[0]!.correlation);
const correlationFiles = files.filter((f) => f.docs[0]!.correlation);

describe('the Sigma rules library through the engine', () => {
  it.each(files.map((f) => [name(f), f] as const))('%s parses and resolves in strict mode', (_n, file) => {
    expect(() => compileFile(file)).not.toThrow();
  });

  it.each(singleRuleFiles.map((f) => [name(f), f] as const))('%s: positives match and negatives do not (streaming matcher)', async (_n, file) => {
    const { rules } = compileFile(file);
    const rule = rules[0]!;
    const matches = compileMatcher(rule);
    const tests = readTests(file.testsPath);
    const verdicts = async (items: RuleTestsFile['positives']) => {
      const out: Record<string, boolean> = {};
      for (const [i, item] of (items ?? []).entries()) {
        const [event] = await storedEvents(tests.source, [item]);
        const columns = { ...event! } as Record<string, unknown>;
        out[item.name ?? `event ${i + 1}`] = rule.sources.includes(event!.source) && matches({ columns, raw: JSON.parse(event!.raw) });
      }
      return out;
    };
    const positives = await verdicts(tests.positives);
    const negatives = await verdicts(tests.negatives);
    expect(positives).toEqual(Object.fromEntries(Object.keys(positives).map((k) => [k, true])));
    expect(negatives).toEqual(Object.fromEntries(Object.keys(negatives).map((k) => [k, false])));
  });

  it.each(singleRuleFiles.map((f) => [name(f), f] as const))('%s: the D1 query selects the positives and no negative', async (_n, file) => {
    const { rules } = compileFile(file);
    const rule = rules[0]!;
    const tests = readTests(file.testsPath);
    const items = [...(tests.positives ?? []), ...(tests.negatives ?? [])];
    const events = await storedEvents(tests.source, items);
    const compiled = compileRuleSql(rule, 'd1');
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
    const matches = compileMatcher(rule);
    const selected = runSql(eventsDatabase(events), compiled.value)
      // A query that selects a superset is confirmed row by row, as the scheduled detector does.
      .filter((row) => !compiled.value.needsConfirmation || matches({ columns: row, raw: JSON.parse(String(row.raw)) }))
      .map((row) => Number(String(row.event_uid).slice(2)))
      .sort((a, b) => a - b);
    const names = selected.map((i) => items[i]!.name ?? `event ${i + 1}`);
    expect(names).toEqual((tests.positives ?? []).map((p, i) => p.name ?? `event ${i + 1}`));
  });

  it.each(correlationFiles.map((f) => [name(f), f] as const))('%s: each sequence fires or not on D1 as the file says', async (_n, file) => {
    const { outer, rules, correlations } = compileFile(file);
    const tests = readTests(file.testsPath);
    const index = indexRulesByIdOrName([...rules, ...correlations] as CorrelationInput[]);
    const compiled = compileCorrelationSql(outer as SigmaCorrelationIR, index, 'd1');
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
    const outcome: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const sequence of tests.sequences ?? []) {
      const rows = runSql(eventsDatabase(await storedEvents(tests.source, sequence.events)), compiled.value);
      outcome[sequence.name] = rows.length > 0 ? 'match' : 'no_match';
      expected[sequence.name] = sequence.expect;
    }
    expect(outcome).toEqual(expected);
  });
});
