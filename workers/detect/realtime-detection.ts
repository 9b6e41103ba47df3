/**
 * The real-time path: each landed ingest batch's events run through the compiled streaming matchers of every
 * enabled single-event Sigma rule (rules with `realtime` on; correlations and aggregations stay on the cron),
 * as soon as the batch is durable — alerts within seconds of the event arriving.
 *
 * The rule set is compiled once per isolate and recompiled when any Sigma rule changes. A batch is marked
 * `realtime_done_at` after its hits are recorded; a batch whose real-time pass did not finish (the isolate died,
 * D1 hiccuped) is picked up by the cron sweep (sweepRealtimeBacklog) and run again — hits are counted once
 * (alert_hits), so the repeat adds nothing that was already recorded.
 */
import { eventHitCandidates } from '../../core/detect/sigma-hits';
import { compileRuleSet, type RuleSetMatcher } from '../../core/sigma/match/rule-set';
import type { MatchableEvent } from '../../core/sigma/match/compile-matcher';
import { sigmaMappings } from '../../core/sigma/mappings';
import { compileRuleBook, severityOfLevel } from '../../core/sigma/rule-book';
import type { ResolvedRule } from '../../core/sigma/ir';
import type { Severity } from '../../core/schema/event';
import type { Env } from '../env';
import { recordHits, type SinkRule } from './alert-sink';

interface RealtimeEntry {
  readonly key: string;
  readonly sink: SinkRule;
  readonly dedupFields: readonly string[];
}

interface RealtimeRuleSet {
  readonly version: string;
  readonly match: RuleSetMatcher;
  readonly entries: ReadonlyMap<string, RealtimeEntry>;
}

let cached: RealtimeRuleSet | null = null;

interface RuleRowLite {
  id: string;
  name: string;
  severity: Severity;
  sigma_yaml: string;
  sigma_id: string | null;
  tags: string;
  dedup_window_minutes: number;
  dedup_fields: string;
  threshold: number;
  enabled: number;
  realtime: number;
}

/** The compiled real-time rules, rebuilt when a Sigma rule was added, changed or removed. */
export async function realtimeRuleSet(env: Env): Promise<RealtimeRuleSet> {
  const stamp = await env.DB.prepare(`SELECT count(*) AS n, coalesce(max(updated_at), '') AS at FROM detection_rules WHERE format = 'sigma'`).first<{
    n: number;
    at: string;
  }>();
  const version = `${stamp?.n ?? 0}:${stamp?.at ?? ''}`;
  if (cached?.version === version) return cached;
  const { results: rows } = await env.DB.prepare(
    `SELECT id, name, severity, sigma_yaml, sigma_id, tags, dedup_window_minutes, dedup_fields, threshold, enabled, realtime
     FROM detection_rules WHERE format = 'sigma'`,
  ).all<RuleRowLite>();
  // Every stored Sigma rule is compiled (a correlation elsewhere may silence a rule's own alerts).
  const book = compileRuleBook(
    rows.map((r) => ({ rowId: r.id, yaml: r.sigma_yaml })),
    sigmaMappings,
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const resolved: ResolvedRule[] = [];
  const entries = new Map<string, RealtimeEntry>();
  for (const entry of book.entries) {
    const row = byId.get(entry.rowId);
    if (!row || !row.enabled || !row.realtime || !entry.raisesAlerts || !entry.resolved) continue;
    if (entry.document.kind !== 'rule' || entry.document.aggregation) continue;
    const key = `${entry.rowId}#${entry.document.id ?? entry.document.title}`;
    resolved.push({ ...entry.resolved, rule: { ...entry.resolved.rule, id: key } });
    const tags = entry.document.tags.length > 0 ? entry.document.tags : (JSON.parse(row.tags) as string[]);
    entries.set(key, {
      key,
      dedupFields: JSON.parse(row.dedup_fields) as string[],
      sink: {
        id: row.id,
        name: entry.document.title,
        severity: entry.document.level ? severityOfLevel(entry.document.level) : row.severity,
        hitScope: `${row.id}:${entry.document.id ?? entry.document.title}`,
        sigmaId: row.sigma_id,
        tags,
        dedupWindowMinutes: row.dedup_window_minutes,
        threshold: row.threshold,
      },
    });
  }
  cached = { version, match: compileRuleSet(resolved), entries };
  return cached;
}

export interface RealtimeSummary {
  readonly rules: number;
  readonly hits: number;
  readonly newAlerts: number;
}

/** A stored event row (core/ingest/parse-batch StoredEvent, or a row read back from D1). */
type StoredEventLike = object & { readonly raw: string };

/** Runs the real-time rules over landed events and records their hits; marks the batch done. */
export async function detectRealtime(env: Env, batchId: string, events: readonly StoredEventLike[], now: Date): Promise<RealtimeSummary> {
  const set = await realtimeRuleSet(env);
  const hits = new Map<string, Readonly<Record<string, unknown>>[]>();
  if (set.entries.size > 0) {
    for (const stored of events) {
      const event = stored as Readonly<Record<string, unknown>> & { readonly raw: string };
      let parsed: unknown;
      let done = false;
      const matchable: MatchableEvent = {
        columns: event,
        get raw() {
          if (!done) {
            done = true;
            try {
              parsed = JSON.parse(event.raw);
            } catch {
              parsed = event.raw; // text formats (syslog): the line itself
            }
          }
          return parsed;
        },
      };
      for (const key of set.match(matchable)) {
        const list = hits.get(key);
        if (list) list.push(event);
        else hits.set(key, [event]);
      }
    }
  }
  let newAlerts = 0;
  let hitCount = 0;
  for (const [key, matched] of hits) {
    const entry = set.entries.get(key)!;
    const candidates = eventHitCandidates({ id: entry.sink.hitScope, title: entry.sink.name }, matched, entry.dedupFields);
    const result = await recordHits(env, entry.sink, candidates, now);
    newAlerts += result.newAlerts;
    hitCount += matched.length;
  }
  await env.DB.prepare('UPDATE ingest_batches SET realtime_done_at = ?2 WHERE batch_id = ?1').bind(batchId, now.toISOString()).run();
  return { rules: set.entries.size, hits: hitCount, newAlerts };
}

/** Batches landed without a finished real-time pass (older than a minute): run again from their D1 rows. */
export async function sweepRealtimeBacklog(env: Env, now: Date, limit = 20): Promise<number> {
  const before = new Date(now.getTime() - 60_000).toISOString();
  const { results } = await env.DB.prepare(
    `SELECT batch_id FROM ingest_batches WHERE status = 'complete' AND realtime_done_at IS NULL AND completed_at < ?1 ORDER BY completed_at LIMIT ?2`,
  )
    .bind(before, limit)
    .all<{ batch_id: string }>();
  for (const { batch_id } of results) {
    const { results: events } = await env.DB.prepare('SELECT * FROM events WHERE batch_id = ?1').bind(batch_id).all<StoredEventLike>();
    await detectRealtime(env, batch_id, events, now);
  }
  return results.length;
}
