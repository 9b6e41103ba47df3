/**
 * The search identifiers of a detection section (rules spec, "Detection"): a map is the AND of its field
 * items, a list of maps is the OR of the maps, a list of plain values (or a single one) is an OR of keywords.
 * Each field item goes through the value modifiers (modifiers.ts). Errors are collected per item, so one bad
 * value does not hide the next; an identifier with an error resolves to null.
 */
import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { Expr, SourceLocation } from '../ir';
import { addError, addWarning, type Diagnostics } from './diagnostics';
import { andExpr, orExpr } from './expr';
import { buildDetectionItem, lookupModifier, type ItemContext, type ModifierName, type RawValue } from './modifiers';
import { deref, locateNode, mapEntries, type YamlDocument } from './yaml-source';

export interface SearchIdentifier {
  readonly name: string;
  readonly location: SourceLocation | null;
  /** Null when the definition has errors (already reported). */
  readonly expr: Expr | null;
}

/**
 * Builds every entry of `section` except the `reserved` keys (condition, timeframe) into a search identifier.
 */
export function parseSearchIdentifiers(
  input: YamlDocument,
  section: YAMLMap,
  reserved: ReadonlySet<string>,
  context: ItemContext,
  diagnostics: Diagnostics,
): Map<string, SearchIdentifier> {
  const identifiers = new Map<string, SearchIdentifier>();
  for (const entry of mapEntries(input.doc, section)) {
    if (reserved.has(entry.key)) continue;
    const location = locateNode(input.source, entry.keyNode);
    const expr = parseDefinition(input, entry.value, location, context, diagnostics, `search identifier '${entry.key}'`);
    identifiers.set(entry.key, { name: entry.key, location, expr });
  }
  return identifiers;
}

function parseDefinition(
  input: YamlDocument,
  node: Node | null,
  keyLocation: SourceLocation | null,
  context: ItemContext,
  diagnostics: Diagnostics,
  what: string,
): Expr | null {
  const location = locateNode(input.source, node) ?? keyLocation;
  if (node && isMap(node)) return parseFieldMap(input, node, context, diagnostics, what);
  if (node && isSeq(node)) {
    const items = node.items.map((item) => deref(input.doc, item));
    if (items.length === 0) {
      addError(diagnostics, 'schema', `${what} is an empty list`, location);
      return null;
    }
    if (items.every((item) => item !== null && isScalar(item))) {
      return keywordItem(input, [], items as Scalar[], location, context, diagnostics);
    }
    const alternatives: (Expr | null)[] = items.map((item) => {
      if (item && isMap(item)) return parseFieldMap(input, item, context, diagnostics, what);
      if (item && isScalar(item)) return keywordItem(input, [], [item], locateNode(input.source, item), context, diagnostics);
      addError(diagnostics, 'schema', `${what}: a list may hold values or maps of fields, not nested lists`, locateNode(input.source, item) ?? location);
      return null;
    });
    return alternatives.every((a) => a !== null) ? orExpr(alternatives as Expr[]) : null;
  }
  if (node && isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) {
    return keywordItem(input, [], [node], location, context, diagnostics);
  }
  addError(diagnostics, 'schema', `${what} must be a map of fields, a list, or a keyword string`, location);
  return null;
}

function parseFieldMap(input: YamlDocument, map: YAMLMap, context: ItemContext, diagnostics: Diagnostics, what: string): Expr | null {
  const entries = mapEntries(input.doc, map);
  if (entries.length === 0) {
    addError(diagnostics, 'schema', `${what} is an empty map`, locateNode(input.source, map));
    return null;
  }
  const items: (Expr | null)[] = entries.map((entry) => {
    const keyLocation = locateNode(input.source, entry.keyNode);
    const [fieldText, ...modifierTexts] = entry.key.split('|');
    const modifiers: ModifierName[] = [];
    let modifierError = false;
    for (const text of modifierTexts) {
      const found = lookupModifier(text);
      if ('name' in found) modifiers.push(found.name);
      else {
        addError(diagnostics, found.code, `'${entry.key}': ${found.message}`, keyLocation);
        modifierError = true;
      }
    }
    const values = valueNodes(input, entry.value, keyLocation, diagnostics, `'${entry.key}'`);
    if (modifierError || values === null) return null;
    const field = fieldText === '' || fieldText === undefined ? null : fieldText;
    return fieldItem(input, field, modifiers, values, keyLocation, context, diagnostics, entry.key);
  });
  return items.every((i) => i !== null) ? andExpr(items as Expr[]) : null;
}

/** The scalar values of a field item: one scalar or a list of scalars. */
function valueNodes(input: YamlDocument, node: Node | null, keyLocation: SourceLocation | null, diagnostics: Diagnostics, what: string): Scalar[] | null {
  if (node === null) return [nullScalar()];
  if (isScalar(node)) return [node];
  if (isSeq(node)) {
    const items = node.items.map((item) => deref(input.doc, item));
    if (items.length === 0) {
      addError(diagnostics, 'invalid_value', `${what} has an empty list of values`, locateNode(input.source, node) ?? keyLocation);
      return null;
    }
    const bad = items.find((item) => item === null || !isScalar(item));
    if (bad !== undefined) {
      addError(diagnostics, 'invalid_value', `${what}: values must be plain values, not lists or maps`, locateNode(input.source, bad) ?? keyLocation);
      return null;
    }
    const scalars = items as Scalar[];
    if (scalars.length > 1 && scalars.some((s) => s.value === null)) {
      // Rules spec, "Special Field Values": null has its own type and cannot be part of a list of values.
      const nullNode = scalars.find((s) => s.value === null);
      addError(diagnostics, 'invalid_value', `${what}: null cannot be part of a list of values; put it in its own search identifier`, locateNode(input.source, nullNode) ?? keyLocation);
      return null;
    }
    return scalars;
  }
  addError(diagnostics, 'invalid_value', `${what}: a field's value must be a value or a list of values, not a map`, locateNode(input.source, node) ?? keyLocation);
  return null;
}

function nullScalar(): Scalar {
  return { value: null } as Scalar;
}

function rawValues(input: YamlDocument, scalars: readonly Scalar[], fallback: SourceLocation | null, diagnostics: Diagnostics): RawValue[] {
  return scalars.map((scalar) => {
    const location = locateNode(input.source, scalar) ?? fallback;
    const value = scalar.value;
    if (typeof value === 'number') {
      const source = scalar.source ?? String(value);
      if (!Number.isSafeInteger(value) && /^[-+]?\d+$/.test(source)) {
        addWarning(diagnostics, `${source} is too large for a number and is matched as text`, location);
        return { value: source, source, location };
      }
      if (scalar.format === 'HEX' || scalar.format === 'OCT') {
        addWarning(diagnostics, `${source} is read as the number ${value}; quote it to match the text`, location);
      }
      return { value, source, location };
    }
    if (typeof value === 'string' || typeof value === 'boolean' || value === null) {
      return { value, source: scalar.source ?? String(value), location };
    }
    return { value: String(value), source: String(value), location };
  });
}

function keywordItem(input: YamlDocument, modifiers: ModifierName[], scalars: readonly Scalar[], location: SourceLocation | null, context: ItemContext, diagnostics: Diagnostics): Expr | null {
  return fieldItem(input, null, modifiers, scalars, location, context, diagnostics, 'keyword');
}

function fieldItem(
  input: YamlDocument,
  field: string | null,
  modifiers: ModifierName[],
  scalars: readonly Scalar[],
  location: SourceLocation | null,
  context: ItemContext,
  diagnostics: Diagnostics,
  what: string,
): Expr | null {
  if (modifiers.includes('all') && scalars.length === 1) {
    addWarning(diagnostics, `'${what}': all on a single value has no effect (the spec disallows it)`, location);
  }
  const warn = (message: string, at: SourceLocation | null) => addWarning(diagnostics, `'${what}': ${message}`, at);
  const result = buildDetectionItem(field, modifiers, rawValues(input, scalars, location, diagnostics), { ...context, warn }, location);
  if (!('kind' in result)) {
    addError(diagnostics, result.code, `${what === 'keyword' ? 'keyword' : `'${what}'`}: ${result.message}`, result.location);
    return null;
  }
  return result;
}
