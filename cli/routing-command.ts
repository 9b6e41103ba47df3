/**
 * `mantissa routing validate FILE` and `mantissa routing push FILE`: the alert routing document kept under version
 * control (config/routing.example.yml), checked with the same schema as the server (adapters/alerting/
 * routing-document.ts) and sent to `PUT /api/routing`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { load } from 'js-yaml';
import { describeRoutingIssues, routingDocumentSchema } from '../adapters/alerting/routing-document';
import { type CliIo, exitCodes, parseCommandLine } from './cli-io';

export const routingUsage = `Usage:
  mantissa routing validate FILE
  mantissa routing push FILE [--url URL] [--token TOKEN]

validate  check a routing document (YAML or JSON) as the server would, and list the secrets it names
push      validate, then store it on the server (PUT /api/routing; needs an admin token, default $MANTISSA_TOKEN;
          --url defaults to http://127.0.0.1:8787)
`;

export async function runRoutingCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('routing', routingUsage, io, () =>
    parseArgs({ args: [...argv], allowPositionals: true, options: { url: { type: 'string' }, token: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }),
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [action, file, ...extra] = positionals;
  if ((action !== 'validate' && action !== 'push') || !file || extra.length > 0) {
    io.stderr(`mantissa routing: expected "routing validate FILE" or "routing push FILE".\n${routingUsage}`);
    return exitCodes.usage;
  }
  let text: string;
  let document: unknown;
  try {
    text = readFileSync(file, 'utf8');
    document = load(text);
  } catch (err) {
    io.stderr(`mantissa routing: ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
    return exitCodes.failed;
  }
  const result = routingDocumentSchema.safeParse(document ?? {});
  if (!result.success) {
    io.stderr(`✗ ${file} is not a valid routing document:\n${describeRoutingIssues(result.error).map((l) => `  ${l}`).join('\n')}\n`);
    return exitCodes.failed;
  }
  const doc = result.data;
  const secrets = secretNames(doc);
  io.stderr(
    `✓ ${file}: ${doc.destinations.length} destination(s), ${doc.routes.length} route(s)${doc.defaultRoute ? ' and a default route' : ''}` +
      `${secrets.length ? `; secrets it names: ${secrets.join(', ')}` : ''}\n`,
  );
  if (action === 'validate') return exitCodes.ok;

  const token = values.token ?? io.env.MANTISSA_TOKEN;
  if (!token) {
    io.stderr('mantissa routing: pass --token or set MANTISSA_TOKEN (an admin token).\n');
    return exitCodes.usage;
  }
  const url = (values.url ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  let res: Response;
  try {
    res = await io.fetch(`${url}/api/routing`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/yaml' }, body: text });
  } catch (err) {
    io.stderr(`mantissa routing: cannot reach ${url}: ${err instanceof Error ? err.message : String(err)}\n`);
    return exitCodes.failed;
  }
  const body = (await res.json().catch(() => ({}))) as { version?: number; warnings?: string[]; problems?: string[]; error?: { message?: string } };
  if (res.status !== 200) {
    io.stderr(`mantissa routing: the server refused it (${res.status}): ${body.error?.message ?? ''}\n${(body.problems ?? []).map((p) => `  ${p}\n`).join('')}`);
    return exitCodes.failed;
  }
  for (const w of body.warnings ?? []) io.stderr(`  ⚠ ${w}\n`);
  io.stdout(`routing: version ${body.version} stored on ${url}\n`);
  return exitCodes.ok;
}

function secretNames(document: unknown): string[] {
  const names = new Set<string>();
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if ((/Secret$/.test(key) || key === 'secretName') && typeof v === 'string') names.add(v);
        else walk(v);
      }
    }
  };
  walk(document);
  return [...names].sort();
}
