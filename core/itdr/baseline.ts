/**
 * A person's behavioural baseline and the org-wide profile used while it is young.
 *
 * Learning period: the baseline matures after `learningDays` (14) days since the person's first event AND
 * `learningSignIns` (10) interactive sign-ins — whichever comes later. Confidence grows linearly with both
 * (`min(days/14, 1) × min(signIns/10, 1)`), so a new person is not "anomalous at everything" on day one.
 * Cold start: before maturity, novelty detectors (new country/ASN/device/city, unusual hour) only fire for
 * values the organisation does not commonly see either (OrgProfile), at a lower severity.
 *
 * The baseline keeps, per attribute, `value → {count, first, last}`, forgetting values unseen for
 * `retentionDays` and keeping at most `maxValuesPerAttribute` (least recently seen evicted), so state stays
 * bounded however long a person lives.
 */
import type { ItdrConfig } from './config';
import type { Baseline, BaselineMaturity, ItdrEvent, OrgItdrState, OrgProfile, SeenCount } from './types';

const DAY_MS = 86_400_000;

export function emptyBaseline(): Baseline {
  return {
    startedAt: null,
    signIns: 0,
    hourOfWeek: new Array<number>(168).fill(0),
    activeHours: new Array<number>(24).fill(0),
    countries: {},
    cities: {},
    cityPlaces: {},
    asns: {},
    ips: {},
    devices: {},
    apps: {},
    mfaMethods: {},
    providers: {},
    dailyVolume: [],
    sessionCount: 0,
    sessionMeanSeconds: 0,
    maturedAt: null,
  };
}

export function emptyOrgProfile(): OrgProfile {
  return { since: null, people: 0, countries: {}, asns: {}, apps: {}, hourOfWeek: new Array<number>(168).fill(0) };
}

export function hourOfWeek(iso: string): number {
  const d = new Date(iso);
  return d.getUTCDay() * 24 + d.getUTCHours();
}

/** Whether the baseline is mature at `now` (fast path of `maturity`: once mature, it stays mature). */
export function isMature(baseline: Baseline, now: string, config: ItdrConfig['baseline']): boolean {
  if (baseline.maturedAt !== null) return true;
  if (baseline.startedAt === null || baseline.signIns < config.learningSignIns) return false;
  if (Date.parse(now) - Date.parse(baseline.startedAt) < config.learningDays * DAY_MS) return false;
  baseline.maturedAt = now;
  return true;
}

export function maturity(baseline: Baseline, now: string, config: ItdrConfig['baseline']): BaselineMaturity {
  if (baseline.startedAt === null) return { mature: false, confidence: 0, daysObserved: 0, signIns: 0, maturesAt: null };
  const startedMs = Date.parse(baseline.startedAt);
  const daysObserved = Math.max(0, (Date.parse(now) - startedMs) / DAY_MS);
  const dayShare = config.learningDays > 0 ? Math.min(1, daysObserved / config.learningDays) : 1;
  const signInShare = config.learningSignIns > 0 ? Math.min(1, baseline.signIns / config.learningSignIns) : 1;
  const mature = dayShare >= 1 && signInShare >= 1;
  return {
    mature,
    confidence: Math.round(dayShare * signInShare * 100) / 100,
    daysObserved: Math.round(daysObserved * 10) / 10,
    signIns: baseline.signIns,
    maturesAt: new Date(startedMs + config.learningDays * DAY_MS).toISOString(),
  };
}

export function seen(map: Record<string, SeenCount>, key: string | null): boolean {
  return key !== null && map[key] !== undefined;
}

/** Records a value in a baseline map, evicting the least recently seen beyond the cap. */
export function remember(map: Record<string, SeenCount>, key: string | null, at: string, max: number): void {
  if (key === null || key === '') return;
  const entry = map[key];
  if (entry) {
    entry.count++;
    if (at > entry.last) entry.last = at;
    if (at < entry.first) entry.first = at;
    return;
  }
  map[key] = { count: 1, first: at, last: at };
  const keys = Object.keys(map);
  if (keys.length > max) {
    let oldest = keys[0]!;
    for (const k of keys) if (map[k]!.last < map[oldest]!.last) oldest = k;
    delete map[oldest];
  }
}

/** Forgets values not seen within the retention period. */
export function forgetStale(baseline: Baseline, now: string, config: ItdrConfig['baseline']): void {
  const cutoff = new Date(Date.parse(now) - config.retentionDays * DAY_MS).toISOString();
  for (const map of [baseline.countries, baseline.cities, baseline.asns, baseline.ips, baseline.devices, baseline.apps, baseline.mfaMethods, baseline.providers]) {
    for (const key of Object.keys(map)) if (map[key]!.last < cutoff) delete map[key];
  }
  for (const key of Object.keys(baseline.cityPlaces)) if (baseline.cities[key] === undefined) delete baseline.cityPlaces[key];
}

export const cityKey = (e: Pick<ItdrEvent, 'country' | 'city'>): string | null => (e.city ? `${e.country ?? ''}|${e.city}` : null);
export const asnKey = (asn: number | null): string | null => (asn === null ? null : String(asn));

/** Adds one event to the day-volume series (keeps `volumeDays` + today). */
export function countVolume(baseline: Baseline, at: string, volumeDays: number): void {
  const day = at.slice(0, 10);
  const series = baseline.dailyVolume;
  const last = series.at(-1);
  if (last && last[0] === day) last[1]++;
  else if (!last || day > last[0]) series.push([day, 1]);
  else {
    const existing = series.find((d) => d[0] === day);
    if (existing) existing[1]++;
    else {
      series.push([day, 1]);
      series.sort((a, b) => a[0].localeCompare(b[0]));
    }
  }
  while (series.length > volumeDays + 1) series.shift();
}

/** Whether the org profile has learned long enough to say what is uncommon (`orgLearningDays`). */
export function orgProfileTrusted(org: OrgProfile | null, now: string, config: ItdrConfig['baseline']): org is OrgProfile {
  return org !== null && org.since !== null && Date.parse(now) - Date.parse(org.since) >= config.orgLearningDays * DAY_MS;
}

/** Whether a value is common in the organisation (cold-start baseline). */
export function commonInOrg(counts: Record<string, number>, key: string | null, org: OrgProfile | null, config: ItdrConfig['baseline']): boolean {
  if (key === null || org === null) return false;
  const people = counts[key] ?? 0;
  return people >= config.orgCommonMinPeople && people >= org.people * config.orgCommonShare;
}

/** Counts a person once per value in the org profile (at most 64 values remembered per person). */
export function addToOrgProfile(org: Pick<OrgItdrState, 'profile' | 'members'>, person: string, e: ItdrEvent, signIn: boolean): void {
  const profile = org.profile;
  if (profile.since === null || e.eventTime < profile.since) profile.since = e.eventTime;
  let keys = org.members[person];
  if (!keys) {
    keys = {};
    org.members[person] = keys;
    profile.people++;
  }
  mark(keys, 'c:', e.country, profile.countries);
  if (e.asn !== null) mark(keys, 'a:', String(e.asn), profile.asns);
  if (e.identityAction === 'auth_success' || e.identityAction === 'oauth_consent' || e.identityAction === 'token_issue') mark(keys, 'p:', e.service, profile.apps);
  if (signIn) {
    const h = hourOfWeek(e.eventTime);
    profile.hourOfWeek[h] = (profile.hourOfWeek[h] ?? 0) + 1;
  }
}

function mark(keys: Record<string, 1>, prefix: string, value: string | null, counts: Record<string, number>): void {
  if (value === null || value === '') return;
  const key = prefix + value;
  if (keys[key] !== undefined) return;
  if (Object.keys(keys).length >= 64) return;
  keys[key] = 1;
  counts[value] = (counts[value] ?? 0) + 1;
}
