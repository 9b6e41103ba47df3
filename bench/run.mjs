#!/usr/bin/env node
// `npm run bench`: runs every benchmark in bench/ (TypeScript, via tsx) on the project's modern Node.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureToolchain, root, runTool } from '../scripts/lib/toolchain.mjs';

await ensureToolchain(import.meta.url);
const only = process.argv[2];
const benches = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n▶ bench/${file}`);
  if ((await runTool('tsx', [join('bench', file)])) !== 0) failed++;
}
process.exit(failed ? 1 : 0);
