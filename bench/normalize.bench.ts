/**
 * Normalize throughput per source, one core, plain Node: each source's real samples (the shared corpus; the
 * demo generator's events for Okta and CloudTrail, which are realistic and varied) cycled to ≥ 20,000
 * records, run through JSON.parse + the source's parser. Reference, same input, same process: JSON.parse
 * alone. Medians of 5 repetitions after a warm-up.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { iterateDemoEvents } from '../core/demo/dataset';
import { sourceAdapters } from '../adapters/sources';
import { fmt, machineLine, median } from './machine';

const corpus = process.env.MANTISSA_CORPUS ?? fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
const dirs: Record<string, string> = {
  onepassword: '1password', cloudtrail: 'aws-cloudtrail', guardduty: 'aws-guardduty', vpc_flow: 'aws-vpcflow',
  azure_activity: 'azure-activity', entra_id: 'azure-ad', crowdstrike: 'crowdstrike', duo: 'duo', gcp_audit: 'gcp-audit',
  github: 'github-audit', google_workspace: 'google-workspace', kubernetes_audit: 'kubernetes-audit', m365: 'm365',
  okta: 'okta', onelogin: 'onelogin', salesforce: 'salesforce', slack: 'slack-audit', snowflake: 'snowflake',
};
const target = 20_000;
const ingestTime = '2026-11-27T00:00:00.000Z';

function inputFor(source: string): string[] {
  if (source === 'okta' || source === 'cloudtrail') {
    const lines: string[] = [];
    for (const e of iterateDemoEvents({ end: ingestTime, users: 200, days: 7 }, source)) {
      lines.push(JSON.stringify(e));
      if (lines.length === target) break;
    }
    return lines;
  }
  const dir = dirs[source] ? join(corpus, 'logs', dirs[source]!) : null;
  const fixtures = fileURLToPath(new URL(`../adapters/${source}/fixtures/`, import.meta.url));
  const from = dir && existsSync(dir) ? dir : existsSync(fixtures) ? fixtures : null;
  if (!from) return [];
  return readdirSync(from)
    .filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson'))
    .flatMap((f) => readFileSync(join(from, f), 'utf8').split('\n'))
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_')))));
}

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

console.log(`\n## Normalize throughput per source (${machineLine()})`);
console.log(`≥ ${fmt(target)} records per source (samples cycled), one core, medians of 5 runs\n`);
console.log('| source | distinct samples | JSON.parse + normalize, events/s | reference: JSON.parse alone, events/s | ratio |');
console.log('|---|---|---|---|---|');
for (const [id, adapter] of [...sourceAdapters].sort(([a], [b]) => a.localeCompare(b))) {
  const samples = inputFor(id);
  if (samples.length === 0) {
    console.log(`| \`${id}\` | 0 | (no JSON samples) | | |`);
    continue;
  }
  const lines = Array.from({ length: Math.max(target, samples.length) }, (_, i) => samples[i % samples.length]!);
  const ctx = { source: id, ingestTime };
  const reference = time(() => {
    for (const l of lines) JSON.parse(l);
  });
  let failures = 0;
  const full = time(() => {
    failures = 0;
    for (const l of lines) if (!adapter.parse(JSON.parse(l), ctx).ok) failures++;
  });
  const rate = (ms: number) => lines.length / (ms / 1000);
  console.log(`| \`${id}\` | ${fmt(samples.length)} | ${fmt(rate(full))}${failures ? ` (${failures} rejected)` : ''} | ${fmt(rate(reference))} | ${fmt(rate(full) / rate(reference), 2)} |`);
}
