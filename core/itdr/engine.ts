/**
 * The ITDR engine: pure functions from (state, events) to (new state, detections, risk, kill chain, incident).
 * The Durable Objects that host it load the JSON state, call these, store the returned state; nothing here
 * touches I/O, clocks or randomness (`now` is passed in), so a replay of the same events gives the same result.
 *
 * Public API (see types.ts for the call order and the state ownership):
 *   - `personsOf(event, config)`: the persons an event belongs to (subject, plus the granter of a privilege).
 *   - `initialUserState(person)`, `processUserEvents(state, events, config, now, context)`.
 *   - `initialOrgState()`, `processSourceEvents(state, events, config, now)`.
 *   - `userRisk(state, config, now)`: the decayed risk with its breakdown, for the API.
 *   - `baselineMaturity(state, config, now)`.
 * For speed the state passed in is updated in place and returned as `result.state` (a host loads it from
 * storage, so nothing else holds it); a caller that needs the previous state keeps a `structuredClone`. Events
 * are never mutated.
 */
import { addToOrgProfile, asnKey, cityKey, countVolume, emptyBaseline, emptyOrgProfile, forgetStale, hourOfWeek, maturity, remember } from './baseline';
import type { ItdrConfig } from './config';
import { EgressAllowList } from './geo';
import { resolvePerson } from './resolve';
import { addRiskFactor, evaluateIncident, hitStage, riskView } from './risk';
import { detectCredentialAttacks } from './source-detectors';
import {
  deviceOf,
  detectBruteForce,
  detectConcurrentSessions,
  detectDormant,
  detectFactorRemovedThenSignIn,
  detectIllicitConsent,
  detectImpossibleTravel,
  detectMfaFatigue,
  detectNovelty,
  detectPrivilegeEscalation,
  detectSessionHijack,
  detectSprayThenSuccess,
  detectTokenAnomaly,
  detectVolumeSpike,
  firedKey,
  isSuccess,
  type DetectorContext,
} from './user-detectors';
import type {
  BaselineMaturity,
  Detection,
  IncidentChange,
  ItdrEvent,
  KillChainStage,
  OrgItdrState,
  RiskView,
  SourceProcessResult,
  UserItdrState,
  UserProcessContext,
  UserProcessResult,
} from './types';

const HOUR_MS = 3_600_000;

export function initialUserState(person: string): UserItdrState {
  return {
    version: 1,
    person,
    clock: null,
    lastSeen: null,
    lastSignInAt: null,
    baseline: emptyBaseline(),
    sessions: [],
    recent: [],
    seenUids: [],
    risk: { factors: [] },
    stages: [],
    incident: null,
    detections: [],
    lastFired: {},
    targetedBy: [],
    factorRemovals: [],
    tokens: [],
    createdAt: null,
    housekeptOn: null,
  };
}

export function initialOrgState(): OrgItdrState {
  return { version: 1, clock: null, sources: {}, profile: emptyOrgProfile(), members: {}, seenUids: [], sweptAt: null };
}

/**
 * The persons whose state an event updates: the resolved subject (see identitySubject), and for a privilege
 * grant also the resolved granter (the kill chain of a compromised admin includes what it granted).
 */
export function personsOf(event: ItdrEvent, config: ItdrConfig): string[] {
  const subject = resolvePerson(event, config.identity);
  const persons = subject === null ? [] : [subject];
  if (event.identityAction === 'privilege_grant' && event.actor !== null) {
    const actor = resolvePerson({ source: event.source, subject: event.actor, actor: event.actor, actorId: event.actorId }, config.identity);
    if (actor !== null && actor !== subject) persons.push(actor);
  }
  return persons;
}

/** Groups a batch by person (an event may go to two persons, see personsOf), keeping input order. */
export function groupEventsByPerson(events: readonly ItdrEvent[], config: ItdrConfig): Map<string, ItdrEvent[]> {
  const byPerson = new Map<string, ItdrEvent[]>();
  for (const event of events) {
    for (const person of personsOf(event, config)) {
      const list = byPerson.get(person);
      if (list) list.push(event);
      else byPerson.set(person, [event]);
    }
  }
  return byPerson;
}

const byTime = (a: ItdrEvent, b: ItdrEvent): number => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : a.eventUid < b.eventUid ? -1 : a.eventUid > b.eventUid ? 1 : 0);

/**
 * Whether an event was processed by an earlier call. An event later than the state's clock cannot have been
 * (the clock is the latest event time processed), so the remembered uids are only indexed when an event at or
 * before the clock arrives: a retried batch or a late event.
 */
class UidMemory {
  private index: Set<string> | null = null;

  constructor(
    private readonly uids: readonly string[],
    private readonly clock: string | null,
  ) {}

  has(e: ItdrEvent): boolean {
    if (this.clock === null || e.eventTime > this.clock) return false;
    this.index ??= new Set(this.uids);
    return this.index.has(e.eventUid);
  }
}

const allowListCache = new WeakMap<ItdrConfig, EgressAllowList>();
function allowListOf(config: ItdrConfig): EgressAllowList {
  let allow = allowListCache.get(config);
  if (!allow) {
    allow = new EgressAllowList(config.impossibleTravel.allowCidrs, config.impossibleTravel.allowAsns);
    allowListCache.set(config, allow);
  }
  return allow;
}

/**
 * Feeds one person's identity events (any providers, any order) and the org-wide detections about them into
 * their state. Returns the new state and what changed. Events already processed (by uid) are skipped.
 */
export function processUserEvents(
  previous: UserItdrState,
  events: readonly ItdrEvent[],
  config: ItdrConfig,
  now: string,
  context: UserProcessContext = {},
): UserProcessResult {
  const state = previous;
  const person = state.person;
  const org = context.org ?? null;
  const allow = allowListOf(config);
  const riskBefore = state.risk.factors.length === 0 ? 0 : riskView(state.risk.factors, now, config.risk).score;
  const stagesBefore = new Set(state.stages.map((s) => s.stage));
  const seenBefore = new UidMemory(state.seenUids, state.clock);

  // A class, not a closure: hosts run this per call, and a closure per call is measurable (see bench/itdr.bench.ts).
  const recorder = new DetectionRecorder(state, config);


  const external = context.external && context.external.length > 0 ? context.external.filter((d) => d.user === person).sort((a, b) => a.at.localeCompare(b.at)) : [];
  let nextExternal = 0;
  const sorted = events.length > 1 ? [...events].sort(byTime) : events;
  const inBatch = new Set<string>();
  for (const e of sorted) {
    if (inBatch.has(e.eventUid) || seenBefore.has(e)) continue;
    inBatch.add(e.eventUid);
    while (nextExternal < external.length && external[nextExternal]!.at <= e.eventTime) recorder.add(external[nextExternal++]!);
    state.seenUids.push(e.eventUid);
    if (state.clock === null || e.eventTime > state.clock) state.clock = e.eventTime;

    const success = isSuccess(e) && e.outcome !== 'failure';
    const session = e.sessionId === null ? undefined : state.sessions.find((s) => s.id === e.sessionId);
    const ctx: DetectorContext = {
      person,
      state,
      config,
      org,
      allow,
      signIn: e.identityAction === 'session_start' || (e.identityAction === 'auth_success' && session === undefined),
      success,
      continuation:
        success && e.identityAction === 'auth_success' && session !== undefined && !session.ended && session.ip === e.srcIp && session.device === deviceOf(e),
    };
    const subjectPerson = resolvePerson(e, config.identity);
    const actorPerson =
      e.actor === null ? null : e.subject === null || e.actor === e.subject ? subjectPerson : resolvePerson({ source: e.source, subject: e.actor, actor: e.actor, actorId: e.actorId }, config.identity);
    // Detectors that cannot apply to the event's action are not called (each also checks for itself).
    const found: Detection[] = [];
    switch (e.identityAction) {
      case 'auth_failure':
        collect(found, detectBruteForce(ctx, e));
        break;
      case 'privilege_grant':
        collect(found, detectPrivilegeEscalation(ctx, e, actorPerson, subjectPerson));
        break;
      case 'oauth_consent':
        collect(found, detectIllicitConsent(ctx, e));
        break;
      default:
        break;
    }
    // A continuation (an app opened in a known session from the session's own address and device) has the
    // context its session start was checked with: only the detectors that look across sessions run.
    if (ctx.continuation) collect(found, detectConcurrentSessions(ctx, e));
    else if (ctx.success) {
      if (e.identityAction === 'mfa_accept') collect(found, detectMfaFatigue(ctx, e));
      collect(found, detectSprayThenSuccess(ctx, e));
      collect(found, detectDormant(ctx, e));
      collect(found, detectImpossibleTravel(ctx, e));
      collect(found, detectNovelty(ctx, e));
      collect(found, detectFactorRemovedThenSignIn(ctx, e));
      collect(found, detectConcurrentSessions(ctx, e));
      collect(found, detectTokenAnomaly(ctx, e));
    }
    if (!ctx.continuation) collect(found, detectSessionHijack(ctx, e));
    collect(found, detectVolumeSpike(ctx, e));
    for (const d of found) recorder.add(d);
    learn(state, e, ctx, config, subjectPerson === person, actorPerson);
  }
  while (nextExternal < external.length) recorder.add(external[nextExternal++]!);

  trim(state, config, now);
  const risk = state.risk.factors.length === 0 ? { score: 0, level: 'none' as const, asOf: now, breakdown: [] } : riskView(state.risk.factors, now, config.risk);
  const stagesAfter = state.stages.map((s) => s.stage);
  const added: KillChainStage[] = stagesAfter.filter((s) => !stagesBefore.has(s));
  return {
    state,
    detections: recorder.fresh,
    riskChange: { before: riskBefore, after: risk.score, risk },
    stageChange: { added, stages: stagesAfter },
    incidentChange: recorder.incidentChange,
  };
}

/** Records the detections of one call: history, cool-downs, risk, stages, targeted-by, incident. */
class DetectionRecorder {
  readonly fresh: Detection[] = [];
  incidentChange: IncidentChange = { action: 'none' };
  private known: Set<string> | null = null;

  constructor(
    private readonly state: UserItdrState,
    private readonly config: ItdrConfig,
  ) {}

  add(d: Detection): void {
    const state = this.state;
    this.known ??= new Set(state.detections.map((x) => x.id));
    if (this.known.has(d.id)) return;
    this.known.add(d.id);
    if (d.kind === 'session_hijack') {
      const session = state.sessions.find((s) => s.id === d.evidence.details.sessionId);
      if (session) session.hijackReported = true;
    }
    this.fresh.push(d);
    state.detections.push(d);
    for (const key of firedKey(d)) state.lastFired[key] = d.at;
    state.risk.factors = addRiskFactor(state.risk.factors, d, this.config.risk);
    state.stages = hitStage(state.stages, d);
    if (d.kind === 'password_spray' || d.kind === 'credential_stuffing' || d.kind === 'brute_force') {
      const details = d.evidence.details;
      const sourceIp = typeof details.sourceIp === 'string' ? details.sourceIp : typeof details.lastSourceIp === 'string' ? details.lastSourceIp : null;
      state.targetedBy.push({ kind: d.kind, sourceIp, at: d.at, detectionId: d.id });
    }
    const evaluated = evaluateIncident(state.person, state.stages, state.incident, d.at, this.config.incident);
    state.incident = evaluated.incident;
    if (evaluated.change.action !== 'none') this.incidentChange = escalateChange(this.incidentChange, evaluated.change);
  }
}

function collect(into: Detection[], found: readonly Detection[]): void {
  for (const d of found) into.push(d);
}

function escalateChange(current: IncidentChange, next: IncidentChange): IncidentChange {
  if (current.action === 'open' && next.action === 'escalate') return { action: 'open', incident: next.incident };
  return next;
}

/** Updates baseline, sessions and windows with an event, after the detectors looked at it. */
function learn(state: UserItdrState, e: ItdrEvent, ctx: DetectorContext, config: ItdrConfig, isSubject: boolean, actorPerson: string | null): void {
  const b = state.baseline;
  const max = config.baseline.maxValuesPerAttribute;
  const at = e.eventTime;
  if (state.lastSeen === null || at > state.lastSeen) state.lastSeen = at;
  if (b.startedAt === null || at < b.startedAt) b.startedAt = at;
  countVolume(b, at, config.baseline.volumeDays);
  remember(b.providers, e.source, at, max);

  // What others do to the account (a grant, a reset) says nothing about how the person behaves.
  const ownActivity = isSubject && (e.actor === null || actorPerson === state.person);
  if (ctx.success && ownActivity) {
    const hour = Number(at.slice(11, 13));
    b.activeHours[hour] = (b.activeHours[hour] ?? 0) + 1;
    if (e.identityAction === 'auth_success') remember(b.apps, e.service, at, max);
  }
  // A continuation's place and device were learned at its session's start (their `last` is the session's).
  if (ctx.success && ownActivity && !ctx.continuation) {
    remember(b.countries, e.country, at, max);
    const city = cityKey(e);
    remember(b.cities, city, at, max);
    if (city !== null && e.lat !== null && e.lon !== null) b.cityPlaces[city] = [e.lat, e.lon];
    remember(b.asns, asnKey(e.asn), at, max);
    remember(b.ips, e.srcIp, at, max);
    remember(b.devices, deviceOf(e), at, max);
    if (e.identityAction === 'mfa_accept') remember(b.mfaMethods, e.mfaFactor, at, max);
  }
  if (ctx.signIn && ctx.success && ownActivity) {
    b.signIns++;
    const h = hourOfWeek(at);
    b.hourOfWeek[h] = (b.hourOfWeek[h] ?? 0) + 1;
  }
  if (ctx.success && ownActivity && (state.lastSignInAt === null || at > state.lastSignInAt)) state.lastSignInAt = at;
  if (e.identityAction === 'oauth_consent' && e.outcome !== 'failure') remember(b.apps, e.service ?? e.target, at, max);

  // Sessions.
  if (e.sessionId !== null && ownActivity) {
    let session = state.sessions.find((s) => s.id === e.sessionId);
    if (!session && e.identityAction !== 'auth_failure') {
      session = {
        id: e.sessionId,
        provider: e.source,
        startedAt: at,
        lastAt: at,
        ip: e.srcIp,
        asn: e.asn,
        country: e.country,
        city: e.city,
        lat: e.lat,
        lon: e.lon,
        device: deviceOf(e),
        ended: false,
        hijackReported: false,
      };
      state.sessions.push(session);
    }
    if (session) {
      if (at > session.lastAt) session.lastAt = at;
      if (e.identityAction === 'session_end' && !session.ended) {
        session.ended = true;
        const seconds = (Date.parse(session.lastAt) - Date.parse(session.startedAt)) / 1000;
        b.sessionMeanSeconds = (b.sessionMeanSeconds * b.sessionCount + seconds) / (b.sessionCount + 1);
        b.sessionCount++;
      }
    }
  }

  if (e.identityAction === 'factor_remove' && isSubject) state.factorRemovals.push({ at, uid: e.eventUid, byOther: actorPerson !== null && actorPerson !== state.person });
  if (e.identityAction === 'token_issue' && ownActivity) state.tokens.push({ at, uid: e.eventUid, target: e.target ?? e.service, ip: e.srcIp, asn: e.asn });
  if (e.identityAction === 'account_create' && isSubject && (state.createdAt === null || at > state.createdAt)) state.createdAt = at;

  state.recent.push({
    uid: e.eventUid,
    at,
    action: e.action,
    identityAction: e.identityAction,
    outcome: e.outcome,
    source: e.source,
    ip: e.srcIp,
    asn: e.asn,
    country: e.country,
    city: e.city,
    lat: e.lat,
    lon: e.lon,
    device: deviceOf(e),
    sessionId: e.sessionId,
    target: e.target,
  });
  if (state.recent.length > 1 && state.recent.at(-2)!.at > at) state.recent.sort((x, y) => x.at.localeCompare(y.at));
}

let lastCutoff = { key: '', value: '' };
/**
 * `hours` before the start of `clock`'s UTC hour (ISO): the recent window keeps between `hours` and `hours` + 1 h,
 * and the cut-off is computed once per hour of the clock rather than per call.
 */
function hourCutoff(clock: string, hours: number): string {
  const key = `${clock.slice(0, 13)}|${hours}`;
  if (lastCutoff.key !== key) lastCutoff = { key, value: new Date(Date.parse(`${clock.slice(0, 13)}:00:00.000Z`) - hours * HOUR_MS).toISOString() };
  return lastCutoff.value;
}

/** Bounds every list in the state: the windows on every call, the slow-moving parts once per day. */
function trim(state: UserItdrState, config: ItdrConfig, now: string): void {
  const h = config.history;
  const clock = state.clock && state.clock > now ? state.clock : now;
  // Times in the same UTC hour as the clock cannot be out of a window of an hour or more: no date arithmetic.
  if (state.recent.length > 0 && (state.recent[0]!.at.slice(0, 13) !== clock.slice(0, 13) || state.recent.length > h.maxRecent)) {
    const recentFrom = hourCutoff(clock, h.recentHours);
    let drop = 0;
    while (drop < state.recent.length && state.recent[drop]!.at < recentFrom) drop++;
    drop = Math.max(drop, state.recent.length - h.maxRecent);
    if (drop > 0) state.recent.splice(0, drop);
  }
  // Amortised: let the uid list grow to twice its bound before cutting it back.
  if (state.seenUids.length > 2 * h.maxSeenUids) state.seenUids.splice(0, state.seenUids.length - h.maxSeenUids);
  if (state.detections.length > h.maxDetections) state.detections.splice(0, state.detections.length - h.maxDetections);
  // Ended sessions go first, then the least recently active.
  if (state.sessions.length > h.maxSessions) {
    state.sessions.sort((a, b) => Number(b.ended) - Number(a.ended) || a.lastAt.localeCompare(b.lastAt));
    state.sessions.splice(0, state.sessions.length - h.maxSessions);
    state.sessions.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }
  const day = clock.slice(0, 10);
  if (state.housekeptOn === day) return;
  state.housekeptOn = day;
  const nowMs = Date.parse(clock);
  const weekAgo = new Date(nowMs - 7 * 24 * HOUR_MS).toISOString();
  state.targetedBy = state.targetedBy.filter((t) => t.at >= weekAgo).slice(-50);
  state.factorRemovals = state.factorRemovals.filter((t) => t.at >= weekAgo).slice(-20);
  state.tokens = state.tokens.filter((t) => t.at >= weekAgo).slice(-50);
  const fireFrom = new Date(nowMs - 30 * 24 * HOUR_MS).toISOString();
  for (const key of Object.keys(state.lastFired)) if (state.lastFired[key]! < fireFrom) delete state.lastFired[key];
  forgetStale(state.baseline, clock, config.baseline);
}

/** The person's risk at `now` (decayed), with its breakdown. */
export function userRisk(state: UserItdrState, config: ItdrConfig, now: string): RiskView {
  return riskView(state.risk.factors, now, config.risk);
}

export function baselineMaturity(state: UserItdrState, config: ItdrConfig, now: string): BaselineMaturity {
  return maturity(state.baseline, now, config.baseline);
}

/**
 * Feeds a batch of identity events (all persons, all providers) into the org-wide state: per-source windows
 * for password spray and credential stuffing, and the org profile (cold-start baseline). Returns one
 * detection per targeted person, addressed to that person (`user`), to pass to processUserEvents.
 */
export function processSourceEvents(previous: OrgItdrState, events: readonly ItdrEvent[], config: ItdrConfig, now: string): SourceProcessResult {
  const state = previous;
  // States stored before `members` existed kept the membership inside the profile: start it afresh.
  const stored = state as Partial<OrgItdrState>;
  if (stored.members === undefined) {
    state.members = {};
    delete state.profile.seen;
  }
  const seenBefore = new UidMemory(state.seenUids, state.clock);
  const detections: Detection[] = [];
  const sorted = events.length > 1 ? [...events].sort(byTime) : events;
  const inBatch = new Set<string>();
  for (const e of sorted) {
    if (inBatch.has(e.eventUid) || seenBefore.has(e)) continue;
    inBatch.add(e.eventUid);
    state.seenUids.push(e.eventUid);
    if (state.clock === null || e.eventTime > state.clock) state.clock = e.eventTime;
    const person = resolvePerson(e, config.identity);
    if (person === null) continue;
    const success = isSuccess(e) && e.outcome !== 'failure';
    const ownActivity = e.actor === null || resolvePerson({ source: e.source, subject: e.actor, actor: e.actor, actorId: e.actorId }, config.identity) === person;
    if (success && ownActivity) addToOrgProfile(state, person, e, e.identityAction === 'session_start' || (e.identityAction === 'auth_success' && e.sessionId === null));
    detections.push(...detectCredentialAttacks(state, e, person, config));
  }
  const maxUids = config.history.maxSeenUids * 10;
  if (state.seenUids.length > 2 * maxUids) state.seenUids.splice(0, state.seenUids.length - maxUids);
  // Sources idle for a day have nothing left in their windows; swept once per hour of the clock.
  const clock = state.clock && state.clock > now ? state.clock : now;
  const hour = clock.slice(0, 13);
  if (state.sweptAt !== hour) {
    state.sweptAt = hour;
    const from = new Date(Date.parse(clock) - Math.max(config.passwordSpray.windowHours, 24) * HOUR_MS).toISOString();
    for (const ip in state.sources) if (state.sources[ip]!.lastAt < from) delete state.sources[ip];
  }
  return { state, detections };
}
