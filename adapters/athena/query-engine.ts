/**
 * The Amazon Athena lake query engine (core/lake/query-engine, dialect `athena`): runs one validated SELECT on
 * the customer's Glue database through Athena's JSON 1.1 API (`POST /`, `X-Amz-Target: AmazonAthena.<Operation>`,
 * `Content-Type: application/x-amz-json-1.1`), SigV4-signed by aws4fetch (service `athena`) and sent through the
 * guarded fetch.
 *
 * Flow: StartQueryExecution (with a ClientRequestToken, so a retried start after a lost answer returns the same
 * QueryExecutionId instead of running the query twice) → GetQueryExecution polled with backoff until SUCCEEDED,
 * FAILED or CANCELLED → GetQueryResults paged with NextToken, asking each page for no more rows than are still
 * needed (MaxResults ≤ 1000), so that at most `maxRows + 1` data rows are ever read.
 *
 * Invariants:
 * - The SQL is sent as given; nothing is concatenated into it.
 * - The whole run (polling, retries and paging) stays within `timeoutMs`; when the budget runs out, or the
 *   caller aborts, while the query is still running, it is stopped with StopQueryExecution and the run fails.
 * - Only the first page of a DML (SELECT) result starts with a header row (the column labels); it is dropped
 *   there and nowhere else. Column names come from ResultSetMetadata.ColumnInfo.
 * - Each HTTP call is retried (withRetries) on throttling (400 ThrottlingException / TooManyRequestsException),
 *   5xx and network errors; if it is still failing that way it is returned as `retryable`. Auth errors are
 *   `failure` and say which credential to check; no message ever contains a credential.
 * - Misconfiguration throws (AthenaConfigError) when the engine is created, naming every bad field.
 */
import { AwsV4Signer } from 'aws4fetch';
import { z } from 'zod';
import { withRetries, type HttpFetch, type TransportResult } from '../../core/collect/transport';
import type { LakeQueryEngine, LakeRows, LakeRunOptions } from '../../core/lake/query-engine';
import { OutboundRefusedError } from '../http/guarded-fetch';
import {
  athenaErrorResult,
  getQueryExecutionResponseSchema,
  getQueryResultsResponseSchema,
  isHeaderRow,
  pageRows,
  queryFailureReason,
  startQueryExecutionResponseSchema,
  type ColumnInfo,
  type QueryExecution,
} from './wire';

export const athenaConfigSchema = z.object({
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'an AWS region such as us-east-1'),
  workGroup: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'an Athena workgroup name (1–128 letters, digits, . _ -)'),
  /** The Glue database the lake's tables live in. */
  database: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'a Glue database name (letters, digits, _ and -)'),
  catalog: z.string().min(1).max(256).default('AwsDataCatalog'),
  /** Where Athena writes results; optional when the workgroup sets one. */
  outputLocation: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'an S3 URI such as s3://bucket/prefix/')
    .optional(),
  accessKeyId: z.string().regex(/^[A-Z0-9]{16,128}$/, 'an AWS access key id (AKIA… or ASIA…)'),
  secretAccessKey: z.string().min(1, 'the secret access key of accessKeyId'),
  sessionToken: z.string().min(1).optional(),
  /** Default https://athena.<region>.amazonaws.com (a VPC endpoint, or a test fake). */
  endpoint: z
    .url({ protocol: /^https?$/ })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  /** First wait between GetQueryExecution polls; it grows by half each poll up to maxPollIntervalMs. */
  pollIntervalMs: z.number().int().min(1).max(60_000).default(500),
  maxPollIntervalMs: z.number().int().min(1).max(60_000).default(5_000),
  /** Retries of one HTTP call on throttling, 5xx and network errors. */
  retry: z
    .object({ attempts: z.number().int().min(1).max(10), baseDelayMs: z.number().int().min(0), maxDelayMs: z.number().int().min(0) })
    .default({ attempts: 4, baseDelayMs: 250, maxDelayMs: 5_000 }),
});
export type AthenaConfigInput = z.input<typeof athenaConfigSchema>;
export type AthenaConfig = z.infer<typeof athenaConfigSchema>;

export class AthenaConfigError extends Error {
  override readonly name = 'AthenaConfigError';
}

/** The config, or an error naming every bad field (values are never echoed: one of them is a secret). */
export function parseAthenaConfig(input: unknown): AthenaConfig {
  const parsed = athenaConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
  throw new AthenaConfigError(`invalid Athena query engine configuration: ${issues}`);
}

type Operation = 'StartQueryExecution' | 'GetQueryExecution' | 'GetQueryResults' | 'StopQueryExecution';

/** Athena answers at most this many rows per GetQueryResults page (API_GetQueryResults, MaxResults). */
const maxPageRows = 1000;
/** StopQueryExecution runs after the budget is spent (that is why it is called): it gets its own short one. */
const stopTimeoutMs = 5_000;

/** The run's wall-clock budget, and the signal that ends a request when it runs out or the caller aborts. */
class Budget {
  private readonly deadline: number;
  constructor(
    timeoutMs: number,
    readonly caller: AbortSignal | undefined,
  ) {
    this.deadline = Date.now() + timeoutMs;
  }
  remaining(): number {
    return Math.max(0, this.deadline - Date.now());
  }
  spent(): boolean {
    return this.remaining() === 0;
  }
  aborted(): boolean {
    return this.caller?.aborted === true;
  }
  signal(): AbortSignal {
    const timeout = AbortSignal.timeout(Math.max(1, this.remaining()));
    return this.caller ? AbortSignal.any([this.caller, timeout]) : timeout;
  }
  /** Waits `ms`, cut short by the deadline or the caller's abort. */
  sleep(ms: number): Promise<void> {
    const wait = Math.min(ms, this.remaining());
    if (this.aborted() || wait === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.caller?.removeEventListener('abort', onAbort);
        resolve();
      }, wait);
      this.caller?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

export function createAthenaQueryEngine(configInput: AthenaConfigInput, fetchImpl: HttpFetch): LakeQueryEngine {
  const config = parseAthenaConfig(configInput);
  const endpoint = config.endpoint ?? `https://athena.${config.region}.amazonaws.com`;
  const url = `${endpoint}/`;
  const where = `Athena (${config.region}, workgroup ${config.workGroup})`;

  const credentials = [config.secretAccessKey, config.sessionToken].filter((c): c is string => !!c);
  /** Belt and braces: no message may carry a credential, whatever a server or proxy echoed back. */
  function redacted<T>(result: TransportResult<T>): TransportResult<T> {
    if (result.kind === 'success') return result;
    return { ...result, message: credentials.reduce((m, c) => m.split(c).join('[redacted]'), result.message) };
  }

  /** One signed JSON 1.1 call; the answer's JSON on 2xx. */
  async function callOnce(operation: Operation, payload: unknown, signal: AbortSignal, budget: Budget | null): Promise<TransportResult<unknown>> {
    return redacted(await callOnceRaw(operation, payload, signal, budget));
  }

  async function callOnceRaw(operation: Operation, payload: unknown, signal: AbortSignal, budget: Budget | null): Promise<TransportResult<unknown>> {
    const what = `${where} ${operation}`;
    if (budget?.aborted()) return { kind: 'failure', message: `${what}: cancelled by the caller` };
    if (budget?.spent()) return { kind: 'failure', message: `${what}: the time budget is spent` };
    const body = JSON.stringify(payload);
    let response: Response;
    try {
      const signed = await new AwsV4Signer({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonAthena.${operation}` },
        body,
        accessKeyId: config.accessKeyId,
        secretAccessKey: config.secretAccessKey,
        ...(config.sessionToken ? { sessionToken: config.sessionToken } : {}),
        service: 'athena',
        region: config.region,
      }).sign();
      response = await fetchImpl(signed.url.toString(), { method: 'POST', headers: signed.headers, body, signal });
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      if (err instanceof OutboundRefusedError) return { kind: 'failure', message: `${what}: ${text}` };
      if (budget?.aborted()) return { kind: 'failure', message: `${what}: cancelled by the caller` };
      if (budget?.spent()) return { kind: 'failure', message: `${what}: the time budget is spent` };
      return { kind: 'retryable', message: `${what} failed: ${text}` };
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) return athenaErrorResult(response.status, response.headers, text, what);
    try {
      return { kind: 'success', value: JSON.parse(text) as unknown };
    } catch {
      return { kind: 'failure', message: `${what} answered ${response.status} with a body that is not JSON` };
    }
  }

  /**
   * A call retried on throttling, 5xx and network errors, its waits cut to the budget. A call still failing
   * that way when the attempts run out stays `retryable` (the port's contract), rather than withRetries' failure.
   */
  async function call<T>(operation: Operation, payload: unknown, schema: z.ZodType<T>, budget: Budget): Promise<TransportResult<T>> {
    let last: TransportResult<unknown> | undefined;
    const result = await withRetries(
      async () => (last = await callOnce(operation, payload, budget.signal(), budget)),
      config.retry,
      (ms) => budget.sleep(ms),
    );
    if (result.kind !== 'success') {
      return last?.kind === 'retryable' ? { ...last, message: `${last.message} (still failing after ${config.retry.attempts} attempts)` } : result;
    }
    const parsed = schema.safeParse(result.value);
    if (!parsed.success) return { kind: 'failure', message: `${where} ${operation} answered an unexpected shape: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
    return { kind: 'success', value: parsed.data };
  }

  /** Best effort: the query is being abandoned; its own failure is reported in the run's message. */
  async function stop(queryId: string): Promise<string> {
    const stopped = await callOnce('StopQueryExecution', { QueryExecutionId: queryId }, AbortSignal.timeout(stopTimeoutMs), null);
    return stopped.kind === 'success' ? `stopped query ${queryId}` : `could not stop query ${queryId}: ${stopped.message}`;
  }

  async function waitForCompletion(queryId: string, budget: Budget, timeoutMs: number): Promise<TransportResult<QueryExecution>> {
    let delay = config.pollIntervalMs;
    for (;;) {
      const polled = await call('GetQueryExecution', { QueryExecutionId: queryId }, getQueryExecutionResponseSchema, budget);
      if (polled.kind === 'success') {
        const execution = polled.value.QueryExecution;
        const state = execution.Status.State;
        if (state === 'SUCCEEDED') return { kind: 'success', value: execution };
        if (state === 'FAILED') {
          const reason = `${where}: query ${queryId} failed: ${queryFailureReason(execution)}`;
          // Athena says when resubmitting might work (AthenaError.Retryable: a transient system error).
          return execution.Status.AthenaError?.Retryable ? { kind: 'retryable', message: reason } : { kind: 'failure', message: reason };
        }
        if (state === 'CANCELLED') return { kind: 'failure', message: `${where}: query ${queryId} was cancelled: ${queryFailureReason(execution)}` };
      }
      if (budget.aborted()) return { kind: 'failure', message: `${where}: query ${queryId} cancelled by the caller; ${await stop(queryId)}` };
      if (budget.spent()) return { kind: 'failure', message: `${where}: query ${queryId} did not finish within ${timeoutMs} ms; ${await stop(queryId)}` };
      if (polled.kind !== 'success') {
        // Polling itself failed for good (or kept failing): the query would run on unwatched, so stop it.
        return { ...polled, message: `${polled.message}; ${await stop(queryId)}` };
      }
      await budget.sleep(delay);
      delay = Math.min(config.maxPollIntervalMs, Math.ceil(delay * 1.5));
    }
  }

  async function readResults(queryId: string, execution: QueryExecution, maxRows: number, budget: Budget): Promise<TransportResult<{ columns: ColumnInfo[]; rows: unknown[][] }>> {
    const wanted = maxRows + 1;
    const rows: unknown[][] = [];
    let columns: ColumnInfo[] = [];
    let nextToken: string | undefined;
    let first = true;
    // Only a SELECT (StatementType DML) has the header row; without a StatementType, recognise it by its labels.
    const headerExpected = execution.StatementType === undefined ? null : execution.StatementType === 'DML';
    do {
      const header = first && headerExpected !== false ? 1 : 0;
      const page = await call(
        'GetQueryResults',
        { QueryExecutionId: queryId, MaxResults: Math.min(maxPageRows, wanted - rows.length + header), ...(nextToken ? { NextToken: nextToken } : {}) },
        getQueryResultsResponseSchema,
        budget,
      );
      if (page.kind !== 'success') return page;
      let pageData = page.value.ResultSet.Rows;
      if (first) {
        columns = page.value.ResultSet.ResultSetMetadata.ColumnInfo;
        if (headerExpected === true || (headerExpected === null && isHeaderRow(columns, pageData[0]))) pageData = pageData.slice(1);
      }
      rows.push(...pageRows(columns, pageData));
      nextToken = page.value.NextToken;
      first = false;
    } while (nextToken && rows.length < wanted);
    return { kind: 'success', value: { columns, rows } };
  }

  async function run(sql: string, options: LakeRunOptions): Promise<TransportResult<LakeRows>> {
    if (!Number.isSafeInteger(options.maxRows) || options.maxRows < 0) return { kind: 'failure', message: `${where}: maxRows must be a whole number ≥ 0, not ${options.maxRows}` };
    const budget = new Budget(options.timeoutMs, options.signal);
    const started = await call(
      'StartQueryExecution',
      {
        QueryString: sql,
        // Idempotency: a retried start (lost answer, throttling) returns the same execution, not a second query.
        ClientRequestToken: crypto.randomUUID(),
        QueryExecutionContext: { Database: config.database, Catalog: config.catalog },
        WorkGroup: config.workGroup,
        ...(config.outputLocation ? { ResultConfiguration: { OutputLocation: config.outputLocation } } : {}),
      },
      startQueryExecutionResponseSchema,
      budget,
    );
    if (started.kind !== 'success') return started;
    const queryId = started.value.QueryExecutionId;

    const finished = await waitForCompletion(queryId, budget, options.timeoutMs);
    if (finished.kind !== 'success') return finished;

    const results = await readResults(queryId, finished.value, options.maxRows, budget);
    if (results.kind !== 'success') return { ...results, message: `${results.message} (query ${queryId})` };
    const { columns, rows } = results.value;
    return {
      kind: 'success',
      value: {
        columns: columns.map((c) => c.Name),
        rows: rows.slice(0, options.maxRows),
        truncated: rows.length > options.maxRows,
        bytesScanned: finished.value.Statistics?.DataScannedInBytes ?? null,
        queryId,
      },
    };
  }

  return { dialect: 'athena', run };
}
