/**
 * Stage 1 of the Sigma engine (README.md): a YAML file of one or more documents (`---`) → typed IR.
 * A document is a rule (`detection`), a correlation (`correlation`) or a filter (`filter`); rules and
 * correlations come out as `SigmaDocumentIR`, filters as `SigmaFilterIR` (applied to rules with
 * `applySigmaFilters`). Every error of every document is reported, with its file, line and column; any error
 * fails the whole file, so a partly understood file never reaches a backend.
 */
import { isMap } from 'yaml';
import type { SigmaDocumentIR, SigmaResult } from '../ir';
import { addError, newDiagnostics, toResult, type Diagnostics } from './diagnostics';
import { parseFilterDocument, type SigmaFilterIR } from './filters';
import type { ItemContext } from './modifiers';
import { parseCorrelationDocument } from './parse-correlation';
import { parseRuleDocument } from './parse-rule';
import { checkSigmaReferences } from './references';
import { complexKeys, loadYamlDocuments, locateNode, mapEntries, type YamlDocument } from './yaml-source';

export { applySigmaFilters, logsourceCovers, type SigmaFilterIR } from './filters';
export { checkSigmaReferences, type ReferenceCheckOptions } from './references';

export interface SigmaParseOptions {
  /** Values of `%placeholder%`s for the expand modifier; each value is a Sigma string (wildcards work). */
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
}

export interface SigmaFile {
  readonly documents: readonly SigmaDocumentIR[];
  readonly filters: readonly SigmaFilterIR[];
}

type DocumentKind = 'rule' | 'correlation' | 'filter';

const maxAliasCount = 100;

/** Parses every document of a file, whatever its kind. */
export function parseSigmaFile(yamlText: string, file: string, options: SigmaParseOptions = {}): SigmaResult<SigmaFile> {
  const diagnostics = newDiagnostics();
  const parsed = parseAll(yamlText, file, options, diagnostics);
  return toResult(diagnostics, parsed);
}

/** Rules and correlations; a filter document in the file is an error (load filters with `parseSigmaFilters`). */
export function parseSigmaDocuments(yamlText: string, file: string, options: SigmaParseOptions = {}): SigmaResult<SigmaDocumentIR[]> {
  const diagnostics = newDiagnostics();
  const parsed = parseAll(yamlText, file, options, diagnostics, 'filter');
  return toResult(diagnostics, [...parsed.documents]);
}

/** Filters only; a rule or correlation in the file is an error. */
export function parseSigmaFilters(yamlText: string, file: string, options: SigmaParseOptions = {}): SigmaResult<SigmaFilterIR[]> {
  const diagnostics = newDiagnostics();
  const parsed = parseAll(yamlText, file, options, diagnostics, 'rule', 'correlation');
  return toResult(diagnostics, [...parsed.filters]);
}

function parseAll(yamlText: string, file: string, options: SigmaParseOptions, diagnostics: Diagnostics, ...refused: DocumentKind[]): SigmaFile {
  const context: ItemContext = { placeholders: options.placeholders };
  const documents: SigmaDocumentIR[] = [];
  const filters: SigmaFilterIR[] = [];
  const inputs = loadYamlDocuments(yamlText, file, diagnostics);
  if (inputs.length === 0 && diagnostics.errors.length === 0) addError(diagnostics, 'schema', 'the file holds no YAML document', { file, line: 1, column: 1 });
  for (const input of inputs) {
    const kind = documentKind(input, diagnostics);
    if (kind === null) continue;
    if (refused.includes(kind)) {
      const hint = kind === 'filter' ? 'load filter files with parseSigmaFilters (or parseSigmaFile)' : 'load rule files with parseSigmaDocuments (or parseSigmaFile)';
      addError(diagnostics, 'schema', `unexpected ${kind} document: ${hint}`, locateNode(input.source, input.root));
      continue;
    }
    let value: unknown;
    try {
      value = input.doc.toJS({ maxAliasCount });
    } catch (error) {
      addError(diagnostics, 'yaml', error instanceof Error ? error.message : String(error), locateNode(input.source, input.root));
      continue;
    }
    if (kind === 'rule') {
      const rule = parseRuleDocument(input, value, context, diagnostics);
      if (rule) documents.push(rule);
    } else if (kind === 'correlation') {
      const correlation = parseCorrelationDocument(input, value, diagnostics);
      if (correlation) documents.push(correlation);
    } else {
      const filter = parseFilterDocument(input, value, context, diagnostics);
      if (filter) filters.push(filter);
    }
  }
  diagnostics.errors.push(...checkSigmaReferences(documents, { requireResolved: false }));
  return { documents, filters };
}

function documentKind(input: YamlDocument, diagnostics: Diagnostics): DocumentKind | null {
  const root = input.root;
  const location = locateNode(input.source, root);
  if (!root || !isMap(root)) {
    addError(diagnostics, 'schema', 'a Sigma document must be a map (title, logsource, detection, …)', location);
    return null;
  }
  for (const key of complexKeys(input.doc, root)) addError(diagnostics, 'schema', 'keys must be plain strings', locateNode(input.source, key));
  const keys = new Set(mapEntries(input.doc, root).map((e) => e.key));
  if (keys.has('action')) {
    addError(diagnostics, 'unsupported_feature', "Sigma 1.0 collection actions ('action: global', 'repeat', 'reset') are not supported: write each rule as a full document", location);
    return null;
  }
  const kinds = (['detection', 'correlation', 'filter'] as const).filter((k) => keys.has(k));
  if (kinds.length > 1) {
    addError(diagnostics, 'schema', `a document is either a rule (detection), a correlation (correlation) or a filter (filter), not ${kinds.join(' and ')}`, location);
    return null;
  }
  if (kinds.length === 0) {
    addError(diagnostics, 'schema', 'the document has no detection (rule), correlation or filter section', location);
    return null;
  }
  return kinds[0] === 'detection' ? 'rule' : (kinds[0] as 'correlation' | 'filter');
}
