/**
 * Loopback fake of the BigQuery REST v2 query API and the Google OAuth token endpoint it needs.
 *
 * Token endpoint: the Vertex fake's (llm-vertex.ts startVertexFakes), reused as is — it verifies the RS256 JWT
 * bearer assertion against the generated key's public key, checks iss/aud/lifetime/cloud-platform scope and
 * issues `ya29.c.fake-…` tokens. Since that fake keeps its issued tokens to itself, this fake asks its resource
 * server whether a bearer token is one it issued (its generateContent answers 401 to any other token, and 404 to
 * an issued one for a project it does not know), as a resource server would ask an introspection endpoint.
 *
 * BigQuery (https://cloud.google.com/bigquery/docs/reference/rest/v2/jobs/query,
 * …/jobs/getQueryResults, …/jobs/cancel; error envelope and reasons from
 * https://cloud.google.com/bigquery/docs/error-messages and …/troubleshoot-quotas):
 * - every call needs `Authorization: Bearer <issued token>` → else 401 `unauthorized`/UNAUTHENTICATED;
 *   another project → 403 `accessDenied` ("User does not have bigquery.jobs.create permission in project …");
 * - `POST /bigquery/v2/projects/{p}/queries` (QueryRequest): needs `query`, `useLegacySql: false` (the fake
 *   scripts GoogleSQL only), `defaultDataset` = the fake's dataset (404 `notFound` otherwise), `location` if given
 *   must be the dataset's (404 "… was not found in location …"). Queries are scripted by exact SQL text; an
 *   unscripted one is 400 `invalidQuery`. `dryRun: true` answers `totalBytesProcessed`, the schema and
 *   `jobComplete: true`, no rows and no job (a dry run creates none). `maximumBytesBilled` below the scripted
 *   bytes → 400 `bytesBilledLimitExceeded` "Query exceeded limit for bytes billed: X. Y or higher required.".
 *   A `requestId` seen before with the same parameters (within 15 minutes, not a dry run) returns the same job
 *   instead of creating another (QueryRequest.requestId). A job scripted with `polls: n` answers
 *   `jobComplete: false` here and to its next n getQueryResults calls, each held up to min(timeoutMs, holdMs).
 * - `GET /bigquery/v2/projects/{p}/queries/{jobId}` (getQueryResults): `location` must be the job's (the fake's
 *   location is regional, for which the API requires it) else 404 "Not found: Job …"; pages by `maxResults`
 *   (capped at the scripted `pageSize`, as BigQuery caps a page at 10 MB) with an opaque `pageToken`;
 *   `startIndex` is honoured too. A job scripted to fail answers its errorResult as the HTTP error.
 * - `POST /bigquery/v2/projects/{p}/jobs/{jobId}/cancel` → `{kind: bigquery#jobCancelResponse, job}`; the job
 *   is marked cancelled (a later getQueryResults answers 400 `stopped`).
 * - rows are f/v encoded from scripted JS values by schema: scalars as strings, TIMESTAMP as float seconds
 *   ("1.7005032E9", Java double form) or, with `formatOptions.useInt64Timestamp`, integer microseconds; REPEATED
 *   as `[{v}]`, RECORD as `{f: [{v}]}`, JSON as JSON text, null as `v: null`.
 * Admin (POST /__fake/…): `script` {queries: ScriptedQuery[]}, `jobs` (state of every job), `rate-limit`
 * {times, status?: 403 | 429, retryAfterSeconds?} answers BigQuery's `rateLimitExceeded`, `drop-response`
 * {times} creates the job of the next jobs.query and then drops the connection (the answer is lost), `reset`;
 * plus the generic `fail` and `requests` of fake-server.ts.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeServer, type FakeRequest, type RunningFake } from './fake-server';
import { vertexFakeServiceAccount } from './llm-credentials';
import { startVertexFakes } from './llm-vertex';

export const bigQueryFakeProject = 'acme-siem';
export const bigQueryFakeDataset = 'mantissa_lake';
export const bigQueryFakeLocation = 'europe-west4';
export const bigQueryFakeServiceAccount = vertexFakeServiceAccount;

export interface FakeField {
  name: string;
  type: string;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  fields?: FakeField[];
}

export interface ScriptedQuery {
  sql: string;
  schema: FakeField[];
  /** JS values in schema order; TIMESTAMP as ISO 8601 with up to 6 fraction digits, INTEGER as number or string. */
  rows?: unknown[][];
  totalBytesProcessed?: number;
  /** getQueryResults answers `jobComplete: false` this many times (and jobs.query does too when > 0). */
  polls?: number;
  /** How long an incomplete answer is held (bounded by the request's timeoutMs). Default 20 ms. */
  holdMs?: number;
  /** Server-side cap on rows per page. */
  pageSize?: number;
  /** jobs.query refuses the query up front (validation), dry runs included. */
  error?: { status: number; reason: string; message: string };
  /** The job fails when it finishes. */
  jobError?: { reason: string; message: string };
}

interface FakeJob {
  readonly id: string;
  readonly location: string;
  readonly query: ScriptedQuery;
  readonly requestId: string | null;
  remainingPolls: number;
  cancelled: boolean;
  pagesServed: number;
}

interface RequestIdEntry {
  readonly job: FakeJob;
  readonly params: string;
  readonly at: number;
}

const unauthenticated = 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
const googleStatus: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

export function bigQueryError(res: ServerResponse, code: number, reason: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, code, { error: { code, message, errors: [{ message, domain: 'global', reason }], status: googleStatus[code] ?? 'UNKNOWN' } }, headers);
}

export interface RunningBigQueryFake {
  readonly oauth: RunningFake;
  readonly bigquery: RunningFake;
  /** The JSON key file of the service account the token endpoint knows. */
  serviceAccountKey(): Promise<string>;
  close(): Promise<void>;
}

export async function startBigQueryFake(): Promise<RunningBigQueryFake> {
  const { oauth, aiplatform } = await startVertexFakes();
  const scripts = new Map<string, ScriptedQuery>();
  const jobs = new Map<string, FakeJob>();
  const requestIds = new Map<string, RequestIdEntry>();
  let rateLimit: { times: number; status: number; retryAfterSeconds?: number } | null = null;
  let dropResponses = 0;

  async function tokenIssued(authorization: string | undefined): Promise<boolean> {
    if (!authorization || !/^Bearer \S+$/.test(authorization)) return false;
    const probe = await fetch(`${aiplatform.origin}/v1/projects/bigquery-fake-token-check/locations/none/publishers/google/models/none:generateContent`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: '{}',
    });
    await probe.body?.cancel();
    return probe.status !== 401;
  }

  const bigquery = await startFakeServer(
    async (req, res, url) => {
      const m = /^\/bigquery\/v2\/projects\/([^/]+)\/(queries|jobs)(?:\/([^/]+))?(\/cancel)?$/.exec(url.pathname);
      if (!m) return bigQueryError(res, 404, 'notFound', `The requested URL ${url.pathname} was not found on this server.`);
      if (!(await tokenIssued(req.headers.authorization as string | undefined))) {
        return sendJson(res, 401, { error: { code: 401, message: unauthenticated, errors: [{ message: unauthenticated, domain: 'global', reason: 'unauthorized' }], status: 'UNAUTHENTICATED' } });
      }
      if (rateLimit && rateLimit.times > 0) {
        rateLimit.times--;
        const headers: Record<string, string> = rateLimit.retryAfterSeconds === undefined ? {} : { 'retry-after': String(rateLimit.retryAfterSeconds) };
        return bigQueryError(res, rateLimit.status, 'rateLimitExceeded', 'Exceeded rate limits: too many api requests per user per method for this user_method. For more information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas', headers);
      }
      const project = decodeURIComponent(m[1]!);
      if (project !== bigQueryFakeProject) {
        return bigQueryError(res, 403, 'accessDenied', `Access Denied: Project ${project}: User does not have bigquery.jobs.create permission in project ${project}.`);
      }
      const jobId = m[3] === undefined ? undefined : decodeURIComponent(m[3]);
      if (m[2] === 'queries' && jobId === undefined && req.method === 'POST') return jobsQuery(req, res);
      if (m[2] === 'queries' && jobId !== undefined && req.method === 'GET') return getQueryResults(res, url, jobId);
      if (m[2] === 'jobs' && jobId !== undefined && m[4] && req.method === 'POST') return cancel(res, url, jobId);
      return bigQueryError(res, 404, 'notFound', `The requested URL ${url.pathname} was not found on this server.`);
    },
    (action, body) => {
      const b = (body ?? {}) as Record<string, unknown>;
      if (action === 'reset') {
        scripts.clear();
        jobs.clear();
        requestIds.clear();
        rateLimit = null;
        dropResponses = 0;
      } else if (action === 'script') {
        for (const q of (b.queries ?? []) as ScriptedQuery[]) scripts.set(q.sql, q);
      } else if (action === 'rate-limit') {
        rateLimit = { times: Number(b.times ?? 1), status: Number(b.status ?? 403), ...(b.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: Number(b.retryAfterSeconds) }) };
      } else if (action === 'drop-response') {
        dropResponses = Number(b.times ?? 1);
      } else if (action === 'jobs') {
        return [...jobs.values()].map((j) => ({ jobId: j.id, location: j.location, sql: j.query.sql, requestId: j.requestId, cancelled: j.cancelled, done: j.remainingPolls === 0 || j.cancelled, pagesServed: j.pagesServed }));
      }
      return { scripts: scripts.size, jobs: jobs.size };
    },
  );

  async function jobsQuery(req: FakeRequest, res: ServerResponse): Promise<void> {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      return bigQueryError(res, 400, 'parseError', 'Parse Error');
    }
    if (typeof body.query !== 'string' || !body.query) return bigQueryError(res, 400, 'required', 'Required parameter is missing');
    if (body.useLegacySql !== false) return bigQueryError(res, 400, 'invalidQuery', 'fake: only GoogleSQL (useLegacySql: false) is scripted');
    const dataset = body.defaultDataset as { projectId?: unknown; datasetId?: unknown } | undefined;
    if (!dataset || dataset.datasetId !== bigQueryFakeDataset || (dataset.projectId ?? bigQueryFakeProject) !== bigQueryFakeProject) {
      return bigQueryError(res, 404, 'notFound', `Not found: Dataset ${String(dataset?.projectId ?? bigQueryFakeProject)}:${String(dataset?.datasetId ?? '')}`);
    }
    const location = typeof body.location === 'string' ? body.location : bigQueryFakeLocation;
    if (location.toLowerCase() !== bigQueryFakeLocation) {
      return bigQueryError(res, 404, 'notFound', `Not found: Dataset ${bigQueryFakeProject}:${bigQueryFakeDataset} was not found in location ${location}`);
    }
    const script = scripts.get(body.query);
    if (!script) return bigQueryError(res, 400, 'invalidQuery', `fake: no result is scripted for this query at [1:1]`);
    if (script.error) return bigQueryError(res, script.error.status, script.error.reason, script.error.message);
    const bytes = script.totalBytesProcessed ?? 0;
    if (body.dryRun === true) {
      return sendJson(res, 200, { kind: 'bigquery#queryResponse', schema: { fields: script.schema }, jobReference: { projectId: bigQueryFakeProject, location: bigQueryFakeLocation }, totalBytesProcessed: String(bytes), jobComplete: true, cacheHit: false });
    }
    const limit = body.maximumBytesBilled === undefined ? undefined : Number(body.maximumBytesBilled);
    if (limit !== undefined && bytes > limit) {
      // BigQuery bills at least 10 MB per table read; the "or higher required" figure is what the query needs.
      return bigQueryError(res, 400, 'bytesBilledLimitExceeded', `Query exceeded limit for bytes billed: ${limit}. ${Math.max(bytes, 10_485_760)} or higher required.`);
    }
    const requestId = typeof body.requestId === 'string' ? body.requestId : null;
    if (requestId !== null && (requestId.length > 36 || !/^[\x20-\x7e]+$/.test(requestId))) return bigQueryError(res, 400, 'invalid', 'Invalid request_id: at most 36 ASCII characters');
    const params = JSON.stringify([body.query, body.useLegacySql, body.defaultDataset, body.maximumBytesBilled ?? null, location]);
    const seen = requestId === null ? undefined : requestIds.get(requestId);
    let job: FakeJob;
    if (seen && seen.params === params && Date.now() - seen.at < 15 * 60_000) {
      job = seen.job;
    } else {
      job = { id: `job_${randomUUID().replace(/-/g, '').slice(0, 20)}`, location: bigQueryFakeLocation, query: script, requestId, remainingPolls: script.polls ?? 0, cancelled: false, pagesServed: 0 };
      jobs.set(job.id, job);
      if (requestId !== null) requestIds.set(requestId, { job, params, at: Date.now() });
    }
    if (dropResponses > 0) {
      dropResponses--;
      // The job exists; the caller never hears about it.
      res.destroy();
      return;
    }
    const int64 = (body.formatOptions as { useInt64Timestamp?: unknown } | undefined)?.useInt64Timestamp === true;
    const maxResults = body.maxResults === undefined ? undefined : Number(body.maxResults);
    await answerJob(res, job, { maxResults, offset: 0, timeoutMs: body.timeoutMs === undefined ? 10_000 : Number(body.timeoutMs), int64, kind: 'bigquery#queryResponse', poll: false });
  }

  async function getQueryResults(res: ServerResponse, url: URL, jobId: string): Promise<void> {
    const job = jobs.get(jobId);
    const location = url.searchParams.get('location');
    if (!job || location === null || location.toLowerCase() !== job.location) return bigQueryError(res, 404, 'notFound', `Not found: Job ${bigQueryFakeProject}:${jobId}`);
    let offset = Number(url.searchParams.get('startIndex') ?? '0');
    const token = url.searchParams.get('pageToken');
    if (token !== null) {
      const decoded = decodePageToken(token);
      if (!decoded || decoded.job !== job.id) return bigQueryError(res, 400, 'invalid', 'Invalid page token.');
      offset = decoded.offset;
    }
    const maxResults = url.searchParams.get('maxResults');
    await answerJob(res, job, {
      maxResults: maxResults === null ? undefined : Number(maxResults),
      offset,
      timeoutMs: Number(url.searchParams.get('timeoutMs') ?? '10000'),
      int64: url.searchParams.get('formatOptions.useInt64Timestamp') === 'true',
      kind: 'bigquery#getQueryResultsResponse',
      poll: true,
    });
  }

  async function answerJob(
    res: ServerResponse,
    job: FakeJob,
    o: { maxResults: number | undefined; offset: number; timeoutMs: number; int64: boolean; kind: string; poll: boolean },
  ): Promise<void> {
    const jobReference = { projectId: bigQueryFakeProject, jobId: job.id, location: job.location };
    if (job.cancelled) return bigQueryError(res, 400, 'stopped', 'Job execution was cancelled: User requested cancellation');
    if (job.remainingPolls > 0) {
      if (o.poll) job.remainingPolls--;
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(o.timeoutMs, job.query.holdMs ?? 20))));
      return sendJson(res, 200, { kind: o.kind, jobReference, jobComplete: false });
    }
    if (job.query.jobError) return bigQueryError(res, 400, job.query.jobError.reason, job.query.jobError.message);
    const all = job.query.rows ?? [];
    const size = Math.min(o.maxResults ?? Number.POSITIVE_INFINITY, job.query.pageSize ?? Number.POSITIVE_INFINITY);
    const page = all.slice(o.offset, o.offset + size);
    const next = o.offset + page.length;
    job.pagesServed++;
    sendJson(res, 200, {
      kind: o.kind,
      ...(o.kind === 'bigquery#getQueryResultsResponse' ? { etag: `"${randomUUID()}"` } : {}),
      schema: { fields: job.query.schema },
      jobReference,
      totalRows: String(all.length),
      ...(page.length > 0 ? { rows: page.map((row) => encodeRow(job.query.schema, row, o.int64)) } : {}),
      ...(next < all.length ? { pageToken: encodePageToken(job.id, next) } : {}),
      totalBytesProcessed: String(job.query.totalBytesProcessed ?? 0),
      jobComplete: true,
      cacheHit: false,
    });
  }

  function cancel(res: ServerResponse, url: URL, jobId: string): void {
    const job = jobs.get(jobId);
    const location = url.searchParams.get('location');
    if (!job || location === null || location.toLowerCase() !== job.location) return bigQueryError(res, 404, 'notFound', `Not found: Job ${bigQueryFakeProject}:${jobId}`);
    const wasRunning = job.remainingPolls > 0 && !job.cancelled;
    job.cancelled = true;
    sendJson(res, 200, {
      kind: 'bigquery#jobCancelResponse',
      job: {
        kind: 'bigquery#job',
        id: `${bigQueryFakeProject}:${job.location}.${job.id}`,
        jobReference: { projectId: bigQueryFakeProject, jobId: job.id, location: job.location },
        status: wasRunning ? { state: 'RUNNING' } : { state: 'DONE' },
      },
    });
  }

  return {
    oauth,
    bigquery,
    async serviceAccountKey() {
      const res = await fetch(`${oauth.origin}/__fake/service-account`, { method: 'POST' });
      return res.text();
    },
    async close() {
      await Promise.all([bigquery.close(), oauth.close(), aiplatform.close()]);
    },
  };
}

function encodePageToken(job: string, offset: number): string {
  return Buffer.from(JSON.stringify({ job, offset })).toString('base64url');
}

function decodePageToken(token: string): { job: string; offset: number } | null {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { job?: unknown; offset?: unknown };
    return typeof value.job === 'string' && Number.isInteger(value.offset) ? { job: value.job, offset: value.offset as number } : null;
  } catch {
    return null;
  }
}

function encodeRow(fields: readonly FakeField[], row: readonly unknown[], int64: boolean): { f: { v: unknown }[] } {
  return { f: fields.map((field, i) => ({ v: encodeField(field, row[i], int64) })) };
}

function encodeField(field: FakeField, value: unknown, int64: boolean): unknown {
  if (value === null || value === undefined) return field.mode === 'REPEATED' ? [] : null;
  if (field.mode === 'REPEATED') return (value as unknown[]).map((item) => ({ v: encodeSingle(field, item, int64) }));
  return encodeSingle(field, value, int64);
}

function encodeSingle(field: FakeField, value: unknown, int64: boolean): unknown {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'RECORD':
    case 'STRUCT': {
      const record = value as Record<string, unknown>;
      return encodeRow(field.fields ?? [], (field.fields ?? []).map((f) => record[f.name]), int64);
    }
    case 'TIMESTAMP': {
      const micros = isoToMicros(String(value));
      return int64 ? micros.toString() : javaDouble(Number(micros) / 1e6);
    }
    case 'JSON':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

function isoToMicros(iso: string): bigint {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?Z$/.exec(iso);
  if (!m) throw new Error(`fake: scripted TIMESTAMP ${iso} is not ISO 8601 UTC`);
  return BigInt(Date.parse(`${m[1]}Z`)) * 1000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

/** Java's Double.toString, which BigQuery's float-seconds TIMESTAMPs follow ("1.7005032E9"). */
function javaDouble(x: number): string {
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e7)) {
    const [mantissa, exponent] = x.toExponential().split('e');
    return `${mantissa!.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
  }
  const s = String(x);
  return s.includes('.') ? s : `${s}.0`;
}
