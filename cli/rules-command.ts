/**
 * `mantissa rules import DIR`: loads scheduled SQL rules (rules/sql/*.yml format, core/detect/sql-rule-file)
 * into a server through its API. Every file is validated before anything is sent; rules whose name already
 * exists are skipped, or updated with --update.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { load } from 'js-yaml';
import { ruleInputFromFile, sqlRuleFileSchema } from '../core/detect/sql-rule-file';
import type { SqlRuleInput } from '../core/detect/sql-rule';
import { exitCodes, type CliIo } from './cli-io';

export const rulesUsage = `Usage: mantissa rules import DIR [options]

Load every *.yml detection rule in DIR (format: rules/sql/README.md) into a Mantissa server.

Options:
  --url URL        server (default http://127.0.0.1:8787)
  --token TOKEN    API token with the rules:write permission (default: $MANTISSA_TOKEN)
  --update         overwrite rules whose name already exists (default: skip them)
  -h, --help       show this help
`;

export async function runRulesCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { url: { type: 'string' }, token: { type: 'string' }, update: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    io.stderr(`mantissa rules: ${err instanceof Error ? err.message : String(err)}\n${rulesUsage}`);
    return exitCodes.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(rulesUsage);
    return exitCodes.ok;
  }
  const [action, dir, ...extra] = positionals;
  if (action !== 'import' || !dir || extra.length > 0) {
    io.stderr(`mantissa rules: expected "rules import DIR".\n${rulesUsage}`);
    return exitCodes.usage;
  }
  const token = values.token ?? io.env.MANTISSA_TOKEN;
  if (!token) {
    io.stderr('mantissa rules: pass --token or set MANTISSA_TOKEN (a token with the rules:write permission).\n');
    return exitCodes.usage;
  }
  const url = (values.url ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');

  const loaded = loadRuleFiles(dir);
  if (!loaded.ok) {
    io.stderr(`mantissa rules: ${loaded.message}\n`);
    return exitCodes.failed;
  }

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await io.fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json().catch(() => ({}))) as { error?: { message?: string }; rules?: { id: string; name: string }[] };
    return { status: res.status, json };
  };

  let existing: Map<string, string>;
  try {
    const list = await api('GET', '/api/rules');
    if (list.status !== 200) {
      io.stderr(`mantissa rules: listing rules failed (${list.status}): ${list.json.error?.message ?? 'no details'}\n`);
      return exitCodes.failed;
    }
    existing = new Map((list.json.rules ?? []).map((r) => [r.name, r.id]));
  } catch (err) {
    io.stderr(`mantissa rules: cannot reach ${url}: ${err instanceof Error ? err.message : String(err)}\n`);
    return exitCodes.failed;
  }

  let failed = 0;
  const counts = { created: 0, updated: 0, skipped: 0 };
  for (const { file, input } of loaded.rules) {
    const id = existing.get(input.name);
    if (id && !values.update) {
      counts.skipped++;
      io.stderr(`  = ${input.name} (exists; --update to overwrite)\n`);
      continue;
    }
    const res = id ? await api('PATCH', `/api/rules/${encodeURIComponent(id)}`, input) : await api('POST', '/api/rules', input);
    if (res.status === 200 || res.status === 201) {
      counts[id ? 'updated' : 'created']++;
      io.stderr(`  ${id ? '~' : '+'} ${input.name}\n`);
    } else {
      failed++;
      io.stderr(`  ✗ ${file}: ${res.status} ${res.json.error?.message ?? ''}\n`);
    }
  }
  io.stdout(`rules: ${counts.created} created, ${counts.updated} updated, ${counts.skipped} skipped, ${failed} failed\n`);
  return failed ? exitCodes.failed : exitCodes.ok;
}

type LoadedRules = { ok: true; rules: { file: string; input: SqlRuleInput }[] } | { ok: false; message: string };

export function loadRuleFiles(dir: string): LoadedRules {
  let files: string[];
  try {
    if (!statSync(dir).isDirectory()) return { ok: false, message: `${dir} is not a directory` };
    files = readdirSync(dir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml')).sort();
  } catch (err) {
    return { ok: false, message: `cannot read ${dir}: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (files.length === 0) return { ok: false, message: `no .yml rule files in ${dir}` };
  const rules = [];
  for (const file of files) {
    const path = join(dir, file);
    let document: unknown;
    try {
      document = load(readFileSync(path, 'utf8'));
    } catch (err) {
      return { ok: false, message: `${path}: not valid YAML: ${err instanceof Error ? err.message : String(err)}` };
    }
    const parsed = sqlRuleFileSchema.safeParse(document);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
      return { ok: false, message: `${path}: ${issues}` };
    }
    rules.push({ file: path, input: ruleInputFromFile(parsed.data) });
  }
  return { ok: true, rules };
}
