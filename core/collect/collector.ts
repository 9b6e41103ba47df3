/**
 * Pull collectors: the contract every vendor collector (adapters/<vendor>/collect.ts) implements, and how
 * they are configured.
 *
 * Invariants the runner (workers/collect) relies on:
 * - `fetchPage` is a pure function of (config, cursor, deps): it never stores anything, so a page whose
 *   landing failed is simply fetched again from the same cursor;
 * - the cursor returned with a page points *after* that page; it is saved only once the page's events are
 *   durable, so a failure between pages resumes at the first page not landed;
 * - time-window cursors overlap the previous window a little (clock skew, late indexing at the vendor) and
 *   rely on de-duplication by vendor event id downstream, so nothing is lost at page or run boundaries.
 */
import { z } from 'zod';
import type { SourceId } from '../schema/event';
import type { HttpFetch, TransportResult } from './transport';

export interface CollectorDeps {
  /** fetch() behind the outbound guard. */
  readonly fetch: HttpFetch;
  readonly now: Date;
  /** Reads a secret (a Worker secret named in the collector's config); undefined when it is not set. */
  readonly secret: (name: string) => string | undefined;
}

export interface CollectorPage<Cursor> {
  /** Vendor records, as the source's parser reads them. */
  readonly records: unknown[];
  /** Where to continue after this page. */
  readonly cursor: Cursor;
  /** True when the vendor has nothing more right now (caught up). */
  readonly done: boolean;
}

export interface CollectorDefinition<Config = unknown, Cursor = unknown> {
  /** Collector type used in configuration: `okta`, `entra_id_signins`, … */
  readonly type: string;
  /** The source whose parser reads this collector's records (the default, when `sourceFor` is given). */
  readonly source: SourceId;
  /** For collectors that serve any source (an S3 bucket): the source an entry's configuration chooses. */
  sourceFor?(config: Config): SourceId;
  readonly description: string;
  /** Non-secret settings (base URL, names of the secrets to read, lookback). */
  readonly configSchema: z.ZodType<Config>;
  readonly cursorSchema: z.ZodType<Cursor>;
  /** The cursor of a first run. */
  start(config: Config, now: Date): Cursor;
  fetchPage(config: Config, cursor: Cursor, deps: CollectorDeps): Promise<TransportResult<CollectorPage<Cursor>>>;
}

/** One configured collector: `COLLECTORS` is a JSON array of these (docs/collectors.md). */
export const collectorEntrySchema = z.looseObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'collector ids are lower-case letters, digits, - and _'),
  type: z.string().min(1),
  intervalMinutes: z.number().int().min(1).max(1440).default(5),
  maxPagesPerRun: z.number().int().min(1).max(500).default(50),
  enabled: z.boolean().default(true),
});
export type CollectorEntry = z.infer<typeof collectorEntrySchema>;

export type CollectorConfigResult =
  | { ok: true; entries: { entry: CollectorEntry; config: unknown; definition: CollectorDefinition }[] }
  | { ok: false; message: string };

/** Parses the COLLECTORS setting against the known collector types; every problem names the entry. */
export function parseCollectorsSetting(value: string, definitions: ReadonlyMap<string, CollectorDefinition>): CollectorConfigResult {
  if (value.trim() === '') return { ok: true, entries: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch (err) {
    return { ok: false, message: `COLLECTORS is not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!Array.isArray(raw)) return { ok: false, message: 'COLLECTORS must be a JSON array of collector objects.' };
  const entries = [];
  const ids = new Set<string>();
  for (const [i, item] of raw.entries()) {
    const entry = collectorEntrySchema.safeParse(item);
    if (!entry.success) return { ok: false, message: `COLLECTORS[${i}]: ${entry.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}` };
    if (ids.has(entry.data.id)) return { ok: false, message: `COLLECTORS[${i}]: id "${entry.data.id}" is used twice.` };
    ids.add(entry.data.id);
    const definition = definitions.get(entry.data.type);
    if (!definition) {
      return { ok: false, message: `COLLECTORS[${i}] (${entry.data.id}): unknown type "${entry.data.type}". Types: ${[...definitions.keys()].sort().join(', ')}.` };
    }
    const config = definition.configSchema.safeParse(item);
    if (!config.success) {
      return { ok: false, message: `COLLECTORS[${i}] (${entry.data.id}): ${config.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}` };
    }
    entries.push({ entry: entry.data, config: config.data, definition });
  }
  return { ok: true, entries };
}
