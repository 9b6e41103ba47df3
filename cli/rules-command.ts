/**
 * `mantissa rules import DIR`: loads detection rules — scheduled SQL rules (rules/sql format) and Sigma rules
 * (rules/sigma, or a SigmaHQ checkout) — into a server through its API. Every file is checked before anything is
 * sent (cli/rule-files.ts); with invalid files nothing is sent unless --skip-invalid. A rule that exists (same
 * Sigma id, else same name) is skipped, or updated with --update. Sigma rules keep their id; correlations are
 * sent after the rules they refer to.
 */
import { parseArgs } from 'node:util';
import { loadRuleFiles, type LoadedRule } from './rule-files';
import { type CliIo, exitCodes, parseCommandLine } from './cli-io';

export { loadRuleFiles };

export const rulesUsage = `Usage: mantissa rules import DIR [options]

Load every detection rule under DIR into a Mantissa server: SQL rules (format: rules/sql/README.md) and
Sigma rules (rules/sigma, or SigmaHQ's rules/ tree; a LICENSE naming the Detection Rule License marks them DRL-1.1
with their authors' attribution).

Options:
  --url URL            server (default http://127.0.0.1:8787)
  --token TOKEN        API token with the rules:write permission (default: $MANTISSA_TOKEN)
  --update             overwrite rules that exist (same Sigma id, else same name; default: skip them)
  --skip-invalid       import the valid rules even when some files are invalid (default: send nothing)
  --disabled           store the rules disabled (review them before they alert)
  --license ID         licence to record for every Sigma rule (default: the rule's, or the LICENSE file's)
  --attribution TEXT   attribution to record for every Sigma rule
  -h, --help           show this help
`;

export async function runRulesCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('rules', rulesUsage, io, () =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        update: { type: 'boolean' },
        'skip-invalid': { type: 'boolean' },
        disabled: { type: 'boolean' },
        license: { type: 'string' },
        attribution: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
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

  const loaded = loadRuleFiles(dir, { license: values.license, attribution: values.attribution });
  if (!loaded.ok) {
    io.stderr(`mantissa rules: ${loaded.message}\n`);
    return exitCodes.failed;
  }
  for (const p of loaded.problems) io.stderr(`  ✗ ${p.file}: ${p.message}\n`);
  if (loaded.problems.length > 0 && !values['skip-invalid']) {
    io.stderr(
      `mantissa rules: ${loaded.problems.length} invalid file(s); nothing was sent. Fix them, or pass --skip-invalid to import the ${loaded.rules.length} valid rule(s).\n`,
    );
    return exitCodes.failed;
  }
  // Correlations are checked by the server against the rules already stored: send them last.
  const ordered = [...loaded.rules].sort((a, b) => Number(isCorrelation(a)) - Number(isCorrelation(b)));

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await io.fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json().catch(() => ({}))) as { error?: { message?: string }; rules?: { id: string; name: string; sigmaId?: string | null }[] };
    return { status: res.status, json };
  };

  let existing: Map<string, string>;
  let existingSigma: Map<string, string>;
  try {
    const list = await api('GET', '/api/rules');
    if (list.status !== 200) {
      io.stderr(`mantissa rules: listing rules failed (${list.status}): ${list.json.error?.message ?? 'no details'}\n`);
      return exitCodes.failed;
    }
    existing = new Map((list.json.rules ?? []).map((r) => [r.name, r.id]));
    existingSigma = new Map((list.json.rules ?? []).flatMap((r) => (r.sigmaId ? [[r.sigmaId, r.id] as const] : [])));
  } catch (err) {
    io.stderr(`mantissa rules: cannot reach ${url}: ${err instanceof Error ? err.message : String(err)}\n`);
    return exitCodes.failed;
  }

  let failed = loaded.problems.length;
  const counts = { created: 0, updated: 0, skipped: 0 };
  for (const rule of ordered) {
    const id = (rule.kind === 'sigma' && rule.sigmaId ? existingSigma.get(rule.sigmaId) : undefined) ?? existing.get(rule.name);
    if (id && !values.update) {
      counts.skipped++;
      io.stderr(`  = ${rule.name} (exists; --update to overwrite)\n`);
      continue;
    }
    const input = requestBody(rule, Boolean(id), Boolean(values.disabled));
    const res = id ? await api('PATCH', `/api/rules/${encodeURIComponent(id)}`, input) : await api('POST', '/api/rules', input);
    if (res.status === 200 || res.status === 201) {
      counts[id ? 'updated' : 'created']++;
      io.stderr(`  ${id ? '~' : '+'} ${rule.name}\n`);
    } else {
      failed++;
      io.stderr(`  ✗ ${rule.file}: ${res.status} ${res.json.error?.message ?? ''}\n`);
    }
  }
  io.stdout(`rules: ${counts.created} created, ${counts.updated} updated, ${counts.skipped} skipped, ${failed} failed\n`);
  return failed ? exitCodes.failed : exitCodes.ok;
}

/** An update of a Sigma rule changes its text and licence, not the schedule or switch set on the server. */
function requestBody(rule: LoadedRule, updating: boolean, disabled: boolean): Record<string, unknown> {
  if (rule.kind === 'sigma' && updating) {
    const { yaml, license, attribution } = rule.input;
    return { yaml, ...(license ? { license } : {}), ...(attribution ? { attribution } : {}), ...(disabled ? { enabled: false } : {}) };
  }
  return disabled ? { ...rule.input, enabled: false } : { ...rule.input };
}

function isCorrelation(rule: LoadedRule): boolean {
  return rule.kind === 'sigma' && rule.correlation;
}
