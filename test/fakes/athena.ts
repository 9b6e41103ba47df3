/**
 * Loopback fake of Amazon Athena's query API, JSON 1.1 protocol: `POST /` with `Content-Type:
 * application/x-amz-json-1.1` and `X-Amz-Target: AmazonAthena.<Operation>`, for the lake query engine adapter.
 *
 * What it relies on (Athena API Reference 2017-05-18, https://docs.aws.amazon.com/athena/latest/APIReference/):
 * - SigV4 (service `athena`) verified independently of aws4fetch by verifySigV4 of the SES fake: the canonical
 *   request is rebuilt from what arrived and signed with the known test secret. Temporary credentials (ASIA…)
 *   need their `X-Amz-Security-Token`. Auth errors as AWS's common errors, `{"__type","message"}`: 403
 *   UnrecognizedClientException / InvalidSignatureException / MissingAuthenticationTokenException /
 *   IncompleteSignatureException, 400 InvalidSignatureException "Signature expired".
 * - StartQueryExecution (API_StartQueryExecution): `QueryString`, `ClientRequestToken` — required outside the
 *   SDKs, 32–128 characters; "if another StartQueryExecution request is received, the same response is returned
 *   and another query is not created. An error is returned if a parameter, such as QueryString, has changed" —
 *   `QueryExecutionContext {Database, Catalog}`, `WorkGroup` (default `primary`; unknown → InvalidRequestException),
 *   `ResultConfiguration.OutputLocation` (required unless the workgroup sets one). Answers `{QueryExecutionId}`.
 * - GetQueryExecution (API_QueryExecution, API_QueryExecutionStatus, API_AthenaError): each poll moves a query
 *   QUEUED → RUNNING → SUCCEEDED (or FAILED) — by default one poll in each — with `StatementType` (DML for
 *   SELECT, UTILITY for SHOW), `Statistics.DataScannedInBytes`, and for FAILED `StateChangeReason` plus
 *   `AthenaError {ErrorCategory, ErrorType, Retryable, ErrorMessage}` (category 2 = USER, type 1000 = user error
 *   in the Athena error catalog).
 * - GetQueryResults (API_GetQueryResults, API_ResultSet, API_ColumnInfo): `MaxResults` 1–1000 (default 1000),
 *   opaque `NextToken` (tamper-checked, bound to its query); cells as `{VarCharValue}` text, `{}` for NULL;
 *   `ResultSetMetadata.ColumnInfo` on every page; the first page of a DML result starts with the header row
 *   (the column labels) and it counts against MaxResults — documented by drivers (uber/athenadriver
 *   "UndocumentedAthena.md": only SELECT, only the first page). A query not yet SUCCEEDED → InvalidRequestException.
 * - StopQueryExecution: the query becomes CANCELLED ("Query cancelled by user"); recorded.
 * - Errors of Athena's own model (API_*: Errors) are `{"__type","Message"}` with 400 InvalidRequestException,
 *   400 TooManyRequestsException (`Reason`), 500 InternalServerException; throttling from the common errors is
 *   400 ThrottlingException.
 *
 * The "engine" evaluates only `SELECT <* | col [AS alias], …> FROM [db.]table [LIMIT n]` and `SHOW TABLES` over
 * small in-memory tables (values stored as Athena renders them): an unknown column, table or schema fails the
 * query with engine v3's messages (`COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved …`); other SQL
 * fails with SYNTAX_ERROR naming the fake's limit. What it cannot reproduce: real Presto/Trino semantics,
 * S3 result files, data-scanned billing rounding (10 MB minimum), workgroup limits.
 *
 * Admin: POST /__fake/reset, /__fake/table {name, columns: [{name, type}], rows: (string|null)[][]},
 * /__fake/query-error {match, message, errorType?, category?, retryable?} (a query whose SQL contains `match`
 * FAILS with `message`), /__fake/result {sql, columns, rows, scanned?} (that exact query text answers these rows:
 * for the Worker's bounded SQL, which the evaluator cannot read), /__fake/lifecycle {queuedPolls, runningPolls} (runningPolls -1: never finishes),
 * /__fake/throttle {times, operation?, type?: ThrottlingException|TooManyRequestsException},
 * /__fake/lose-start {times} (StartQueryExecution creates the query, then answers 500), /__fake/fail,
 * GET /__fake/executions, GET /__fake/requests.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';
import { verifySigV4 } from './ses';

export const athenaFake = {
  region: 'us-east-1',
  accessKeyId: 'AKIAIOSFODNN7ATHENA1',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYATHENAKEY',
  /** Temporary credentials (STS): valid only with their session token. */
  tempAccessKeyId: 'ASIAIOSFODNN7ATHENA1',
  tempSecretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbATHENAKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLEATHENASESSIONTOKEN//////////wEaCXVzLWVhc3QtMSJH',
  /** A workgroup with a result location of its own. */
  workGroup: 'mantissa',
  workGroupOutputLocation: 's3://acme-athena-results/mantissa/',
  /** The default workgroup, without one: requests must give ResultConfiguration.OutputLocation. */
  bareWorkGroup: 'primary',
  database: 'mantissa_lake',
  catalog: 'AwsDataCatalog',
} as const;

export interface FakeColumn {
  readonly name: string;
  readonly type: string;
}
export interface FakeTable {
  readonly columns: FakeColumn[];
  readonly rows: (string | null)[][];
}
/** A result scripted for one exact query text (queries the fake's tiny evaluator cannot read). */
interface ScriptedResult {
  columns: FakeColumn[];
  rows: (string | null)[][];
  scanned?: number;
}
interface ScriptedError {
  match: string;
  message: string;
  errorType: number;
  category: number;
  retryable: boolean;
}

type State = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
type Plan =
  | { kind: 'rows'; statementType: 'DML' | 'UTILITY'; substatementType: string; columns: FakeColumn[]; rows: (string | null)[][]; scanned: number }
  | { kind: 'error'; statementType: 'DML' | 'UTILITY'; message: string; errorType: number; category: number; retryable: boolean };

interface Execution {
  readonly id: string;
  readonly query: string;
  readonly token: string;
  readonly fingerprint: string;
  readonly workGroup: string;
  readonly database: string;
  readonly catalog: string;
  readonly outputLocation: string;
  readonly plan: Plan;
  readonly queuedPolls: number;
  readonly runningPolls: number;
  readonly submittedAt: number;
  polls: number;
  state: State;
  reason?: string;
  completedAt?: number;
  stopped: boolean;
}

const operations = ['StartQueryExecution', 'GetQueryExecution', 'GetQueryResults', 'StopQueryExecution'] as const;
type Operation = (typeof operations)[number];

/** Sizes Athena reports in ColumnInfo.Precision for the types the tables use. */
const precisions: Record<string, number> = { boolean: 0, tinyint: 3, smallint: 5, integer: 10, bigint: 19, double: 17, real: 7, varchar: 2147483647, date: 0, timestamp: 3, decimal: 38 };

function defaultTables(): Map<string, FakeTable> {
  return new Map<string, FakeTable>([
    [
      'events',
      {
        columns: [
          { name: 'event_uid', type: 'varchar' },
          { name: 'source', type: 'varchar' },
          { name: 'event_time', type: 'varchar' },
          { name: 'class_uid', type: 'bigint' },
          { name: 'event_time_inferred', type: 'boolean' },
          { name: 'src_ip', type: 'varchar' },
          { name: 'src_lat', type: 'double' },
          { name: 'src_asn', type: 'bigint' },
        ],
        rows: [
          ['evt-0001', 'okta', '2026-11-27T09:14:03.120Z', '3002', 'false', '81.2.69.142', '51.5142', '20712'],
          ['evt-0002', 'cloudtrail', '2026-11-27T09:15:44.000Z', '3005', 'false', '52.207.21.207', '39.0437', '14618'],
          ['evt-0003', 'okta', '2026-11-27T09:16:10.501Z', '3002', 'true', '92.55.146.245', null, null],
        ],
      },
    ],
    [
      'typed_values',
      {
        columns: [
          { name: 'n_int', type: 'integer' },
          { name: 'n_big', type: 'bigint' },
          { name: 'n_huge', type: 'bigint' },
          { name: 'ratio', type: 'double' },
          { name: 'flag', type: 'boolean' },
          { name: 'label', type: 'varchar' },
          { name: 'seen_at', type: 'timestamp' },
          { name: 'day', type: 'date' },
          { name: 'amount', type: 'decimal' },
          { name: 'missing', type: 'varchar' },
        ],
        rows: [
          ['42', '-7', '9007199254740993', '0.25', 'true', 'O\'Brien, "admin"', '2026-11-27 09:14:03.120', '2026-11-27', '12.50', null],
          ['-1', '1700000000000', '-9223372036854775808', 'NaN', 'false', '', '2026-01-01 00:00:00.000', '2026-01-01', '0.00', null],
        ],
      },
    ],
  ]);
}

/** An Athena-modelled error (API_*: Errors): `Message` with a capital M. */
function athenaError(res: ServerResponse, status: number, type: string, message: string, extra: Record<string, unknown> = {}): void {
  sendJson(res, status, { __type: type, Message: message, ...extra }, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
}

/** An AWS common error (auth, throttling): `message` in lower case, as the front end answers it. */
function commonError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { __type: type, message }, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID(), 'x-amzn-errortype': `${type}:` });
}

const identifier = /^(?:"([^"]+)"|([A-Za-z_][A-Za-z0-9_]*))$/;
const unquote = (raw: string): string | null => {
  const m = identifier.exec(raw.trim());
  return m ? (m[1] ?? m[2]!).toLowerCase() : null;
};

/** What the fake "engine" makes of `sql` (evaluated when the query starts, revealed when it completes). */
function planQuery(sql: string, database: string, tables: ReadonlyMap<string, FakeTable>, scripted: readonly ScriptedError[], results: ReadonlyMap<string, ScriptedResult>): Plan {
  const text = sql.trim().replace(/;\s*$/, '');
  const result = results.get(sql);
  if (result) return { kind: 'rows', statementType: 'DML', substatementType: 'SELECT', columns: result.columns, rows: result.rows, scanned: result.scanned ?? 0 };
  const userError = (message: string, statementType: 'DML' | 'UTILITY' = 'DML'): Plan => ({ kind: 'error', statementType, message, errorType: 1000, category: 2, retryable: false });
  const script = scripted.find((s) => sql.includes(s.match));
  if (script) return { kind: 'error', statementType: 'DML', message: script.message, errorType: script.errorType, category: script.category, retryable: script.retryable };
  if (/^show\s+tables$/i.test(text)) {
    const names = database === athenaFake.database ? [...tables.keys()].sort() : [];
    return { kind: 'rows', statementType: 'UTILITY', substatementType: 'SHOW_TABLES', columns: [{ name: 'tab_name', type: 'string' }], rows: names.map((n) => [n]), scanned: 0 };
  }
  const m = /^select\s+([\s\S]+?)\s+from\s+((?:"[^"]+"|[A-Za-z_]\w*)(?:\.(?:"[^"]+"|[A-Za-z_]\w*))?)(?:\s+limit\s+(\d+))?$/i.exec(text);
  if (!m) return userError('SYNTAX_ERROR: line 1:1: the Athena fake evaluates only SELECT <columns> FROM <table> [LIMIT n] and SHOW TABLES');
  const [, projection, tableRef, limit] = m as unknown as [string, string, string, string | undefined];
  const tableAt = sql.indexOf(tableRef) + 1;
  const parts = tableRef.split('.').map(unquote);
  const [schema, tableName] = parts.length === 2 ? [parts[0]!, parts[1]!] : [database, parts[0]!];
  if (schema !== athenaFake.database) return userError(`SCHEMA_NOT_FOUND: line 1:${tableAt}: Schema '${schema}' does not exist`);
  const table = tables.get(tableName);
  if (!table) return userError(`TABLE_NOT_FOUND: line 1:${tableAt}: Table 'awsdatacatalog.${schema}.${tableName}' does not exist`);

  const picks: { index: number; label: string }[] = [];
  if (projection.trim() === '*') table.columns.forEach((c, index) => picks.push({ index, label: c.name }));
  else {
    let searchFrom = sql.search(/select/i) + 'select'.length;
    for (const item of projection.split(',')) {
      const at = sql.indexOf(item.trim(), searchFrom);
      searchFrom = at + item.trim().length;
      const pm = /^\s*("[^"]+"|[A-Za-z_]\w*)(?:\s+as\s+("[^"]+"|[A-Za-z_]\w*))?\s*$/i.exec(item);
      if (!pm) return userError(`SYNTAX_ERROR: line 1:${at + 1}: the Athena fake projects plain columns only, not '${item.trim()}'`);
      const name = unquote(pm[1]!)!;
      const index = table.columns.findIndex((c) => c.name === name);
      if (index < 0) return userError(`COLUMN_NOT_FOUND: line 1:${at + 1}: Column '${name}' cannot be resolved or requester is not authorized to access requested resources`);
      picks.push({ index, label: pm[2] ? unquote(pm[2])! : name });
    }
  }
  const rows = table.rows.slice(0, limit === undefined ? undefined : Number(limit)).map((row) => picks.map((p) => row[p.index] ?? null));
  return {
    kind: 'rows',
    statementType: 'DML',
    substatementType: 'SELECT',
    columns: picks.map((p) => ({ name: p.label, type: table.columns[p.index]!.type })),
    rows,
    // Athena bills the bytes it read from S3: here, every stored cell of the table (a full scan).
    scanned: table.rows.reduce((sum, row) => sum + row.reduce((s, v) => s + Buffer.byteLength(v ?? ''), 0), 0),
  };
}

export async function startAthenaFake(): Promise<RunningFake> {
  const tokenKey = randomBytes(16);
  let tables = defaultTables();
  let scripted: ScriptedError[] = [];
  let results = new Map<string, ScriptedResult>();
  let lifecycle = { queuedPolls: 1, runningPolls: 1 };
  let throttle: { times: number; operation?: Operation; type: string } = { times: 0, type: 'ThrottlingException' };
  let loseStarts = 0;
  let executions = new Map<string, Execution>();
  let byToken = new Map<string, Execution>();

  const signToken = (id: string, offset: number) => {
    const payload = Buffer.from(JSON.stringify({ id, offset })).toString('base64url');
    return `${payload}.${createHmac('sha256', tokenKey).update(payload).digest('base64url')}`;
  };
  const readToken = (token: string, id: string): number | null => {
    const [payload, mac] = token.split('.');
    if (!payload || !mac) return null;
    const expected = createHmac('sha256', tokenKey).update(payload).digest();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { id: string; offset: number };
    return parsed.id === id ? parsed.offset : null;
  };

  /** A GetQueryExecution poll moves the query one step along its lifecycle. */
  const advance = (e: Execution) => {
    if (e.state === 'SUCCEEDED' || e.state === 'FAILED' || e.state === 'CANCELLED') return;
    e.polls++;
    if (e.polls <= e.queuedPolls) e.state = 'QUEUED';
    else if (e.runningPolls < 0 || e.polls <= e.queuedPolls + e.runningPolls) e.state = 'RUNNING';
    else {
      e.state = e.plan.kind === 'rows' ? 'SUCCEEDED' : 'FAILED';
      if (e.plan.kind === 'error') e.reason = e.plan.message;
      e.completedAt = Date.now();
    }
  };

  const describe = (e: Execution) => {
    const done = e.state === 'SUCCEEDED';
    return {
      QueryExecutionId: e.id,
      Query: e.query,
      StatementType: e.plan.statementType,
      ...(e.plan.kind === 'rows' ? { SubstatementType: e.plan.substatementType } : {}),
      ResultConfiguration: { OutputLocation: `${e.outputLocation.replace(/\/?$/, '/')}${e.id}.csv` },
      ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: false } },
      QueryExecutionContext: { Database: e.database, Catalog: e.catalog.toLowerCase() },
      Status: {
        State: e.state,
        ...(e.reason ? { StateChangeReason: e.reason } : {}),
        SubmissionDateTime: e.submittedAt / 1000,
        ...(e.completedAt ? { CompletionDateTime: e.completedAt / 1000 } : {}),
        ...(e.state === 'FAILED' && e.plan.kind === 'error'
          ? { AthenaError: { ErrorCategory: e.plan.category, ErrorType: e.plan.errorType, Retryable: e.plan.retryable, ErrorMessage: e.plan.message } }
          : {}),
      },
      Statistics: {
        EngineExecutionTimeInMillis: done ? 412 : 0,
        DataScannedInBytes: done && e.plan.kind === 'rows' ? e.plan.scanned : 0,
        TotalExecutionTimeInMillis: done ? 530 : 0,
        QueryQueueTimeInMillis: 61,
        ServicePreProcessingTimeInMillis: 40,
        QueryPlanningTimeInMillis: 95,
        ServiceProcessingTimeInMillis: 17,
        ResultReuseInformation: { ReusedPreviousResult: false },
      },
      WorkGroup: e.workGroup,
      EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
    };
  };

  const handlers: Record<Operation, (res: ServerResponse, body: Record<string, unknown>) => void> = {
    StartQueryExecution(res, body) {
      const query = body.QueryString;
      if (typeof query !== 'string' || query.length === 0 || query.length > 262_144) return athenaError(res, 400, 'InvalidRequestException', 'QueryString must be 1 to 262144 characters.');
      const token = body.ClientRequestToken;
      if (typeof token !== 'string') return athenaError(res, 400, 'InvalidRequestException', 'Missing required parameter ClientRequestToken: it is required when the request is not made with an AWS SDK or the AWS CLI.');
      if (token.length < 32 || token.length > 128) return athenaError(res, 400, 'InvalidRequestException', `1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length between 32 and 128`);
      const workGroup = typeof body.WorkGroup === 'string' ? body.WorkGroup : 'primary';
      const groupOutput = workGroup === athenaFake.workGroup ? athenaFake.workGroupOutputLocation : workGroup === athenaFake.bareWorkGroup ? null : undefined;
      if (groupOutput === undefined) return athenaError(res, 400, 'InvalidRequestException', `WorkGroup ${workGroup} is not found.`, { AthenaErrorCode: 'INVALID_INPUT' });
      const context = (body.QueryExecutionContext ?? {}) as { Database?: unknown; Catalog?: unknown };
      const catalog = typeof context.Catalog === 'string' ? context.Catalog : athenaFake.catalog;
      if (catalog.toLowerCase() !== athenaFake.catalog.toLowerCase()) return athenaError(res, 400, 'InvalidRequestException', `Catalog ${catalog} is not found.`);
      const database = typeof context.Database === 'string' ? context.Database : 'default';
      const requested = (body.ResultConfiguration as { OutputLocation?: unknown } | undefined)?.OutputLocation;
      const outputLocation = typeof requested === 'string' ? requested : groupOutput;
      if (!outputLocation) return athenaError(res, 400, 'InvalidRequestException', 'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.');
      if (!/^s3:\/\/[^/]+/.test(outputLocation)) return athenaError(res, 400, 'InvalidRequestException', `The S3 location provided to save your query results is invalid: ${outputLocation}`);

      const fingerprint = JSON.stringify([query, workGroup, database, catalog.toLowerCase(), outputLocation]);
      const earlier = byToken.get(token);
      if (earlier) {
        if (earlier.fingerprint !== fingerprint) return athenaError(res, 400, 'InvalidRequestException', 'Idempotent parameters do not match');
        return sendJson(res, 200, { QueryExecutionId: earlier.id }, { 'content-type': 'application/x-amz-json-1.1' });
      }
      const execution: Execution = {
        id: randomUUID(),
        query,
        token,
        fingerprint,
        workGroup,
        database,
        catalog,
        outputLocation,
        plan: planQuery(query, database, tables, scripted, results),
        queuedPolls: lifecycle.queuedPolls,
        runningPolls: lifecycle.runningPolls,
        submittedAt: Date.now(),
        polls: 0,
        state: 'QUEUED',
        stopped: false,
      };
      executions.set(execution.id, execution);
      byToken.set(token, execution);
      if (loseStarts > 0) {
        loseStarts--;
        return athenaError(res, 500, 'InternalServerException', 'We encountered an internal error. Please try again.');
      }
      sendJson(res, 200, { QueryExecutionId: execution.id }, { 'content-type': 'application/x-amz-json-1.1' });
    },

    GetQueryExecution(res, body) {
      const e = executions.get(String(body.QueryExecutionId));
      if (!e) return athenaError(res, 400, 'InvalidRequestException', `QueryExecution ${String(body.QueryExecutionId)} was not found`, { AthenaErrorCode: 'INVALID_INPUT' });
      advance(e);
      sendJson(res, 200, { QueryExecution: describe(e) }, { 'content-type': 'application/x-amz-json-1.1' });
    },

    GetQueryResults(res, body) {
      const e = executions.get(String(body.QueryExecutionId));
      if (!e) return athenaError(res, 400, 'InvalidRequestException', `QueryExecution ${String(body.QueryExecutionId)} was not found`, { AthenaErrorCode: 'INVALID_INPUT' });
      const max = body.MaxResults === undefined ? 1000 : body.MaxResults;
      if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 1000) {
        return athenaError(res, 400, 'InvalidRequestException', `1 validation error detected: Value '${String(max)}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000`);
      }
      if (e.state !== 'SUCCEEDED' || e.plan.kind !== 'rows') {
        const why = e.state === 'FAILED' || e.state === 'CANCELLED' ? (e.reason ?? e.state) : `Query has not yet finished. Current state: ${e.state}`;
        return athenaError(res, 400, 'InvalidRequestException', why, { AthenaErrorCode: 'INVALID_INPUT' });
      }
      let offset = 0;
      if (body.NextToken !== undefined) {
        const read = typeof body.NextToken === 'string' ? readToken(body.NextToken, e.id) : null;
        if (read === null) return athenaError(res, 400, 'InvalidRequestException', 'The NextToken provided is invalid.', { AthenaErrorCode: 'INVALID_INPUT' });
        offset = read;
      }
      const { columns, rows } = e.plan;
      const cell = (v: string | null) => (v === null ? {} : { VarCharValue: v });
      const all = [...(e.plan.statementType === 'DML' ? [columns.map((c) => c.name)] : []), ...rows];
      const page = all.slice(offset, offset + max);
      const next = offset + max < all.length ? signToken(e.id, offset + max) : undefined;
      sendJson(
        res,
        200,
        {
          UpdateCount: 0,
          ResultSet: {
            Rows: page.map((r) => ({ Data: r.map(cell) })),
            ResultSetMetadata: {
              ColumnInfo: columns.map((c) => ({
                CatalogName: 'hive',
                SchemaName: '',
                TableName: '',
                Name: c.name,
                Label: c.name,
                Type: c.type,
                Precision: precisions[c.type] ?? 0,
                Scale: 0,
                Nullable: 'UNKNOWN',
                CaseSensitive: c.type === 'varchar' || c.type === 'string',
              })),
            },
          },
          ...(next ? { NextToken: next } : {}),
        },
        { 'content-type': 'application/x-amz-json-1.1' },
      );
    },

    StopQueryExecution(res, body) {
      const e = executions.get(String(body.QueryExecutionId));
      if (!e) return athenaError(res, 400, 'InvalidRequestException', `QueryExecution ${String(body.QueryExecutionId)} was not found`, { AthenaErrorCode: 'INVALID_INPUT' });
      e.stopped = true;
      if (e.state === 'QUEUED' || e.state === 'RUNNING') {
        e.state = 'CANCELLED';
        e.reason = 'Query cancelled by user';
        e.completedAt = Date.now();
      }
      sendJson(res, 200, {}, { 'content-type': 'application/x-amz-json-1.1' });
    },
  };

  const reset = () => {
    tables = defaultTables();
    scripted = [];
    results = new Map();
    lifecycle = { queuedPolls: 1, runningPolls: 1 };
    throttle = { times: 0, type: 'ThrottlingException' };
    loseStarts = 0;
    executions = new Map();
    byToken = new Map();
  };

  return startFakeServer(
    (req, res, url) => {
      if (req.method !== 'POST' || url.pathname !== '/') return commonError(res, 404, 'UnknownOperationException', 'Not Found');
      const auth = verifySigV4(req, {
        region: athenaFake.region,
        service: 'athena',
        secrets: { [athenaFake.accessKeyId]: athenaFake.secretAccessKey, [athenaFake.tempAccessKeyId]: athenaFake.tempSecretAccessKey },
        now: new Date(),
      });
      if (!auth.ok) return commonError(res, auth.status, auth.type, auth.message);
      if (auth.accessKeyId === athenaFake.tempAccessKeyId && req.headers['x-amz-security-token'] !== athenaFake.sessionToken) {
        return commonError(res, 403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('AmazonAthena.') ? (target.slice('AmazonAthena.'.length) as Operation) : undefined;
      if (!operation || !operations.includes(operation)) return commonError(res, 400, 'UnknownOperationException', `Operation ${target || '(none)'} is not supported.`);
      if (String(req.headers['content-type'] ?? '').split(';')[0]!.trim() !== 'application/x-amz-json-1.1') {
        return commonError(res, 400, 'SerializationException', 'Content-Type must be application/x-amz-json-1.1.');
      }
      if (throttle.times > 0 && (!throttle.operation || throttle.operation === operation)) {
        throttle.times--;
        if (throttle.type === 'TooManyRequestsException') return athenaError(res, 400, 'TooManyRequestsException', 'Rate exceeded', { Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED' });
        return commonError(res, 400, 'ThrottlingException', 'Rate exceeded');
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body || '{}') as Record<string, unknown>;
      } catch {
        return commonError(res, 400, 'SerializationException', 'The request body is not valid JSON.');
      }
      handlers[operation](res, body);
    },
    (action, body) => {
      const b = (body ?? {}) as Record<string, unknown>;
      if (action === 'reset') reset();
      else if (action === 'table') tables.set(String(b.name).toLowerCase(), { columns: b.columns as FakeColumn[], rows: b.rows as (string | null)[][] });
      else if (action === 'query-error') {
        scripted.push({ match: String(b.match), message: String(b.message), errorType: Number(b.errorType ?? 1000), category: Number(b.category ?? 2), retryable: b.retryable === true });
      } else if (action === 'result') results.set(String(b.sql), { columns: b.columns as FakeColumn[], rows: b.rows as (string | null)[][], ...(b.scanned === undefined ? {} : { scanned: Number(b.scanned) }) });
      else if (action === 'lifecycle') lifecycle = { queuedPolls: Number(b.queuedPolls ?? 1), runningPolls: Number(b.runningPolls ?? 1) };
      else if (action === 'throttle') throttle = { times: Number(b.times ?? 1), type: String(b.type ?? 'ThrottlingException'), ...(b.operation ? { operation: b.operation as Operation } : {}) };
      else if (action === 'lose-start') loseStarts = Number(b.times ?? 1);
      else if (action === 'executions') {
        return [...executions.values()].map((e) => ({
          id: e.id,
          query: e.query,
          token: e.token,
          state: e.state,
          stopped: e.stopped,
          polls: e.polls,
          workGroup: e.workGroup,
          database: e.database,
          catalog: e.catalog,
          outputLocation: e.outputLocation,
          scanned: e.plan.kind === 'rows' ? e.plan.scanned : 0,
        }));
      } else return { error: `unknown admin action ${action}` };
      return { ok: true };
    },
  );
}
