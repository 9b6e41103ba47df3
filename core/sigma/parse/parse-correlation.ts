/**
 * One correlation document (correlation rules spec) → `SigmaCorrelationIR`. The `correlation` section is
 * strict: an unknown key there (a typo of `group-by`, say) is an error, not a silently ignored grouping.
 *
 * What the IR cannot express is refused with `unsupported_feature` instead of being approximated: a range
 * condition (`gt` and `lte` together), `neq`, several fields for value_count, and pySigma's extended temporal
 * conditions (`condition: a and b`). temporal/temporal_ordered without a condition mean "all rules matched"
 * (gte the number of rules).
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { z } from 'zod';
import type { CorrelationCondition, CorrelationType, SigmaCorrelationIR } from '../ir';
import { addError, addWarning, type Diagnostics } from './diagnostics';
import { commonMetadata, commonMetadataShape, keyLocationAt, locationAt, parseTimespan, validateDocument } from './metadata';
import { deref, locateNode, mapEntries, valueAtPath, type YamlDocument } from './yaml-source';

export const correlationTypes = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
  'value_median',
] as const satisfies readonly CorrelationType[];

const nameList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: 'expected a rule id or name, or a list of them' });

const correlationSectionSchema = z.strictObject({
  type: z.enum(correlationTypes, { error: (issue) => (issue.input === undefined ? `type is required: one of ${correlationTypes.join(', ')}` : undefined) }),
  rules: nameList,
  'group-by': z.union([z.string(), z.array(z.string())], { error: 'expected a field name or a list of them' }).nullish(),
  timespan: z.string({ error: 'timespan is required: a number and a unit (s, m, h or d), e.g. 10m' }),
  condition: z.unknown().optional(),
  aliases: z.record(z.string(), z.record(z.string(), z.string(), { error: 'an alias maps rule names to field names' })).nullish(),
  generate: z.boolean().nullish(),
});

const correlationDocumentSchema = z.looseObject({
  ...commonMetadataShape,
  correlation: correlationSectionSchema,
  generate: z.boolean().nullish(),
});

const valueTypes: ReadonlySet<CorrelationType> = new Set(['value_count', 'value_sum', 'value_avg', 'value_percentile', 'value_median']);
const conditionOps = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;
const conditionKeys: ReadonlySet<string> = new Set([...conditionOps, 'field', 'percentile']);

const asList = (value: string | readonly string[] | null | undefined): string[] => (value === null || value === undefined ? [] : typeof value === 'string' ? [value] : [...value]);

export function parseCorrelationDocument(input: YamlDocument, value: unknown, diagnostics: Diagnostics): SigmaCorrelationIR | null {
  const errorsBefore = diagnostics.errors.length;
  const parsed = validateDocument(correlationDocumentSchema, value, input, diagnostics);
  if (!parsed) return null;
  const section = parsed.correlation;
  const rules = asList(section.rules);
  const groupBy = asList(section['group-by']);

  const timespan = parseTimespan(section.timespan);
  if (typeof timespan !== 'number') addError(diagnostics, 'schema', `correlation.timespan: ${timespan.error}`, locationAt(input, ['correlation', 'timespan']));

  const condition = parseCorrelationCondition(input, section.type, rules.length, valueAtPath(input.doc, input.root, ['correlation', 'condition']), diagnostics);

  const aliases: Record<string, Record<string, string>> = {};
  for (const [alias, mapping] of Object.entries(section.aliases ?? {})) {
    for (const rule of Object.keys(mapping)) {
      if (!rules.includes(rule)) {
        addError(diagnostics, 'correlation', `alias '${alias}' maps rule '${rule}', which is not one of this correlation's rules`, keyLocationAt(input, ['correlation', 'aliases', alias, rule]));
      }
    }
    aliases[alias] = { ...mapping };
  }
  for (const [i, rule] of rules.entries()) {
    if (rules.indexOf(rule) !== i) addError(diagnostics, 'correlation', `rule '${rule}' is listed twice`, locationAt(input, ['correlation', 'rules', i]));
  }

  const topGenerate = parsed.generate ?? null;
  const sectionGenerate = section.generate ?? null;
  if (topGenerate !== null && sectionGenerate !== null && topGenerate !== sectionGenerate) {
    addError(diagnostics, 'schema', 'generate is given twice (top level and in correlation) with different values', locationAt(input, ['generate']));
  }

  const metadata = commonMetadata(parsed, input, diagnostics);
  if (diagnostics.errors.length > errorsBefore || condition === null || typeof timespan !== 'number') return null;
  return {
    kind: 'correlation',
    id: metadata.id,
    name: metadata.name,
    title: metadata.title,
    level: metadata.level,
    description: metadata.description,
    tags: metadata.tags,
    type: section.type,
    rules,
    groupBy,
    aliases,
    timespanMs: timespan,
    condition,
    generate: topGenerate ?? sectionGenerate ?? false,
    location: locateNode(input.source, input.root) ?? { file: input.source.file, line: 1, column: 1 },
  };
}

function parseCorrelationCondition(input: YamlDocument, type: CorrelationType, ruleCount: number, node: Node | null, diagnostics: Diagnostics): CorrelationCondition | null {
  const where = (...path: (string | number)[]) => locationAt(input, ['correlation', 'condition', ...path]);
  const temporal = type === 'temporal' || type === 'temporal_ordered';
  if (node === null) {
    if (temporal) return { op: 'gte', value: ruleCount, field: null, percentile: null };
    addError(diagnostics, 'schema', `correlation.condition is required for ${type}`, keyLocationAt(input, ['correlation']));
    return null;
  }
  if (isScalar(node) && typeof node.value === 'string') {
    addError(diagnostics, 'unsupported_feature', 'a correlation condition written as an expression (pySigma extended temporal correlation) is not supported: use a map such as {gte: 2}', where());
    return null;
  }
  if (!isMap(node)) {
    addError(diagnostics, 'schema', 'correlation.condition must be a map such as {gte: 100}', where());
    return null;
  }
  const entries = mapEntries(input.doc, node);
  let failed = false;
  const ops: { op: CorrelationCondition['op']; value: number }[] = [];
  let field: string | null = null;
  let percentile: number | null = null;
  for (const entry of entries) {
    const scalarValue = entry.value && isScalar(entry.value) ? entry.value.value : undefined;
    const location = locateNode(input.source, entry.value ?? entry.keyNode);
    if (!conditionKeys.has(entry.key)) {
      addError(diagnostics, 'schema', `correlation.condition: unknown key '${entry.key}' (expected gt, gte, lt, lte, eq, neq, field or percentile)`, locateNode(input.source, entry.keyNode));
      failed = true;
    } else if (entry.key === 'field') {
      const fields = fieldList(input, entry.value);
      if (fields === null) {
        addError(diagnostics, 'schema', 'correlation.condition.field must be a field name', location);
        failed = true;
      } else if (fields.length !== 1) {
        addError(diagnostics, 'unsupported_feature', 'a correlation condition over several fields is not supported: use one field', location);
        failed = true;
      } else {
        field = fields[0] as string;
      }
    } else if (typeof scalarValue !== 'number' || !Number.isFinite(scalarValue)) {
      addError(diagnostics, 'schema', `correlation.condition.${entry.key} must be a number`, location);
      failed = true;
    } else if (entry.key === 'percentile') {
      if (scalarValue < 0 || scalarValue > 100) {
        addError(diagnostics, 'schema', 'correlation.condition.percentile must be between 0 and 100', location);
        failed = true;
      }
      percentile = scalarValue;
    } else {
      ops.push({ op: entry.key as CorrelationCondition['op'], value: scalarValue });
    }
  }
  if (failed) return null;
  if (ops.length === 0) {
    addError(diagnostics, 'schema', 'correlation.condition needs one of gt, gte, lt, lte, eq or neq', where());
    return null;
  }
  if (ops.length > 1) {
    addError(diagnostics, 'unsupported_feature', 'a range condition (two comparisons) is not supported: chain two correlations or use one comparison', where());
    return null;
  }
  if (valueTypes.has(type) && field === null) {
    addError(diagnostics, 'schema', `correlation.condition.field is required for ${type}`, where());
    return null;
  }
  if (!valueTypes.has(type) && field !== null) {
    addWarning(diagnostics, `correlation.condition.field is ignored for ${type}`, where('field'));
    field = null;
  }
  if (type === 'value_percentile' && percentile === null) {
    addWarning(diagnostics, 'value_percentile without condition.percentile: the spec leaves the percentile unspecified', where());
  }
  if (type !== 'value_percentile' && percentile !== null) {
    addWarning(diagnostics, `correlation.condition.percentile is ignored for ${type}`, where('percentile'));
    percentile = null;
  }
  const { op, value } = ops[0] as (typeof ops)[number];
  return { op, value, field, percentile };
}

function fieldList(input: YamlDocument, node: Node | null): string[] | null {
  if (node && isScalar(node) && typeof node.value === 'string' && node.value !== '') return [node.value];
  if (node && isSeq(node)) {
    const values = node.items.map((item) => {
      const scalar = deref(input.doc, item);
      return scalar && isScalar(scalar) && typeof scalar.value === 'string' ? scalar.value : null;
    });
    return values.length > 0 && values.every((v): v is string => v !== null) ? values : null;
  }
  return null;
}
