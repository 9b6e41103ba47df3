/**
 * IdentityUserState: one SQLite-backed Durable Object per person (named by the person key of
 * core/itdr/resolve.ts, so `alice@corp` on Okta, Entra ID and Google is one object), fed by the ingest path
 * with that person's identity events from every provider. Each `process` call runs the ITDR engine
 * (core/itdr/engine.ts) over the events not seen before and persists, in one storage transaction: the
 * engine state (baseline, sessions, risk factors, kill-chain stages, incident, detections), the recent events,
 * the sign-ins with coordinates (for the map), the evidence events of each detection, and the risk history.
 *
 * Invariants:
 * - Serial: an RPC method that never awaits runs to completion before the next one starts (input gates), and
 *   every write happens inside `transactionSync`, so concurrent batches cannot interleave.
 * - Idempotent: events are keyed by their storage uid; a retried batch finds them all stored and changes
 *   nothing (the engine is idempotent by uid too).
 * - Durable: nothing is cached in memory between calls, so a restarted object answers the same; `reset`
 *   empties everything but the containment (which comes from a playbook, not from the lake) for
 *   `mantissa itdr rebuild`.
 * Storage layout (docs/storage-schema.md): tables `identity_events`, `user_meta`, `itdr_state`, `itdr_signins`,
 * `itdr_detection_events`, `itdr_risk_history`.
 */
import { DurableObject } from 'cloudflare:workers';
import { z } from 'zod';
import { identityEventSummarySchema, type IdentityEventSummary } from '../core/identity/identity-event';
import {
  containmentSchema,
  identityEventsKept,
  identitySignInsKept,
  riskHistoryKept,
  type Containment,
  type HostedDetection,
  type IdentitySnapshot,
  type MapArc,
  type PersonProcessAnswer,
  type PersonView,
  type RiskHistoryPoint,
  type SeenValue,
  type TimelineEntry,
} from '../core/identity/identity-state';
import { maturity } from '../core/itdr/baseline';
import { detectorCatalog } from '../core/itdr/catalog';
import { initialUserState, processUserEvents } from '../core/itdr/engine';
import { resolvePerson, type IdentityResolutionConfig } from '../core/itdr/resolve';
import { riskView } from '../core/itdr/risk';
import type { Detection, OrgProfile, SeenCount, UserItdrState } from '../core/itdr/types';
import { readItdrConfig } from '../workers/itdr/itdr-config';

const processInputSchema = z.array(identityEventSummarySchema).max(10_000);
const signInActions = new Set(['auth_success', 'auth_failure', 'session_start', 'mfa_accept']);

export interface PersonProcessContext {
  /** The org-wide profile (cold-start baseline), from the IdentityOrgState object. */
  readonly org: OrgProfile | null;
  /** Detections about this person from the org-wide (per source address) detectors. */
  readonly external: readonly Detection[];
  /** Processing time (ISO): the risk reported is decayed to it. */
  readonly now: string;
}

export class IdentityUserState extends DurableObject<Cloudflare.Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS identity_events (
        event_uid TEXT PRIMARY KEY,
        event_time TEXT NOT NULL,
        source TEXT NOT NULL,
        action TEXT NOT NULL,
        identity_action TEXT NOT NULL,
        outcome TEXT NOT NULL,
        actor TEXT,
        src_ip TEXT,
        country TEXT,
        city TEXT,
        user_agent TEXT
      );
      CREATE INDEX IF NOT EXISTS identity_events_time ON identity_events (event_time);
      CREATE TABLE IF NOT EXISTS user_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS itdr_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS itdr_signins (
        event_uid TEXT PRIMARY KEY,
        event_time TEXT NOT NULL,
        lat REAL NOT NULL,
        lon REAL NOT NULL,
        city TEXT,
        country TEXT,
        ip TEXT,
        outcome TEXT NOT NULL,
        source TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS itdr_signins_time ON itdr_signins (event_time);
      CREATE TABLE IF NOT EXISTS itdr_detection_events (
        detection_id TEXT NOT NULL,
        event_uid TEXT NOT NULL,
        event_time TEXT NOT NULL,
        summary TEXT NOT NULL,
        PRIMARY KEY (detection_id, event_uid)
      );
      CREATE TABLE IF NOT EXISTS itdr_risk_history (
        at TEXT NOT NULL,
        detection_id TEXT PRIMARY KEY,
        score INTEGER NOT NULL,
        level TEXT NOT NULL,
        reason TEXT
      );
      CREATE INDEX IF NOT EXISTS itdr_risk_history_at ON itdr_risk_history (at);
    `);
    // Objects created before ITDR keep their events table; the full summary column is added in place.
    const columns = this.sql.exec<{ name: string }>('PRAGMA table_info(identity_events)').toArray();
    if (!columns.some((c) => c.name === 'summary')) this.sql.exec('ALTER TABLE identity_events ADD COLUMN summary TEXT');
  }

  ping(): string {
    return 'pong';
  }

  /**
   * Runs the ITDR engine over the events not seen before (in event-time order) and persists the result.
   * Returns the new detections and the person's risk, stages and incident for the alerting path.
   */
  process(person: string, events: IdentityEventSummary[], context: PersonProcessContext): PersonProcessAnswer {
    const input = processInputSchema.parse(events);
    const config = readItdrConfig(this.env);
    return this.ctx.storage.transactionSync(() => {
      this.setMeta('user', person);
      // One statement for the whole batch (a statement per event costs far more in the object's SQLite); the
      // rows it really inserted are the events not seen before.
      const inserted = new Set(
        this.sql
          .exec<{ event_uid: string }>(
            `INSERT OR IGNORE INTO identity_events
               (event_uid, event_time, source, action, identity_action, outcome, actor, src_ip, country, city, user_agent, summary)
             SELECT value ->> '$.eventUid', value ->> '$.eventTime', value ->> '$.source', value ->> '$.action', value ->> '$.identityAction',
                    value ->> '$.outcome', value ->> '$.actor', value ->> '$.srcIp', value ->> '$.country', value ->> '$.city',
                    value ->> '$.userAgent', value
               FROM json_each(?)
             RETURNING event_uid`,
            JSON.stringify(input),
          )
          .toArray()
          .map((r) => r.event_uid),
      );
      const fresh = input.filter((e) => inserted.delete(e.eventUid));
      fresh.sort(byEventTime);
      if (fresh.length > 0) this.noteEvents(person, fresh, config.identity);

      const stored = this.storedState();
      const before = stored ?? initialUserState(person);
      // An object that recorded events before ITDR existed has them stored but never analysed: on its first ITDR
      // call the engine sees every event of the batch (it is idempotent by uid itself).
      const analysed = stored !== null ? fresh : [...new Map(input.map((e) => [e.eventUid, e])).values()].sort(byEventTime);
      // The engine's clock is event time (windows, trimming), so a replay of last week behaves as it did live;
      // the wall clock only decays the risk reported to the list.
      const engineNow = analysed.at(-1)?.eventTime ?? before.clock ?? context.now;
      const result = processUserEvents(before, analysed, config, engineNow > (before.clock ?? '') ? engineNow : (before.clock ?? engineNow), {
        org: context.org,
        external: context.external,
      });
      const riskNow = riskView(result.state.risk.factors, context.now, config.risk);
      this.sql.exec(
        'INSERT INTO itdr_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        'user',
        JSON.stringify(result.state),
      );
      const byUid = new Map(analysed.map((e) => [e.eventUid, e]));
      const detections = result.detections.map((d) => this.keepDetectionEvidence(d, byUid));
      for (const d of result.detections) {
        // The score right after the detection, at its own time: a replay from the lake writes the same history.
        const at = riskView(result.state.risk.factors.filter((f) => f.at <= d.at), d.at, config.risk);
        this.sql.exec(
          'INSERT OR IGNORE INTO itdr_risk_history (at, detection_id, score, level, reason) VALUES (?, ?, ?, ?, ?)',
          d.at, d.id, at.score, at.level, detectorCatalog[d.kind].title,
        );
      }
      if (result.detections.length > 0) {
        this.sql.exec(
          'DELETE FROM itdr_risk_history WHERE detection_id NOT IN (SELECT detection_id FROM itdr_risk_history ORDER BY at DESC LIMIT ?)',
          riskHistoryKept,
        );
      }

      const incident = result.state.incident;
      const feedsIncident = incident !== null && (result.incidentChange.action !== 'none' || detections.length > 0);
      const last = result.state.detections.at(-1);
      return {
        person,
        stored: fresh.length,
        eventCount: Number(this.getMeta('event_count') ?? 0),
        lastSeen: this.getMeta('last_seen'),
        identities: this.identities(),
        detections,
        detectionCount: result.state.detections.length,
        lastDetection: last ? { kind: last.kind, at: last.at } : null,
        risk: { score: riskNow.score, level: riskNow.level },
        stages: result.stageChange.stages,
        incidentChange: result.incidentChange.action,
        incident: feedsIncident
          ? {
              ...incident,
              detections: result.state.detections.filter((d) => incident.detectionIds.includes(d.id)).map((d) => this.hosted(d)),
            }
          : null,
      };
    });
  }

  /** Empties the person's state (all but containment), for a rebuild from the lake. */
  reset(): { cleared: boolean } {
    this.ctx.storage.transactionSync(() => {
      const containment = this.getMeta('containment');
      for (const table of ['identity_events', 'user_meta', 'itdr_state', 'itdr_signins', 'itdr_detection_events', 'itdr_risk_history']) {
        this.sql.exec(`DELETE FROM ${table}`);
      }
      if (containment) this.setMeta('containment', containment);
    });
    return { cleared: true };
  }

  snapshot(user: string): IdentitySnapshot {
    const rows = this.sql
      .exec<{ summary: string | null } & Record<string, string | null>>(
        `SELECT event_uid, event_time, source, action, identity_action, outcome, actor, src_ip, country, city, user_agent, summary
           FROM identity_events ORDER BY event_time DESC, event_uid DESC`,
      )
      .toArray();
    const containment = this.getMeta('containment');
    return {
      user: this.getMeta('user') ?? user,
      eventCount: Number(this.getMeta('event_count') ?? 0),
      firstSeen: this.getMeta('first_seen'),
      lastSeen: this.getMeta('last_seen'),
      containment: containment ? containmentSchema.parse(JSON.parse(containment)) : null,
      events: rows.map((r) =>
        identityEventSummarySchema.parse(
          r.summary
            ? JSON.parse(r.summary)
            : {
                eventUid: r.event_uid,
                eventTime: r.event_time,
                source: r.source,
                action: r.action,
                identityAction: r.identity_action,
                outcome: r.outcome,
                actor: r.actor,
                srcIp: r.src_ip,
                country: r.country,
                city: r.city,
                userAgent: r.user_agent,
              },
        ),
      ),
    };
  }

  /** Everything the API shows about the person, with risk decayed to `now`. */
  view(user: string, now: string): PersonView {
    const config = readItdrConfig(this.env);
    const snapshot = this.snapshot(user);
    const state = this.storedState();
    const risk = riskView(state?.risk.factors ?? [], now, config.risk);
    const detections = (state?.detections ?? []).map((d) => ({ ...this.hosted(d), title: detectorCatalog[d.kind].title }));
    const riskHistory = this.sql
      .exec<{ at: string; score: number; level: RiskHistoryPoint['level']; reason: string | null }>(
        'SELECT at, score, level, reason FROM itdr_risk_history ORDER BY at, detection_id',
      )
      .toArray()
      .map((r) => ({ at: r.at, score: r.score, level: r.level, reason: r.reason }));
    if (riskHistory.length > 0) riskHistory.push({ at: now, score: risk.score, level: risk.level, reason: 'now (decayed)' });
    const curve = withDecay(riskHistory, state?.risk.factors ?? [], config.risk);
    return {
      ...snapshot,
      identities: this.identities(),
      risk,
      riskThresholds: [
        { level: 'low', min: config.risk.low },
        { level: 'medium', min: config.risk.medium },
        { level: 'high', min: config.risk.high },
        { level: 'critical', min: config.risk.critical },
      ],
      detections: detections.slice().reverse(),
      stages: state?.stages ?? [],
      incident: state?.incident ?? null,
      baseline: state ? baselineView(state, now, config.baseline) : null,
      sessions: (state?.sessions ?? []).slice().sort((a, b) => b.lastAt.localeCompare(a.lastAt)),
      timeline: this.timeline(snapshot.events, detections),
      map: { points: this.mapPoints(), arcs: this.travelArcs(detections) },
      riskHistory: curve,
    };
  }

  setContainment(user: string, containment: Containment): void {
    const value = containmentSchema.parse(containment);
    this.ctx.storage.transactionSync(() => {
      this.setMeta('user', user);
      this.setMeta('containment', JSON.stringify(value));
    });
  }

  private storedState(): UserItdrState | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM itdr_state WHERE key = 'user'").toArray()[0];
    return row ? (JSON.parse(row.value) as UserItdrState) : null;
  }

  /** Counters, first/last seen, identities, sign-ins with coordinates; trims the kept events. */
  private noteEvents(person: string, fresh: readonly IdentityEventSummary[], resolution: IdentityResolutionConfig): void {
    this.setMeta('event_count', String(Number(this.getMeta('event_count') ?? 0) + fresh.length));
    const first = this.getMeta('first_seen');
    if (!first || fresh[0]!.eventTime < first) this.setMeta('first_seen', fresh[0]!.eventTime);
    const last = this.getMeta('last_seen');
    if (!last || fresh.at(-1)!.eventTime > last) this.setMeta('last_seen', fresh.at(-1)!.eventTime);
    // The accounts that resolve to this person (a grant this person made names the grantee too: not theirs).
    const identities = new Set(this.identities());
    for (const e of fresh) {
      if (identities.size >= 50) break;
      const subject = e.subject ?? e.actor;
      if (subject && resolvePerson(e, resolution) === person) identities.add(`${e.source}:${subject.toLowerCase()}`);
      else if (e.actor && resolvePerson({ source: e.source, subject: e.actor, actor: e.actor, actorId: e.actorId }, resolution) === person) {
        identities.add(`${e.source}:${e.actor.toLowerCase()}`);
      }
    }
    const located = fresh.filter((e) => e.lat !== null && e.lon !== null && signInActions.has(e.identityAction));
    if (located.length > 0) {
      this.sql.exec(
        `INSERT OR IGNORE INTO itdr_signins (event_uid, event_time, lat, lon, city, country, ip, outcome, source)
         SELECT value ->> '$.eventUid', value ->> '$.eventTime', value ->> '$.lat', value ->> '$.lon', value ->> '$.city', value ->> '$.country',
                value ->> '$.srcIp', value ->> '$.outcome', value ->> '$.source'
           FROM json_each(?)`,
        JSON.stringify(located),
      );
    }
    this.setMeta('identities', JSON.stringify([...identities].sort()));
    this.sql.exec(
      `DELETE FROM identity_events WHERE event_uid NOT IN
         (SELECT event_uid FROM identity_events ORDER BY event_time DESC LIMIT ?)`,
      identityEventsKept,
    );
    this.sql.exec(
      'DELETE FROM itdr_signins WHERE event_uid NOT IN (SELECT event_uid FROM itdr_signins ORDER BY event_time DESC LIMIT ?)',
      identitySignInsKept,
    );
  }

  /** Stores the detection's evidence events (from this batch, or the kept events) beside it. */
  private keepDetectionEvidence(d: Detection, batch: ReadonlyMap<string, IdentityEventSummary>): HostedDetection {
    for (const uid of d.evidence.eventUids.slice(0, 20)) {
      let e = batch.get(uid) ?? null;
      if (!e) {
        const row = this.sql.exec<{ summary: string | null }>('SELECT summary FROM identity_events WHERE event_uid = ?', uid).toArray()[0];
        e = row?.summary ? identityEventSummarySchema.parse(JSON.parse(row.summary)) : null;
      }
      if (e) {
        this.sql.exec(
          'INSERT OR IGNORE INTO itdr_detection_events (detection_id, event_uid, event_time, summary) VALUES (?, ?, ?, ?)',
          d.id, uid, e.eventTime, JSON.stringify(e),
        );
      }
    }
    return this.hosted(d);
  }

  private evidenceOf(detectionId: string): IdentityEventSummary[] {
    return this.sql
      .exec<{ summary: string }>('SELECT summary FROM itdr_detection_events WHERE detection_id = ? ORDER BY event_time, event_uid', detectionId)
      .toArray()
      .map((r) => identityEventSummarySchema.parse(JSON.parse(r.summary)));
  }

  private hosted(d: Detection): HostedDetection {
    const evidence = this.evidenceOf(d.id);
    const sources = [...new Set(evidence.map((e) => e.source))];
    const ips = [...new Set(evidence.map((e) => e.srcIp).filter((ip): ip is string => ip !== null))];
    const detailIp = d.evidence.details.sourceIp ?? d.evidence.details.ip;
    if (typeof detailIp === 'string' && !ips.includes(detailIp)) ips.push(detailIp);
    return { ...d, sources, ips };
  }

  /** Detections and the recent events, newest first, each detection followed by its evidence. */
  private timeline(events: readonly IdentityEventSummary[], detections: readonly HostedDetection[]): TimelineEntry[] {
    const place = (e: Pick<IdentityEventSummary, 'city' | 'country'>) => [e.city, e.country].filter(Boolean).join(', ') || null;
    const entries: TimelineEntry[] = [];
    const seen = new Set<string>();
    for (const d of detections) {
      entries.push({
        at: d.at,
        type: 'detection',
        source: d.sources.join(', ') || null,
        name: d.kind,
        identityAction: null,
        outcome: null,
        severity: d.severity,
        stage: d.stage,
        summary: d.evidence.summary,
        ip: d.ips[0] ?? null,
        place: null,
        detectionId: d.id,
      });
      for (const e of this.evidenceOf(d.id)) {
        seen.add(e.eventUid);
        entries.push(eventEntry(e, place(e), d.id));
      }
    }
    for (const e of events) if (!seen.has(e.eventUid)) entries.push(eventEntry(e, place(e), null));
    return entries
      .sort((a, b) => b.at.localeCompare(a.at) || (a.type === b.type ? 0 : a.type === 'detection' ? -1 : 1))
      .slice(0, 400);
  }

  private mapPoints() {
    return this.sql
      .exec<{ event_time: string; lat: number; lon: number; city: string | null; country: string | null; ip: string | null; outcome: string; source: string }>(
        'SELECT event_time, lat, lon, city, country, ip, outcome, source FROM itdr_signins ORDER BY event_time',
      )
      .toArray()
      .map((r) => ({ at: r.event_time, lat: r.lat, lon: r.lon, city: r.city, country: r.country, ip: r.ip, outcome: r.outcome, source: r.source }));
  }

  /** Impossible-travel detections as arcs between their first and last located evidence events. */
  private travelArcs(detections: readonly HostedDetection[]): MapArc[] {
    const arcs: MapArc[] = [];
    for (const d of detections) {
      if (d.kind !== 'impossible_travel' && d.kind !== 'concurrent_sessions') continue;
      const located = this.evidenceOf(d.id).filter((e) => e.lat !== null && e.lon !== null);
      const from = located[0];
      const to = located.at(-1);
      if (!from || !to || from === to) continue;
      const label = (e: IdentityEventSummary) => [e.city, e.country].filter(Boolean).join(', ') || (e.srcIp ?? '?');
      const speed = d.evidence.details.speedKmh;
      arcs.push({
        detectionId: d.id,
        at: d.at,
        from: { lat: from.lat!, lon: from.lon!, label: label(from) },
        to: { lat: to.lat!, lon: to.lon!, label: label(to) },
        speedKmh: typeof speed === 'number' ? speed : null,
      });
    }
    return arcs;
  }

  private identities(): string[] {
    const raw = this.getMeta('identities');
    return raw ? (JSON.parse(raw) as string[]) : [];
  }

  private getMeta(key: string): string | null {
    const row = this.sql.exec<{ value: string }>('SELECT value FROM user_meta WHERE key = ?', key).toArray()[0];
    return row?.value ?? null;
  }

  private setMeta(key: string, value: string): void {
    this.sql.exec('INSERT INTO user_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value);
  }
}

/**
 * The risk history with the decay drawn in: between two points more than six hours apart, samples of the
 * decayed score (reason `decay`), at most 24 per gap, so the chart shows the curve rather than a straight line.
 */
function withDecay(points: readonly RiskHistoryPoint[], factors: UserItdrState['risk']['factors'], config: Parameters<typeof riskView>[2]): RiskHistoryPoint[] {
  const out: RiskHistoryPoint[] = [];
  const gapMs = 6 * 3_600_000;
  points.forEach((p, i) => {
    const previous = points[i - 1];
    if (previous) {
      const from = Date.parse(previous.at);
      const span = Date.parse(p.at) - from;
      if (span > gapMs) {
        const step = Math.max(gapMs, span / 24);
        for (let t = from + step; t < from + span - step / 2; t += step) {
          const at = new Date(t).toISOString();
          const r = riskView(factors.filter((f) => f.at <= at), at, config);
          out.push({ at, score: r.score, level: r.level, reason: 'decay' });
        }
      }
    }
    out.push(p);
  });
  return out;
}

function byEventTime(a: IdentityEventSummary, b: IdentityEventSummary): number {
  return a.eventTime.localeCompare(b.eventTime) || a.eventUid.localeCompare(b.eventUid);
}

function eventEntry(e: IdentityEventSummary, place: string | null, detectionId: string | null): TimelineEntry {
  return {
    at: e.eventTime,
    type: 'event',
    source: e.source,
    name: e.action,
    identityAction: e.identityAction,
    outcome: e.outcome,
    severity: null,
    stage: null,
    summary: [e.identityAction.replaceAll('_', ' '), e.outcome, e.mfaFactor, e.service].filter(Boolean).join(' · '),
    ip: e.srcIp,
    place,
    detectionId,
  };
}

function seenValues(map: Record<string, SeenCount>, label: (key: string) => string = (k) => k): SeenValue[] {
  return Object.entries(map)
    .map(([key, seen]) => ({ value: label(key), ...seen }))
    .sort((a, b) => b.count - a.count || b.last.localeCompare(a.last));
}

function baselineView(state: UserItdrState, now: string, config: Parameters<typeof maturity>[2]): NonNullable<PersonView['baseline']> {
  const b = state.baseline;
  return {
    startedAt: b.startedAt,
    signIns: b.signIns,
    maturity: maturity(b, now, config),
    hourOfWeek: b.hourOfWeek,
    countries: seenValues(b.countries),
    cities: seenValues(b.cities, (k) => k.split('|').reverse().filter(Boolean).join(', ')),
    asns: seenValues(b.asns, (k) => `AS${k}`),
    ips: seenValues(b.ips),
    devices: seenValues(b.devices),
    apps: seenValues(b.apps),
    mfaMethods: seenValues(b.mfaMethods),
    providers: seenValues(b.providers),
    dailyVolume: b.dailyVolume,
    sessionCount: b.sessionCount,
    sessionMeanSeconds: b.sessionMeanSeconds,
  };
}
