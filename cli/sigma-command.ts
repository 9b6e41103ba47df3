/**
 * `mantissa sigma convert` and `mantissa sigma test`: the Sigma engine from the command line, with the same
 * parser, field mappings and compilers as the Worker.
 *
 * - convert FILE|DIR: every rule (a directory is walked recursively; correlations resolve against every rule
 *   found) to SQL for one dialect. `--json`: an array of `{file, title, ok, sql, params, needsConfirmation,
 *   warnings}` or `{file, ok: false, error}`, one per rule document. Exit 1 when any rule failed. Fields the
 *   mapping does not know convert with a warning unless `--strict`.
 * - test RULE --events FILE.ndjson: which events (vendor records, read by the source's own parser) the rule
 *   selects. `--json`: `{"matched": [0-based line numbers]}`. A correlation runs its D1 SQL on an in-memory
 *   SQLite (Node's node:sqlite: the engine D1 is) and reports the lines of the events in firing groups.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DatabaseSync } from 'node:sqlite';
import type { ResolvedRule, SigmaCorrelationIR, SigmaDocumentIR, SigmaError, SqlDialectName } from '../core/sigma/ir';
import { sigmaMappings } from '../core/sigma/mappings';
import { compileMatcher } from '../core/sigma/match/compile-matcher';
import { parseSigmaDocuments } from '../core/sigma/parse/parse-documents';
import { resolveRule } from '../core/sigma/pipeline/resolve-rule';
import { compileCorrelationSql, compileRuleSql, indexRulesByIdOrName, inlineParams, type CorrelationInput } from '../core/sigma/sql/compile-sql';
import { eventColumns, type EventDraft } from '../core/schema/event';
import { splitRecords } from '../core/ingest/split-records';
import { sourceAdapters } from '../adapters/sources';
import { type CliIo, exitCodes, parseCommandLine, usageErrorOf } from './cli-io';

export const sigmaUsage = `Usage:
  mantissa sigma convert FILE|DIR --dialect d1|athena|bigquery|synapse [--json] [--inline] [--strict]
  mantissa sigma test RULE --events FILE.ndjson [--source ID] [--rules DIR] [--json] [--strict]

convert  compile Sigma rules to SQL with bound parameters (--inline: literals in place, for export);
         a field the logsource's mapping does not know is read from the raw record with a warning,
         --strict refuses it (as saving a rule for detection does)
test     list the events of FILE (vendor records, one per line) that the rule selects;
         --source picks the parser when the rule's logsource covers several sources;
         --rules DIR holds the rules a correlation refers to, when they are not in RULE itself
`;

const dialects = ['d1', 'athena', 'bigquery', 'synapse'] as const;

interface Loaded {
  file: string;
  document: SigmaDocumentIR;
}

export async function runSigmaCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('sigma', sigmaUsage, io, () =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        dialect: { type: 'string' },
        json: { type: 'boolean' },
        inline: { type: 'boolean' },
        strict: { type: 'boolean' },
        events: { type: 'string' },
        source: { type: 'string' },
        rules: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [action, target, ...extra] = positionals;
  const usageError = usageErrorOf('sigma', sigmaUsage, io);
  if (!target || extra.length > 0) return usageError('expected "sigma convert PATH" or "sigma test RULE".');
  if (action === 'convert') {
    const dialect = values.dialect as SqlDialectName | undefined;
    if (!dialect || !dialects.includes(dialect)) return usageError(`--dialect must be one of ${dialects.join(', ')}.`);
    return convert(target, dialect, { json: Boolean(values.json), inline: Boolean(values.inline), strict: Boolean(values.strict) }, io);
  }
  if (action === 'test') {
    if (!values.events) return usageError('--events FILE.ndjson is required.');
    return testRule(target, values.events, { source: values.source, rulesDir: values.rules, json: Boolean(values.json), strict: Boolean(values.strict) }, io);
  }
  return usageError(`unknown action "${action}".`);
}

function yamlFiles(path: string): string[] {
  const stat = statSync(path);
  if (stat.isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = join(path, entry.name);
      if (entry.isDirectory()) return yamlFiles(full);
      return /\.ya?ml$/.test(entry.name) && !entry.name.endsWith('.tests.yml') ? [full] : [];
    });
}

function describe(errors: readonly SigmaError[]): string {
  return errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.message}` : e.message)).join('; ');
}

/** Every document of every file, plus per-file parse failures. */
function loadAll(paths: readonly string[]): { loaded: Loaded[]; failures: { file: string; error: string }[] } {
  const loaded: Loaded[] = [];
  const failures: { file: string; error: string }[] = [];
  for (const file of paths) {
    const result = parseSigmaDocuments(readFileSync(file, 'utf8'), file);
    if (!result.ok) failures.push({ file, error: describe(result.errors) });
    else for (const document of result.value) loaded.push({ file, document });
  }
  return { loaded, failures };
}

function resolveAll(loaded: readonly Loaded[], strict: boolean) {
  const resolved = new Map<SigmaDocumentIR, ResolvedRule>();
  const warnings = new Map<SigmaDocumentIR, readonly string[]>();
  const problems = new Map<SigmaDocumentIR, string>();
  for (const { document } of loaded) {
    if (document.kind !== 'rule') continue;
    const result = resolveRule(document, sigmaMappings, { strict });
    if (result.ok) {
      resolved.set(document, result.value);
      warnings.set(document, result.warnings);
    } else problems.set(document, describe(result.errors));
  }
  const index = indexRulesByIdOrName([
    ...resolved.values(),
    ...loaded.map((l) => l.document).filter((d): d is SigmaCorrelationIR => d.kind === 'correlation'),
  ] as CorrelationInput[]);
  return { resolved, warnings, problems, index };
}

async function convert(path: string, dialect: SqlDialectName, options: { json: boolean; inline: boolean; strict: boolean }, io: CliIo): Promise<number> {
  const { json, inline, strict } = options;
  let files: string[];
  try {
    files = yamlFiles(path);
  } catch (err) {
    io.stderr(`mantissa sigma: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}\n`);
    return exitCodes.failed;
  }
  const { loaded, failures } = loadAll(files);
  const { resolved, warnings, problems, index } = resolveAll(loaded, strict);
  const results: Record<string, unknown>[] = failures.map((f) => ({ file: f.file, ok: false, error: f.error }));
  for (const { file, document } of loaded) {
    const problem = problems.get(document);
    if (problem) {
      results.push({ file, title: document.title, ok: false, error: problem });
      continue;
    }
    const compiled = document.kind === 'rule' ? compileRuleSql(resolved.get(document)!, dialect) : compileCorrelationSql(document, index, dialect);
    if (!compiled.ok) results.push({ file, title: document.title, ok: false, error: describe(compiled.errors) });
    else
      results.push({
        file,
        title: document.title,
        ok: true,
        sql: inline ? inlineParams(compiled.value) : compiled.value.sql,
        params: inline ? [] : compiled.value.params,
        needsConfirmation: compiled.value.needsConfirmation,
        warnings: warnings.get(document) ?? [],
      });
  }
  if (json) io.stdout(`${JSON.stringify(results, null, 2)}\n`);
  else
    for (const r of results) {
      if (r.ok) {
        for (const w of r.warnings as string[]) io.stderr(`⚠ ${r.file} (${String(r.title)}): ${w}\n`);
        io.stdout(`-- ${r.file}: ${String(r.title)}${r.needsConfirmation ? ' (selects a superset on this engine: confirm rows with the matcher)' : ''}\n${String(r.sql)};\n`);
        if ((r.params as unknown[]).length > 0) io.stdout(`-- params: ${JSON.stringify(r.params)}\n`);
        io.stdout('\n');
      } else io.stderr(`✗ ${r.file}${r.title ? ` (${String(r.title)})` : ''}: ${String(r.error)}\n`);
    }
  const failed = results.filter((r) => !r.ok).length;
  const warned = results.filter((r) => r.ok && (r.warnings as string[]).length > 0).length;
  io.stderr(`${results.length - failed} converted${warned ? ` (${warned} with warnings)` : ''}, ${failed} failed\n`);
  return failed ? exitCodes.failed : exitCodes.ok;
}

interface TestEvent {
  line: number;
  event: EventDraft & { raw: string };
  raw: unknown;
}

async function testRule(
  rulePath: string,
  eventsPath: string,
  options: { source: string | undefined; rulesDir: string | undefined; json: boolean; strict: boolean },
  io: CliIo,
): Promise<number> {
  const { source: sourceFlag, rulesDir, json, strict } = options;
  const files = [rulePath, ...(rulesDir ? yamlFiles(rulesDir) : [])];
  const { loaded, failures } = loadAll(files);
  if (failures.length) {
    io.stderr(`mantissa sigma: ${failures.map((f) => `${f.file}: ${f.error}`).join('\n')}\n`);
    return exitCodes.failed;
  }
  const inRule = loaded.filter((l) => l.file === rulePath);
  const main = inRule.find((l) => l.document.kind === 'correlation') ?? inRule[0];
  if (!main) {
    io.stderr(`mantissa sigma: ${rulePath} holds no rule\n`);
    return exitCodes.failed;
  }
  const { resolved, warnings, problems, index } = resolveAll(loaded, strict);
  const baseRules = main.document.kind === 'rule' ? [main.document] : referencedRules(main.document, index);
  const bases: ResolvedRule[] = [];
  for (const rule of baseRules) {
    const r = resolved.get(rule);
    if (!r) {
      io.stderr(`mantissa sigma: ${problems.get(rule) ?? `rule ${rule.title} does not resolve`}\n`);
      return exitCodes.failed;
    }
    bases.push(r);
    for (const w of warnings.get(rule) ?? []) io.stderr(`⚠ ${rule.title}: ${w}\n`);
  }

  const source = sourceFlag ?? chooseSource(bases);
  if (!source) {
    io.stderr('mantissa sigma: the rule covers several sources; name the events\' source with --source.\n');
    return exitCodes.usage;
  }
  const adapter = sourceAdapters.get(source);
  if (!adapter) {
    io.stderr(`mantissa sigma: unknown source ${source}\n`);
    return exitCodes.usage;
  }
  const split = splitRecords(readFileSync(eventsPath, 'utf8'), { text: adapter.text, textHeader: adapter.textHeader, expand: adapter.expand });
  if (!split.ok) {
    io.stderr(`mantissa sigma: ${eventsPath}: ${split.message}\n`);
    return exitCodes.failed;
  }
  const events: TestEvent[] = [];
  for (const record of split.records) {
    if (!record.ok) {
      io.stderr(`line ${record.line}: ${record.message} (skipped)\n`);
      continue;
    }
    const result = adapter.parse(record.value, { source, ingestTime: new Date().toISOString() });
    if (!result.ok) {
      io.stderr(`line ${record.line}: ${result.message} (skipped)\n`);
      continue;
    }
    const raw = result.event.raw ?? record.text;
    events.push({ line: record.line - 1, event: { ...result.event, raw }, raw: typeof record.value === 'string' ? JSON.parse(raw) : record.value });
  }

  const matchers = bases.map((b) => compileMatcher(b));
  const matchesBase = (e: TestEvent) => matchers.some((m) => m({ columns: e.event, raw: e.raw }));
  let matched: number[];
  if (main.document.kind === 'rule' && !main.document.aggregation) {
    matched = events.filter(matchesBase).map((e) => e.line);
  } else {
    const compiled = main.document.kind === 'correlation' ? compileCorrelationSql(main.document, index, 'd1') : compileRuleSql(bases[0]!, 'd1');
    if (!compiled.ok) {
      io.stderr(`mantissa sigma: ${describe(compiled.errors)}\n`);
      return exitCodes.failed;
    }
    const groups = runOnSqlite(compiled.value.sql, compiled.value.params, events);
    matched = events
      .filter((e) => matchesBase(e) && groups.some((g) => inGroup(e, g)))
      .map((e) => e.line);
  }
  if (json) io.stdout(`${JSON.stringify({ matched })}\n`);
  else io.stdout(matched.length ? `matched lines (0-based): ${matched.join(', ')}\n` : 'no event matched\n');
  return exitCodes.ok;
}

function referencedRules(correlation: SigmaCorrelationIR, index: ReadonlyMap<string, CorrelationInput>): SigmaDocumentIR[] {
  const out: SigmaDocumentIR[] = [];
  for (const ref of correlation.rules) {
    const item = index.get(ref);
    if (!item) continue;
    if ('kind' in item) out.push(...referencedRules(item, index));
    else out.push(item.rule);
  }
  return out;
}

function chooseSource(bases: readonly ResolvedRule[]): string | null {
  const sources = new Set(bases.flatMap((b) => b.sources));
  return sources.size === 1 ? [...sources][0]! : null;
}

/** Runs D1 SQL on an in-memory SQLite holding the events (the events table of migrations/0001). */
function runOnSqlite(sql: string, params: readonly unknown[], events: readonly TestEvent[]): Record<string, unknown>[] {
  const db = new DatabaseSync(':memory:');
  const columns = ['event_uid', ...eventColumns, 'batch_id'];
  db.exec(`CREATE TABLE events (${columns.map((c) => `"${c}"`).join(', ')})`);
  const insert = db.prepare(`INSERT INTO events VALUES (${columns.map(() => '?').join(', ')})`);
  for (const e of events) {
    const row = { ...e.event, event_uid: `line:${e.line}`, batch_id: 'test', event_id: e.event.event_id ?? `line:${e.line}` } as Record<string, unknown>;
    insert.run(...columns.map((c) => (typeof row[c] === 'boolean' ? Number(row[c]) : (row[c] ?? null))) as never[]);
  }
  return db.prepare(sql).all(...(params as never[])) as Record<string, unknown>[];
}

/** An event belongs to a firing group when its group columns equal the group's and its time lies in it. */
function inGroup(e: TestEvent, group: Record<string, unknown>): boolean {
  const time = e.event.event_time;
  if (typeof group.first_seen === 'string' && time < group.first_seen) return false;
  if (typeof group.last_seen === 'string' && time > group.last_seen) return false;
  for (const [key, value] of Object.entries(group)) {
    if (['first_seen', 'last_seen', 'count', 'value'].includes(key)) continue;
    if (key in e.event && String((e.event as Record<string, unknown>)[key] ?? '') !== String(value ?? '')) return false;
  }
  return true;
}


