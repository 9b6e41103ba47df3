import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io';
import { runItdrCommand } from './itdr-command';

function captureIo(env: Record<string, string> = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env, fetch, now: () => 0 };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

/** A loopback server answering POST /api/identity/rebuild with the given pages, in order, recording requests. */
async function rebuildServer(pages: readonly Record<string, unknown>[], status = 200) {
  const requests: { auth: string | undefined; body: Record<string, unknown> }[] = [];
  const server = createServer((req, res) => {
    void readJson(req).then((body) => {
      requests.push({ auth: req.headers.authorization, body });
      const page = status === 200 ? pages[requests.length - 1] : { error: { code: 'forbidden', message: 'needs identity:manage' } };
      res.writeHead(req.url === '/api/identity/rebuild' && req.method === 'POST' ? status : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(page ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const page = (phase: string, replayed: number, cursor: string | null, detections = 0) => ({
  phase,
  persons: 3,
  reset: 3,
  replayed,
  total: 2500,
  detections,
  cursor,
  done: cursor === null,
});

describe('mantissa itdr rebuild', () => {
  it('sends the cursor back until the server is done, printing progress and a summary', async () => {
    const server = await rebuildServer([page('reset', 0, 'c1'), page('replay', 1000, 'c2', 2), page('replay', 2000, 'c3', 1), page('done', 2500, null, 0)]);
    const io = captureIo({ MANTISSA_TOKEN: 'mlt_admin' });
    expect(await runItdrCommand(['rebuild', '--url', server.url, '--user', 'Alice@Corp.test', '--since', '2026-11-01T00:00:00Z'], io)).toBe(0);
    expect(server.requests.map((r) => r.body.cursor)).toEqual([null, 'c1', 'c2', 'c3']);
    expect(server.requests.every((r) => r.auth === 'Bearer mlt_admin' && r.body.user === 'Alice@Corp.test' && r.body.since === '2026-11-01T00:00:00Z')).toBe(true);
    const err = io.err.join('');
    expect(err).toContain('reset 3 of 3 person(s)');
    expect(err).toContain('replayed 2,000 / 2,500 identity events (80%), 3 detection(s)');
    expect(io.out.join('')).toBe('itdr rebuild: 3 person(s) reset, 2500 identity event(s) replayed, 3 detection(s), in 0.0 s\n');
  });

  it('fails with the server’s message when it refuses', async () => {
    const server = await rebuildServer([], 403);
    const io = captureIo();
    expect(await runItdrCommand(['rebuild', '--url', server.url, '--token', 'mlt_viewer'], io)).toBe(1);
    expect(io.err.join('')).toContain('refused the rebuild (403): needs identity:manage');
  });

  it.each([
    [['rebuild', '--since', 'yesterday', '--token', 't'], '--since must be an ISO 8601 time'],
    [['rebuild', '--page', '0', '--token', 't'], '--page must be an integer from 1 to 5000'],
    [['rebuild'], 'pass --token or set MANTISSA_TOKEN'],
    [['reset', '--token', 't'], 'expected "itdr rebuild"'],
  ])('refuses %j as a usage error', async (argv, message) => {
    const io = captureIo();
    expect(await runItdrCommand(argv, io)).toBe(2);
    expect(io.err.join('')).toContain(message);
  });
});
