/**
 * A test log source for rules written against arbitrary field names (pySigma's `fieldA`, `field name`,
 * `EventID`…): every field a set of Sigma documents uses gets its own column of our `events` table, and a
 * `LogsourceMapping` that serves ANY logsource with explicit column targets for exactly those fields. The same
 * rows are also presented under the rule's own field names by a view (`logs`), the table a pySigma backend's
 * query expects, so both queries run on the same stored data.
 *
 * Column choice follows what the field is compared with: numbers (number, compare, aggregated sums) get numeric
 * columns, booleans the boolean column (D1 stores it as 0/1, as SQLite tools such as Zircolite store JSON
 * booleans), everything else a text column. The view's text columns are `COLLATE NOCASE`, as Zircolite (the
 * SQLite backend's target) declares every text column: pySigma's `=` is case-insensitive there, as Sigma requires.
 */
import type { Expr, LogsourceMapping, Predicate, SigmaDocumentIR } from '../ir';

export type FieldKind = 'text' | 'number' | 'boolean';

export interface FieldColumn {
  readonly field: string;
  readonly column: string;
  readonly kind: FieldKind;
}

export interface FieldTable {
  readonly fields: readonly FieldColumn[];
  readonly mapping: LogsourceMapping;
  /** The source id every test row carries. */
  readonly source: string;
}

export const testSource = 'test';

/** Text columns of `events` no test rule field collides with; `message` and `raw` stay for keywords. */
const textColumns = [
  'actor',
  'target',
  'actor_id',
  'actor_name',
  'actor_type',
  'target_type',
  'service',
  'session_id',
  'mfa_factor',
  'user_agent',
  'src_country',
  'src_region',
  'src_city',
  'src_asn_org',
  'class_name',
  'identity_action',
  'outcome_reason',
  'severity',
  'src_ip',
];
const numberColumns = ['src_asn', 'class_uid', 'src_lat', 'src_lon'];
const booleanColumns = ['event_time_inferred'];

/** Every predicate the documents apply to each field (fields only named by correlations get none). */
export function fieldPredicates(docs: readonly SigmaDocumentIR[]): Map<string, Predicate[]> {
  const out = new Map<string, Predicate[]>();
  const add = (field: string, predicate?: Predicate) => {
    const list = out.get(field) ?? [];
    if (predicate) list.push(predicate);
    out.set(field, list);
  };
  const visit = (expr: Expr): void => {
    switch (expr.kind) {
      case 'and':
      case 'or':
        expr.items.forEach(visit);
        return;
      case 'not':
        visit(expr.item);
        return;
      case 'match':
        add(expr.field, expr.predicate);
        if (expr.predicate.kind === 'fieldref') add(expr.predicate.field);
        return;
      default:
        return;
    }
  };
  for (const doc of docs) {
    if (doc.kind === 'rule') {
      visit(doc.condition);
      if (doc.aggregation) {
        if (doc.aggregation.field) add(doc.aggregation.field);
        doc.aggregation.groupBy.forEach((g) => add(g));
      }
    } else {
      doc.groupBy.forEach((g) => add(g));
      if (doc.condition.field) add(doc.condition.field);
      for (const aliases of Object.values(doc.aliases)) Object.values(aliases).forEach((f) => add(f));
    }
  }
  return out;
}

/** Fields a correlation sums, averages or ranks: numeric whatever their predicates. */
function aggregatedNumberFields(docs: readonly SigmaDocumentIR[]): Set<string> {
  const out = new Set<string>();
  for (const doc of docs) {
    if (doc.kind === 'correlation' && doc.condition.field && doc.type !== 'value_count') {
      out.add(doc.condition.field);
      for (const aliases of Object.values(doc.aliases)) if (aliases[doc.condition.field]) out.add(aliases[doc.condition.field]!);
    }
    if (doc.kind === 'rule' && doc.aggregation?.field && doc.aggregation.function !== 'count') out.add(doc.aggregation.field);
  }
  return out;
}

function groupFields(docs: readonly SigmaDocumentIR[]): Set<string> {
  const out = new Set<string>();
  for (const doc of docs) {
    if (doc.kind === 'correlation') {
      doc.groupBy.forEach((g) => out.add(g));
      for (const aliases of Object.values(doc.aliases)) Object.values(aliases).forEach((f) => out.add(f));
      if (doc.type === 'value_count' && doc.condition.field) out.add(doc.condition.field);
    }
    if (doc.kind === 'rule' && doc.aggregation) {
      doc.aggregation.groupBy.forEach((g) => out.add(g));
      if (doc.aggregation.field && doc.aggregation.function === 'count') out.add(doc.aggregation.field);
    }
  }
  return out;
}

function kindOf(field: string, predicates: readonly Predicate[], numeric: Set<string>, grouped: Set<string>): FieldKind {
  if (numeric.has(field)) return 'number';
  if (grouped.has(field) || predicates.length === 0) return 'text';
  if (predicates.every((p) => p.kind === 'number' || p.kind === 'compare' || p.kind === 'null' || p.kind === 'exists')) {
    return predicates.some((p) => p.kind === 'number' || p.kind === 'compare') ? 'number' : 'text';
  }
  if (predicates.every((p) => p.kind === 'boolean')) return 'boolean';
  return 'text';
}

/** The test source for a set of documents (a rule file, or a correlation with its rules). */
export function buildFieldTable(docs: readonly SigmaDocumentIR[]): FieldTable {
  const predicates = fieldPredicates(docs);
  const numeric = aggregatedNumberFields(docs);
  const grouped = groupFields(docs);
  const pools: Record<FieldKind, string[]> = { text: [...textColumns], number: [...numberColumns], boolean: [...booleanColumns] };
  const fields: FieldColumn[] = [];
  for (const [field, preds] of [...predicates].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    let kind = kindOf(field, preds, numeric, grouped);
    if (pools[kind].length === 0 && kind !== 'text') kind = 'text';
    const column = pools[kind].shift();
    if (!column) throw new Error(`the test source has no ${kind} column left for field "${field}" (${predicates.size} fields)`);
    fields.push({ field, column, kind });
  }
  const mapping: LogsourceMapping = {
    logsource: {},
    sources: [testSource],
    fields: Object.fromEntries(fields.map((f) => [f.field, { kind: 'column', column: f.column }])),
  };
  return { fields, mapping, source: testSource };
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * A view presenting the test rows under the rule's field names (plus `event_uid`, and `timestamp` = the event
 * time), for queries written against the fields themselves (pySigma's SQLite backend).
 */
export function fieldViewSql(table: FieldTable, view: string): string {
  const columns = table.fields.map((f) => `${f.column}${f.kind === 'text' ? ' COLLATE NOCASE' : ''} AS ${quoteIdent(f.field)}`);
  const extra = table.fields.some((f) => f.field === 'timestamp') ? [] : ['event_time AS "timestamp"'];
  return `CREATE VIEW ${quoteIdent(view)} AS SELECT event_uid, ${[...columns, ...extra].join(', ')} FROM events WHERE source = '${testSource}'`;
}
