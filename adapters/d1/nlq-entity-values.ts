/**
 * Values present in the data, for translators to resolve entities in a question ("alice", "Germany", "okta"):
 * the most frequent actors, countries, sources and actions of the recent past, bounded by time and count.
 *
 * Computing them reads 30 days of events five times (15 s on 1 M events in local D1: bench/nlq-d1.bench.ts), so
 * the cron computes them (`refreshEntityValues`, every `entitySnapshotRefreshMs`: 15 minutes) into the one-row
 * table `nlq_entity_values`, and the query route reads that row (`entityValuesFor`). Only when there is no
 * snapshot yet, or it is older than `entitySnapshotMaxAgeMs` (the cron stopped), does a request compute them and
 * store the result.
 */
import { z } from 'zod';
import type { EntityValues } from '../../core/nlq/translator';
import type { UserCandidate } from '../../core/nlq/user-candidates';

/**
 * How often the cron recomputes the snapshot: a name seen for the first time resolves in a question within about
 * this long (plus the route's 5-minute per-isolate cache).
 */
export const entitySnapshotRefreshMs = 15 * 60_000;
/** Older than this (the cron stopped), a request recomputes instead of trusting the snapshot. */
export const entitySnapshotMaxAgeMs = 60 * 60_000;

const snapshotSchema = z.object({
  users: z.array(z.string()),
  countries: z.array(z.string()),
  sources: z.array(z.string()),
  actions: z.array(z.string()),
  ips: z.array(z.string()).optional(),
});

/** The stored snapshot and when it was computed, or null when there is none (or it does not parse). */
export async function storedEntityValues(db: D1Database): Promise<{ values: EntityValues; computedAt: string } | null> {
  const row = await db.prepare('SELECT snapshot, computed_at FROM nlq_entity_values WHERE id = 1').first<{ snapshot: string; computed_at: string }>();
  if (!row) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.snapshot);
  } catch {
    return null;
  }
  const checked = snapshotSchema.safeParse(parsed);
  return checked.success ? { values: { ...checked.data, ips: checked.data.ips ?? [] }, computedAt: row.computed_at } : null;
}

async function storeEntityValues(db: D1Database, values: EntityValues, now: Date): Promise<void> {
  await db
    .prepare(
      `INSERT INTO nlq_entity_values (id, snapshot, computed_at) VALUES (1, ?1, ?2)
       ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot, computed_at = excluded.computed_at`,
    )
    .bind(JSON.stringify(values), now.toISOString())
    .run();
}

/** For a request: the snapshot when it is fresh enough, else computed now (and stored for the next requests). */
export async function entityValuesFor(db: D1Database, now: Date): Promise<EntityValues> {
  const stored = await storedEntityValues(db);
  if (stored && now.getTime() - Date.parse(stored.computedAt) < entitySnapshotMaxAgeMs) return stored.values;
  const values = await recentEntityValues(db, now);
  await storeEntityValues(db, values, now);
  return values;
}

/** For the cron: recomputes the snapshot when it is older than the refresh interval; says whether it did. */
export async function refreshEntityValues(db: D1Database, now: Date): Promise<boolean> {
  const stored = await storedEntityValues(db);
  if (stored && now.getTime() - Date.parse(stored.computedAt) < entitySnapshotRefreshMs) return false;
  await storeEntityValues(db, await recentEntityValues(db, now), now);
  return true;
}

export const entityLookbackDays = 30;
export const maxValuesPerKind = 500;

export async function recentEntityValues(db: D1Database, now: Date): Promise<EntityValues> {
  const since = new Date(now.getTime() - entityLookbackDays * 86_400_000).toISOString();
  // Column names come from this fixed list, never from input.
  const kinds = { users: 'actor', countries: 'src_country', sources: 'source', actions: 'action', ips: 'src_ip' } as const;
  const statements = Object.values(kinds).map((column) =>
    db
      .prepare(
        `SELECT ${column} AS value FROM events WHERE event_time >= ?1 AND ${column} IS NOT NULL AND ${column} <> ''
         GROUP BY ${column} ORDER BY count(*) DESC, ${column} LIMIT ?2`,
      )
      .bind(since, maxValuesPerKind),
  );
  const results = await db.batch<{ value: string }>(statements);
  const [users, countries, sources, actions, ips] = results.map((r) => r.results.map((row) => String(row.value)));
  return { users: users ?? [], countries: countries ?? [], sources: sources ?? [], actions: actions ?? [], ips: ips ?? [] };
}

/** Actors found per candidate at most (a first name shared by many accounts is listed, not guessed between). */
export const maxActorsPerCandidate = 20;

/**
 * Actors of the last 30 days matching users a question names that the values do not list (core/nlq/user-candidates):
 * an account exactly, as an email's local part (`c@…`) or, for a first name, `c.…` — index ranges on
 * events(actor, event_time), one batch — and, for accounts, a role session's `…/c` (CloudTrail's
 * `EngineerAccess/paisley.brown`), which has no index range and is read only when the account matched nothing else.
 */
export async function lookupActors(db: D1Database, candidates: readonly UserCandidate[], now: Date): Promise<string[]> {
  if (candidates.length === 0) return [];
  const since = new Date(now.getTime() - entityLookbackDays * 86_400_000).toISOString();
  // '@' + 1 = 'A' and '.' + 1 = '/': `actor >= 'c@' AND actor < 'cA'` is every actor starting with `c@` (an email
  // whose local part is c), `actor >= 'c.' AND actor < 'c/'` every one starting with `c.` (accounts of a first name).
  const ranged = candidates.map((c) =>
    c.kind === 'account'
      ? db
          .prepare('SELECT DISTINCT actor FROM events WHERE (actor = ?1 OR (actor >= ?2 AND actor < ?3)) AND event_time >= ?4 LIMIT ?5')
          .bind(c.value, `${c.value}@`, `${c.value}A`, since, maxActorsPerCandidate)
      : db
          .prepare('SELECT DISTINCT actor FROM events WHERE actor >= ?1 AND actor < ?2 AND event_time >= ?3 LIMIT ?4')
          .bind(`${c.value}.`, `${c.value}/`, since, maxActorsPerCandidate),
  );
  const results = await db.batch<{ actor: string }>(ranged);
  const found = new Set<string>();
  const unmatchedAccounts: UserCandidate[] = [];
  results.forEach((r, i) => {
    for (const row of r.results) found.add(row.actor);
    if (r.results.length === 0 && candidates[i]!.kind === 'account') unmatchedAccounts.push(candidates[i]!);
  });
  if (unmatchedAccounts.length > 0) {
    const sessions = await db.batch<{ actor: string }>(
      unmatchedAccounts.map((c) =>
        db.prepare(`SELECT DISTINCT actor FROM events WHERE actor LIKE ?1 ESCAPE '\\' AND event_time >= ?2 LIMIT ?3`).bind(`%/${escapeLike(c.value)}`, since, maxActorsPerCandidate),
      ),
    );
    for (const r of sessions) for (const row of r.results) found.add(row.actor);
  }
  return [...found];
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
