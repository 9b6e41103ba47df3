#!/usr/bin/env node
// `npm start`: a running SIEM on http://127.0.0.1:$PORT with demo data, on a machine with nothing but Node and npm.
//
//  1. installs dependencies and switches to the bundled Node 24 when needed (scripts/lib/toolchain.mjs);
//  2. builds the web UI when its sources changed;
//  3. applies D1 migrations to the local state directory;
//  4. registers the bootstrap admin and ingest tokens (hashes only) in local D1;
//  5. starts `wrangler dev`, waits until /api/health answers;
//  6. on first run, seeds the demo organisation and its detection rules (rules/sql and rules/sigma) through the real API;
//  7. fires the Worker's cron triggers on their schedule (wrangler dev never does), until Ctrl+C.
//
// Environment: PORT (8787), MANTISSA_ADMIN_TOKEN (else generated once and kept in the state directory),
// MANTISSA_DEMO=0 (start empty), MANTISSA_STATE_DIR (.wrangler/state), MANTISSA_DEMO_SEED (1),
// MANTISSA_DEMO_USERS (50), MANTISSA_DEMO_DAYS (14), MANTISSA_DEV_VARS (extra Worker variables for this run, a JSON
// object such as {"OUTBOUND_ALLOWLIST": "127.0.0.1:9000"}, passed to wrangler dev as --var; used by the benchmarks.
// --var values are visible in the process list: keep real secrets in .dev.vars).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureToolchain, root, runTool, toolEnv } from './lib/toolchain.mjs';

await ensureToolchain(import.meta.url);
const { Cron } = await import('croner');

const port = Number(process.env.PORT ?? 8787);
const stateDir = resolve(root, process.env.MANTISSA_STATE_DIR ?? '.wrangler/state');
const demo = process.env.MANTISSA_DEMO !== '0';
const origin = `http://127.0.0.1:${port}`;
const mantissaDir = join(stateDir, 'mantissa');
const log = (msg) => console.log(`[mantissa] ${msg}`);
const fail = (msg) => {
  console.error(`[mantissa] ${msg}`);
  process.exit(1);
};

if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`PORT must be a port number, got "${process.env.PORT}".`);
mkdirSync(mantissaDir, { recursive: true });

// 2. web UI
if (uiIsStale()) {
  log('building the web UI …');
  if ((await runTool('vite', ['build', '--config', 'pages/vite.config.ts', '--logLevel', 'warn'])) !== 0) fail('the web UI build failed.');
}

// 3. migrations
log(`applying D1 migrations (state: ${stateDir}) …`);
if ((await quietTool('wrangler', ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir])) !== 0) {
  fail('applying D1 migrations failed (output above).');
}

// 4. bootstrap tokens
const tokens = bootstrapTokens();
const now = new Date().toISOString();
const tokenSql = [
  registerTokenSql('tok_bootstrap_admin', 'bootstrap-admin', tokens.admin, 'admin', null, now),
  registerTokenSql('tok_bootstrap_ingest', 'bootstrap-ingest', tokens.ingest, 'ingest', '*', now),
].join('\n');
if ((await quietTool('wrangler', ['d1', 'execute', 'DB', '--local', '--persist-to', stateDir, '--command', tokenSql])) !== 0) {
  fail('registering the bootstrap tokens in D1 failed (output above).');
}

// 5. wrangler dev
log(`starting wrangler dev on ${origin} …`);
const wrangler = spawn('wrangler', ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', stateDir, '--show-interactive-dev-session=false', ...devVarArgs()], {
  cwd: root,
  env: toolEnv({ CI: process.env.CI ?? '' }),
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: process.platform !== 'win32',
});
let shuttingDown = false;
const forward = (stream, out) => {
  let buffered = '';
  stream.on('data', (chunk) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    // wrangler's advice to curl the scheduled endpoint by hand does not apply: this script does it.
    for (const line of lines) if (!/Scheduled Workers are not automatically triggered|cdn-cgi\/local\/scheduled|cron-triggers\/#test-cron|To manually trigger a scheduled event/.test(line)) out.write(`${line}\n`);
  });
};
forward(wrangler.stdout, process.stdout);
forward(wrangler.stderr, process.stderr);
wrangler.on('exit', (code) => {
  if (!shuttingDown) fail(`wrangler dev exited (code ${code}); see its output above.`);
});
const stop = () => {
  if (shuttingDown) return;
  shuttingDown = true;
  log('stopping …');
  try {
    process.kill(process.platform === 'win32' ? wrangler.pid : -wrangler.pid, 'SIGTERM');
  } catch {
    wrangler.kill('SIGTERM');
  }
  setTimeout(() => process.exit(0), 1500).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

await waitUntilHealthy();
printBanner();

// 6. demo data, once per state directory
const seededMarker = join(mantissaDir, 'demo-seeded.json');
if (demo && !existsSync(seededMarker)) {
  log('loading the demo organisation (first run only; MANTISSA_DEMO=0 starts empty) …');
  const seedArgs = [
    'cli/main.ts', 'seed', '--url', origin, '--token', tokens.ingest,
    '--seed', process.env.MANTISSA_DEMO_SEED ?? '1',
    '--users', process.env.MANTISSA_DEMO_USERS ?? '50',
    '--days', process.env.MANTISSA_DEMO_DAYS ?? '14',
  ];
  if ((await runTool('tsx', seedArgs)) !== 0) fail('seeding the demo data failed (output above); fix it and run npm start again.');
  if ((await runTool('tsx', ['cli/main.ts', 'rules', 'import', 'rules', '--url', origin, '--token', tokens.admin])) !== 0) {
    fail('importing the demo detection rules failed (output above).');
  }
  writeFileSync(seededMarker, JSON.stringify({ seededAt: new Date().toISOString() }) + '\n');
  await fireCron(cronExpressions()[0]);
  log(`demo data loaded. Open ${origin} and sign in with the admin token above.`);
}

// 7. cron triggers
for (const expression of cronExpressions()) {
  new Cron(expression, { timezone: 'UTC', protect: true }, () => fireCron(expression));
  log(`firing cron "${expression}" locally on its schedule`);
}

function devVarArgs() {
  const text = process.env.MANTISSA_DEV_VARS?.trim();
  if (!text) return [];
  let vars;
  try {
    vars = JSON.parse(text);
  } catch (err) {
    fail(`MANTISSA_DEV_VARS must be a JSON object of strings: ${err.message}`);
  }
  if (!vars || typeof vars !== 'object' || Array.isArray(vars)) fail('MANTISSA_DEV_VARS must be a JSON object of strings, e.g. {"OUTBOUND_ALLOWLIST": "127.0.0.1:9000"}.');
  return Object.entries(vars).flatMap(([name, value]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || typeof value !== 'string') fail(`MANTISSA_DEV_VARS: "${name}" must be a variable name with a string value.`);
    return ['--var', `${name}:${value}`];
  });
}

function uiIsStale() {
  const built = join(root, 'pages', 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const newest = (dir) =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const path = join(dir, entry.name);
      return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  return Math.max(newest(join(root, 'pages', 'src')), statSync(join(root, 'pages', 'index.html')).mtimeMs) > builtAt;
}

function bootstrapTokens() {
  const file = join(mantissaDir, 'tokens.json');
  const saved = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const generate = () => `mlt_${randomBase62(40)}`;
  const chosen = process.env.MANTISSA_ADMIN_TOKEN?.trim();
  if (chosen !== undefined && chosen !== '' && !/^[\x21-\x7e]{8,512}$/.test(chosen)) {
    fail('MANTISSA_ADMIN_TOKEN must be 8–512 visible ASCII characters without spaces.');
  }
  if (chosen && chosen.length < 24) log('warning: MANTISSA_ADMIN_TOKEN is short; anyone who can reach this port could guess it.');
  const tokensNow = { admin: chosen || saved.admin || generate(), ingest: saved.ingest || generate() };
  writeFileSync(file, JSON.stringify({ admin: chosen ? saved.admin ?? null : tokensNow.admin, ingest: tokensNow.ingest }, null, 2) + '\n', { mode: 0o600 });
  return tokensNow;
}

function randomBase62(length) {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let out = '';
  while (out.length < length) for (const b of randomBytes(64)) if (b < 248 && out.length < length) out += alphabet[b % 62];
  return out;
}

// The bootstrap token is (re)activated on every start: it is the local operator's key. A different
// MANTISSA_ADMIN_TOKEN than last time revokes the previous bootstrap admin token.
function registerTokenSql(id, name, token, role, source, at) {
  const hash = createHash('sha256').update(token).digest('hex');
  const q = (v) => (v === null ? 'NULL' : `'${String(v).replaceAll("'", "''")}'`);
  return [
    `UPDATE api_tokens SET revoked_at = ${q(at)} WHERE name = ${q(name)} AND token_hash <> ${q(hash)} AND revoked_at IS NULL;`,
    `INSERT INTO api_tokens (id, name, token_hash, hint, role, source, created_at, created_by)`,
    `  VALUES (${q(`${id}_${hash.slice(0, 8)}`)}, ${q(name)}, ${q(hash)}, ${q(token.slice(0, 10))}, ${q(role)}, ${q(source)}, ${q(at)}, 'npm-start')`,
    `  ON CONFLICT (token_hash) DO UPDATE SET revoked_at = NULL, expires_at = NULL, role = excluded.role, source = excluded.source;`,
  ].join('\n');
}

async function quietTool(command, args) {
  // wrangler's table output is noise on every start; show it only when the command fails.
  const chunks = [];
  const code = await new Promise((resolveRun) => {
    const child = spawn(command, args, { cwd: root, env: toolEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('exit', (c) => resolveRun(c ?? 1));
    child.on('error', (err) => {
      chunks.push(Buffer.from(err.message));
      resolveRun(1);
    });
  });
  if (code !== 0) process.stderr.write(Buffer.concat(chunks));
  return code;
}

async function waitUntilHealthy() {
  const deadline = Date.now() + 90_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${origin}/api/health`, { headers: { authorization: `Bearer ${tokens.admin}` } });
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = String(err.cause?.code ?? err.message);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  stop();
  fail(`the Worker did not become healthy within 90 s (last answer: ${last}).`);
}

function cronExpressions() {
  const toml = readFileSync(join(root, 'wrangler.toml'), 'utf8');
  const match = /^\s*crons\s*=\s*\[([^\]]*)\]/m.exec(toml);
  return match ? [...match[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]) : [];
}

async function fireCron(expression) {
  if (!expression || shuttingDown) return;
  try {
    const res = await fetch(`${origin}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(expression)}`);
    if (!res.ok) console.error(`[mantissa] cron "${expression}" answered ${res.status}`);
  } catch (err) {
    console.error(`[mantissa] cron "${expression}" failed: ${err.message}`);
  }
}

function printBanner() {
  const line = '─'.repeat(72);
  console.log(`\n${line}
 Mantissa Log is running: ${origin}

   Admin token (sign in to the UI; may do everything, ingest included):
     ${tokens.admin}
   Ingest token (POST /ingest/<source> for any source, nothing else):
     ${tokens.ingest}

   Send events:  curl -X POST ${origin}/ingest/okta -H "Authorization: Bearer $TOKEN" \\
                      -H "Content-Type: application/x-ndjson" --data-binary @okta.ndjson
   Query:        curl ${origin}/api/sql -H "Authorization: Bearer $TOKEN" \\
                      -H "Content-Type: application/json" -d '{"sql":"SELECT count(*) FROM events"}'

   State: ${stateDir}   (tokens in ${join(mantissaDir, 'tokens.json')})
   Stop with Ctrl+C.
${line}\n`);
}
