/**
 * Loopback fake of Snowflake's SQL API (https://docs.snowflake.com/en/developer-guide/sql-api/reference) for the
 * ACCOUNT_USAGE collectors:
 * - key-pair authentication (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating):
 *   `Authorization: Bearer <JWT>` with `X-Snowflake-Authorization-Token-Type: KEYPAIR_JWT`; the JWT must be
 *   signed RS256 by the user's registered key, with `iss` = `<ACCOUNT>.<USER>.SHA256:<fingerprint of that key>`,
 *   `sub` = `<ACCOUNT>.<USER>`, unexpired and issued for at most an hour — else 401 `390144 JWT token is invalid.`;
 * - `POST /api/v2/statements`: only `SELECT * FROM SNOWFLAKE.ACCOUNT_USAGE.<LOGIN_HISTORY|QUERY_HISTORY> WHERE
 *   <time column> > TO_TIMESTAMP_LTZ(?, 3) ORDER BY <time column>` with binding "1" of type FIXED is understood
 *   (anything else is a 422 SQL compilation error, so a value pasted into the SQL fails); the answer is 200 with
 *   `resultSetMetaData` (rowType, partitionInfo) and partition 0, or — when told to — 202 `333334` with a handle;
 * - `GET /api/v2/statements/{handle}` (202 while running, then the result) and `?partition=N` (`data` only);
 *   an unknown handle is a 404.
 * Cells are strings: timestamps as epoch seconds with nine decimals (https://docs.snowflake.com/en/developer-guide/sql-api/handling-responses).
 * It serves Panther's real LOGIN_HISTORY and QUERY_HISTORY rows of the corpus, each given a unique EVENT_ID /
 * QUERY_ID and a recent time. QUERY_HISTORY has a subset of the view's columns (those the parser reads).
 * Admin: POST /__fake/credentials, /__fake/reset {count?, partitionSize?}, /__fake/add {count},
 * /__fake/async {polls} (the next statement runs asynchronously for that many polls), /__fake/fail,
 * GET /__fake/requests.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { jwtVerify } from 'jose';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';
import { corpusRecords, type CorpusRecord } from './saas-corpus';

export const snowflakeFakeAccount = { account: 'FAKEORG-SIEM', user: 'MANTISSA_COLLECTOR' };

type ViewName = 'LOGIN_HISTORY' | 'QUERY_HISTORY';

const viewColumns: Record<ViewName, { name: string; type: string }[]> = {
  LOGIN_HISTORY: [
    { name: 'EVENT_ID', type: 'fixed' },
    { name: 'EVENT_TIMESTAMP', type: 'timestamp_ltz' },
    { name: 'EVENT_TYPE', type: 'text' },
    { name: 'USER_NAME', type: 'text' },
    { name: 'CLIENT_IP', type: 'text' },
    { name: 'REPORTED_CLIENT_TYPE', type: 'text' },
    { name: 'REPORTED_CLIENT_VERSION', type: 'text' },
    { name: 'FIRST_AUTHENTICATION_FACTOR', type: 'text' },
    { name: 'SECOND_AUTHENTICATION_FACTOR', type: 'text' },
    { name: 'IS_SUCCESS', type: 'text' },
    { name: 'ERROR_CODE', type: 'fixed' },
    { name: 'ERROR_MESSAGE', type: 'text' },
    { name: 'RELATED_EVENT_ID', type: 'fixed' },
    { name: 'CONNECTION', type: 'text' },
    { name: 'CLIENT_PRIVATE_LINK_ID', type: 'text' },
  ],
  QUERY_HISTORY: [
    { name: 'QUERY_ID', type: 'text' },
    { name: 'QUERY_TEXT', type: 'text' },
    { name: 'DATABASE_NAME', type: 'text' },
    { name: 'SCHEMA_NAME', type: 'text' },
    { name: 'QUERY_TYPE', type: 'text' },
    { name: 'SESSION_ID', type: 'fixed' },
    { name: 'USER_NAME', type: 'text' },
    { name: 'ROLE_NAME', type: 'text' },
    { name: 'WAREHOUSE_NAME', type: 'text' },
    { name: 'EXECUTION_STATUS', type: 'text' },
    { name: 'ERROR_CODE', type: 'text' },
    { name: 'ERROR_MESSAGE', type: 'text' },
    { name: 'START_TIME', type: 'timestamp_ltz' },
    { name: 'END_TIME', type: 'timestamp_ltz' },
    { name: 'TOTAL_ELAPSED_TIME', type: 'fixed' },
    { name: 'ROWS_PRODUCED', type: 'fixed' },
  ],
};
const timeColumn: Record<ViewName, string> = { LOGIN_HISTORY: 'EVENT_TIMESTAMP', QUERY_HISTORY: 'START_TIME' };

/** jsonv2 timestamp cells: epoch seconds with nine decimals. */
function epochCell(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}000000`;
}

function cell(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

interface Statement {
  view: ViewName;
  partitions: (string | null)[][][];
  pendingPolls: number;
  createdOn: number;
}

export async function startSnowflakeFake(corpusDir: string): Promise<RunningFake> {
  const pools: Record<ViewName, CorpusRecord[]> = {
    LOGIN_HISTORY: corpusRecords(corpusDir, 'snowflake', (f) => f.includes('LoginHistory')),
    QUERY_HISTORY: corpusRecords(corpusDir, 'snowflake', (f) => f.includes('QueryHistory')),
  };
  const keys = { trusted: generateKeyPairSync('rsa', { modulusLength: 2048 }), other: generateKeyPairSync('rsa', { modulusLength: 2048 }) };
  const trustedKey = createPublicKey(keys.trusted.privateKey);
  const fingerprint = `SHA256:${createHash('sha256').update(trustedKey.export({ type: 'spki', format: 'der' })).digest('base64')}`;
  const qualifiedUser = `${snowflakeFakeAccount.account}.${snowflakeFakeAccount.user}`;

  let rows: Record<ViewName, { at: number; row: CorpusRecord }[]> = { LOGIN_HISTORY: [], QUERY_HISTORY: [] };
  let partitionSize = 1000;
  let asyncPolls = 0;
  let serial = 393754014361778;
  const statements = new Map<string, Statement>();

  const makeRow = (view: ViewName, i: number, at: number) => {
    const sample = pools[view][i % pools[view].length]!;
    const id = serial++;
    const row: CorpusRecord =
      view === 'LOGIN_HISTORY'
        ? { ...sample, EVENT_ID: String(id), EVENT_TIMESTAMP: epochCell(at) }
        : { ...sample, QUERY_ID: `01b${id.toString(16)}-0000-fa4e-0000-${randomBytes(6).toString('hex')}`, START_TIME: epochCell(at), END_TIME: epochCell(at + 850), SESSION_ID: String(id * 7) };
    return { at, row };
  };
  const reset = (count: number) => {
    const base = Date.now() - 3 * 3600_000;
    rows = {
      LOGIN_HISTORY: Array.from({ length: count }, (_, i) => makeRow('LOGIN_HISTORY', i, base + i * 10_000)),
      QUERY_HISTORY: Array.from({ length: count }, (_, i) => makeRow('QUERY_HISTORY', i, base + i * 10_000)),
    };
    statements.clear();
    asyncPolls = 0;
  };
  reset(25);

  const invalidJwt = (res: Parameters<typeof sendJson>[0]) => sendJson(res, 401, { code: '390144', message: `JWT token is invalid. [${randomUUID()}]` });

  const authenticated = async (headers: Record<string, string | string[] | undefined>): Promise<boolean> => {
    if (headers['x-snowflake-authorization-token-type'] !== 'KEYPAIR_JWT') return false;
    const jwt = /^Bearer\s+(\S+)$/i.exec(String(headers.authorization ?? ''))?.[1];
    if (!jwt) return false;
    try {
      const { payload } = await jwtVerify(jwt, trustedKey, { algorithms: ['RS256'] });
      return payload.iss === `${qualifiedUser}.${fingerprint}` && payload.sub === qualifiedUser && typeof payload.iat === 'number' && typeof payload.exp === 'number' && payload.exp - payload.iat <= 3600;
    } catch {
      return false;
    }
  };

  const result = (handle: string, statement: Statement) => {
    const columns = viewColumns[statement.view];
    return {
      resultSetMetaData: {
        numRows: statement.partitions.reduce((n, p) => n + p.length, 0),
        format: 'jsonv2',
        partitionInfo: statement.partitions.map((p) => ({ rowCount: p.length, uncompressedSize: JSON.stringify(p).length })),
        rowType: columns.map((c) => ({ name: c.name, database: 'SNOWFLAKE', schema: 'ACCOUNT_USAGE', table: statement.view, type: c.type, nullable: true, scale: c.type === 'timestamp_ltz' ? 9 : 0 })),
      },
      data: statement.partitions[0] ?? [],
      code: '090001',
      statementStatusUrl: `/api/v2/statements/${handle}`,
      requestId: randomUUID(),
      sqlState: '00000',
      statementHandle: handle,
      message: 'Statement executed successfully.',
      createdOn: statement.createdOn,
    };
  };
  const inProgress = (handle: string) => ({
    code: '333334',
    message: 'Asynchronous execution in progress. Use provided query id to perform query monitoring and management.',
    statementHandle: handle,
    statementStatusUrl: `/api/v2/statements/${handle}`,
  });

  return startFakeServer(
    async (req, res, url) => {
      if (!(await authenticated(req.headers))) return invalidJwt(res);
      if (url.pathname === '/api/v2/statements' && req.method === 'POST') {
        let body: { statement?: unknown; bindings?: Record<string, { type?: unknown; value?: unknown }> };
        try {
          body = JSON.parse(req.body) as typeof body;
        } catch {
          return sendJson(res, 400, { code: '391903', message: 'Unable to parse the request body.' });
        }
        const m = /^SELECT \* FROM SNOWFLAKE\.ACCOUNT_USAGE\.(LOGIN_HISTORY|QUERY_HISTORY) WHERE (\w+) > TO_TIMESTAMP_LTZ\(\?, 3\) ORDER BY (\w+)$/.exec(String(body.statement ?? ''));
        const handle = randomUUID();
        if (!m || m[2] !== timeColumn[m[1] as ViewName] || m[3] !== m[2]) {
          return sendJson(res, 422, { code: '001003', message: `SQL compilation error:\nsyntax error line 1 in: ${String(body.statement).slice(0, 120)}`, sqlState: '42000', statementHandle: handle });
        }
        const binding = body.bindings?.['1'];
        if (!binding || binding.type !== 'FIXED' || !/^\d+$/.test(String(binding.value))) {
          return sendJson(res, 422, { code: '002049', message: 'SQL compilation error: error line 1 at position 0\nBind variable ? not set.', sqlState: '42601', statementHandle: handle });
        }
        const view = m[1] as ViewName;
        const bound = Number(binding.value);
        const columns = viewColumns[view];
        const selected = rows[view].filter((r) => r.at > bound).sort((a, b) => a.at - b.at).map((r) => columns.map((c) => cell(r.row[c.name])));
        const partitions: (string | null)[][][] = [];
        for (let i = 0; i < selected.length; i += partitionSize) partitions.push(selected.slice(i, i + partitionSize));
        const statement: Statement = { view, partitions: partitions.length > 0 ? partitions : [[]], pendingPolls: asyncPolls, createdOn: Date.now() };
        asyncPolls = 0;
        statements.set(handle, statement);
        return statement.pendingPolls > 0 ? sendJson(res, 202, inProgress(handle)) : sendJson(res, 200, result(handle, statement));
      }
      const m = /^\/api\/v2\/statements\/([0-9a-f-]+)$/.exec(url.pathname);
      if (m && req.method === 'GET') {
        const handle = m[1]!;
        const statement = statements.get(handle);
        if (!statement) return sendJson(res, 404, { code: '000709', message: `Statement ${handle} not found`, sqlState: '02000', statementHandle: handle });
        if (statement.pendingPolls > 0) {
          statement.pendingPolls--;
          return sendJson(res, 202, inProgress(handle));
        }
        const partition = url.searchParams.get('partition');
        if (partition === null || Number(partition) === 0) return sendJson(res, 200, result(handle, statement));
        const data = statement.partitions[Number(partition)];
        if (!data) return sendJson(res, 422, { code: '000605', message: `partition ${partition} does not exist`, sqlState: '22023', statementHandle: handle });
        return sendJson(res, 200, { data });
      }
      return sendJson(res, 404, { code: '390404', message: 'Not found' });
    },
    (action, body) => {
      const b = (body ?? {}) as { count?: number; partitionSize?: number; polls?: number };
      if (action === 'credentials') {
        return {
          privateKeyPem: keys.trusted.privateKey.export({ type: 'pkcs8', format: 'pem' }),
          untrustedPrivateKeyPem: keys.other.privateKey.export({ type: 'pkcs8', format: 'pem' }),
          ...snowflakeFakeAccount,
        };
      }
      if (action === 'reset') {
        reset(b.count ?? 25);
        partitionSize = b.partitionSize ?? 1000;
      } else if (action === 'add') {
        const n = b.count ?? 1;
        const now = Date.now();
        for (const view of ['LOGIN_HISTORY', 'QUERY_HISTORY'] as const) rows[view].push(...Array.from({ length: n }, (_, i) => makeRow(view, rows[view].length + i, now - (n - i) * 1000)));
      } else if (action === 'async') asyncPolls = b.polls ?? 1;
      return { LOGIN_HISTORY: rows.LOGIN_HISTORY.length, QUERY_HISTORY: rows.QUERY_HISTORY.length };
    },
  );
}
