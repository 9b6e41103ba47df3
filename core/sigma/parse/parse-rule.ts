/**
 * One Sigma rule document → `SigmaRuleIR`: metadata (metadata.ts), search identifiers (detection.ts) and the
 * condition (condition.ts, resolve-condition.ts). A list of conditions is their OR (rules spec, "Condition").
 * The obsolete `| count() … > N` aggregation with `timeframe` becomes `aggregation`, with a deprecation
 * warning; it is only accepted on a single condition.
 */
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { Expr, LegacyAggregation, SigmaRuleIR } from '../ir';
import { parseAggregation, parseConditionExpression, splitAggregation } from './condition';
import { parseSearchIdentifiers, type SearchIdentifier } from './detection';
import { addError, addWarning, type Diagnostics } from './diagnostics';
import { orExpr } from './expr';
import { commonMetadata, locationAt, parseTimespan, ruleDocumentSchema, toLogsource, validateDocument } from './metadata';
import type { ItemContext } from './modifiers';
import { resolveCondition } from './resolve-condition';
import { deref, locateInScalar, locateNode, valueAtPath, type YamlDocument } from './yaml-source';

const reservedDetectionKeys: ReadonlySet<string> = new Set(['condition', 'timeframe']);

export function parseRuleDocument(input: YamlDocument, value: unknown, context: ItemContext, diagnostics: Diagnostics): SigmaRuleIR | null {
  const errorsBefore = diagnostics.errors.length;
  const parsed = validateDocument(ruleDocumentSchema, value, input, diagnostics);

  const detectionNode = valueAtPath(input.doc, input.root, ['detection']);
  let condition: Expr | null = null;
  let aggregation: Omit<LegacyAggregation, 'timespanMs'> | null = null;
  if (detectionNode && isMap(detectionNode)) {
    const identifiers = parseSearchIdentifiers(input, detectionNode, reservedDetectionKeys, context, diagnostics);
    if (identifiers.size === 0) addError(diagnostics, 'schema', 'detection has no search identifiers', locateNode(input.source, detectionNode));
    const conditions = conditionScalars(input, valueAtPath(input.doc, input.root, ['detection', 'condition']));
    const result = parseConditions(input, conditions, identifiers, diagnostics);
    condition = result.condition;
    aggregation = result.aggregation;
  }

  if (!parsed || diagnostics.errors.length > errorsBefore || condition === null) return null;
  const timespanMs = parseRuleTimeframe(input, parsed.detection.timeframe ?? null, aggregation !== null, diagnostics);
  if (timespanMs === undefined) return null;
  const location = locateNode(input.source, input.root) ?? { file: input.source.file, line: 1, column: 1 };
  const metadata = commonMetadata(parsed, input, diagnostics);
  if (diagnostics.errors.length > errorsBefore) return null;
  return {
    kind: 'rule',
    ...metadata,
    logsource: toLogsource(parsed.logsource),
    condition,
    aggregation: aggregation ? { ...aggregation, timespanMs } : null,
    location,
  };
}

function conditionScalars(input: YamlDocument, node: Node | null): Scalar[] {
  if (node && isScalar(node) && typeof node.value === 'string') return [node];
  if (node && isSeq(node)) {
    const items = node.items.map((item) => deref(input.doc, item));
    if (items.every((item): item is Scalar => item !== null && isScalar(item) && typeof item.value === 'string')) return items;
  }
  return []; // the schema check reports a missing or mistyped condition
}

interface ParsedConditions {
  readonly condition: Expr | null;
  readonly aggregation: Omit<LegacyAggregation, 'timespanMs'> | null;
}

/** Parses and resolves every condition, reporting syntax errors and unknown identifiers with their column. */
export function parseConditions(input: YamlDocument, scalars: readonly Scalar[], identifiers: ReadonlyMap<string, SearchIdentifier>, diagnostics: Diagnostics): ParsedConditions {
  const exprs: Expr[] = [];
  const used = new Set<string>();
  let aggregation: Omit<LegacyAggregation, 'timespanMs'> | null = null;
  let failed = false;
  for (const scalar of scalars) {
    const text = scalar.value as string;
    const at = (offset: number, token: string) => locateInScalar(input.source, scalar, offset, token);
    const { expression, aggregation: aggregationText } = splitAggregation(text);
    if (aggregationText) {
      const parsedAggregation = parseAggregation(aggregationText.text, aggregationText.offset);
      if ('unsupported' in parsedAggregation) {
        addError(diagnostics, 'unsupported_feature', parsedAggregation.unsupported, at(parsedAggregation.offset, parsedAggregation.token));
        failed = true;
      } else if ('message' in parsedAggregation) {
        addError(diagnostics, 'condition', parsedAggregation.message, at(parsedAggregation.offset, parsedAggregation.token));
        failed = true;
      } else if (scalars.length > 1) {
        addError(diagnostics, 'unsupported_feature', 'an aggregation (| count() …) is only supported in a single condition, not in a list of conditions', at(aggregationText.offset, ''));
        failed = true;
      } else {
        aggregation = parsedAggregation;
        addWarning(diagnostics, 'the aggregation syntax in conditions (| count() …) is deprecated: write a correlation rule instead', at(aggregationText.offset, ''));
      }
    }
    const ast = parseConditionExpression(expression);
    if ('message' in ast) {
      addError(diagnostics, 'condition', ast.message, at(ast.offset, ast.token));
      failed = true;
      continue;
    }
    const resolved = resolveCondition(ast, identifiers);
    for (const unknown of resolved.unknown) addError(diagnostics, 'unknown_identifier', unknown.message, at(unknown.offset, unknown.token));
    for (const name of resolved.used) used.add(name);
    if (resolved.expr === null) failed = true;
    else exprs.push(resolved.expr);
  }
  if (scalars.length > 0 && !failed) {
    for (const identifier of identifiers.values()) {
      if (!used.has(identifier.name)) addWarning(diagnostics, `search identifier '${identifier.name}' is not used by the condition`, identifier.location);
    }
  }
  if (failed || scalars.length === 0) return { condition: null, aggregation: null };
  return { condition: orExpr(exprs), aggregation };
}

/** undefined = invalid (reported); null = no timeframe. */
function parseRuleTimeframe(input: YamlDocument, timeframe: string | null, hasAggregation: boolean, diagnostics: Diagnostics): number | null | undefined {
  if (timeframe === null) return null;
  const location = locationAt(input, ['detection', 'timeframe']);
  const ms = parseTimespan(timeframe);
  if (typeof ms !== 'number') {
    addError(diagnostics, 'schema', `detection.timeframe: ${ms.error}`, location);
    return undefined;
  }
  if (!hasAggregation) addWarning(diagnostics, 'detection.timeframe has no effect without an aggregation in the condition', location);
  return ms;
}
