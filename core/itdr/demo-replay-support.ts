/**
 * Measurement tooling (tests and bench only, not the runtime): the demo organisation's identity events as the
 * ITDR core receives them. Each generated wire event goes through the source's own parser — the one
 * `POST /ingest/okta` and `/ingest/cloudtrail` run (adapters/okta, adapters/cloudtrail) — gets the storage uid
 * the ingest path gives vendor-id'd events (`v:<source>:<event_id>`), and is reduced to its identity view by
 * summarizeIdentityEvent, exactly as the ingest path feeds the identity Durable Objects.
 */
import { normalizeCloudTrailRecord } from '../../adapters/cloudtrail/normalize-cloudtrail-record';
import { normalizeOktaEvent } from '../../adapters/okta/normalize-okta-event';
import { iterateDemoEvents, type DemoDatasetOptions, type DemoSource } from '../demo/dataset';
import { summarizeIdentityEvent } from '../identity/identity-event';
import type { RecordParser } from '../schema/event';
import type { ItdrEvent } from './types';

const parsers: Record<DemoSource, RecordParser> = { okta: normalizeOktaEvent, cloudtrail: normalizeCloudTrailRecord };

/** One source's identity events, in time order. Throws if the parser rejects a generated event (a defect). */
export function* demoIdentityEvents(options: DemoDatasetOptions, source: DemoSource): Generator<ItdrEvent> {
  const parse = parsers[source];
  for (const record of iterateDemoEvents(options, source)) {
    const result = parse(record, { source, ingestTime: '2100-01-01T00:00:00.000Z' });
    if (!result.ok) throw new Error(`the ${source} parser rejected a demo event: ${result.message}`);
    const draft = result.event;
    if (draft.event_id === null) throw new Error(`a demo ${source} event has no vendor id`);
    const summary = summarizeIdentityEvent({ ...draft, event_id: draft.event_id, raw: '', event_uid: `v:${source}:${draft.event_id}` });
    if (summary) yield summary;
  }
}

/** Both sources' identity events merged in time order, grouped into batches of `batchMinutes` of event time. */
export function* demoIdentityBatches(options: DemoDatasetOptions, batchMinutes = 60): Generator<{ events: ItdrEvent[]; end: string }> {
  const okta = demoIdentityEvents(options, 'okta');
  const cloudtrail = demoIdentityEvents(options, 'cloudtrail');
  let a = okta.next();
  let b = cloudtrail.next();
  const size = batchMinutes * 60_000;
  let batch: ItdrEvent[] = [];
  let batchEnd = -Infinity;
  while (!a.done || !b.done) {
    const takeA = !a.done && (b.done || a.value.eventTime <= b.value.eventTime);
    const e = takeA ? (a.value as ItdrEvent) : (b.value as ItdrEvent);
    if (takeA) a = okta.next();
    else b = cloudtrail.next();
    const t = Date.parse(e.eventTime);
    if (t >= batchEnd) {
      if (batch.length > 0) yield { events: batch, end: new Date(batchEnd).toISOString() };
      batch = [];
      batchEnd = (Math.floor(t / size) + 1) * size;
    }
    batch.push(e);
  }
  if (batch.length > 0) yield { events: batch, end: new Date(batchEnd).toISOString() };
}
