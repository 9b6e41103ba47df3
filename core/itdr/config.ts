/**
 * ITDR configuration: every detector parameter with its default (documented in core/itdr/README.md and
 * docs/itdr.md). Parsed with zod at the boundary (settings file, API); `parseItdrConfig({})` gives the
 * defaults, and any subset of fields may be overridden.
 */
import { z } from 'zod';

const n = (value: number) => z.number().nonnegative().default(value);
const int = (value: number) => z.number().int().nonnegative().default(value);

export const itdrConfigSchema = z.strictObject({
  identity: z
    .strictObject({
      /** `alias → canonical` (lower-cased): provider logins, old emails, `DOMAIN\\user`, provider ids `source:id`. */
      aliases: z.record(z.string(), z.string()).default({}),
      /** `other domain → canonical domain`, e.g. `corp.onmicrosoft.com → corp.com`. */
      domainAliases: z.record(z.string(), z.string()).default({}),
      /** Domain appended to bare logins (Duo `alice`) so they resolve to `alice@<defaultDomain>`. */
      defaultDomain: z.string().nullable().default(null),
    })
    .prefault({}),
  baseline: z
    .strictObject({
      /** The baseline matures after this many days of observation… */
      learningDays: n(14),
      /** …and this many interactive sign-ins, whichever comes later. */
      learningSignIns: int(10),
      /** Values not seen for this long leave the baseline. */
      retentionDays: n(90),
      /** Most distinct values kept per attribute (least recently seen evicted). */
      maxValuesPerAttribute: int(64),
      /** Days of daily event volume kept. */
      volumeDays: int(14),
      /** The org-wide profile is used for cold start only once it has learned for this many days. */
      orgLearningDays: n(7),
      /** A value is "common in the org" (cold start) when at least this share of people were seen with it. */
      orgCommonShare: n(0.02),
      /** …and at least this many people. */
      orgCommonMinPeople: int(2),
    })
    .prefault({}),
  risk: z
    .strictObject({
      /** Risk points halve after this many hours. */
      halfLifeHours: n(24),
      /** Lower bounds of the levels (score ≥ bound). Below `low`: none. */
      low: n(1),
      medium: n(30),
      high: n(60),
      critical: n(85),
      /** Factors kept (oldest dropped first); factors decayed under 0.5 points are dropped too. */
      maxFactors: int(50),
    })
    .prefault({}),
  incident: z
    .strictObject({
      /** Stages count toward an incident while hit within this many hours. */
      windowHours: n(72),
      openAtStages: int(2),
      escalateAtStages: int(3),
    })
    .prefault({}),
  history: z
    .strictObject({
      /** Detections kept per person. */
      maxDetections: int(200),
      /** Sessions kept per person. */
      maxSessions: int(50),
      /** Hours of events kept in the recent window… */
      recentHours: n(24),
      /** …and at most this many. */
      maxRecent: int(500),
      /** Event uids remembered for idempotency. */
      maxSeenUids: int(2000),
    })
    .prefault({}),
  impossibleTravel: z
    .strictObject({
      maxSpeedKmh: n(900),
      /** Pairs closer than this are ignored (geolocation of IPs is only this accurate). */
      minDistanceKm: n(500),
      /** The time between the two sign-ins is taken as at least this many seconds. */
      minGapSeconds: n(300),
      /** Only pairs at most this many hours apart are compared. */
      maxGapHours: n(24),
      /** VPN / cloud-egress addresses (CIDR or single IP) whose geolocation says nothing about the person. */
      allowCidrs: z.array(z.string()).default([]),
      /** …and autonomous systems, likewise. */
      allowAsns: z.array(z.number().int()).default([]),
    })
    .prefault({}),
  novelty: z
    .strictObject({
      /** new_city fires only when the city is at least this far from every known city with coordinates. */
      newCityMinKm: n(100),
      /** After a novelty fired for a value, the same value does not fire again for this many hours. */
      cooldownHours: n(24),
    })
    .prefault({}),
  unusualHour: z
    .strictObject({
      /** Fires when no baseline sign-in happened within this many hours (circular, hour of day) of the sign-in. */
      minDistanceHours: int(3),
      /** …and the sign-in's hour of the week holds less than this share of the org's sign-ins. */
      orgMaxShare: n(0.002),
      cooldownHours: n(24),
    })
    .prefault({}),
  bruteForce: z
    .strictObject({
      failures: int(10),
      windowMinutes: n(10),
      cooldownMinutes: n(60),
    })
    .prefault({}),
  passwordSpray: z
    .strictObject({
      /** Distinct people with failures from one source… */
      distinctUsers: int(10),
      /** …within this window (24 h catches slow sprays)… */
      windowHours: n(24),
      /** …with at most this many attempts per person on average (many users, few attempts each). */
      maxAttemptsPerUser: n(3),
      /** …and failures at least this share of the source's authentications (an office NAT mostly succeeds). */
      minFailureShare: n(0.8),
      cooldownHours: n(24),
    })
    .prefault({}),
  credentialStuffing: z
    .strictObject({
      /** Distinct people attempted from one source… */
      distinctUsers: int(15),
      /** …within this many minutes (automated speed)… */
      windowMinutes: n(10),
      /** …with at least this share failing. */
      minFailureShare: n(0.8),
      cooldownHours: n(24),
    })
    .prefault({}),
  sprayThenSuccess: z
    .strictObject({
      /** A success within this many hours after the person was targeted by a spray, stuffing or brute force. */
      windowHours: n(24),
    })
    .prefault({}),
  mfaFatigue: z
    .strictObject({
      /** Pushes denied or left unanswered before an accept… */
      minPrompts: int(4),
      windowMinutes: n(30),
    })
    .prefault({}),
  factorRemoved: z
    .strictObject({
      /** A sign-in this soon after a factor was removed or reset. */
      windowHours: n(24),
    })
    .prefault({}),
  privilegeEscalation: z
    .strictObject({
      /** A grant by an account created less than this many days before is "by a newly created admin". */
      newAdminDays: n(7),
    })
    .prefault({}),
  dormant: z
    .strictObject({
      /** No successful sign-in for this many days… */
      inactiveDays: n(10),
      /**
       * …and (when true) the sign-in comes from an address, ASN or device the baseline does not know: a person
       * back from leave on their own laptop at home is not an attack.
       */
      requireNewContext: z.boolean().default(true),
    })
    .prefault({}),
  sessionHijack: z
    .strictObject({
      /** The session's context must change in at least this many of: ASN, country, device. */
      minChangedAttributes: int(2),
    })
    .prefault({}),
  concurrentSessions: z
    .strictObject({
      /** Two sessions both active within this many minutes… */
      activeMinutes: n(30),
      /** …established from places at least this far apart. */
      minDistanceKm: n(1000),
    })
    .prefault({}),
  tokenAnomaly: z
    .strictObject({
      /** A token issued, then used within this many hours from an ASN the baseline does not know. */
      windowHours: n(24),
    })
    .prefault({}),
  volumeSpike: z
    .strictObject({
      /** Today's events above max(minEvents, mean + sigmas × stddev, factor × mean) of the baseline days. */
      minEvents: int(200),
      sigmas: n(4),
      factor: n(5),
      /** Baseline days needed before the spike detector runs. */
      minDays: int(7),
    })
    .prefault({}),
});

export type ItdrConfig = z.output<typeof itdrConfigSchema>;
export type ItdrConfigInput = z.input<typeof itdrConfigSchema>;

export function parseItdrConfig(input: ItdrConfigInput = {}): ItdrConfig {
  return itdrConfigSchema.parse(input);
}

export const defaultItdrConfig: ItdrConfig = parseItdrConfig({});
