#!/usr/bin/env node
// Writes docs/sigma-coverage.md: every SigmaHQ rule of the shared corpus (../shared/corpus/sigma, or
// MANTISSA_CORPUS) through the real Sigma engine — logsource collected?, parses?, resolves (strict, else with
// warnings)?, compiles
// for D1, Athena, BigQuery and Synapse (needs confirmation?) — with the reason wherever it stops. The work is
// core/sigma/conformance/coverage.ts, loaded through tsx. `--check` exits 1 when the committed document is out
// of date (run by the unit tests).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'docs', 'sigma-coverage.md');
const { buildCoverageDoc } = await tsImport('../core/sigma/conformance/coverage.ts', import.meta.url);

let doc;
try {
  doc = buildCoverageDoc();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
if (process.argv.includes('--check')) {
  if (!existsSync(out) || readFileSync(out, 'utf8') !== doc) {
    console.error('docs/sigma-coverage.md is out of date: run node scripts/sigma-coverage.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(out, doc);
  const summary = /\*\*([\d.]+%)\*\* of the rule files whose logsource we collect convert in all four dialects \((\d+) of (\d+)/.exec(doc);
  console.log(`docs/sigma-coverage.md written${summary ? `: ${summary[1]} (${summary[2]} of ${summary[3]}) of the collected rule files convert in all four dialects` : ''}`);
}
