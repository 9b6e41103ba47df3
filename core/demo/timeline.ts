/**
 * The scheduling core of the generator: planners describe what happens as timed steps, and the timeline turns
 * them into vendor events in time order, one chunk of the window at a time.
 *
 * A planner (one user's local day, the fleet's UTC day, an attack story) draws every random number it needs
 * from its own stream and records each future event as a step: its time, a 32-bit seed and a builder. Only
 * steps of the requested source inside the current chunk are kept; they are sorted and materialised lazily, so
 * memory is bounded by one chunk's steps, never by the dataset.
 *
 * Invariants:
 * - A plan draws the same numbers whether or not its steps are kept, so output never depends on the chunk
 *   size, the requested source or the window edges (a plan is re-run for every chunk it overlaps).
 * - Each plan only records steps inside its declared span [from, to); a step outside is a bug and throws,
 *   because the chunker relies on the span to know which plans can reach a chunk.
 * - Within a chunk, steps are ordered by time; equal times keep their recording order (stable sort), which is
 *   itself a function of the options.
 */
import type { CloudTrailRecord } from './cloudtrail-wire-schema';
import type { OktaSystemLogEvent } from './okta-wire-schema';
import { Random } from './random';

export const demoSources = ['okta', 'cloudtrail'] as const;
export type DemoSource = (typeof demoSources)[number];

export interface DemoEventBySource {
  okta: OktaSystemLogEvent;
  cloudtrail: CloudTrailRecord;
}

export type StepBuilder<E> = (rng: Random) => E;

interface Step {
  readonly t: number;
  readonly seed: number;
  readonly build: StepBuilder<unknown>;
}

/** Where plans put their steps. */
export interface StepSink {
  accept(source: DemoSource, t: number, seed: number, build: StepBuilder<unknown>): void;
}

/** Counts the steps of each source inside [from, to) without keeping them. */
export class StepCounter implements StepSink {
  readonly counts: Record<DemoSource, number> = { okta: 0, cloudtrail: 0 };

  constructor(
    readonly from: number,
    readonly to: number,
  ) {}

  accept(source: DemoSource, t: number): void {
    if (t >= this.from && t < this.to) this.counts[source]++;
  }
}

/** Receives the steps of one chunk; drops the ones of other sources or outside [from, to). */
export class ChunkCollector implements StepSink {
  private readonly steps: Step[] = [];

  constructor(
    readonly source: DemoSource,
    readonly from: number,
    readonly to: number,
  ) {}

  accept(source: DemoSource, t: number, seed: number, build: StepBuilder<unknown>): void {
    if (source !== this.source || t < this.from || t >= this.to) return;
    this.steps.push({ t, seed, build });
  }

  /** The kept steps in time order, materialised one by one. */
  *drain(): Generator<unknown> {
    this.steps.sort((a, b) => a.t - b.t);
    for (const step of this.steps) yield step.build(Random.fromSeed(step.seed));
    this.steps.length = 0;
  }
}

/** What a planner writes to: a random stream and a span its steps must stay in. */
export class Plan {
  constructor(
    readonly rng: Random,
    private readonly sink: StepSink,
    readonly spanFrom: number,
    readonly spanTo: number,
    private readonly label: string,
  ) {}

  okta(t: number, build: StepBuilder<OktaSystemLogEvent>): void {
    this.record('okta', t, build);
  }

  cloudtrail(t: number, build: StepBuilder<CloudTrailRecord>): void {
    this.record('cloudtrail', t, build);
  }

  private record(source: DemoSource, t: number, build: StepBuilder<unknown>): void {
    const seed = this.rng.u32();
    const at = Math.floor(t);
    if (!(at >= this.spanFrom && at < this.spanTo)) {
      throw new RangeError(`${this.label}: step at ${new Date(at).toISOString()} is outside its span`);
    }
    this.sink.accept(source, at, seed, build);
  }
}
