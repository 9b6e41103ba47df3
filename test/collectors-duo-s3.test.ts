/**
 * The Duo Admin API log collectors and the S3 bucket collector against their loopback fakes (test/fakes/duo.ts,
 * test/fakes/s3.ts: Duo's v5 request signatures and S3's SigV4 verified for real), through the real runner,
 * ingest path, D1 and R2: pages across boundaries, failures between runs, overlaps, rate limits, bad
 * credentials and hostile vendor data must leave every vendor event stored exactly once, and the credentials
 * on the configured host only.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { parseCollectorsSetting } from '../core/collect/collector';
import { collectorDefinitions } from '../adapters/collectors';
import { objectUrl } from '../adapters/s3/collect-s3-api';
import { runCollectors } from '../workers/collect/run-collectors';

const fast = { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, sleep: async () => {}, force: true };
const ports = inject('fakePorts') as { duo: number; s3: number };

async function fake<T = unknown>(port: number, action: string, body?: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}/__fake/${action}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json() as Promise<T>;
}

type FakeRequest = { method: string; url: string; headers: Record<string, string> };
const requests = (port: number) => fake<FakeRequest[]>(port, 'requests');

async function stored(source: string) {
  return (await env.DB.prepare('SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM events WHERE source = ?1').bind(source).first<{ n: number; ids: number }>())!;
}

async function collectorState(id: string) {
  return env.DB.prepare('SELECT cursor, last_error, consecutive_failures, events_total FROM collector_state WHERE collector_id = ?1')
    .bind(id)
    .first<{ cursor: string | null; last_error: string | null; consecutive_failures: number; events_total: number }>();
}

async function clearStorage() {
  await env.DB.batch([
    env.DB.prepare("DELETE FROM events WHERE source IN ('duo', 'cloudtrail', 'vpc_flow')"),
    env.DB.prepare('DELETE FROM collector_state'),
    env.DB.prepare('DELETE FROM ingest_batches'),
  ]);
}

const minutes = (n: number, from = Date.now()) => new Date(from + n * 60_000);

// ------------------------------------------------------------------------------------------------- Duo

const duoIkey = 'DIWJ8X6AEYOR5OMC6TQ1';
const duoSkey = 'Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zLJ4Ep';
const duoFail = (code: number, message: string) => JSON.stringify({ code, message, stat: 'FAIL' });

describe.each([
  { type: 'duo_authentication', log: 'authentication', path: '/admin/v2/logs/authentication' },
  { type: 'duo_telephony', log: 'telephony', path: '/admin/v2/logs/telephony' },
  { type: 'duo_activity', log: 'activity', path: '/admin/v2/logs/activity' },
  { type: 'duo_administrator', log: 'administrator', path: '/admin/v1/logs/administrator' },
] as const)('Duo collector $type', ({ type, log, path }) => {
  const port = ports.duo;
  /** The Worker's env with one Duo collector (25 events served, pages of 10) and its secret key set. */
  const withCollector = (extra: Record<string, unknown> = {}, secretKey = duoSkey) =>
    ({
      ...env,
      COLLECTORS: JSON.stringify([
        { id: 'duo', type, apiHost: `http://127.0.0.1:${port}`, integrationKey: duoIkey, secretKeyName: 'DUO_SECRET_KEY', lookbackMinutes: 180, limit: 10, ...extra },
      ]),
      DUO_SECRET_KEY: secretKey,
    }) as Cloudflare.Env;

  beforeEach(async () => {
    await fake(port, 'reset', { count: 25, pageSize: 10 });
    await fake(ports.s3, 'reset');
    await clearStorage();
  });

  it('stores every event once across a page boundary and a failed run in between', async () => {
    const [run1] = await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
    expect(run1).toMatchObject({ status: 'ok', pages: 1, newEvents: 10 });

    await fake(port, 'fail', { status: 500, times: 3, body: duoFail(50001, 'Unknown internal server error') });
    const [run2] = await runCollectors(withCollector(), new Date(), fast);
    expect(run2).toMatchObject({ status: 'error', pages: 0, newEvents: 0 });
    expect(run2!.error).toMatch(/answered 500: 50001 Unknown internal server error \(gave up after 3 attempts\)/);
    expect((await collectorState('duo'))!.consecutive_failures).toBe(1);

    const [run3] = await runCollectors(withCollector(), new Date(), fast);
    expect(run3).toMatchObject({ status: 'ok', newEvents: 15 });
    expect(await stored('duo')).toEqual({ n: 25, ids: 25 });
    const state = (await collectorState('duo'))!;
    expect([state.events_total, state.consecutive_failures, state.last_error]).toEqual([25, 0, null]);
  });

  it('picks up the events logged after it caught up', async () => {
    const t0 = Date.now();
    await runCollectors(withCollector(), new Date(t0), fast);
    // Ten minutes later, three events have been logged five minutes ago.
    await fake(port, 'clock', { offsetSeconds: 600 });
    await fake(port, 'add', { log, count: 3, agoSeconds: 300 });
    const [run] = await runCollectors(withCollector(), minutes(10, t0), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 3 });
    expect(await stored('duo')).toEqual({ n: 28, ids: 28 });
  });

  it('re-reads an overlapping window without storing anything twice', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    // As if the cursor were lost: the next run starts again from the lookback, over everything already stored.
    await env.DB.prepare('UPDATE collector_state SET cursor = NULL').run();
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run!.status).toBe('ok');
    expect(run!.events).toBeGreaterThanOrEqual(25);
    expect(run!.newEvents).toBe(0);
    expect(await stored('duo')).toEqual({ n: 25, ids: 25 });
  });

  it('waits as long as a 429 Retry-After says, then carries on', async () => {
    await fake(port, 'fail', { status: 429, times: 1, retryAfterSeconds: 7, body: duoFail(42901, 'Too Many Requests') });
    const waits: number[] = [];
    const [run] = await runCollectors(withCollector(), new Date(), { ...fast, retry: { attempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 }, sleep: async (ms) => void waits.push(ms) });
    expect(run).toMatchObject({ status: 'ok', newEvents: 25 });
    expect(waits).toEqual([7000]);
  });

  it("backs off exponentially on Duo's 42901 Too Many Requests, which names no delay", async () => {
    await fake(port, 'rate-limit', { times: 2 });
    const waits: number[] = [];
    const [run] = await runCollectors(withCollector(), new Date(), { ...fast, retry: { attempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 }, sleep: async (ms) => void waits.push(ms) });
    expect(run).toMatchObject({ status: 'ok', newEvents: 25 });
    expect(waits).toEqual([1000, 2000]);
  });

  it.each([
    ['a wrong secret key', {}, 'wrong-secret-key', /answered 401: 40103 Invalid signature in request credentials$/],
    ['an unknown integration key', { integrationKey: 'DIXXXXXXXXXXXXXXXXXX' }, duoSkey, /answered 401: 40102 Invalid integration key in request credentials$/],
  ])('records %s as an error with Duo\'s message, without moving the cursor', async (_name, extra, secret, message) => {
    const [run] = await runCollectors(withCollector(extra, secret), new Date(), fast);
    expect(run!.status).toBe('error');
    expect(run!.error).toMatch(message);
    expect(await stored('duo')).toEqual({ n: 0, ids: 0 });
    expect((await collectorState('duo'))!.cursor).toBeNull();
  });

  it('signs for and sends to the configured API host only', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    const sent = await requests(port);
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent) {
      expect(r.headers.host).toBe(`127.0.0.1:${port}`);
      expect(new URL(r.url, 'http://x').pathname).toBe(path);
      expect(r.headers['x-duo-date']).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} -0000$/);
    }
    expect(await requests(ports.s3)).toEqual([]);
  });

  it.each([`http://evil.example@127.0.0.1:${ports.duo}`, `http://127.0.0.1:${ports.duo}/admin`, `http://127.0.0.1:${ports.duo}/?next=https://evil.example`])(
    'refuses an apiHost that is more than a host (%s)',
    async (apiHost) => {
      expect(await runCollectors(withCollector({ apiHost }), new Date(), fast)).toEqual([]);
      const setting = parseCollectorsSetting(JSON.stringify([{ id: 'duo', type, apiHost, integrationKey: duoIkey }]), collectorDefinitions);
      expect(setting).toMatchObject({ ok: false, message: expect.stringContaining('apiHost') });
      expect(await requests(port)).toEqual([]);
    },
  );
});

describe.each([
  { type: 'duo_authentication', path: '/admin/v2/logs/authentication' },
  { type: 'duo_telephony', path: '/admin/v2/logs/telephony' },
  { type: 'duo_activity', path: '/admin/v2/logs/activity' },
] as const)('Duo v2 log collector $type', ({ type, path }) => {
  const port = ports.duo;
  const withCollector = (extra: Record<string, unknown> = {}) =>
    ({
      ...env,
      COLLECTORS: JSON.stringify([{ id: 'duo', type, apiHost: `http://127.0.0.1:${port}`, integrationKey: duoIkey, lookbackMinutes: 180, limit: 10, ...extra }]),
      DUO_SECRET_KEY: duoSkey,
    }) as Cloudflare.Env;

  beforeEach(async () => {
    await fake(port, 'reset', { count: 25 });
    await fake(ports.s3, 'reset');
    await clearStorage();
  });

  it('leaves the newest two minutes, which Duo does not serve yet, to a later run', async () => {
    // No overlap, so that only the window's end (now − 2 min) can save the events logged meanwhile.
    const sharp = withCollector({ overlapSeconds: 0 });
    const t0 = Date.now();
    await runCollectors(sharp, new Date(t0), fast);
    const log = type.replace('duo_', '');
    await fake(port, 'add', { log, count: 2, agoSeconds: 30 });
    const [now] = await runCollectors(sharp, new Date(t0), fast);
    expect(now).toMatchObject({ status: 'ok', newEvents: 0 });

    await fake(port, 'clock', { offsetSeconds: 300 });
    const [later] = await runCollectors(sharp, minutes(5, t0), fast);
    expect(later).toMatchObject({ status: 'ok', newEvents: 2 });
    expect(await stored('duo')).toEqual({ n: 27, ids: 27 });
  });

  it('asks with maxtime two minutes back, strictly after mintime, in ascending order', async () => {
    const t0 = Date.now();
    await runCollectors(withCollector({ overlapSeconds: 0 }), new Date(t0), fast);
    const [first] = await requests(port);
    const q = new URL(first!.url, 'http://x').searchParams;
    expect(Number(q.get('maxtime'))).toBe(t0 - 120_000);
    expect(Number(q.get('mintime'))).toBe(t0 - 180 * 60_000);
    expect([q.get('sort'), q.get('limit')]).toEqual(['ts:asc', '10']);
    // A run within the overlap of the last window's end has nothing to ask yet: maxtime must exceed mintime.
    await fake(port, 'reset', { count: 25 });
    const [again] = await runCollectors(withCollector({ overlapSeconds: 0 }), new Date(t0), fast);
    expect(again).toMatchObject({ status: 'ok', pages: 1, events: 0 });
    expect(await requests(port)).toEqual([]);
  });

  it('keeps a hostile next_offset a signed query parameter on the configured host', async () => {
    const hostile = `1700000000000,x&host=evil.example/#@127.0.0.1:${ports.s3}/ü+%2F`;
    await fake(port, 'next-offset', { value: hostile });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    // Duo checked the signature over the odd value (no 40103) and refused the offset as a parameter.
    expect(run).toMatchObject({ status: 'partial', pages: 1, newEvents: 10 });
    expect(run!.error).toMatch(/answered 400: 40002 Invalid request parameters \(next_offset\)$/);
    const sent = await requests(port);
    const last = new URL(sent[sent.length - 1]!.url, 'http://x');
    expect(last.pathname).toBe(path);
    expect(last.searchParams.get('next_offset')).toBe(hostile);
    expect(sent.every((r) => r.headers.host === `127.0.0.1:${port}`)).toBe(true);
    expect(await requests(ports.s3)).toEqual([]);
  });
});

describe('Duo administrator log collector', () => {
  const port = ports.duo;
  const withCollector = () =>
    ({
      ...env,
      COLLECTORS: JSON.stringify([{ id: 'duo', type: 'duo_administrator', apiHost: `http://127.0.0.1:${port}`, integrationKey: duoIkey, lookbackMinutes: 180 }]),
      DUO_SECRET_KEY: duoSkey,
    }) as Cloudflare.Env;

  beforeEach(async () => {
    await clearStorage();
  });

  it('asks again from the last second it saw, where a page may have cut (timestamp >= mintime)', async () => {
    // Events 10 and 11 are logged in the same second; the first page (10 events) ends between them.
    await fake(port, 'reset', { count: 25, pageSize: 10, pairAt: 10 });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 25 });
    expect(await stored('duo')).toEqual({ n: 25, ids: 25 });
    const mintimes = (await requests(port)).map((r) => Number(new URL(r.url, 'http://x').searchParams.get('mintime')));
    // Each page asked from a later second than the one before: the same second was re-read, never re-asked.
    expect(mintimes).toEqual([...mintimes].sort((a, b) => a - b));
    expect(new Set(mintimes).size).toBe(mintimes.length);
  });
});

describe('Duo collectors: configuration', () => {
  it('names a missing secret key', async () => {
    const [run] = await runCollectors(
      {
        ...env,
        COLLECTORS: JSON.stringify([{ id: 'duo', type: 'duo_authentication', apiHost: `http://127.0.0.1:${ports.duo}`, integrationKey: duoIkey }]),
      } as Cloudflare.Env,
      new Date(),
      fast,
    );
    expect(run!.error).toContain('wrangler secret put DUO_SECRET_KEY');
  });
});

// ------------------------------------------------------------------------------------------------- S3

const s3 = {
  bucket: 'acme-audit-logs',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  tempAccessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  tempSecretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQ',
  trailPrefix: 'AWSLogs/123456789012/CloudTrail/us-east-1/',
  flowPrefix: 'AWSLogs/123456789012/vpcflowlogs/us-east-1/',
};
/** The eight CloudTrail files of the fake and their record counts, in key order. */
const trailFileSizes = [7, 5, 9, 6, 8, 4, 10, 6];
const trailRecords = 55;
const s3Error = (code: string, message: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>R</RequestId></Error>`;

describe('S3 bucket collector (s3_bucket, CloudTrail)', () => {
  const port = ports.s3;
  const withCollector = (extra: Record<string, unknown> = {}, secrets: Record<string, string> = {}) =>
    ({
      ...env,
      COLLECTORS: JSON.stringify([
        {
          id: 'trail',
          type: 's3_bucket',
          bucket: s3.bucket,
          prefix: s3.trailPrefix,
          region: 'us-east-1',
          endpoint: `http://127.0.0.1:${port}`,
          pathStyle: true,
          maxKeys: 3,
          ...extra,
        },
      ]),
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      ...secrets,
    }) as Cloudflare.Env;
  const gets = async () => (await requests(port)).filter((r) => !r.url.includes('list-type=2')).map((r) => r.url);

  beforeEach(async () => {
    await fake(port, 'reset');
    await fake(ports.duo, 'reset', { count: 25 });
    await clearStorage();
  });

  it('stores every record once across object and listing-page boundaries and a failed run in between', async () => {
    const [run1] = await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
    // The log file's records, not the file, are the page's records.
    expect(run1).toMatchObject({ status: 'ok', pages: 1, events: trailFileSizes[0], newEvents: trailFileSizes[0] });
    const [firstObject] = await gets();

    await fake(port, 'fail', { status: 500, times: 3, body: s3Error('InternalError', 'We encountered an internal error. Please try again.') });
    const [run2] = await runCollectors(withCollector(), new Date(), fast);
    expect(run2).toMatchObject({ status: 'error', pages: 0, newEvents: 0 });
    expect(run2!.error).toMatch(/answered 500 InternalError: We encountered an internal error\. Please try again\. \(gave up after 3 attempts\)/);

    const [run3] = await runCollectors(withCollector(), new Date(), fast);
    expect(run3).toMatchObject({ status: 'ok', newEvents: trailRecords - trailFileSizes[0]! });
    expect(await stored('cloudtrail')).toEqual({ n: trailRecords, ids: trailRecords });
    const all = await requests(port);
    // The object landed before the failure was never read again; the listing went on by continuation token.
    expect(all.filter((r) => r.url === firstObject)).toHaveLength(1);
    expect(all.some((r) => r.url.includes('continuation-token='))).toBe(true);
    // The digest files beside the trail's prefix were never listed or read.
    expect(all.some((r) => r.url.includes('CloudTrail-Digest'))).toBe(false);
    const state = (await collectorState('trail'))!;
    expect([state.events_total, state.consecutive_failures, state.last_error]).toEqual([trailRecords, 0, null]);
  });

  it('picks up the log files delivered after it caught up', async () => {
    const t0 = Date.now();
    await runCollectors(withCollector(), new Date(t0), fast);
    await fake(port, 'clock', { offsetSeconds: 600 });
    await fake(port, 'add', { count: 2, agoSeconds: 300 });
    const [run] = await runCollectors(withCollector(), minutes(10, t0), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: 6 });
    expect(await stored('cloudtrail')).toEqual({ n: trailRecords + 6, ids: trailRecords + 6 });
  });

  it('re-reads the whole prefix without storing anything twice', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    await env.DB.prepare('UPDATE collector_state SET cursor = NULL').run();
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', events: trailRecords, newEvents: 0 });
    expect(await stored('cloudtrail')).toEqual({ n: trailRecords, ids: trailRecords });
  });

  it('waits as long as a 429 Retry-After says (S3-compatible stores), then carries on', async () => {
    await fake(port, 'fail', { status: 429, times: 1, retryAfterSeconds: 7, body: s3Error('SlowDown', 'Please reduce your request rate.') });
    const waits: number[] = [];
    const [run] = await runCollectors(withCollector(), new Date(), { ...fast, retry: { attempts: 3, baseDelayMs: 1000, maxDelayMs: 60_000 }, sleep: async (ms) => void waits.push(ms) });
    expect(run).toMatchObject({ status: 'ok', newEvents: trailRecords });
    expect(waits).toEqual([7000]);
  });

  it("backs off exponentially on S3's 503 SlowDown, which names no delay", async () => {
    await fake(port, 'slowdown', { times: 2 });
    const waits: number[] = [];
    const [run] = await runCollectors(withCollector(), new Date(), { ...fast, retry: { attempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 }, sleep: async (ms) => void waits.push(ms) });
    expect(run).toMatchObject({ status: 'ok', newEvents: trailRecords });
    expect(waits).toEqual([1000, 2000]);
  });

  it.each([
    ['a wrong secret access key', {}, { S3_SECRET_ACCESS_KEY: 'not-the-secret' }, /answered 403 SignatureDoesNotMatch: The request signature we calculated does not match/],
    ['an unknown access key id', {}, { S3_ACCESS_KEY_ID: 'AKIAEXAMPLEUNKNOWN00' }, /answered 403 InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records\./],
    ['the wrong region', { region: 'eu-west-1' }, {}, /answered 400 AuthorizationHeaderMalformed: .*the region 'eu-west-1' is wrong; expecting 'us-east-1'/],
    [
      'temporary credentials without their session token',
      {},
      { S3_ACCESS_KEY_ID: s3.tempAccessKeyId, S3_SECRET_ACCESS_KEY: s3.tempSecretAccessKey },
      /answered 403 InvalidToken: The provided token is malformed or otherwise invalid\./,
    ],
  ])('records %s as an error with S3\'s code, without moving the cursor', async (_name, extra, secrets, message) => {
    const [run] = await runCollectors(withCollector(extra, secrets), new Date(), fast);
    expect(run!.status).toBe('error');
    expect(run!.error).toMatch(message);
    expect(await stored('cloudtrail')).toEqual({ n: 0, ids: 0 });
    expect((await collectorState('trail'))!.cursor).toBeNull();
  });

  it('signs with temporary credentials and their session token', async () => {
    const [run] = await runCollectors(
      withCollector({ sessionTokenName: 'S3_SESSION_TOKEN' }, { S3_ACCESS_KEY_ID: s3.tempAccessKeyId, S3_SECRET_ACCESS_KEY: s3.tempSecretAccessKey, S3_SESSION_TOKEN: s3.sessionToken }),
      new Date(),
      fast,
    );
    expect(run).toMatchObject({ status: 'ok', newEvents: trailRecords });
  });

  it('names a missing secret', async () => {
    const [run] = await runCollectors(withCollector({}, { S3_SECRET_ACCESS_KEY: '' }), new Date(), fast);
    expect(run!.error).toContain('wrangler secret put S3_SECRET_ACCESS_KEY');
  });

  it('keeps every request on the endpoint and inside the bucket, whatever the keys', async () => {
    await runCollectors(withCollector(), new Date(), fast);
    const record = (id: string) => JSON.stringify({ Records: [{ eventVersion: '1.08', eventID: id, eventTime: new Date().toISOString(), eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: 'us-east-1' }] });
    const keys = {
      slashes: `${s3.trailPrefix}zz//127.0.0.1:${ports.duo}/admin/v1/logs/administrator.json`,
      userinfo: `${s3.trailPrefix}zz@127.0.0.1:${ports.duo}?x=1#frag.json`,
      encoded: `${s3.trailPrefix}zz%2e%2e%2fother-bucket%2fsecret ü+.json`,
      dots: `${s3.trailPrefix}zz/../../../../other-bucket/secret.json`,
    };
    for (const [name, key] of Object.entries(keys)) await fake(port, 'put', { key, text: record(`hostile-${name}`), gzip: true });
    const before = (await requests(port)).length;
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    // Three objects read under their own names; the one whose key would resolve outside the bucket is passed over.
    expect(run).toMatchObject({ status: 'ok', newEvents: 3 });
    const ids = await env.DB.prepare("SELECT event_id FROM events WHERE event_id LIKE 'hostile-%' ORDER BY event_id").all<{ event_id: string }>();
    expect(ids.results.map((r) => r.event_id)).toEqual(['hostile-encoded', 'hostile-slashes', 'hostile-userinfo']);
    const sent = (await requests(port)).slice(before);
    expect(sent.length).toBeGreaterThan(3);
    for (const r of sent) {
      expect(r.headers.host).toBe(`127.0.0.1:${port}`);
      expect(r.url.startsWith(`/${s3.bucket}/`)).toBe(true);
    }
    expect(sent.some((r) => decodeURIComponent(r.url).includes('other-bucket/secret.json'))).toBe(false);
    expect(await requests(ports.duo)).toEqual([]);
  });

  it('builds virtual-hosted URLs for AWS and path-style ones for R2 and the like', () => {
    const aws = { endpoint: 'https://s3.eu-west-1.amazonaws.com', bucket: 'acme-logs', region: 'eu-west-1', pathStyle: false };
    expect(objectUrl(aws, 'AWSLogs/1/a b+c.json.gz')).toBe('https://acme-logs.s3.eu-west-1.amazonaws.com/AWSLogs/1/a%20b%2Bc.json.gz');
    expect(objectUrl({ ...aws, endpoint: 'https://0123.r2.cloudflarestorage.com', region: 'auto', pathStyle: true }, 'x/y')).toBe('https://0123.r2.cloudflarestorage.com/acme-logs/x/y');
    expect(objectUrl(aws, 'a/../b')).toBeNull();
  });

  it('leaves files written in the last settleSeconds, and every key after them, to a later run', async () => {
    const t0 = Date.now();
    await runCollectors(withCollector(), new Date(t0), fast);
    // A file named for now and written now, and one named a minute later but written ten minutes ago: a
    // collector that read the second first would skip the first for good.
    await fake(port, 'add', { count: 1, agoSeconds: 0 });
    await fake(port, 'add', { count: 1, agoSeconds: -60, writtenAgoSeconds: 600 });
    const [now] = await runCollectors(withCollector(), new Date(t0), fast);
    expect(now).toMatchObject({ status: 'ok', newEvents: 0 });
    const [later] = await runCollectors(withCollector(), minutes(5, t0), fast);
    expect(later).toMatchObject({ status: 'ok', newEvents: 6 });
  });

  it('passes over an object deleted between its listing and its reading', async () => {
    await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
    const queued = JSON.parse((await collectorState('trail'))!.cursor!) as { queue: string[] };
    await fake(port, 'delete', { key: queued.queue[0] });
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: trailRecords - trailFileSizes[0]! - trailFileSizes[1]! });
  });

  it('lists again from the last key read when S3 refuses a saved continuation token', async () => {
    await runCollectors(withCollector({ maxPagesPerRun: 1 }), new Date(), fast);
    await env.DB.prepare("UPDATE collector_state SET cursor = json_set(cursor, '$.continuation', 'stale-token')").run();
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: trailRecords - trailFileSizes[0]! });
    expect((await requests(port)).some((r) => r.url.includes('continuation-token=stale-token'))).toBe(true);
  });

  it('reads only the keys matching keyPattern and skips folder markers', async () => {
    await fake(port, 'put', { key: `${s3.trailPrefix}zz/`, text: '' });
    await fake(port, 'put', { key: `${s3.trailPrefix}zz/ConfigWritabilityCheckFile`, text: 'not a log' });
    const [run] = await runCollectors(withCollector({ keyPattern: '\\.json\\.gz$' }), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', newEvents: trailRecords });
    expect((await gets()).some((u) => u.includes('ConfigWritabilityCheckFile') || u.endsWith('/zz/'))).toBe(false);
  });

  it('names the sources when an entry asks for an unknown one', () => {
    const setting = parseCollectorsSetting(
      JSON.stringify([{ id: 'flow', type: 's3_bucket', source: 'nosuch', bucket: s3.bucket }]),
      collectorDefinitions,
    );
    expect(setting).toMatchObject({ ok: false, message: expect.stringContaining('unknown source "nosuch"; sources: okta') });
  });
});

describe('S3 bucket collector reading VPC flow log files (source vpc_flow)', () => {
  const port = ports.s3;
  const withCollector = (extra: Record<string, unknown> = {}) =>
    ({
      ...env,
      COLLECTORS: JSON.stringify([
        { id: 'flow', type: 's3_bucket', source: 'vpc_flow', bucket: s3.bucket, prefix: s3.flowPrefix, endpoint: `http://127.0.0.1:${port}`, pathStyle: true, ...extra },
      ]),
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    }) as Cloudflare.Env;

  beforeEach(async () => {
    await fake(port, 'reset');
    await clearStorage();
  });

  it('hands the lines of gzip text objects to the vpc_flow parser', async () => {
    const [run] = await runCollectors(withCollector(), new Date(), fast);
    expect(run).toMatchObject({ status: 'ok', pages: 2, newEvents: 12 });
    expect(await stored('vpc_flow')).toEqual({ n: 12, ids: 12 });
    const rejected = await env.DB.prepare("SELECT count(*) AS n FROM events WHERE source = 'vpc_flow' AND action = 'REJECT'").first<{ n: number }>();
    expect(rejected!.n).toBe(2);
  });

  it('splits a large file into pages, repeating its header line, and resumes inside it after a failure', async () => {
    // A custom-format flow log: without its header line, a record of these 9 fields cannot be read.
    const fields = ['start', 'end', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'action', 'log-status'];
    const { key } = await fake<{ key: string }>(port, 'add-flow', { fields });
    const options = { maxRecordsPerPage: 3, keyPattern: key.split('/').pop()!.replace(/[.]/g, '\\.') };
    const only = withCollector(options);

    const [run1] = await runCollectors(withCollector({ ...options, maxPagesPerRun: 1 }), new Date(), fast);
    expect(run1).toMatchObject({ status: 'ok', pages: 1, newEvents: 2 });
    await fake(port, 'fail', { status: 500, times: 3, body: s3Error('InternalError', 'We encountered an internal error. Please try again.') });
    const [run2] = await runCollectors(only, new Date(), fast);
    expect(run2!.status).toBe('error');
    const [run3] = await runCollectors(only, new Date(), fast);
    expect(run3).toMatchObject({ status: 'ok', pages: 2, newEvents: 4 });
    expect(await stored('vpc_flow')).toEqual({ n: 6, ids: 6 });
    const batches = await env.DB.prepare('SELECT sum(rejected) AS rejected FROM ingest_batches').first<{ rejected: number }>();
    expect(batches!.rejected).toBe(0);
  });
});
