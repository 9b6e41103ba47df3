/**
 * Normalize throughput per source, one core, plain Node: each source's real samples (the shared corpus; the
 * demo generator's events for Okta and CloudTrail, which are realistic and varied; fixtures where there is no
 * corpus) cycled to ≥ 20,000 records and run through the ingest path's parsing exactly as a batch is —
 * parseBatch: split, envelopes, the source's parser, ids — without storage. Reference, same input, same
 * process: JSON.parse of every line alone. Medians of 5 repetitions after a warm-up.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { iterateDemoEvents } from '../core/demo/dataset';
import { parseBatch } from '../core/ingest/parse-batch';
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
  const text = sourceAdapters.get(source)?.text === 'lines';
  return readdirSync(from)
    .filter((f) => (f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson') && !f.includes('cribl-parsed')) || (text && f.endsWith('.log')))
    .flatMap((f) => readFileSync(join(from, f), 'utf8').split('\n'))
    .filter((l) => l.trim() !== '')
    .map((l) => (l.trim().startsWith('{') ? JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_')))) : l));
}

async function time(fn: () => unknown): Promise<number> {
  await fn(); // warm-up
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await fn();
    runs.push(performance.now() - t);
  }
  return median(runs);
}

console.log(`\n## Normalize throughput per source (${machineLine()})`);
console.log(`≥ ${fmt(target)} records per source (samples cycled), one core, medians of 5 runs\n`);
console.log('| source | distinct samples | normalize (parseBatch), lines/s | reference: JSON.parse alone, lines/s | ratio |');
console.log('|---|---|---|---|---|');
for (const [id, adapter] of [...sourceAdapters].sort(([a], [b]) => a.localeCompare(b))) {
  const samples = inputFor(id);
  if (samples.length === 0) {
    console.log(`| \`${id}\` | 0 | (no samples) | | |`);
    continue;
  }
  const lines = Array.from({ length: Math.max(target, samples.length) }, (_, i) => samples[i % samples.length]!);
  const body = lines.join('\n');
  const reference = await time(() => {
    for (const l of lines) if (l.startsWith('{')) JSON.parse(l);
  });
  let failures = 0;
  const full = await time(async () => {
    const result = await parseBatch(body, adapter, { source: id, batchId: 'bench', ingestTime });
    failures = result.ok ? result.rejected : lines.length;
  });
  const rate = (ms: number) => lines.length / (ms / 1000);
  console.log(`| \`${id}\` | ${fmt(samples.length)} | ${fmt(rate(full))}${failures ? ` (${failures} rejected)` : ''} | ${fmt(rate(reference))} | ${fmt(rate(full) / rate(reference), 2)} |`);
}
