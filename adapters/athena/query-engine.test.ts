import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAllowList } from '../../core/net/outbound-policy';
import { athenaFake, startAthenaFake } from '../../test/fakes/athena';
import type { FakeRequest, RunningFake } from '../../test/fakes/fake-server';
import { guardedFetch } from '../http/guarded-fetch';
import { AthenaConfigError, createAthenaQueryEngine, type AthenaConfigInput } from './query-engine';

let fake: RunningFake;
beforeAll(async () => {
  fake = await startAthenaFake();
});
afterAll(() => fake.close());
beforeEach(() => admin('reset'));

async function admin(action: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${fake.origin}/__fake/${action}`, { method: action === 'requests' || action === 'executions' ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}

interface FakeExecution {
  id: string;
  query: string;
  token: string;
  state: string;
  stopped: boolean;
  outputLocation: string;
  scanned: number;
}
const executions = () => admin('executions') as Promise<FakeExecution[]>;
const calls = async (operation?: string) => {
  const all = (await admin('requests')) as FakeRequest[];
  return all
    .map((r) => ({ operation: String(r.headers['x-amz-target']).replace('AmazonAthena.', ''), body: JSON.parse(r.body || '{}') as Record<string, unknown>, headers: r.headers }))
    .filter((c) => operation === undefined || c.operation === operation);
};

const loopback = () => guardedFetch(parseAllowList(`127.0.0.1:${fake.port}`));
function config(overrides: Partial<AthenaConfigInput> = {}): AthenaConfigInput {
  return {
    region: athenaFake.region,
    workGroup: athenaFake.workGroup,
    database: athenaFake.database,
    accessKeyId: athenaFake.accessKeyId,
    secretAccessKey: athenaFake.secretAccessKey,
    endpoint: fake.origin,
    pollIntervalMs: 5,
    maxPollIntervalMs: 20,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    ...overrides,
  };
}
const engine = (overrides: Partial<AthenaConfigInput> = {}, fetchImpl = loopback()) => createAthenaQueryEngine(config(overrides), fetchImpl);
const run = (sql: string, maxRows = 100, overrides: Partial<AthenaConfigInput> = {}) => engine(overrides).run(sql, { maxRows, timeoutMs: 10_000 });

/** A table of `count` rows (id bigint 1…count, name varchar). */
async function putNumberedTable(name: string, count: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => [String(i + 1), `row-${i + 1}`]);
  await admin('table', { name, columns: [{ name: 'id', type: 'bigint' }, { name: 'name', type: 'varchar' }], rows });
}

describe('Athena query engine against the JSON 1.1 fake', () => {
  it('runs a SELECT through start, polls and one results page, with typed values', async () => {
    const sql = 'SELECT * FROM typed_values';
    const result = await run(sql);
    const [execution] = await executions();
    expect(result).toEqual({
      kind: 'success',
      value: {
        columns: ['n_int', 'n_big', 'n_huge', 'ratio', 'flag', 'label', 'seen_at', 'day', 'amount', 'missing'],
        rows: [
          [42, -7, '9007199254740993', 0.25, true, 'O\'Brien, "admin"', '2026-11-27T09:14:03.120Z', '2026-11-27', '12.50', null],
          [-1, 1_700_000_000_000, '-9223372036854775808', 'NaN', false, '', '2026-01-01T00:00:00.000Z', '2026-01-01', '0.00', null],
        ],
        truncated: false,
        bytesScanned: execution!.scanned,
        queryId: execution!.id,
      },
    });
    expect(execution!.scanned).toBeGreaterThan(0);
    expect((await calls()).map((c) => c.operation)).toEqual(['StartQueryExecution', 'GetQueryExecution', 'GetQueryExecution', 'GetQueryExecution', 'GetQueryResults']);
  });

  it('sends the SQL as given with the database, catalog, workgroup, an idempotency token and a SigV4 signature', async () => {
    const sql = 'SELECT event_uid FROM events LIMIT 1';
    await run(sql);
    const [start] = await calls('StartQueryExecution');
    expect(start!.body).toEqual({
      QueryString: sql,
      ClientRequestToken: expect.stringMatching(/^[0-9a-f-]{36}$/),
      QueryExecutionContext: { Database: athenaFake.database, Catalog: 'AwsDataCatalog' },
      WorkGroup: athenaFake.workGroup,
    });
    expect(start!.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(start!.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${athenaFake.accessKeyId}/\\d{8}/us-east-1/athena/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target`));
  });

  it('gives ResultConfiguration.OutputLocation when configured, and fails clearly when neither it nor the workgroup has one', async () => {
    const outputLocation = 's3://acme-athena-results/adhoc/';
    expect(await run('SELECT source FROM events', 100, { workGroup: athenaFake.bareWorkGroup, outputLocation })).toMatchObject({ kind: 'success' });
    expect((await calls('StartQueryExecution'))[0]!.body.ResultConfiguration).toEqual({ OutputLocation: outputLocation });
    expect((await executions())[0]!.outputLocation).toBe(outputLocation);

    const missing = await run('SELECT source FROM events', 100, { workGroup: athenaFake.bareWorkGroup });
    expect(missing).toEqual({ kind: 'failure', message: expect.stringContaining('InvalidRequestException: No output location provided') });
  });

  it('pages with NextToken across three pages and stops once it has maxRows + 1 rows', async () => {
    await putNumberedTable('big', 3500);
    const result = await run('SELECT id, name FROM big', 2500);
    expect(result.kind).toBe('success');
    if (result.kind !== 'success') return;
    expect(result.value.truncated).toBe(true);
    expect(result.value.rows).toHaveLength(2500);
    // The header row is gone and no row is lost or repeated at the page boundaries.
    expect(result.value.rows.map((r) => r[0])).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(result.value.rows[999]).toEqual([1000, 'row-1000']);
    const pages = await calls('GetQueryResults');
    // 2,501 data rows + the header = 1,000 + 1,000 + 502: no fourth call, no row beyond the 2,501st asked for.
    expect(pages.map((p) => p.body.MaxResults)).toEqual([1000, 1000, 502]);
    expect(pages.map((p) => typeof p.body.NextToken)).toEqual(['undefined', 'string', 'string']);
  });

  it('reads every page when the result ends before maxRows, and is not truncated', async () => {
    await putNumberedTable('big', 3500);
    const result = await run('SELECT * FROM big', 5000);
    expect(result).toMatchObject({ kind: 'success', value: { truncated: false } });
    if (result.kind === 'success') expect(result.value.rows.at(-1)).toEqual([3500, 'row-3500']);
    expect(await calls('GetQueryResults')).toHaveLength(4);
  });

  it('is not truncated when the result has exactly maxRows rows', async () => {
    expect(await run('SELECT event_uid FROM events', 3)).toMatchObject({ kind: 'success', value: { rows: [['evt-0001'], ['evt-0002'], ['evt-0003']], truncated: false } });
    expect((await calls('GetQueryResults')).map((p) => p.body.MaxResults)).toEqual([5]);
  });

  it('drops only the header row of the first page: a data row equal to the labels is kept', async () => {
    await admin('table', { name: 'labels', columns: [{ name: 'a', type: 'varchar' }, { name: 'b', type: 'varchar' }], rows: [['x', 'y'], ['a', 'b']] });
    expect(await run('SELECT * FROM labels')).toMatchObject({ kind: 'success', value: { columns: ['a', 'b'], rows: [['x', 'y'], ['a', 'b']] } });
    await admin('table', { name: 'empty', columns: [{ name: 'a', type: 'varchar' }], rows: [] });
    expect(await run('SELECT a FROM empty')).toMatchObject({ kind: 'success', value: { columns: ['a'], rows: [], truncated: false } });
  });

  it('names columns from ColumnInfo (aliases included) and keeps the first row of a statement without a header', async () => {
    expect(await run('SELECT source AS src, class_uid FROM events LIMIT 2')).toMatchObject({
      kind: 'success',
      value: { columns: ['src', 'class_uid'], rows: [['okta', 3002], ['cloudtrail', 3005]] },
    });
    // SHOW TABLES is a UTILITY statement: Athena sends no header row, so the first row is data.
    expect(await run('SHOW TABLES')).toMatchObject({ kind: 'success', value: { columns: ['tab_name'], rows: [['events'], ['typed_values']] } });
  });

  it('fails with the StateChangeReason of a FAILED query and reads no results', async () => {
    const result = await run('SELECT nope FROM events');
    expect(result).toEqual({
      kind: 'failure',
      message: expect.stringContaining("failed: COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved or requester is not authorized to access requested resources [user error, type 1000]"),
    });
    expect(await calls('GetQueryResults')).toEqual([]);
    expect(await run('SELECT * FROM nowhere')).toMatchObject({ kind: 'failure', message: expect.stringContaining("TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.mantissa_lake.nowhere' does not exist") });
  });

  it('reports a scripted engine error, and makes a FAILED query Athena marks Retryable retryable', async () => {
    await admin('query-error', { match: 'regexp_like', message: "SYNTAX_ERROR: line 1:40: Unexpected parameters (varchar, integer) for function regexp_like" });
    expect(await run("SELECT * FROM events WHERE regexp_like(src_ip, 1)")).toMatchObject({ kind: 'failure', message: expect.stringContaining('SYNTAX_ERROR: line 1:40: Unexpected parameters') });
    await admin('query-error', { match: 'typed_values', message: 'Query exhausted resources at this scale factor', errorType: 1, category: 1, retryable: true });
    expect(await run('SELECT * FROM typed_values')).toMatchObject({ kind: 'retryable', message: expect.stringContaining('Query exhausted resources at this scale factor [system error, type 1, retryable]') });
  });

  it('retries throttled calls (400 ThrottlingException, TooManyRequestsException) and succeeds', async () => {
    await admin('throttle', { times: 2, operation: 'GetQueryExecution' });
    expect(await run('SELECT event_uid FROM events')).toMatchObject({ kind: 'success', value: { rows: [['evt-0001'], ['evt-0002'], ['evt-0003']] } });
    expect(await calls('GetQueryExecution')).toHaveLength(5);

    await admin('reset');
    await admin('throttle', { times: 1, operation: 'StartQueryExecution', type: 'TooManyRequestsException' });
    expect(await run('SELECT event_uid FROM events')).toMatchObject({ kind: 'success' });
    const starts = await calls('StartQueryExecution');
    expect(starts).toHaveLength(2);
    expect(await executions()).toHaveLength(1);
  });

  it('stays retryable when throttling outlasts the retries', async () => {
    await admin('throttle', { times: 10, operation: 'StartQueryExecution', type: 'TooManyRequestsException' });
    expect(await run('SELECT event_uid FROM events')).toEqual({
      kind: 'retryable',
      message: expect.stringMatching(/StartQueryExecution answered 400 \(TooManyRequestsException: Rate exceeded\) \[CONCURRENT_QUERY_LIMIT_EXCEEDED\] \(still failing after 3 attempts\)$/),
    });
    expect(await executions()).toEqual([]);
  });

  it('retries a 5xx, and a start whose answer was lost runs the query once (same ClientRequestToken)', async () => {
    await admin('fail', { status: 503, times: 1, body: JSON.stringify({ __type: 'ServiceUnavailable', message: 'Service unavailable' }) });
    expect(await run('SELECT event_uid FROM events')).toMatchObject({ kind: 'success' });

    await admin('reset');
    await admin('lose-start', { times: 1 });
    expect(await run('SELECT event_uid FROM events')).toMatchObject({ kind: 'success', value: { rows: [['evt-0001'], ['evt-0002'], ['evt-0003']] } });
    const starts = await calls('StartQueryExecution');
    expect(starts).toHaveLength(2);
    expect(starts[1]!.body.ClientRequestToken).toBe(starts[0]!.body.ClientRequestToken);
    expect(await executions()).toHaveLength(1);
  });

  it('fails naming secretAccessKey on a bad secret, without repeating it', async () => {
    const result = await run('SELECT 1 FROM events', 10, { secretAccessKey: 'not-the-right-secret-key-at-all' });
    expect(result).toEqual({ kind: 'failure', message: expect.stringContaining('InvalidSignatureException') });
    if (result.kind === 'failure') {
      expect(result.message).toContain('check secretAccessKey');
      expect(result.message).not.toContain('not-the-right-secret-key-at-all');
    }
    expect(await calls()).toHaveLength(1);
  });

  it('fails naming accessKeyId (and sessionToken) for an unknown key or temporary credentials without their token', async () => {
    expect(await run('SELECT 1 FROM events', 10, { accessKeyId: 'AKIAUNKNOWNKEY000000' })).toMatchObject({ kind: 'failure', message: expect.stringMatching(/UnrecognizedClientException.*check accessKeyId \(and sessionToken/) });
    const temporary = { accessKeyId: athenaFake.tempAccessKeyId, secretAccessKey: athenaFake.tempSecretAccessKey };
    expect(await run('SELECT event_uid FROM events', 10, temporary)).toMatchObject({ kind: 'failure', message: expect.stringContaining('check accessKeyId') });
    expect(await run('SELECT event_uid FROM events', 10, { ...temporary, sessionToken: athenaFake.sessionToken })).toMatchObject({ kind: 'success' });
  });

  it('never puts the session token into a message, though AWS echoes the signed headers on a signature mismatch', async () => {
    const result = await run('SELECT event_uid FROM events', 10, { accessKeyId: athenaFake.tempAccessKeyId, secretAccessKey: 'wrong-temporary-secret', sessionToken: athenaFake.sessionToken });
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('InvalidSignatureException: The request signature we calculated does not match') });
    expect(JSON.stringify(result)).not.toContain(athenaFake.sessionToken.slice(0, 12));
    // It was sent and signed, so the fake's InvalidSignatureException (like AWS's) echoed it in the canonical request.
    const [answer] = await calls();
    expect(answer!.headers['x-amz-security-token']).toBe(athenaFake.sessionToken);
  });

  it('stops a query that outlives the time budget and fails', async () => {
    await admin('lifecycle', { queuedPolls: 1, runningPolls: -1 });
    const startedAt = Date.now();
    const result = await engine().run('SELECT * FROM events', { maxRows: 10, timeoutMs: 300 });
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    const [execution] = await executions();
    expect(result).toEqual({ kind: 'failure', message: expect.stringContaining(`query ${execution!.id} did not finish within 300 ms; stopped query ${execution!.id}`) });
    expect(execution).toMatchObject({ state: 'CANCELLED', stopped: true });
    expect((await calls('StopQueryExecution')).map((c) => c.body)).toEqual([{ QueryExecutionId: execution!.id }]);
    expect(await calls('GetQueryResults')).toEqual([]);
  });

  it('stops the query when the caller aborts', async () => {
    await admin('lifecycle', { queuedPolls: 1, runningPolls: -1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await engine().run('SELECT * FROM events', { maxRows: 10, timeoutMs: 10_000, signal: controller.signal });
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('cancelled by the caller; stopped query') });
    expect(await executions()).toMatchObject([{ state: 'CANCELLED', stopped: true }]);
  });

  it('fails without a request when the outbound guard refuses the endpoint', async () => {
    const result = await engine({}, guardedFetch(parseAllowList(''))).run('SELECT * FROM events', { maxRows: 10, timeoutMs: 5_000 });
    expect(result).toEqual({ kind: 'failure', message: expect.stringContaining('outbound request refused: only https URLs are allowed') });
    const https = await engine({ endpoint: `https://127.0.0.1:${fake.port}` }, guardedFetch(parseAllowList(''))).run('SELECT 1', { maxRows: 1, timeoutMs: 5_000 });
    expect(https).toMatchObject({ kind: 'failure', message: expect.stringContaining('127.0.0.1 is a loopback address; add it to OUTBOUND_ALLOWLIST') });
    expect(await calls()).toEqual([]);
  });

  it('calls https://athena.<region>.amazonaws.com/ by default', async () => {
    const seen: string[] = [];
    const offline = async (url: string | URL) => {
      seen.push(String(url));
      throw new TypeError('fetch failed');
    };
    const { endpoint: _unused, ...withoutEndpoint } = config({ region: 'eu-central-1', retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 } });
    const result = await createAthenaQueryEngine(withoutEndpoint, offline).run('SELECT 1', { maxRows: 1, timeoutMs: 5_000 });
    expect(result).toMatchObject({ kind: 'retryable', message: expect.stringContaining('StartQueryExecution failed: fetch failed') });
    expect(seen).toEqual(['https://athena.eu-central-1.amazonaws.com/']);
  });
});

describe('Athena query engine configuration', () => {
  it.each([
    ['region', { region: 'US East' }, 'region: an AWS region'],
    ['workGroup', { workGroup: 'has spaces' }, 'workGroup: an Athena workgroup name'],
    ['database', { database: '' }, 'database: a Glue database name'],
    ['outputLocation', { outputLocation: 'https://bucket/prefix' }, 'outputLocation: an S3 URI'],
    ['accessKeyId', { accessKeyId: 'short' }, 'accessKeyId: an AWS access key id'],
    ['secretAccessKey', { secretAccessKey: '' }, 'secretAccessKey: the secret access key'],
    ['endpoint', { endpoint: 'ftp://athena.example' }, 'endpoint:'],
    ['pollIntervalMs', { pollIntervalMs: 0 }, 'pollIntervalMs:'],
  ])('rejects a bad %s when the engine is created', (_field, overrides, expected) => {
    expect(() => engine(overrides as Partial<AthenaConfigInput>)).toThrow(AthenaConfigError);
    expect(() => engine(overrides as Partial<AthenaConfigInput>)).toThrow(expected);
  });

  it('names every missing field at once and never echoes the secret', () => {
    let error: unknown;
    try {
      createAthenaQueryEngine({ secretAccessKey: 'super-secret-value-1234', accessKeyId: 'bad key' } as unknown as AthenaConfigInput, loopback());
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AthenaConfigError);
    const message = (error as Error).message;
    for (const field of ['region', 'workGroup', 'database', 'accessKeyId']) expect(message).toContain(`${field}:`);
    expect(message).not.toContain('super-secret-value-1234');
  });

  it('refuses a maxRows that is not a whole number before any request', async () => {
    expect(await run('SELECT event_uid FROM events', -1)).toMatchObject({ kind: 'failure', message: expect.stringContaining('maxRows must be a whole number') });
    expect(await calls()).toEqual([]);
  });

  it('defaults the catalog to AwsDataCatalog and accepts another', async () => {
    await run('SELECT event_uid FROM events', 1, { catalog: 'awsdatacatalog' });
    expect((await calls('StartQueryExecution'))[0]!.body.QueryExecutionContext).toEqual({ Database: athenaFake.database, Catalog: 'awsdatacatalog' });
  });
});
