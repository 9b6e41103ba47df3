/**
 * The mapping data against real data:
 * - every field every SigmaHQ rule of a logsource we serve uses resolves in its mapping, except the listed ones
 *   (each with the reason it cannot);
 * - every raw path a mapping names (knownFields, fields) is one the shared corpus samples or the adapters'
 *   fixtures show for its sources, read through the real splitter and parser as the ingest stores them.
 *
 * known-fields/*.ts must equal what the samples give (a test checks);
 * `UPDATE_KNOWN_FIELDS=1 npx vitest run --config vitest.unit.config.ts core/sigma/mappings/mappings.test.ts`
 * regenerates them (review the diff).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { sourceAdapters } from '../../../adapters/sources';
import { parseBatch } from '../../ingest/parse-batch';
import { parseSigmaDocuments } from '../parse/parse-documents';
import { resolveRule } from '../pipeline/resolve-rule';
import type { FieldTarget, Logsource, LogsourceMapping } from '../ir';
import { knownFieldSteps, lookupField, plainPath } from './field-targets';
import { sigmaMappings } from './index';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const corpusRoot = join(repoRoot, '../shared/corpus');
const haveCorpus = existsSync(join(corpusRoot, 'logs')) && existsSync(join(corpusRoot, 'sigma'));

/** Corpus sample folders (`logs/<dir>`) of each source. */
const corpusDirs: Readonly<Record<string, readonly string[]>> = {
  okta: ['okta'],
  entra_id: ['azure-ad'],
  google_workspace: ['google-workspace'],
  duo: ['duo'],
  onelogin: ['onelogin'],
  m365: ['m365'],
  github: ['github-audit'],
  slack: ['slack-audit'],
  onepassword: ['1password'],
  crowdstrike: ['crowdstrike'],
  snowflake: ['snowflake'],
  salesforce: ['salesforce'],
  cloudtrail: ['aws-cloudtrail'],
  azure_activity: ['azure-activity'],
  gcp_audit: ['gcp-audit'],
  guardduty: ['aws-guardduty'],
  vpc_flow: ['aws-vpcflow'],
  kubernetes_audit: ['kubernetes-audit'],
};

/** Sources with a generated known-fields file (json has none: its fields are the sender's). */
const knownFieldSources = [...sourceAdapters.keys()].filter((id) => id !== 'json');

function sampleFiles(source: string): string[] {
  const adapter = sourceAdapters.get(source)!;
  const wanted = (name: string): boolean => {
    if (name.endsWith('.golden.json') || name.endsWith('.labels.ndjson') || name === 'README.md') return false;
    if (name.endsWith('.ndjson') || name.endsWith('.json')) return true;
    if (name.endsWith('.log')) return adapter.text === 'lines';
    if (name.endsWith('.csv')) return adapter.text === 'csv';
    return false;
  };
  const dirs = [...(corpusDirs[source] ?? []).map((d) => join(corpusRoot, 'logs', d)), join(repoRoot, 'adapters', source, 'fixtures')];
  return dirs.filter(existsSync).flatMap((dir) => readdirSync(dir).filter(wanted).map((name) => join(dir, name)));
}

/** A key that a dotted path can name. */
const nameableKey = /^[^.\s"'[\]]+$/;

function collectPaths(value: unknown, prefix: string, out: Set<string>): void {
  if (Array.isArray(value)) {
    // `prefix` already ends in the list's `[]`. A list of lists cannot be written as a path (one array marker
    // per step): its insides are not listed.
    for (const item of value) {
      if (typeof item === 'object' && item !== null && !Array.isArray(item)) collectPaths(item, prefix, out);
    }
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if (prefix === '' && key.startsWith('p_')) continue; // Panther's enrichment, not the vendor's
    if (!nameableKey.test(key)) continue;
    const path = `${prefix === '' ? '' : `${prefix}.`}${key}${Array.isArray(child) ? '[]' : ''}`;
    out.add(path);
    collectPaths(child, path, out);
  }
}

const observedCache = new Map<string, Promise<Set<string>>>();

/** Raw paths of the stored events of a source's samples and fixtures. */
function observedPaths(source: string): Promise<Set<string>> {
  let cached = observedCache.get(source);
  if (!cached) {
    cached = (async () => {
      const adapter = sourceAdapters.get(source)!;
      const out = new Set<string>();
      for (const file of sampleFiles(source)) {
        const batch = await parseBatch(readFileSync(file, 'utf8'), adapter, { source, batchId: 'known-fields', ingestTime: '2026-01-01T00:00:00.000Z' });
        if (!batch.ok) continue;
        for (const event of batch.events) collectPaths(JSON.parse(event.raw), '', out);
      }
      return out;
    })();
    observedCache.set(source, cached);
  }
  return cached;
}

/** One entry per plain path, the variant with the most array markers (a key seen as both null and a list). */
function canonicalPaths(paths: Iterable<string>): Map<string, string> {
  const byPlain = new Map<string, string>();
  for (const path of paths) {
    const plain = plainPath(path);
    const seen = byPlain.get(plain);
    if (seen === undefined || path.split('[]').length > seen.split('[]').length) byPlain.set(plain, path);
  }
  return byPlain;
}

function knownFieldsModule(source: string, paths: readonly string[]): string {
  const lines = paths.map((p) => `  '${p}',`);
  return [
    '// Generated by core/sigma/mappings/mappings.test.ts (UPDATE_KNOWN_FIELDS=1) from the shared corpus samples',
    `// and adapters/${source}/fixtures: the raw JSON paths of ${source} events as stored. Do not edit by hand.`,
    'export const knownFields: readonly string[] = [',
    ...lines,
    '];',
    '',
  ].join('\n');
}

const updateKnownFields = process.env.UPDATE_KNOWN_FIELDS === '1';

describe('the shared corpus', () => {
  it('is present beside the repository (../shared/corpus: logs and sigma)', () => {
    expect(haveCorpus, corpusRoot).toBe(true);
  });
});

describe('known fields', () => {
  // Each known-fields file must be exactly what the samples give today; UPDATE_KNOWN_FIELDS=1 rewrites them.
  it.each(knownFieldSources)('known-fields for %s are up to date with the samples', async (source) => {
    const paths = [...canonicalPaths(await observedPaths(source)).values()].sort((a, b) => plainPath(a).localeCompare(plainPath(b)));
    const file = join(repoRoot, 'core/sigma/mappings/known-fields', `${source.replaceAll('_', '-')}.ts`);
    const expected = knownFieldsModule(source, paths);
    if (updateKnownFields) writeFileSync(file, expected);
    expect(paths.length).toBeGreaterThan(0);
    expect(existsSync(file) ? readFileSync(file, 'utf8') : '', `${file} is stale: run with UPDATE_KNOWN_FIELDS=1 and review the diff`).toBe(expected);
  });

  it.each(sigmaMappings.filter((m) => m.knownFields !== undefined && m.knownFields.length > 0).map((m) => [describeLogsource(m.logsource), m] as const))(
    'lists only raw paths the samples of %s show',
    async (_name, mapping) => {
      const observed = new Set<string>();
      for (const source of mapping.sources) for (const p of await observedPaths(source)) observed.add(plainPath(p));
      const unseen = mapping.knownFields!.filter((entry) => !observed.has(plainPath(entry.endsWith('.*') ? entry.slice(0, -2) : entry)));
      expect(unseen).toEqual([]);
    },
  );

  it.each(sigmaMappings.filter((m) => m.knownFields !== undefined).map((m) => [describeLogsource(m.logsource), m] as const))(
    'maps the fields of %s to raw paths its known fields admit',
    (_name, mapping) => {
      // A field may list the places its value has in every delivery shape (Graph or diagnostic export,
      // bare or in EventBridge): at least one of them must be a place our samples show.
      const stray: string[] = [];
      for (const [name, value] of Object.entries(mapping.fields)) {
        const targets: readonly FieldTarget[] = Array.isArray(value) ? value : [value as FieldTarget];
        const found = targets.some((t) => t.kind === 'column' || knownFieldSteps(mapping.knownFields!, t.path.map((s) => s.key).join('.')) !== null);
        if (!found) stray.push(name);
      }
      expect(stray).toEqual([]);
    },
  );
});

/** The mappings that apply to a logsource: every key the mapping sets equals the rule's (pySigma's condition). */
function mappingsFor(logsource: Logsource): LogsourceMapping[] {
  const keys = ['product', 'service', 'category'] as const;
  return sigmaMappings.filter((m) => keys.every((k) => m.logsource[k] === undefined || m.logsource[k].toLowerCase() === logsource[k]?.toLowerCase()));
}

function describeLogsource(logsource: Logsource): string {
  return Object.entries(logsource)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

// ---- SigmaHQ rules ------------------------------------------------------------------------------------------

const ruleDirs = ['rules/cloud', 'rules/identity', 'rules/application', 'rules-threat-hunting/cloud', 'rules-placeholder'];

interface CorpusRule {
  readonly file: string;
  readonly logsource: Logsource;
  readonly fields: readonly string[];
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.yml'))
    .map((name) => join(dir, name));
}

/** Field names a detection uses: keys before their modifiers, and fields named by `fieldref`. */
function detectionFields(detection: Record<string, unknown>): string[] {
  const fields = new Set<string>();
  const visitMap = (map: Record<string, unknown>): void => {
    for (const [key, value] of Object.entries(map)) {
      const [field, ...modifiers] = key.split('|');
      if (field) fields.add(field);
      if (modifiers.includes('fieldref')) for (const ref of [value].flat()) if (typeof ref === 'string') fields.add(ref);
    }
  };
  for (const [name, search] of Object.entries(detection)) {
    if (name === 'condition' || name === 'timeframe') continue;
    if (Array.isArray(search)) {
      for (const item of search) if (typeof item === 'object' && item !== null) visitMap(item as Record<string, unknown>);
    } else if (typeof search === 'object' && search !== null) {
      visitMap(search as Record<string, unknown>);
    }
  }
  return [...fields];
}

function corpusRules(): CorpusRule[] {
  const rules: CorpusRule[] = [];
  for (const dir of ruleDirs) {
    for (const file of yamlFiles(join(corpusRoot, 'sigma', dir))) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const rule = doc.toJS() as { logsource?: Logsource; detection?: Record<string, unknown> } | null;
        if (!rule?.logsource || !rule.detection) continue;
        rules.push({ file: file.slice(join(corpusRoot, 'sigma').length + 1), logsource: rule.logsource, fields: detectionFields(rule.detection) });
      }
    }
  }
  return rules;
}

/** Products of the corpus we do not collect. */
const notCollected = new Set(['bitbucket', 'django', 'jvm', 'nodejs', 'opencanary', 'python', 'rpc_firewall', 'ruby_on_rails', 'spring', 'sql', 'velocity']);

/**
 * Fields of served corpus rules that resolve to nothing, and why. A field fixed by new samples or a new
 * mapping fails this test until it is removed here.
 */
const expectedUnmapped: Readonly<Record<string, string>> = {
  'rules-placeholder/cloud/azure/audit_logs/azure_ad_account_created_deleted_nonapproved_user.yml: Initiatied.By':
    "a misspelling of Log Analytics' InitiatedBy (mapped as `InitiatedBy`/`Initiatedby`); a placeholder rule",
  'rules/cloud/azure/audit_logs/azure_app_end_user_consent.yml: ConsentContext.IsAdminConsent':
    'the displayName of a targetResources[].modifiedProperties[] entry whose newValue holds the value (JSON text, quotes included): a name/value pair, which a field mapping cannot select',
  'rules/cloud/azure/signin_logs/azure_app_device_code_authentication.yml: properties.message':
    'sign-ins carry no message text; the protocol is properties.authenticationProtocol, with other values (deviceCode, not "Device Code")',
  'rules/cloud/azure/signin_logs/azure_app_ropc_authentication.yml: properties.message':
    'sign-ins carry no message text; the protocol is properties.authenticationProtocol, with other values (ropc, not "ROPC")',
  'rules/cloud/azure/signin_logs/azure_legacy_authentication_protocols.yml: ActivityDetails':
    'a column of an old portal CSV export ("Sign-ins"); neither Graph nor the diagnostic export has it (the mapping already selects sign-ins)',
  'rules/cloud/m365/audit/microsoft365_suspicious_email_delivered.yml: DeliveryAction':
    'a documented ThreatIntelligence (TIMailData) record field; no such record in our samples or fixtures',
  'rules/cloud/m365/audit/microsoft365_suspicious_email_delivered.yml: Directionality':
    'a documented ThreatIntelligence (TIMailData) record field; no such record in our samples or fixtures',
  'rules/cloud/m365/threat_management/microsoft365_pst_export_alert_using_new_compliancesearchaction.yml: Payload':
    "Splunk's name for a Security & Compliance alert's data, which the Management API sends in `Data` (JSON text); no such alert in our samples or fixtures",
};

/**
 * Fields our data admits only through a `.*` entry (an API's free-form object, path not in our samples): the
 * pipeline resolves them, strict mode included, to the raw path of the same name.
 */
const admittedOnlyThroughOpenObjects = [
  'rules/cloud/aws/cloudtrail/aws_ecs_task_definition_cred_endpoint_query.yml: requestParameters.containerDefinitions.command',
  'rules/cloud/aws/cloudtrail/aws_new_lambda_layer_attached.yml: requestParameters.layers',
  'rules/identity/okta/okta_new_behaviours_admin_console.yml: debugContext.debugData.behaviors',
];

describe('SigmaHQ rules of the logsources we collect', () => {
  const rules = haveCorpus ? corpusRules() : [];

  it('finds the corpus rules', () => {
    expect(rules.length).toBeGreaterThan(300);
  });

  it('serves every rule of a product we collect with exactly one mapping', () => {
    const problems = rules
      .filter((r) => !notCollected.has(r.logsource.product ?? ''))
      .map((r) => [r.file, mappingsFor(r.logsource).length] as const)
      .filter(([, n]) => n !== 1);
    expect(problems).toEqual([]);
  });

  it('serves no rule of a product we do not collect', () => {
    const served = rules.filter((r) => notCollected.has(r.logsource.product ?? '') && mappingsFor(r.logsource).length > 0).map((r) => r.file);
    expect(served).toEqual([]);
  });

  it('resolves every field of the rules it serves, except the listed ones', () => {
    const unmapped: Record<string, string> = {};
    for (const rule of rules) {
      const [mapping] = mappingsFor(rule.logsource);
      if (!mapping) continue;
      for (const field of rule.fields) {
        const key = `${rule.file}: ${field}`;
        if (lookupField(mapping, field) === null) unmapped[key] = expectedUnmapped[key] ?? 'UNEXPLAINED';
      }
    }
    expect(unmapped).toEqual(expectedUnmapped);
  });

  it('lists the fields only a `.*` entry admits', () => {
    const throughOpenObjects: string[] = [];
    for (const rule of rules) {
      const [mapping] = mappingsFor(rule.logsource);
      if (!mapping?.knownFields) continue;
      const concrete = { ...mapping, knownFields: mapping.knownFields.filter((e) => !e.endsWith('.*')) };
      for (const field of rule.fields) {
        if (lookupField(mapping, field) !== null && lookupField(concrete, field) === null) throughOpenObjects.push(`${rule.file}: ${field}`);
      }
    }
    expect(throughOpenObjects.sort()).toEqual([...admittedOnlyThroughOpenObjects].sort());
  });

  it('resolves them through the real pipeline in strict mode, refusing exactly the unmapped fields', () => {
    const refused = new Set<string>();
    const otherErrors: string[] = [];
    for (const file of [...new Set(rules.map((r) => r.file))]) {
      const text = readFileSync(join(corpusRoot, 'sigma', file), 'utf8');
      // Placeholder rules (%name%) need values from the user: any value will do here.
      const placeholders = Object.fromEntries([...text.matchAll(/%([A-Za-z0-9_]+)%/g)].map((m) => [m[1]!, ['placeholder']]));
      const parsed = parseSigmaDocuments(text, file, { placeholders });
      if (!parsed.ok) {
        otherErrors.push(`${file}: ${parsed.errors.map((e) => e.message).join('; ')}`);
        continue;
      }
      for (const doc of parsed.value) {
        if (doc.kind !== 'rule' || mappingsFor(doc.logsource).length === 0) continue;
        const resolved = resolveRule(doc, sigmaMappings, { strict: true });
        if (resolved.ok) continue;
        for (const error of resolved.errors) {
          const field = error.code === 'unmapped_field' ? /Field "([^"]+)"/.exec(error.message)?.[1] : undefined;
          if (field) refused.add(`${file}: ${field}`);
          else otherErrors.push(`${file}: ${error.message}`);
        }
      }
    }
    expect(otherErrors).toEqual([]);
    expect([...refused].sort()).toEqual(Object.keys(expectedUnmapped).sort());
  });
});

describe('the mapping list', () => {
  it('has one mapping per logsource', () => {
    const names = sigmaMappings.map((m) => describeLogsource(m.logsource));
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('names only sources we ingest', () => {
    expect(sigmaMappings.flatMap((m) => m.sources).filter((s) => !sourceAdapters.has(s))).toEqual([]);
  });

  it('covers every source we ingest', () => {
    const mapped = new Set(sigmaMappings.flatMap((m) => m.sources));
    expect([...sourceAdapters.keys()].filter((s) => !mapped.has(s))).toEqual([]);
  });
});
