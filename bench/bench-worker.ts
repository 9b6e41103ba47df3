/**
 * A bench-only Worker (bench/workers/*) under Miniflare with a local D1: bundled with esbuild the way wrangler
 * does, optionally persisted to a directory (kept between runs), with a JSON `call` helper, and the repository's
 * migrations split into statements the way D1 applies them (a trigger's BEGIN … END; stays whole).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';

const root = new URL('..', import.meta.url).pathname;

export interface BenchWorker {
  readonly mf: Miniflare;
  call<T>(path: string, body: unknown): Promise<T>;
}

export async function startBenchWorker(
  entry: string,
  options: { persistDir: string; bindings?: Record<string, string>; queueProducers?: Record<string, string> },
): Promise<BenchWorker> {
  const bundle = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'import'],
    external: ['cloudflare:*', 'node:*'],
    write: false,
    logLevel: 'error',
  });
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: bundle.outputFiles[0]!.text,
      compatibilityDate: '2026-11-01',
      compatibilityFlags: ['nodejs_compat'],
      d1Databases: ['DB'],
      // convertV4MiniflareOptions drops `d1Persist`: this is the option that keeps the data in the directory.
      resourcePersistencePath: options.persistDir,
      ...(options.queueProducers ? { queueProducers: options.queueProducers } : {}),
      ...(options.bindings ? { bindings: options.bindings } : {}),
    }),
  );
  return {
    mf,
    async call<T>(path: string, body: unknown): Promise<T> {
      const res = await mf.dispatchFetch(`http://bench${path}`, { method: 'POST', body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${(await res.text()).slice(0, 2000)}`);
      return (await res.json()) as T;
    },
  };
}

/** Each migration file's statements, in file order. */
export function migrationStatements(): string[][] {
  return readdirSync(join(root, 'migrations'))
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(root, 'migrations', file), 'utf8').replace(/--.*$/gm, '');
      const statements: string[] = [];
      let current = '';
      for (const line of text.split('\n')) {
        current += `${line}\n`;
        const inTrigger = /\bCREATE\s+TRIGGER\b/i.test(current) && !/\bEND\s*;\s*$/i.test(current.trim());
        if (/;\s*$/.test(line) && !inTrigger) {
          if (current.trim()) statements.push(current.trim());
          current = '';
        }
      }
      if (current.trim()) statements.push(current.trim());
      return statements;
    });
}
