/**
 * pySigma's SQLite backend vectors, compared by SEMANTICS: for each vector, the rule's fields become columns of
 * our events table (field-table.ts), events are generated from the rule's own values (event-generator.ts), and
 * pySigma's expected SQL (on the view `logs` presenting those columns under the rule's field names, text
 * columns COLLATE NOCASE as Zircolite declares them, with a REGEXP function) and OUR D1 query (confirmed by the
 * matcher when it needs it) must select the same rows — or differ exactly as the ledger explains, checked event
 * by event. Correlations: pySigma's groups must equal the whole-set model its SQL implements, ours the
 * sliding-window oracle (correlation-oracle.ts). Every vector's ledger entry (pysigma-ledger.ts) is checked.
 */
import type { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { SigmaCorrelationIR } from '../ir';
import { compileMatcher } from '../match/compile-matcher';
import { parseIpv4, textOf } from '../match/semantics';
import { ABSENT, type FieldValue } from './event-generator';
import { matchableRow, registerRegexp, runQuery, selectedUids, type EventRow } from './events-database';
import { fieldViewSql } from './field-table';
import { baseRules } from './correlation-events';
import { sqlFiringGroups } from './correlation-oracle';
import { ledgerEntry, type LedgerEntry, type SqliteDifference } from './pysigma-ledger';
import { expectedQueries, loadPySigmaVectors, type PySigmaVector } from './pysigma-vectors';
import { correlationRuns, loadGeneratedEvents, runVector, type LoadedEvents } from './vector-checks';
import type { ConvertedYaml } from './convert-vector';

const corpus = loadPySigmaVectors();
const sqliteVectors = corpus.vectors.filter((v) => v.backend === 'sqlite');

/** Rules no event can satisfy (an `all` of two different equalities): both sides select nothing. */
const unsatisfiable: ReadonlySet<string> = new Set(['test_sqlite_all_modifier']);

const because: Record<Extract<SqliteDifference, { field: string }>['because'], (value: FieldValue | undefined) => boolean> = {
  'not-an-ipv4-address': (v) => {
    const text = v === undefined || v === ABSENT ? undefined : textOf(v);
    return text !== undefined && parseIpv4(text) === undefined;
  },
  'null-or-absent': (v) => v === undefined || v === ABSENT || v === null,
};

function theirSql(vector: PySigmaVector): string {
  const conversion = vector.conversions[0]!;
  const [query] = expectedQueries(conversion);
  if (!query) throw new Error(`${vector.key}: no expected SQL`);
  return query.replaceAll('<TABLE_NAME>', 'logs');
}

function withView(db: DatabaseSync, converted: ConvertedYaml): DatabaseSync {
  registerRegexp(db);
  db.exec(fieldViewSql(converted.table, 'logs'));
  return db;
}

/** Row-level comparison for a vector with one detection rule. */
function compareRows(vector: PySigmaVector, entry: LedgerEntry, converted: ConvertedYaml): void {
  const loaded: LoadedEvents = loadGeneratedEvents(converted);
  const db = withView(loaded.db, converted);
  const ours = selectedUids(db, converted.queries.d1[0]!, converted.rules[0]!);
  let sql = theirSql(vector);
  if (entry.theirs === 'sql-error') {
    expect(() => db.prepare(sql).all()).toThrow();
    if (!entry.repair) return;
    sql = sql.replace(entry.repair.from, entry.repair.to);
  }
  const theirs = (db.prepare(sql).all() as EventRow[]).map((r) => String(r.event_uid)).sort();
  const onlyTheirs = theirs.filter((u) => !ours.includes(u));
  const onlyOurs = ours.filter((u) => !theirs.includes(u));
  const fieldsOf = (uid: string) => loaded.events[Number(uid.slice(2))]!.fields;
  if (!unsatisfiable.has(vector.test)) expect(ours.length, 'the generated events include matches').toBeGreaterThan(0);
  expect(ours.length, 'the generated events include non-matches').toBeLessThan(loaded.events.length);
  const difference = entry.difference;
  if (!difference || !('field' in difference)) {
    expect({ onlyTheirs: onlyTheirs.map(fieldsOf), onlyOurs: onlyOurs.map(fieldsOf) }).toEqual({ onlyTheirs: [], onlyOurs: [] });
    return;
  }
  const [expectedSide, otherSide] = difference.side === 'theirs-only' ? [onlyTheirs, onlyOurs] : [onlyOurs, onlyTheirs];
  expect(otherSide.map(fieldsOf), `no event selected by ${difference.side === 'theirs-only' ? 'ours' : 'pySigma'} only`).toEqual([]);
  expect(expectedSide.length, 'the explained difference shows on the generated events').toBeGreaterThan(0);
  const unexplained = expectedSide.map(fieldsOf).filter((f) => !because[difference.because](f[difference.field]));
  expect(unexplained, `every difference is explained by ${difference.field}: ${difference.because}`).toEqual([]);
}

/**
 * What pySigma's SQLite correlation SQL computes: per group value (NULL included), over ALL events of the
 * correlated rules (one row per rule an event matches), the aggregate compared with the condition; the
 * timespan is ignored, except by temporal, which needs every rule and the group's events within one timespan.
 */
function wholeSetGroups(corr: SigmaCorrelationIR, converted: ConvertedYaml, rows: readonly EventRow[]): Set<string> {
  const rules = baseRules(corr, converted.lookup);
  const column = (field: string | null) => (field ? converted.table.fields.find((f) => f.field === field)?.column : undefined);
  const groupColumns = corr.groupBy.map(column);
  const valueColumn = column(corr.condition.field);
  const groups = new Map<string, { rule: number; row: EventRow }[]>();
  rules.forEach((rule, r) => {
    const matches = compileMatcher(rule);
    for (const row of rows) {
      if (!matches(matchableRow(row))) continue;
      const key = JSON.stringify(groupColumns.map((c) => (c && row[c] !== null ? String(row[c]) : null)));
      groups.set(key, [...(groups.get(key) ?? []), { rule: r, row }]);
    }
  });
  const fires = new Set<string>();
  const { op, value: threshold } = corr.condition;
  const holds = (x: number) => (op === 'lt' ? x < threshold : op === 'lte' ? x <= threshold : op === 'gt' ? x > threshold : op === 'gte' ? x >= threshold : op === 'neq' ? x !== threshold : x === threshold);
  for (const [key, events] of groups) {
    const values = events.map((e) => (valueColumn ? e.row[valueColumn] : null)).filter((v): v is string | number => v !== null);
    const numbers = values.map(Number);
    let fired: boolean;
    switch (corr.type) {
      case 'event_count':
        fired = holds(events.length);
        break;
      case 'value_count':
        fired = holds(new Set(values.map(String)).size);
        break;
      case 'value_sum':
        fired = numbers.length > 0 && holds(numbers.reduce((a, b) => a + b, 0));
        break;
      case 'value_avg':
        fired = numbers.length > 0 && holds(numbers.reduce((a, b) => a + b, 0) / numbers.length);
        break;
      case 'temporal': {
        const times = events.map((e) => Date.parse(String(e.row.event_time)));
        fired = new Set(events.map((e) => e.rule)).size >= 2 && Math.max(...times) - Math.min(...times) <= corr.timespanMs;
        break;
      }
      default:
        throw new Error(`no whole-set model for ${corr.type}`);
    }
    if (fired) fires.add(key);
  }
  return fires;
}

function compareCorrelation(vector: PySigmaVector, entry: LedgerEntry, converted: ConvertedYaml): void {
  const corr = converted.correlations[0]!;
  const ours = converted.queries.d1[converted.rules.length]!;
  let differences = 0;
  // More sequences than the oracle check uses: a difference needs a burst just over the threshold in total yet
  // under it in every window, which only some draws produce.
  for (const run of correlationRuns(converted, 0, Array.from({ length: 24 }, (_v, i) => i + 1))) {
    const db = withView(run.db, converted);
    const theirRows = db.prepare(theirSql(vector)).all() as Record<string, unknown>[];
    const theirs = new Set(theirRows.map((r) => JSON.stringify(corr.groupBy.map((g) => (r[g] === null ? null : String(r[g]))))));
    expect([...theirs].sort(), `seed ${run.seed}: pySigma's groups are the whole-set model's`).toEqual([...wholeSetGroups(corr, converted, run.rows)].sort());
    const our = new Set(sqlFiringGroups(runQuery(db, ours), corr.groupBy.length).keys());
    if ([...theirs].sort().join() !== [...our].sort().join()) differences++;
  }
  if (entry.outcome === 'agree') expect(differences).toBe(0);
  else expect(differences, 'the explained difference shows on the generated sequences').toBeGreaterThan(0);
}

describe('pySigma SQLite backend vectors: same rows as our D1 query', () => {
  it('are in the corpus', () => {
    expect(sqliteVectors.length).toBe(45);
  });

  it.each(sqliteVectors.map((v) => [v.test, v] as const))('%s', (_test, vector) => {
    const entry = ledgerEntry(vector);
    if (!entry) throw new Error(`${vector.key} is not in pysigma-ledger.ts`);
    const run = runVector(vector, entry);
    expect(run.problems).toEqual([]);
    const conversion = vector.conversions[0];
    if (!conversion) return; // An error vector or an output-format check: the ledger's expectation was checked above.
    const converted = run.converted[conversion.rule_yaml_index];
    if (!converted) return; // Ours refuses the rule, as the ledger says.
    if (converted.correlations.length) compareCorrelation(vector, entry, converted);
    else compareRows(vector, entry, converted);
  });
});
