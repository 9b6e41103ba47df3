/**
 * The Microsoft Graph (Entra ID sign-ins and directory audits), Office 365 Management Activity API and Google
 * Workspace Reports API collectors, against loopback fakes of the vendors' token endpoints and APIs
 * (test/fakes/microsoft.ts, test/fakes/google-workspace.ts), through the real runner, ingest path, D1 and R2:
 * every vendor event stored exactly once across pages, failed runs, overlapping windows, throttling and token
 * refreshes; credentials refused the way the vendor refuses them; credentials sent to no other host.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { runCollectors } from '../workers/collect/run-collectors';

const fast = { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, sleep: async () => {}, force: true };

const ports = inject('fakePorts');
function origin(name: 'msLogin' | 'msGraph' | 'o365Manage' | 'googleOAuth' | 'googleReports'): string {
  const port = ports[name];
  if (!port) throw new Error(`no fake named ${name}`);
  return `http://127.0.0.1:${port}`;
}

type FakeName = Parameters<typeof origin>[0];

async function fake<T = unknown>(name: FakeName, action: string, body?: unknown): Promise<T> {
  const res = await fetch(`${origin(name)}/__fake/${action}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json() as Promise<T>;
}

interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body: string;
}

async function requests(name: FakeName): Promise<SeenRequest[]> {
  return (await fetch(`${origin(name)}/__fake/requests`)).json() as Promise<SeenRequest[]>;
}

async function stored(source: string, idPrefix = '') {
  return (await env.DB.prepare('SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM events WHERE source = ?1 AND event_id LIKE ?2')
    .bind(source, `${idPrefix}%`)
    .first<{ n: number; ids: number }>())!;
}

/** Records the parser refused, over every batch the collectors landed for a source. */
async function rejected(source: string): Promise<number> {
  return (await env.DB.prepare('SELECT coalesce(sum(rejected), 0) AS n FROM ingest_batches WHERE source = ?1').bind(source).first<{ n: number }>())!.n;
}

async function collectorState(id: string) {
  return env.DB.prepare('SELECT cursor, last_error, consecutive_failures, events_total FROM collector_state WHERE collector_id = ?1')
    .bind(id)
    .first<{ cursor: string | null; last_error: string | null; consecutive_failures: number; events_total: number }>();
}

async function setCursor(id: string, source: string, cursor: unknown) {
  await env.DB.prepare(
    'INSERT INTO collector_state (collector_id, source, cursor, updated_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (collector_id) DO UPDATE SET cursor = excluded.cursor',
  )
    .bind(id, source, JSON.stringify(cursor), new Date().toISOString())
    .run();
}

async function clearStorage(source: string) {
  await env.DB.batch([
    env.DB.prepare('DELETE FROM events WHERE source = ?1').bind(source),
    env.DB.prepare('DELETE FROM collector_state'),
    env.DB.prepare('DELETE FROM ingest_batches'),
  ]);
}

/** The Worker's env with one collector configured and its secret set (as `wrangler secret put` would). */
function withCollector(entry: Record<string, unknown>, secrets: Record<string, string>): Cloudflare.Env {
  return { ...env, COLLECTORS: JSON.stringify([entry]), ...secrets } as Cloudflare.Env;
}

const tenantId = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const clientId = 'b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e';
const clientSecret = 'fake~Q8~client-secret-value';
const tokenUrl = () => `${origin('msLogin')}/${tenantId}/oauth2/v2.0/token`;

describe.each([
  { type: 'entra_id_signins', feed: 'signIns', field: 'createdDateTime', idPrefix: 'a1', total: 25 },
  { type: 'entra_id_audits', feed: 'directoryAudits', field: 'activityDateTime', idPrefix: 'b2', total: 20 },
] as const)('Microsoft Graph $feed collector ($type)', ({ type, feed, field, idPrefix, total }) => {
  const id = `graph-${feed.toLowerCase()}`;
  const collector = (extra: Record<string, unknown> = {}, secret = clientSecret) =>
    withCollector(
      { id, type, tenantId, clientId, clientSecretName: 'GRAPH_CLIENT_SECRET', tokenUrl: tokenUrl(), graphBaseUrl: origin('msGraph'), lookbackMinutes: 180, pageSize: 10, ...extra },
      { GRAPH_CLIENT_SECRET: secret },
    );
  const graphRequests = async () => (await requests('msGraph')).filter((r) => r.url.includes(`/auditLogs/${feed}`));

  beforeEach(async () => {
    await fake('msGraph', 'reset', { signIns: 25, directoryAudits: 20 });
    await fake('msLogin', 'reset');
    await fake('o365Manage', 'reset');
    await clearStorage('entra_id');
  });

  it('stores every record once across a page boundary and a failed run in between', async () => {
    const [run1] = await runCollectors(collector({ maxPagesPerRun: 1 }), new Date(), fast);
    expect(run1).toMatchObject({ status: 'ok', pages: 1, newEvents: 10 });

    await fake('msGraph', 'fail', { status: 503, times: 3 });
    const [run2] = await runCollectors(collector(), new Date(), fast);
    expect(run2).toMatchObject({ status: 'error', pages: 0, newEvents: 0 });
    expect(run2!.error).toMatch(/answered 503.*gave up after 3 attempts/);

    const [run3] = await runCollectors(collector(), new Date(), fast);
    expect(run3).toMatchObject({ status: 'ok', newEvents: total - 10 });
    expect(await stored('entra_id', idPrefix)).toEqual({ n: total, ids: total });
    expect(await rejected('entra_id')).toBe(0);
    const state = (await collectorState(id))!;
    expect([state.events_total, state.consecutive_failures, state.last_error]).toEqual([total, 0, null]);
  });

  it('follows @odata.nextLink pages of the sweep it started, filtered on the time field', async () => {
    await runCollectors(collector(), new Date(), fast);
    // (A request refused for a token revoked by an earlier test is repeated with the same URL.)
    const urls = [...new Set((await graphRequests()).map((r) => r.url))].map((u) => new URL(u, origin('msGraph')));
    expect(urls).toHaveLength(Math.ceil(total / 10));
    expect(urls[0]!.searchParams.get('$filter')).toMatch(new RegExp(`^${field} ge \\S+ and ${field} le \\S+$`));
    expect(urls[0]!.searchParams.get('$orderby')).toBe(`${field} asc`);
    expect(urls.slice(1).every((u) => u.searchParams.get('$skiptoken'))).toBe(true);
  });

  it('picks up new records once caught up', async () => {
    await runCollectors(collector(), new Date(), fast);
    await fake('msGraph', 'add', { feed, count: 3 });
    const [run] = await runCollectors(collector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 3 });
    expect(await stored('entra_id', idPrefix)).toEqual({ n: total + 3, ids: total + 3 });
  });

  it('finds records indexed late when they fall inside the overlap, starting the next sweep 15 minutes before the newest record', async () => {
    await runCollectors(collector(), new Date(), fast);
    const newest = (await env.DB.prepare('SELECT max(event_time) AS t FROM events WHERE source = ?1').bind('entra_id').first<{ t: string }>())!.t;
    await fake('msGraph', 'add-late', { feed, count: 2, minutesBeforeNewest: 10 });
    const [run] = await runCollectors(collector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 2 });
    const last = new URL((await graphRequests()).at(-1)!.url, origin('msGraph'));
    const since = /ge (\S+) and/.exec(last.searchParams.get('$filter')!)![1]!;
    expect(Date.parse(newest) - Date.parse(since)).toBe(15 * 60_000);
  });

  it('re-reads an overlapping window without storing anything twice', async () => {
    await runCollectors(collector(), new Date(), fast);
    await setCursor(id, 'entra_id', { since: new Date(Date.now() - 3 * 3600_000).toISOString(), next: null, newest: null });
    const [run] = await runCollectors(collector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', events: total, newEvents: 0 });
    expect(await stored('entra_id', idPrefix)).toEqual({ n: total, ids: total });
  });

  it('starts the sweep again when Graph refuses a saved next link', async () => {
    const since = new Date(Date.now() - 3 * 3600_000).toISOString();
    await setCursor(id, 'entra_id', { since, next: `${origin('msGraph')}/v1.0/auditLogs/${feed}?$skiptoken=expired`, newest: null });
    const [run] = await runCollectors(collector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: total });
    const first = new URL((await graphRequests())[1]!.url, origin('msGraph'));
    expect(first.searchParams.get('$filter')).toContain(`${field} ge ${since}`);
  });

  it('waits as long as a 429 says, then carries on', async () => {
    await fake('msGraph', 'fail', { status: 429, times: 1, retryAfterSeconds: 7, body: JSON.stringify({ error: { code: 'TooManyRequests', message: 'Too many requests' } }) });
    const waits: number[] = [];
    const [run] = await runCollectors(collector(), new Date(), { ...fast, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 60_000 }, sleep: async (ms) => void waits.push(ms) });
    expect(run).toMatchObject({ status: 'ok', newEvents: total });
    expect(waits).toEqual([7000]);
  });

  it('records a refused client secret with the identity platform message, without moving the cursor', async () => {
    const [run] = await runCollectors(collector({}, 'not-the-secret'), new Date(), fast);
    expect(run!.status).toBe('error');
    expect(run!.error).toContain('AADSTS7000215: Invalid client secret provided');
    expect(await stored('entra_id', idPrefix)).toEqual({ n: 0, ids: 0 });
    expect((await collectorState(id))!.cursor).toBeNull();
    expect(await graphRequests()).toEqual([]);
  });

  it('records an unknown application id with the identity platform message', async () => {
    const [run] = await runCollectors(collector({ clientId: '00000000-0000-0000-0000-000000000001' }), new Date(), fast);
    expect(run!.error).toContain("AADSTS700016: Application with identifier '00000000-0000-0000-0000-000000000001' was not found");
  });

  it('names a missing secret', async () => {
    const [run] = await runCollectors(collector({}, ''), new Date(), fast);
    expect(run!.error).toContain('wrangler secret put GRAPH_CLIENT_SECRET');
  });

  it('fails, without moving the cursor, on answers that are not what Graph and the token endpoint send', async () => {
    await fake('msGraph', 'fail', { status: 200, times: 1, body: '{"error": "not a collection"}' });
    const [page] = await runCollectors(collector(), new Date(), fast);
    expect(page!.error).toContain('did not answer an OData collection');

    await fake('msLogin', 'revoke-tokens');
    await fake('msLogin', 'fail', { status: 200, times: 1, body: '{"token_type": "Bearer"}' });
    const [token] = await runCollectors(collector(), new Date(), fast);
    expect(token!.error).toContain('token endpoint answered without an access_token');
    expect((await collectorState(id))!.cursor).toBeNull();
  });

  it('never sends the access token to a next link on another host', async () => {
    await setCursor(id, 'entra_id', { since: '2026-01-01T00:00:00.000Z', next: `${origin('o365Manage')}/v1.0/auditLogs/${feed}?$skiptoken=x`, newest: null });
    const [run] = await runCollectors(collector(), new Date(), fast);
    expect(run!.error).toMatch(/next link outside .*refusing to send the access token/);
    expect(await requests('o365Manage')).toEqual([]);
    expect(await requests('msGraph')).toEqual([]);
  });

  it('sends the client secret only to the token endpoint and the access token only to Graph', async () => {
    await fake('msLogin', 'revoke-tokens');
    await runCollectors(collector(), new Date(), fast);
    const login = await requests('msLogin');
    expect(login.length).toBeGreaterThan(0);
    expect(login.every((r) => r.method === 'POST' && r.url === `/${tenantId}/oauth2/v2.0/token` && r.headers.authorization === undefined)).toBe(true);
    expect(new URLSearchParams(login[0]!.body).get('client_secret')).toBe(clientSecret);
    expect(new URLSearchParams(login[0]!.body).get('scope')).toBe('https://graph.microsoft.com/.default');
    const graph = await requests('msGraph');
    expect(graph.every((r) => /^Bearer \S+$/.test(r.headers.authorization ?? '') && !JSON.stringify(r).includes(clientSecret))).toBe(true);
  });

  it('reuses its access token across runs and gets a new one when Graph stops accepting it', async () => {
    await fake('msLogin', 'revoke-tokens');
    await runCollectors(collector(), new Date(), fast);
    await fake('msGraph', 'add', { feed, count: 1 });
    await runCollectors(collector(), new Date(), fast);
    expect(await requests('msLogin')).toHaveLength(1);

    await fake('msLogin', 'revoke-tokens');
    await fake('msGraph', 'add', { feed, count: 1 });
    const [run] = await runCollectors(collector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 1 });
    expect(await requests('msLogin')).toHaveLength(2);
    expect((await graphRequests()).length).toBeGreaterThan(0);
  });
});

describe('Office 365 Management Activity API collector (m365_management_activity)', () => {
  const id = 'm365-audit';
  const total = 19; // the fake's blobs: Azure AD 2+2, Exchange 4+3+3, SharePoint 3+2 records
  const collector = (extra: Record<string, unknown> = {}, secret = clientSecret) =>
    withCollector(
      {
        id,
        type: 'm365_management_activity',
        tenantId,
        clientId,
        clientSecretName: 'M365_CLIENT_SECRET',
        tokenUrl: tokenUrl(),
        manageBaseUrl: origin('o365Manage'),
        lookbackMinutes: 120,
        windowMinutes: 240,
        blobsPerPage: 1,
        ...extra,
      },
      { M365_CLIENT_SECRET: secret },
    );
  /** The API's times have whole seconds: a window ending in the second a run starts has nothing to list yet. */
  const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 10));
  const manageRequests = async (path: string, method = 'GET') => (await requests('o365Manage')).filter((r) => r.method === method && r.url.includes(path));

  beforeEach(async () => {
    await fake('o365Manage', 'reset');
    await fake('msLogin', 'reset');
    await fake('googleReports', 'reset');
    await clearStorage('m365');
  });

  it('stores every record once across a page boundary and a failed run in between', async () => {
    const [run1] = await runCollectors(collector({ maxPagesPerRun: 1 }), new Date(), fast);
    expect(run1).toMatchObject({ status: 'ok', pages: 1, newEvents: 2 });

    await fake('o365Manage', 'fail', { status: 500, times: 3, body: JSON.stringify({ error: { code: 'AF50000', message: 'An internal server error occurred. Retry the request.' } }) });
    const [run2] = await runCollectors(collector(), new Date(), fast);
    expect(run2).toMatchObject({ status: 'error', pages: 0, newEvents: 0 });
    expect(run2!.error).toMatch(/answered 500.*AF50000.*gave up after 3 attempts/);

    const [run3] = await runCollectors(collector(), new Date(), fast);
    expect(run3).toMatchObject({ status: 'ok', newEvents: total - 2 });
    expect(await stored('m365')).toEqual({ n: total, ids: total });
    expect(await rejected('m365')).toBe(0);
    const state = (await collectorState(id))!;
    expect([state.events_total, state.consecutive_failures, state.last_error]).toEqual([total, 0, null]);
  });

  it('starts each subscription, follows NextPageUri and reads every blob once', async () => {
    await runCollectors(collector(), new Date(), fast);
    const starts = (await manageRequests('/subscriptions/start', 'POST')).map((r) => new URL(r.url, origin('o365Manage')).searchParams.get('contentType'));
    expect([...new Set(starts)].sort()).toEqual(['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.General', 'Audit.SharePoint', 'DLP.All']);
    expect((await manageRequests('nextPage=')).length).toBeGreaterThan(0);
    const blobs = (await manageRequests('/activity/feed/audit/')).map((r) => r.url.split('?')[0]);
    expect(blobs).toHaveLength(7);
    expect(new Set(blobs).size).toBe(7);
    expect((await manageRequests('/activity/feed/audit/')).every((r) => r.url.includes(`PublisherIdentifier=${tenantId}`))).toBe(true);
  });

  it('treats a subscription that is already enabled (AF20024) as started', async () => {
    await fake('o365Manage', 'reset', { subscribed: true });
    const [run] = await runCollectors(collector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: total });
    const starts = (await manageRequests('/subscriptions/start', 'POST')).length;
    expect(starts).toBeGreaterThanOrEqual(5);
    await runCollectors(collector(), new Date(), fast);
    expect(await manageRequests('/subscriptions/start', 'POST')).toHaveLength(starts);
  });

  it('picks up a new blob once caught up, without fetching again the blobs of the overlap', async () => {
    await runCollectors(collector(), new Date(), fast);
    await nextSecond();
    const before = (await manageRequests('/activity/feed/audit/')).length;
    await fake('o365Manage', 'add', { contentType: 'Audit.SharePoint', records: 3 });
    const [run] = await runCollectors(collector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', events: 3, newEvents: 3 });
    expect((await manageRequests('/activity/feed/audit/')).length - before).toBe(1);
    expect(await stored('m365')).toEqual({ n: total + 3, ids: total + 3 });
  });

  it('starts a subscription again when the listing says there is none (AF20022)', async () => {
    await runCollectors(collector(), new Date(), fast);
    await nextSecond();
    await fake('o365Manage', 'stop', { contentType: 'Audit.Exchange' });
    await fake('o365Manage', 'add', { contentType: 'Audit.Exchange', records: 2 });
    const [run] = await runCollectors(collector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 2 });
    const starts = (await manageRequests('/subscriptions/start', 'POST')).map((r) => new URL(r.url, origin('o365Manage')).searchParams.get('contentType'));
    expect(starts.filter((t) => t === 'Audit.Exchange')).toHaveLength(2);
  });

  it('skips a blob that expired before it was read (AF20051)', async () => {
    await fake('o365Manage', 'expire', { contentType: 'Audit.Exchange' });
    const [run] = await runCollectors(collector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: total - 4 });
  });

  it('re-reads an overlapping window without storing anything twice', async () => {
    await runCollectors(collector(), new Date(), fast);
    const until = new Date(Date.now() - 110 * 60_000).toISOString();
    const types = Object.fromEntries(['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.SharePoint', 'Audit.General', 'DLP.All'].map((t) => [t, { subscribed: true, until, window: null, done: [] }]));
    await setCursor(id, 'm365', { types });
    const [run] = await runCollectors(collector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', events: total, newEvents: 0 });
    expect(await stored('m365')).toEqual({ n: total, ids: total });
  });

  it('catches up a backlog of days in listing windows the API accepts (at most 24 hours, within the last 7 days)', async () => {
    const [run] = await runCollectors(collector({ contentTypes: ['Audit.Exchange'], lookbackMinutes: 7 * 24 * 60, windowMinutes: 720, blobsPerPage: 10, maxPagesPerRun: 100 }), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 10 });
    const windows = (await manageRequests('/subscriptions/content')).map((r) => new URL(r.url, origin('o365Manage')).searchParams).filter((q) => !q.has('nextPage'));
    expect(windows.length).toBeGreaterThanOrEqual(14);
    for (const q of windows) {
      const span = Date.parse(`${q.get('endTime')}Z`) - Date.parse(`${q.get('startTime')}Z`);
      expect(span).toBeLessThanOrEqual(24 * 3600_000);
      expect(q.get('startTime')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    }
  });

  it('waits as long as a 429 says, then carries on', async () => {
    await fake('o365Manage', 'fail', { status: 429, times: 1, retryAfterSeconds: 7, body: JSON.stringify({ error: { code: 'AF429', message: 'Too many requests. Method=GetBlob, PublisherId=00000000-0000-0000-0000-000000000000' } }) });
    const waits: number[] = [];
    const [run] = await runCollectors(collector(), new Date(), { ...fast, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 60_000 }, sleep: async (ms) => void waits.push(ms) });
    expect(run).toMatchObject({ status: 'ok', newEvents: total });
    expect(waits).toEqual([7000]);
  });

  it('records a refused client secret with the identity platform message, without moving the cursor', async () => {
    const [run] = await runCollectors(collector({}, 'not-the-secret'), new Date(), fast);
    expect(run!.status).toBe('error');
    expect(run!.error).toContain('AADSTS7000215: Invalid client secret provided');
    expect(await stored('m365')).toEqual({ n: 0, ids: 0 });
    expect((await collectorState(id))!.cursor).toBeNull();
    expect(await requests('o365Manage')).toEqual([]);
  });

  it('asks for a token for the Management API, not for Graph', async () => {
    await fake('msLogin', 'revoke-tokens');
    await runCollectors(collector(), new Date(), fast);
    const login = await requests('msLogin');
    expect(login.map((r) => new URLSearchParams(r.body).get('scope'))).toEqual(['https://manage.office.com/.default']);
  });

  it('names a missing secret', async () => {
    const [run] = await runCollectors(collector({}, ''), new Date(), fast);
    expect(run!.error).toContain('wrangler secret put M365_CLIENT_SECRET');
  });

  it.each(['content-origin', 'next-page-origin'])('never sends the access token to another host (%s)', async (action) => {
    await fake('o365Manage', action, { origin: origin('googleReports') });
    const [run] = await runCollectors(collector({ contentTypes: ['Audit.Exchange'] }), new Date(), fast);
    expect(run!.error).toMatch(/outside .*refusing to send the access token/);
    expect(await requests('googleReports')).toEqual([]);
    expect(await stored('m365')).toEqual({ n: 0, ids: 0 });
  });

  it('fails, without moving the cursor, on a listing that is not a list of blobs', async () => {
    await fake('o365Manage', 'reset', { subscribed: true });
    const cursor = { types: { 'Audit.Exchange': { subscribed: true, until: new Date(Date.now() - 3600_000).toISOString(), window: null, done: [] } } };
    await setCursor(id, 'm365', cursor);
    await fake('o365Manage', 'fail', { status: 200, times: 1, body: '{"value": []}' });
    const [run] = await runCollectors(collector({ contentTypes: ['Audit.Exchange'] }), new Date(), fast);
    expect(run!.error).toContain('did not answer a list of content blobs');
    expect(JSON.parse((await collectorState(id))!.cursor!)).toEqual(cursor);
  });
});

describe('Google Workspace Reports API collector (google_workspace_reports)', () => {
  const id = 'workspace';
  const total = 32; // 8 activities for each of login, admin, drive, token
  interface KeyFiles {
    keyFile: Record<string, unknown>;
    rogueKeyFile: Record<string, unknown>;
  }
  let keys: KeyFiles;
  const collector = (extra: Record<string, unknown> = {}, secret: string = JSON.stringify(keys.keyFile)) =>
    withCollector(
      {
        id,
        type: 'google_workspace_reports',
        serviceAccountKeySecret: 'GOOGLE_SERVICE_ACCOUNT_KEY',
        delegatedAdmin: 'admin@acme.test',
        tokenUrl: `${origin('googleOAuth')}/token`,
        reportsBaseUrl: origin('googleReports'),
        lookbackMinutes: 180,
        maxResults: 5,
        ...extra,
      },
      { GOOGLE_SERVICE_ACCOUNT_KEY: secret },
    );

  beforeEach(async () => {
    keys = await fake<KeyFiles>('googleOAuth', 'service-account');
    await fake('googleReports', 'reset', { perApplication: 8 });
    await fake('googleOAuth', 'reset');
    await fake('msLogin', 'reset');
    await clearStorage('google_workspace');
  });

  it('stores every activity once across a page boundary and a failed run in between', async () => {
    const [run1] = await runCollectors(collector({ maxPagesPerRun: 1 }), new Date(), fast);
    expect(run1).toMatchObject({ status: 'ok', pages: 1, newEvents: 5 });

    await fake('googleReports', 'fail', { status: 500, times: 3, body: JSON.stringify({ error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } }) });
    const [run2] = await runCollectors(collector(), new Date(), fast);
    expect(run2).toMatchObject({ status: 'error', pages: 0, newEvents: 0 });
    expect(run2!.error).toMatch(/answered 500.*gave up after 3 attempts/);

    const [run3] = await runCollectors(collector(), new Date(), fast);
    expect(run3).toMatchObject({ status: 'ok', newEvents: total - 5 });
    expect(await stored('google_workspace')).toEqual({ n: total, ids: total });
    expect(await rejected('google_workspace')).toBe(0);
    const apps = (await env.DB.prepare("SELECT DISTINCT service FROM events WHERE source = 'google_workspace'").all<{ service: string }>()).results.length;
    expect(apps).toBeGreaterThan(1);
  });

  it('reads each configured application with the same window on every page of a sweep', async () => {
    await runCollectors(collector(), new Date(), fast);
    const urls = [...new Set((await requests('googleReports')).map((r) => r.url))].map((u) => new URL(u, origin('googleReports')));
    expect([...new Set(urls.map((u) => u.pathname.split('/').pop()))]).toEqual(['login', 'admin', 'drive', 'token']);
    const login = urls.filter((u) => u.pathname.endsWith('/login'));
    expect(login).toHaveLength(2);
    expect(login[1]!.searchParams.get('pageToken')).toBeTruthy();
    expect(login[1]!.searchParams.get('startTime')).toBe(login[0]!.searchParams.get('startTime'));
    expect(login[1]!.searchParams.get('endTime')).toBe(login[0]!.searchParams.get('endTime'));
  });

  it('picks up new activities once caught up', async () => {
    await runCollectors(collector(), new Date(), fast);
    await fake('googleReports', 'add', { application: 'login', count: 3 });
    const [run] = await runCollectors(collector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 3 });
    expect(await stored('google_workspace')).toEqual({ n: total + 3, ids: total + 3 });
  });

  it('re-reads an overlapping window without storing anything twice', async () => {
    await runCollectors(collector(), new Date(), fast);
    const since = new Date(Date.now() - 3 * 3600_000).toISOString();
    const applications = Object.fromEntries(['login', 'admin', 'drive', 'token'].map((a) => [a, { since, until: null, pageToken: null, newest: null, sweptUntil: null }]));
    await setCursor(id, 'google_workspace', { applications });
    const [run] = await runCollectors(collector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', events: total, newEvents: 0 });
    expect(await stored('google_workspace')).toEqual({ n: total, ids: total });
  });

  it('starts an application sweep again when the API refuses a saved page token', async () => {
    const since = new Date(Date.now() - 3 * 3600_000).toISOString();
    const fresh = { since, until: null, pageToken: null, newest: null, sweptUntil: null };
    await setCursor(id, 'google_workspace', {
      applications: { login: { ...fresh, until: new Date().toISOString(), pageToken: 'expired' }, admin: fresh, drive: fresh, token: fresh },
    });
    const [run] = await runCollectors(collector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: total });
    const login = (await requests('googleReports')).map((r) => new URL(r.url, origin('googleReports'))).filter((u) => u.pathname.endsWith('/login'));
    expect(login[0]!.searchParams.get('pageToken')).toBe('expired');
    expect(login[1]!.searchParams.get('pageToken')).toBeNull();
  });

  it('waits as long as a 429 says, then carries on', async () => {
    await fake('googleReports', 'fail', { status: 429, times: 1, retryAfterSeconds: 7, body: JSON.stringify({ error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' } }) });
    const waits: number[] = [];
    const [run] = await runCollectors(collector(), new Date(), { ...fast, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 60_000 }, sleep: async (ms) => void waits.push(ms) });
    expect(run).toMatchObject({ status: 'ok', newEvents: total });
    expect(waits).toEqual([7000]);
  });

  it('signs the assertion as Google requires: RS256 by the key id, iss, sub, scope, aud, one hour at most', async () => {
    await fake('googleOAuth', 'revoke-tokens');
    await runCollectors(collector(), new Date(), fast);
    const [exchange] = await requests('googleOAuth');
    const form = new URLSearchParams(exchange!.body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [header, payload] = form.get('assertion')!.split('.').slice(0, 2).map((part) => JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>);
    expect(header).toMatchObject({ alg: 'RS256', kid: keys.keyFile.private_key_id });
    expect(payload).toMatchObject({
      iss: keys.keyFile.client_email,
      sub: 'admin@acme.test',
      scope: 'https://www.googleapis.com/auth/admin.reports.audit.readonly',
      aud: `${origin('googleOAuth')}/token`,
    });
    expect(Number(payload!.exp) - Number(payload!.iat)).toBeLessThanOrEqual(3600);
  });

  it('records a key Google does not know with its message, without moving the cursor', async () => {
    const [run] = await runCollectors(collector({}, JSON.stringify(keys.rogueKeyFile)), new Date(), fast);
    expect(run!.status).toBe('error');
    expect(run!.error).toContain('Invalid JWT Signature.');
    expect(await stored('google_workspace')).toEqual({ n: 0, ids: 0 });
    expect((await collectorState(id))!.cursor).toBeNull();
    expect(await requests('googleReports')).toEqual([]);
  });

  it('records a delegated user who is not an admin with the API message', async () => {
    const [run] = await runCollectors(collector({ delegatedAdmin: 'user@acme.test' }), new Date(), fast);
    expect(run!.error).toContain('Not Authorized to access this resource/api');
    expect((await collectorState(id))!.cursor).toBeNull();
  });

  it('accepts the bare PEM private key with the account email in the configuration', async () => {
    const [run] = await runCollectors(collector({ clientEmail: keys.keyFile.client_email }, String(keys.keyFile.private_key).replace(/\n/g, '\\n')), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: total });
  });

  it('names the customer when configured, and reports a customer the admin does not manage', async () => {
    const [run] = await runCollectors(collector({ customerId: 'C01acme00' }), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: total });
    expect((await requests('googleReports')).every((r) => r.url.includes('customerId=C01acme00'))).toBe(true);
    await clearStorage('google_workspace');
    const [other] = await runCollectors(collector({ customerId: 'C09other0' }), new Date(), fast);
    expect(other!.error).toContain('Not Authorized to access this resource/api');
  });

  it('names a missing secret', async () => {
    const [missing] = await runCollectors(collector({}, ''), new Date(), fast);
    expect(missing!.error).toContain('wrangler secret put GOOGLE_SERVICE_ACCOUNT_KEY');
  });

  it.each([
    ['not a key', 'neither a JSON key file nor a PKCS#8 PEM private key'],
    ['{"client_email": ', 'not valid JSON'],
    ['{"type": "service_account"}', 'has no client_email or private_key'],
    ['-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----', 'set clientEmail'],
  ])('names a secret it cannot use: %s', async (secret, message) => {
    const [run] = await runCollectors(collector({}, secret), new Date(), fast);
    expect(run!.error).toContain(message);
    expect(await requests('googleOAuth')).toEqual([]);
  });

  it('names a private key that cannot sign', async () => {
    const [run] = await runCollectors(collector({ clientEmail: 'x@acme-prod.iam.gserviceaccount.com' }, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'), new Date(), fast);
    expect(run!.error).toContain('cannot sign');
    expect(await requests('googleOAuth')).toEqual([]);
  });

  it('fails, without moving the cursor, on answers that are not what the API and the token endpoint send', async () => {
    await fake('googleReports', 'fail', { status: 200, times: 1, body: '"not an activities list"' });
    const [page] = await runCollectors(collector(), new Date(), fast);
    expect(page!.error).toContain('did not answer an activities list');

    await fake('googleOAuth', 'revoke-tokens');
    await fake('googleOAuth', 'fail', { status: 200, times: 1, body: '{"token_type": "Bearer"}' });
    const [token] = await runCollectors(collector(), new Date(), fast);
    expect(token!.error).toContain('token endpoint answered without an access_token');
    expect((await collectorState(id))!.cursor).toBeNull();
  });

  it("sends the assertion only to the configured token URL, not to the key file's token_uri, and the token only to the Reports API", async () => {
    await fake('googleOAuth', 'revoke-tokens');
    const keyFile = { ...keys.keyFile, token_uri: `${origin('msLogin')}/token` };
    const [run] = await runCollectors(collector({}, JSON.stringify(keyFile)), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: total });
    expect(await requests('msLogin')).toEqual([]);
    const oauth = await requests('googleOAuth');
    expect(oauth.length).toBeGreaterThan(0);
    expect(oauth.every((r) => r.url === '/token' && r.headers.authorization === undefined)).toBe(true);
    const reports = await requests('googleReports');
    expect(reports.every((r) => /^Bearer ya29\./.test(r.headers.authorization ?? '') && !r.url.includes('assertion'))).toBe(true);
  });

  it('reuses its access token across runs and gets a new one when the API stops accepting it', async () => {
    await fake('googleOAuth', 'revoke-tokens');
    await runCollectors(collector(), new Date(), fast);
    await runCollectors(collector(), new Date(), fast);
    expect(await requests('googleOAuth')).toHaveLength(1);
    await fake('googleOAuth', 'revoke-tokens');
    await fake('googleReports', 'add', { application: 'admin', count: 1 });
    const [run] = await runCollectors(collector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 1 });
    expect(await requests('googleOAuth')).toHaveLength(2);
  });
});
