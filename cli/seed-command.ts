/**
 * `mantissa seed`: argument parsing, validation and reporting around `seedServer` (send to a server) and
 * `writeSeedFiles` (write NDJSON files).
 *
 * Invariants:
 * - Every usage error is one sentence naming the flag and what it accepts, and exits 2 before anything is
 *   generated or sent.
 * - The token comes from --token or MANTISSA_TOKEN and is never printed.
 * - Exit 0 only when every event was accepted or already stored; 1 when anything was rejected or failed.
 */
import { parseArgs } from 'node:util';
import { demoDatasetOptionsSchema, type DemoDatasetOptions } from '../core/demo/dataset';
import { exitCodes, type CliIo } from './cli-io';
import { formatCount, seedServer, type SeedSummary } from './seed';
import { writeSeedFiles } from './seed-files';

export const DEFAULT_SEED_URL = 'http://127.0.0.1:8787';
export const DEFAULT_BATCH_SIZE = 1000;
const MAX_BATCH_SIZE = 10_000;

export const seedUsage = `Usage: mantissa seed [options]

Generate the demo organisation's Okta System Log and AWS CloudTrail events, with the attack stories
described in core/demo/README.md, and send them to a Mantissa server through POST /ingest/okta and
/ingest/cloudtrail, or write them to NDJSON files.

Options:
  --url URL        server to send to (default ${DEFAULT_SEED_URL})
  --token TOKEN    API token allowed to ingest (default: $MANTISSA_TOKEN)
  --seed N         dataset seed (default 1)
  --users N        people in the organisation, 10–100000 (default 50)
  --days N         length of the window in days, 4–366 (default 14)
  --end TIME       end of the window, ISO-8601 with a zone (default: now, rounded down to the hour)
  --batch N        events per request, 1–${MAX_BATCH_SIZE} (default ${DEFAULT_BATCH_SIZE})
  --out DIR        write DIR/okta.ndjson and DIR/cloudtrail.ndjson instead of sending
  -h, --help       show this help

Re-running with the same --seed, --users, --days, --end and --batch sends the same Idempotency-Key
headers, so the server stores nothing twice; pass --end to make a run repeatable across hours.
Exit status: 0 when every event was accepted (or already stored), 1 when some were rejected or
sending failed, 2 on a usage error.
`;

export type SeedCommand =
  | { readonly mode: 'help' }
  | { readonly mode: 'files'; readonly demo: Required<DemoDatasetOptions>; readonly out: string }
  | { readonly mode: 'server'; readonly demo: Required<DemoDatasetOptions>; readonly url: string; readonly token: string; readonly batchSize: number };

export type ParseOutcome = { ok: true; command: SeedCommand } | { ok: false; message: string };

/** Parses and validates `mantissa seed` arguments. Never throws. */
export function parseSeedArgs(argv: readonly string[], env: CliIo['env'], now: number): ParseOutcome {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        seed: { type: 'string' },
        users: { type: 'string' },
        days: { type: 'string' },
        end: { type: 'string' },
        batch: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { ok: false, message: describeParseError(error) };
  }
  if (values.help === true) return { ok: true, command: { mode: 'help' } };

  const numbers: Record<'seed' | 'users' | 'days' | 'batch', number | undefined> = { seed: undefined, users: undefined, days: undefined, batch: undefined };
  for (const flag of ['seed', 'users', 'days', 'batch'] as const) {
    const raw = values[flag];
    if (typeof raw !== 'string') continue;
    if (!/^\d+$/.test(raw)) return { ok: false, message: `--${flag} must be a whole number, got "${raw}"` };
    numbers[flag] = Number(raw);
  }

  const end = typeof values.end === 'string' ? values.end : new Date(Math.floor(now / 3_600_000) * 3_600_000).toISOString();
  const demo = demoDatasetOptionsSchema.safeParse({ seed: numbers.seed, users: numbers.users, days: numbers.days, end });
  if (!demo.success) {
    const issue = demo.error.issues[0];
    return { ok: false, message: `--${issue?.path.join('.') ?? 'options'} ${issue?.message ?? 'is invalid'}` };
  }

  const batchSize = numbers.batch ?? DEFAULT_BATCH_SIZE;
  if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) return { ok: false, message: `--batch must be between 1 and ${MAX_BATCH_SIZE}, got ${batchSize}` };

  if (typeof values.out === 'string') {
    if (values.out === '') return { ok: false, message: '--out needs a directory' };
    if (values.url !== undefined || values.token !== undefined) {
      return { ok: false, message: '--out writes files and sends nothing; drop --url and --token, or drop --out to send' };
    }
    return { ok: true, command: { mode: 'files', demo: demo.data, out: values.out } };
  }

  const url = typeof values.url === 'string' ? values.url : DEFAULT_SEED_URL;
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    return { ok: false, message: `--url must be an http(s) URL such as ${DEFAULT_SEED_URL}, got "${url}"` };
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') {
    return { ok: false, message: `--url must be an http(s) URL such as ${DEFAULT_SEED_URL}, got "${url}"` };
  }
  const token = typeof values.token === 'string' ? values.token : env.MANTISSA_TOKEN;
  if (token === undefined || token.trim() === '') {
    return { ok: false, message: 'sending needs an API token: pass --token or set MANTISSA_TOKEN (or use --out DIR to write files)' };
  }
  return { ok: true, command: { mode: 'server', demo: demo.data, url: parsedUrl.href.replace(/\/+$/, ''), token: token.trim(), batchSize } };
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const option = /Unknown option '([^']+)'/.exec(message)?.[1] ?? message;
      return `unknown option ${option}`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const argument = /Unexpected argument '([^']+)'/.exec(message)?.[1] ?? message;
      return `unexpected argument "${argument}" (every option is a --flag)`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = /Option '(--[a-z]+)/.exec(message)?.[1];
      if (!option) return message;
      // parseArgs calls a value that starts with "-" ambiguous rather than taking it.
      return message.includes('ambiguous') ? `${option} needs a value (write ${option}=-… for one that starts with "-")` : `${option} needs a value`;
    }
    default:
      return message;
  }
}

export async function runSeedCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseSeedArgs(argv, io.env, io.now());
  if (!parsed.ok) {
    io.stderr(`mantissa seed: ${parsed.message}\nRun 'mantissa seed --help' for usage.\n`);
    return exitCodes.usage;
  }
  const { command } = parsed;
  switch (command.mode) {
    case 'help':
      io.stdout(seedUsage);
      return exitCodes.ok;
    case 'files':
      return runFiles(command, io);
    case 'server':
      return runServer(command, io);
  }
}

function describeDemo(demo: Required<DemoDatasetOptions>): string {
  return `seed ${demo.seed}, ${demo.users} users, ${demo.days} days ending ${new Date(demo.end).toISOString()}`;
}

async function runFiles(command: Extract<SeedCommand, { mode: 'files' }>, io: CliIo): Promise<number> {
  io.stderr(`Writing the demo dataset (${describeDemo(command.demo)}) to ${command.out}\n`);
  const started = io.now();
  try {
    const files = await writeSeedFiles(command.demo, command.out);
    for (const file of files) {
      io.stdout(`${file.source.padEnd(10)} ${formatCount(file.events).padStart(11)} events  ${file.path}  (${(file.bytes / 1e6).toFixed(1)} MB)\n`);
    }
    const total = files.reduce((n, f) => n + f.events, 0);
    io.stdout(`${'total'.padEnd(10)} ${formatCount(total).padStart(11)} events in ${((io.now() - started) / 1000).toFixed(1)} s\n`);
    return exitCodes.ok;
  } catch (error) {
    io.stderr(`mantissa seed: could not write to ${command.out}: ${error instanceof Error ? error.message : String(error)}\n`);
    return exitCodes.failed;
  }
}

async function runServer(command: Extract<SeedCommand, { mode: 'server' }>, io: CliIo): Promise<number> {
  io.stderr(`Seeding ${command.url} with the demo dataset (${describeDemo(command.demo)}), ${command.batchSize} events per batch\n`);
  const result = await seedServer(
    { url: command.url, token: command.token, ...command.demo, batchSize: command.batchSize },
    { fetch: io.fetch, log: (line) => io.stderr(`${line}\n`), now: io.now },
  );
  if (result.summary.sources.some((s) => s.batches > 0)) io.stdout(formatSummary(result.summary));
  if (!result.ok) {
    io.stderr(`mantissa seed: ${result.failure.source} batch ${result.failure.batch + 1}: ${result.failure.message}\n`);
    return exitCodes.failed;
  }
  if (result.summary.rejected > 0) {
    const errors = result.summary.sources.flatMap((s) => s.errors.map((e) => `  ${s.source} batch ${e.batch + 1}, line ${e.line}: ${e.message}`));
    io.stderr(`mantissa seed: the server rejected ${formatCount(result.summary.rejected)} events; first errors:\n${errors.join('\n')}\n`);
    return exitCodes.failed;
  }
  return exitCodes.ok;
}

export function formatSummary(summary: SeedSummary): string {
  const row = (name: string, events: number, accepted: number, rejected: number, duplicates: number): string =>
    `${name.padEnd(10)} ${formatCount(events).padStart(11)} ${formatCount(accepted).padStart(11)} ${formatCount(rejected).padStart(10)} ${formatCount(duplicates).padStart(11)}\n`;
  let out = `${'source'.padEnd(10)} ${'events'.padStart(11)} ${'accepted'.padStart(11)} ${'rejected'.padStart(10)} ${'duplicates'.padStart(11)}\n`;
  for (const s of summary.sources) out += row(s.source, s.events, s.accepted, s.rejected, s.duplicateEvents);
  out += row('total', summary.events, summary.accepted, summary.rejected, summary.duplicateEvents);
  out += `elapsed ${(summary.elapsedMs / 1000).toFixed(1)} s, ${formatCount(summary.eventsPerSecond)} events/s\n`;
  return out;
}
