/**
 * The Sigma coverage report (docs/sigma-coverage.md, written by scripts/sigma-coverage.mjs): every SigmaHQ rule
 * file of the shared corpus through the real engine — is its logsource one we collect (a mapping of
 * `mappings/` applies), does it parse, resolve, and compile in each of our four dialects (and where does the
 * query need confirmation by the matcher) — with the reason wherever it stops.
 *
 * Resolution is tried strictly first (every field known to the mapping: what saving a rule for detection
 * requires); a file refused there is converted as `mantissa sigma convert` does by default (unknown fields read
 * from the raw record under their own name, with a warning), and the report keeps both answers apart.
 *
 * A file is one row: its rules and correlations together (a correlation needs its rules). Its logsource is
 * collected when every detection rule's logsource has a mapping. Pure apart from reading the corpus; the
 * output holds no time or machine detail, so the committed document changes only when the result does.
 */
import { parseAllDocuments } from 'yaml';
import type { Logsource, ResolvedRule, SigmaCorrelationIR, SigmaError, SigmaRuleIR, SqlDialectName } from '../ir';
import { sigmaMappings } from '../mappings/index';
import { parseSigmaDocuments } from '../parse/parse-documents';
import { describeLogsource, resolveRule, selectLogsourceMapping } from '../pipeline/resolve-rule';
import { compileCorrelationSql, compileRuleSql, indexRulesByIdOrName } from '../sql/compile-sql';
import { corpusPlaceholders, corpusSigmaRules, sigmaRuleDirectories, type CorpusRuleFile } from './corpus';
import { sqlDialectNames } from './convert-vector';

export type DialectResult = { readonly ok: true; readonly needsConfirmation: boolean; readonly bytes: number } | { readonly ok: false; readonly reason: string };

export interface CoverageRow {
  readonly file: string;
  readonly directory: CorpusRuleFile['directory'];
  readonly title: string;
  readonly logsource: string;
  readonly collected: boolean;
  /** Sources the file's rules read (when collected). */
  readonly sources: readonly string[];
  readonly parse: { readonly ok: boolean; readonly reason?: string };
  /** Strict resolution: every field known to the mapping. */
  readonly resolve: { readonly ok: boolean; readonly reason?: string } | null;
  /** When strict resolution refused the file: did it resolve with the unknown fields read as written? */
  readonly lenient: { readonly ok: boolean; readonly reason?: string } | null;
  readonly dialects: Readonly<Record<SqlDialectName, DialectResult>> | null;
}

const describeErrors = (errors: readonly SigmaError[]) =>
  [...new Set(errors.map((e) => `${e.code}: ${e.message}${e.location ? ` (line ${e.location.line})` : ''}`))].join('; ');

/** Logsources of a file's detection documents, read from the YAML itself (also when it does not parse). */
function rawLogsources(text: string): Logsource[] {
  try {
    return parseAllDocuments(text)
      .map((d) => d.toJS({ maxAliasCount: 100 }) as { logsource?: Record<string, unknown>; detection?: unknown } | null)
      .filter((d) => d && typeof d === 'object' && d.detection !== undefined)
      .map((d) => {
        const ls = d!.logsource ?? {};
        const str = (k: string) => (typeof ls[k] === 'string' ? (ls[k] as string) : undefined);
        const out: { product?: string; service?: string; category?: string } = {};
        for (const key of ['product', 'service', 'category'] as const) if (str(key) !== undefined) out[key] = str(key);
        return out;
      });
  } catch {
    return [];
  }
}

function titleOf(text: string): string {
  const m = /^title:\s*(.+)$/m.exec(text);
  return m ? m[1]!.trim().replace(/^['"]|['"]$/g, '') : '';
}

export function coverageRow(input: CorpusRuleFile): CoverageRow {
  const logsources = rawLogsources(input.text);
  const logsource = [...new Set(logsources.map(describeLogsource))].join(' / ') || '(none)';
  const collected = logsources.length > 0 && logsources.every((ls) => selectLogsourceMapping(ls, sigmaMappings) !== null);
  const base = { file: input.file, directory: input.directory, title: titleOf(input.text), logsource, collected };
  const parsed = parseSigmaDocuments(input.text, input.file, { placeholders: corpusPlaceholders });
  if (!parsed.ok) return { ...base, sources: [], parse: { ok: false, reason: describeErrors(parsed.errors) }, resolve: null, lenient: null, dialects: null };
  if (!collected) return { ...base, sources: [], parse: { ok: true }, resolve: null, lenient: null, dialects: null };

  const resolveAll = (strict: boolean) => {
    const rules: ResolvedRule[] = [];
    const errors: SigmaError[] = [];
    for (const doc of parsed.value) {
      if (doc.kind !== 'rule') continue;
      const resolved = resolveRule(doc as SigmaRuleIR, sigmaMappings, { strict });
      if (resolved.ok) rules.push(resolved.value);
      else errors.push(...resolved.errors);
    }
    return { rules, errors };
  };
  const strict = resolveAll(true);
  const lenient = strict.errors.length ? resolveAll(false) : null;
  const rules = lenient ? lenient.rules : strict.rules;
  const sources = [...new Set(rules.flatMap((r) => r.sources))].sort();
  const resolve = strict.errors.length ? { ok: false, reason: describeErrors(strict.errors) } : { ok: true };
  const lenientResult = lenient ? (lenient.errors.length ? { ok: false, reason: describeErrors(lenient.errors) } : { ok: true }) : null;
  if (lenient && lenient.errors.length) return { ...base, sources, parse: { ok: true }, resolve, lenient: lenientResult, dialects: null };

  const correlations = parsed.value.filter((d): d is SigmaCorrelationIR => d.kind === 'correlation');
  const lookup = indexRulesByIdOrName([...rules, ...correlations]);
  const dialects = {} as Record<SqlDialectName, DialectResult>;
  for (const dialect of sqlDialectNames) {
    const results = [...rules.map((r) => compileRuleSql(r, dialect)), ...correlations.map((c) => compileCorrelationSql(c, lookup, dialect))];
    const failed = results.flatMap((r) => (r.ok ? [] : r.errors));
    dialects[dialect] = failed.length
      ? { ok: false, reason: describeErrors(failed) }
      : {
          ok: true,
          needsConfirmation: results.some((r) => r.ok && r.value.needsConfirmation),
          // The longest statement (D1 accepts at most 100 KB, values beyond its 100 parameters inlined).
          bytes: Math.max(...results.map((r) => (r.ok ? new TextEncoder().encode(r.value.sql).length : 0))),
        };
  }
  return { ...base, sources, parse: { ok: true }, resolve, lenient: lenientResult, dialects };
}

export function computeCoverage(): CoverageRow[] {
  return corpusSigmaRules().map(coverageRow);
}

/** Converts in all four dialects (as `mantissa sigma convert` does: unknown fields with a warning). */
export const convertsEverywhere = (row: CoverageRow): boolean => row.dialects !== null && sqlDialectNames.every((d) => row.dialects![d].ok);

/** Converts everywhere with every field known to the mapping: can be saved for scheduled detection. */
export const convertsStrictly = (row: CoverageRow): boolean => convertsEverywhere(row) && row.resolve?.ok === true;

// ---- the document -------------------------------------------------------------------------------------------

const pct = (n: number, of: number) => (of === 0 ? '–' : `${((100 * n) / of).toFixed(1)}%`);
const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const dialectCell = (r: DialectResult | undefined) => (!r ? '' : r.ok ? (r.needsConfirmation ? 'yes (confirm)' : 'yes') : 'no');
const dialectLabels: Readonly<Record<SqlDialectName, string>> = { d1: 'D1', athena: 'Athena', bigquery: 'BigQuery', synapse: 'Synapse' };

function whyNot(row: CoverageRow): string {
  if (!row.parse.ok) return `does not parse: ${row.parse.reason}`;
  if (!row.collected) return `logsource not collected (${row.logsource})`;
  if (row.lenient && !row.lenient.ok) return `does not resolve: ${row.lenient.reason}`;
  const failed = sqlDialectNames.filter((d) => row.dialects && !row.dialects[d].ok);
  return failed.map((d) => `${dialectLabels[d]}: ${(row.dialects![d] as { reason: string }).reason}`).join('; ');
}

export function renderCoverageDoc(rows: readonly CoverageRow[]): string {
  const collected = rows.filter((r) => r.collected);
  const converted = collected.filter(convertsEverywhere);
  const strictlyConverted = collected.filter(convertsStrictly);
  const share = pct(converted.length, collected.length);
  const target = collected.length ? converted.length / collected.length >= 0.98 : false;
  const lines: string[] = [];
  lines.push('# Sigma coverage of the SigmaHQ corpus');
  lines.push('');
  lines.push('<!-- Generated by `node scripts/sigma-coverage.mjs` (core/sigma/conformance/coverage.ts); do not edit. -->');
  lines.push('');
  lines.push(
    'Every rule file of the shared corpus (`../shared/corpus/sigma`: ' +
      sigmaRuleDirectories.map((d) => `\`${d}/\``).join(', ') +
      ') through the real engine: is its logsource one we collect (a mapping of `core/sigma/mappings/` applies), ' +
      'does it parse (`parseSigmaDocuments`, with the placeholder values of `core/sigma/conformance/corpus.ts`), resolve ' +
      '(`resolveRule` with `sigmaMappings`), and compile in each of our four dialects (`compileRuleSql` / `compileCorrelationSql`). ' +
      'Resolution is tried in strict mode first — every field known to the mapping, as saving a rule for detection requires; a file ' +
      'refused there is converted the way `mantissa sigma convert` does by default (an unknown field is read from the raw record under its ' +
      'own name, with a warning), and both answers are reported. ' +
      '"confirm": the query selects a superset and the streaming matcher confirms each row (core/sigma/sql/README.md). ' +
      'A file with several documents (a correlation and its rules) is one row.',
  );
  lines.push('');
  lines.push('## Summary');
  lines.push('');
  lines.push('| rule files | |');
  lines.push('|---|---|');
  lines.push(`| in the corpus | ${rows.length} |`);
  lines.push(`| parse | ${rows.filter((r) => r.parse.ok).length} |`);
  lines.push(`| logsource collected | ${collected.length} |`);
  lines.push(`| … and resolve (unknown fields with a warning) | ${collected.filter((r) => r.resolve?.ok || r.lenient?.ok).length} |`);
  lines.push(`| … of which every field is known to the mapping (strict) | ${collected.filter((r) => r.resolve?.ok).length} |`);
  for (const d of sqlDialectNames) {
    const ok = collected.filter((r) => r.dialects?.[d].ok);
    lines.push(`| … and compile for ${dialectLabels[d]} | ${ok.length} (${ok.filter((r) => r.dialects?.[d].ok && (r.dialects[d] as { needsConfirmation: boolean }).needsConfirmation).length} need confirmation) |`);
  }
  lines.push(`| … and convert in all four dialects | ${converted.length} |`);
  lines.push(`| … and convert in all four dialects with every field known (can be saved for detection) | ${strictlyConverted.length} |`);
  const largest = sqlDialectNames.map((d) => {
    const sizes = collected.flatMap((r) => (r.dialects?.[d].ok ? [(r.dialects[d] as { bytes: number }).bytes] : []));
    return `${dialectLabels[d]} ${(Math.max(0, ...sizes) / 1024).toFixed(1)} KB`;
  });
  lines.push(`| largest query (D1 accepts statements up to 100 KB) | ${largest.join(', ')} |`);
  lines.push('');
  lines.push(
    `**${share}** of the rule files whose logsource we collect convert in all four dialects (${converted.length} of ${collected.length}; product target ≥ 98%: ${target ? 'met' : 'NOT met — every failing file and its reason is listed below'}). ` +
      `**${pct(strictlyConverted.length, collected.length)}** (${strictlyConverted.length}) convert with every field known to the mapping and can be saved for scheduled detection; ` +
      'the others name fields that none of our samples or fixtures of that source carries (typos, fields of other products, record types we have no sample of), listed below with the fields.',
  );
  lines.push('');
  lines.push('| directory | files | parse | collected | convert in all four | share of collected | … every field known (strict) | share |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const dir of sigmaRuleDirectories) {
    const inDir = rows.filter((r) => r.directory === dir);
    const c = inDir.filter((r) => r.collected);
    const ok = c.filter(convertsEverywhere);
    const strictOk = c.filter(convertsStrictly);
    lines.push(
      `| \`${dir}/\` | ${inDir.length} | ${inDir.filter((r) => r.parse.ok).length} | ${c.length} | ${ok.length} | ${pct(ok.length, c.length)} | ${strictOk.length} | ${pct(strictOk.length, c.length)} |`,
    );
  }
  lines.push('');
  const byLogsource = new Map<string, CoverageRow[]>();
  for (const r of collected) byLogsource.set(r.logsource, [...(byLogsource.get(r.logsource) ?? []), r]);
  lines.push('### Collected logsources');
  lines.push('');
  lines.push('| logsource | sources | files | convert in all four | … every field known |');
  lines.push('|---|---|---|---|---|');
  for (const [ls, list] of [...byLogsource].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const sources = [...new Set(list.flatMap((r) => r.sources))].sort().join(', ');
    lines.push(`| ${cell(ls)} | ${sources} | ${list.length} | ${list.filter(convertsEverywhere).length} | ${list.filter(convertsStrictly).length} |`);
  }
  lines.push('');
  const uncollected = new Map<string, number>();
  for (const r of rows.filter((x) => !x.collected)) uncollected.set(r.logsource, (uncollected.get(r.logsource) ?? 0) + 1);
  lines.push('### Logsources we do not collect');
  lines.push('');
  lines.push('| logsource | files |');
  lines.push('|---|---|');
  for (const [ls, n] of [...uncollected].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))) lines.push(`| ${cell(ls)} | ${n} |`);
  lines.push('');
  lines.push('## Collected logsource, not converted in all four dialects');
  lines.push('');
  const failing = collected.filter((r) => !convertsEverywhere(r));
  if (failing.length === 0) lines.push('None.');
  else {
    lines.push('| rule file | logsource | reason |');
    lines.push('|---|---|---|');
    for (const r of failing) lines.push(`| \`${r.file}\` | ${cell(r.logsource)} | ${cell(whyNot(r))} |`);
  }
  lines.push('');
  lines.push('## Converted, with fields the mapping does not know (refused when saved for detection)');
  lines.push('');
  const lenientOnly = collected.filter((r) => convertsEverywhere(r) && !convertsStrictly(r));
  if (lenientOnly.length === 0) lines.push('None.');
  else {
    lines.push('The SQL reads these fields from the raw record under the name the rule gives; on our data they never match.');
    lines.push('');
    lines.push('| rule file | logsource | strict mode refuses |');
    lines.push('|---|---|---|');
    for (const r of lenientOnly) lines.push(`| \`${r.file}\` | ${cell(r.logsource)} | ${cell(r.resolve?.reason ?? '')} |`);
  }
  lines.push('');
  lines.push('## Not parsed');
  lines.push('');
  const unparsed = rows.filter((r) => !r.parse.ok);
  if (unparsed.length === 0) lines.push('None.');
  else {
    lines.push('| rule file | logsource | reason |');
    lines.push('|---|---|---|');
    for (const r of unparsed) lines.push(`| \`${r.file}\` | ${cell(r.logsource)} | ${cell(r.parse.reason ?? '')} |`);
  }
  lines.push('');
  lines.push('## Every rule file');
  lines.push('');
  lines.push('"–": not attempted (the logsource is not collected, or an earlier stage failed).');
  lines.push('');
  lines.push('| rule file | logsource | collected | parses | every field known | D1 | Athena | BigQuery | Synapse |');
  lines.push('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const d = (name: SqlDialectName) => (r.dialects ? dialectCell(r.dialects[name]) : '–');
    lines.push(
      `| \`${r.file}\` | ${cell(r.logsource)} | ${r.collected ? 'yes' : 'no'} | ${r.parse.ok ? 'yes' : 'no'} | ${r.resolve ? (r.resolve.ok ? 'yes' : 'no') : '–'} | ${d('d1')} | ${d('athena')} | ${d('bigquery')} | ${d('synapse')} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

export function buildCoverageDoc(): string {
  return renderCoverageDoc(computeCoverage());
}
