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
import type { EventDraft, NormalizedEvent, ParseResult, SourceId } from '../schema/event';
import type { SourceAdapter } from './source-adapter';
import { splitRecords, type BodyFormat, type SplitRecord } from './split-records';

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
  | { ok: false; reason: 'empty' | 'malformed' | 'too_many_records'; message: string };

export interface BatchContext {
  readonly source: SourceId;
  readonly batchId: string;
  readonly ingestTime: string;
}

export async function parseBatch(body: string, adapter: SourceAdapter, ctx: BatchContext): Promise<ParsedBatch> {
  const split = splitRecords(body, { text: adapter.text, textHeader: adapter.textHeader, expand: adapter.expand });
  if (!split.ok) return split;

  const events: StoredEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  let accepted = 0;
  const parseCtx = { source: ctx.source, ingestTime: ctx.ingestTime };

  // Records of one line (a container line such as `{"Records": [...]}`) are accepted or rejected together,
  // so that a corrected resend of the line cannot half-duplicate it.
  const needIds: StoredEvent[] = [];
  for (const group of groupByLine(split.records)) {
    const line = group[0]!.line;
    const lineEvents: StoredEvent[] = [];
    let lineError: string | null = null;
    let rawText = group.length === 1 ? group[0]!.text : '';
    for (let i = 0; i < group.length; i++) {
      const record = group[i]!;
      if (!record.ok) {
        lineError = record.message;
        rawText = record.text;
        break;
      }
      const result = isEmptyObject(record.value) ? emptyRecord(parseCtx) : adapter.parse(record.value, parseCtx);
      if (!result.ok) {
        lineError = group.length > 1 ? `event ${i + 1} of the line: ${result.message}` : result.message;
        rawText ||= group.map((r) => r.text).join('\n');
        break;
      }
      // The draft is this call's own object: completing it in place saves a copy per event.
      const event = result.event as EventDraft & { event_uid?: string; batch_id?: string };
      event.raw ??= record.text;
      event.event_uid = group.length > 1 ? `${ctx.batchId}:${line}:${i + 1}` : `${ctx.batchId}:${line}`;
      event.batch_id = ctx.batchId;
      lineEvents.push(event as StoredEvent);
    }
    if (lineError !== null) {
      deadLetters.push({ line, message: `line ${line}: ${lineError}`, text: rawText });
      continue;
    }
    accepted++;
    for (const event of lineEvents) {
      if (event.event_id === null) needIds.push(event);
      events.push(event);
    }
  }

  // Events without a vendor id are named by the SHA-256 of their record; the digests run concurrently.
  await Promise.all(
    needIds.map(async (event) => {
      (event as { event_id: string }).event_id = `sha256:${(await sha256Hex(event.raw)).slice(0, 32)}`;
    }),
  );

  return {
    ok: true,
    format: split.format,
    lines: accepted + deadLetters.length,
    accepted,
    rejected: deadLetters.length,
    events,
    deadLetters,
  };
}

function isEmptyObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const _key in value) return false;
  return true;
}

/**
 * `{}` sent to a source is kept, in every source alike, as an event with nothing in it (action `unknown`, time
 * of arrival): the sender's line count and ours stay equal, and the row shows up in queries instead of
 * vanishing. (Real samples contain such lines once pipeline metadata is stripped.)
 */
function emptyRecord(ctx: { source: string; ingestTime: string }): ParseResult {
  return {
    ok: true,
    event: {
      event_id: null,
      source: ctx.source,
      event_time: ctx.ingestTime,
      event_time_inferred: true,
      ingest_time: ctx.ingestTime,
      class_uid: null,
      class_name: null,
      action: 'unknown',
      identity_action: null,
      outcome: 'unknown',
      outcome_reason: null,
      severity: null,
      actor: null,
      actor_id: null,
      actor_name: null,
      actor_type: null,
      src_ip: null,
      src_country: null,
      src_region: null,
      src_city: null,
      src_lat: null,
      src_lon: null,
      src_asn: null,
      src_asn_org: null,
      user_agent: null,
      service: null,
      target: null,
      target_type: null,
      session_id: null,
      mfa_factor: null,
      message: null,
    },
  };
}

function groupByLine(records: readonly SplitRecord[]): SplitRecord[][] {
  const groups: SplitRecord[][] = [];
  for (const record of records) {
    const last = groups.at(-1);
    if (last && last[0]!.line === record.line) last.push(record);
    else groups.push([record]);
  }
  return groups;
}


/** The batch's identity: the sender's Idempotency-Key, or the SHA-256 of what was sent, per source. */
export async function batchIdFor(source: SourceId, body: Uint8Array, idempotencyKey: string | null): Promise<string> {
  const material = idempotencyKey === null ? await sha256Hex(body) : `key:${idempotencyKey}`;
  return (await sha256Hex(`${source}\n${material}`)).slice(0, 32);
}
