/**
 * Cross-user detectors keyed by source address, run on the org-wide state (OrgItdrState.sources):
 *
 * - password spray: one source fails sign-ins for ≥ `distinctUsers` people within `windowHours` (24 h, so a
 *   slow spray of one guess an hour is caught too), with few attempts each (≤ `maxAttemptsPerUser` on average)
 *   and failures dominating the source's authentications (an office NAT with one mistype per colleague is not
 *   a spray: its successes outnumber its failures);
 * - credential stuffing: one source tries ≥ `distinctUsers` people within `windowMinutes` (automation speed)
 *   with at least `minFailureShare` failing (leaked pairs mostly fail; the few that work are the danger).
 *
 * When a pattern completes, every person targeted so far gets one detection addressed to them, and people the
 * same source targets later (while the pattern holds) get theirs as they appear.
 */
import type { ItdrConfig } from './config';
import { makeDetection, isSuccess } from './user-detectors';
import type { Detection, ItdrEvent, OrgItdrState, SourceWindow } from './types';

const NONE: Detection[] = [];
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const MAX_WINDOW_ENTRIES = 5000;

export function detectCredentialAttacks(state: OrgItdrState, e: ItdrEvent, person: string, config: ItdrConfig): Detection[] {
  if (e.srcIp === null) return NONE;
  const failure = e.identityAction === 'auth_failure';
  const success = isSuccess(e) && e.outcome !== 'failure';
  if (!failure && !success) return NONE;
  let w = state.sources[e.srcIp];
  if (!w) {
    w = { ip: e.srcIp, failures: [], successes: [], lastAt: e.eventTime, sprayReportedAt: null, stuffingReportedAt: null, notified: [] };
    state.sources[e.srcIp] = w;
  }
  if (e.eventTime > w.lastAt) w.lastAt = e.eventTime;
  // Entries older than the window go; the cut-off is only computed when the oldest entry might be out.
  const headF = w.failures[0]?.[0];
  const headS = w.successes[0]?.[0];
  const oldest = headF === undefined ? headS : headS === undefined || headF < headS ? headF : headS;
  if (oldest !== undefined && oldest.slice(0, 13) !== e.eventTime.slice(0, 13)) {
    const windowFrom = new Date(Date.parse(e.eventTime) - Math.max(config.passwordSpray.windowHours, 1) * HOUR_MS).toISOString();
    prune(w.failures, windowFrom);
    prune(w.successes, windowFrom);
  }
  (failure ? w.failures : w.successes).push([e.eventTime, person, e.eventUid]);
  if (w.failures.length > MAX_WINDOW_ENTRIES) w.failures.splice(0, w.failures.length - MAX_WINDOW_ENTRIES);
  if (w.successes.length > MAX_WINDOW_ENTRIES) w.successes.splice(0, w.successes.length - MAX_WINDOW_ENTRIES);
  if (!failure) return NONE;
  return [...spray(w, e, config), ...stuffing(w, e, config)];
}

function prune(entries: [string, string, string][], from: string): void {
  let drop = 0;
  while (drop < entries.length && entries[drop]![0] < from) drop++;
  if (drop > 0) entries.splice(0, drop);
}

function spray(w: SourceWindow, e: ItdrEvent, config: ItdrConfig): Detection[] {
  const c = config.passwordSpray;
  const people = new Set(w.failures.map((f) => f[1]));
  const active = w.sprayReportedAt !== null && Date.parse(e.eventTime) - Date.parse(w.sprayReportedAt) < c.cooldownHours * HOUR_MS;
  if (!active) {
    const attemptsPerUser = w.failures.length / people.size;
    const failureShare = w.failures.length / (w.failures.length + w.successes.length);
    if (people.size < c.distinctUsers || attemptsPerUser > c.maxAttemptsPerUser || failureShare < c.minFailureShare) return NONE;
    w.sprayReportedAt = e.eventTime;
    w.notified = [];
  }
  return notify(w, e, 'password_spray', people, config, {
    distinctUsers: people.size,
    failures: w.failures.length,
    windowHours: c.windowHours,
    firstAttemptAt: w.failures[0]?.[0] ?? e.eventTime,
  });
}

function stuffing(w: SourceWindow, e: ItdrEvent, config: ItdrConfig): Detection[] {
  const c = config.credentialStuffing;
  const from = new Date(Date.parse(e.eventTime) - c.windowMinutes * MINUTE_MS).toISOString();
  const failures = w.failures.filter((f) => f[0] >= from);
  const successes = w.successes.filter((s) => s[0] >= from);
  const people = new Set([...failures, ...successes].map((f) => f[1]));
  const active = w.stuffingReportedAt !== null && Date.parse(e.eventTime) - Date.parse(w.stuffingReportedAt) < c.cooldownHours * HOUR_MS;
  if (!active) {
    const share = failures.length / (failures.length + successes.length);
    if (people.size < c.distinctUsers || share < c.minFailureShare) return NONE;
    w.stuffingReportedAt = e.eventTime;
  }
  const stuffed = new Set(failures.map((f) => f[1]));
  return notify(w, e, 'credential_stuffing', stuffed, config, {
    distinctUsers: people.size,
    failures: failures.length,
    successes: successes.length,
    windowMinutes: c.windowMinutes,
  });
}

function notify(
  w: SourceWindow,
  e: ItdrEvent,
  kind: 'password_spray' | 'credential_stuffing',
  people: ReadonlySet<string>,
  config: ItdrConfig,
  details: Record<string, string | number>,
): Detection[] {
  const out: Detection[] = [];
  for (const target of people) {
    const mark = `${kind}:${target}`;
    if (w.notified.includes(mark)) continue;
    w.notified.push(mark);
    const theirs = w.failures.filter((f) => f[1] === target);
    const last = theirs.at(-1);
    const at = last?.[0] ?? e.eventTime;
    const uid = last?.[2] ?? e.eventUid;
    out.push(
      makeDetection(
        kind,
        target,
        { eventUid: uid, eventTime: at },
        theirs.map((f) => f[2]),
        `${kind === 'password_spray' ? 'password spray' : 'credential stuffing'} from ${w.ip}: ${details.distinctUsers} accounts, ${theirs.length} attempt(s) on this one`,
        { ...details, sourceIp: w.ip, attemptsOnAccount: theirs.length },
      ),
    );
  }
  if (w.notified.length > 10_000) w.notified.splice(0, w.notified.length - 10_000);
  void config;
  return out;
}
