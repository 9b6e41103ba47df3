/**
 * Public entry point of the demo-data generator: a deterministic synthetic organisation's Okta System Log and
 * AWS CloudTrail, in the vendors' own wire formats, over the window [end − days, end), with attack stories
 * woven in (see stories.ts and README.md).
 *
 * - `iterateDemoEvents(options, source)` streams one source's events in time order, materialising them one
 *   at a time (memory is bounded by one day of steps, whatever the size of the dataset).
 * - `countDemoEvents(options)` gives exact totals without building any event.
 * - `describeDemoStories(options)` says who is attacked when, with the markers to look for.
 * - `generateDemoDataset(options)` returns everything as arrays, for small datasets (tests, fixtures, UI).
 *
 * Invariants:
 * - Same options ⇒ byte-identical `JSON.stringify` of every event, on any JavaScript runtime (seeded PRNG,
 *   no clock, no `Math.random`, no tz database). Different seeds ⇒ different people and events.
 * - Every event time t satisfies end − days ≤ t < end.
 * - Pure: no I/O, no Node APIs; runs in Workers as well as in Node.
 */
import { z } from 'zod';
import type { CloudTrailRecord } from './cloudtrail-wire-schema';
import { USER_DAY_SPAN_MS, planFleetDay, planUserDay } from './normal-activity';
import type { OktaSystemLogEvent } from './okta-wire-schema';
import { buildDemoOrganisation, type DemoOrganisation } from './organisation';
import { Random } from './random';
import { planStories, writeStoryScript, type DemoStoryCast, type StoryScript } from './stories';
import { ChunkCollector, Plan, StepCounter, type DemoEventBySource, type DemoSource, type StepSink } from './timeline';
import { DAY_MS, localDayOf, localTimeToUtc } from './time-zones';

export { demoStoryMarkers, type DemoStoryCast } from './stories';
export { demoSources, type DemoSource } from './timeline';
export type { OktaSystemLogEvent } from './okta-wire-schema';
export type { CloudTrailRecord } from './cloudtrail-wire-schema';

/**
 * Bumped whenever the same options start producing different events, so that consumers keying stored data on
 * the options (the seed command's idempotency keys) do not mistake new data for old.
 */
export const DEMO_GENERATOR_VERSION = 2;

export const demoDatasetOptionsSchema = z.strictObject({
  seed: z
    .number()
    .int('must be a whole number')
    .min(0, 'must be between 0 and 4294967295')
    .max(0xffffffff, 'must be between 0 and 4294967295')
    .default(1),
  users: z
    .number()
    .int('must be a whole number')
    .min(10, 'must be at least 10 (the stories need three admins, a victim and bystanders)')
    .max(100_000, 'must be at most 100000')
    .default(50),
  days: z
    .number()
    .int('must be a whole number')
    .min(4, 'must be at least 4 (the password spray happens three days before the end)')
    .max(366, 'must be at most 366')
    .default(14),
  /** Exclusive end of the window, ISO-8601 with a zone (`Z` or an offset). */
  end: z.iso
    .datetime({ offset: true, message: 'must be an ISO-8601 time with a zone, e.g. 2026-11-27T16:00:00Z' })
    .refine((value) => {
      const ms = Date.parse(value);
      return Number.isNaN(ms) || (ms >= Date.UTC(2000, 0, 1) && ms < Date.UTC(2100, 0, 1));
    }, 'must be between 2000 and 2100'),
});
export type DemoDatasetOptions = z.input<typeof demoDatasetOptionsSchema>;
export type ResolvedDemoDatasetOptions = z.output<typeof demoDatasetOptionsSchema>;

/** Largest users × days `generateDemoDataset` accepts (about 250,000 events); stream anything bigger. */
export const MAX_IN_MEMORY_USER_DAYS = 10_000;

interface DatasetContext {
  readonly options: ResolvedDemoDatasetOptions;
  readonly org: DemoOrganisation;
  readonly script: StoryScript;
  readonly windowStart: number;
  readonly windowEnd: number;
}

function createContext(input: DemoDatasetOptions): DatasetContext {
  const options = demoDatasetOptionsSchema.parse(input);
  const org = buildDemoOrganisation(options.seed, options.users);
  const windowEnd = Date.parse(options.end);
  const windowStart = windowEnd - options.days * DAY_MS;
  const script = writeStoryScript(org, options.seed, options.days, windowEnd);
  return { options, org, script, windowStart, windowEnd };
}

/** Runs every plan that can reach [from, to) into the sink; returns the story cast. */
function planWindow(ctx: DatasetContext, sink: StepSink, from: number, to: number): DemoStoryCast {
  const { org, script } = ctx;
  const seed = ctx.options.seed;
  for (const user of org.users) {
    const lastDay = localDayOf(user.zone, to);
    for (let day = localDayOf(user.zone, from - USER_DAY_SPAN_MS); day <= lastDay; day++) {
      const start = localTimeToUtc(user.zone, day, 0);
      if (start >= to || start + USER_DAY_SPAN_MS <= from) continue;
      if (script.suppressedUserDays.has(`${user.index}:${day}`)) continue;
      const plan = new Plan(Random.from(seed, 'user-day', user.index, day), sink, start, start + USER_DAY_SPAN_MS, `user ${user.index}, day ${day}`);
      planUserDay(plan, org, user, day);
    }
  }
  const lastUtcDay = Math.floor(to / DAY_MS);
  for (let day = Math.floor((from - USER_DAY_SPAN_MS) / DAY_MS); day <= lastUtcDay; day++) {
    const start = day * DAY_MS;
    if (start >= to || start + USER_DAY_SPAN_MS <= from) continue;
    planFleetDay(new Plan(Random.from(seed, 'fleet-day', day), sink, start, start + USER_DAY_SPAN_MS, `fleet, day ${day}`), org, day);
  }
  return planStories(org, seed, script, sink);
}

/**
 * One source's events over the window, in time order. Throws a ZodError when the options are invalid.
 * Events are materialised as the generator is pulled; nothing is retained once yielded.
 */
export function iterateDemoEvents<S extends DemoSource>(options: DemoDatasetOptions, source: S): Generator<DemoEventBySource[S]> {
  const ctx = createContext(options);
  return iterateContext(ctx, source) as Generator<DemoEventBySource[S]>;
}

function* iterateContext(ctx: DatasetContext, source: DemoSource): Generator<unknown> {
  for (let from = ctx.windowStart; from < ctx.windowEnd; from += DAY_MS) {
    const collector = new ChunkCollector(source, from, Math.min(from + DAY_MS, ctx.windowEnd));
    planWindow(ctx, collector, collector.from, collector.to);
    yield* collector.drain();
  }
}

/** Exact number of events per source, without building them. */
export function countDemoEvents(options: DemoDatasetOptions): Record<DemoSource, number> {
  const ctx = createContext(options);
  const totals: Record<DemoSource, number> = { okta: 0, cloudtrail: 0 };
  for (let from = ctx.windowStart; from < ctx.windowEnd; from += DAY_MS) {
    const counter = new StepCounter(from, Math.min(from + DAY_MS, ctx.windowEnd));
    planWindow(ctx, counter, counter.from, counter.to);
    totals.okta += counter.counts.okta;
    totals.cloudtrail += counter.counts.cloudtrail;
  }
  return totals;
}

/** Who each story involves, when it happens, and its markers. */
export function describeDemoStories(options: DemoDatasetOptions): DemoStoryCast {
  const ctx = createContext(options);
  return planStories(ctx.org, ctx.options.seed, ctx.script, new StepCounter(0, 0));
}

export interface DemoUserSummary {
  readonly email: string;
  readonly displayName: string;
  readonly department: string;
  readonly title: string;
  readonly city: string;
  readonly country: string;
  readonly timeZone: string;
  readonly oktaAdminRole: string | null;
  readonly awsIamUser: string | null;
}

export interface DemoDataset {
  readonly options: ResolvedDemoDatasetOptions;
  readonly window: { readonly start: string; readonly end: string };
  readonly organisation: {
    readonly company: string;
    readonly domain: string;
    readonly awsAccountId: string;
    readonly users: readonly DemoUserSummary[];
  };
  readonly stories: DemoStoryCast;
  readonly okta: OktaSystemLogEvent[];
  readonly cloudtrail: CloudTrailRecord[];
}

/** Everything at once, for small datasets; refuses more than MAX_IN_MEMORY_USER_DAYS user-days. */
export function generateDemoDataset(options: DemoDatasetOptions): DemoDataset {
  const ctx = createContext(options);
  const { users, days } = ctx.options;
  if (users * days > MAX_IN_MEMORY_USER_DAYS) {
    throw new RangeError(
      `users × days = ${users * days} is more than generateDemoDataset holds in memory (${MAX_IN_MEMORY_USER_DAYS}); stream it with iterateDemoEvents`,
    );
  }
  const { org } = ctx;
  return {
    options: ctx.options,
    window: { start: new Date(ctx.windowStart).toISOString(), end: new Date(ctx.windowEnd).toISOString() },
    organisation: {
      company: org.company,
      domain: org.domain,
      awsAccountId: org.aws.accountId,
      users: org.users.map((u) => ({
        email: u.email,
        displayName: u.displayName,
        department: u.department,
        title: u.title,
        city: u.office.place.city,
        country: u.office.place.country,
        timeZone: u.zone.name,
        oktaAdminRole: u.adminRole,
        awsIamUser: u.aws?.userName ?? null,
      })),
    },
    stories: planStories(org, ctx.options.seed, ctx.script, new StepCounter(0, 0)),
    okta: [...(iterateContext(ctx, 'okta') as Generator<OktaSystemLogEvent>)],
    cloudtrail: [...(iterateContext(ctx, 'cloudtrail') as Generator<CloudTrailRecord>)],
  };
}
