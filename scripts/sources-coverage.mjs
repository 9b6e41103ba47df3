#!/usr/bin/env node
// `npm run report:sources`: regenerates docs/sources-coverage.md. Starts the Worker locally (npm start with an
// empty, temporary state), posts every sample file of the shared corpus through the real POST /ingest/:source
// route — NDJSON files as ../shared/tools/ingest-corpus sends them (p_* keys dropped), plus the text-format
// samples (VPC flow log lines, Salesforce EventLogFile CSV) — and measures, per source, how many events were
// parsed and how often each common column is filled.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureToolchain, root, toolEnv } from './lib/toolchain.mjs';

await ensureToolchain(import.meta.url);

const corpus = process.env.MANTISSA_CORPUS ?? join(root, '..', 'shared', 'corpus');
const logs = join(corpus, 'logs');
if (!existsSync(logs)) {
  console.error(`The shared corpus is missing (${logs}); set MANTISSA_CORPUS.`);
  process.exit(1);
}
const sourcesByDir = {
  '1password': 'onepassword', 'aws-cloudtrail': 'cloudtrail', 'aws-guardduty': 'guardduty', 'aws-vpcflow': 'vpc_flow',
  'azure-activity': 'azure_activity', 'azure-ad': 'entra_id', crowdstrike: 'crowdstrike', duo: 'duo', 'gcp-audit': 'gcp_audit',
  'github-audit': 'github', 'google-workspace': 'google_workspace', 'kubernetes-audit': 'kubernetes_audit', m365: 'm365',
  okta: 'okta', onelogin: 'onelogin', salesforce: 'salesforce', 'slack-audit': 'slack', snowflake: 'snowflake',
};
/**
 * Text-format samples the NDJSON tool does not send: [corpus dir, file, source, content type]. (The corpus's
 * Salesforce `…eventlogfile.raw.log` is not here: it is a capture of three EventLogFile types with their header
 * rows stripped, which no CSV reader can key; adapters/salesforce tests it with the headers restored.)
 */
const textSamples = [['aws-vpcflow', 'panther-analysis.scenario.compromised-root-creds.attacker_vpc.log', 'vpc_flow', 'text/plain']];

const port = Number(process.env.REPORT_PORT ?? 8798);
const origin = `http://127.0.0.1:${port}`;
const token = `mlt_report${Date.now()}xxxxxxxxxxxxxxxxxx`;
const stateDir = mkdtempSync(join(tmpdir(), 'mantissa-coverage-'));
const server = spawn(process.execPath, ['scripts/start.mjs'], {
  cwd: root,
  env: toolEnv({ PORT: String(port), MANTISSA_DEMO: '0', MANTISSA_STATE_DIR: stateDir, MANTISSA_ADMIN_TOKEN: token }),
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
let output = '';
server.stdout.on('data', (c) => (output += c));
server.stderr.on('data', (c) => (output += c));

try {
  const deadline = Date.now() + 120_000;
  while (!output.includes('Mantissa Log is running')) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the server did not start:\n${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  const post = async (source, body, contentType) => {
    const res = await fetch(`${origin}/ingest/${source}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body });
    return { status: res.status, ...(await res.json()) };
  };
  const posted = {};
  const problems = [];
  for (const [dir, source] of Object.entries(sourcesByDir)) {
    for (const file of readdirSync(join(logs, dir)).filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson') && !f.includes('cribl-parsed')).sort()) {
      const lines = readFileSync(join(logs, dir, file), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => {
          try {
            const v = JSON.parse(l);
            return v && typeof v === 'object' && !Array.isArray(v) ? JSON.stringify(Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('p_')))) : l;
          } catch {
            return l;
          }
        });
      const answer = await post(source, `${lines.join('\n')}\n`, 'application/x-ndjson');
      tally(posted, source, lines.length, answer, `${dir}/${file}`, problems);
    }
  }
  for (const [dir, file, source, type] of textSamples) {
    const text = readFileSync(join(logs, dir, file), 'utf8');
    const lines = text.split('\n').filter((l) => l.trim() !== '').length;
    tally(posted, source, lines, await post(source, text, type), `${dir}/${file}`, problems);
  }

  const query = async (sql) => {
    const res = await fetch(`${origin}/api/sql`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ sql, limit: 10000 }) });
    const body = await res.json();
    if (res.status !== 200) throw new Error(body.error?.message);
    return body.rows;
  };
  const pct = (col) => `round(100.0 * avg(${col}), 0)`;
  const rows = await query(`SELECT source, count(*),
      ${pct('event_time_inferred = 0')}, ${pct('actor IS NOT NULL')}, ${pct('src_ip IS NOT NULL')},
      ${pct("action <> 'unknown'")}, ${pct("outcome <> 'unknown'")}, ${pct('class_uid IS NOT NULL')},
      sum(identity_action IS NOT NULL), count(DISTINCT action)
    FROM events GROUP BY source ORDER BY source`);

  const now = new Date().toISOString().slice(0, 10);
  const table = rows
    .map(([source, events, time, actor, ip, action, outcome, cls, identity, actions]) => {
      const p = posted[source] ?? { files: 0, lines: 0, accepted: 0, rejected: 0 };
      return `| \`${source}\` | ${p.files} | ${p.lines} | ${p.accepted} | ${p.rejected} | ${events} | ${time}% | ${actor}% | ${ip}% | ${action}% | ${outcome}% | ${cls}% | ${identity} | ${actions} |`;
    })
    .join('\n');
  const doc = `# Source coverage on the shared corpus

Generated by \`npm run report:sources\` on ${now}: every sample file of \`../shared/corpus/logs\` (real
third-party events; provenance in its SOURCES.md) posted through the real \`POST /ingest/:source\` route of a
local Worker — NDJSON files exactly as \`../shared/tools/ingest-corpus\` sends them (keys starting with \`p_\`
dropped), plus the text-format samples (${textSamples.map(([d, f]) => `\`${d}/${f}\``).join(', ')}).

Columns: files and lines posted; lines accepted and rejected; events stored (a container line such as a
CloudTrail \`{"Records": [...]}\` holds several); then the share of events with a vendor event time (not the
arrival time), an actor, a source IP, an action, a known outcome and an OCSF class; the number of identity
events (docs/schema.md); and how many distinct actions the samples hold.

Fill rates are bounded by what the vendor sends: VPC flow logs and findings have no actor, system events no
source IP, inventory records (devices, vulnerabilities, users) no outcome.

| source | files | lines | accepted | rejected | events | time | actor | src_ip | action | outcome | class | identity events | actions |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
${table}
${problems.length ? `\n## Rejected lines\n\n${problems.map((p) => `- ${p}`).join('\n')}\n` : '\nNo line was rejected.\n'}`;
  writeFileSync(join(root, 'docs', 'sources-coverage.md'), doc);
  console.log(doc);
} finally {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    server.kill('SIGTERM');
  }
  await new Promise((r) => setTimeout(r, 1500));
  rmSync(stateDir, { recursive: true, force: true });
}

function tally(posted, source, lines, answer, label, problems) {
  const p = (posted[source] ??= { files: 0, lines: 0, accepted: 0, rejected: 0 });
  p.files++;
  p.lines += lines;
  p.accepted += answer.accepted ?? 0;
  p.rejected += answer.rejected ?? (answer.accepted === undefined ? lines : 0);
  if (answer.status !== 200 || answer.rejected) {
    problems.push(`${label}: HTTP ${answer.status}, ${answer.rejected ?? lines} rejected — ${(answer.errors ?? []).slice(0, 2).map((e) => e.message).join('; ') || answer.error?.message || ''}`);
  }
}
