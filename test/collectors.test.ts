/**
 * Pull collectors against loopback fakes of the vendors' APIs (test/fakes), through the real runner, ingest
 * path, D1 and R2: pages across boundaries, failures between runs, overlaps, rate limits and auth errors
 * must leave every vendor event stored exactly once.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { runCollectors } from '../workers/collect/run-collectors';

const fast = { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, sleep: async () => {}, force: true };

async function fake(port: number, action: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}/__fake/${action}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json() as Promise<unknown>;
}

async function stored(source: string) {
  return (await env.DB.prepare('SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM events WHERE source = ?1').bind(source).first<{ n: number; ids: number }>())!;
}

async function collectorState(id: string) {
  return env.DB.prepare('SELECT cursor, last_error, consecutive_failures, events_total, last_event_time FROM collector_state WHERE collector_id = ?1')
    .bind(id)
    .first<{ cursor: string | null; last_error: string | null; consecutive_failures: number; events_total: number; last_event_time: string | null }>();
}

describe('Okta System Log collector', () => {
  const port = inject('oktaFakePort');
  /** The Worker's env with one Okta collector configured and its secret set (as `wrangler secret put` would). */
  const withCollector = (extra: Record<string, unknown> = {}, token = '00fake-okta-api-token') =>
    ({
      ...env,
      COLLECTORS: JSON.stringify([
        { id: 'okta-main', type: 'okta', orgUrl: `http://127.0.0.1:${port}`, tokenSecret: 'OKTA_API_TOKEN', lookbackMinutes: 180, limit: 10, ...extra },
      ]),
      OKTA_API_TOKEN: token,
    }) as Cloudflare.Env;

  beforeEach(async () => {
    await fake(port, 'reset', { count: 25 });
    await env.DB.batch([
      env.DB.prepare("DELETE FROM events WHERE source = 'okta'"),
      env.DB.prepare('DELETE FROM collector_state'),
      env.DB.prepare('DELETE FROM ingest_batches'),
    ]);
  });

  it('stores every event once across a page boundary and a failed run in between', async () => {
    // Run 1 stops after one page (10 of 25 events); run 2 hits a failing API (every retry); run 3 resumes.
    const [run1] = await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
    expect(run1).toMatchObject({ status: 'ok', pages: 1, newEvents: 10 });

    await fake(port, 'fail', { status: 500, times: 3 });
    const [run2] = await runCollectors(withCollector(), new Date(), fast);
    expect(run2).toMatchObject({ status: 'error', pages: 0, newEvents: 0 });
    expect(run2!.error).toMatch(/answered 500.*gave up after 3 attempts/);
    expect((await collectorState('okta-main'))!.consecutive_failures).toBe(1);

    const [run3] = await runCollectors(withCollector(), new Date(), fast);
    expect(run3).toMatchObject({ status: 'ok', newEvents: 15 });
    expect(await stored('okta')).toEqual({ n: 25, ids: 25 });
    const state = (await collectorState('okta-main'))!;
    expect([state.events_total, state.consecutive_failures, state.last_error]).toEqual([25, 0, null]);
  });

  it('picks up new events from the saved next link once caught up', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    await fake(port, 'add', { count: 3 });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 3 });
    expect(await stored('okta')).toEqual({ n: 28, ids: 28 });
  });

  it('re-reads an overlapping window without storing anything twice', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    // As if the next link were lost: restart from a `since` that covers everything again.
    await env.DB.prepare("UPDATE collector_state SET cursor = json_object('next', NULL, 'since', '2000-01-01T00:00:00.000Z')").run();
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', events: 25, newEvents: 0 });
    expect(await stored('okta')).toEqual({ n: 25, ids: 25 });
  });

  it('waits as long as a 429 says, then carries on', async () => {
    await fake(port, 'fail', { status: 429, times: 1, retryAfterSeconds: 7 });
    const waits: number[] = [];
    const [run] = await runCollectors(withCollector(), new Date(), { ...fast, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 60_000 }, sleep: async (ms) => void waits.push(ms) });
    expect(run).toMatchObject({ status: 'ok', newEvents: 25 });
    expect(waits).toEqual([7000]);
  });

  it('records an authentication failure without moving the cursor', async () => {
    const [run] = await runCollectors(withCollector({}, 'wrong-token'), new Date(), fast);
    expect(run!.status).toBe('error');
    expect(run!.error).toContain('Invalid token provided');
    expect(await stored('okta')).toEqual({ n: 0, ids: 0 });
    expect((await collectorState('okta-main'))!.cursor).toBeNull();
  });

  it('names a missing secret', async () => {
    const [run] = await runCollectors(withCollector({}, ''), new Date(), fast);
    expect(run!.error).toContain('wrangler secret put OKTA_API_TOKEN');
  });

  it('never sends the token to a next link on another host', async () => {
    await env.DB.prepare(
      "INSERT INTO collector_state (collector_id, source, cursor, updated_at) VALUES ('okta-main', 'okta', json_object('next', 'https://evil.example/api/v1/logs', 'since', '2026-01-01T00:00:00.000Z'), '2026-01-01')",
    ).run();
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run!.error).toMatch(/outside .*refusing to send the token/);
    const requests = (await (await fetch(`http://127.0.0.1:${port}/__fake/requests`)).json()) as unknown[];
    expect(requests).toEqual([]);
  });

  it('runs only when due, unless forced', async () => {
    const now = new Date();
    await runCollectors(withCollector(), now, fast);
    const [again] = await runCollectors(withCollector(), new Date(now.getTime() + 60_000), { ...fast, force: false });
    expect(again!.status).toBe('skipped');
  });
});
