/**
 * ITDR false positives on benign activity: the demo organisation (default 1,000 people) over 28 days, through
 * the real parsers and the ITDR core in hourly batches, with `identity.defaultDomain: acme-demo.test` so AWS IAM user names resolve
 * to the people's emails. The first 14 days are the learning period (the
 * baseline's day rule); the last 14 are measured. Every detection in the measured fortnight that is not part
 * of an attack story (the story's people, from the story's start to 24 h after it) is a false positive; the
 * rate is per 1,000 people per day. Target: ≤ 1.
 *
 * Not a timing benchmark (it prints counts, not speeds); it lives in bench/ because it takes minutes.
 * ITDR_FP_USERS and ITDR_FP_DAYS change the size.
 */
import { describeDemoStories } from '../core/demo/dataset';
import { parseItdrConfig } from '../core/itdr/config';
import { demoIdentityBatches } from '../core/itdr/demo-replay-support';
import { ItdrReplay } from '../core/itdr/replay';
import type { Detection } from '../core/itdr/types';
import { fmt, machineLine } from './machine';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const options = { seed: 1, users: Number(process.env.ITDR_FP_USERS ?? 1000), days: Number(process.env.ITDR_FP_DAYS ?? 28), end: '2026-11-27T16:00:00Z' };
// AWS IAM user names are the people's email local parts: `paisley.brown` is paisley.brown@acme-demo.test.
const config = parseItdrConfig({ identity: { defaultDomain: 'acme-demo.test' } });
const learningDays = config.baseline.learningDays;
const measuredFrom = new Date(Date.parse(options.end) - (options.days - learningDays) * DAY).toISOString();
const measuredDays = options.days - learningDays;

const stories = describeDemoStories(options);
/** person → [from, to) of their part in a story. */
const storyWindows = new Map<string, [number, number][]>();
const addWindow = (person: string, from: string, hoursAfter = 24): void => {
  const start = Date.parse(from) - HOUR;
  const list = storyWindows.get(person) ?? [];
  list.push([start, Date.parse(from) + hoursAfter * HOUR]);
  storyWindows.set(person, list);
};
for (const target of stories.passwordSpray.targets) addWindow(target, stories.passwordSpray.startedAt);
addWindow(stories.passwordSpray.privilegeGrantedTo, stories.passwordSpray.startedAt);
addWindow(`${stories.cloudTakeover.backdoorIamUser}@acme-demo.test`, stories.passwordSpray.startedAt);
addWindow(stories.impossibleTravel.user, stories.impossibleTravel.homeSignInAt);
addWindow(stories.dormantAccount.user, stories.dormantAccount.signInAt);
addWindow(stories.sessionHijack.user, stories.sessionHijack.signInAt);
const inStory = (d: Detection): boolean => (storyWindows.get(d.user) ?? []).some(([from, to]) => Date.parse(d.at) >= from && Date.parse(d.at) < to);

const replay = new ItdrReplay(config);
let events = 0;
const all: Detection[] = [];
const started = performance.now();
for (const batch of demoIdentityBatches(options, 60)) {
  events += batch.events.length;
  all.push(...replay.ingest(batch.events, batch.end).detections);
}
const seconds = (performance.now() - started) / 1000;

const measured = all.filter((d) => d.at >= measuredFrom);
const falsePositives = measured.filter((d) => !inStory(d));
const learning = all.filter((d) => d.at < measuredFrom && !inStory(d));
const rate = (n: number) => (n / (options.users * measuredDays)) * 1000;
const alerting = (ds: Detection[]) => ds.filter((d) => d.severity !== 'low');
const byKind = (ds: Detection[]) =>
  [...ds.reduce((m, d) => m.set(d.kind, (m.get(d.kind) ?? 0) + 1), new Map<string, number>())].map(([k, n]) => `${k} ${n}`).join(', ') || '—';

console.log(`\n## ITDR false positives on benign activity (${machineLine()})`);
console.log(
  `Demo organisation, seed ${options.seed}, ${fmt(options.users)} people × ${options.days} days ending ${options.end}: ${fmt(events)} identity events ` +
    `(${fmt(replay.users.size)} identities) replayed in hourly batches in ${fmt(seconds, 1)} s (generation and parsing included). ` +
    `Learning: the first ${learningDays} days; measured: the last ${measuredDays} days (from ${measuredFrom}).\n`,
);
console.log('| | detections | per 1,000 people per day |');
console.log('|---|---|---|');
console.log(`| false positives, measured fortnight, all severities | ${fmt(falsePositives.length)} | ${fmt(rate(falsePositives.length), 3)} |`);
console.log(`| false positives, measured fortnight, medium and above | ${fmt(alerting(falsePositives).length)} | ${fmt(rate(alerting(falsePositives).length), 3)} |`);
console.log(`| story detections, whole window (true positives) | ${fmt(all.filter(inStory).length)} | |`);
console.log(`| outside the stories during the learning period (for information) | ${fmt(learning.length)} | |`);
console.log(`\nFalse positives by kind: ${byKind(falsePositives)}. Story detections by kind: ${byKind(all.filter(inStory))}.`);
for (const d of falsePositives.slice(0, 20)) console.log(`  FP ${d.at} ${d.kind} ${d.severity} ${d.user}: ${d.evidence.summary}`);
