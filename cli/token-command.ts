/**
 * `mantissa token create`: makes an API token and registers its SHA-256 in a deployment's D1 database with
 * `wrangler d1 execute` (--remote for Cloudflare, --local for a local state directory). This is how the first
 * admin of a fresh deployment gets in; later tokens are usually made in the UI or with POST /api/tokens.
 * The secret is printed once, on stdout, and only after D1 accepted its hash.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { generateApiToken, hashApiToken, tokenHint } from '../core/auth/api-token';
import { roles, type Role } from '../core/auth/roles';
import { sourceIdSchema } from '../core/schema/event';
import { exitCodes, type CliIo } from './cli-io';

export const tokenUsage = `Usage: mantissa token create --name NAME --role ROLE (--remote | --local) [options]

Create an API token and register it in the D1 database named DB in wrangler.toml.

Options:
  --name NAME          what the token is for (shown in the token list)
  --role ROLE          ${roles.join(', ')}
  --source ID          for --role ingest: the one source it may write (or * for all)
  --expires-days N     expire after N days (default: never)
  --remote             write to the deployed D1 database (needs wrangler login)
  --local              write to local state (wrangler dev / npm start)
  --persist-to DIR     local state directory (default .wrangler/state, as npm start)
  --print-sql          print the SQL instead of running wrangler (the token is still printed)
  -h, --help           show this help
`;

export interface TokenCreatePlan {
  readonly token: string;
  readonly sql: string;
}

export async function planTokenCreate(input: {
  name: string;
  role: Role;
  source: string | null;
  expiresDays: number | null;
  now: Date;
}): Promise<TokenCreatePlan> {
  const token = generateApiToken();
  const hash = await hashApiToken(token);
  const q = (v: string | null) => (v === null ? 'NULL' : `'${v.replaceAll("'", "''")}'`);
  const expires = input.expiresDays ? new Date(input.now.getTime() + input.expiresDays * 86_400_000).toISOString() : null;
  const id = `tok_${hash.slice(0, 20)}`;
  const sql =
    'INSERT INTO api_tokens (id, name, token_hash, hint, role, source, created_at, created_by, expires_at) VALUES ' +
    `(${q(id)}, ${q(input.name)}, ${q(hash)}, ${q(tokenHint(token))}, ${q(input.role)}, ${q(input.source)}, ${q(input.now.toISOString())}, 'mantissa-cli', ${q(expires)});`;
  return { token, sql };
}

export async function runTokenCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        role: { type: 'string' },
        source: { type: 'string' },
        'expires-days': { type: 'string' },
        remote: { type: 'boolean' },
        local: { type: 'boolean' },
        'persist-to': { type: 'string' },
        'print-sql': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.stderr(`mantissa token: ${err instanceof Error ? err.message : String(err)}\n${tokenUsage}`);
    return exitCodes.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(tokenUsage);
    return exitCodes.ok;
  }
  const usageError = (message: string) => {
    io.stderr(`mantissa token: ${message}\n${tokenUsage}`);
    return exitCodes.usage;
  };
  if (positionals.join(' ') !== 'create') return usageError('expected "token create".');
  const name = values.name?.trim();
  if (!name || name.length > 100) return usageError('--name is required (1–100 characters).');
  const role = values.role as Role | undefined;
  if (!role || !roles.includes(role)) return usageError(`--role must be one of ${roles.join(', ')}.`);
  const source = values.source ?? null;
  if ((role === 'ingest') !== (source !== null)) return usageError('--source is required for --role ingest, and only for it.');
  if (source !== null && source !== '*' && !sourceIdSchema.safeParse(source).success) return usageError(`--source "${source}" is not a source id.`);
  const rawDays = values['expires-days'];
  if (rawDays !== undefined && !/^[1-9]\d{0,3}$/.test(rawDays)) return usageError('--expires-days must be a whole number of days (1–9999).');
  if (!values['print-sql'] && Boolean(values.remote) === Boolean(values.local)) return usageError('pass exactly one of --remote or --local.');

  const plan = await planTokenCreate({ name, role, source, expiresDays: rawDays ? Number(rawDays) : null, now: new Date(io.now()) });
  if (values['print-sql']) {
    io.stderr(`-- run with: wrangler d1 execute DB --remote --command "<the SQL below>"\n`);
    io.stderr(`${plan.sql}\n`);
    io.stdout(`${plan.token}\n`);
    return exitCodes.ok;
  }
  const target = values.remote ? ['--remote'] : ['--local', '--persist-to', values['persist-to'] ?? '.wrangler/state'];
  const result = spawnSync('wrangler', ['d1', 'execute', 'DB', ...target, '--command', plan.sql], {
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  if (result.status !== 0) {
    io.stderr(`mantissa token: wrangler d1 execute failed; the token was not created.\n${result.stderr || result.stdout || result.error?.message || ''}\n`);
    return exitCodes.failed;
  }
  io.stderr(`Created ${role} token "${name}"${source ? ` for source ${source}` : ''}. It is shown once:\n`);
  io.stdout(`${plan.token}\n`);
  return exitCodes.ok;
}
