/**
 * One pySigma vector's Sigma YAML through our engine, over the test source of field-table.ts: parse, resolve
 * every rule (strict) with the test mapping, compile every rule and correlation in our four dialects. The
 * outcome says where it stopped and why, or holds everything the checks need.
 */
import type { CompiledQuery, ResolvedRule, SigmaCorrelationIR, SigmaDocumentIR, SigmaError, SqlDialectName } from '../ir';
import { parseSigmaDocuments } from '../parse/parse-documents';
import { resolveRule } from '../pipeline/resolve-rule';
import { compileCorrelationSql, compileRuleSql, indexRulesByIdOrName, type CorrelationInput } from '../sql/compile-sql';
import { buildFieldTable, type FieldTable } from './field-table';

export const sqlDialectNames: readonly SqlDialectName[] = ['d1', 'athena', 'bigquery', 'synapse'];

export interface ConvertedYaml {
  readonly docs: readonly SigmaDocumentIR[];
  readonly table: FieldTable;
  readonly rules: readonly ResolvedRule[];
  readonly correlations: readonly SigmaCorrelationIR[];
  readonly lookup: ReadonlyMap<string, CorrelationInput>;
  /** Per dialect: the rules' queries (in `rules` order), then the correlations' (in `correlations` order). */
  readonly queries: Readonly<Record<SqlDialectName, readonly CompiledQuery[]>>;
}

export type YamlOutcome =
  | { readonly ok: true; readonly value: ConvertedYaml }
  | { readonly ok: false; readonly stage: 'parse' | 'resolve' | 'compile'; readonly errors: readonly SigmaError[]; readonly dialect?: SqlDialectName };

export interface ConvertOptions {
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
}

export function convertYaml(text: string, options: ConvertOptions = {}): YamlOutcome {
  const parsed = parseSigmaDocuments(text, 'vector.yml', options.placeholders ? { placeholders: options.placeholders } : {});
  if (!parsed.ok) return { ok: false, stage: 'parse', errors: parsed.errors };
  const docs = parsed.value;
  const table = buildFieldTable(docs);
  const rules: ResolvedRule[] = [];
  for (const doc of docs) {
    if (doc.kind !== 'rule') continue;
    const resolved = resolveRule(doc, [table.mapping], { strict: true });
    if (!resolved.ok) return { ok: false, stage: 'resolve', errors: resolved.errors };
    rules.push(resolved.value);
  }
  const correlations = docs.filter((d): d is SigmaCorrelationIR => d.kind === 'correlation');
  const lookup = indexRulesByIdOrName([...rules, ...correlations]);
  const queries = {} as Record<SqlDialectName, CompiledQuery[]>;
  for (const dialect of sqlDialectNames) {
    const list: CompiledQuery[] = [];
    for (const rule of rules) {
      const compiled = compileRuleSql(rule, dialect);
      if (!compiled.ok) return { ok: false, stage: 'compile', errors: compiled.errors, dialect };
      list.push(compiled.value);
    }
    for (const corr of correlations) {
      const compiled = compileCorrelationSql(corr, lookup, dialect);
      if (!compiled.ok) return { ok: false, stage: 'compile', errors: compiled.errors, dialect };
      list.push(compiled.value);
    }
    queries[dialect] = list;
  }
  return { ok: true, value: { docs, table, rules, correlations, lookup, queries } };
}

/**
 * The YAML of a parametrized upstream test, extracted as the Python f-string literal itself (`f'\n  title: …
 * {sigma_op}: 5\n'`): unwrapped, and instantiated once per combination of the given parameter values.
 */
export function instantiateTemplate(text: string, parameters: Readonly<Record<string, readonly string[]>>): string[] {
  const body = text
    .trim()
    .replace(/^f'/, '')
    .replace(/'$/, '')
    .replaceAll('\\n', '\n');
  let out = [body];
  for (const [name, values] of Object.entries(parameters)) {
    out = out.flatMap((t) => values.map((v) => t.replaceAll(`{${name}}`, v)));
  }
  return out;
}

export const isTemplate = (text: string) => text.startsWith("f'");
