#!/usr/bin/env node
/**
 * Launcher of the `mantissa` command (package.json "bin"): loads tsx from this project's node_modules, so the
 * TypeScript CLI (cli/main.ts) runs without a build step, from any working directory.
 *
 * Invariants:
 * - tsx is resolved relative to this file (its real path, so a symlinked bin works too), never from the cwd.
 * - The exit status is cli/main.ts's; a missing tsx or a too-old Node is reported in one line, exit 1.
 */
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 6)) {
  process.stderr.write(`mantissa: needs Node.js 20.6 or later (this is ${process.versions.node}); run it through npx or npm run.\n`);
  process.exit(1);
}

let register;
try {
  ({ register } = await import('tsx/esm/api'));
} catch (error) {
  process.stderr.write(
    `mantissa: cannot load tsx from ${projectRoot}node_modules (${error instanceof Error ? error.message : String(error)}). Run npm install in ${projectRoot}.\n`,
  );
  process.exit(1);
}
register();

const { main } = await import(new URL('../main.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
