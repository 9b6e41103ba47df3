/**
 * Writes ingest batches to the R2 lake: the raw body, normalized rows split by event hour, and dead letters.
 * Keys come from core/lake/keys (documented in docs/storage-schema.md) and are deterministic for a batch, so
 * a retried write overwrites rather than duplicates.
 */
import type { DeadLetter, StoredEvent } from '../../core/ingest/parse-batch';
import { deadLetterKey, hourOf, normalizedBatchKey, rawBatchKey } from '../../core/lake/keys';

export interface LakeWriteResult {
  readonly rawKey: string;
  readonly eventKeys: string[];
  readonly deadLetterKey: string | null;
}

export async function writeBatchToLake(
  lake: R2Bucket,
  batch: {
    source: string;
    batchId: string;
    receivedAt: string;
    body: Uint8Array;
    events: readonly StoredEvent[];
    deadLetters: readonly DeadLetter[];
  },
): Promise<LakeWriteResult> {
  const meta = { batchId: batch.batchId, source: batch.source, receivedAt: batch.receivedAt };
  const rawKey = rawBatchKey(batch.source, batch.receivedAt, batch.batchId);
  const writes: Promise<unknown>[] = [
    lake.put(rawKey, await gzip(batch.body), {
      httpMetadata: { contentType: 'application/x-ndjson', contentEncoding: 'gzip' },
      customMetadata: meta,
    }),
  ];

  const byHour = new Map<string, StoredEvent[]>();
  for (const event of batch.events) {
    const hour = hourOf(event.event_time);
    const list = byHour.get(hour);
    if (list) list.push(event);
    else byHour.set(hour, [event]);
  }
  const eventKeys: string[] = [];
  for (const [hour, events] of byHour) {
    const key = normalizedBatchKey(batch.source, hour, batch.batchId);
    eventKeys.push(key);
    const ndjson = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
    writes.push(
      lake.put(key, await gzip(new TextEncoder().encode(ndjson)), {
        httpMetadata: { contentType: 'application/x-ndjson', contentEncoding: 'gzip' },
        customMetadata: { ...meta, events: String(events.length) },
      }),
    );
  }

  let dlqKey: string | null = null;
  if (batch.deadLetters.length > 0) {
    dlqKey = deadLetterKey(batch.source, batch.receivedAt, batch.batchId);
    const ndjson = batch.deadLetters.map((d) => JSON.stringify({ line: d.line, error: d.message, record: d.text })).join('\n') + '\n';
    writes.push(
      lake.put(dlqKey, ndjson, {
        httpMetadata: { contentType: 'application/x-ndjson' },
        customMetadata: { ...meta, rejected: String(batch.deadLetters.length) },
      }),
    );
  }

  await Promise.all(writes);
  return { rawKey, eventKeys, deadLetterKey: dlqKey };
}

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
