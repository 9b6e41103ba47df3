/**
 * ITDR detector core alone, one core, plain Node: the demo organisation's identity events (Okta and CloudTrail,
 * through their real parsers and the identity view, built before timing) replayed through core/itdr in the
 * hosts' order — org-wide source detectors, then each person's state — in batches of 5 minutes of event time
 * (about what one ingest batch of a mid-size organisation holds). Every run starts from empty states, so it
 * includes learning the baselines, the detections of every attack story and the incident rule.
 * Reference, same events, same process: JSON.parse of each event's JSON text alone. Medians of 5 runs after a
 * warm-up.
 */
import { defaultItdrConfig } from '../core/itdr/config';
import { demoIdentityBatches } from '../core/itdr/demo-replay-support';
import { ItdrReplay } from '../core/itdr/replay';
import type { ItdrEvent } from '../core/itdr/types';
import { fmt, machineLine, median } from './machine';

const options = { end: '2026-11-27T16:00:00Z', users: Number(process.env.ITDR_BENCH_USERS ?? 200), days: 14 };
const batchMinutes = 5;
const batches: { events: ItdrEvent[]; end: string }[] = [...demoIdentityBatches(options, batchMinutes)];
const events = batches.reduce((n, b) => n + b.events.length, 0);
const lines = batches.flatMap((b) => b.events.map((e) => JSON.stringify(e)));

function time(fn: () => void): number {
  fn(); // warm-up
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    fn();
    runs.push(performance.now() - t);
  }
  return median(runs);
}

let detections = 0;
let people = 0;
const core = time(() => {
  const replay = new ItdrReplay(defaultItdrConfig);
  detections = 0;
  for (const b of batches) detections += replay.ingest(b.events, b.end).detections.length;
  people = replay.users.size;
});
const reference = time(() => {
  for (const l of lines) JSON.parse(l);
});
const rate = (ms: number) => events / (ms / 1000);

console.log(`\n## ITDR detector core (${machineLine()})`);
console.log(
  `Demo organisation, ${options.users} users × ${options.days} days (seed 1, end ${options.end}): ${fmt(events)} identity events of ${fmt(people)} people, ` +
    `${fmt(batches.length)} batches of ${batchMinutes} min, ${fmt(detections)} detections per run; one core, medians of 5 runs\n`,
);
console.log('| path | events/s | median run, ms | ratio to reference |');
console.log('|---|---|---|---|');
console.log(`| ITDR core (processSourceEvents + processUserEvents) | ${fmt(rate(core))} | ${fmt(core, 1)} | ${fmt(rate(core) / rate(reference), 2)} |`);
console.log(`| reference: JSON.parse of the same events | ${fmt(rate(reference))} | ${fmt(reference, 1)} | 1.00 |`);
