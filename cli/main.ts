/**
 * The `mantissa` command: dispatches `mantissa <command> [options]` to a subcommand.
 * Run through `cli/bin/mantissa.mjs` (installed as the `mantissa` bin), or `npm run mantissa -- …`.
 *
 * Invariants:
 * - `main` returns the exit status instead of exiting, so tests and other scripts can call it.
 * - Exit 2 for usage errors (unknown command or option), 1 for failures, 0 for success.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { exitCodes, processIo, type CliIo } from './cli-io';
import { runItdrCommand } from './itdr-command';
import { runLakeCommand } from './lake-command';
import { runRoutingCommand } from './routing-command';
import { runRulesCommand } from './rules-command';
import { runSeedCommand } from './seed-command';
import { runSigmaCommand } from './sigma-command';
import { runTokenCommand } from './token-command';

interface Command {
  readonly summary: string;
  readonly run: (argv: readonly string[], io: CliIo) => Promise<number>;
}

const commands: Readonly<Record<string, Command>> = {
  seed: {
    summary: "Send the demo organisation's Okta and CloudTrail logs to a server, or write them to NDJSON files",
    run: runSeedCommand,
  },
  rules: {
    summary: 'Import scheduled SQL detection rules (rules/sql/*.yml) into a server',
    run: runRulesCommand,
  },
  sigma: {
    summary: 'Convert Sigma rules to SQL (D1, Athena, BigQuery, Synapse) or test a rule on events',
    run: runSigmaCommand,
  },
  routing: {
    summary: 'Validate the alert routing document (config/routing.yml) or push it to a server',
    run: runRoutingCommand,
  },
  lake: {
    summary: 'Print external-table DDL (Athena, BigQuery, Synapse) over the lake objects in R2',
    run: runLakeCommand,
  },
  itdr: {
    summary: 'Rebuild identity threat detection state (per-person Durable Objects) from the events table',
    run: runItdrCommand,
  },
  token: {
    summary: "Create an API token and register it in a deployment's D1 database (first admin of a deployment)",
    run: runTokenCommand,
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}   ${command.summary}`);
  return `Usage: mantissa <command> [options]

Commands:
${lines.join('\n')}

Options:
  -h, --help      show this help
  -v, --version   print the version

Run 'mantissa <command> --help' for a command's options.
`;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(usage());
    return exitCodes.usage;
  }
  if (first === '-h' || first === '--help') {
    io.stdout(usage());
    return exitCodes.ok;
  }
  if (first === 'help') {
    const topic = rest[0];
    const command = topic === undefined ? undefined : commands[topic];
    if (topic !== undefined && command) return command.run(['--help'], io);
    io.stdout(usage());
    return topic === undefined ? exitCodes.ok : exitCodes.usage;
  }
  if (first === '-v' || first === '--version') {
    io.stdout(`mantissa ${version()}\n`);
    return exitCodes.ok;
  }
  const command = Object.hasOwn(commands, first) ? commands[first] : undefined;
  if (!command) {
    const what = first.startsWith('-') ? `unknown option ${first}` : `unknown command "${first}"`;
    io.stderr(`mantissa: ${what}. Commands: ${Object.keys(commands).join(', ')}.\nRun 'mantissa --help' for usage.\n`);
    return exitCodes.usage;
  }
  return command.run(rest, io);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await main(process.argv.slice(2));
}
