/**
 * YAML with locations: loads every document of a file with eemeli/yaml (YAML 1.2, core schema) and gives
 * the 1-based line and column of any node, or of a position inside a scalar (used for condition errors).
 *
 * Invariants: dates stay strings (the 1.2 core schema has no timestamp type), duplicate keys are errors (a
 * silently dropped selection is worse than a refused rule), aliases are followed but bounded.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { SourceLocation } from '../ir';
import { addError, addWarning, type Diagnostics } from './diagnostics';

export interface YamlSource {
  readonly file: string;
  readonly text: string;
  readonly lineCounter: LineCounter;
}

export interface YamlDocument {
  readonly source: YamlSource;
  readonly doc: Document.Parsed;
  /** The document's root node (null for an empty document). */
  readonly root: Node | null;
}

/** Loads every document; YAML syntax errors are reported (code `yaml`) and their documents dropped. */
export function loadYamlDocuments(text: string, file: string, diagnostics: Diagnostics): YamlDocument[] {
  const lineCounter = new LineCounter();
  const source: YamlSource = { file, text, lineCounter };
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, schema: 'core' });
  const documents: YamlDocument[] = [];
  for (const doc of parsed) {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) addError(diagnostics, 'yaml', error.message, locateOffset(source, error.pos[0]));
      continue;
    }
    for (const warning of doc.warnings) addWarning(diagnostics, `YAML: ${warning.message}`, locateOffset(source, warning.pos[0]));
    const root = doc.contents as Node | null;
    if (root === null || (isScalar(root) && root.value === null)) continue;
    documents.push({ source, doc, root });
  }
  return documents;
}

export function locateOffset(source: YamlSource, offset: number): SourceLocation {
  const { line, col } = source.lineCounter.linePos(offset);
  return { file: source.file, line, column: col };
}

export function locateNode(source: YamlSource, node: Node | null | undefined): SourceLocation | null {
  if (!node?.range) return null;
  return locateOffset(source, node.range[0]);
}

const maxAliasDepth = 32;

/** Follows aliases (`*name`) to the node they name. */
export function deref(doc: Document.Parsed, node: unknown): Node | null {
  let current = node;
  for (let depth = 0; isAlias(current); depth += 1) {
    if (depth > maxAliasDepth) return null;
    current = current.resolve(doc);
  }
  return (current as Node | undefined) ?? null;
}

export interface MapEntry {
  readonly key: string;
  readonly keyNode: Node;
  readonly value: Node | null;
}

/** The entries of a YAML map with their key as text (numbers and booleans as written). */
export function mapEntries(doc: Document.Parsed, map: YAMLMap): MapEntry[] {
  const entries: MapEntry[] = [];
  for (const pair of map.items) {
    const keyNode = deref(doc, pair.key);
    if (!keyNode || !isScalar(keyNode)) continue;
    const key = keyNode.value === null ? '' : typeof keyNode.value === 'string' ? keyNode.value : (keyNode.source ?? String(keyNode.value));
    entries.push({ key, keyNode, value: deref(doc, pair.value) });
  }
  return entries;
}

/** Map entries whose key is not a plain scalar (e.g. `? [a, b]: x`), which Sigma never uses. */
export function complexKeys(doc: Document.Parsed, map: YAMLMap): Node[] {
  const nodes: Node[] = [];
  for (const pair of map.items) {
    const keyNode = deref(doc, pair.key);
    if (keyNode && !isScalar(keyNode)) nodes.push(keyNode);
  }
  return nodes;
}

/** The node at a path of map keys and sequence indexes, or the deepest existing node on the way. */
export function nodeAtPath(doc: Document.Parsed, root: Node | null, path: readonly PropertyKey[]): Node | null {
  let current: Node | null = root;
  // Where a missing key is reported: the key of the map it is missing from (not the map's first entry).
  let parentKey: Node | null = null;
  for (const step of path) {
    if (current && isMap(current)) {
      const entry = mapEntries(doc, current).find((e) => e.key === String(step));
      if (!entry) return parentKey ?? current;
      if (!entry.value) return entry.keyNode;
      parentKey = entry.keyNode;
      current = entry.value;
    } else if (current && isSeq(current) && typeof step === 'number') {
      const item = deref(doc, current.items[step]);
      if (!item) return current;
      parentKey = null;
      current = item;
    } else {
      return current;
    }
  }
  return current;
}

/** The node at a path of map keys, or null if any step is missing or empty. */
export function valueAtPath(doc: Document.Parsed, root: Node | null, path: readonly string[]): Node | null {
  let current: Node | null = root;
  for (const step of path) {
    if (!current || !isMap(current)) return null;
    current = mapEntries(doc, current).find((e) => e.key === step)?.value ?? null;
  }
  return current;
}

/**
 * Location of the character at `offset` of a scalar's value, e.g. the column of an unknown identifier inside
 * a condition string. Exact for single-line plain and quoted scalars; for folded or multi-line scalars the
 * token is looked up in the source text (folding only changes whitespace); otherwise the scalar's start.
 */
export function locateInScalar(source: YamlSource, scalar: Scalar, offset: number, token: string): SourceLocation | null {
  const range = scalar.range;
  if (!range) return null;
  const value = typeof scalar.value === 'string' ? scalar.value : String(scalar.value);
  const quoted = scalar.type === 'QUOTE_SINGLE' || scalar.type === 'QUOTE_DOUBLE';
  const start = range[0] + (quoted ? 1 : 0);
  if ((scalar.type === 'PLAIN' || quoted) && source.text.slice(start, start + value.length) === value) {
    return locateOffset(source, start + offset);
  }
  const slice = source.text.slice(range[0], range[1]);
  if (token !== '') {
    let occurrence = 0;
    for (let at = value.indexOf(token); at !== -1 && at < offset; at = value.indexOf(token, at + 1)) occurrence += 1;
    let found = -1;
    for (let seen = 0, at = slice.indexOf(token); at !== -1; at = slice.indexOf(token, at + 1), seen += 1) {
      if (seen === occurrence) {
        found = at;
        break;
      }
    }
    if (found !== -1) return locateOffset(source, range[0] + found);
  }
  return locateOffset(source, offset >= value.length ? range[1] : range[0]);
}
