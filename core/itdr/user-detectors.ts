/**
 * The per-person detectors. Each is a function of (the person's state before the event, the event, the
 * configuration) that returns the detections the event completes; none mutates state (the engine updates the
 * baseline, sessions and windows after every detector has looked at the event), so each detector sees the
 * person as they were before the event.
 *
 * Parameters and defaults: config.ts; the table in README.md.
 */
import { asnKey, cityKey, commonInOrg, hourOfWeek, isMature, maturity, orgProfileTrusted, seen } from './baseline';
import { detectorCatalog } from './catalog';
import type { ItdrConfig } from './config';
import { haversineKm, placeOf, type EgressAllowList } from './geo';
import type { Detection, DetectionKind, DetectionSeverity, ItdrEvent, OrgProfile, RecentEvent, UserItdrState } from './types';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface DetectorContext {
  readonly person: string;
  readonly state: UserItdrState;
  readonly config: ItdrConfig;
  readonly org: OrgProfile | null;
  readonly allow: EgressAllowList;
  /** Whether the event is an interactive sign-in (opens a session or a sign-in with no known session). */
  readonly signIn: boolean;
  /** Whether the event is a successful authentication of any kind (sign-in, SSO, MFA accept). */
  readonly success: boolean;
  /** A success in a known, open session from that session's own address and device (an app opened). */
  readonly continuation: boolean;
}

type Details = Record<string, string | number | boolean | null>;

/** The shared "nothing found" result (detectors run on every event: no allocation when nothing fires). */
const NONE: Detection[] = [];

export function makeDetection(
  kind: DetectionKind,
  person: string,
  event: Pick<ItdrEvent, 'eventUid' | 'eventTime'>,
  eventUids: readonly string[],
  summary: string,
  details: Details,
  override?: { severity?: DetectionSeverity; scale?: number },
): Detection {
  const spec = detectorCatalog[kind];
  const uids = [...new Set([...eventUids, event.eventUid])];
  return {
    id: `${kind}:${person}:${event.eventUid}`,
    kind,
    severity: override?.severity ?? spec.severity,
    at: event.eventTime,
    user: person,
    stage: spec.stage,
    mitre: spec.mitre,
    score: Math.round(spec.score * (override?.scale ?? 1)),
    evidence: { eventUids: uids.slice(-50), summary, details },
  };
}

export const deviceOf = (e: Pick<ItdrEvent, 'userAgent'>): string | null => e.userAgent;

export function isSuccess(e: ItdrEvent): boolean {
  return e.identityAction === 'session_start' || e.identityAction === 'auth_success' || e.identityAction === 'mfa_accept';
}


function cooledDown(state: UserItdrState, key: string, at: string, hours: number): boolean {
  const last = state.lastFired[key];
  return last === undefined || Date.parse(at) - Date.parse(last) >= hours * HOUR_MS || at < last;
}

/** ISO time `ms` before `at` (ISO times compare as text). */
export const isoBefore = (at: string, ms: number): string => new Date(Date.parse(at) - ms).toISOString();

function within(recent: readonly RecentEvent[], at: string, ms: number): RecentEvent[] {
  const from = isoBefore(at, ms);
  const out: RecentEvent[] = [];
  for (let i = recent.length - 1; i >= 0; i--) {
    const r = recent[i]!;
    if (r.at < from) break; // the window is in time order
    if (r.at <= at) out.push(r);
  }
  return out.reverse();
}

/** Brute force: ≥ `failures` failed authentications for the person within `windowMinutes`. */
export function detectBruteForce(ctx: DetectorContext, e: ItdrEvent): Detection[] {
  if (e.identityAction !== 'auth_failure') return NONE;
  const c = ctx.config.bruteForce;
  const failures = within(ctx.state.recent, e.eventTime, c.windowMinutes * MINUTE_MS).filter((r) => r.identityAction === 'auth_failure');
  const count = failures.length + 1;
  if (count < c.failures || !cooledDown(ctx.state, 'brute_force', e.eventTime, c.cooldownMinutes / 60)) return NONE;
  const sources = new Set([...failures.map((f) => f.ip), e.srcIp].filter((ip) => ip !== null));
  return [
    makeDetection('brute_force', ctx.person, e, failures.map((f) => f.uid), `${count} failed sign-ins in ${c.windowMinutes} min from ${sources.size} address(es)`, {
      failures: count,
      windowMinutes: c.windowMinutes,
      sources: sources.size,
      lastSourceIp: e.srcIp,
    }),
  ];
}

/** MFA fatigue: an MFA accept after ≥ `minPrompts` pushes (or denials) within `windowMinutes`. */
export function detectMfaFatigue(ctx: DetectorContext, e: ItdrEvent): Detection[] {
  if (e.identityAction !== 'mfa_accept') return NONE;
  const c = ctx.config.mfaFatigue;
  const window = within(ctx.state.recent, e.eventTime, c.windowMinutes * MINUTE_MS);
  const lastAccept = window.filter((r) => r.identityAction === 'mfa_accept').at(-1)?.at ?? '';
  const since = window.filter((r) => r.at > lastAccept);
  const prompts = since.filter((r) => r.identityAction === 'mfa_challenge');
  const denials = since.filter((r) => r.identityAction === 'mfa_deny');
  const pressure = Math.max(prompts.length, denials.length + 1);
  if (pressure < c.minPrompts) return NONE;
  return [
    makeDetection(
      'mfa_fatigue',
      ctx.person,
      e,
      [...prompts, ...denials].map((r) => r.uid),
      `MFA accepted after ${prompts.length} prompts and ${denials.length} denials in ${c.windowMinutes} min`,
      { prompts: prompts.length, denials: denials.length, sourceIp: e.srcIp, factor: e.mfaFactor },
    ),
  ];
}

/** Spray/stuffing/brute force, then success: a success within `windowHours` of a credential attack on the person. */
export function detectSprayThenSuccess(ctx: DetectorContext, e: ItdrEvent): Detection[] {
  if (!ctx.success) return NONE;
  if (ctx.state.targetedBy.length === 0) return NONE;
  const from = isoBefore(e.eventTime, ctx.config.sprayThenSuccess.windowHours * HOUR_MS);
  const attacks = ctx.state.targetedBy.filter((t) => t.at >= from && t.at <= e.eventTime);
  const b = ctx.state.baseline;
  const out: Detection[] = [];
  for (const attack of attacks) {
    const key = `spray_then_success:${attack.detectionId}`;
    if (ctx.state.lastFired[key] !== undefined) continue;
    const sameSource = attack.sourceIp !== null && attack.sourceIp === e.srcIp;
    const unfamiliar = (e.asn !== null && !seen(b.asns, asnKey(e.asn))) || (e.userAgent !== null && !seen(b.devices, e.userAgent));
    if (!sameSource && !unfamiliar) continue;
    out.push(
      makeDetection('spray_then_success', ctx.person, e, [], `successful ${e.identityAction} after ${attack.kind} ${sameSource ? 'from the same address' : 'from an unfamiliar network or device'}`, {
        attack: attack.kind,
        attackDetectionId: attack.detectionId,
        attackSourceIp: attack.sourceIp,
        successSourceIp: e.srcIp,
        successProvider: e.source,
        sameSource,
      }),
    );
  }
  return out;
}

/** Dormant account: a successful authentication after ≥ `inactiveDays` without one (from a new context, by default). */
export function detectDormant(ctx: DetectorContext, e: ItdrEvent): Detection[] {
  if (!ctx.success || ctx.state.lastSignInAt === null) return NONE;
  const c = ctx.config.dormant;
  if (e.eventTime.slice(0, 10) === ctx.state.lastSignInAt.slice(0, 10)) return NONE; // same day: not dormant
  const idleDays = (Date.parse(e.eventTime) - Date.parse(ctx.state.lastSignInAt)) / DAY_MS;
  if (idleDays < c.inactiveDays) return NONE;
  const b = ctx.state.baseline;
  const newIp = e.srcIp !== null && !seen(b.ips, e.srcIp);
  const newAsn = e.asn !== null && !seen(b.asns, asnKey(e.asn));
  const newDevice = e.userAgent !== null && !seen(b.devices, e.userAgent);
  if (c.requireNewContext && !newIp && !newAsn && !newDevice) return NONE;
  return [
    makeDetection('dormant_account_reactivation', ctx.person, e, [], `first sign-in after ${Math.floor(idleDays)} days of inactivity`, {
      idleDays: Math.floor(idleDays),
      lastSignInAt: ctx.state.lastSignInAt,
      newIp,
      newAsn,
      newDevice,
      sourceIp: e.srcIp,
    }),
  ];
}

/** Impossible travel: two successes whose haversine speed exceeds `maxSpeedKmh`. */
export function detectImpossibleTravel(ctx: DetectorContext, e: ItdrEvent): Detection[] {
  if (!ctx.success) return NONE;
  const here = placeOf(e);
  if (here === null || ctx.allow.matches(e.srcIp, e.asn)) return NONE;
  const c = ctx.config.impossibleTravel;
  let gapFrom: string | null = null;
  let previous: RecentEvent | null = null;
  for (let i = ctx.state.recent.length - 1; i >= 0; i--) {
    const r = ctx.state.recent[i]!;
    if (r.at > e.eventTime || r.outcome !== 'success' || !isSuccessAction(r.identityAction)) continue;
    gapFrom ??= isoBefore(e.eventTime, c.maxGapHours * HOUR_MS);
    if (r.at < gapFrom) break;
    const there = placeOf(r);
    if (there === null || ctx.allow.matches(r.ip, r.asn)) continue;
    if (haversineKm(here, there) < c.minDistanceKm) {
      if (previous === null) break; // the latest located success is close by: no jump from here
      continue;
    }
    previous = r;
    break;
  }
  if (previous === null) return NONE;
  const km = haversineKm(here, placeOf(previous)!);
  const hours = Math.max(c.minGapSeconds * 1000, Date.parse(e.eventTime) - Date.parse(previous.at)) / HOUR_MS;
  const speed = km / hours;
  if (speed <= c.maxSpeedKmh) return NONE;
  const pair = [cityKey(previous) ?? previous.ip ?? '?', cityKey(e) ?? e.srcIp ?? '?'].sort().join('→');
  if (!cooledDown(ctx.state, `impossible_travel:${pair}`, e.eventTime, ctx.config.novelty.cooldownHours)) return NONE;
  return [
    makeDetection('impossible_travel', ctx.person, e, [previous.uid], `${Math.round(km)} km in ${formatHours(hours)} (${Math.round(speed)} km/h) from ${previous.city ?? previous.country ?? previous.ip} to ${e.city ?? e.country ?? e.srcIp}`, {
      distanceKm: Math.round(km),
      hours: Math.round(hours * 100) / 100,
      speedKmh: Math.round(speed),
      fromIp: previous.ip,
      fromCity: previous.city,
      fromCountry: previous.country,
      toIp: e.srcIp,
      toCity: e.city,
      toCountry: e.country,
      pairKey: pair,
    }),
  ];
}

const isSuccessAction = (a: string): boolean => a === 'session_start' || a === 'auth_success' || a === 'mfa_accept';

function formatHours(hours: number): string {
  return hours < 1 ? `${Math.round(hours * 60)} min` : `${Math.round(hours * 10) / 10} h`;
}

/**
 * Novelty on interactive sign-ins: new country, city (≥ `newCityMinKm` from every known city), ASN, device,
 * and unusual hour. A mature baseline fires on any unknown value; a young one only on values that are also
 * uncommon in the organisation (never on devices or hours), at low severity and half the points.
 */
export function detectNovelty(ctx: DetectorContext, e: ItdrEvent): Detection[] {
  // On any success, not only session starts: the first success of a sign-in (often the MFA accept) is what
  // teaches the baseline the new value.
  if (!ctx.success) return NONE;
  const b = ctx.state.baseline;
  const mature = isMature(b, e.eventTime, ctx.config.baseline);
  // A young person is only compared with the organisation, and only once the organisation's profile is
  // trusted; before that, no novelty fires for them at all.
  if (!mature && !orgProfileTrusted(ctx.org, e.eventTime, ctx.config.baseline)) return NONE;
  const org = ctx.org;
  const bc = ctx.config.baseline;
  const allowListed = ctx.allow.matches(e.srcIp, e.asn);
  const coldOverride = mature ? undefined : { severity: 'low' as const, scale: 0.5 };
  const out: Detection[] = [];
  if (b.startedAt === null) return out; // the very first event: nothing to compare with
  let newCountry = false;
  if (!allowListed && e.country !== null && !seen(b.countries, e.country) && (mature || !commonInOrg(org?.countries ?? {}, e.country, org, bc))) {
    newCountry = true;
    fireNovelty(ctx, e, out, mature, coldOverride, 'new_country', e.country, `first sign-in from ${e.country}`, { country: e.country, city: e.city, sourceIp: e.srcIp, knownCountries: Object.keys(b.countries).length });
  }
  const city = cityKey(e);
  if (!allowListed && !newCountry && mature && city !== null && !seen(b.cities, city)) {
    const here = placeOf(e);
    const known = Object.values(b.cityPlaces);
    const nearest = here === null || known.length === 0 ? null : Math.min(...known.map(([lat, lon]) => haversineKm(here, { lat, lon })));
    if (nearest === null || nearest >= ctx.config.novelty.newCityMinKm) {
      fireNovelty(ctx, e, out, mature, coldOverride, 'new_city', city, `first sign-in from ${e.city}, ${e.country ?? '?'}`, { city: e.city, country: e.country, nearestKnownKm: nearest === null ? null : Math.round(nearest), sourceIp: e.srcIp });
    }
  }
  const asn = asnKey(e.asn);
  if (!allowListed && asn !== null && !seen(b.asns, asn) && (mature || !commonInOrg(org?.asns ?? {}, asn, org, bc))) {
    fireNovelty(ctx, e, out, mature, coldOverride, 'new_asn', asn, `first sign-in from AS${asn}${e.asnOrg ? ` (${e.asnOrg})` : ''}`, { asn: e.asn, asnOrg: e.asnOrg, sourceIp: e.srcIp });
  }
  const device = deviceOf(e);
  if (mature && device !== null && !seen(b.devices, device)) {
    fireNovelty(ctx, e, out, mature, coldOverride, 'new_device', device, `first sign-in from a new device (${device.slice(0, 80)})`, { userAgent: device, sourceIp: e.srcIp });
  }
  if (mature) out.push(...detectUnusualHour(ctx, e));
  return out;
}

function fireNovelty(
  ctx: DetectorContext,
  e: ItdrEvent,
  out: Detection[],
  mature: boolean,
  coldOverride: { severity: 'low'; scale: number } | undefined,
  kind: DetectionKind,
  value: string,
  summary: string,
  details: Details,
): void {
  if (!cooledDown(ctx.state, `${kind}:${value}`, e.eventTime, ctx.config.novelty.cooldownHours)) return;
  const confidence = maturity(ctx.state.baseline, e.eventTime, ctx.config.baseline).confidence;
  out.push(makeDetection(kind, ctx.person, e, [], summary, { ...details, baselineMature: mature, baselineConfidence: confidence }, coldOverride));
}

/**
 * Unusual hour: the sign-in falls in the person's longest daily stretch without any activity of theirs in the
 * baseline (sign-ins, SSO, MFA: their night, whatever their time zone), at least `minDistanceHours` from any
 * hour they were active at, and the
 * hour of the week is rare across the organisation (`orgMaxShare`). A weekend afternoon visit by an
 * early-morning person is not in their night, so it does not fire.
 */
function detectUnusualHour(ctx: DetectorContext, e: ItdrEvent): Detection[] {
  const c = ctx.config.unusualHour;
  const hours = ctx.state.baseline.activeHours;
  const total = hours.reduce((a, b) => a + b, 0);
  if (total === 0) return NONE;
  const hour = new Date(e.eventTime).getUTCHours();
  for (let d = -c.minDistanceHours; d <= c.minDistanceHours; d++) if (hours[(hour + d + 24) % 24]! > 0) return NONE;
  // The longest circular run of hours without sign-ins.
  let bestStart = 0;
  let bestLength = 0;
  for (let s = 0; s < 24; s++) {
    if (hours[s]! > 0 || hours[(s + 23) % 24] === 0) continue; // runs start after a busy hour
    let length = 0;
    while (length < 24 && hours[(s + length) % 24] === 0) length++;
    if (length > bestLength) [bestStart, bestLength] = [s, length];
  }
  if ((hour - bestStart + 24) % 24 >= bestLength) return NONE;
  const org = ctx.org;
  if (org !== null) {
    const orgTotal = org.hourOfWeek.reduce((a, b) => a + b, 0);
    const share = orgTotal > 0 ? (org.hourOfWeek[hourOfWeek(e.eventTime)] ?? 0) / orgTotal : 0;
    if (share >= c.orgMaxShare) return NONE;
  }
  if (!cooledDown(ctx.state, 'unusual_hour', e.eventTime, c.cooldownHours)) return NONE;
  return [
    makeDetection('unusual_hour', ctx.person, e, [], `sign-in at ${String(hour).padStart(2, '0')}:00 UTC, in the person's ${bestLength}-hour stretch without activity`, {
      hourUtc: hour,
      quietHoursStartUtc: bestStart,
      quietHours: bestLength,
      baselineEvents: total,
    }),
  ];
}

/** MFA factor removed or reset, then a sign-in within `windowHours`. */
export function detectFactorRemovedThenSignIn(ctx: DetectorContext, e: ItdrEvent): Detection[] {
  if (!ctx.success) return NONE;
  if (ctx.state.factorRemovals.length === 0) return NONE;
  const from = isoBefore(e.eventTime, ctx.config.factorRemoved.windowHours * HOUR_MS);
  const removal = ctx.state.factorRemovals.filter((r) => r.at >= from && r.at <= e.eventTime).at(-1);
  if (!removal || ctx.state.lastFired[`mfa_factor_removed_then_signin:${removal.uid}`] !== undefined) return NONE;
  const b = ctx.state.baseline;
  const unfamiliar = (e.asn !== null && !seen(b.asns, asnKey(e.asn))) || (e.userAgent !== null && !seen(b.devices, e.userAgent));
  return [
    makeDetection(
      'mfa_factor_removed_then_signin',
      ctx.person,
      e,
      [removal.uid],
      `sign-in ${formatHours((Date.parse(e.eventTime) - Date.parse(removal.at)) / HOUR_MS)} after an MFA factor was removed${removal.byOther ? ' by another account' : ''}`,
      { removedAt: removal.at, removedByOther: removal.byOther, unfamiliarContext: unfamiliar, sourceIp: e.srcIp },
      unfamiliar ? undefined : { severity: 'medium', scale: 0.6 },
    ),
  ];
}

/** Session hijack: a known session id used with ≥ `minChangedAttributes` of ASN, country, device changed. */
export function detectSessionHijack(ctx: DetectorContext, e: ItdrEvent): Detection[] {
  if (e.sessionId === null) return NONE;
  const session = ctx.state.sessions.find((s) => s.id === e.sessionId);
  if (!session || session.hijackReported) return NONE;
  if (ctx.allow.matches(e.srcIp, e.asn) || ctx.allow.matches(session.ip, session.asn)) return NONE;
  const changed: string[] = [];
  if (e.asn !== null && session.asn !== null && e.asn !== session.asn) changed.push('asn');
  if (e.country !== null && session.country !== null && e.country !== session.country) changed.push('country');
  const device = deviceOf(e);
  if (device !== null && session.device !== null && device !== session.device) changed.push('device');
  if (changed.length < ctx.config.sessionHijack.minChangedAttributes) return NONE;
  return [
    makeDetection('session_hijack', ctx.person, e, [], `session ${session.id.slice(0, 12)}… started from ${session.ip ?? '?'} reused from ${e.srcIp ?? '?'} (${changed.join(', ')} changed)`, {
      sessionId: session.id,
      sessionStartedAt: session.startedAt,
      originalIp: session.ip,
      originalAsn: session.asn,
      originalCountry: session.country,
      newIp: e.srcIp,
      newAsn: e.asn,
      newCountry: e.country,
      changed: changed.join(','),
    }),
  ];
}

/** Concurrent sessions: the event's session and another one, both active within `activeMinutes`, ≥ `minDistanceKm` apart. */
export function detectConcurrentSessions(ctx: DetectorContext, e: ItdrEvent): Detection[] {
  if (e.sessionId === null || !ctx.success) return NONE;
  const here = placeOf(e);
  if (here === null || ctx.allow.matches(e.srcIp, e.asn)) return NONE;
  const c = ctx.config.concurrentSessions;
  let from: string | null = null;
  for (const s of ctx.state.sessions) {
    if (s.id === e.sessionId || s.ended || s.lastAt > e.eventTime) continue;
    // Distance first: most of a person's sessions are near each other, and it needs no date arithmetic.
    const there = placeOf(s);
    if (there === null) continue;
    const km = haversineKm(here, there);
    if (km < c.minDistanceKm) continue;
    from ??= isoBefore(e.eventTime, c.activeMinutes * MINUTE_MS);
    if (s.lastAt < from || ctx.allow.matches(s.ip, s.asn)) continue;
    const key = `concurrent_sessions:${[s.id, e.sessionId].sort().join('|')}`;
    if (ctx.state.lastFired[key] !== undefined) continue;
    return [
      makeDetection('concurrent_sessions', ctx.person, e, [], `two active sessions ${Math.round(km)} km apart (${s.city ?? s.country ?? s.ip} and ${e.city ?? e.country ?? e.srcIp})`, {
        otherSessionId: s.id,
        otherIp: s.ip,
        otherLastAt: s.lastAt,
        sessionId: e.sessionId,
        distanceKm: Math.round(km),
        pairKey: [s.id, e.sessionId].sort().join('|'),
      }),
    ];
  }
  return NONE;
}

/**
 * Privilege escalation on a `privilege_grant`: an admin role granted to the person (as grantee) or by the person
 * (as granter). Self-grants and grants by an account created less than `newAdminDays` ago are critical.
 */
export function detectPrivilegeEscalation(ctx: DetectorContext, e: ItdrEvent, actorPerson: string | null, subjectPerson: string | null): Detection[] {
  if (e.identityAction !== 'privilege_grant' || e.outcome === 'failure') return NONE;
  const role: 'grantee' | 'granter' = subjectPerson === ctx.person ? 'grantee' : 'granter';
  const selfGrant = actorPerson !== null && actorPerson === subjectPerson;
  const createdAt = ctx.state.createdAt;
  const newAdmin =
    role === 'granter' && createdAt !== null && Date.parse(e.eventTime) - Date.parse(createdAt) < ctx.config.privilegeEscalation.newAdminDays * DAY_MS;
  const critical = selfGrant || newAdmin;
  const what = e.action;
  const summary = selfGrant
    ? `self-granted privilege (${what})`
    : role === 'grantee'
      ? `privilege granted to the account by ${actorPerson ?? e.actor ?? '?'} (${what})`
      : `granted privilege to ${subjectPerson ?? e.target ?? '?'}${newAdmin ? ' as a newly created account' : ''} (${what})`;
  return [
    makeDetection('privilege_escalation', ctx.person, e, [], summary, {
      role,
      selfGrant,
      grantByNewAccount: newAdmin,
      granter: actorPerson,
      grantee: subjectPerson,
      action: e.action,
      sourceIp: e.srcIp,
    }, critical ? { severity: 'critical', scale: 1.25 } : undefined),
  ];
}

/** Token anomaly: a token issued to the person, then a success from an ASN neither the baseline nor the issue knew. */
export function detectTokenAnomaly(ctx: DetectorContext, e: ItdrEvent): Detection[] {
  if (!ctx.success || e.asn === null || ctx.state.tokens.length === 0 || ctx.allow.matches(e.srcIp, e.asn)) return NONE;
  const from = isoBefore(e.eventTime, ctx.config.tokenAnomaly.windowHours * HOUR_MS);
  const token = ctx.state.tokens.filter((t) => t.at >= from && t.at < e.eventTime).at(-1);
  if (!token || token.asn === e.asn || seen(ctx.state.baseline.asns, asnKey(e.asn))) return NONE;
  const key = `token_anomaly:${token.uid}`;
  if (ctx.state.lastFired[key] !== undefined) return NONE;
  return [
    makeDetection('token_anomaly', ctx.person, e, [token.uid], `token issued at ${token.at} then used from unfamiliar AS${e.asn}`, {
      tokenIssuedAt: token.at,
      token: token.target,
      issuedFromIp: token.ip,
      usedFromIp: e.srcIp,
      usedFromAsn: e.asn,
    }),
  ];
}

/** Illicit OAuth consent: consent to an application neither the person nor the organisation commonly uses. */
export function detectIllicitConsent(ctx: DetectorContext, e: ItdrEvent): Detection[] {
  if (e.identityAction !== 'oauth_consent' || e.outcome === 'failure') return NONE;
  const app = e.service ?? e.target;
  if (app === null) return NONE;
  if (seen(ctx.state.baseline.apps, app) || commonInOrg(ctx.org?.apps ?? {}, app, ctx.org, ctx.config.baseline)) return NONE;
  return [
    makeDetection('illicit_oauth_consent', ctx.person, e, [], `OAuth consent to ${app}, an application unknown in the organisation`, {
      application: app,
      sourceIp: e.srcIp,
      orgPeopleUsingIt: ctx.org?.apps[app] ?? 0,
    }),
  ];
}

/** Volume spike: today's identity events above max(minEvents, mean + sigmas·σ, factor·mean) of the baseline days. */
export function detectVolumeSpike(ctx: DetectorContext, e: ItdrEvent): Detection[] {
  const c = ctx.config.volumeSpike;
  const series = ctx.state.baseline.dailyVolume;
  const day = e.eventTime.slice(0, 10);
  const last = series.at(-1);
  const today = (last !== undefined && last[0] === day ? last[1] : (series.find(([d]) => d === day)?.[1] ?? 0)) + 1;
  if (today <= c.minEvents) return NONE;
  const past = series.filter(([d]) => d < day).map(([, n]) => n);
  if (past.length < c.minDays) return NONE;
  const mean = past.reduce((a, b) => a + b, 0) / past.length;
  const sd = Math.sqrt(past.reduce((a, b) => a + (b - mean) ** 2, 0) / past.length);
  const threshold = Math.max(c.minEvents, mean + c.sigmas * sd, c.factor * mean);
  if (today <= threshold || ctx.state.lastFired[`volume_spike:${day}`] !== undefined) return NONE;
  return [
    makeDetection('volume_spike', ctx.person, e, [], `${today} identity events today against a daily mean of ${Math.round(mean)}`, {
      today,
      mean: Math.round(mean * 10) / 10,
      stddev: Math.round(sd * 10) / 10,
      threshold: Math.round(threshold),
      day,
    }),
  ];
}

/** Cool-down key under which a detection is remembered in `lastFired`. */
export function firedKey(d: Detection): string[] {
  const details = d.evidence.details;
  switch (d.kind) {
    case 'new_country':
      return [`new_country:${String(details.country)}`];
    case 'new_city':
      return [`new_city:${String(details.country ?? '')}|${String(details.city)}`];
    case 'new_asn':
      return [`new_asn:${String(details.asn)}`];
    case 'new_device':
      return [`new_device:${String(details.userAgent)}`];
    case 'impossible_travel':
      return [`impossible_travel:${String(details.pairKey)}`];
    case 'spray_then_success':
      return [`spray_then_success:${String(details.attackDetectionId)}`];
    case 'mfa_factor_removed_then_signin':
      return [`mfa_factor_removed_then_signin:${d.evidence.eventUids[0] ?? ''}`];
    case 'concurrent_sessions':
      return [`concurrent_sessions:${String(details.pairKey)}`];
    case 'token_anomaly':
      return [`token_anomaly:${d.evidence.eventUids[0] ?? ''}`];
    case 'volume_spike':
      return [`volume_spike:${String(details.day)}`];
    default:
      return [d.kind];
  }
}
