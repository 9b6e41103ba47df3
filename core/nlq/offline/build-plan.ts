/**
 * A reading becomes a plan: on its own, or as an edit of the previous turn's plan when it reads as a follow-up
 * ("only admins" adds a filter, "now by country" regroups, "what about last month?" moves the time range, a new
 * country replaces the old one).
 */
import { defaultListLimit, defaultTopLimit, type Dimension, type Filter, type QueryPlan, type Shape } from './plan';
import type { Reading } from './read-question';

export type PlanResult = { ok: true; plan: QueryPlan } | { ok: false; message: string };

export function buildPlan(reading: Reading, parent: QueryPlan | null): PlanResult {
  const merge = parent !== null && (reading.followUp || isBare(reading));
  const table = reading.table ?? (merge ? parent.table : 'events');
  if (merge && parent.table !== table && reading.table !== null) {
    return { ok: false, message: 'The follow-up switches between events and alerts; ask it as a new question.' };
  }
  const filters = merge ? mergeFilters(parent.filters, reading.filters) : [...reading.filters];
  const time = reading.time ?? (merge ? parent.time : null);
  let shape: Shape | null = reading.shape ?? (merge ? parent.shape : null);
  if (shape === null) shape = { kind: 'list', limit: defaultListLimit, order: 'newest' };

  if (reading.groupBy.length > 0) {
    const dims = reading.groupBy;
    const result = regroup(shape, dims, merge && reading.shape === null);
    if (!result) return { ok: false, message: `I cannot group this kind of answer by ${dims.join(' and ')}.` };
    shape = result;
  }
  if (reading.ranking) {
    if (shape.kind === 'list' || shape.kind === 'count') {
      return { ok: false, message: 'I read "most"/"least" but not what to rank; ask e.g. "which users had the most failed logins".' };
    }
    if (shape.kind === 'group') {
      const limit = reading.ranking.limit ?? shape.limit ?? defaultTopLimit;
      shape = { ...shape, order: reading.ranking.order, limit };
    } else {
      return { ok: false, message: 'I read "most"/"least" but not what to rank; ask e.g. "which users had the most failed logins".' };
    }
  }
  const assumptions = merge ? [...new Set([...parent.assumptions, ...reading.assumptions])] : [...reading.assumptions];
  if (table === 'alerts' && shape.kind === 'group' && shape.dimensions.some((d) => !['severity', 'status', 'rule_name', 'assignee'].includes(d))) {
    return { ok: false, message: 'Alerts can be grouped by severity, status, rule or assignee.' };
  }
  return { ok: true, plan: { table, shape, filters, time, assumptions } };
}

/**
 * A question that names nothing to query ("per day", "how many?") or no kind of event ("in Germany?", "for
 * paisley") leans on the previous one.
 */
function isBare(reading: Reading): boolean {
  if (reading.table !== null) return false;
  // "per day", "how many?", "by user": a new shape for the same events
  if (reading.filters.length === 0 && reading.time === null) return true;
  return reading.shape === null && !reading.filters.some((f) => f.key === 'category');
}

function mergeFilters(parent: readonly Filter[], added: readonly Filter[]): Filter[] {
  const replaced = new Set(added.map((f) => f.key));
  // A country (or user, source …) named afresh replaces the earlier one and its exclusions alike.
  for (const f of added) replaced.add(f.key.endsWith(':not') ? f.key.slice(0, -4) : `${f.key}:not`);
  for (const f of added) if (f.key.endsWith(':not')) replaced.delete(f.key.slice(0, -4));
  return [...parent.filter((f) => !replaced.has(f.key)), ...added];
}

function regroup(shape: Shape, dims: readonly Dimension[], fromParent: boolean): Shape | null {
  switch (shape.kind) {
    case 'list':
    case 'count':
      return { kind: 'group', dimensions: dims, limit: null, order: 'most' };
    case 'count_distinct':
      return { kind: 'group', dimensions: dims, limit: null, order: 'most', metric: { kind: 'distinct', dimension: shape.dimension } };
    case 'when':
      return { kind: 'group', dimensions: dims, limit: null, order: 'most', metric: { kind: 'when', which: shape.which } };
    case 'trend':
      return { kind: 'trend', bucket: shape.bucket, dimensions: dims };
    case 'group':
      // "now by country" replaces the grouping; "which users … by country" adds to it.
      return { ...shape, dimensions: fromParent ? dims : [...new Set([...shape.dimensions, ...dims])], limit: fromParent ? null : shape.limit };
  }
}
