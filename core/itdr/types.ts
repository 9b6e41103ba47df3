/**
 * Identity threat detection and response (ITDR): the public types of the pure detection core.
 *
 * Two kinds of state, both plain JSON (serialise with JSON.stringify, restore with JSON.parse; every field is a
 * string, number, boolean, null, array or plain object), each owned by one Durable Object:
 *
 * - `UserItdrState`: one per resolved person (see resolve.ts), in the per-user Durable Object keyed by the
 *   person key. Updated by `processUserEvents` (engine.ts) with that person's identity events from every
 *   provider: baseline, sessions, recent window, risk (with decay), kill-chain stages, incident, bounded
 *   detection history.
 * - `OrgItdrState`: ONE per organisation (a single org-wide Durable Object, not one per source IP). It holds
 *   the per-source-IP windows for the cross-user detectors (password spray including slow spray over 24 h,
 *   credential stuffing) and the org-wide profile (which countries, ASNs, hours are common in the
 *   organisation) used as the cold-start baseline for people whose own baseline has not matured. One object
 *   keeps a spray spread over many users in one place and lets every user read the same org profile; identity
 *   event volume (a few sign-in events per person per day) is far below what one object serialises. Updated by
 *   `processSourceEvents` (engine.ts).
 *
 * Order of calls for a batch (the host's contract):
 *   1. org = processSourceEvents(orgState, allIdentityEventsOfTheBatch, config, now)
 *   2. for each person p: processUserEvents(userState[p], eventsOf[p], config, now,
 *        { org: org.state.profile, external: org.detections.filter(d => d.user === p) })
 *   3. alerts from the returned detections; an incident from `incidentChange`.
 * Both functions are idempotent per event uid (an event seen before is skipped; the last
 * `history.maxSeenUids` uids are remembered), so a retried batch changes nothing, and both accept events out of
 * order (older than the state's clock: still recorded in the baseline, but stateful detectors compare against
 * what is known at processing time). Both update the state passed in, in place, and return it as
 * `result.state` (hosts load it fresh from storage; keep a `structuredClone` if the previous one is needed).
 */
import type { IdentityEventSummary } from '../identity/identity-event';

/** What the core consumes: the identity view of a normalized event (core/identity/identity-event.ts). */
export type ItdrEvent = IdentityEventSummary;

export const killChainStages = [
  'reconnaissance',
  'credential_attack',
  'initial_access',
  'defense_evasion',
  'privilege_escalation',
  'persistence',
  'lateral_movement',
  'objectives',
] as const;
export type KillChainStage = (typeof killChainStages)[number];

export const detectionKinds = [
  'impossible_travel',
  'new_country',
  'new_city',
  'new_asn',
  'new_device',
  'unusual_hour',
  'brute_force',
  'password_spray',
  'credential_stuffing',
  'spray_then_success',
  'mfa_fatigue',
  'mfa_factor_removed_then_signin',
  'privilege_escalation',
  'dormant_account_reactivation',
  'session_hijack',
  'concurrent_sessions',
  'token_anomaly',
  'illicit_oauth_consent',
  'volume_spike',
] as const;
export type DetectionKind = (typeof detectionKinds)[number];

export type DetectionSeverity = 'low' | 'medium' | 'high' | 'critical';

export interface Detection {
  /** Stable id: `${kind}:${person}:${first evidence event uid}` (a retried batch produces the same id). */
  readonly id: string;
  readonly kind: DetectionKind;
  readonly severity: DetectionSeverity;
  /** Time of the event that completed the pattern (ISO-8601, ms). */
  readonly at: string;
  /** Resolved person key (resolve.ts); for source-level detections, the targeted or affected person. */
  readonly user: string;
  readonly stage: KillChainStage;
  /** MITRE ATT&CK technique ids, e.g. `T1110.003`. */
  readonly mitre: readonly string[];
  /** Points added to the person's risk score when the detection fires (before decay). */
  readonly score: number;
  readonly evidence: {
    readonly eventUids: readonly string[];
    readonly summary: string;
    readonly details: Readonly<Record<string, string | number | boolean | null>>;
  };
}

export type RiskLevel = 'none' | 'low' | 'medium' | 'high' | 'critical';

export interface RiskFactor {
  readonly kind: DetectionKind;
  readonly detectionId: string;
  /** Points at `at`, before decay. */
  readonly points: number;
  readonly at: string;
  readonly eventUids: readonly string[];
}

/** The risk as shown: contributions are the decayed points at `asOf`, summing (before the cap) to `score`. */
export interface RiskView {
  readonly score: number;
  readonly level: RiskLevel;
  readonly asOf: string;
  readonly breakdown: readonly { kind: DetectionKind; detectionId: string; contribution: number; at: string; eventUids: readonly string[] }[];
}

/** How often a value was seen: the unit of every baseline map. */
export interface SeenCount {
  count: number;
  first: string;
  last: string;
}

export interface Baseline {
  /** First identity event of the person (start of the learning period). */
  startedAt: string | null;
  /** Interactive sign-ins counted (session starts, and successes that open no known session). */
  signIns: number;
  /** Successful sign-ins per hour of the week, UTC, index = day (0 = Sunday) × 24 + hour. */
  hourOfWeek: number[];
  /** The person's own successful events (sign-ins, SSO, MFA) per UTC hour of the day: when they are active. */
  activeHours: number[];
  countries: Record<string, SeenCount>;
  /** `country|city`. */
  cities: Record<string, SeenCount>;
  /** Coordinates of known cities (same keys as `cities`), for the distance test of new_city. */
  cityPlaces: Record<string, [lat: number, lon: number]>;
  asns: Record<string, SeenCount>;
  ips: Record<string, SeenCount>;
  /** Device fingerprint: the user agent (no provider gives a stable device id in the normalized schema). */
  devices: Record<string, SeenCount>;
  apps: Record<string, SeenCount>;
  mfaMethods: Record<string, SeenCount>;
  providers: Record<string, SeenCount>;
  /** Identity events per UTC day, the last `volumeDays` days: `[day (YYYY-MM-DD), count]`, oldest first. */
  dailyVolume: [string, number][];
  /** Completed sessions: count and mean length in seconds. */
  sessionCount: number;
  sessionMeanSeconds: number;
  /** When the baseline first met both learning thresholds (it stays mature). */
  maturedAt: string | null;
}

export interface BaselineMaturity {
  readonly mature: boolean;
  /** 0–1: grows with sign-ins and days observed, 1 once both thresholds are met. */
  readonly confidence: number;
  readonly daysObserved: number;
  readonly signIns: number;
  /** When the baseline matured (or will, by the day rule, at the earliest). */
  readonly maturesAt: string | null;
}

export interface SessionRecord {
  id: string;
  provider: string;
  startedAt: string;
  lastAt: string;
  /** Context the session was established from. */
  ip: string | null;
  asn: number | null;
  country: string | null;
  city: string | null;
  lat: number | null;
  lon: number | null;
  device: string | null;
  ended: boolean;
  /** Whether a session_hijack already fired for this session (fires once per session). */
  hijackReported: boolean;
}

/** A compact event kept in the recent window for the counting detectors. */
export interface RecentEvent {
  uid: string;
  at: string;
  action: string;
  identityAction: string;
  outcome: string;
  source: string;
  ip: string | null;
  asn: number | null;
  country: string | null;
  city: string | null;
  lat: number | null;
  lon: number | null;
  device: string | null;
  sessionId: string | null;
  target: string | null;
}

export interface StageHit {
  stage: KillChainStage;
  firstAt: string;
  lastAt: string;
  detectionIds: string[];
}

export interface IdentityIncident {
  /** `incident:${person}:${openedAt}`. */
  id: string;
  person: string;
  status: 'open' | 'escalated';
  openedAt: string;
  escalatedAt: string | null;
  /** Time of the latest detection in the incident; it expires `windowHours` after this. */
  lastAt: string;
  stages: KillChainStage[];
  detectionIds: string[];
}

export interface UserItdrState {
  version: 1;
  person: string;
  /** Latest event time processed (the state's clock). */
  clock: string | null;
  lastSeen: string | null;
  /** Last successful authentication of the person's own (sign-in, SSO, MFA accept), for dormancy. */
  lastSignInAt: string | null;
  baseline: Baseline;
  sessions: SessionRecord[];
  recent: RecentEvent[];
  /** Event uids processed recently (idempotency), bounded. */
  seenUids: string[];
  risk: { factors: RiskFactor[] };
  stages: StageHit[];
  incident: IdentityIncident | null;
  detections: Detection[];
  /** Last time each detector fired for this person, keyed by kind (or kind:qualifier), for cool-downs. */
  lastFired: Record<string, string>;
  /** Recent credential attacks against the person seen by the org-wide detectors (from `external`). */
  targetedBy: { kind: DetectionKind; sourceIp: string | null; at: string; detectionId: string }[];
  /** MFA factors removed or reset, awaiting a sign-in. */
  factorRemovals: { at: string; uid: string; byOther: boolean }[];
  /** API/OAuth tokens issued recently (token_anomaly watches their first use). */
  tokens: { at: string; uid: string; target: string | null; ip: string | null; asn: number | null }[];
  /** When the account was created (a grant by a newly created admin escalates). */
  createdAt: string | null;
  /** UTC day of the last daily housekeeping (forgetting stale baseline values, expiring cool-downs). */
  housekeptOn: string | null;
}

/** Org-wide profile: how many distinct people were seen with each value (cold-start baseline). */
export interface OrgProfile {
  /** First event the profile learned from; it is trusted after `orgLearningDays`. */
  since: string | null;
  people: number;
  countries: Record<string, number>;
  asns: Record<string, number>;
  /** Applications (OAuth clients, SSO apps) → distinct people. */
  apps: Record<string, number>;
  /** Sign-ins per UTC hour of the week across the organisation. */
  hourOfWeek: number[];
  /**
   * Unused since the per-person membership moved to `OrgItdrState.members` (so the profile each person's object
   * receives stays small); optional so callers that blank it and profiles stored before still type-check.
   */
  seen?: Record<string, string[]>;
}

export interface SourceWindow {
  ip: string;
  /** Failed authentications in the last 24 h: [time, person, event uid], oldest first, bounded. */
  failures: [string, string, string][];
  /** Successes in the last 24 h: [time, person, event uid]. */
  successes: [string, string, string][];
  lastAt: string;
  /** When password_spray / credential_stuffing last fired for this source. */
  sprayReportedAt: string | null;
  stuffingReportedAt: string | null;
  /** People already told they were targeted by this source's spray (so each is told once). */
  notified: string[];
}

export interface OrgItdrState {
  version: 1;
  clock: string | null;
  sources: Record<string, SourceWindow>;
  /** The org profile: what every person's object receives (small: counts only). */
  profile: OrgProfile;
  /** person → the profile values it already counted (`c:<country>`, `a:<asn>`, `p:<app>`), so each counts once. */
  members: Record<string, Record<string, 1>>;
  seenUids: string[];
  /** UTC hour (`YYYY-MM-DDTHH`) of the last sweep of idle sources. */
  sweptAt: string | null;
}

/** What changed in the person's kill-chain stages. */
export interface StageChange {
  readonly added: KillChainStage[];
  readonly stages: KillChainStage[];
}

export type IncidentChange =
  | { readonly action: 'none' }
  | { readonly action: 'open'; readonly incident: IdentityIncident }
  | { readonly action: 'escalate'; readonly incident: IdentityIncident };

export interface UserProcessResult {
  readonly state: UserItdrState;
  /** New detections, in time order. */
  readonly detections: Detection[];
  readonly riskChange: { readonly before: number; readonly after: number; readonly risk: RiskView };
  readonly stageChange: StageChange;
  readonly incidentChange: IncidentChange;
}

export interface SourceProcessResult {
  readonly state: OrgItdrState;
  /** One detection per targeted person (password_spray / credential_stuffing), `user` = that person. */
  readonly detections: Detection[];
}

export interface UserProcessContext {
  /** The org profile (OrgItdrState.profile) for cold start; without it a young baseline suppresses novelty. */
  readonly org?: OrgProfile | null;
  /** Detections about this person from processSourceEvents, in the same batch or since the last call. */
  readonly external?: readonly Detection[];
}
