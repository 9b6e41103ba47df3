/**
 * Sigma rule hits → alert candidates. A single-event rule's matching events are grouped by who and from where
 * (actor, source IP), one alert per entity with the events as evidence; a correlation's rows are already one per
 * firing group (core/detect/sql-rule alertCandidates reads them).
 */
import type { AlertCandidate } from './sql-rule';

export const maxEvidencePerCandidate = 20;

/** Columns of an event kept as evidence (raw is left out: it can be large; the alert links to the events). */
const evidenceColumns = ['event_time', 'source', 'action', 'outcome', 'outcome_reason', 'actor', 'actor_id', 'src_ip', 'src_country', 'target', 'service', 'user_agent', 'session_id', 'event_id', 'event_uid'];

/**
 * One candidate per value of the dedup fields (default who and from where); `count` is the number of events,
 * `hitKeys` their uids.
 */
export function eventHitCandidates(
  rule: { id: string; title: string },
  events: readonly Record<string, unknown>[],
  dedupFields: readonly string[] = ['actor', 'src_ip'],
): AlertCandidate[] {
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const event of events) {
    const key = dedupFields.map((f) => String(event[f] ?? '')).join('|');
    const list = groups.get(key);
    if (list) list.push(event);
    else groups.set(key, [event]);
  }
  return [...groups].map(([key, list]) => {
    const times = list.map((e) => String(e.event_time)).sort();
    const actors = distinct(list.map((e) => e.actor));
    const ips = distinct(list.map((e) => e.src_ip));
    const subject = [actors[0], ips[0] && `from ${ips[0]}`].filter(Boolean).join(' ') + (actors.length > 1 || ips.length > 1 ? ' and others' : '');
    return {
      dedupKey: `${rule.id}:${key}`,
      title: subject ? `${rule.title}: ${subject}` : rule.title,
      entities: { users: actors.slice(0, 20), ips: ips.slice(0, 20) },
      firstSeen: times[0]!,
      lastSeen: times.at(-1)!,
      count: list.length,
      evidence: {
        events: list.slice(0, maxEvidencePerCandidate).map((e) => Object.fromEntries(evidenceColumns.map((c) => [c, e[c] ?? null]))),
      },
      hitKeys: list.map((e) => String(e.event_uid ?? e.event_id)),
      sources: distinct(list.map((e) => e.source)),
    };
  });
}

function distinct(values: readonly unknown[]): string[] {
  return [...new Set(values.filter((v): v is string | number => v !== null && v !== undefined && v !== '').map(String))];
}
