/**
 * Runs the pull collectors configured in COLLECTORS (cron). For each collector that is due: fetch a page
 * from its cursor (retrying 429/5xx with backoff and Retry-After), land the page's events durably (R2, then
 * D1, keyed by vendor event id so overlapping windows never duplicate), and only then save the cursor after
 * that page. A failure stops the collector's run and leaves its cursor at the first page not landed.
 */
import { parseCollectorsSetting, type CollectorDefinition, type CollectorEntry } from '../../core/collect/collector';
import { defaultRetryPolicy, withRetries, type RetryPolicy } from '../../core/collect/transport';
import { batchIdFor } from '../../core/ingest/parse-batch';
import { collectorDefinitions } from '../../adapters/collectors';
import { CollectorStateRepository } from '../../adapters/d1/collector-state-repository';
import { IngestBatchesRepository } from '../../adapters/d1/ingest-batches-repository';
import { guardedFetch } from '../../adapters/http/guarded-fetch';
import { sourceAdapters } from '../../adapters/sources';
import { readConfig, type Env } from '../env';
import { landBatch } from '../ingest/ingest-batch';
import { ApiError } from '../errors';

export interface CollectorRunSummary {
  collectorId: string;
  status: 'ok' | 'error' | 'partial' | 'skipped';
  pages: number;
  events: number;
  newEvents: number;
  error?: string;
}

export interface RunCollectorsOptions {
  readonly retry?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Run every collector now, whatever its interval (tests, "run now" from the UI). */
  readonly force?: boolean;
  readonly only?: string;
}

export async function runCollectors(env: Env, now: Date, options: RunCollectorsOptions = {}): Promise<CollectorRunSummary[]> {
  const setting = parseCollectorsSetting(env.COLLECTORS ?? '', collectorDefinitions);
  if (!setting.ok) {
    console.error(JSON.stringify({ level: 'error', msg: 'COLLECTORS is invalid; no collector runs', error: setting.message }));
    return [];
  }
  const state = new CollectorStateRepository(env.DB);
  const summaries: CollectorRunSummary[] = [];
  for (const { entry, config, definition } of setting.entries) {
    if (!entry.enabled || (options.only && entry.id !== options.only)) continue;
    const previous = await state.get(entry.id);
    const due = !previous?.lastRunAt || now.getTime() - Date.parse(previous.lastRunAt) >= entry.intervalMinutes * 60_000 - 30_000;
    if (!due && !options.force) {
      summaries.push({ collectorId: entry.id, status: 'skipped', pages: 0, events: 0, newEvents: 0 });
      continue;
    }
    summaries.push(await runCollector(env, entry, config, definition, previous?.cursor ?? null, now, options));
  }
  return summaries;
}

async function runCollector(
  env: Env,
  entry: CollectorEntry,
  config: unknown,
  definition: CollectorDefinition,
  savedCursor: string | null,
  now: Date,
  options: RunCollectorsOptions,
): Promise<CollectorRunSummary> {
  const state = new CollectorStateRepository(env.DB);
  const source = definition.sourceFor?.(config) ?? definition.source;
  const adapter = sourceAdapters.get(source);
  const started = Date.now();
  const summary: CollectorRunSummary = { collectorId: entry.id, status: 'ok', pages: 0, events: 0, newEvents: 0 };
  const deps = {
    fetch: guardedFetch(readConfig(env).outbound),
    now,
    secret: (name: string) => {
      const value = (env as unknown as Record<string, unknown>)[name];
      return typeof value === 'string' && value !== '' ? value : undefined;
    },
  };

  let cursor: unknown;
  if (savedCursor) {
    const parsed = definition.cursorSchema.safeParse(JSON.parse(savedCursor));
    cursor = parsed.success ? parsed.data : definition.start(config, now);
  } else {
    cursor = definition.start(config, now);
  }

  try {
    if (!adapter) throw new Error(`no parser for source ${source}`);
    for (let page = 0; page < entry.maxPagesPerRun; page++) {
      const result = await withRetries(() => definition.fetchPage(config, cursor, deps), options.retry ?? defaultRetryPolicy, options.sleep);
      if (result.kind !== 'success') throw new Error(result.message);
      const { records, cursor: next, done } = result.value;
      if (records.length > 0) {
        const landed = await landPage(env, entry.id, adapter.id, records);
        summary.events += records.length;
        summary.newEvents += landed.newEvents;
        await state.advance(entry.id, adapter.id, next, landed.newEvents, landed.lastEventTime, new Date());
      } else {
        await state.advance(entry.id, adapter.id, next, 0, null, new Date());
      }
      summary.pages++;
      cursor = next;
      if (done) break;
    }
  } catch (err) {
    summary.status = summary.pages > 0 ? 'partial' : 'error';
    summary.error = err instanceof ApiError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  }

  await state.finishRun(
    entry.id,
    source,
    {
      startedAt: now.toISOString(),
      durationMs: Date.now() - started,
      pages: summary.pages,
      events: summary.events,
      newEvents: summary.newEvents,
      status: summary.status === 'skipped' ? 'ok' : summary.status,
      error: summary.error ?? null,
    },
    new Date(),
  );
  return summary;
}

/** Lands one page as an ingest batch keyed by vendor event id. */
async function landPage(env: Env, collectorId: string, source: string, records: unknown[]): Promise<{ newEvents: number; lastEventTime: string | null }> {
  const adapter = sourceAdapters.get(source)!;
  const body = new TextEncoder().encode(records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n'));
  const batchId = await batchIdFor(source, body, null);
  const batches = new IngestBatchesRepository(env.DB);
  const claimed = await batches.claim(batchId, source, new Date().toISOString(), `collector:${collectorId}`, 'vendor_id');
  if (claimed.status === 'complete') return { newEvents: 0, lastEventTime: null };
  let result;
  try {
    result = await landBatch(env, { adapter, batchId, receivedAt: claimed.receivedAt, body, keying: 'vendor_id' });
  } catch (err) {
    // A page whose every record was rejected is landed (dead-lettered); anything else stops the run.
    if (err instanceof ApiError && err.code === 'invalid_input') return { newEvents: 0, lastEventTime: null };
    throw err;
  }
  const { results } = await env.DB.prepare('SELECT max(event_time) AS t FROM events WHERE batch_id = ?1').bind(batchId).all<{ t: string | null }>();
  return { newEvents: result.events, lastEventTime: results[0]?.t ?? null };
}
