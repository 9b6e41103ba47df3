/**
 * Sigma rule hits → alert candidates. A single-event rule's matching events are grouped by who and from where
 * (actor, source IP), one alert per entity with the events as evidence; a correlation's rows are already one per
 * firing group (core/detect/sql-rule alertCandidates reads them).
 */
import type { AlertCandidate } from './sql-rule';

export const maxEvidencePerCandidate = 20;

/** Columns of an event kept as evidence (raw is left out: it can be large; the alert links to the events). */
const evidenceColumns = ['event_time', 'source', 'action', 'outcome', 'actor', 'src_ip', 'src_country', 'target', 'event_id', 'event_uid'];

export function eventHitCandidates(rule: { id: string; title: string }, events: readonly Record<string, unknown>[]): AlertCandidate[] {
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const event of events) {
    const key = `${event.actor ?? ''}|${event.src_ip ?? ''}`;
    const list = groups.get(key);
    if (list) list.push(event);
    else groups.set(key, [event]);
  }
  return [...groups].map(([key, list]) => {
    const times = list.map((e) => String(e.event_time)).sort();
    const actor = list[0]!.actor as string | null;
    const ip = list[0]!.src_ip as string | null;
    const subject = [actor, ip && `from ${ip}`].filter(Boolean).join(' ');
    return {
      dedupKey: `${rule.id}:${key}`,
      title: subject ? `${rule.title}: ${subject}` : rule.title,
      entities: { users: actor ? [actor] : [], ips: ip ? [ip] : [] },
      firstSeen: times[0]!,
      lastSeen: times.at(-1)!,
      count: list.length,
      evidence: {
        events: list.slice(0, maxEvidencePerCandidate).map((e) => Object.fromEntries(evidenceColumns.map((c) => [c, e[c] ?? null]))),
      },
    };
  });
}
