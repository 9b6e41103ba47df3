import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { countDemoEvents } from '../core/demo/dataset';
import type { CliIo } from './cli-io';
import { runSeedCommand } from './seed-command';
import { seedIdempotencyKey, seedServer, type SeedServerOptions } from './seed';

interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

type Responder = (request: Recorded, index: number) => Reply;

/** A loopback ingest server that records every request and answers like docs/api.md says. */
async function startServer(respond: Responder = acceptAll()): Promise<{ url: string; requests: Recorded[]; close: () => Promise<void> }> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      const reply = respond(recorded, requests.length - 1);
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

const lines = (body: string): string[] => body.split('\n').filter((line) => line !== '');

/** Accepts every line; answers `duplicate: true` for a key it has seen. */
function acceptAll(): Responder {
  const seen = new Set<string>();
  return (request) => {
    const key = String(request.headers['idempotency-key']);
    const duplicate = seen.has(key);
    seen.add(key);
    return { status: 200, body: { batchId: `b-${seen.size}`, accepted: lines(request.body).length, rejected: 0, duplicate, errors: [] } };
  };
}

const demo = { seed: 3, users: 10, days: 4, end: '2026-11-27T16:00:00Z' } as const;
const totals = countDemoEvents(demo);

function options(url: string, overrides: Partial<SeedServerOptions> = {}): SeedServerOptions {
  return { url, token: 'mlt_test_token', batchSize: 250, ...demo, ...overrides };
}

function deps(log: string[] = [], waits: number[] = []) {
  return {
    fetch: globalThis.fetch,
    log: (line: string) => void log.push(line),
    sleep: async (ms: number) => void waits.push(ms),
  };
}

describe('seedServer', () => {
  it('sends every event as NDJSON batches, Okta then CloudTrail, with the bearer token and content type', async () => {
    const server = await startServer();
    const result = await seedServer(options(server.url), deps());

    expect(result.ok).toBe(true);
    for (const request of server.requests) {
      expect(request.method).toBe('POST');
      expect(request.headers.authorization).toBe('Bearer mlt_test_token');
      expect(request.headers['content-type']).toBe('application/x-ndjson');
    }
    const paths = server.requests.map((r) => r.path);
    expect(paths.indexOf('/ingest/cloudtrail')).toBe(paths.lastIndexOf('/ingest/okta') + 1);
    for (const source of ['okta', 'cloudtrail'] as const) {
      const batches = server.requests.filter((r) => r.path === `/ingest/${source}`).map((r) => lines(r.body));
      expect(batches.slice(0, -1).every((b) => b.length === 250)).toBe(true);
      expect(batches.at(-1)!.length).toBeGreaterThan(0);
      expect(batches.at(-1)!.length).toBeLessThanOrEqual(250);
      const events = batches.flat().map((line) => JSON.parse(line) as Record<string, string>);
      expect(events).toHaveLength(totals[source]);
      const times = events.map((e) => (source === 'okta' ? e.published : e.eventTime)!);
      expect([...times].sort()).toEqual(times);
    }
    expect(server.requests.every((r) => r.body.endsWith('\n'))).toBe(true);
    if (result.ok) {
      expect(result.summary.accepted).toBe(totals.okta + totals.cloudtrail);
      expect(result.summary.rejected).toBe(0);
      expect(result.summary.sources.map((s) => [s.source, s.events, s.accepted])).toEqual([
        ['okta', totals.okta, totals.okta],
        ['cloudtrail', totals.cloudtrail, totals.cloudtrail],
      ]);
    }
  });

  it('sends the same idempotency keys on a re-run, which the server then reports as duplicates', async () => {
    const server = await startServer();
    const first = await seedServer(options(server.url), deps());
    const firstKeys = server.requests.map((r) => r.headers['idempotency-key']);
    server.requests.length = 0;
    const second = await seedServer(options(server.url), deps());
    const secondKeys = server.requests.map((r) => r.headers['idempotency-key']);

    expect(secondKeys).toEqual(firstKeys);
    expect(new Set(firstKeys).size).toBe(firstKeys.length);
    for (const key of firstKeys) expect(key).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    expect(first.ok && second.ok).toBe(true);
    expect(second.summary.accepted).toBe(0);
    expect(second.summary.duplicateEvents).toBe(totals.okta + totals.cloudtrail);
    expect(second.summary.sources.every((s) => s.duplicateBatches === s.batches)).toBe(true);
  });

  it('derives keys from everything that decides a batch content', () => {
    const base = options('http://x');
    const key = seedIdempotencyKey(base, 'okta', 3);
    expect(seedIdempotencyKey({ ...base, end: '2026-11-27T17:00:00+01:00' }, 'okta', 3)).toBe(key);
    for (const changed of [
      seedIdempotencyKey({ ...base, seed: 4 }, 'okta', 3),
      seedIdempotencyKey({ ...base, users: 11 }, 'okta', 3),
      seedIdempotencyKey({ ...base, days: 5 }, 'okta', 3),
      seedIdempotencyKey({ ...base, end: '2026-11-27T17:00:00Z' }, 'okta', 3),
      seedIdempotencyKey({ ...base, batchSize: 500 }, 'okta', 3),
      seedIdempotencyKey(base, 'cloudtrail', 3),
      seedIdempotencyKey(base, 'okta', 4),
    ]) {
      expect(changed).not.toBe(key);
    }
  });

  it('retries a 503 with the same key and body, then carries on', async () => {
    const accept = acceptAll();
    const server = await startServer((request, index) => (index === 0 ? { status: 503, body: { error: { code: 'internal', message: 'D1 busy' } } } : accept(request, index)));
    const log: string[] = [];
    const waits: number[] = [];
    const result = await seedServer(options(server.url), deps(log, waits));

    expect(result.ok).toBe(true);
    const [failed, retried] = server.requests;
    expect(retried?.headers['idempotency-key']).toBe(failed?.headers['idempotency-key']);
    expect(retried?.body).toBe(failed?.body);
    expect(waits).toEqual([1_000]);
    expect(result.summary.sources[0]?.retries).toBe(1);
    expect(result.summary.accepted).toBe(totals.okta + totals.cloudtrail);
    expect(log.some((line) => line.includes('503') && line.includes('try 2 of 3'))).toBe(true);
  });

  it('gives up after three tries of a failing server', async () => {
    const server = await startServer(() => ({ status: 502, body: 'bad gateway' }));
    const waits: number[] = [];
    const result = await seedServer(options(server.url), deps([], waits));

    expect(server.requests).toHaveLength(3);
    expect(waits).toEqual([1_000, 4_000]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.failure).toMatchObject({ reason: 'server_error', status: 502, source: 'okta', batch: 0 });
      expect(result.failure.message).toContain('gave up after 3 tries');
    }
  });

  it('reports an unreachable server after three tries', async () => {
    const server = await startServer();
    await server.close();
    servers.length = 0;
    const result = await seedServer(options(server.url), deps());
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.failure.reason).toBe('unreachable');
      expect(result.failure.message).toContain('could not reach');
    }
  });

  it.each([
    [401, 'unauthenticated', '--token or MANTISSA_TOKEN'],
    [403, 'forbidden', 'may not ingest into okta'],
    [413, 'batch_refused', 'smaller --batch'],
    [400, 'batch_refused', 'line 1: not valid JSON'],
    [404, 'batch_refused', 'a Mantissa server'],
  ])('stops at the first %i with a clear message', async (status, reason, hint) => {
    const server = await startServer(() => ({
      status,
      body: { error: { code: 'x', message: 'refused', requestId: 'r1', details: [{ line: 1, message: 'line 1: not valid JSON' }] } },
    }));
    const result = await seedServer(options(server.url), deps());

    expect(server.requests).toHaveLength(1);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.failure.reason).toBe(reason);
      expect(result.failure.status).toBe(status);
      expect(result.failure.message).toContain(hint);
    }
  });

  it('refuses a 200 that is not an ingest answer', async () => {
    const server = await startServer(() => ({ status: 200, body: { hello: 'world' } }));
    const result = await seedServer(options(server.url), deps());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.reason).toBe('bad_response');
  });

  it('shows progress per source with a percentage and a rate', async () => {
    const server = await startServer();
    const log: string[] = [];
    await seedServer(options(server.url), deps(log));
    expect(log.some((line) => /^okta\s+[\d,]+ \/ [\d,]+\s+100\.0%\s+[\d,]+ events\/s$/.test(line))).toBe(true);
    expect(log.some((line) => /^cloudtrail\s+[\d,]+ \/ [\d,]+\s+100\.0%/.test(line))).toBe(true);
  });
});

describe('mantissa seed against a server', () => {
  function captureIo(env: Record<string, string> = {}): CliIo & { out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env, fetch: globalThis.fetch, now: Date.now };
  }
  const args = ['--seed', '3', '--users', '10', '--days', '4', '--end', demo.end, '--batch', '400'];

  it('exits 0 and prints the summary when everything is accepted', async () => {
    const server = await startServer();
    const io = captureIo({ MANTISSA_TOKEN: 'mlt_from_env' });
    const code = await runSeedCommand([...args, '--url', server.url], io);

    expect(code).toBe(0);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer mlt_from_env');
    const summary = io.out.join('');
    expect(summary).toMatch(/^total\s+[\d,]+\s+[\d,]+\s+0\s+0$/m);
    expect(summary).toContain('events/s');
    expect(io.err.join('')).not.toContain('mlt_from_env');
  });

  it('exits 1 and lists the errors when the server rejects lines', async () => {
    const server = await startServer((request) => {
      const count = lines(request.body).length;
      return { status: 200, body: { batchId: 'b', accepted: count - 1, rejected: 1, duplicate: false, errors: [{ line: 2, message: 'line 2: missing eventType' }] } };
    });
    const io = captureIo();
    const code = await runSeedCommand([...args, '--url', server.url, '--token', 't'], io);

    expect(code).toBe(1);
    expect(io.err.join('')).toContain('rejected');
    expect(io.err.join('')).toContain('line 2: missing eventType');
  });

  it('exits 1 with the reason when the token is refused', async () => {
    const server = await startServer(() => ({ status: 401, body: { error: { code: 'unauthenticated', message: 'unknown token', requestId: 'r' } } }));
    const io = captureIo();
    const code = await runSeedCommand([...args, '--url', server.url, '--token', 'wrong'], io);

    expect(code).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(io.err.join('')).toMatch(/refused the token \(401: unauthenticated: unknown token\)/);
  });
});
