#!/usr/bin/env node
// `npm test`: typecheck, lint, unit tests (plain Node) and integration tests (inside workerd), in that order,
// stopping at the first failure. Each step prints its own output; a summary of steps and times ends the run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureToolchain, root, runTool } from './lib/toolchain.mjs';

await ensureToolchain(import.meta.url);

const steps = [
  ['typecheck (workers)', 'tsc', ['-p', 'tsconfig.json']],
  ['typecheck (node)', 'tsc', ['-p', 'tsconfig.node.json']],
  ['typecheck (web UI)', 'tsc', ['-p', 'pages/tsconfig.json']],
  ['lint', 'eslint', ['--max-warnings=0', '.']],
  ['unit tests (Node)', 'vitest', ['run', '--config', 'vitest.unit.config.ts']],
  ['integration tests (workerd)', 'vitest', ['run', '--config', 'vitest.workers.config.ts']],
];

// wrangler.toml serves pages/dist as static assets; the Worker's tests need it to exist.
if (!existsSync(join(root, 'pages', 'dist', 'index.html'))) {
  steps.unshift(['build web UI', 'vite', ['build', '--config', 'pages/vite.config.ts', '--logLevel', 'warn']]);
}

const results = [];
for (const [name, command, args] of steps) {
  console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const code = await runTool(command, args);
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
