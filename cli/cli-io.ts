/**
 * What a `mantissa` command may touch of the outside world, passed in so that commands run the same under
 * tests (captured output, a fake clock, a loopback server) as from a terminal.
 *
 * Invariant: commands write only through `stdout` (results, meant to be piped) and `stderr` (progress,
 * notices, errors), and read the environment only through `env`.
 */

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch: typeof fetch;
  readonly now: () => number;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    fetch: globalThis.fetch,
    now: Date.now,
  };
}

/** Exit statuses shared by every command. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * A subcommand's `parseArgs` call with the handling every command shares: a parse error is a usage error, and
 * `--help` prints the usage. Returns the parsed arguments, or the exit status when the command ends here.
 */
export function parseCommandLine<T extends { values: { help?: boolean | undefined } }>(name: string, usage: string, io: CliIo, parse: () => T): T | number {
  let parsed: T;
  try {
    parsed = parse();
  } catch (err) {
    return usageErrorOf(name, usage, io)(err instanceof Error ? err.message : String(err));
  }
  if (parsed.values.help) {
    io.stdout(usage);
    return exitCodes.ok;
  }
  return parsed;
}

/** Prints `mantissa NAME: message` and the usage on stderr; returns the usage exit status. */
export function usageErrorOf(name: string, usage: string, io: CliIo): (message: string) => number {
  return (message) => {
    io.stderr(`mantissa ${name}: ${message}\n${usage}`);
    return exitCodes.usage;
  };
}
