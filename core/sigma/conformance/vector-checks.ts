/**
 * The checks a converted vector goes through, whatever its backend:
 * - every query of every dialect parses with that dialect's SQL parser;
 * - on node:sqlite with the migrations, each rule's D1 query (confirmed by the matcher when it needs it)
 *   selects exactly the generated events the streaming matcher selects — and, when it needs confirmation,
 *   the unconfirmed rows are a superset;
 * - each correlation's D1 query fires for exactly the groups the brute-force oracle finds, with the same
 *   first_seen, last_seen, count and value, on several generated datasets.
 * Each returns the problems found (empty: the check holds) so a test can show them all at once.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { CompiledQuery } from '../ir';
import { convertYaml, instantiateTemplate, isTemplate, sqlDialectNames, type ConvertedYaml, type ConvertOptions } from './convert-vector';
import { correlationDataset } from './correlation-events';
import { firingGroups, sqlFiringGroups, type FiringGroup } from './correlation-oracle';
import { eventRows, generateEvents, type GeneratedEvent } from './event-generator';
import { insertEvents, matcherUids, migratedDatabase, runQuery, selectedUids, type EventRow } from './events-database';
import { ourResults, type LedgerEntry } from './pysigma-ledger';
import type { PySigmaVector } from './pysigma-vectors';
import { sqlParseError } from './sql-parsers';

export function sqlParseProblems(converted: ConvertedYaml): string[] {
  const problems: string[] = [];
  for (const dialect of sqlDialectNames) {
    for (const [i, query] of converted.queries[dialect].entries()) {
      const error = sqlParseError(dialect, query.sql);
      if (error) problems.push(`${dialect} query ${i + 1}: ${error}`);
    }
  }
  return problems;
}

export interface LoadedEvents {
  readonly db: DatabaseSync;
  readonly events: readonly GeneratedEvent[];
}

/** The generated events of a converted YAML, stored in a fresh migrated database. */
export function loadGeneratedEvents(converted: ConvertedYaml): LoadedEvents {
  const events = generateEvents(converted.docs, converted.table);
  const db = migratedDatabase();
  insertEvents(db, eventRows(events, converted.table));
  return { db, events };
}

export interface RuleComparison {
  readonly title: string;
  readonly d1: readonly string[];
  readonly matcher: readonly string[];
  readonly query: CompiledQuery;
}

/** Per rule: the D1 selection (confirmed) and the matcher's, on the loaded events. */
export function compareRules(converted: ConvertedYaml, loaded: LoadedEvents): RuleComparison[] {
  return converted.rules.map((rule, i) => {
    const query = converted.queries.d1[i]!;
    return { title: rule.rule.title, d1: selectedUids(loaded.db, query, rule), matcher: matcherUids(loaded.db, rule), query };
  });
}

export function d1MatcherProblems(converted: ConvertedYaml, loaded: LoadedEvents): string[] {
  const problems: string[] = [];
  for (const c of compareRules(converted, loaded)) {
    const onlyD1 = c.d1.filter((u) => !c.matcher.includes(u));
    const onlyMatcher = c.matcher.filter((u) => !c.d1.includes(u));
    const show = (uids: readonly string[]) => uids.slice(0, 3).map((u) => JSON.stringify(loaded.events[Number(u.slice(2))]?.fields));
    if (onlyD1.length) problems.push(`${c.title}: D1 only ${onlyD1.length} ${show(onlyD1).join(' ')}`);
    if (onlyMatcher.length) problems.push(`${c.title}: matcher only ${onlyMatcher.length} ${show(onlyMatcher).join(' ')}`);
    if (c.query.needsConfirmation) {
      const unconfirmed = new Set(runQuery(loaded.db, c.query).map((r) => String(r.event_uid)));
      const missing = c.matcher.filter((u) => !unconfirmed.has(u));
      if (missing.length) problems.push(`${c.title}: the superset query misses ${missing.length} matching events`);
    }
  }
  return problems;
}

const closeEnough = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Differences between two firing-group maps (the SQL's and the oracle's), described. */
export function firingDifferences(sql: ReadonlyMap<string, FiringGroup>, oracle: ReadonlyMap<string, FiringGroup>): string[] {
  const out: string[] = [];
  for (const [key, o] of oracle) {
    const s = sql.get(key);
    if (!s) out.push(`group ${key}: oracle fires, SQL does not`);
    else if (s.firstSeen !== o.firstSeen || s.lastSeen !== o.lastSeen || s.count !== o.count || !closeEnough(s.value, o.value)) {
      out.push(`group ${key}: SQL ${JSON.stringify(s)} oracle ${JSON.stringify(o)}`);
    }
  }
  for (const key of sql.keys()) if (!oracle.has(key)) out.push(`group ${key}: SQL fires, oracle does not`);
  return out;
}

export interface CorrelationRun {
  readonly seed: number;
  readonly rows: readonly EventRow[];
  readonly db: DatabaseSync;
}

/** Datasets of generated sequences for one correlation of the YAML. */
export function correlationRuns(converted: ConvertedYaml, index: number, seeds: readonly number[]): CorrelationRun[] {
  const corr = converted.correlations[index]!;
  return seeds.map((seed) => {
    const { rows } = correlationDataset(corr, converted.lookup, converted.table, { seed });
    const db = migratedDatabase();
    insertEvents(db, rows);
    return { seed, db, rows: db.prepare('SELECT * FROM events').all() as EventRow[] };
  });
}

export const correlationSeeds = [1, 2, 3, 4, 5, 6, 7, 8];

export function correlationOracleProblems(converted: ConvertedYaml): string[] {
  const problems: string[] = [];
  converted.correlations.forEach((corr, i) => {
    const query = converted.queries.d1[converted.rules.length + i]!;
    let fired = 0;
    for (const run of correlationRuns(converted, i, correlationSeeds)) {
      const sql = sqlFiringGroups(runQuery(run.db, query), corr.groupBy.length);
      const oracle = firingGroups(corr, converted.lookup, run.rows);
      fired += oracle.size;
      for (const d of firingDifferences(sql, oracle)) problems.push(`${corr.title} (seed ${run.seed}): ${d}`);
    }
    // A check that never sees a correlation fire proves little.
    if (fired === 0 && !neverFires(corr)) problems.push(`${corr.title}: no dataset made it fire`);
  });
  return problems;
}

/** Correlations no data can fire (temporal over one rule with gte 2, …): nothing to exercise. */
function neverFires(corr: ConvertedYaml['correlations'][number]): boolean {
  return (corr.type === 'temporal' || corr.type === 'temporal_ordered') && corr.condition.op.startsWith('gt') && corr.condition.value > new Set(corr.rules).size;
}

// ---- one vector, end to end ---------------------------------------------------------------------------------


export interface VectorRun {
  /** Per YAML of the vector (templates: per instantiation), the conversion when it converted. */
  readonly converted: readonly (ConvertedYaml | null)[];
  readonly problems: readonly string[];
}

/** The YAML texts of a vector, a parametrized test's template instantiated with the ledger's values. */
export function vectorYamls(vector: PySigmaVector, entry: LedgerEntry): string[] {
  return vector.rulesYaml.flatMap((text) => {
    if (!isTemplate(text)) return [text];
    if (!entry.template) throw new Error(`${vector.key}: a parametrized test needs template values in the ledger`);
    return instantiateTemplate(text, entry.template);
  });
}

/** Our engine on every YAML of a vector, held to the ledger's expectation and to the checks above. */
export function runVector(vector: PySigmaVector, entry: LedgerEntry): VectorRun {
  const yamls = vectorYamls(vector, entry);
  const expected = ourResults(entry, yamls.length);
  const problems: string[] = [];
  if (expected.length !== yamls.length) problems.push(`the ledger expects ${expected.length} results for ${yamls.length} YAML texts`);
  const options: ConvertOptions = entry.placeholders ? { placeholders: entry.placeholders } : {};
  const converted = yamls.map((yaml, i) => {
    const outcome = convertYaml(yaml, options);
    const want = expected[i];
    if (want === 'converts') {
      if (!outcome.ok) {
        problems.push(`YAML ${i + 1}: expected to convert, ${outcome.stage} failed${outcome.dialect ? ` in ${outcome.dialect}` : ''}: ${outcome.errors.map((e) => `${e.code}: ${e.message}`).join('; ')}`);
        return null;
      }
      problems.push(...sqlParseProblems(outcome.value).map((p) => `YAML ${i + 1}: ${p}`));
      const loaded = loadGeneratedEvents(outcome.value);
      problems.push(...d1MatcherProblems(outcome.value, loaded).map((p) => `YAML ${i + 1}: ${p}`));
      loaded.db.close();
      problems.push(...correlationOracleProblems(outcome.value).map((p) => `YAML ${i + 1}: ${p}`));
      return outcome.value;
    }
    if (want && outcome.ok) problems.push(`YAML ${i + 1}: expected a refusal (${want.refuses}), but it converts`);
    else if (want && !outcome.ok && !outcome.errors.some((e) => e.code === want.refuses)) {
      problems.push(`YAML ${i + 1}: expected a refusal with ${want.refuses}, got ${outcome.errors.map((e) => e.code).join(', ')}`);
    }
    return null;
  });
  return { converted, problems };
}
