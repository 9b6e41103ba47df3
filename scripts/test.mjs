#!/usr/bin/env node
// `npm test`: typecheck, lint, unit tests (plain Node) and integration tests (inside workerd), in that order,
// stopping at the first failure. Each step prints its own output; a summary of steps and times ends the run.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureToolchain, root, runTool, toolEnv } from './lib/toolchain.mjs';

await ensureToolchain(import.meta.url);

const steps = [
  ['typecheck (workers)', 'tsc', ['-p', 'tsconfig.json']],
  ['typecheck (node)', 'tsc', ['-p', 'tsconfig.node.json']],
  ['typecheck (web UI)', 'tsc', ['-p', 'pages/tsconfig.json']],
  ['lint', 'eslint', ['--max-warnings=0', '.']],
  ['unit tests (Node)', 'vitest', ['run', '--config', 'vitest.unit.config.ts']],
  ['integration tests (workerd)', runWorkersFiles],
];

/**
 * The workerd integration tests, one vitest run per test file, two at a time. Why not one run: with
 * @cloudflare/vitest-plugin 1.5.0 / vitest 5.1.0, the second test file started in a reused workerd runner dies
 * with "WebSocket protocol error … Message is too large" (workerd's 1 MiB WebSocket message limit on the
 * runner's connection) since the NLQ/ITDR modules joined the Worker; every file passes on a fresh runner.
 * Each file still gets its own fakes (globalSetup) and a fresh D1; the cost is a runtime start per file.
 */
const ansiColour = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

async function runWorkersFiles() {
  const files = readdirSync(join(root, 'test')).filter((f) => f.endsWith('.test.ts')).sort().map((f) => `test/${f}`);
  const failed = [];
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++];
      const started = Date.now();
      const { code, output } = await captured('vitest', ['run', '--config', 'vitest.workers.config.ts', file]);
      const summary = output.match(/Tests\s+[^\n]*/g)?.at(-1)?.replace(ansiColour, '') ?? '';
      console.log(`${code === 0 ? '✓' : '✗'} ${file} (${((Date.now() - started) / 1000).toFixed(1)} s) ${summary}`);
      if (code !== 0) {
        failed.push(file);
        console.log(output);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  if (failed.length > 0) console.log(`\n✗ failing test files: ${failed.join(', ')}`);
  return failed.length === 0 ? 0 : 1;
}

function captured(command, args) {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { cwd: root, env: toolEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', (code, signal) => resolveRun({ code: code ?? (signal ? 1 : 0), output }));
    child.on('error', (err) => resolveRun({ code: 1, output: `could not run ${command}: ${err.message}` }));
  });
}

// `npm run test:workers` (node scripts/test.mjs --workers): the integration tests alone.
if (process.argv.includes('--workers')) steps.splice(0, steps.length - 1);

// wrangler.toml serves pages/dist as static assets; the Worker's tests need it to exist.
if (!existsSync(join(root, 'pages', 'dist', 'index.html'))) {
  steps.unshift(['build web UI', 'vite', ['build', '--config', 'pages/vite.config.ts', '--logLevel', 'warn']]);
}

const results = [];
for (const [name, command, args] of steps) {
  const started = Date.now();
  let code;
  if (typeof command === 'function') {
    console.log(`\n▶ ${name}: one vitest run per file of test/ (vitest.workers.config.ts)`);
    code = await command();
  } else {
    console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
    code = await runTool(command, args);
  }
  results.push([name, code, Date.now() - started]);
  if (code !== 0) break;
}

console.log('\nSummary');
for (const [name, code, ms] of results) console.log(`  ${code === 0 ? '✓' : '✗'} ${name.padEnd(30)} ${(ms / 1000).toFixed(1)} s`);
const failed = results.find(([, code]) => code !== 0);
if (failed) {
  console.log(`\n✗ ${failed[0]} failed.`);
  process.exit(1);
}
console.log(`\n✓ all ${results.length} steps passed.`);
