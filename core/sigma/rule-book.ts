/**
 * The rule book: the Sigma rules a deployment stores, compiled together for the D1 engine. Used when a rule is
 * saved (validation: parse → resolve strictly → compile, errors with line and column) and by the scheduled
 * detector at every run (the YAML is the source of truth; compiled SQL is never stored as truth, so a newer
 * mapping applies to old rules at once).
 *
 * Correlations refer to other rules by id or name; they resolve against every document in the book. A rule
 * referenced by a correlation whose `generate` is false raises no alert of its own (Sigma correlation spec).
 */
import type { CompiledQuery, ResolvedRule, SigmaCorrelationIR, SigmaDocumentIR, SigmaError, SigmaRuleIR, SqlDialectName } from './ir';
import type { LogsourceMapping } from './ir';
import { compileMatcher, type EventMatcher } from './match/compile-matcher';
import { parseSigmaDocuments } from './parse/parse-documents';
import { resolveRule } from './pipeline/resolve-rule';
import { compileCorrelationSql, compileRuleSql, indexRulesByIdOrName, type CorrelationInput } from './sql/compile-sql';

export interface StoredSigma {
  /** The stored rule's own id (a row of detection_rules). */
  readonly rowId: string;
  readonly yaml: string;
}

export interface BookEntry {
  readonly rowId: string;
  readonly document: SigmaDocumentIR;
  /** Resolved through the pipeline (rules only). */
  readonly resolved: ResolvedRule | null;
  /** D1 SQL with the scheduled window as its first two parameters. */
  readonly query: CompiledQuery;
  /** For rules whose SQL selects a superset: confirms each returned row. */
  readonly confirm: EventMatcher | null;
  /** False for a rule that only feeds correlations which do not `generate` its own alerts. */
  readonly raisesAlerts: boolean;
}

export interface BookProblem {
  readonly rowId: string;
  readonly errors: readonly SigmaError[];
}

export interface RuleBook {
  readonly entries: readonly BookEntry[];
  readonly problems: readonly BookProblem[];
}

/**
 * Parses, resolves (strict) and compiles every stored rule for `dialect`, with the scheduled time window.
 * A stored text may hold several documents (a correlation with its base rules); each becomes an entry.
 */
export function compileRuleBook(stored: readonly StoredSigma[], mappings: readonly LogsourceMapping[], dialect: SqlDialectName = 'd1'): RuleBook {
  const problems: BookProblem[] = [];
  const parsed: { rowId: string; document: SigmaDocumentIR }[] = [];
  for (const item of stored) {
    const result = parseSigmaDocuments(item.yaml, `rule ${item.rowId}`);
    if (!result.ok) problems.push({ rowId: item.rowId, errors: result.errors });
    else for (const document of result.value) parsed.push({ rowId: item.rowId, document });
  }

  const resolved = new Map<SigmaDocumentIR, ResolvedRule>();
  for (const { rowId, document } of parsed) {
    if (document.kind !== 'rule') continue;
    const result = resolveRule(document, mappings, { strict: true });
    if (result.ok) resolved.set(document, result.value);
    else problems.push({ rowId, errors: result.errors });
  }
  const index = indexRulesByIdOrName([
    ...resolved.values(),
    ...parsed.map((p) => p.document).filter((d): d is SigmaCorrelationIR => d.kind === 'correlation'),
  ] as CorrelationInput[]);

  const silenced = silencedByCorrelations(parsed.map((p) => p.document));
  const entries: BookEntry[] = [];
  for (const { rowId, document } of parsed) {
    if (document.kind === 'rule') {
      const rule = resolved.get(document);
      if (!rule) continue;
      const query = compileRuleSql(rule, dialect, { timeWindow: true });
      if (!query.ok) {
        problems.push({ rowId, errors: query.errors });
        continue;
      }
      entries.push({
        rowId,
        document,
        resolved: rule,
        query: query.value,
        confirm: query.value.needsConfirmation ? compileMatcher(rule) : null,
        raisesAlerts: !silenced.has(document),
      });
    } else {
      const query = compileCorrelationSql(document, index, dialect, { timeWindow: true });
      if (!query.ok) {
        problems.push({ rowId, errors: query.errors });
        continue;
      }
      entries.push({ rowId, document, resolved: null, query: query.value, confirm: null, raisesAlerts: true });
    }
  }
  return { entries, problems };
}

/** Rules referenced only by correlations that do not `generate` the rules' own alerts. */
function silencedByCorrelations(documents: readonly SigmaDocumentIR[]): Set<SigmaDocumentIR> {
  const byRef = new Map<string, SigmaDocumentIR>();
  for (const d of documents) {
    if (d.id) byRef.set(d.id, d);
    if (d.name) byRef.set(d.name, d);
  }
  const generated = new Set<SigmaDocumentIR>();
  const silenced = new Set<SigmaDocumentIR>();
  for (const d of documents) {
    if (d.kind !== 'correlation') continue;
    for (const ref of d.rules) {
      const target = byRef.get(ref);
      if (!target) continue;
      if (d.generate) generated.add(target);
      else silenced.add(target);
    }
  }
  for (const g of generated) silenced.delete(g);
  return silenced;
}

/** The severity column value for a Sigma level. */
export function severityOfLevel(level: SigmaRuleIR['level']): 'info' | 'low' | 'medium' | 'high' | 'critical' {
  switch (level) {
    case 'critical':
      return 'critical';
    case 'high':
      return 'high';
    case 'medium':
      return 'medium';
    case 'low':
      return 'low';
    default:
      return 'info';
  }
}

/** The longest time a document needs to look back before its window (a correlation's timespan). */
export function lookbackMsOf(document: SigmaDocumentIR): number {
  if (document.kind === 'correlation') return document.timespanMs;
  return document.aggregation?.timespanMs ?? 0;
}
