/**
 * `mantissa itdr rebuild [--user X] [--since ISO]`: rebuilds identity state (the per-person Durable Objects
 * of ITDR) from the lake's events table through `POST /api/identity/rebuild`. The server works one page per
 * call — first it resets the persons' state, then it replays their identity events in event-time order — and
 * answers a cursor; this command calls it until it says `done`, printing progress on stderr and the summary
 * on stdout.
 *
 * Invariant: a rebuild is resumable — each call is one bounded page, and re-running a page changes nothing
 * (the Durable Objects are idempotent by event uid, alerts by hit key).
 */
import { parseArgs } from 'node:util';
import { type CliIo, exitCodes, parseCommandLine } from './cli-io';

export const itdrUsage = `Usage: mantissa itdr rebuild [options]

Rebuild identity threat detection state (sessions, baselines, risk, detections) from the events table:
reset each person's state, then replay their identity events in event-time order. Use it after losing
Durable Object storage, after changing identity-resolution aliases, or to backfill events ingested before
ITDR was deployed.

Options:
  --user ID        only this person (an email or provider id; default: every person)
  --since ISO      replay events from this time on (default: all stored events)
  --page N         events per request (default 1000, at most 5000)
  --url URL        server (default http://127.0.0.1:8787)
  --token TOKEN    API token with the identity:manage permission (admin; default: $MANTISSA_TOKEN)
  -h, --help       show this help
`;

/** `POST /api/identity/rebuild` answers one page of work. */
export interface RebuildPage {
  phase: 'reset' | 'replay' | 'done';
  persons: number;
  reset: number;
  replayed: number;
  total: number;
  detections: number;
  cursor: string | null;
  done: boolean;
}

export async function runItdrCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('itdr', itdrUsage, io, () =>
    parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        user: { type: 'string' },
        since: { type: 'string' },
        page: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }),
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] !== 'rebuild') {
    io.stderr(`mantissa itdr: expected "itdr rebuild".\n${itdrUsage}`);
    return exitCodes.usage;
  }
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since))) {
    io.stderr(`mantissa itdr: --since must be an ISO 8601 time, got "${values.since}".\n`);
    return exitCodes.usage;
  }
  const pageSize = values.page === undefined ? 1000 : Number(values.page);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 5000) {
    io.stderr('mantissa itdr: --page must be an integer from 1 to 5000.\n');
    return exitCodes.usage;
  }
  const token = values.token ?? io.env.MANTISSA_TOKEN;
  if (!token) {
    io.stderr('mantissa itdr: pass --token or set MANTISSA_TOKEN (an admin token).\n');
    return exitCodes.usage;
  }
  const url = (values.url ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
  const who = values.user ? `person ${values.user}` : 'every person';
  io.stderr(`rebuilding identity state of ${who}${values.since ? ` from ${values.since}` : ''} on ${url} …\n`);

  const started = io.now();
  let cursor: string | null = null;
  let last: RebuildPage;
  let detections = 0;
  for (;;) {
    let res: Response;
    try {
      res = await io.fetch(`${url}/api/identity/rebuild`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user: values.user, since: values.since, cursor, pageSize }),
      });
    } catch (err) {
      io.stderr(`mantissa itdr: cannot reach ${url}: ${err instanceof Error ? err.message : String(err)}\n`);
      return exitCodes.failed;
    }
    const body = (await res.json().catch(() => ({}))) as Partial<RebuildPage> & { error?: { message?: string } };
    if (res.status !== 200) {
      io.stderr(`mantissa itdr: the server refused the rebuild (${res.status}): ${body.error?.message ?? ''}\n`);
      if (cursor) io.stderr('  (pages already done are kept; running the command again starts over safely)\n');
      return exitCodes.failed;
    }
    const page = body as RebuildPage;
    detections += page.detections;
    last = page;
    if (page.phase === 'reset') io.stderr(`  reset ${page.reset} of ${page.persons} person(s)\n`);
    else {
      const pct = page.total > 0 ? Math.floor((page.replayed / page.total) * 100) : 100;
      io.stderr(`  replayed ${page.replayed.toLocaleString('en-US')} / ${page.total.toLocaleString('en-US')} identity events (${pct}%), ${detections} detection(s)\n`);
    }
    if (page.done || page.cursor === null) break;
    cursor = page.cursor;
  }
  const seconds = ((io.now() - started) / 1000).toFixed(1);
  io.stdout(
    `itdr rebuild: ${last.persons} person(s) reset, ${last.replayed} identity event(s) replayed, ${detections} detection(s), in ${seconds} s\n`,
  );
  return exitCodes.ok;
}
