/**
 * The metadata of Sigma documents (rules spec, "Components"; JSON schemas in the spec repository), checked
 * with zod. Schema problems are errors located at the offending YAML node; what the spec only recommends
 * (UUID ids, tag syntax, `YYYY-MM-DD` dates) gives warnings. Unknown top-level keys are allowed (custom
 * attributes) and left out of the IR.
 */
import { z } from 'zod';
import type { Logsource, SigmaLevel, SourceLocation } from '../ir';
import { addError, addWarning, type Diagnostics } from './diagnostics';
import { locateNode, mapEntries, nodeAtPath, type YamlDocument } from './yaml-source';
import { isMap } from 'yaml';

export const sigmaStatuses = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;
export const sigmaLevels = ['informational', 'low', 'medium', 'high', 'critical'] as const satisfies readonly SigmaLevel[];
export const relatedTypes = ['derived', 'obsolete', 'merged', 'renamed', 'similar'] as const;

const stringList = z.array(z.string(), { error: 'expected a list of strings' });
const stringOrList = z.union([z.string(), z.array(z.string())], { error: 'expected a string or a list of strings' });

/** Attributes shared by rules, correlations and filters; null (an empty YAML value) counts as absent. */
export const commonMetadataShape = {
  title: z.string({ error: 'title is required and must be a string' }).trim().min(1, 'title must not be empty').max(256),
  id: z.string().min(1).nullish(),
  name: z.string().min(1).max(256).nullish(),
  related: z.array(z.looseObject({ id: z.string(), type: z.enum(relatedTypes) })).nullish(),
  taxonomy: z.string().max(256).nullish(),
  status: z.enum(sigmaStatuses).nullish(),
  description: z.string().max(65_535).nullish(),
  license: z.string().nullish(),
  author: z.string().nullish(),
  references: stringList.nullish(),
  date: z.string().nullish(),
  modified: z.string().nullish(),
  falsepositives: stringOrList.nullish(),
  level: z.enum(sigmaLevels).nullish(),
  tags: stringList.nullish(),
  scope: stringList.nullish(),
  fields: stringList.nullish(),
};

export const logsourceSchema = z
  .looseObject(
    {
      category: z.string().nullish(),
      product: z.string().nullish(),
      service: z.string().nullish(),
      definition: z.string().nullish(),
    },
    { error: 'logsource is required: a map with category, product and/or service' },
  )
  .refine((l) => Boolean(l.category || l.product || l.service), 'logsource needs at least one of category, product or service');

export const ruleDocumentSchema = z.looseObject({
  ...commonMetadataShape,
  logsource: logsourceSchema,
  detection: z.looseObject(
    {
      condition: z.union([z.string(), z.array(z.string()).min(1)], { error: 'condition must be a string or a list of strings' }),
      timeframe: z.string().nullish(),
    },
    { error: 'detection must be a map of search identifiers and a condition' },
  ),
});
export type RuleDocument = z.infer<typeof ruleDocumentSchema>;

/**
 * Validates `value` (the document as plain data) and reports each issue at its node. Returns the parsed
 * value or null.
 */
export function validateDocument<T>(schema: z.ZodType<T>, value: unknown, input: YamlDocument, diagnostics: Diagnostics, prefix: readonly PropertyKey[] = []): T | null {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        addError(diagnostics, 'schema', `${pathText(path)}: unknown key '${key}'`, locateNode(input.source, keyNodeAt(input, [...path, key])));
      }
      continue;
    }
    addError(diagnostics, 'schema', `${pathText(path)}: ${issue.message}`, locateNode(input.source, nodeAtPath(input.doc, input.root, path)));
  }
  return null;
}

function keyNodeAt(input: YamlDocument, path: readonly PropertyKey[]) {
  const parent = nodeAtPath(input.doc, input.root, path.slice(0, -1));
  if (parent && isMap(parent)) {
    const entry = mapEntries(input.doc, parent).find((e) => e.key === String(path[path.length - 1]));
    if (entry) return entry.keyNode;
  }
  return parent;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'document' : path.map(String).join('.');
}

export function locationAt(input: YamlDocument, path: readonly PropertyKey[]): SourceLocation | null {
  return locateNode(input.source, nodeAtPath(input.doc, input.root, path));
}

/** The location of the key at the end of `path` (for problems with a key rather than its value). */
export function keyLocationAt(input: YamlDocument, path: readonly PropertyKey[]): SourceLocation | null {
  return locateNode(input.source, keyNodeAt(input, path));
}

const isoDate = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const slashDate = /^(\d{4})\/(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])$/;

/** `YYYY-MM-DD`; the older `YYYY/MM/DD` is accepted with a warning and normalized. */
export function checkDate(value: string | null | undefined, key: 'date' | 'modified', input: YamlDocument, diagnostics: Diagnostics): string | null {
  if (value === null || value === undefined) return null;
  if (isoDate.test(value)) return value;
  const slash = slashDate.exec(value);
  if (slash) {
    addWarning(diagnostics, `${key} '${value}' uses the deprecated YYYY/MM/DD form; write YYYY-MM-DD`, locationAt(input, [key]));
    return `${slash[1]}-${slash[2]}-${slash[3]}`;
  }
  addError(diagnostics, 'schema', `${key}: '${value}' is not a date in the form YYYY-MM-DD`, locationAt(input, [key]));
  return null;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const tagSyntax = /^[a-z0-9_-]+\.[a-z0-9._-]+$/;

export interface CommonMetadata {
  readonly id: string | null;
  readonly name: string | null;
  readonly title: string;
  readonly status: string | null;
  readonly level: SigmaLevel | null;
  readonly description: string | null;
  readonly author: string | null;
  readonly references: readonly string[];
  readonly tags: readonly string[];
  readonly falsepositives: readonly string[];
  readonly fields: readonly string[];
  readonly date: string | null;
  readonly modified: string | null;
}

type CommonInput = z.infer<z.ZodObject<typeof commonMetadataShape>>;

/** Normalizes the shared attributes and warns about what the spec only recommends. */
export function commonMetadata(parsed: CommonInput, input: YamlDocument, diagnostics: Diagnostics): CommonMetadata {
  if (parsed.id && !uuid.test(parsed.id)) addWarning(diagnostics, `id '${parsed.id}' is not a UUID`, locationAt(input, ['id']));
  for (const [i, related] of (parsed.related ?? []).entries()) {
    if (!uuid.test(related.id)) addWarning(diagnostics, `related id '${related.id}' is not a UUID`, locationAt(input, ['related', i, 'id']));
  }
  for (const [i, tag] of (parsed.tags ?? []).entries()) {
    if (!tagSyntax.test(tag)) addWarning(diagnostics, `tag '${tag}' does not follow the namespace.name syntax (lowercase letters, digits, _ - .)`, locationAt(input, ['tags', i]));
  }
  const falsepositives = parsed.falsepositives ?? [];
  return {
    id: parsed.id ?? null,
    name: parsed.name ?? null,
    title: parsed.title,
    status: parsed.status ?? null,
    level: parsed.level ?? null,
    description: parsed.description ?? null,
    author: parsed.author ?? null,
    references: parsed.references ?? [],
    tags: parsed.tags ?? [],
    falsepositives: typeof falsepositives === 'string' ? [falsepositives] : falsepositives,
    fields: parsed.fields ?? [],
    date: checkDate(parsed.date, 'date', input, diagnostics),
    modified: checkDate(parsed.modified, 'modified', input, diagnostics),
  };
}

export function toLogsource(parsed: { category?: string | null; product?: string | null; service?: string | null }): Logsource {
  return {
    ...(parsed.category ? { category: parsed.category } : {}),
    ...(parsed.product ? { product: parsed.product } : {}),
    ...(parsed.service ? { service: parsed.service } : {}),
  };
}

const timespanUnits: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `number + unit` with s, m, h or d (correlation spec, "Time Selection"; the legacy `timeframe` uses the same). */
export function parseTimespan(text: string): number | { readonly error: string } {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (!match) return { error: `'${text}' is not a time span: write a number and a unit (s, m, h or d), e.g. 10m` };
  const ms = Number(match[1]) * (timespanUnits[match[2] as string] as number);
  if (ms <= 0) return { error: `time span '${text}' must be longer than zero` };
  return ms;
}
