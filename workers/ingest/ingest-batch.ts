/**
 * One ingest batch end to end: claim its id, parse every line, write raw + normalized + dead letters to R2,
 * then the rows and the batch record to D1 in one transaction, then feed identity events to each user's
 * Durable Object and run the real-time detection rules over the events. The caller answers 2xx only after this returns, so an acknowledged batch is durable.
 *
 * Idempotency: a retry (same body, or same Idempotency-Key) finds the completed batch record and returns its
 * result without writing anything; a retry of a batch that failed half-way reuses its R2 keys and its rows'
 * uids, so it completes without duplicates. Durability: when D1 fails after R2 accepted the raw batch, the
 * sender gets 503 (retry is safe) and the cron replays the batch from R2 anyway (replayPendingBatches).
 */
import { summarizeIdentityEvent } from '../../core/identity/identity-event';
import { batchIdFor, parseBatch, type LineError } from '../../core/ingest/parse-batch';
import type { SourceAdapter } from '../../core/ingest/source-adapter';
import { rawBatchKey } from '../../core/lake/keys';
import type { Principal } from '../../core/auth/roles';
import { eventInsertStatements, existingEventUids, maxEventBytes } from '../../adapters/d1/events-repository';
import { IngestBatchesRepository } from '../../adapters/d1/ingest-batches-repository';
import { partitionStatsStatements } from '../../adapters/d1/partition-stats-repository';
import { partitionStatsOf } from '../../core/nlq/cost';
import { writeBatchToLake } from '../../adapters/r2/lake-writer';
import { sourceAdapters } from '../../adapters/sources';
import { detectRealtime } from '../detect/realtime-detection';
import { feedIdentityEvents } from '../itdr/feed-identity';
import type { Env } from '../env';
import { ApiError } from '../errors';

export const maxReportedErrors = 100;

export interface IngestResult {
  batchId: string;
  accepted: number;
  rejected: number;
  events: number;
  duplicate: boolean;
  errors: LineError[];
  errorsTruncated: boolean;
}

/** Milliseconds spent per phase, reported in the `Server-Timing` header (and read by bench/). */
export type IngestTimings = Partial<Record<'parse' | 'r2' | 'd1' | 'identity' | 'detect', number>>;

export async function ingestBatch(
  env: Env,
  input: { adapter: SourceAdapter; body: Uint8Array; idempotencyKey: string | null; principal: Principal },
  timings: IngestTimings = {},
): Promise<IngestResult> {
  const { adapter, body, principal } = input;
  const batchId = await batchIdFor(adapter.id, body, input.idempotencyKey);
  const batches = new IngestBatchesRepository(env.DB);
  const claimed = await batches.claim(batchId, adapter.id, new Date().toISOString(), principal.id);
  if (claimed.status === 'complete') {
    // A re-sent batch gets the answer the first one got, marked as a duplicate.
    const errors = JSON.parse(claimed.errors) as LineError[];
    const result = {
      batchId,
      accepted: claimed.accepted,
      rejected: claimed.rejected,
      events: claimed.events,
      duplicate: true,
      errors,
      errorsTruncated: claimed.rejected > errors.length,
    };
    if (result.accepted === 0) throw noLineAccepted(result);
    return result;
  }
  // The first attempt's arrival time fixes the raw partition, so a retry writes the same R2 keys.
  return landBatch(env, { adapter, batchId, receivedAt: claimed.receivedAt, body }, timings);
}

/**
 * How stored events are keyed. `position` (push): `<batch>:<line>`, so a re-sent batch is a no-op and two
 * identical events sent in different batches are both kept. `vendor_id` (pull): `v:<source>:<event id>`, so
 * the overlapping windows of a collector store each vendor event once, whichever page brought it.
 */
export type EventKeying = 'position' | 'vendor_id';

/** Parses a claimed batch and makes it durable (R2, then D1), then feeds identity state. */
export async function landBatch(
  env: Env,
  batch: { adapter: SourceAdapter; batchId: string; receivedAt: string; body: Uint8Array; keying?: EventKeying },
  timings: IngestTimings = {},
): Promise<IngestResult> {
  const { adapter, batchId, receivedAt, body } = batch;
  const batches = new IngestBatchesRepository(env.DB);
  let mark = Date.now();
  const lap = (phase: keyof IngestTimings) => {
    const t = Date.now();
    timings[phase] = t - mark;
    mark = t;
  };

  const parsed = await parseBatch(new TextDecoder('utf-8').decode(body), adapter, { source: adapter.id, batchId, ingestTime: receivedAt });
  if (!parsed.ok) {
    // Nothing of a wholly unreadable body is kept, so its claim goes too: a corrected resend starts afresh.
    await batches.release(batchId);
    throw new ApiError(parsed.reason === 'too_many_records' ? 'payload_too_large' : 'invalid_input', parsed.message);
  }

  // D1 refuses rows over its size limit; turn them into per-line rejections rather than failing the batch.
  const lineOf = (uid: string) => Number(uid.split(':')[1]);
  const oversized = new Set(parsed.events.filter((e) => e.raw.length * 1.2 >= maxEventBytes).map((e) => lineOf(e.event_uid)));
  const deadLetters = [...parsed.deadLetters];
  for (const line of oversized) {
    deadLetters.push({ line, message: `line ${line}: the event is larger than ${maxEventBytes} bytes`, text: '(omitted: too large)' });
  }
  let events = oversized.size === 0 ? parsed.events : parsed.events.filter((e) => !oversized.has(lineOf(e.event_uid)));
  if (batch.keying === 'vendor_id') events = await keepUnseenByVendorId(env.DB, adapter.id, events);
  deadLetters.sort((a, b) => a.line - b.line);
  const accepted = parsed.accepted - oversized.size;
  const errors = deadLetters.slice(0, maxReportedErrors).map(({ line, message }) => ({ line, message }));
  lap('parse');

  const lake = await writeBatchToLake(env.LAKE, { source: adapter.id, batchId, receivedAt, body, events, deadLetters });
  lap('r2');

  try {
    await env.DB.batch([
      ...eventInsertStatements(env.DB, events),
      // Same transaction as the rows, so a batch is counted exactly when it lands (cost estimates, core/nlq/cost).
      ...partitionStatsStatements(env.DB, partitionStatsOf(events)),
      batches.completeStatement(batchId, {
        lines: parsed.lines,
        accepted,
        rejected: deadLetters.length,
        events: events.length,
        bytes: body.byteLength,
        rawKey: lake.rawKey,
        deadLetterKey: lake.deadLetterKey,
        errors,
        completedAt: new Date().toISOString(),
      }),
    ]);
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', msg: 'D1 write of an ingest batch failed; it stays in R2 for replay', batchId, rawKey: lake.rawKey, error: String(err) }));
    throw new ApiError(
      'unavailable',
      `The batch is safe in R2 (${lake.rawKey}) but the database write failed; retry the same request (it is idempotent) — otherwise it is replayed from R2 within minutes.`,
    );
  }
  lap('d1');

  await feedIdentityState(env, events);
  lap('identity');

  // Real-time detection: single-event Sigma rules on the landed events. The batch is durable already; if this
  // fails, the cron's sweep runs it again (hits are counted once), so the sender still gets its 2xx.
  try {
    await detectRealtime(env, batchId, events, new Date());
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', msg: 'real-time detection failed; the cron sweep will retry the batch', batchId, error: String(err) }));
  }
  lap('detect');

  const result = {
    batchId,
    accepted,
    rejected: deadLetters.length,
    events: events.length,
    duplicate: false,
    errors,
    errorsTruncated: deadLetters.length > errors.length,
  };
  if (accepted === 0) throw noLineAccepted(result);
  return result;
}

/** Re-keys events by vendor id and drops those already stored (or repeated within the batch). */
async function keepUnseenByVendorId<E extends { event_uid: string; event_id: string }>(db: D1Database, source: string, events: E[]): Promise<E[]> {
  const byUid = new Map<string, E>();
  for (const e of events) {
    const uid = `v:${source}:${e.event_id}`;
    if (!byUid.has(uid)) byUid.set(uid, { ...e, event_uid: uid });
  }
  const seen = await existingEventUids(db, [...byUid.keys()]);
  return [...byUid.values()].filter((e) => !seen.has(e.event_uid));
}

/** Batches stuck in `pending` longer than this are replayed from R2 by the cron. */
export const replayAfterMs = 5 * 60_000;
/** Pending claims with no raw object in R2 after this long never reached R2: the sender got an error. */
export const abandonAfterMs = 24 * 60 * 60_000;

export interface ReplaySummary {
  replayed: number;
  abandoned: number;
  failed: number;
}

/**
 * Completes batches whose D1 write failed after R2 accepted them: reads the raw body back from R2 and lands
 * it again (same keys, same row uids: nothing is duplicated). Bounded per run.
 */
export async function replayPendingBatches(env: Env, now: Date, limit = 20): Promise<ReplaySummary> {
  const batches = new IngestBatchesRepository(env.DB);
  const summary: ReplaySummary = { replayed: 0, abandoned: 0, failed: 0 };
  for (const pending of await batches.pendingBefore(new Date(now.getTime() - replayAfterMs).toISOString(), limit)) {
    const adapter = sourceAdapters.get(pending.source);
    const object = adapter ? await env.LAKE.get(rawBatchKey(pending.source, pending.receivedAt, pending.batchId)) : null;
    if (!adapter || !object) {
      if (now.getTime() - Date.parse(pending.receivedAt) > abandonAfterMs) {
        await batches.release(pending.batchId);
        summary.abandoned++;
      }
      continue;
    }
    try {
      const body = new Uint8Array(await new Response(object.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
      await landBatch(env, { adapter, batchId: pending.batchId, receivedAt: pending.receivedAt, body, keying: pending.keying });
      summary.replayed++;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_input') {
        summary.replayed++; // landed, with every line rejected and dead-lettered
        continue;
      }
      summary.failed++;
      console.error(JSON.stringify({ level: 'error', msg: 'replay of a pending ingest batch failed', batchId: pending.batchId, error: String(err) }));
    }
  }
  return summary;
}

/** 400 for a batch in which no line was acceptable; the body still carries every line's error. */
function noLineAccepted(result: IngestResult): ApiError {
  return new ApiError('invalid_input', `No line of the batch was accepted (${result.rejected} rejected): ${result.errors[0]?.message ?? ''}`, {
    ...result,
  });
}

/**
 * Runs identity threat detection on the batch's identity events (workers/itdr/feed-identity.ts): the org-wide
 * and per-person Durable Objects, then alerts and identity incidents. The events are already durable in D1 and
 * R2; a failure here is logged and made up by `mantissa itdr rebuild` (replay from the events table).
 */
async function feedIdentityState(env: Env, events: readonly (Parameters<typeof summarizeIdentityEvent>[0])[]): Promise<void> {
  const summaries = events.flatMap((e) => {
    const summary = summarizeIdentityEvent(e);
    return summary ? [summary] : [];
  });
  try {
    await feedIdentityEvents(env, summaries, new Date());
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', msg: 'identity threat detection failed for a batch; `mantissa itdr rebuild` replays it', error: String(err) }));
  }
}
