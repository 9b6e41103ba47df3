/**
 * Rules and their events, as the differential suite and the benchmark read them:
 * - the project's rules library (rules/sigma/, format in its README): every rule file, compiled through the
 *   real engine (strict), and every test event of every `.tests.yml`, through the real ingest parsing of its
 *   source (adapters/sources.ts, parseBatch), as stored rows;
 * - the SigmaHQ regression pairs of the corpus (sigma/regression_data/**: info.yml + the event(s)), with the
 *   rule each names: Windows events (`{Event: {System, EventData | UserData}}`) through the generic `json`
 *   source, the Cisco line through `syslog`, and a test mapping that serves the rule's logsource from that
 *   source, each field read where Windows puts it (EventData — also with Defender's spaced names —, System,
 *   UserData, Provider's Name);
 * - the corpus' sample logs (logs/<source dir>), through the real parsers, p_* keys dropped.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { sourceAdapters } from '../../../adapters/sources';
import { parseBatch, type StoredEvent } from '../../ingest/parse-batch';
import type { FieldTarget, LogsourceMapping, ResolvedRule, SigmaCorrelationIR, SigmaDocumentIR, SigmaRuleIR } from '../ir';
import { sigmaMappings } from '../mappings/index';
import { parseSigmaDocuments } from '../parse/parse-documents';
import { resolveRule } from '../pipeline/resolve-rule';
import { corpusPlaceholders, corpusSigmaRules, repoRoot, requireCorpusPath } from './corpus';
import { fieldPredicates } from './field-table';

const ingestTime = '2026-11-27T12:00:00.000Z';

/** Parses one record (or text line) with a source's real parser; throws unless it yields events. */
export async function storeRecords(source: string, body: string, batchId: string): Promise<StoredEvent[]> {
  const adapter = sourceAdapters.get(source);
  if (!adapter) throw new Error(`unknown source ${source}`);
  const batch = await parseBatch(body, adapter, { source, batchId, ingestTime });
  if (!batch.ok) throw new Error(`${source}: ${batch.message}`);
  if (batch.deadLetters.length) throw new Error(`${source}: ${batch.deadLetters.map((d) => d.message).join('; ')}`);
  return batch.events;
}

// ---- the rules library -------------------------------------------------------------------------------------

export interface LibraryFile {
  /** Relative to rules/sigma/. */
  readonly name: string;
  readonly docs: readonly SigmaDocumentIR[];
  readonly rules: readonly ResolvedRule[];
  readonly correlations: readonly SigmaCorrelationIR[];
  /** The outermost document (the correlation of a correlation file). */
  readonly outer: SigmaDocumentIR;
}

interface TestItem {
  readonly name?: string;
  readonly source?: string;
  readonly event: Record<string, unknown> | string;
}

interface TestsFile {
  readonly source: string;
  readonly positives?: readonly TestItem[];
  readonly negatives?: readonly TestItem[];
  readonly sequences?: readonly { readonly name: string; readonly expect: 'match' | 'no_match'; readonly events: readonly TestItem[] }[];
}

export interface LibraryEvent {
  readonly file: string;
  readonly kind: 'positive' | 'negative' | 'sequence';
  readonly sequence?: string;
  readonly expect?: 'match' | 'no_match';
  readonly name: string;
  readonly row: StoredEvent;
}

const rulesRoot = join(repoRoot, 'rules', 'sigma');

export function libraryFiles(): LibraryFile[] {
  if (!existsSync(rulesRoot)) throw new Error(`${rulesRoot} is missing`);
  return readdirSync(rulesRoot, { recursive: true, encoding: 'utf8' })
    .filter((n) => n.endsWith('.yml') && !n.endsWith('.tests.yml'))
    .sort()
    .map((name) => {
      const parsed = parseSigmaDocuments(readFileSync(join(rulesRoot, name), 'utf8'), `rules/sigma/${name}`);
      if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.errors)}`);
      const rules = parsed.value.flatMap((doc): ResolvedRule[] => {
        if (doc.kind !== 'rule') return [];
        const resolved = resolveRule(doc, sigmaMappings, { strict: true });
        if (!resolved.ok) throw new Error(`${name}: ${JSON.stringify(resolved.errors)}`);
        return [resolved.value];
      });
      const correlations = parsed.value.filter((d): d is SigmaCorrelationIR => d.kind === 'correlation');
      return { name, docs: parsed.value, rules, correlations, outer: parsed.value[0]! };
    });
}

/** Every test event of the library, each stored with a unique event_uid (`lib:<n>`). */
export async function libraryEvents(): Promise<LibraryEvent[]> {
  const out: LibraryEvent[] = [];
  for (const name of readdirSync(rulesRoot, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.tests.yml')).sort()) {
    const [doc] = parseAllDocuments(readFileSync(join(rulesRoot, name), 'utf8'), { merge: true });
    const tests = doc!.toJS({ maxAliasCount: -1 }) as TestsFile;
    const file = name.replace(/\.tests\.yml$/, '.yml');
    const add = async (item: TestItem, kind: LibraryEvent['kind'], index: number, sequence?: { name: string; expect: 'match' | 'no_match' }) => {
      const source = item.source ?? tests.source;
      const body = typeof item.event === 'string' ? item.event : JSON.stringify(item.event);
      for (const row of await storeRecords(source, body, 'lib')) {
        out.push({
          file,
          kind,
          name: item.name ?? `${kind} ${index + 1}`,
          ...(sequence ? { sequence: sequence.name, expect: sequence.expect } : {}),
          row: { ...row, event_uid: `lib:${out.length}` },
        });
      }
    };
    for (const [i, item] of (tests.positives ?? []).entries()) await add(item, 'positive', i);
    for (const [i, item] of (tests.negatives ?? []).entries()) await add(item, 'negative', i);
    for (const sequence of tests.sequences ?? []) for (const [i, item] of sequence.events.entries()) await add(item, 'sequence', i, sequence);
  }
  return out;
}

// ---- SigmaHQ regression pairs ----------------------------------------------------------------------------------

export interface RegressionPair {
  /** The info.yml, relative to the corpus' sigma/ folder. */
  readonly info: string;
  readonly ruleId: string;
  readonly ruleFile: string;
  readonly rule: SigmaRuleIR;
  /** The positive event files (relative to sigma/), each possibly holding several events. */
  readonly eventFiles: readonly string[];
  /** Events of the pair, as stored rows (event_uid `reg:<n>`). */
  readonly events: readonly StoredEvent[];
}

/** Several pretty-printed JSON documents one after another (13 regression files are like that). */
export function parseJsonStream(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if (c === '}' || c === ']') {
      if (--depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  return out;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

export async function regressionPairs(): Promise<RegressionPair[]> {
  const sigmaDir = requireCorpusPath('sigma');
  const regressionDir = requireCorpusPath('sigma/regression_data');
  const rulesById = new Map<string, { file: string; rule: SigmaRuleIR }>();
  const listed = readFileSync(join(sigmaDir, 'regression_rules.txt'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  for (const file of new Set([...listed, ...corpusSigmaRules().map((r) => r.file)])) {
    const parsed = parseSigmaDocuments(readFileSync(join(sigmaDir, file), 'utf8'), file, { placeholders: corpusPlaceholders });
    if (!parsed.ok) continue;
    for (const doc of parsed.value) if (doc.kind === 'rule' && doc.id) rulesById.set(doc.id, { file, rule: doc });
  }
  const pairs: RegressionPair[] = [];
  let n = 0;
  for (const info of files(regressionDir).filter((f) => f.endsWith('info.yml')).sort()) {
    const meta = parseYaml(readFileSync(info, 'utf8')) as { rule_metadata?: { id: string }[] };
    const ruleId = meta.rule_metadata?.[0]?.id;
    const found = ruleId ? rulesById.get(ruleId) : undefined;
    if (!ruleId || !found) throw new Error(`${relative(sigmaDir, info)}: rule ${ruleId} is not in the corpus`);
    const dir = info.slice(0, -'info.yml'.length);
    const eventFiles = readdirSync(dir).filter((f) => f !== 'info.yml').sort();
    const events: StoredEvent[] = [];
    for (const f of eventFiles) {
      const text = readFileSync(join(dir, f), 'utf8');
      const stored = f.endsWith('.raw')
        ? await storeRecords('syslog', text.trim(), 'reg')
        : await storeRecords('json', parseJsonStream(text).map((e) => JSON.stringify(e)).join('\n'), 'reg');
      for (const row of stored) events.push({ ...row, event_uid: `reg:${n++}` });
    }
    pairs.push({ info: relative(sigmaDir, info), ruleId, ruleFile: found.file, rule: found.rule, eventFiles: eventFiles.map((f) => relative(sigmaDir, join(dir, f))), events });
  }
  return pairs;
}

const json = (...keys: string[]): FieldTarget => ({ kind: 'json', path: keys.map((key) => ({ key, array: false })) });

/**
 * The test mapping of a regression rule: any logsource, read from the source its events went through (`json`
 * for Windows events, `syslog` for the Cisco line), each field where Windows event JSON puts it.
 */
export function regressionMapping(rule: SigmaRuleIR, sources: readonly string[], userDataKeys: readonly string[]): LogsourceMapping {
  const fields: Record<string, FieldTarget[]> = {};
  for (const field of fieldPredicates([rule]).keys()) {
    const special: FieldTarget[] = field === 'Provider_Name' ? [json('Event', 'System', 'Provider', '#attributes', 'Name')] : [];
    // Defender writes its data names with spaces ('Threat Name'); Sigma's field names drop them (ThreatName).
    const spaced = field.replace(/([a-z])([A-Z])/g, '$1 $2');
    const spacedTarget = spaced !== field ? [json('Event', 'EventData', spaced)] : [];
    fields[field] = [
      ...special,
      json('Event', 'EventData', field),
      ...spacedTarget,
      json('Event', 'System', field),
      ...userDataKeys.map((k) => json('Event', 'UserData', k, field)),
    ];
  }
  return { logsource: {}, sources: [...sources], fields };
}

// ---- the corpus' sample logs ----------------------------------------------------------------------------------

/** Corpus log folders by source id (as scripts/sources-coverage.mjs and bench/normalize.bench.ts read them). */
export const corpusLogDirs: Readonly<Record<string, string>> = {
  onepassword: '1password',
  cloudtrail: 'aws-cloudtrail',
  guardduty: 'aws-guardduty',
  vpc_flow: 'aws-vpcflow',
  azure_activity: 'azure-activity',
  entra_id: 'azure-ad',
  crowdstrike: 'crowdstrike',
  duo: 'duo',
  gcp_audit: 'gcp-audit',
  github: 'github-audit',
  google_workspace: 'google-workspace',
  kubernetes_audit: 'kubernetes-audit',
  m365: 'm365',
  okta: 'okta',
  onelogin: 'onelogin',
  salesforce: 'salesforce',
  slack: 'slack-audit',
  snowflake: 'snowflake',
};

/** Every NDJSON sample of the corpus through its source's parser (lines it rejects are left out). */
export async function corpusLogEvents(): Promise<StoredEvent[]> {
  const logs = requireCorpusPath('logs');
  const out: StoredEvent[] = [];
  for (const [source, dir] of Object.entries(corpusLogDirs)) {
    const path = join(logs, dir);
    if (!existsSync(path)) continue;
    const adapter = sourceAdapters.get(source)!;
    for (const file of readdirSync(path).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson') && !f.includes('cribl-parsed')).sort()) {
      const lines = readFileSync(join(path, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_')))));
      const batch = await parseBatch(lines.join('\n'), adapter, { source, batchId: 'corpus', ingestTime });
      if (batch.ok) for (const row of batch.events) out.push({ ...row, event_uid: `log:${out.length}` });
    }
  }
  return out;
}
