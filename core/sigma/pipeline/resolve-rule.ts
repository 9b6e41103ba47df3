/**
 * Stage 2 of the Sigma engine (pySigma's processing pipeline): a parsed rule becomes a ResolvedRule over our
 * sources, with every field resolved to a column or a raw-JSON path.
 *
 * - Logsource gating as pySigma does: a mapping applies when every logsource key it specifies equals the
 *   rule's (case-insensitively); the most specific applicable mapping (most keys) wins; a tie goes to the first
 *   in list order, with a warning. No applicable mapping → `unsupported_logsource`, naming the logsource.
 * - Field resolution (`resolve-field.ts`); in strict mode a name outside the mapping's `knownFields` is an
 *   `unmapped_field` error naming the field and the line/column it was written at. Every such field is
 *   reported, not only the first. Outside strict mode it becomes a warning and the raw JSON path is used.
 * - The mapping's `where` condition is ANDed in front of the rule's condition.
 *
 * Pure: returns new data and never mutates its inputs.
 */
import type {
  Expr,
  FieldTarget,
  Logsource,
  LogsourceMapping,
  ResolvedExpr,
  ResolvedRule,
  SigmaError,
  SigmaResult,
  SigmaRuleIR,
  SourceLocation,
} from '../ir';
import { resolveField } from './resolve-field';

export interface ResolveOptions {
  /** Refuse fields the mapping does not know (when it lists `knownFields`). */
  readonly strict: boolean;
}

const logsourceKeys = ['product', 'service', 'category'] as const;

export interface LogsourceSelection {
  readonly mapping: LogsourceMapping;
  /** Other mappings exactly as specific that also applied (the first in list order was chosen). */
  readonly ties: readonly LogsourceMapping[];
}

export function describeLogsource(logsource: Logsource): string {
  const parts = logsourceKeys.filter((k) => logsource[k] !== undefined).map((k) => `${k}: ${logsource[k]}`);
  return parts.length ? parts.join(', ') : '(empty logsource)';
}

/** The mapping that applies to a logsource: the most specific one whose every key equals the rule's. */
export function selectLogsourceMapping(logsource: Logsource, mappings: readonly LogsourceMapping[]): LogsourceSelection | null {
  let best: LogsourceMapping | null = null;
  let bestScore = -1;
  let ties: LogsourceMapping[] = [];
  for (const mapping of mappings) {
    let score = 0;
    let applies = true;
    for (const key of logsourceKeys) {
      const wanted = mapping.logsource[key];
      if (wanted === undefined) continue;
      const actual = logsource[key];
      if (actual === undefined || actual.toLowerCase() !== wanted.toLowerCase()) {
        applies = false;
        break;
      }
      score++;
    }
    if (!applies) continue;
    if (score > bestScore) {
      best = mapping;
      bestScore = score;
      ties = [];
    } else if (score === bestScore) {
      ties.push(mapping);
    }
  }
  return best ? { mapping: best, ties } : null;
}

interface ResolveContext {
  readonly mapping: LogsourceMapping;
  readonly strict: boolean;
  readonly ruleLocation: SourceLocation;
  readonly errors: SigmaError[];
  readonly warnings: string[];
  readonly source: string;
}

export function resolveRule(rule: SigmaRuleIR, mappings: readonly LogsourceMapping[], options: ResolveOptions): SigmaResult<ResolvedRule> {
  const selection = selectLogsourceMapping(rule.logsource, mappings);
  if (!selection) {
    return {
      ok: false,
      errors: [
        {
          code: 'unsupported_logsource',
          message: `No log source we collect matches the rule's logsource (${describeLogsource(rule.logsource)}).`,
          location: rule.location,
        },
      ],
    };
  }
  const { mapping, ties } = selection;
  const ctx: ResolveContext = {
    mapping,
    strict: options.strict,
    ruleLocation: rule.location,
    errors: [],
    warnings: [],
    source: mapping.sources.join(', ') || describeLogsource(mapping.logsource),
  };
  if (ties.length) {
    ctx.warnings.push(
      `Several mappings apply equally to logsource (${describeLogsource(rule.logsource)}); using the one for ${ctx.source}.`,
    );
  }
  const ruleCondition = resolveExpr(rule.condition, ctx);
  // The mapping's own condition is ours, not the rule author's: never strict about its fields.
  const where = mapping.where ? resolveExpr(mapping.where, { ...ctx, strict: false }) : null;
  const condition: ResolvedExpr = where ? { kind: 'and', items: [where, ruleCondition] } : ruleCondition;

  let aggregation: ResolvedRule['aggregation'] = null;
  if (rule.aggregation) {
    const { field, groupBy, ...rest } = rule.aggregation;
    const fieldTarget = field === null ? null : resolveSingle(field, ctx, rule.location);
    const groupTargets = groupBy.map((g) => resolveSingle(g, ctx, rule.location));
    aggregation = {
      ...rest,
      field: fieldTarget,
      groupBy: groupTargets.filter((t): t is FieldTarget => t !== null),
    };
  }
  if (ctx.errors.length) return { ok: false, errors: ctx.errors };
  return { ok: true, value: { rule, sources: [...mapping.sources], condition, aggregation, mapping }, warnings: ctx.warnings };
}

function resolveExpr(expr: Expr, ctx: ResolveContext): ResolvedExpr {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return { kind: expr.kind, items: expr.items.map((item) => resolveExpr(item, ctx)) };
    case 'not':
      return { kind: 'not', item: resolveExpr(expr.item, ctx) };
    case 'const':
      return expr;
    case 'keyword':
      return expr;
    case 'match': {
      const location = expr.location ?? ctx.ruleLocation;
      const targets = resolveTargets(expr.field, ctx, location);
      const resolved: { kind: 'match'; targets: readonly FieldTarget[]; predicate: typeof expr.predicate; refTargets?: readonly FieldTarget[]; location?: SourceLocation } = {
        kind: 'match',
        targets,
        predicate: expr.predicate,
      };
      if (expr.predicate.kind === 'fieldref') resolved.refTargets = resolveTargets(expr.predicate.field, ctx, location);
      if (expr.location) resolved.location = expr.location;
      return resolved;
    }
  }
}

function resolveTargets(name: string, ctx: ResolveContext, location: SourceLocation): readonly FieldTarget[] {
  const resolution = resolveField(name, ctx.mapping);
  if (!resolution) {
    ctx.errors.push({ code: 'unmapped_field', message: `"${name}" is not a usable field name (empty path step).`, location });
    return [];
  }
  if (!resolution.known) {
    if (ctx.strict) {
      ctx.errors.push({
        code: 'unmapped_field',
        message: `Field "${name}" is not a known field of ${ctx.source}; map it in the ${ctx.source} mapping or fix the name.`,
        location,
      });
    } else {
      ctx.warnings.push(`Field "${name}" (line ${location.line}) is not a known field of ${ctx.source}; reading raw.${name}.`);
    }
  }
  return resolution.targets;
}

function resolveSingle(name: string, ctx: ResolveContext, location: SourceLocation): FieldTarget | null {
  const targets = resolveTargets(name, ctx, location);
  if (targets.length > 1) ctx.warnings.push(`Field "${name}" maps to several places; aggregating over the first.`);
  return targets[0] ?? null;
}
