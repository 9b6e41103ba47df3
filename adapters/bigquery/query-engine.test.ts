import { exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withRetries } from '../../core/collect/transport';
import { parseAllowList } from '../../core/net/outbound-policy';
import {
  bigQueryFakeDataset,
  bigQueryFakeLocation,
  bigQueryFakeProject,
  bigQueryFakeServiceAccount,
  startBigQueryFake,
  type FakeField,
  type RunningBigQueryFake,
  type ScriptedQuery,
} from '../../test/fakes/bigquery';
import { guardedFetch } from '../http/guarded-fetch';
import { BigQueryConfigError, createBigQueryEngine, type BigQueryConfigInput } from './query-engine';

let fake: RunningBigQueryFake;
let keyFile: string;
beforeAll(async () => {
  fake = await startBigQueryFake();
  keyFile = await fake.serviceAccountKey();
});
afterAll(() => fake.close());
beforeEach(() => admin('reset'));

async function admin(action: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${fake.bigquery.origin}/__fake/${action}`, { method: action === 'requests' ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}
interface LoggedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}
const requests = () => admin('requests') as Promise<LoggedRequest[]>;
const jobs = () => admin('jobs') as Promise<{ jobId: string; requestId: string | null; cancelled: boolean; pagesServed: number }[]>;
const script = (...queries: ScriptedQuery[]) => admin('script', { queries });

const allowBoth = () => guardedFetch(parseAllowList(`127.0.0.1:${fake.bigquery.port},127.0.0.1:${fake.oauth.port}`));
function config(overrides: Partial<BigQueryConfigInput> = {}): BigQueryConfigInput {
  return {
    projectId: bigQueryFakeProject,
    dataset: bigQueryFakeDataset,
    location: bigQueryFakeLocation,
    serviceAccountKey: keyFile,
    tokenUrl: `${fake.oauth.origin}/token`,
    apiBaseUrl: fake.bigquery.origin,
    ...overrides,
  };
}
const engine = (overrides: Partial<BigQueryConfigInput> = {}, fetchImpl = allowBoth()) => createBigQueryEngine(config(overrides), fetchImpl);
const queryPath = `/bigquery/v2/projects/${bigQueryFakeProject}/queries`;

const eventSchema: FakeField[] = [
  { name: 'event_time', type: 'TIMESTAMP' },
  { name: 'user_name', type: 'STRING' },
  { name: 'bytes_out', type: 'INTEGER' },
  { name: 'score', type: 'FLOAT' },
  { name: 'success', type: 'BOOLEAN' },
  { name: 'event_date', type: 'DATE' },
  { name: 'local_time', type: 'DATETIME' },
  { name: 'amount', type: 'NUMERIC' },
  { name: 'raw', type: 'JSON' },
  { name: 'tags', type: 'STRING', mode: 'REPEATED' },
  { name: 'geo', type: 'RECORD', fields: [{ name: 'country', type: 'STRING' }, { name: 'asn', type: 'INT64' }] },
  { name: 'hops', type: 'RECORD', mode: 'REPEATED', fields: [{ name: 'ip', type: 'STRING' }, { name: 'ok', type: 'BOOL' }] },
  { name: 'note', type: 'STRING' },
];

const numbered = (n: number) => Array.from({ length: n }, (_, i) => [i + 1, `user${i + 1}`]);
const numberedSchema: FakeField[] = [{ name: 'n', type: 'INT64' }, { name: 'user_name', type: 'STRING' }];

describe('BigQuery engine run against the BigQuery fake', () => {
  it('decodes every column type from the f/v rows by schema and reports bytes and the job id', async () => {
    const sql = 'SELECT * FROM events WHERE event_time > TIMESTAMP "2026-11-20" LIMIT 1001';
    await script({
      sql,
      schema: eventSchema,
      totalBytesProcessed: 52_428_800,
      rows: [
        ['2026-11-20T12:00:00.123456Z', 'alice', '9007199254740993', 0.25, true, '2026-11-20', '2026-11-20T13:00:00', '12.50', { a: [1, 'x'] }, ['vpn', 'admin'], { country: 'RO', asn: 8708 }, [{ ip: '10.0.0.1', ok: true }], null],
        ['2026-11-20T12:00:01Z', 'bob', 42, -1.5, false, '2026-11-21', '2026-11-21T00:00:00.5', '0.1', null, [], null, [], 'x'],
      ],
    });
    const result = await engine().run(sql, { maxRows: 1000, timeoutMs: 10_000 });
    const [job] = await jobs();
    expect(result).toEqual({
      kind: 'success',
      value: {
        columns: eventSchema.map((f) => f.name),
        rows: [
          ['2026-11-20T12:00:00.123456Z', 'alice', '9007199254740993', 0.25, true, '2026-11-20', '2026-11-20T13:00:00', 12.5, { a: [1, 'x'] }, ['vpn', 'admin'], { country: 'RO', asn: 8708 }, [{ ip: '10.0.0.1', ok: true }], null],
          ['2026-11-20T12:00:01.000Z', 'bob', 42, -1.5, false, '2026-11-21', '2026-11-21T00:00:00.5', 0.1, null, [], null, [], 'x'],
        ],
        truncated: false,
        bytesScanned: 52_428_800,
        queryId: job!.jobId,
      },
    });
    const [post] = await requests();
    expect([post!.method, post!.url, post!.headers.authorization]).toEqual(['POST', queryPath, expect.stringMatching(/^Bearer ya29\.c\.fake-/)]);
    const body = JSON.parse(post!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      query: sql,
      useLegacySql: false,
      defaultDataset: { projectId: bigQueryFakeProject, datasetId: bigQueryFakeDataset },
      maxResults: 1001,
      location: bigQueryFakeLocation,
      formatOptions: { useInt64Timestamp: true },
    });
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.requestId).toBe(job!.requestId);
    expect(body.timeoutMs).toBeGreaterThan(0);
    expect(body).not.toHaveProperty('maximumBytesBilled');
  });

  it('pages with pageToken across four pages and stops at maxRows + 1 without reading another page', async () => {
    await script({ sql: 'SELECT n, user_name FROM events', schema: numberedSchema, rows: numbered(25), pageSize: 3 });
    const result = await engine().run('SELECT n, user_name FROM events', { maxRows: 10, timeoutMs: 10_000 });
    expect(result).toMatchObject({ kind: 'success', value: { truncated: true, columns: ['n', 'user_name'] } });
    if (result.kind !== 'success') throw new Error('unreachable');
    expect(result.value.rows).toEqual(numbered(10));
    const log = await requests();
    const pages = log.filter((r) => r.method === 'GET').map((r) => new URL(r.url, 'http://x').searchParams);
    // 3 rows from jobs.query, then 3 + 3 + 2: the last page asks only for the 11th row still wanted.
    expect(pages.map((p) => [p.get('maxResults'), p.has('pageToken'), p.get('location')])).toEqual([
      ['8', true, bigQueryFakeLocation],
      ['5', true, bigQueryFakeLocation],
      ['2', true, bigQueryFakeLocation],
    ]);
    expect((await jobs())[0]!.pagesServed).toBe(4);
  });

  it('reads to the end and does not mark the result truncated when it holds maxRows rows or fewer', async () => {
    await script({ sql: 'SELECT n, user_name FROM events', schema: numberedSchema, rows: numbered(10), pageSize: 4 });
    const result = await engine().run('SELECT n, user_name FROM events', { maxRows: 10, timeoutMs: 10_000 });
    expect(result).toMatchObject({ kind: 'success', value: { truncated: false, rows: numbered(10) } });
    expect((await jobs())[0]!.pagesServed).toBe(3);
  });

  it('polls getQueryResults with the job location until the job completes', async () => {
    await script({ sql: 'SELECT n, user_name FROM slow', schema: numberedSchema, rows: numbered(2), polls: 3, totalBytesProcessed: 1024 });
    const result = await engine().run('SELECT n, user_name FROM slow', { maxRows: 100, timeoutMs: 10_000 });
    expect(result).toMatchObject({ kind: 'success', value: { rows: numbered(2), bytesScanned: 1024, truncated: false } });
    const polls = (await requests()).filter((r) => r.method === 'GET');
    expect(polls).toHaveLength(4);
    const jobId = (await jobs())[0]!.jobId;
    for (const p of polls) {
      const url = new URL(p.url, 'http://x');
      expect(url.pathname).toBe(`${queryPath}/${jobId}`);
      expect(url.searchParams.get('location')).toBe(bigQueryFakeLocation);
      expect(Number(url.searchParams.get('timeoutMs'))).toBeGreaterThan(0);
    }
  });

  it('cancels the job with jobs.cancel and fails when the query outlives its budget', async () => {
    await script({ sql: 'SELECT n, user_name FROM huge', schema: numberedSchema, rows: numbered(1), polls: 1_000_000, holdMs: 40 });
    const started = Date.now();
    const result = await engine().run('SELECT n, user_name FROM huge', { maxRows: 10, timeoutMs: 400 });
    expect(Date.now() - started).toBeLessThan(3_000);
    const [job] = await jobs();
    expect(result).toEqual({ kind: 'failure', message: `the BigQuery query outlived its 400 ms budget; job ${job!.jobId} was cancelled` });
    expect(job!.cancelled).toBe(true);
    const cancels = (await requests()).filter((r) => r.url.includes('/cancel'));
    expect(cancels.map((r) => [r.method, r.url])).toEqual([['POST', `/bigquery/v2/projects/${bigQueryFakeProject}/jobs/${job!.jobId}/cancel?location=${bigQueryFakeLocation}`]]);
  });

  it('cancels the job when the caller aborts', async () => {
    await script({ sql: 'SELECT n, user_name FROM huge', schema: numberedSchema, polls: 1_000_000, holdMs: 40 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const result = await engine().run('SELECT n, user_name FROM huge', { maxRows: 10, timeoutMs: 10_000, signal: controller.signal });
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringMatching(/^the caller abandoned the BigQuery query; job job_\w+ was cancelled$/) });
    expect((await jobs())[0]!.cancelled).toBe(true);
  });

  it('fails with BigQuery\'s own message, naming line and column, for an invalidQuery', async () => {
    const sql = 'SELECT usr FROM events';
    await script({ sql, schema: [], error: { status: 400, reason: 'invalidQuery', message: 'Unrecognized name: usr; Did you mean user_name? at [1:8]' } });
    expect(await engine().run(sql, { maxRows: 10, timeoutMs: 10_000 })).toEqual({ kind: 'failure', message: 'BigQuery rejected the query: Unrecognized name: usr; Did you mean user_name? at [1:8]' });
    expect(await engine().dryRun!(sql)).toEqual({ kind: 'failure', message: 'BigQuery rejected the query: Unrecognized name: usr; Did you mean user_name? at [1:8]' });
  });

  it('fails with the job\'s error when the job finishes in error', async () => {
    await script({ sql: 'SELECT n, user_name FROM events ORDER BY 1', schema: numberedSchema, polls: 1, jobError: { reason: 'resourcesExceeded', message: 'Resources exceeded during query execution: The query could not be executed in the allotted memory.' } });
    expect(await engine().run('SELECT n, user_name FROM events ORDER BY 1', { maxRows: 10, timeoutMs: 10_000 })).toEqual({
      kind: 'failure',
      message: 'BigQuery jobs.getQueryResults answered 400 resourcesExceeded: Resources exceeded during query execution: The query could not be executed in the allotted memory.',
    });
  });

  it('sends maximumBytesBilled and fails clearly when the query would bill more', async () => {
    await script({ sql: 'SELECT n, user_name FROM events', schema: numberedSchema, rows: numbered(1), totalBytesProcessed: 50_000_000 });
    const result = await engine({ maximumBytesBilled: 20_000_000 }).run('SELECT n, user_name FROM events', { maxRows: 10, timeoutMs: 10_000 });
    expect(result).toEqual({
      kind: 'failure',
      message: 'BigQuery refused to run the query: Query exceeded limit for bytes billed: 20000000. 50000000 or higher required. (maximumBytesBilled caps what one query may bill; narrow the time range or raise the cap)',
    });
    expect(JSON.parse((await requests())[0]!.body)).toMatchObject({ maximumBytesBilled: '20000000' });
    expect(await engine({ maximumBytesBilled: '60000000' }).run('SELECT n, user_name FROM events', { maxRows: 10, timeoutMs: 10_000 })).toMatchObject({ kind: 'success' });
  });

  it('says what to check when BigQuery denies access to the project', async () => {
    const result = await engine({ projectId: 'other-project' }).run('SELECT 1', { maxRows: 10, timeoutMs: 10_000 });
    expect(result).toEqual({
      kind: 'failure',
      message: `BigQuery jobs.query answered 403 accessDenied: Access Denied: Project other-project: User does not have bigquery.jobs.create permission in project other-project. — check that ${bigQueryFakeServiceAccount} has roles/bigquery.jobUser on project other-project and roles/bigquery.dataViewer on dataset ${bigQueryFakeDataset}`,
    });
  });

  it('is retryable on a 429 with Retry-After, and succeeds through the retry wrapper', async () => {
    await script({ sql: 'SELECT n, user_name FROM events', schema: numberedSchema, rows: numbered(2) });
    await admin('rate-limit', { times: 1, status: 429, retryAfterSeconds: 2 });
    const bq = engine();
    const first = await bq.run('SELECT n, user_name FROM events', { maxRows: 10, timeoutMs: 10_000 });
    expect(first).toMatchObject({ kind: 'retryable', retryAfterMs: 2000, message: expect.stringContaining('429 rateLimitExceeded') });
    await admin('rate-limit', { times: 1, status: 429, retryAfterSeconds: 2 });
    const slept: number[] = [];
    const retried = await withRetries(() => bq.run('SELECT n, user_name FROM events', { maxRows: 10, timeoutMs: 10_000 }), { attempts: 3, baseDelayMs: 10, maxDelayMs: 5000 }, async (ms) => {
      slept.push(ms);
    });
    expect(retried).toMatchObject({ kind: 'success', value: { rows: numbered(2) } });
    expect(slept).toEqual([2000]);
  });

  it('treats a 403 rateLimitExceeded as retryable, unlike other 403s', async () => {
    await script({ sql: 'SELECT n, user_name FROM events', schema: numberedSchema, rows: numbered(2) });
    await admin('rate-limit', { times: 1, status: 403 });
    expect(await engine().run('SELECT n, user_name FROM events', { maxRows: 10, timeoutMs: 10_000 })).toMatchObject({ kind: 'retryable', message: expect.stringContaining('403 rateLimitExceeded: Exceeded rate limits') });
  });

  it('resends jobs.query once with the same requestId when the answer is lost, and BigQuery runs one job', async () => {
    await script({ sql: 'SELECT n, user_name FROM events', schema: numberedSchema, rows: numbered(3) });
    await admin('drop-response', { times: 1 });
    const result = await engine().run('SELECT n, user_name FROM events', { maxRows: 10, timeoutMs: 10_000 });
    expect(result).toMatchObject({ kind: 'success', value: { rows: numbered(3) } });
    const posts = (await requests()).filter((r) => r.method === 'POST').map((r) => (JSON.parse(r.body) as { requestId: string }).requestId);
    expect(posts).toHaveLength(2);
    expect(posts[0]).toBe(posts[1]);
    expect(await jobs()).toHaveLength(1);
  });

  it('is retryable on backendError 503s that outlast the one resend', async () => {
    await script({ sql: 'SELECT n, user_name FROM events', schema: numberedSchema, rows: numbered(1) });
    const backendError = JSON.stringify({ error: { code: 503, message: 'Error encountered during execution. Retrying may solve the problem.', errors: [{ reason: 'backendError', domain: 'global', message: 'Error encountered during execution. Retrying may solve the problem.' }], status: 'UNAVAILABLE' } });
    await admin('fail', { status: 503, times: 2, body: backendError, retryAfterSeconds: 5 });
    expect(await engine().run('SELECT n, user_name FROM events', { maxRows: 10, timeoutMs: 10_000 })).toEqual({
      kind: 'retryable',
      retryAfterMs: 5000,
      message: 'BigQuery jobs.query answered 503 backendError: Error encountered during execution. Retrying may solve the problem.',
    });
    expect((await requests()).filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it('keeps polling a job through a transient getQueryResults error instead of running it again', async () => {
    await script({ sql: 'SELECT n, user_name FROM slow', schema: numberedSchema, rows: numbered(2), polls: 1, holdMs: 300 });
    // jobs.query is held (job created, not complete) while the failure is armed: the next request, the poll, meets a 503.
    const pending = engine().run('SELECT n, user_name FROM slow', { maxRows: 10, timeoutMs: 10_000 });
    while ((await requests()).length === 0) await new Promise((r) => setTimeout(r, 10));
    await admin('fail', { status: 503, times: 1, retryAfterSeconds: 0 });
    expect(await pending).toMatchObject({ kind: 'success', value: { rows: numbered(2) } });
    expect(await jobs()).toHaveLength(1);
    // POST (not complete), the poll that met the 503, its repeat (not complete), the poll that completes.
    expect((await requests()).map((r) => r.method)).toEqual(['POST', 'GET', 'GET', 'GET']);
  });

  it('takes a new token once when BigQuery refuses a cached one', async () => {
    await script({ sql: 'SELECT n, user_name FROM events', schema: numberedSchema, rows: numbered(1) });
    const bq = engine();
    expect(await bq.run('SELECT n, user_name FROM events', { maxRows: 10, timeoutMs: 10_000 })).toMatchObject({ kind: 'success' });
    await fetch(`${fake.oauth.origin}/__fake/revoke-tokens`, { method: 'POST' });
    expect(await bq.run('SELECT n, user_name FROM events', { maxRows: 10, timeoutMs: 10_000 })).toMatchObject({ kind: 'success' });
    const auth = (await requests()).filter((r) => r.method === 'POST').map((r) => r.headers.authorization);
    expect(auth).toHaveLength(3);
    expect(auth[1]).toBe(auth[0]);
    expect(auth[2]).not.toBe(auth[1]);
  });

  it('fails naming the service account key when the token endpoint refuses its signature', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const file = JSON.parse(keyFile) as Record<string, string>;
    const wrong = JSON.stringify({ ...file, private_key_id: 'not-the-registered-key', private_key: await exportPKCS8(privateKey) });
    const result = await engine({ serviceAccountKey: wrong }).run('SELECT 1', { maxRows: 10, timeoutMs: 10_000 });
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('Invalid JWT Signature') });
    if (result.kind !== 'failure') throw new Error('unreachable');
    expect(result.message).toContain(`check the service account key (serviceAccountKey)`);
    expect(result.message).not.toContain('PRIVATE KEY');
    expect(await requests()).toEqual([]);
  });

  it('is refused by the outbound guard when the BigQuery endpoint is not allow-listed', async () => {
    const onlyOauth = guardedFetch(parseAllowList(`127.0.0.1:${fake.oauth.port}`));
    const result = await engine({}, onlyOauth).run('SELECT 1', { maxRows: 10, timeoutMs: 10_000 });
    expect(result).toEqual({ kind: 'failure', message: 'BigQuery jobs.query: outbound request refused: only https URLs are allowed (got http)' });
    expect(await requests()).toEqual([]);
  });

  it('fails without retrying when the token endpoint is not allow-listed', async () => {
    const onlyBigQuery = guardedFetch(parseAllowList(`127.0.0.1:${fake.bigquery.port}`));
    const result = await engine({ tokenUrl: `http://127.0.0.1:${fake.oauth.port}/token?unlisted` }, onlyBigQuery).dryRun!('SELECT 1');
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('outbound request refused: only https URLs are allowed') });
    expect(JSON.stringify(result)).not.toContain('serviceAccountKey');
  });

  it('is retryable when the token endpoint answers 503', async () => {
    await fetch(`${fake.oauth.origin}/__fake/fail`, { method: 'POST', body: JSON.stringify({ status: 503, times: 1, retryAfterSeconds: 3 }) });
    // A token URL no earlier test used, so no cached token hides the call.
    const result = await engine({ tokenUrl: `${fake.oauth.origin}/token?uncached` }).run('SELECT 1', { maxRows: 10, timeoutMs: 10_000 });
    expect(result).toMatchObject({ kind: 'retryable', message: expect.stringContaining('the Google OAuth token endpoint answered 503') });
    expect(await requests()).toEqual([]);
  });
});

describe('BigQuery engine dry run against the BigQuery fake', () => {
  it('answers the bytes the query would process, without creating a job', async () => {
    await script({ sql: 'SELECT user_name FROM events', schema: numberedSchema, rows: numbered(5), totalBytesProcessed: 123_456_789 });
    expect(await engine().dryRun!('SELECT user_name FROM events')).toEqual({ kind: 'success', value: { bytes: 123_456_789 } });
    expect(await jobs()).toEqual([]);
    const [post] = await requests();
    expect(JSON.parse(post!.body)).toMatchObject({ query: 'SELECT user_name FROM events', dryRun: true, useLegacySql: false, defaultDataset: { datasetId: bigQueryFakeDataset }, location: bigQueryFakeLocation });
  });

  it('declares the bigquery dialect', () => {
    expect(engine().dialect).toBe('bigquery');
  });
});

describe('BigQuery engine configuration', () => {
  it.each([
    [{ projectId: undefined }, 'projectId is required'],
    [{ projectId: 'Acme Prod' }, 'projectId must be a Google Cloud project id'],
    [{ dataset: 'lake-prod' }, 'dataset must be a BigQuery dataset id'],
    [{ location: 'us central' }, 'location must be a BigQuery location'],
    [{ apiBaseUrl: 'ftp://bigquery.example' }, 'apiBaseUrl must be an http(s) URL'],
    [{ tokenUrl: 'not a url' }, 'tokenUrl must be an http(s) URL'],
    [{ maximumBytesBilled: -5 }, 'maximumBytesBilled must be a positive whole number of bytes'],
    [{ maximumBytesBilled: '10GB' }, 'maximumBytesBilled must be a positive whole number of bytes'],
    [{ serviceAccountKey: '' }, 'serviceAccountKey is required'],
    [{ serviceAccountKey: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----' }, 'serviceAccountKey must be the service account JSON key file'],
    [{ serviceAccountKey: '{"client_email": "a@b.iam.gserviceaccount.com"' }, 'not valid JSON'],
    [{ serviceAccountKey: '{"client_email": "a@b.iam.gserviceaccount.com"}' }, 'has no client_email or private_key'],
  ] as [Partial<BigQueryConfigInput>, string][])('refuses %j when the engine is built', (overrides, expected) => {
    const build = () => createBigQueryEngine(config(overrides), allowBoth());
    expect(build).toThrow(BigQueryConfigError);
    expect(build).toThrow(expected);
  });

  it('names every bad field at once and never echoes the key', () => {
    try {
      createBigQueryEngine({ ...config(), projectId: '', dataset: '', serviceAccountKey: '{"private_key": "-----BEGIN PRIVATE KEY-----secret"}' }, allowBoth());
      throw new Error('expected a configuration error');
    } catch (err) {
      expect(err).toBeInstanceOf(BigQueryConfigError);
      const message = (err as Error).message;
      expect(message).toMatch(/projectId .*; dataset /);
      expect(message).not.toContain('secret');
    }
  });
});
