// The Synapse serverless SQL engine end to end over TDS against the loopback fake (test/fakes/synapse-tds.ts):
// logins (SQL and Entra ID token), typed values, multi-packet results, early stop with ATTENTION, server errors,
// timeouts, the outbound guard and configuration errors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllowList } from '../../core/net/outbound-policy';
import { guardedFetch } from '../http/guarded-fetch';
import {
  nodeTdsSocketFactory,
  startSynapseTdsFake,
  synapseFakeClient,
  synapseFakeDatabase,
  synapseFakeSqlLogin,
  synapseFakeTenant,
  type FakeColumn,
  type SynapseFake,
} from '../../test/fakes/synapse-tds';
import { SynapseConfigError } from './config';
import { createSynapseQueryEngine, type SynapseDeps } from './query-engine';

let fake: SynapseFake;

beforeEach(async () => {
  fake = await startSynapseTdsFake({ packetSize: 512 });
});
afterEach(async () => {
  await fake.close();
});

function deps(allow = `127.0.0.1:${fake.port},127.0.0.1`): SynapseDeps {
  const policy = parseAllowList(allow);
  return { connect: nodeTdsSocketFactory, fetch: guardedFetch(policy), outboundPolicy: policy };
}

function sqlEngine(overrides: Record<string, unknown> = {}) {
  return createSynapseQueryEngine(
    { server: '127.0.0.1', port: fake.port, database: synapseFakeDatabase, auth: { kind: 'sql', ...synapseFakeSqlLogin }, ...overrides },
    deps(),
  );
}

function entraEngine(secret = synapseFakeClient.clientSecret) {
  return createSynapseQueryEngine(
    {
      server: '127.0.0.1',
      port: fake.port,
      database: synapseFakeDatabase,
      auth: { kind: 'entra', tenantId: synapseFakeTenant, clientId: synapseFakeClient.clientId, clientSecret: secret },
      tokenUrl: fake.tokenUrl,
    },
    deps(),
  );
}

const run = { maxRows: 100, timeoutMs: 10_000 };

const typedColumns: FakeColumn[] = [
  { name: 'tiny', type: 'tinyint' },
  { name: 'small', type: 'smallint' },
  { name: 'n', type: 'int' },
  { name: 'big', type: 'bigint' },
  { name: 'flag', type: 'bit' },
  { name: 'ratio', type: 'real' },
  { name: 'score', type: 'float' },
  { name: 'amount', type: 'decimal(10,3)' },
  { name: 'exact', type: 'decimal(38,6)' },
  { name: 'user_name', type: 'varchar(100)' },
  { name: 'legacy', type: 'varchar1252(100)' },
  { name: 'code', type: 'char(10)' },
  { name: 'title', type: 'nvarchar(100)' },
  { name: 'label', type: 'nchar(10)' },
  { name: 'raw', type: 'nvarchar(max)' },
  { name: 'doc', type: 'varchar(max)' },
  { name: 'event_time', type: 'datetime2(7)' },
  { name: 'ms_time', type: 'datetime2(3)' },
  { name: 'legacy_time', type: 'datetime' },
  { name: 'event_date', type: 'date' },
  { name: 'event_id', type: 'uniqueidentifier' },
  { name: 'count_nn', type: 'int!' },
  { name: 'big_nn', type: 'bigint!' },
  { name: 'flag_nn', type: 'bit!' },
  { name: 'score_nn', type: 'float!' },
];

const fullRow = [
  255,
  -32768,
  -2147483648,
  '9007199254740993',
  true,
  0.5,
  -1.25e-7,
  '1234567.891',
  '-12345678901234567890123456789012.123456',
  'ålice@ëxample.com ✓',
  'café “quoted” €5',
  'ABC',
  'Ünïcødé 𝔘 ok',
  'xyz',
  'z'.repeat(5000),
  'long ascii '.repeat(400),
  '2024-02-29T23:59:59.9999999',
  '2024-03-01T00:00:00.123',
  '2024-02-29T12:34:56.000Z',
  '0001-01-01',
  '6f9619ff-8b86-d011-b42d-00c04fc964ff',
  42,
  '-9223372036854775808',
  false,
  Math.PI,
];

const fullRowJson = [
  255,
  -32768,
  -2147483648,
  '9007199254740993',
  true,
  0.5,
  -1.25e-7,
  1234567.891,
  '-12345678901234567890123456789012.123456',
  'ålice@ëxample.com ✓',
  'café “quoted” €5',
  'ABC       ',
  'Ünïcødé 𝔘 ok',
  'xyz       ',
  'z'.repeat(5000),
  'long ascii '.repeat(400),
  '2024-02-29T23:59:59.9999999Z',
  '2024-03-01T00:00:00.123Z',
  '2024-02-29T12:34:56.000Z',
  '0001-01-01',
  '6f9619ff-8b86-d011-b42d-00c04fc964ff',
  42,
  '-9223372036854775808',
  false,
  Math.PI,
];

const nullRow = typedColumns.map((c) => (c.type.endsWith('!') ? ({ 'int!': 0, 'bigint!': 0, 'bit!': true, 'float!': 0 } as Record<string, unknown>)[c.type] : null));

describe('Synapse serverless query engine', () => {
  it.each([
    ['ROW', false],
    ['NBCROW', true],
  ])('returns typed values and NULLs from %s tokens with a SQL login', async (_name, nbcRow) => {
    const sql = 'SELECT * FROM lake.typed';
    fake.script(sql, { columns: typedColumns, rows: [fullRow, nullRow], nbcRow });
    const result = await sqlEngine().run(sql, run);
    expect(result).toEqual({
      kind: 'success',
      value: { columns: typedColumns.map((c) => c.name), rows: [fullRowJson, nullRow], truncated: false, bytesScanned: null, queryId: null },
    });
    expect(fake.stats.logins).toEqual([{ user: synapseFakeSqlLogin.user, token: false, database: synapseFakeDatabase, ok: true, packetSize: 4096, packets: 1 }]);
    expect(fake.stats.batches).toEqual([sql]);
  });

  it('reads a result spanning many packets and sends a long batch in packets of the negotiated size', async () => {
    const sql = `SELECT TOP 3000 event_id, message FROM lake.events /* ${'padding '.repeat(200)} */`;
    fake.script(sql, {
      columns: [
        { name: 'event_id', type: 'bigint' },
        { name: 'message', type: 'nvarchar(100)' },
      ],
      rows: { count: 3000, row: (i) => [i, `message number ${i} ✓`] },
      nbcRow: true,
    });
    const result = await sqlEngine().run(sql, { maxRows: 5000, timeoutMs: 10_000 });
    if (result.kind !== 'success') throw new Error(result.message);
    expect(result.value.rows).toHaveLength(3000);
    expect(result.value.rows[2999]).toEqual([2999, 'message number 2999 ✓']);
    expect(result.value.truncated).toBe(false);
    expect(fake.stats.batches).toEqual([sql]);
    // The batch (≈ 3.3 KB of UTF-16) went out in several packets, none larger than the 512 bytes negotiated.
    expect(fake.stats.clientPacketsAfterLogin).toBeGreaterThan(6);
    expect(fake.stats.maxClientPacketAfterLogin).toBeLessThanOrEqual(512);
  });

  it('stops at maxRows + 1, cancels the rest with ATTENTION and says it truncated', async () => {
    const sql = 'SELECT event_id FROM lake.events';
    const total = 200_000;
    fake.script(sql, { columns: [{ name: 'event_id', type: 'int' }], rows: { count: total, row: (i) => [i] } });
    const result = await sqlEngine().run(sql, { maxRows: 10, timeoutMs: 10_000 });
    expect(result).toEqual({
      kind: 'success',
      value: { columns: ['event_id'], rows: Array.from({ length: 10 }, (_, i) => [i]), truncated: true, bytesScanned: null, queryId: null },
    });
    expect(fake.stats.attentions).toBe(1);
    expect(fake.stats.rowsSent).toBeLessThan(total / 2);
  });

  it('reads past DONE_MORE of earlier statements in the batch to the result', async () => {
    const sql = 'SELECT event_id FROM lake.after_set';
    fake.script(sql, { columns: [{ name: 'event_id', type: 'int' }], rows: [[7]], leadingStatements: 2 });
    expect(await sqlEngine().run(sql, run)).toMatchObject({ kind: 'success', value: { columns: ['event_id'], rows: [[7]] } });
  });

  it('does not cancel when the result has exactly maxRows rows', async () => {
    const sql = 'SELECT event_id FROM lake.small';
    fake.script(sql, { columns: [{ name: 'event_id', type: 'int' }], rows: { count: 10, row: (i) => [i] } });
    const result = await sqlEngine().run(sql, { maxRows: 10, timeoutMs: 10_000 });
    expect(result).toMatchObject({ kind: 'success', value: { truncated: false } });
    expect(fake.stats.attentions).toBe(0);
  });

  it("surfaces the server's error for bad SQL as a failure", async () => {
    fake.script('SELECT x FROM lake.events', { error: { number: 207, state: 1, class: 16, message: "Invalid column name 'x'.", line: 1 } });
    const result = await sqlEngine().run('SELECT x FROM lake.events', run);
    expect(result).toEqual({
      kind: 'failure',
      message: `Synapse refused the query on 127.0.0.1:${fake.port}/${synapseFakeDatabase}: Msg 207, Level 16, State 1, Line 1: Invalid column name 'x'.`,
    });
  });

  it('retries Azure transient errors (40613 database unavailable)', async () => {
    fake.script('SELECT 1 AS one', { error: { number: 40613, state: 1, class: 17, message: "Database 'lake' on server 'ws' is not currently available.", line: 1 } });
    expect(await sqlEngine().run('SELECT 1 AS one', run)).toMatchObject({ kind: 'retryable', message: expect.stringContaining('Msg 40613') });
  });

  it('fails a SQL login with a wrong password without echoing it', async () => {
    const result = await sqlEngine({ auth: { kind: 'sql', user: synapseFakeSqlLogin.user, password: 'not-the-password' } }).run('SELECT 1 AS one', run);
    expect(result).toEqual({
      kind: 'failure',
      message: `Synapse refused the login to 127.0.0.1:${fake.port}/${synapseFakeDatabase}: Msg 18456, Level 14, State 1, Line 1: Login failed for user 'mantissa_reader'. — check the SQL login name and password`,
    });
    expect(fake.stats.logins.map((l) => l.ok)).toEqual([false]);
    expect(fake.stats.batches).toEqual([]);
  });

  it('fails a login to a database that does not exist with the server messages', async () => {
    const result = await sqlEngine({ database: 'no_such_db' }).run('SELECT 1 AS one', run);
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringMatching(/Msg 4060, .*Cannot open database "no_such_db".*Msg 18456/) });
  });

  it('logs in with an Entra ID token from the client credentials grant (scope database.windows.net)', async () => {
    fake.script('SELECT 1 AS one', { columns: [{ name: 'one', type: 'int' }], rows: [[1]] });
    const engine = entraEngine();
    expect(await engine.run('SELECT 1 AS one', run)).toMatchObject({ kind: 'success', value: { rows: [[1]] } });
    expect(await engine.run('SELECT 1 AS one', run)).toMatchObject({ kind: 'success', value: { rows: [[1]] } });
    expect(fake.stats.tokenRequests).toEqual([{ clientId: synapseFakeClient.clientId, scope: 'https://database.windows.net/.default' }]);
    // A LOGIN7 with a ≈ 2.6 k-character token does not fit one 4,096-byte packet.
    expect(fake.stats.logins).toEqual([
      { user: null, token: true, database: synapseFakeDatabase, ok: true, packetSize: 4096, packets: 2 },
      { user: null, token: true, database: synapseFakeDatabase, ok: true, packetSize: 4096, packets: 2 },
    ]);
  });

  it('gets a new token once when the server refuses a cached one', async () => {
    fake.script('SELECT 1 AS one', { columns: [{ name: 'one', type: 'int' }], rows: [[1]] });
    const engine = entraEngine();
    expect(await engine.run('SELECT 1 AS one', run)).toMatchObject({ kind: 'success' });
    fake.revokeTokens();
    expect(await engine.run('SELECT 1 AS one', run)).toMatchObject({ kind: 'success', value: { rows: [[1]] } });
    expect(fake.stats.tokenRequests).toHaveLength(2);
    expect(fake.stats.logins.map((l) => l.ok)).toEqual([true, false, true]);
  });

  it('fails when the server refuses the Entra ID token, with a hint about the database user', async () => {
    fake.acceptTokenLogins(false);
    const result = await entraEngine().run('SELECT 1 AS one', run);
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining("Msg 18456, Level 14, State 1, Line 1: Login failed for user '<token-identified principal>'.") });
    expect(result).toMatchObject({ message: expect.stringContaining('FROM EXTERNAL PROVIDER') });
    expect(JSON.stringify(result)).not.toContain('eyJ0eXAi');
  });

  it('fails without connecting when the token endpoint refuses the client secret', async () => {
    const result = await entraEngine('wrong-secret').run('SELECT 1 AS one', run);
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('AADSTS7000215: Invalid client secret provided.') });
    expect(JSON.stringify(result)).not.toContain('wrong-secret');
    expect(fake.stats.logins).toEqual([]);
  });

  it('is retryable when the token endpoint answers 503', async () => {
    await fake.failTokenEndpoint(503, 1);
    const result = await entraEngine().run('SELECT 1 AS one', run);
    expect(result).toMatchObject({ kind: 'retryable', message: expect.stringContaining('could not get an Entra ID token for Synapse') });
    expect(fake.stats.logins).toEqual([]);
  });

  it('cancels a query that outlives its budget with ATTENTION and fails', async () => {
    fake.script('SELECT slow FROM lake.events', { columns: [{ name: 'slow', type: 'int' }], rows: [[1]], delayMs: 30_000 });
    const started = Date.now();
    const result = await sqlEngine().run('SELECT slow FROM lake.events', { maxRows: 10, timeoutMs: 300 });
    expect(result).toEqual({
      kind: 'failure',
      message: 'the Synapse query exceeded its 300 ms budget (while running the query); the server acknowledged the cancel (ATTENTION)',
    });
    expect(fake.stats.attentions).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('closes the connection when the server never acknowledges the ATTENTION', async () => {
    fake.script('SELECT stuck FROM lake.events', { columns: [{ name: 'stuck', type: 'int' }], rows: [[1]], delayMs: 30_000, ignoreAttention: true });
    const engine = createSynapseQueryEngine(
      { server: '127.0.0.1', port: fake.port, database: synapseFakeDatabase, auth: { kind: 'sql', ...synapseFakeSqlLogin } },
      { ...deps(), attentionGraceMs: 200 },
    );
    const result = await engine.run('SELECT stuck FROM lake.events', { maxRows: 10, timeoutMs: 200 });
    expect(result).toEqual({
      kind: 'failure',
      message: 'the Synapse query exceeded its 200 ms budget (while running the query); the connection was closed to cancel it',
    });
    expect(fake.stats.attentions).toBe(1);
  });

  it('fails clearly when the gateway redirects the login (ENVCHANGE routing)', async () => {
    fake.routeLoginsTo({ host: 'ws-ondemand.tr42.westeurope1-a.worker.database.windows.net', port: 11002 });
    expect(await sqlEngine().run('SELECT 1 AS one', run)).toEqual({
      kind: 'failure',
      message: `Synapse at 127.0.0.1:${fake.port} redirected the connection to ws-ondemand.tr42.westeurope1-a.worker.database.windows.net:11002; set the server to that host or use the proxy connection policy`,
    });
    expect(fake.stats.batches).toEqual([]);
  });

  it('cancels when the caller aborts', async () => {
    fake.script('SELECT slow FROM lake.events', { columns: [{ name: 'slow', type: 'int' }], rows: [[1]], delayMs: 30_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await sqlEngine().run('SELECT slow FROM lake.events', { maxRows: 10, timeoutMs: 30_000, signal: controller.signal });
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('aborted by the caller') });
    expect(fake.stats.attentions).toBe(1);
  });

  it('names the column whose type it cannot decode', async () => {
    fake.script('SELECT price FROM lake.orders', { columns: [{ name: 'price', type: 'money' }], rows: [[1.5]] });
    expect(await sqlEngine().run('SELECT price FROM lake.orders', run)).toEqual({
      kind: 'failure',
      message:
        'Synapse result cannot be read: column "price" has SQL Server type MONEYN, which this adapter does not decode; CAST it to NVARCHAR, BIGINT, FLOAT or DATETIME2 in the query',
    });
  });

  it.each([
    ['127.0.0.1', `127.0.0.1:${1}`, 'a loopback address'],
    ['10.1.2.3', '', 'a private address'],
    ['metadata.google.internal', '', 'an internal name'],
  ])('refuses to connect to %s when the outbound policy does not allow it', async (server, allow, reason) => {
    const engine = createSynapseQueryEngine(
      { server, port: fake.port, database: synapseFakeDatabase, auth: { kind: 'sql', ...synapseFakeSqlLogin } },
      deps(allow),
    );
    const result = await engine.run('SELECT 1 AS one', run);
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining(`refused by the outbound policy: ${server} is ${reason}`) });
    expect(fake.stats.logins).toEqual([]);
  });

  it('is retryable when nothing listens on the port', async () => {
    const port = fake.port;
    await fake.close();
    const result = await createSynapseQueryEngine(
      { server: '127.0.0.1', port, database: synapseFakeDatabase, auth: { kind: 'sql', ...synapseFakeSqlLogin } },
      deps(`127.0.0.1:${port}`),
    ).run('SELECT 1 AS one', run);
    expect(result).toMatchObject({ kind: 'retryable', message: expect.stringContaining(`Synapse connection to 127.0.0.1:${port} failed`) });
    fake = await startSynapseTdsFake();
  });
});

describe('Synapse configuration', () => {
  const valid = { server: 'ws-ondemand.sql.azuresynapse.net', database: 'lake', auth: { kind: 'sql', user: 'u', password: 'hunter2-secret' } };

  it('defaults the port to 1433 and lower-cases the host', () => {
    const engine = createSynapseQueryEngine({ ...valid, server: 'WS-OnDemand.sql.azuresynapse.net' }, deps());
    expect(engine.dialect).toBe('synapse');
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a URL as server', { ...valid, server: 'https://ws-ondemand.sql.azuresynapse.net' }, /server: must be a host name/],
    ['no database', { ...valid, database: undefined }, /database: /],
    ['a port out of range', { ...valid, port: 70000 }, /port: /],
    ['an unknown auth kind', { ...valid, auth: { kind: 'kerberos' } }, /auth\.kind: /],
    ['entra without a secret', { ...valid, auth: { kind: 'entra', tenantId: 't', clientId: 'c' } }, /auth\.clientSecret: /],
    ['sql without a password', { ...valid, auth: { kind: 'sql', user: 'u', password: '' } }, /auth\.password: is required/],
  ])('rejects %s with a message naming the field', (_name, config, pattern) => {
    expect(() => createSynapseQueryEngine(config, deps())).toThrow(SynapseConfigError);
    expect(() => createSynapseQueryEngine(config, deps())).toThrow(pattern);
  });

  it('never echoes a secret in a configuration error', () => {
    let message = '';
    try {
      createSynapseQueryEngine({ ...valid, server: 'bad host', auth: { kind: 'entra', tenantId: 'bad tenant!', clientId: 'c', clientSecret: 's3cr3t-value' } }, deps());
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/server: .*auth\.tenantId: /);
    expect(message).not.toContain('s3cr3t-value');
  });
});
