/**
 * Sigma filters (filters spec): a document with `filter: {rules, <search identifiers>, condition}` that tunes
 * many rules at once. Semantics follow pySigma, the reference implementation: the filter's condition is ANDed
 * to the condition of every rule it applies to, so a filter excluding events is written `condition: not
 * selection` (the spec's own example omits the `not`; we warn when a condition has none). A filter applies to
 * a rule named in `rules` (by id or name) whose logsource it covers: each of category/product/service the
 * filter sets must equal the rule's. `rules: any` (pySigma) applies to every covered rule.
 *
 * The filter type lives here, not in ir.ts: filters are applied to rules before any backend sees them.
 */
import { isMap, isScalar } from 'yaml';
import { z } from 'zod';
import type { Expr, Logsource, SigmaDocumentIR, SourceLocation } from '../ir';
import { parseSearchIdentifiers } from './detection';
import { addError, addWarning, type Diagnostics } from './diagnostics';
import { andExpr } from './expr';
import { commonMetadata, commonMetadataShape, logsourceSchema, toLogsource, validateDocument } from './metadata';
import type { ItemContext } from './modifiers';
import { parseConditions } from './parse-rule';
import { locateNode, valueAtPath, type YamlDocument } from './yaml-source';

export interface SigmaFilterIR {
  readonly kind: 'filter';
  readonly id: string | null;
  readonly name: string | null;
  readonly title: string;
  readonly description: string | null;
  readonly date: string | null;
  readonly modified: string | null;
  readonly logsource: Logsource;
  /** Ids or names of the rules filtered, or 'any': every rule whose logsource the filter covers. */
  readonly rules: readonly string[] | 'any';
  /** ANDed to each filtered rule's condition. */
  readonly condition: Expr;
  readonly location: SourceLocation;
}

const filterDocumentSchema = z.looseObject({
  ...commonMetadataShape,
  logsource: logsourceSchema,
  filter: z.looseObject({
    rules: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: 'rules must list the ids or names of the rules to filter (or be any)' }),
    condition: z.string({ error: 'a filter needs one condition, a string' }),
  }),
});

const reservedFilterKeys: ReadonlySet<string> = new Set(['rules', 'condition']);

export function parseFilterDocument(input: YamlDocument, value: unknown, context: ItemContext, diagnostics: Diagnostics): SigmaFilterIR | null {
  const errorsBefore = diagnostics.errors.length;
  const parsed = validateDocument(filterDocumentSchema, value, input, diagnostics);
  const section = valueAtPath(input.doc, input.root, ['filter']);
  let condition: Expr | null = null;
  if (section && isMap(section)) {
    const identifiers = parseSearchIdentifiers(input, section, reservedFilterKeys, context, diagnostics);
    if (identifiers.size === 0) addError(diagnostics, 'schema', 'filter has no search identifiers (e.g. selection)', locateNode(input.source, section));
    const conditionNode = valueAtPath(input.doc, input.root, ['filter', 'condition']);
    if (conditionNode && isScalar(conditionNode) && typeof conditionNode.value === 'string') {
      const result = parseConditions(input, [conditionNode], identifiers, diagnostics);
      if (result.aggregation) addError(diagnostics, 'unsupported_feature', 'a filter condition cannot aggregate', locateNode(input.source, conditionNode));
      condition = result.condition;
      if (condition && !/\bnot\b/i.test(conditionNode.value)) {
        addWarning(
          diagnostics,
          "a filter's condition is ANDed to each rule's: without 'not' it narrows the rules to events matching the filter (write 'not selection' to exclude them)",
          locateNode(input.source, conditionNode),
        );
      }
    }
  }
  if (!parsed || condition === null || diagnostics.errors.length > errorsBefore) return null;
  const rules = typeof parsed.filter.rules === 'string' ? (parsed.filter.rules.toLowerCase() === 'any' ? 'any' : [parsed.filter.rules]) : parsed.filter.rules;
  const metadata = commonMetadata(parsed, input, diagnostics);
  const filter: SigmaFilterIR = {
    kind: 'filter',
    id: metadata.id,
    name: metadata.name,
    title: metadata.title,
    description: metadata.description,
    date: metadata.date,
    modified: metadata.modified,
    logsource: toLogsource(parsed.logsource),
    rules,
    condition,
    location: locateNode(input.source, input.root) ?? { file: input.source.file, line: 1, column: 1 },
  };
  return diagnostics.errors.length > errorsBefore ? null : filter;
}

/** The filter's logsource covers the rule's: each attribute the filter sets is equal in the rule (pySigma). */
export function logsourceCovers(filter: Logsource, rule: Logsource): boolean {
  return (
    (filter.category === undefined || filter.category === rule.category) &&
    (filter.product === undefined || filter.product === rule.product) &&
    (filter.service === undefined || filter.service === rule.service)
  );
}

function applies(filter: SigmaFilterIR, rule: Extract<SigmaDocumentIR, { kind: 'rule' }>): boolean {
  if (!logsourceCovers(filter.logsource, rule.logsource)) return false;
  if (filter.rules === 'any') return true;
  return filter.rules.some((reference) => reference === rule.id || reference === rule.name);
}

/**
 * Returns the documents with every applicable filter's condition ANDed to each rule's condition, in filter
 * order. Correlations are returned unchanged (their rules are filtered themselves). Pure: new objects only.
 */
export function applySigmaFilters(documents: readonly SigmaDocumentIR[], filters: readonly SigmaFilterIR[]): SigmaDocumentIR[] {
  return documents.map((document) => {
    if (document.kind !== 'rule') return document;
    const matching = filters.filter((filter) => applies(filter, document));
    if (matching.length === 0) return document;
    return { ...document, condition: andExpr([document.condition, ...matching.map((f) => f.condition)]) };
  });
}
