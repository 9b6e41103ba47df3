/**
 * Checks across documents (correlation spec, "Related rules"): ids and names are unique, correlations refer
 * to rules or correlations that exist (by id or name), and chained correlations have no cycle. Within one
 * file only duplicates and cycles are errors (the referred rules may be in other files); a loader that has
 * the whole rule set calls this with `requireResolved` to also refuse dangling references.
 */
import type { SigmaCorrelationIR, SigmaDocumentIR, SigmaError } from '../ir';
import { formatLocation } from './diagnostics';

export interface ReferenceCheckOptions {
  /** Refuse correlations referring to ids or names that no document defines. */
  readonly requireResolved: boolean;
}

export function checkSigmaReferences(documents: readonly SigmaDocumentIR[], options: ReferenceCheckOptions): SigmaError[] {
  const errors: SigmaError[] = [];
  const byKey = new Map<string, SigmaDocumentIR>();
  for (const [attribute, keyOf] of [
    ['id', (d: SigmaDocumentIR) => d.id],
    ['name', (d: SigmaDocumentIR) => d.name],
  ] as const) {
    const seen = new Map<string, SigmaDocumentIR>();
    for (const document of documents) {
      const key = keyOf(document);
      if (key === null) continue;
      const first = seen.get(key);
      if (first) {
        errors.push({ code: 'schema', message: `${attribute} '${key}' is already used by '${first.title}' (${formatLocation(first.location)})`, location: document.location });
        continue;
      }
      seen.set(key, document);
      if (!byKey.has(key)) byKey.set(key, document);
    }
  }

  const correlations = documents.filter((d): d is SigmaCorrelationIR => d.kind === 'correlation');
  for (const correlation of correlations) {
    for (const reference of correlation.rules) {
      const target = byKey.get(reference);
      if (target === correlation) {
        errors.push({ code: 'correlation', message: `correlation '${correlation.title}' refers to itself`, location: correlation.location });
      } else if (!target && options.requireResolved) {
        errors.push({ code: 'correlation', message: `correlation '${correlation.title}' refers to '${reference}', which no rule or correlation defines (by id or name)`, location: correlation.location });
      }
    }
  }

  // Cycles through chained correlations (a → b → a), found by depth-first search.
  const state = new Map<SigmaCorrelationIR, 'visiting' | 'done'>();
  const reported = new Set<SigmaCorrelationIR>();
  const visit = (correlation: SigmaCorrelationIR, path: SigmaCorrelationIR[]) => {
    if (state.get(correlation) === 'done') return;
    if (state.get(correlation) === 'visiting') {
      const cycle = path.slice(path.indexOf(correlation));
      if (cycle.length > 1 && !cycle.some((c) => reported.has(c))) {
        for (const c of cycle) reported.add(c);
        errors.push({ code: 'correlation', message: `correlations refer to each other in a cycle: ${[...cycle, correlation].map((c) => `'${c.title}'`).join(' → ')}`, location: correlation.location });
      }
      return;
    }
    state.set(correlation, 'visiting');
    for (const reference of correlation.rules) {
      const target = byKey.get(reference);
      if (target?.kind === 'correlation' && target !== correlation) visit(target, [...path, correlation]);
    }
    state.set(correlation, 'done');
  };
  for (const correlation of correlations) visit(correlation, []);
  return errors;
}
