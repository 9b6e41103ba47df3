/**
 * The SaaS pull collectors (GitHub, Slack, 1Password, CrowdStrike, Salesforce, Snowflake, Jamf Pro) against
 * loopback fakes of the vendors' APIs (test/fakes/group-saas.ts), through the real runner, ingest path, D1 and
 * R2. For each: pages across a boundary with a failed run in between store every event once; new events are
 * picked up; an overlapping window stores nothing twice; the vendor's rate-limit signal sets the wait; bad
 * credentials fail with the vendor's message and leave the cursor alone; credentials never leave the vendor.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { runCollectors } from '../workers/collect/run-collectors';

const fast = { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, sleep: async () => {}, force: true };
const ports = inject('fakePorts');

async function fake<T = unknown>(port: number, action: string, body?: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}/__fake/${action}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json() as Promise<T>;
}

interface FakeRequest {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body: string;
}

async function requests(port: number): Promise<FakeRequest[]> {
  return (await fetch(`http://127.0.0.1:${port}/__fake/requests`)).json();
}

async function stored(source: string) {
  return (await env.DB.prepare('SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM events WHERE source = ?1').bind(source).first<{ n: number; ids: number }>())!;
}

async function collectorState(id: string) {
  return env.DB.prepare('SELECT cursor, last_error, consecutive_failures, events_total FROM collector_state WHERE collector_id = ?1')
    .bind(id)
    .first<{ cursor: string | null; last_error: string | null; consecutive_failures: number; events_total: number }>();
}

async function clean(source: string) {
  await env.DB.batch([
    env.DB.prepare('DELETE FROM events WHERE source = ?1').bind(source),
    env.DB.prepare('DELETE FROM collector_state'),
    env.DB.prepare('DELETE FROM ingest_batches'),
  ]);
}

async function saveCursor(id: string, source: string, cursor: unknown) {
  await env.DB.prepare(
    "INSERT INTO collector_state (collector_id, source, cursor, updated_at) VALUES (?1, ?2, ?3, '2026-01-01') ON CONFLICT (collector_id) DO UPDATE SET cursor = ?3",
  )
    .bind(id, source, JSON.stringify(cursor))
    .run();
}

/** The Worker's env with one collector configured and its secrets set (as `wrangler secret put` would). */
function envWith(entry: Record<string, unknown>, secrets: Record<string, string>): Cloudflare.Env {
  return { ...env, COLLECTORS: JSON.stringify([entry]), ...secrets } as Cloudflare.Env;
}

/** Waits the runner slept, with a retry policy that lets a server's long wait through. */
function recordingWaits() {
  const waits: number[] = [];
  return { waits, options: { ...fast, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 120_000 }, sleep: async (ms: number) => void waits.push(ms) } };
}

describe('GitHub audit log collector', () => {
  const port = ports.github!;
  const token = 'ghp_fakeAuditLogToken000000000000000000';
  const withCollector = (extra: Record<string, unknown> = {}, secret = token) =>
    envWith({ id: 'gh-audit', type: 'github_audit_log', baseUrl: `http://127.0.0.1:${port}`, org: 'acme', lookbackMinutes: 180, perPage: 10, ...extra }, { GITHUB_AUDIT_TOKEN: secret });

  beforeEach(async () => {
    await fake(port, 'reset', { count: 25 });
    await clean('github');
  });

  it('stores every event once across a page boundary and a failed run in between', async () => {
    const [run1] = await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
    expect(run1).toMatchObject({ status: 'ok', pages: 1, newEvents: 10 });
    await fake(port, 'fail', { status: 502, times: 3 });
    const [run2] = await runCollectors(withCollector(), new Date(), fast);
    expect(run2).toMatchObject({ status: 'error', pages: 0, newEvents: 0 });
    expect(run2!.error).toMatch(/answered 502.*gave up after 3 attempts/);
    const [run3] = await runCollectors(withCollector(), new Date(), fast);
    expect(run3).toMatchObject({ status: 'ok', newEvents: 15 });
    expect(await stored('github')).toEqual({ n: 25, ids: 25 });
    // The run that resumed followed GitHub's `after` cursor rather than starting over.
    const resumed = (await requests(port)).filter((r) => r.url.includes('after='));
    expect(resumed.length).toBeGreaterThan(0);
  });

  it('asks for every event type in ascending order with the API version and a User-Agent', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    const [first] = await requests(port);
    const url = new URL(first!.url, 'http://x');
    expect(url.pathname).toBe('/orgs/acme/audit-log');
    expect(url.searchParams.get('phrase')).toMatch(/^created:>=\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    expect([url.searchParams.get('include'), url.searchParams.get('order'), url.searchParams.get('per_page')]).toEqual(['all', 'asc', '10']);
    expect(first!.headers['x-github-api-version']).toBe('2022-11-28');
    expect(first!.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('reads an enterprise audit log', async () => {
    const [run] = await runCollectors(withCollector({ org: undefined, enterprise: 'acme-corp' }), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 25 });
    expect(new URL((await requests(port))[0]!.url, 'http://x').pathname).toBe('/enterprises/acme-corp/audit-log');
  });

  it('picks up new events once caught up', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    await fake(port, 'add', { count: 3 });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 3 });
    expect(await stored('github')).toEqual({ n: 28, ids: 28 });
  });

  it('re-reads an overlapping window without storing anything twice', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    await saveCursor('gh-audit', 'github', { next: null, since: '2000-01-01T00:00:00.000Z' });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', events: 25, newEvents: 0 });
    expect(await stored('github')).toEqual({ n: 25, ids: 25 });
  });

  it('waits until x-ratelimit-reset when the primary rate limit is exhausted (403, remaining 0)', async () => {
    await fake(port, 'rate-limit', { times: 1, resetInSeconds: 30 });
    const { waits, options } = recordingWaits();
    const [run] = await runCollectors(withCollector(), new Date(), options);
    expect(run).toMatchObject({ status: 'ok', newEvents: 25 });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(27_000);
    expect(waits[0]).toBeLessThanOrEqual(31_000);
  });

  it('waits as long as Retry-After says on a secondary rate limit (429)', async () => {
    await fake(port, 'fail', { status: 429, times: 1, retryAfterSeconds: 7 });
    const { waits, options } = recordingWaits();
    const [run] = await runCollectors(withCollector(), new Date(), options);
    expect(run).toMatchObject({ status: 'ok', newEvents: 25 });
    expect(waits).toEqual([7000]);
  });

  it('fails at once on a 403 that is not a rate limit (a missing scope)', async () => {
    await fake(port, 'fail', { status: 403, times: 1, body: JSON.stringify({ message: 'Must have admin rights to Repository.' }) });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run!.status).toBe('error');
    expect(run!.error).toContain('Must have admin rights');
    expect(await requests(port)).toHaveLength(1);
  });

  it('records bad credentials with GitHub’s message without moving the cursor', async () => {
    const [run] = await runCollectors(withCollector({}, 'ghp_wrong'), new Date(), fast);
    expect(run!.status).toBe('error');
    expect(run!.error).toContain('Bad credentials');
    expect(await stored('github')).toEqual({ n: 0, ids: 0 });
    expect((await collectorState('gh-audit'))!.cursor).toBeNull();
  });

  it('names a missing secret', async () => {
    const [run] = await runCollectors(withCollector({}, ''), new Date(), fast);
    expect(run!.error).toContain('wrangler secret put GITHUB_AUDIT_TOKEN');
  });

  it('never sends the token to a next link on another host', async () => {
    await saveCursor('gh-audit', 'github', { next: 'https://evil.example/orgs/acme/audit-log?after=x', since: '2026-01-01T00:00:00.000Z' });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run!.error).toMatch(/outside .*refusing to send the token/);
    expect(await requests(port)).toEqual([]);
  });
});

describe('Slack Audit Logs collector', () => {
  const port = ports.slack!;
  const token = 'xoxp-0000000000-1111111111-2222222222-fakeauditlogstoken';
  const withCollector = (extra: Record<string, unknown> = {}, secret = token) =>
    envWith({ id: 'slack-audit', type: 'slack_audit_logs', baseUrl: `http://127.0.0.1:${port}`, lookbackMinutes: 180, limit: 10, ...extra }, { SLACK_AUDIT_TOKEN: secret });

  beforeEach(async () => {
    await fake(port, 'reset', { count: 25 });
    await clean('slack');
  });

  it('stores every entry once across a page boundary and a failed run in between', async () => {
    const [run1] = await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
    expect(run1).toMatchObject({ status: 'ok', pages: 1, newEvents: 10 });
    await fake(port, 'fail', { status: 500, times: 3 });
    const [run2] = await runCollectors(withCollector(), new Date(), fast);
    expect(run2).toMatchObject({ status: 'error', pages: 0 });
    expect(run2!.error).toMatch(/answered 500.*gave up after 3 attempts/);
    const [run3] = await runCollectors(withCollector(), new Date(), fast);
    expect(run3).toMatchObject({ status: 'ok', newEvents: 15 });
    expect(await stored('slack')).toEqual({ n: 25, ids: 25 });
  });

  it('keeps the window’s latest bound fixed while walking back through it', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    const windows = (await requests(port)).map((r) => new URL(r.url, 'http://x').searchParams);
    expect(windows).toHaveLength(3);
    expect(new Set(windows.map((p) => `${p.get('oldest')}-${p.get('latest')}`)).size).toBe(1);
    expect(windows.map((p) => p.get('cursor') !== null)).toEqual([false, true, true]);
  });

  it('picks up new entries in the next window', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    await fake(port, 'add', { count: 3 });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 3 });
    expect(await stored('slack')).toEqual({ n: 28, ids: 28 });
  });

  it('re-reads an overlapping window without storing anything twice', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    await saveCursor('slack-audit', 'slack', { oldest: 0, latest: null, next: null });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', events: 25, newEvents: 0 });
    expect(await stored('slack')).toEqual({ n: 25, ids: 25 });
  });

  it('waits as long as a 429 says', async () => {
    await fake(port, 'fail', { status: 429, times: 1, retryAfterSeconds: 7 });
    const { waits, options } = recordingWaits();
    const [run] = await runCollectors(withCollector(), new Date(), options);
    expect(run).toMatchObject({ status: 'ok', newEvents: 25 });
    expect(waits).toEqual([7000]);
  });

  it('records bad credentials with Slack’s error without moving the cursor', async () => {
    const [run] = await runCollectors(withCollector({}, 'xoxp-wrong'), new Date(), fast);
    expect(run!.status).toBe('error');
    expect(run!.error).toContain('invalid_authentication');
    expect((await collectorState('slack-audit'))!.cursor).toBeNull();
    expect(await stored('slack')).toEqual({ n: 0, ids: 0 });
  });

  it('sends a saved cursor only as a query value to the configured host', async () => {
    await saveCursor('slack-audit', 'slack', { oldest: 0, latest: 2_000_000_000, next: 'https://evil.example/steal' });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run!.error).toContain('invalid_cursor');
    const [request] = await requests(port);
    expect(new URL(request!.url, 'http://x').searchParams.get('cursor')).toBe('https://evil.example/steal');
    expect(request!.headers.host).toBe(`127.0.0.1:${port}`);
  });
});

describe('1Password Events API collector', () => {
  const port = ports.onepassword!;
  const token = 'eyJhbGciOiJFUzI1NiIsImtpZCI6ImZha2UifQ.eyJmZWF0dXJlcyI6WyJzaWduaW5hdHRlbXB0cyIsIml0ZW11c2FnZXMiLCJhdWRpdGV2ZW50cyJdfQ.fake-events-token';
  const withCollector = (extra: Record<string, unknown> = {}, secret = token) =>
    envWith({ id: 'op-events', type: 'onepassword_events', baseUrl: `http://127.0.0.1:${port}`, lookbackMinutes: 180, limit: 5, ...extra }, { ONEPASSWORD_EVENTS_TOKEN: secret });

  beforeEach(async () => {
    await fake(port, 'reset', { count: 12 });
    await clean('onepassword');
  });

  it('stores every event of the three feeds once across a page boundary and a failed run in between', async () => {
    const [run1] = await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
    expect(run1).toMatchObject({ status: 'ok', pages: 1, newEvents: 5 });
    await fake(port, 'fail', { status: 500, times: 3 });
    const [run2] = await runCollectors(withCollector(), new Date(), fast);
    expect(run2).toMatchObject({ status: 'error', pages: 0 });
    const [run3] = await runCollectors(withCollector(), new Date(), fast);
    expect(run3).toMatchObject({ status: 'ok', newEvents: 31 });
    expect(await stored('onepassword')).toEqual({ n: 36, ids: 36 });
    const actions = await env.DB.prepare("SELECT DISTINCT substr(action, 1, instr(action, '.')) AS feed FROM events WHERE source = 'onepassword'").all<{ feed: string }>();
    expect(actions.results.map((r) => r.feed)).toEqual(expect.arrayContaining(['signin.', 'item.']));
  });

  it('starts each feed with a reset cursor and continues with 1Password’s cursor', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    const bodies = (await requests(port)).map((r) => ({ path: new URL(r.url, 'http://x').pathname, body: JSON.parse(r.body) as Record<string, unknown> }));
    const first = bodies.filter((b) => b.path === '/api/v2/auditevents');
    expect(Object.keys(first[0]!.body).sort()).toEqual(['limit', 'start_time']);
    expect(first.slice(1).every((b) => typeof b.body.cursor === 'string' && Object.keys(b.body).length === 1)).toBe(true);
    expect(new Set(bodies.map((b) => b.path))).toEqual(new Set(['/api/v2/auditevents', '/api/v2/signinattempts', '/api/v2/itemusages']));
  });

  it('picks up new events from the kept cursors', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    await fake(port, 'add', { count: 2 });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', events: 6, newEvents: 6 });
    expect(await stored('onepassword')).toEqual({ n: 42, ids: 42 });
  });

  it('re-reads from an earlier start without storing anything twice', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    await saveCursor('op-events', 'onepassword', { feed: 0, cursors: {}, startTime: '2000-01-01T00:00:00.000Z' });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', events: 36, newEvents: 0 });
  });

  it('waits as long as a 429 says', async () => {
    await fake(port, 'fail', { status: 429, times: 1, retryAfterSeconds: 7 });
    const { waits, options } = recordingWaits();
    const [run] = await runCollectors(withCollector(), new Date(), options);
    expect(run).toMatchObject({ status: 'ok', newEvents: 36 });
    expect(waits).toEqual([7000]);
  });

  it('records bad credentials with 1Password’s message without moving the cursor', async () => {
    const [run] = await runCollectors(withCollector({}, 'not-a-token'), new Date(), fast);
    expect(run!.status).toBe('error');
    expect(run!.error).toMatch(/answered 401.*Unauthorized/);
    expect((await collectorState('op-events'))!.cursor).toBeNull();
  });

  it('stops at a feed the token was not issued for, keeping what it read', async () => {
    const [run] = await runCollectors(withCollector({}, 'eyJhbGciOiJFUzI1NiIsImtpZCI6ImZha2UifQ.eyJmZWF0dXJlcyI6WyJhdWRpdGV2ZW50cyJdfQ.audit-only'), new Date(), fast);
    expect(run).toMatchObject({ status: 'partial', newEvents: 12 });
    expect(run!.error).toContain('/api/v2/signinattempts answered 401');
  });

  it('sends a saved cursor only as a body value to the configured host', async () => {
    await saveCursor('op-events', 'onepassword', { feed: 0, cursors: { auditevents: 'https://evil.example/steal' }, startTime: '2026-01-01T00:00:00.000Z' });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run!.error).toContain('invalid cursor');
    const [request] = await requests(port);
    expect(JSON.parse(request!.body)).toEqual({ cursor: 'https://evil.example/steal' });
    expect(request!.headers.host).toBe(`127.0.0.1:${port}`);
  });
});

describe('CrowdStrike Falcon alerts collector', () => {
  const port = ports.crowdstrike!;
  const client = { id: 'fakefalconclientid00000000000000', secret: 'FakeFalconClientSecret0000000000000000000' };
  const withCollector = (extra: Record<string, unknown> = {}, secret = client.secret) =>
    envWith(
      { id: 'cs-alerts', type: 'crowdstrike_alerts', baseUrl: `http://127.0.0.1:${port}`, clientId: client.id, lookbackMinutes: 180, limit: 10, ...extra },
      { CROWDSTRIKE_CLIENT_SECRET: secret },
    );

  beforeEach(async () => {
    await fake(port, 'reset', { count: 25 });
    await clean('crowdstrike');
  });

  it('stores every alert once across a page boundary and a failed run in between', async () => {
    const [run1] = await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
    expect(run1).toMatchObject({ status: 'ok', pages: 1, newEvents: 10 });
    await fake(port, 'fail', { status: 500, times: 3 });
    const [run2] = await runCollectors(withCollector(), new Date(), fast);
    expect(run2).toMatchObject({ status: 'error', pages: 0 });
    expect(run2!.error).toMatch(/answered 500.*gave up after 3 attempts/);
    const [run3] = await runCollectors(withCollector(), new Date(), fast);
    expect(run3).toMatchObject({ status: 'ok', newEvents: 15 });
    expect(await stored('crowdstrike')).toEqual({ n: 25, ids: 25 });
  });

  it('queries ids by updated_timestamp in ascending order, then fetches them by composite id', async () => {
    await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
    const api = (await requests(port)).filter((r) => r.url !== '/oauth2/token');
    const query = new URL(api[0]!.url, 'http://x').searchParams;
    expect(query.get('filter')).toMatch(/^updated_timestamp:>='\d{4}-\d{2}-\d{2}T[\d:.]+Z'$/);
    expect([query.get('sort'), query.get('limit'), query.get('offset')]).toEqual(['updated_timestamp|asc', '10', '0']);
    expect(api[1]).toMatchObject({ method: 'POST', url: '/alerts/entities/alerts/v2' });
    expect((JSON.parse(api[1]!.body) as { composite_ids: string[] }).composite_ids).toHaveLength(10);
  });

  it('picks up new alerts, and re-reads updated ones without storing them twice', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    await fake(port, 'add', { count: 3 });
    await fake(port, 'update', { count: 2 });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 3 });
    expect(run!.events).toBeGreaterThanOrEqual(5);
    expect(await stored('crowdstrike')).toEqual({ n: 28, ids: 28 });
  });

  it('re-reads an overlapping window without storing anything twice', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    await saveCursor('cs-alerts', 'crowdstrike', { since: '2000-01-01T00:00:00.000Z', offset: 0, newest: null });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', events: 25, newEvents: 0 });
  });

  it('waits until X-RateLimit-RetryAfter on a 429', async () => {
    await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast); // a token is cached
    await fake(port, 'rate-limit', { times: 1, retryInSeconds: 20 });
    const { waits, options } = recordingWaits();
    const [run] = await runCollectors(withCollector(), new Date(), options);
    expect(run).toMatchObject({ status: 'ok', newEvents: 15 });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(17_000);
    expect(waits[0]).toBeLessThanOrEqual(21_000);
  });

  it('gets a new token when the cached one is refused', async () => {
    await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
    const before = (await requests(port)).length;
    await fake(port, 'revoke');
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 15 });
    const after = (await requests(port)).slice(before);
    expect(after[0]!.url).toMatch(/^\/alerts\/queries\/alerts\/v2\?/);
    expect(after.filter((r) => r.url === '/oauth2/token')).toHaveLength(1);
  });

  it('records bad client credentials with CrowdStrike’s message without moving the cursor', async () => {
    const [run] = await runCollectors(withCollector({}, 'wrong-secret'), new Date(), fast);
    expect(run!.status).toBe('error');
    expect(run!.error).toContain('Failed to issue access token - Not Authorized');
    expect((await collectorState('cs-alerts'))!.cursor).toBeNull();
  });

  it('sends the client secret only to the token endpoint and the token only to the API', async () => {
    await fake(port, 'revoke');
    await runCollectors(withCollector(), new Date(), fast);
    const all = await requests(port);
    const withSecret = all.filter((r) => r.body.includes(encodeURIComponent(client.secret)) || JSON.stringify(r.headers).includes(client.secret));
    expect(withSecret.map((r) => r.url)).toEqual(['/oauth2/token']);
    expect(all.filter((r) => r.url !== '/oauth2/token').every((r) => /^Bearer \S+$/.test(r.headers.authorization ?? ''))).toBe(true);
    expect(all.every((r) => r.headers.host === `127.0.0.1:${port}`)).toBe(true);
  });
});

describe('Jamf Pro action logs collector', () => {
  const port = ports.jamf!;
  const client = { id: '6e9b5f2c-0000-4000-8000-fakejamfclient', secret: 'FakeJamfClientSecret-0000000000000000000000000' };
  const withCollector = (extra: Record<string, unknown> = {}, secret = client.secret) =>
    envWith(
      { id: 'jamf-actions', type: 'jamf_action_logs', baseUrl: `http://127.0.0.1:${port}`, clientId: client.id, lookbackMinutes: 180, pageSize: 10, ...extra },
      { JAMF_CLIENT_SECRET: secret },
    );

  beforeEach(async () => {
    await fake(port, 'reset', { count: 25 });
    await clean('jamf');
  });

  it('stores every action once across a page boundary and a failed run in between', async () => {
    const [run1] = await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
    expect(run1).toMatchObject({ status: 'ok', pages: 1, newEvents: 10 });
    await fake(port, 'fail', { status: 500, times: 3 });
    const [run2] = await runCollectors(withCollector(), new Date(), fast);
    expect(run2).toMatchObject({ status: 'error', pages: 0 });
    expect(run2!.error).toMatch(/answered 500.*gave up after 3 attempts/);
    const [run3] = await runCollectors(withCollector(), new Date(), fast);
    expect(run3).toMatchObject({ status: 'ok', newEvents: 15 });
    expect(await stored('jamf')).toEqual({ n: 25, ids: 25 });
  });

  it('pages one fixed RSQL window in ascending time', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    const pages = (await requests(port)).filter((r) => r.url.startsWith('/api/v1/action-logs')).map((r) => new URL(r.url, 'http://x').searchParams);
    expect(pages.map((p) => p.get('page'))).toEqual(['0', '1', '2']);
    expect(new Set(pages.map((p) => p.get('filter'))).size).toBe(1);
    expect(pages[0]!.get('filter')).toMatch(/^createdTime>="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"$/);
    expect(pages[0]!.get('sort')).toBe('createdTime:asc');
  });

  it('picks up new actions once caught up', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    await fake(port, 'add', { count: 3 });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 3 });
    expect(await stored('jamf')).toEqual({ n: 28, ids: 28 });
  });

  it('re-reads an overlapping window without storing anything twice', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    await saveCursor('jamf-actions', 'jamf', { since: '2000-01-01T00:00:00.000Z', page: 0, newest: null });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', events: 25, newEvents: 0 });
  });

  it('waits as long as a 429 says', async () => {
    await fake(port, 'fail', { status: 429, times: 1, retryAfterSeconds: 7 });
    const { waits, options } = recordingWaits();
    const [run] = await runCollectors(withCollector(), new Date(), options);
    expect(run).toMatchObject({ status: 'ok', newEvents: 25 });
    expect(waits).toEqual([7000]);
  });

  it('gets a new token when the cached one is refused', async () => {
    await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
    await fake(port, 'revoke');
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 15 });
  });

  it('records bad client credentials with Jamf’s error without moving the cursor', async () => {
    const [run] = await runCollectors(withCollector({}, 'wrong-secret'), new Date(), fast);
    expect(run!.status).toBe('error');
    expect(run!.error).toMatch(/answered 401.*invalid_client/);
    expect((await collectorState('jamf-actions'))!.cursor).toBeNull();
  });

  it('sends the client secret only to the token endpoint', async () => {
    await fake(port, 'revoke');
    await runCollectors(withCollector(), new Date(), fast);
    const all = await requests(port);
    expect(all.filter((r) => r.body.includes(encodeURIComponent(client.secret))).map((r) => r.url)).toEqual(['/api/oauth/token']);
    expect(all.filter((r) => r.url !== '/api/oauth/token').every((r) => /^Bearer \S+$/.test(r.headers.authorization ?? '') && !r.url.includes(client.secret))).toBe(true);
  });
});

describe('Salesforce collectors', () => {
  const port = ports.salesforce!;
  let keys: { privateKeyPem: string; untrustedPrivateKeyPem: string; consumerKey: string; username: string };
  const auth = () => ({ loginUrl: `http://127.0.0.1:${port}`, consumerKey: keys.consumerKey, username: keys.username });

  beforeEach(async () => {
    keys = await fake(port, 'credentials');
    await fake(port, 'reset', { count: 25, batchSize: 10 });
    await clean('salesforce');
  });

  describe('EventLogFile', () => {
    const withCollector = (extra: Record<string, unknown> = {}, pem?: string) =>
      envWith({ id: 'sf-elf', type: 'salesforce_event_log_files', ...auth(), lookbackMinutes: 300, rowsPerPage: 25, ...extra }, { SALESFORCE_PRIVATE_KEY: pem ?? keys.privateKeyPem });

    it('stores every CSV row once across a page boundary and a failed run in between', async () => {
      const { rows } = await fake<{ rows: number }>(port, 'reset', { count: 25, batchSize: 2 });
      const [run1] = await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
      expect(run1).toMatchObject({ status: 'ok', pages: 1 });
      expect(run1!.newEvents).toBeGreaterThan(0);
      await fake(port, 'fail', { status: 500, times: 3 });
      const [run2] = await runCollectors(withCollector(), new Date(), fast);
      expect(run2).toMatchObject({ status: 'error', pages: 0 });
      const [run3] = await runCollectors(withCollector(), new Date(), fast);
      expect(run3!.status).toBe('ok');
      expect(run1!.newEvents + run3!.newEvents).toBe(rows);
      expect(await stored('salesforce')).toEqual({ n: rows, ids: rows });
      // Every file was downloaded once, and a listing page was followed through nextRecordsUrl.
      const all = await requests(port);
      const downloads = all.filter((r) => r.url.endsWith('/LogFile')).map((r) => r.url);
      expect(downloads.length).toBeGreaterThanOrEqual(5);
      expect(all.some((r) => /\/query\/01gFAKE/.test(r.url))).toBe(true);
    });

    it('rows keep the log file’s columns and parse as their event type', async () => {
      await runCollectors(withCollector(), new Date(), fast);
      const types = await env.DB.prepare("SELECT action, count(*) AS n FROM events WHERE source = 'salesforce' GROUP BY action ORDER BY action").all<{ action: string; n: number }>();
      expect(types.results.map((t) => t.action)).toEqual(['ApexCallout', 'ApexExecution', 'ApexRestApi', 'Login', 'LoginAs']);
      const login = await env.DB.prepare("SELECT identity_action FROM events WHERE source = 'salesforce' AND action = 'Login' LIMIT 1").first<{ identity_action: string }>();
      expect(login!.identity_action).toMatch(/^auth_/);
    });

    it('picks up a new log file once caught up, downloading no file twice', async () => {
      await runCollectors(withCollector(), new Date(), fast);
      await fake(port, 'add', { count: 1 });
      const before = (await requests(port)).filter((r) => r.url.endsWith('/LogFile')).length;
      const [run] = await runCollectors(withCollector(), new Date(), fast);
      expect(run).toMatchObject({ status: 'ok', events: 5, newEvents: 5 });
      expect((await requests(port)).filter((r) => r.url.endsWith('/LogFile')).length).toBe(before + 1);
    });

    it('re-reads an overlapping window without storing anything twice', async () => {
      const [first] = await runCollectors(withCollector(), new Date(), fast);
      await saveCursor('sf-elf', 'salesforce', { since: '2000-01-01T00:00:00.000Z', readAtSince: [], files: [], row: 0, next: null });
      const [run] = await runCollectors(withCollector(), new Date(), fast);
      expect(run).toMatchObject({ status: 'ok', events: first!.newEvents, newEvents: 0 });
    });

    it('waits as long as a 503 with Retry-After says', async () => {
      await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast); // a session is cached
      await fake(port, 'fail', { status: 503, times: 1, retryAfterSeconds: 7 });
      const { waits, options } = recordingWaits();
      const [run] = await runCollectors(withCollector(), new Date(), options);
      expect(run!.status).toBe('ok');
      expect(waits).toEqual([7000]);
    });

    it('names a daily API limit that is used up', async () => {
      await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
      await fake(port, 'fail', { status: 403, times: 1, body: JSON.stringify([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]) });
      const [run] = await runCollectors(withCollector(), new Date(), fast);
      expect(run!.status).toBe('error');
      expect(run!.error).toContain('REQUEST_LIMIT_EXCEEDED');
    });

    it.each([
      ['a key the connected app does not trust', {}, 'untrusted', 'invalid assertion'],
      ['an unknown consumer key', { consumerKey: '3MVG9unknown' }, 'trusted', 'client identifier invalid'],
      ['a user who is not pre-authorized', { username: 'someone@acme.example' }, 'trusted', "user hasn't approved this consumer"],
    ])('records %s with Salesforce’s error without moving the cursor', async (_, extra, key, message) => {
      const [run] = await runCollectors(withCollector(extra, key === 'trusted' ? keys.privateKeyPem : keys.untrustedPrivateKeyPem), new Date(), fast);
      expect(run!.status).toBe('error');
      expect(run!.error).toContain(message);
      expect((await collectorState('sf-elf'))!.cursor).toBeNull();
    });

    it('refuses an instance_url outside Salesforce, sending it no token', async () => {
      await fake(port, 'revoke');
      await fake(port, 'instance-url', { url: 'https://salesforce.evil.example' });
      const [run] = await runCollectors(withCollector(), new Date(), fast);
      expect(run!.error).toMatch(/instance https:\/\/salesforce\.evil\.example.*refusing to send the token/);
      expect((await collectorState('sf-elf'))!.cursor).toBeNull();
    });

    it('never follows a listing link off the instance', async () => {
      await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
      await saveCursor('sf-elf', 'salesforce', { since: '2026-01-01T00:00:00.000Z', readAtSince: [], files: [], row: 0, next: 'https://evil.example/services/data/v62.0/query/x' });
      const before = (await requests(port)).length;
      const [run] = await runCollectors(withCollector(), new Date(), fast);
      expect(run!.error).toContain('refusing to follow it');
      expect((await requests(port)).length).toBe(before);
    });
  });

  describe('LoginHistory and SetupAuditTrail', () => {
    const withCollector = (extra: Record<string, unknown> = {}, pem?: string) =>
      envWith({ id: 'sf-logins', type: 'salesforce_records', ...auth(), lookbackMinutes: 180, ...extra }, { SALESFORCE_PRIVATE_KEY: pem ?? keys.privateKeyPem });

    it('stores every login once across a page boundary and a failed run in between', async () => {
      const [run1] = await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
      expect(run1).toMatchObject({ status: 'ok', pages: 1, newEvents: 10 });
      await fake(port, 'fail', { status: 500, times: 3 });
      const [run2] = await runCollectors(withCollector(), new Date(), fast);
      expect(run2).toMatchObject({ status: 'error', pages: 0 });
      const [run3] = await runCollectors(withCollector(), new Date(), fast);
      expect(run3).toMatchObject({ status: 'ok', newEvents: 15 });
      expect(await stored('salesforce')).toEqual({ n: 25, ids: 25 });
      const soql = new URL((await requests(port)).find((r) => r.url.includes('/query?'))!.url, 'http://x').searchParams.get('q');
      expect(soql).toMatch(/^SELECT Id, UserId, LoginTime, .* FROM LoginHistory WHERE LoginTime >= \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z ORDER BY LoginTime ASC, Id ASC$/);
    });

    it('reads SetupAuditTrail records with their creator', async () => {
      const [run] = await runCollectors(withCollector({ object: 'SetupAuditTrail' }), new Date(), fast);
      expect(run).toMatchObject({ status: 'ok', newEvents: 25 });
      const row = await env.DB.prepare("SELECT raw FROM events WHERE source = 'salesforce' LIMIT 1").first<{ raw: string }>();
      expect(JSON.parse(row!.raw)).toMatchObject({ attributes: { type: 'SetupAuditTrail' } });
    });

    it('picks up new logins once caught up', async () => {
      await runCollectors(withCollector(), new Date(), fast);
      await fake(port, 'add', { count: 3 });
      const [run] = await runCollectors(withCollector(), new Date(), fast);
      expect(run).toMatchObject({ status: 'ok', newEvents: 3 });
      expect(await stored('salesforce')).toEqual({ n: 28, ids: 28 });
    });

    it('re-reads an overlapping window without storing anything twice', async () => {
      await runCollectors(withCollector(), new Date(), fast);
      await saveCursor('sf-logins', 'salesforce', { since: '2000-01-01T00:00:00.000Z', next: null, newest: null });
      const [run] = await runCollectors(withCollector(), new Date(), fast);
      expect(run).toMatchObject({ status: 'ok', events: 25, newEvents: 0 });
    });

    it('restarts the window when the query locator has expired', async () => {
      await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
      const saved = JSON.parse((await collectorState('sf-logins'))!.cursor!) as { since: string };
      await saveCursor('sf-logins', 'salesforce', { ...saved, next: '/services/data/v62.0/query/01gFAKE000000000000-10' });
      const [run] = await runCollectors(withCollector(), new Date(), fast);
      expect(run).toMatchObject({ status: 'ok', newEvents: 15 });
    });

    it('waits as long as a 503 with Retry-After says', async () => {
      await fake(port, 'fail', { status: 503, times: 1, retryAfterSeconds: 7 });
      const { waits, options } = recordingWaits();
      const [run] = await runCollectors(withCollector(), new Date(), options);
      expect(run).toMatchObject({ status: 'ok', newEvents: 25 });
      expect(waits).toEqual([7000]);
    });

    it('gets a new session when the cached one expired (INVALID_SESSION_ID)', async () => {
      await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
      await fake(port, 'revoke');
      const [run] = await runCollectors(withCollector(), new Date(), fast);
      expect(run).toMatchObject({ status: 'ok', newEvents: 15 });
    });

    it('records an untrusted key with Salesforce’s error without moving the cursor', async () => {
      const [run] = await runCollectors(withCollector({}, keys.untrustedPrivateKeyPem), new Date(), fast);
      expect(run!.error).toContain('invalid assertion');
      expect((await collectorState('sf-logins'))!.cursor).toBeNull();
    });
  });
});

describe('Snowflake ACCOUNT_USAGE collectors', () => {
  const port = ports.snowflake!;
  let keys: { privateKeyPem: string; untrustedPrivateKeyPem: string; account: string; user: string };
  const withCollector = (extra: Record<string, unknown> = {}, pem?: string) =>
    envWith(
      { id: 'sf-logins', type: 'snowflake_login_history', account: keys.account, user: keys.user, baseUrl: `http://127.0.0.1:${port}`, warehouse: 'SIEM_WH', lookbackMinutes: 300, ...extra },
      { SNOWFLAKE_PRIVATE_KEY: pem ?? keys.privateKeyPem },
    );

  beforeEach(async () => {
    keys = await fake(port, 'credentials');
    await fake(port, 'reset', { count: 25, partitionSize: 10 });
    await clean('snowflake');
  });

  it('stores every row once across a partition boundary and a failed run in between', async () => {
    const [run1] = await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
    expect(run1).toMatchObject({ status: 'ok', pages: 1, newEvents: 10 });
    await fake(port, 'fail', { status: 500, times: 3 });
    const [run2] = await runCollectors(withCollector(), new Date(), fast);
    expect(run2).toMatchObject({ status: 'error', pages: 0 });
    const [run3] = await runCollectors(withCollector(), new Date(), fast);
    expect(run3).toMatchObject({ status: 'ok', newEvents: 15 });
    expect(await stored('snowflake')).toEqual({ n: 25, ids: 25 });
    // The resumed run read partitions 1 and 2 of the same statement instead of running it again.
    const all = await requests(port);
    expect(all.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(all.filter((r) => /partition=[12]$/.test(r.url)).map((r) => r.url.slice(-1))).toEqual(['1', '1', '1', '1', '2']);
  });

  it('binds the time bound instead of writing it into the SQL, and signs a key-pair JWT', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    const [post] = await requests(port);
    const body = JSON.parse(post!.body) as { statement: string; bindings: Record<string, { type: string; value: string }>; warehouse: string };
    expect(body.statement).toBe('SELECT * FROM SNOWFLAKE.ACCOUNT_USAGE.LOGIN_HISTORY WHERE EVENT_TIMESTAMP > TO_TIMESTAMP_LTZ(?, 3) ORDER BY EVENT_TIMESTAMP');
    expect(body.bindings['1']).toMatchObject({ type: 'FIXED', value: expect.stringMatching(/^\d{13}$/) });
    expect(body.warehouse).toBe('SIEM_WH');
    expect(post!.headers['x-snowflake-authorization-token-type']).toBe('KEYPAIR_JWT');
    const claims = JSON.parse(atob(post!.headers.authorization!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    expect(claims.sub).toBe('FAKEORG-SIEM.MANTISSA_COLLECTOR');
    expect(claims.iss).toMatch(/^FAKEORG-SIEM\.MANTISSA_COLLECTOR\.SHA256:[A-Za-z0-9+/]{43}=$/);
    expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(3600);
  });

  it('maps rows to upper-case column objects with ISO timestamps, as the parser reads them', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    const row = await env.DB.prepare("SELECT raw, action, event_time FROM events WHERE source = 'snowflake' LIMIT 1").first<{ raw: string; action: string; event_time: string }>();
    const raw = JSON.parse(row!.raw) as Record<string, unknown>;
    expect(raw.EVENT_TIMESTAMP).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
    expect(row!.action).toBe('LOGIN');
    expect(row!.event_time.slice(0, 19)).toBe(String(raw.EVENT_TIMESTAMP).slice(0, 19));
  });

  it('picks up new rows, re-reading the latency window without storing anything twice', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    await fake(port, 'add', { count: 3 });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', events: 28, newEvents: 3 });
    expect(await stored('snowflake')).toEqual({ n: 28, ids: 28 });
  });

  it('re-reads an overlapping window without storing anything twice', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', events: 25, newEvents: 0 });
  });

  it('leaves a statement still running to the next run, then reads it by handle', async () => {
    await fake(port, 'async', { polls: 1 });
    const [run1] = await runCollectors(withCollector(), new Date(), fast);
    expect(run1).toMatchObject({ status: 'ok', newEvents: 0 });
    const [run2] = await runCollectors(withCollector(), new Date(), fast);
    expect(run2).toMatchObject({ status: 'ok', newEvents: 0 });
    const [run3] = await runCollectors(withCollector(), new Date(), fast);
    expect(run3).toMatchObject({ status: 'ok', newEvents: 25 });
    expect((await requests(port)).filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('runs the statement again when its handle is gone', async () => {
    await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
    await fake(port, 'reset', { count: 25, partitionSize: 10 }); // forgets the statement
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run!.status).toBe('ok');
    expect(await stored('snowflake')).toEqual({ n: 35, ids: 35 });
  });

  it('waits as long as a 429 says', async () => {
    await fake(port, 'fail', { status: 429, times: 1, retryAfterSeconds: 7 });
    const { waits, options } = recordingWaits();
    const [run] = await runCollectors(withCollector(), new Date(), options);
    expect(run).toMatchObject({ status: 'ok', newEvents: 25 });
    expect(waits).toEqual([7000]);
  });

  it('uses a saved handle only as a path segment on the configured host', async () => {
    await saveCursor('sf-logins', 'snowflake', { since: '2000-01-01T00:00:00.000Z', newest: null, handle: 'https://evil.example/x', partition: 1, partitions: 3, columns: [] });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 25 });
    const [first] = await requests(port);
    expect(first!.url).toBe('/api/v2/statements/https%3A%2F%2Fevil.example%2Fx?partition=1');
    expect(first!.headers.host).toBe(`127.0.0.1:${port}`);
  });

  it('records a key Snowflake does not know with its error, without moving the cursor', async () => {
    const [run] = await runCollectors(withCollector({}, keys.untrustedPrivateKeyPem), new Date(), fast);
    expect(run!.status).toBe('error');
    expect(run!.error).toMatch(/answered 401.*JWT token is invalid/);
    expect((await collectorState('sf-logins'))!.cursor).toBeNull();
  });

  it('reads QUERY_HISTORY by START_TIME, keyed by QUERY_ID', async () => {
    const [run] = await runCollectors(withCollector({ id: 'sf-queries', type: 'snowflake_query_history' }), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 25 });
    expect(JSON.parse((await requests(port))[0]!.body)).toMatchObject({ statement: expect.stringContaining('QUERY_HISTORY WHERE START_TIME > TO_TIMESTAMP_LTZ(?, 3)') });
    const ids = await env.DB.prepare("SELECT count(*) AS n FROM events WHERE source = 'snowflake' AND event_id LIKE '01b%'").first<{ n: number }>();
    expect(ids!.n).toBe(25);
  });
});
