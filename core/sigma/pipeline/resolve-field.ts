/**
 * Field resolution, the heart of the processing pipeline: where does the Sigma field `name` live in our
 * events under one logsource mapping?
 *
 * - An explicit entry of `mapping.fields` wins (a column, a JSON path, or several of them: any matches).
 * - Otherwise the field is the raw JSON path of the same dotted name (`a.b` → raw.a.b), so rules written
 *   against vendor field names work. `[]` after a key marks an array step (`target[].alternateId`): any element
 *   may match. Array steps come from the name itself or from the mapping's `knownFields`, so a rule may write
 *   `target.alternateId` and still iterate the `target` array.
 * - `known` says whether the name is a field of the source: explicit, listed in `knownFields` (the name or a
 *   prefix of a listed path, or any path below an open object listed as `a.b.*`), or unchecked because the
 *   mapping lists no `knownFields`.
 *
 * Pure: the per-mapping index of `knownFields` is memoized in a WeakMap, never mutated after it is built.
 */
import type { FieldTarget, JsonPathStep, LogsourceMapping } from '../ir';

export interface FieldResolution {
  readonly targets: readonly FieldTarget[];
  readonly known: boolean;
}

interface KnownNode {
  array: boolean;
  readonly children: Map<string, KnownNode>;
}

const knownIndexes = new WeakMap<LogsourceMapping, Map<string, KnownNode>>();

/** Parses `a.b[].c` into steps; null when a step is empty (`a..b`, `.a`, `[]`). */
export function parseFieldPath(name: string): JsonPathStep[] | null {
  const steps: JsonPathStep[] = [];
  for (const part of name.split('.')) {
    const array = part.endsWith('[]');
    const key = array ? part.slice(0, -2) : part;
    if (key === '' || key.includes('[') || key.includes(']')) return null;
    steps.push({ key, array });
  }
  return steps;
}

/** `target[].alternateId` → `target.alternateId`: the name a rule may use for a known path. */
export function fieldPathName(steps: readonly JsonPathStep[]): string {
  return steps.map((s) => s.key).join('.');
}

function knownIndex(mapping: LogsourceMapping): Map<string, KnownNode> | null {
  if (!mapping.knownFields) return null;
  const cached = knownIndexes.get(mapping);
  if (cached) return cached;
  const root = new Map<string, KnownNode>();
  for (const field of mapping.knownFields) {
    const steps = parseFieldPath(field);
    if (!steps) continue;
    let level = root;
    for (const step of steps) {
      let node = level.get(step.key);
      if (!node) {
        node = { array: false, children: new Map() };
        level.set(step.key, node);
      }
      if (step.array) node.array = true;
      level = node.children;
    }
  }
  knownIndexes.set(mapping, root);
  return root;
}

/** Resolves one Sigma field name under a mapping; null when the name is not a usable path. */
export function resolveField(name: string, mapping: LogsourceMapping | undefined): FieldResolution | null {
  if (mapping && Object.hasOwn(mapping.fields, name)) {
    const entry = mapping.fields[name]!;
    const targets = isTargetList(entry) ? entry : [entry];
    return { targets, known: true };
  }
  const steps = parseFieldPath(name);
  if (!steps) return null;
  const index = mapping ? knownIndex(mapping) : null;
  if (!index) return { targets: [{ kind: 'json', path: steps }], known: true };
  let level: Map<string, KnownNode> | undefined = index;
  const resolved: JsonPathStep[] = [];
  let known = true;
  let open = false;
  for (const step of steps) {
    const node: KnownNode | undefined = level?.get(step.key);
    // `a.b.*` in knownFields: `a.b` is a free-form object (e.g. Okta's debugContext.debugData), any key below it is its own.
    if (!node && !open && level?.has('*')) open = true;
    if (!node && !open) known = false;
    resolved.push({ key: step.key, array: step.array || (node?.array ?? false) });
    level = node?.children;
  }
  return { targets: [{ kind: 'json', path: resolved }], known };
}

function isTargetList(entry: FieldTarget | readonly FieldTarget[]): entry is readonly FieldTarget[] {
  return Array.isArray(entry);
}
