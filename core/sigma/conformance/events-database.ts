/**
 * The D1 side of the conformance suites: node:sqlite (the engine D1 is) with the migrations applied
 * (migrations/0001_init.sql + 0002), rows inserted as the ingest path stores them, our compiled queries run
 * with their parameters, and rows a query selects as a superset confirmed by the streaming matcher, as the
 * scheduled detector does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { RE2JS } from 're2js';
import type { CompiledQuery, ResolvedRule } from '../ir';
import { compileMatcher, type MatchableEvent } from '../match/compile-matcher';
import { repoRoot } from './corpus';

export type SqlValue = string | number | null;
export type EventRow = Readonly<Record<string, SqlValue>>;

const migrations = ['migrations/0001_init.sql', 'migrations/0002_collectors.sql'];

/** A fresh in-memory database with every migration applied. */
export function migratedDatabase(): DatabaseSync {
  const db = new DatabaseSync(':memory:');
  for (const file of migrations) db.exec(readFileSync(join(repoRoot, file), 'utf8'));
  return db;
}

let eventColumnsCache: string[] | null = null;

/** The columns of `events`, in table order. */
export function eventColumns(): string[] {
  if (!eventColumnsCache) {
    const db = migratedDatabase();
    eventColumnsCache = (db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map((c) => c.name);
    db.close();
  }
  return eventColumnsCache;
}

/** Inserts rows into `events` (missing columns NULL; booleans as 1/0, as D1 stores them). */
export function insertEvents(db: DatabaseSync, rows: readonly Readonly<Record<string, unknown>>[]): void {
  const columns = eventColumns();
  const insert = db.prepare(`INSERT INTO events (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  db.exec('BEGIN');
  for (const row of rows) {
    insert.run(...columns.map((c) => {
      const v = row[c];
      return typeof v === 'boolean' ? (v ? 1 : 0) : ((v ?? null) as SqlValue);
    }));
  }
  db.exec('COMMIT');
}

export function runQuery(db: DatabaseSync, query: CompiledQuery): EventRow[] {
  return db.prepare(query.sql).all(...(query.params as SqlValue[])) as EventRow[];
}

/** The stored row as the matcher receives it: the columns, and `raw` parsed (a text line stays text). */
export function matchableRow(row: EventRow): MatchableEvent {
  const raw = typeof row.raw === 'string' ? row.raw : null;
  let parsed: unknown = raw;
  if (raw !== null) {
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = raw;
    }
  }
  return { columns: row, raw: parsed };
}

/** event_uids a rule's D1 query selects, confirmed by the matcher when the query needs it. */
export function selectedUids(db: DatabaseSync, query: CompiledQuery, resolved: ResolvedRule): string[] {
  const rows = runQuery(db, query);
  const matches = query.needsConfirmation ? compileMatcher(resolved) : null;
  return rows.filter((row) => !matches || matches(matchableRow(row))).map((row) => String(row.event_uid)).sort();
}

/** event_uids of every stored row of the rule's sources that the streaming matcher matches. */
export function matcherUids(db: DatabaseSync, resolved: ResolvedRule): string[] {
  const matches = compileMatcher(resolved);
  const rows = db.prepare('SELECT * FROM events').all() as EventRow[];
  return rows
    .filter((row) => resolved.sources.includes(String(row.source)) && matches(matchableRow(row)))
    .map((row) => String(row.event_uid))
    .sort();
}

/**
 * `X REGEXP Y` for queries that assume one (pySigma's SQLite backend, written for Zircolite, which registers
 * Python's `re.search`): an unanchored search, here on RE2. D1 itself has no REGEXP.
 */
export function registerRegexp(db: DatabaseSync): void {
  const cache = new Map<string, RE2JS>();
  db.function('regexp', { deterministic: true }, (pattern, value) => {
    if (value === null || pattern === null) return null;
    const source = String(pattern);
    let re = cache.get(source);
    if (!re) {
      re = RE2JS.compile(source);
      cache.set(source, re);
    }
    return re.test(String(value)) ? 1 : 0;
  });
}
