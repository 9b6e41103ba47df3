/**
 * NL → Sigma: an alerting request in English → a Sigma rule set (YAML) that the Sigma engine has parsed,
 * resolved strictly against our field mappings and compiled for D1 before it is returned.
 *
 * Invariants:
 * - Deterministic for the same request, `now` and `newId`; no I/O.
 * - What is returned compiles (`compileRuleBook`, strict); a generated rule that does not is reported as a
 *   failure with the engine's errors, never returned as a rule.
 * - A request the reader cannot place is refused (ok: false) with phrasings it can turn into rules.
 */
import type { LogsourceMapping } from '../../sigma/ir';
import { compileRuleBook, type BookEntry } from '../../sigma/rule-book';
import { readAlertRequest, type AlertIntent } from './read-request';
import { renderRule } from './render-rule';

export type { AlertIntent, GroupField, SigmaLevel } from './read-request';

/** Phrasings the generator turns into rules; every one is generated and compiled by the unit tests. */
export const exampleAlertRequests: readonly string[] = [
  'Alert when a user fails login 5+ times in 10 minutes',
  'Alert me if anyone signs in from North Korea',
  'Notify when an admin role is granted',
  'Alert when 20 different users fail to sign in from one IP within an hour',
  'Alert when the root account is used',
  'When someone removes an MFA factor',
  'More than 3 MFA push denials for one user in 5 minutes',
];

export interface GenerateOptions {
  readonly now: Date;
  readonly newId?: () => string;
}

export interface CompiledDocument {
  readonly title: string;
  readonly kind: 'rule' | 'correlation';
  readonly sql: string;
}

export type SigmaGeneration =
  | {
      readonly ok: true;
      readonly yaml: string;
      readonly titles: readonly string[];
      readonly explanation: string;
      readonly assumptions: readonly string[];
      readonly intent: AlertIntent;
      /** The rule book entries of the generated YAML (D1), to run over a window without saving. */
      readonly entries: readonly BookEntry[];
      readonly compiled: readonly CompiledDocument[];
    }
  | { readonly ok: false; readonly reason: 'not_understood' | 'does_not_compile'; readonly message: string; readonly suggestions: readonly string[] };

const generatedRowId = 'generated';

export function generateSigmaRule(request: string, mappings: readonly LogsourceMapping[], options: GenerateOptions): SigmaGeneration {
  const read = readAlertRequest(request);
  if (!read.ok) return { ok: false, reason: 'not_understood', message: read.message, suggestions: suggestAlertRequests(request) };
  const rendered = renderRule(read.intent, { request, now: options.now, newId: options.newId ?? (() => crypto.randomUUID()) });
  const book = compileRuleBook([{ rowId: generatedRowId, yaml: rendered.yaml }], mappings);
  if (book.problems.length > 0 || book.entries.length === 0) {
    const errors = book.problems.flatMap((p) => p.errors.map((e) => e.message));
    return { ok: false, reason: 'does_not_compile', message: `The generated rule did not compile: ${errors.join('; ') || 'no documents'}`, suggestions: [] };
  }
  const entries = [...book.entries].sort((a, b) => (a.document.kind === 'correlation' ? 0 : 1) - (b.document.kind === 'correlation' ? 0 : 1));
  return {
    ok: true,
    yaml: rendered.yaml,
    titles: rendered.titles,
    explanation: rendered.explanation,
    assumptions: read.intent.assumptions,
    intent: read.intent,
    entries,
    compiled: entries.map((e) => ({ title: e.document.title, kind: e.document.kind === 'correlation' ? 'correlation' : 'rule', sql: e.query.sql })),
  };
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z0-9]+/g) ?? []);
}

/** The example requests closest to the one asked, by shared words. */
export function suggestAlertRequests(request: string, limit = 3): string[] {
  const asked = words(request);
  return exampleAlertRequests
    .map((q, i) => {
      const w = words(q);
      let shared = 0;
      for (const x of w) if (asked.has(x)) shared++;
      return { q, score: shared / Math.sqrt(w.size), i };
    })
    .filter((s) => s.q.toLowerCase() !== request.trim().toLowerCase())
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, limit)
    .map((s) => s.q);
}
