/**
 * One ingest batch, from decoded body text to storable rows and per-line errors. Pure (WebCrypto only).
 *
 * Invariants:
 * - A bad line is an error value with its line number; it never affects the other lines.
 * - Every row's `event_uid` is `<batchId>:<line>` (plus `:<n>` for the n-th event of a container line), so
 *   storing the same batch twice stores nothing new.
 * - Events without a vendor id get `sha256:<hex>` of their record text as `event_id`.
 */
import { sha256Hex } from '../auth/api-token';
import type { EventDraft, NormalizedEvent, SourceId } from '../schema/event';
import type { SourceAdapter } from './source-adapter';
import { isPlainObject, splitJsonRecords, type BodyFormat } from './split-records';

export interface StoredEvent extends NormalizedEvent {
  readonly event_uid: string;
  readonly batch_id: string;
}

export interface LineError {
  readonly line: number;
  readonly message: string;
}

/** A rejected line as kept in the dead-letter prefix. */
export interface DeadLetter extends LineError {
  readonly text: string;
}

export type ParsedBatch =
  | {
      ok: true;
      format: BodyFormat;
      /** Lines (records as sent) that were read. */
      lines: number;
      accepted: number;
      rejected: number;
      events: StoredEvent[];
      deadLetters: DeadLetter[];
    }
  | { ok: false; message: string };

export interface BatchContext {
  readonly source: SourceId;
  readonly batchId: string;
  readonly ingestTime: string;
}

export async function parseBatch(body: string, adapter: SourceAdapter, ctx: BatchContext): Promise<ParsedBatch> {
  const split = splitJsonRecords(body, adapter.expand);
  if (!split.ok) return split;

  const events: StoredEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  let accepted = 0;
  const parseCtx = { source: ctx.source, ingestTime: ctx.ingestTime };

  for (const record of split.records) {
    if (!record.ok) {
      deadLetters.push({ line: record.line, message: `line ${record.line}: ${record.message}`, text: record.text });
      continue;
    }
    // A container line (`{"Records": [...]}` inside NDJSON) holds several events; a whole-body container
    // was already unwrapped by splitJsonRecords.
    const inner = split.format === 'ndjson' && isPlainObject(record.value) ? adapter.expand?.(record.value) : null;
    const values = inner ?? [record.value];
    const lineEvents: StoredEvent[] = [];
    let lineError: string | null = null;
    for (let i = 0; i < values.length; i++) {
      const result = adapter.parse(values[i], parseCtx);
      if (!result.ok) {
        lineError = inner ? `event ${i + 1} of the line: ${result.message}` : result.message;
        break;
      }
      const uid = inner ? `${ctx.batchId}:${record.line}:${i + 1}` : `${ctx.batchId}:${record.line}`;
      lineEvents.push(await finish(result.event, uid, ctx.batchId));
    }
    if (lineError !== null) {
      // A line is accepted or rejected whole, so a resend of the fixed line cannot half-duplicate it.
      deadLetters.push({ line: record.line, message: `line ${record.line}: ${lineError}`, text: record.text });
      continue;
    }
    accepted++;
    events.push(...lineEvents);
  }

  return {
    ok: true,
    format: split.format,
    lines: split.records.length,
    accepted,
    rejected: deadLetters.length,
    events,
    deadLetters,
  };
}

async function finish(draft: EventDraft, eventUid: string, batchId: string): Promise<StoredEvent> {
  const eventId = draft.event_id ?? `sha256:${(await sha256Hex(draft.raw)).slice(0, 32)}`;
  return { ...draft, event_id: eventId, event_uid: eventUid, batch_id: batchId };
}

/** The batch's identity: the sender's Idempotency-Key, or the SHA-256 of what was sent, per source. */
export async function batchIdFor(source: SourceId, body: Uint8Array, idempotencyKey: string | null): Promise<string> {
  const material = idempotencyKey === null ? await sha256Hex(body) : `key:${idempotencyKey}`;
  return (await sha256Hex(`${source}\n${material}`)).slice(0, 32);
}
