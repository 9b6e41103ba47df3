/**
 * Seeds a Mantissa server with the demo dataset through the real ingest path: each source's events, in time
 * order, as NDJSON batches to `POST {url}/ingest/{source}` (docs/api.md). Used by `mantissa seed`, the start
 * script and the benchmark, which inject `fetch` and `log`.
 *
 * Layered like the adapters: `postBatch` is the transport (one request → success | failure | retryable),
 * `withRetries` is the retry wrapper (3 tries with backoff), `seedServer` walks the batches and keeps score.
 *
 * Invariants:
 * - A batch's `Idempotency-Key` is a function of (generator version, source, seed, users, days, end, batch size,
 *   batch index), so re-running the same seed sends the same keys and the server stores nothing twice.
 *   The batch size is part of the key because it changes which events a batch index holds.
 * - 401, 403 and other 4xx stop the run at once with a message saying what to fix; 5xx, 429 and network errors
 *   are retried with the same key; nothing is ever silently dropped: every outcome is in the summary.
 * - Expected failures are values (`SeedResult`); this module never throws for them.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import {
  DEMO_GENERATOR_VERSION,
  demoSources,
  iterateDemoEvents,
  countDemoEvents,
  type DemoSource,
} from '../core/demo/dataset';

export interface SeedServerOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  readonly token: string;
  readonly seed: number;
  readonly users: number;
  readonly days: number;
  /** Exclusive end of the window, ISO-8601 with a zone. */
  readonly end: string;
  readonly batchSize: number;
  /** Sources to send, in this order (default: all). */
  readonly sources?: readonly DemoSource[];
}

export interface SeedDeps {
  readonly fetch: typeof fetch;
  /** Progress and notices, one line each (the CLI writes them to stderr). */
  readonly log: (line: string) => void;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Waits before the 2nd and 3rd tries. */
  readonly retryDelaysMs?: readonly number[];
  /** Per-request timeout. */
  readonly requestTimeoutMs?: number;
}

export interface SeedSourceSummary {
  readonly source: DemoSource;
  /** Events generated for the source. */
  readonly events: number;
  /** Events in batches the server answered. */
  sent: number;
  batches: number;
  accepted: number;
  rejected: number;
  /** Batches (and their events) the server had already stored under the same key. */
  duplicateBatches: number;
  duplicateEvents: number;
  retries: number;
  /** The first line errors the server reported, with their batch. */
  readonly errors: { batch: number; line: number; message: string }[];
}

export interface SeedSummary {
  readonly sources: SeedSourceSummary[];
  readonly events: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly duplicateEvents: number;
  readonly elapsedMs: number;
  readonly eventsPerSecond: number;
}

export type SeedFailureReason = 'unauthenticated' | 'forbidden' | 'batch_refused' | 'server_error' | 'unreachable' | 'bad_response';

export interface SeedFailure {
  readonly reason: SeedFailureReason;
  readonly message: string;
  readonly source: DemoSource;
  readonly batch: number;
  readonly status: number | null;
}

export type SeedResult = { ok: true; summary: SeedSummary } | { ok: false; failure: SeedFailure; summary: SeedSummary };

const MAX_REPORTED_ERRORS = 20;
const PROGRESS_INTERVAL_MS = 1000;

/** `POST /ingest/:source` answer (docs/api.md). */
export const ingestResponseSchema = z.object({
  batchId: z.string(),
  accepted: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  duplicate: z.boolean(),
  errors: z.array(z.object({ line: z.number().int(), message: z.string() })),
  errorsTruncated: z.boolean().optional(),
});
export type IngestResponse = z.infer<typeof ingestResponseSchema>;

const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string().optional(),
    details: z.array(z.object({ line: z.number(), message: z.string() })).optional(),
  }),
});

/** The idempotency key of one batch (≤ 128 characters of `[A-Za-z0-9._:-]`, as the API requires). */
export function seedIdempotencyKey(
  options: Pick<SeedServerOptions, 'seed' | 'users' | 'days' | 'end' | 'batchSize'>,
  source: DemoSource,
  batchIndex: number,
): string {
  const end = new Date(options.end).toISOString();
  return `mantissa-demo.v${DEMO_GENERATOR_VERSION}.${source}.s${options.seed}.u${options.users}.d${options.days}.e${end}.b${options.batchSize}.${batchIndex}`;
}

/** One request's outcome, as the retry wrapper sees it. */
export type PostOutcome =
  | { kind: 'success'; response: IngestResponse }
  | { kind: 'failure'; reason: SeedFailureReason; status: number | null; message: string }
  | { kind: 'retryable'; status: number | null; message: string; retryAfterMs: number | null };

export interface BatchRequest {
  readonly url: string;
  readonly token: string;
  readonly source: DemoSource;
  readonly key: string;
  readonly body: string;
  readonly timeoutMs: number;
}

/** The transport: one POST, classified. Never throws. */
export async function postBatch(fetchFn: typeof fetch, request: BatchRequest): Promise<PostOutcome> {
  const endpoint = `${request.url.replace(/\/+$/, '')}/ingest/${request.source}`;
  let response: Response;
  try {
    response = await fetchFn(endpoint, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${request.token}`,
        'content-type': 'application/x-ndjson',
        'idempotency-key': request.key,
      },
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    return { kind: 'retryable', status: null, message: `could not reach ${endpoint}: ${describeError(error)}`, retryAfterMs: null };
  }
  const text = await response.text().catch(() => '');
  const serverMessage = readErrorMessage(text);

  if (response.ok) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { kind: 'failure', reason: 'bad_response', status: response.status, message: `${endpoint} answered ${response.status} with a body that is not JSON` };
    }
    const parsed = ingestResponseSchema.safeParse(json);
    if (!parsed.success) {
      return {
        kind: 'failure',
        reason: 'bad_response',
        status: response.status,
        message: `${endpoint} answered ${response.status} without the ingest answer ({batchId, accepted, rejected, duplicate, errors}): is this a Mantissa server?`,
      };
    }
    return { kind: 'success', response: parsed.data };
  }
  if (response.status >= 500 || response.status === 429) {
    return {
      kind: 'retryable',
      status: response.status,
      message: `${endpoint} answered ${response.status}${serverMessage ? `: ${serverMessage}` : ''}`,
      retryAfterMs: retryAfter(response.headers.get('retry-after')),
    };
  }
  switch (response.status) {
    case 401:
      return {
        kind: 'failure',
        reason: 'unauthenticated',
        status: 401,
        message: `the server refused the token (401${serverMessage ? `: ${serverMessage}` : ''}). Pass a valid one with --token or MANTISSA_TOKEN (npm start prints one; Settings → Tokens makes more).`,
      };
    case 403:
      return {
        kind: 'failure',
        reason: 'forbidden',
        status: 403,
        message: `the token may not ingest into ${request.source} (403${serverMessage ? `: ${serverMessage}` : ''}). Use an admin token or an ingest token for source "${request.source}" or "*".`,
      };
    case 404:
      return { kind: 'failure', reason: 'batch_refused', status: 404, message: `${endpoint} does not exist (404): is ${request.url} a Mantissa server?` };
    case 413:
      return { kind: 'failure', reason: 'batch_refused', status: 413, message: `the server found a batch too large (413${serverMessage ? `: ${serverMessage}` : ''}); try a smaller --batch` };
    default:
      return {
        kind: 'failure',
        reason: 'batch_refused',
        status: response.status,
        message: `${endpoint} refused the batch (${response.status}${serverMessage ? `: ${serverMessage}` : ''})`,
      };
  }
}

/** The retry wrapper: up to `1 + delays.length` tries of a retryable outcome, waiting `delays[i]` (or Retry-After). */
export async function withRetries(
  attempt: () => Promise<PostOutcome>,
  delaysMs: readonly number[],
  sleep: (ms: number) => Promise<void>,
  onRetry: (outcome: Extract<PostOutcome, { kind: 'retryable' }>, waitMs: number, tryNumber: number) => void,
): Promise<{ outcome: PostOutcome; retries: number }> {
  let outcome = await attempt();
  let retries = 0;
  while (outcome.kind === 'retryable' && retries < delaysMs.length) {
    const waitMs = Math.max(delaysMs[retries] ?? 0, outcome.retryAfterMs ?? 0);
    retries++;
    onRetry(outcome, waitMs, retries + 1);
    await sleep(waitMs);
    outcome = await attempt();
  }
  return { outcome, retries };
}

interface Batch {
  readonly index: number;
  readonly count: number;
  readonly body: string;
}

function* batchesOf(events: Iterable<unknown>, size: number): Generator<Batch> {
  let lines: string[] = [];
  let index = 0;
  for (const event of events) {
    lines.push(JSON.stringify(event));
    if (lines.length === size) {
      yield { index: index++, count: lines.length, body: `${lines.join('\n')}\n` };
      lines = [];
    }
  }
  if (lines.length > 0) yield { index, count: lines.length, body: `${lines.join('\n')}\n` };
}

export async function seedServer(options: SeedServerOptions, deps: SeedDeps): Promise<SeedResult> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const delays = deps.retryDelaysMs ?? [1_000, 4_000];
  const timeoutMs = deps.requestTimeoutMs ?? 60_000;
  const demo = { seed: options.seed, users: options.users, days: options.days, end: options.end };
  const sources = options.sources ?? demoSources;
  const started = now();

  const totals = countDemoEvents(demo);
  const summaries: SeedSourceSummary[] = sources.map((source) => ({
    source,
    events: totals[source],
    sent: 0,
    batches: 0,
    accepted: 0,
    rejected: 0,
    duplicateBatches: 0,
    duplicateEvents: 0,
    retries: 0,
    errors: [],
  }));
  const summarize = (): SeedSummary => {
    const elapsedMs = Math.max(1, now() - started);
    const sent = summaries.reduce((n, s) => n + s.sent, 0);
    return {
      sources: summaries,
      events: summaries.reduce((n, s) => n + s.events, 0),
      accepted: summaries.reduce((n, s) => n + s.accepted, 0),
      rejected: summaries.reduce((n, s) => n + s.rejected, 0),
      duplicateEvents: summaries.reduce((n, s) => n + s.duplicateEvents, 0),
      elapsedMs,
      eventsPerSecond: Math.round((sent * 1000) / elapsedMs),
    };
  };

  for (const summary of summaries) {
    const { source } = summary;
    const sourceStarted = now();
    let lastProgress = sourceStarted;
    const batches = batchesOf(iterateDemoEvents(demo, source), options.batchSize);
    let next = batches.next();
    while (!next.done) {
      const batch = next.value;
      const key = seedIdempotencyKey(options, source, batch.index);
      const pending = withRetries(
        () => postBatch(deps.fetch, { url: options.url, token: options.token, source, key, body: batch.body, timeoutMs }),
        delays,
        sleep,
        (outcome, waitMs, tryNumber) =>
          deps.log(`${source}: batch ${batch.index + 1}: ${outcome.message}; try ${tryNumber} of ${delays.length + 1} in ${formatSeconds(waitMs)}`),
      );
      // Build the next batch while this one is on the wire.
      await nextTurn();
      next = batches.next();
      const { outcome, retries } = await pending;
      summary.retries += retries;
      if (outcome.kind !== 'success') {
        const failure: SeedFailure = {
          reason: outcome.kind === 'retryable' ? (outcome.status === null ? 'unreachable' : 'server_error') : outcome.reason,
          message:
            outcome.kind === 'retryable'
              ? `${outcome.message}; gave up after ${retries + 1} tries`
              : outcome.message,
          source,
          batch: batch.index,
          status: outcome.status,
        };
        return { ok: false, failure, summary: summarize() };
      }
      const answer = outcome.response;
      summary.batches++;
      summary.sent += batch.count;
      summary.rejected += answer.rejected;
      if (answer.duplicate) {
        summary.duplicateBatches++;
        summary.duplicateEvents += batch.count;
      } else {
        summary.accepted += answer.accepted;
      }
      for (const error of answer.errors) {
        if (summary.errors.length < MAX_REPORTED_ERRORS) summary.errors.push({ batch: batch.index, ...error });
      }
      const t = now();
      if (t - lastProgress >= PROGRESS_INTERVAL_MS || next.done) {
        lastProgress = t;
        deps.log(formatProgress(source, summary.sent, summary.events, t - sourceStarted));
      }
    }
  }
  return { ok: true, summary: summarize() };
}

/** `okta         4,000 / 5,201        76.9%  8,532 events/s` */
export function formatProgress(source: string, sent: number, total: number, elapsedMs: number): string {
  const percent = total === 0 ? 100 : (100 * sent) / total;
  const rate = elapsedMs > 0 ? Math.round((sent * 1000) / elapsedMs) : 0;
  return `${source.padEnd(10)} ${formatCount(sent).padStart(11)} / ${formatCount(total).padEnd(11)} ${percent.toFixed(1).padStart(5)}%  ${formatCount(rate)} events/s`;
}

export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

function readErrorMessage(text: string): string | null {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    if (!parsed.success) return text.trim().slice(0, 200) || null;
    const { code, message, details } = parsed.data.error;
    const first = details?.slice(0, 3).map((d) => `line ${d.line}: ${d.message}`) ?? [];
    return [`${code}: ${message}`, ...first].join('; ');
  } catch {
    return text.trim().slice(0, 200) || null;
  }
}

function retryAfter(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 60) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.min(Math.max(0, date - Date.now()), 60_000);
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (error.name === 'TimeoutError') return 'timed out';
    if (cause instanceof Error && cause.message) return `${error.message} (${cause.message})`;
    return error.message;
  }
  return String(error);
}
