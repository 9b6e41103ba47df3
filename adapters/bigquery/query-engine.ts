/**
 * BigQuery as a lake query engine (core/lake/query-engine), over the REST v2 API with plain fetch — the official
 * @google-cloud/bigquery client cannot run in workerd. Authenticated as a service account by the JWT bearer
 * grant (adapters/llm/vertex/access-token.ts, cloud-platform scope); a 401 to a cached token is retried once
 * with a new token.
 *
 * - run: `POST /bigquery/v2/projects/{p}/queries` (jobs.query) with GoogleSQL (`useLegacySql: false`), the
 *   configured `defaultDataset` (so unqualified table names resolve), `maxResults`, `timeoutMs`, a `requestId`,
 *   `location` and `maximumBytesBilled` when configured. While `jobComplete` is false it polls
 *   `GET …/queries/{jobId}` (jobs.getQueryResults) with the job's location and a server-side `timeoutMs` (a long
 *   poll); then pages with `pageToken`, asking each page for no more than the rows still wanted, until it has
 *   `maxRows + 1` rows or no token — never another page. Past the caller's budget (or when the caller aborts) a
 *   running job is stopped with `POST …/jobs/{jobId}/cancel` and the result is a failure.
 * - dryRun: jobs.query with `dryRun: true`; BigQuery answers `totalBytesProcessed`, "the number of bytes that
 *   would be processed if the query were run" (QueryResponse), without creating a job.
 *
 * Why some retrying lives here although retrying is a wrapper (core/collect/transport withRetries):
 * - jobs.query is resent once, with the same `requestId`, when its outcome is unknown (network error, 5xx): the
 *   job may exist, and BigQuery treats a request with the same id and parameters within 15 minutes as a duplicate,
 *   so no second job runs. A 429 or rateLimitExceeded created no job and is returned as retryable.
 * - a poll or page read that meets a retryable error is repeated within the budget: the job already ran (and is
 *   billed), re-running it from the wrapper would pay twice.
 *
 * TIMESTAMP values are asked for as int64 microseconds (`formatOptions.useInt64Timestamp`): the default form,
 * seconds as a double, carries ~16 significant digits, just about a current timestamp's microseconds, so it can
 * be off by one; event ordering in a SIEM depends on them.
 * Only validated SQL reaches `run` (core/sql/validate-dialect-query); it is sent as is in the JSON body.
 */
import { z } from 'zod';
import type { HttpFetch, TransportResult } from '../../core/collect/transport';
import type { LakeDryRun, LakeQueryEngine, LakeRows, LakeRunOptions } from '../../core/lake/query-engine';
import { serviceAccountAccessToken, type AccessTokenResult } from '../llm/vertex/access-token';
import { parseBigQueryConfig, type BigQueryConfigInput, type BigQuerySettings } from './config';
import { decodeRows, RowShapeError, type BigQueryField } from './decode-rows';
import { bigQueryErrorResult, errorProtoSchema, jobErrorFailure, type ErrorScope } from './errors';

export { BigQueryConfigError, type BigQueryConfigInput } from './config';

const fieldSchema: z.ZodType<BigQueryField> = z.lazy(() =>
  z.object({ name: z.string(), type: z.string(), mode: z.string().optional(), fields: z.array(fieldSchema).optional() }),
);

/** QueryResponse (jobs.query) and GetQueryResultsResponse share the fields we read. */
const queryResultsSchema = z.object({
  jobReference: z.object({ projectId: z.string().optional(), jobId: z.string().optional(), location: z.string().optional() }).optional(),
  jobComplete: z.boolean().optional(),
  schema: z.object({ fields: z.array(fieldSchema).optional() }).optional(),
  rows: z.array(z.unknown()).optional(),
  pageToken: z.string().optional(),
  totalBytesProcessed: z.string().optional(),
  errors: z.array(errorProtoSchema).optional(),
  status: z.object({ errorResult: errorProtoSchema.optional() }).optional(),
});
type QueryResults = z.infer<typeof queryResultsSchema>;

/** jobs.query's own default wait: a longer long-poll gains little and holds a Worker subrequest open. */
const maxServerWaitMs = 10_000;
/** A floor between polls, in case a server answers "not complete" without waiting. */
const minPollIntervalMs = 50;
const cancelTimeoutMs = 5_000;
const dryRunTimeoutMs = 30_000;

type CallResult = TransportResult<unknown> | { kind: 'retryable'; message: string; retryAfterMs?: number; ambiguous: true };

export function createBigQueryEngine(config: BigQueryConfigInput, fetchImpl: HttpFetch): LakeQueryEngine {
  const settings: BigQuerySettings = parseBigQueryConfig(config);
  const base = `${settings.apiBaseUrl}/bigquery/v2/projects/${encodeURIComponent(settings.projectId)}`;
  const scope: ErrorScope = { projectId: settings.projectId, dataset: settings.dataset, clientEmail: settings.key.clientEmail };
  const defaultDataset = { projectId: settings.projectId, datasetId: settings.dataset };

  async function call(url: string, method: 'GET' | 'POST', body: string | undefined, signal: AbortSignal, what: string): Promise<CallResult> {
    for (let attempt = 0; ; attempt++) {
      const token = await serviceAccountAccessToken(fetchImpl, settings.tokenUrl, settings.key, signal, attempt > 0);
      if (!token.ok) return tokenFailure(token);
      let response: Response;
      try {
        const headers: Record<string, string> = { authorization: `Bearer ${token.token}`, accept: 'application/json' };
        if (body !== undefined) headers['content-type'] = 'application/json';
        response = await fetchImpl(url, { method, headers, ...(body === undefined ? {} : { body }), signal });
      } catch (err) {
        return thrownResult(err, what);
      }
      if (response.status === 401 && token.cached && attempt === 0) {
        await response.body?.cancel();
        continue;
      }
      if (!response.ok) {
        const result = await bigQueryErrorResult(response, what, scope);
        return result.kind === 'retryable' && response.status >= 500 ? { ...result, ambiguous: true } : result;
      }
      try {
        return { kind: 'success', value: (await response.json()) as unknown };
      } catch (err) {
        if (signal.aborted) return thrownResult(err, what);
        return { kind: 'failure', message: `${what} answered ${response.status} with a body that is not JSON` };
      }
    }
  }

  function tokenFailure(token: Extract<AccessTokenResult, { ok: false }>): TransportResult<never> {
    const message = `BigQuery: no access token for ${settings.key.clientEmail} from ${settings.tokenUrl}: ${token.message}`;
    const status = token.status;
    // serviceAccountAccessToken reports a thrown fetch as "… token endpoint failed: <error>": the outbound guard's
    // refusal is configuration, any other is the network.
    if (/outbound (request|redirect) refused/.test(token.message)) return { kind: 'failure', message };
    if (status === 429 || (status !== undefined && status >= 500)) return { kind: 'retryable', message };
    if (status === undefined && token.message.includes('token endpoint failed')) return { kind: 'retryable', message };
    return { kind: 'failure', message: `${message} — check the service account key (serviceAccountKey): it may be deleted or disabled, or not belong to ${settings.key.clientEmail}` };
  }

  function resultsUrl(jobId: string, location: string | undefined, params: Record<string, string>): string {
    const query = new URLSearchParams({ ...params, 'formatOptions.useInt64Timestamp': 'true' });
    if (location) query.set('location', location);
    return `${base}/queries/${encodeURIComponent(jobId)}?${query.toString()}`;
  }

  /** Repeats a read of a job that exists while the answer is retryable and the budget allows. */
  async function readJob(url: string, signal: AbortSignal, deadline: number, what: string): Promise<CallResult> {
    for (;;) {
      const result = await call(url, 'GET', undefined, signal, what);
      if (result.kind !== 'retryable' || signal.aborted) return result;
      const left = deadline - Date.now();
      if (left <= 0) return result;
      await sleep(Math.min(result.retryAfterMs ?? 1000, left), signal);
      if (signal.aborted) return result;
    }
  }

  async function cancelJob(jobId: string, location: string | undefined): Promise<string> {
    const query = location ? `?${new URLSearchParams({ location }).toString()}` : '';
    const result = await call(`${base}/jobs/${encodeURIComponent(jobId)}/cancel${query}`, 'POST', undefined, AbortSignal.timeout(cancelTimeoutMs), 'BigQuery jobs.cancel');
    return result.kind === 'success' ? `job ${jobId} was cancelled` : `cancelling job ${jobId} failed (${result.message}); stop it in the console`;
  }

  async function stopped(options: LakeRunOptions, job: { id: string; location: string | undefined; running: boolean } | null, requestId: string): Promise<TransportResult<never>> {
    const why = options.signal?.aborted ? 'the caller abandoned the BigQuery query' : `the BigQuery query outlived its ${options.timeoutMs} ms budget`;
    if (!job) return { kind: 'failure', message: `${why} before BigQuery answered (requestId ${requestId}); it may still run` };
    if (!job.running) return { kind: 'failure', message: `${why} while its results were read (job ${job.id})` };
    return { kind: 'failure', message: `${why}; ${await cancelJob(job.id, job.location)}` };
  }

  function parseResults(value: unknown): QueryResults | null {
    const parsed = queryResultsSchema.safeParse(value);
    return parsed.success ? parsed.data : null;
  }

  async function run(sql: string, options: LakeRunOptions): Promise<TransportResult<LakeRows>> {
    if (!Number.isInteger(options.maxRows) || options.maxRows < 0) return { kind: 'failure', message: `BigQuery: maxRows must be a whole number ≥ 0 (got ${options.maxRows})` };
    const want = options.maxRows + 1;
    const deadline = Date.now() + options.timeoutMs;
    const budget = AbortSignal.timeout(Math.max(0, options.timeoutMs));
    const signal = options.signal ? AbortSignal.any([options.signal, budget]) : budget;
    const requestId = crypto.randomUUID();
    const what = 'BigQuery jobs.query';
    const body = JSON.stringify({
      query: sql,
      useLegacySql: false,
      defaultDataset,
      maxResults: want,
      timeoutMs: serverWait(deadline),
      requestId,
      formatOptions: { useInt64Timestamp: true },
      ...(settings.location ? { location: settings.location } : {}),
      ...(settings.maximumBytesBilled ? { maximumBytesBilled: settings.maximumBytesBilled } : {}),
    });

    let answer = await call(`${base}/queries`, 'POST', body, signal, what);
    if (answer.kind === 'retryable' && 'ambiguous' in answer && !signal.aborted && Date.now() < deadline) {
      answer = await call(`${base}/queries`, 'POST', body, signal, what);
    }
    if (signal.aborted) return stopped(options, null, requestId);
    if (answer.kind !== 'success') return plain(answer);
    let page = parseResults(answer.value);
    if (!page) return { kind: 'failure', message: `${what} answered a response that is not a QueryResponse` };
    const jobId = page.jobReference?.jobId;
    const location = page.jobReference?.location ?? settings.location;
    if (!jobId) return { kind: 'failure', message: `${what} answered without a jobReference.jobId` };

    let lastPoll = 0;
    while (page.jobComplete !== true) {
      if (Date.now() >= deadline || signal.aborted) return stopped(options, { id: jobId, location, running: true }, requestId);
      await sleep(Math.max(0, lastPoll + minPollIntervalMs - Date.now()), signal);
      lastPoll = Date.now();
      const polled = await readJob(resultsUrl(jobId, location, { maxResults: String(want), timeoutMs: String(serverWait(deadline)) }), signal, deadline, 'BigQuery jobs.getQueryResults');
      if (signal.aborted || (polled.kind === 'retryable' && Date.now() >= deadline)) return stopped(options, { id: jobId, location, running: true }, requestId);
      if (polled.kind !== 'success') return plain(polled);
      page = parseResults(polled.value);
      if (!page) return { kind: 'failure', message: 'BigQuery jobs.getQueryResults answered a response that is not a GetQueryResultsResponse' };
    }

    const jobError = page.status?.errorResult ?? (page.schema ? undefined : page.errors?.[0]);
    if (jobError) return jobErrorFailure(jobError, `BigQuery job ${jobId}`, scope);
    const fields = page.schema?.fields;
    if (!fields) return { kind: 'failure', message: `BigQuery job ${jobId} finished without a result schema` };
    const bytesScanned = toBytes(page.totalBytesProcessed);
    const rows: unknown[][] = [];
    try {
      rows.push(...decodeRows(fields, page.rows ?? [], 'micros'));
      let pageToken = page.pageToken;
      while (rows.length < want && pageToken) {
        if (Date.now() >= deadline || signal.aborted) return stopped(options, { id: jobId, location, running: false }, requestId);
        const next = await readJob(resultsUrl(jobId, location, { pageToken, maxResults: String(want - rows.length) }), signal, deadline, 'BigQuery jobs.getQueryResults');
        if (signal.aborted || (next.kind === 'retryable' && Date.now() >= deadline)) return stopped(options, { id: jobId, location, running: false }, requestId);
        if (next.kind !== 'success') return plain(next);
        const more = parseResults(next.value);
        if (!more) return { kind: 'failure', message: 'BigQuery jobs.getQueryResults answered a page that is not a GetQueryResultsResponse' };
        rows.push(...decodeRows(more.schema?.fields ?? fields, more.rows ?? [], 'micros'));
        pageToken = more.pageToken;
      }
    } catch (err) {
      if (err instanceof RowShapeError) return { kind: 'failure', message: `BigQuery job ${jobId} answered rows that do not match their schema: ${err.message}` };
      throw err;
    }
    return {
      kind: 'success',
      value: { columns: fields.map((f) => f.name), rows: rows.slice(0, options.maxRows), truncated: rows.length > options.maxRows, bytesScanned, queryId: jobId },
    };
  }

  async function dryRun(sql: string, signal?: AbortSignal): Promise<TransportResult<LakeDryRun>> {
    const what = 'BigQuery jobs.query (dry run)';
    const body = JSON.stringify({ query: sql, useLegacySql: false, dryRun: true, defaultDataset, ...(settings.location ? { location: settings.location } : {}) });
    const answer = await call(`${base}/queries`, 'POST', body, signal ?? AbortSignal.timeout(dryRunTimeoutMs), what);
    if (answer.kind !== 'success') return plain(answer);
    const page = parseResults(answer.value);
    const bytes = toBytes(page?.totalBytesProcessed);
    if (bytes === null) return { kind: 'failure', message: `${what} answered without totalBytesProcessed` };
    return { kind: 'success', value: { bytes } };
  }

  return { dialect: 'bigquery', run, dryRun };
}

/** How long BigQuery may hold a call: what is left of the budget, less a margin to read the answer. */
function serverWait(deadline: number): number {
  const left = deadline - Date.now();
  return Math.max(0, Math.min(maxServerWaitMs, Math.floor(left - Math.min(1000, left / 4))));
}

function toBytes(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return Number(value);
}

function thrownResult(err: unknown, what: string): TransportResult<never> | { kind: 'retryable'; message: string; ambiguous: true } {
  const message = err instanceof Error ? err.message : String(err);
  // The outbound guard (adapters/http/guarded-fetch) refusing a URL is configuration, not a passing fault.
  if (err instanceof Error && err.name === 'OutboundRefusedError') return { kind: 'failure', message: `${what}: ${message}` };
  return { kind: 'retryable', message: `${what} failed: ${message}`, ambiguous: true };
}

function plain<T>(result: Exclude<CallResult, { kind: 'success' }>): TransportResult<T> {
  if (result.kind === 'failure') return result;
  return result.retryAfterMs === undefined ? { kind: 'retryable', message: result.message } : { kind: 'retryable', message: result.message, retryAfterMs: result.retryAfterMs };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
