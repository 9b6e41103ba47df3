/**
 * Values present in the data, for translators to resolve entities in a question ("alice", "Germany", "okta"):
 * the most frequent actors, countries, sources and actions of the recent past. Bounded by time and count so the
 * lookup stays cheap on a large events table.
 */
import type { EntityValues } from '../../core/nlq/translator';

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
