/**
 * Office 365 Management Activity API collector (the unified audit log of every Microsoft 365 workload):
 * https://learn.microsoft.com/en-us/office/office-365-management-api/office-365-management-activity-api-reference
 *
 * Wire, per content type (Audit.AzureActiveDirectory, Audit.Exchange, Audit.SharePoint, Audit.General, DLP.All),
 * under `{manage}/api/v1.0/{tenant}/activity/feed`, with an app-only token for `https://manage.office.com/.default`
 * (collect-token.ts in entra_id) and `PublisherIdentifier` (the tenant, for a dedicated throttling quota):
 * - `POST /subscriptions/start?contentType=…` once; a subscription already enabled answers 400 AF20024, which is
 *   fine, and a listing answering AF20022 / AF20023 (no / disabled subscription) starts it again;
 * - `GET /subscriptions/content?contentType=…&startTime=…&endTime=…` lists content blobs by the time they became
 *   available (`startTime <= contentCreated < endTime`, at most 24 hours apart, start within the last 7 days),
 *   truncated pages continuing at the URL in the `NextPageUri` response header;
 * - `GET {contentUri}`: the blob, a JSON array of audit records. Blobs expire 7 days after they became available
 *   (AF20051): one that expired before it was read is skipped.
 *
 * Cursor, per content type: `until`, the end of the last fully processed window; the window in progress; and the
 * blobs done (id and availability time). A window spans `overlapMinutes` before `until` to at most
 * `windowMinutes` after it (and never past now), because blobs are listed late; blobs already done in the overlap
 * are not fetched again, and records are keyed by their `Id` downstream anyway. A page is up to `blobsPerPage`
 * blobs of one content type.
 *
 * The access token only goes to the configured Management API origin: a NextPageUri or contentUri elsewhere is
 * refused.
 */
import { z } from 'zod';
import type { CollectorDefinition, CollectorDeps, CollectorPage } from '../../core/collect/collector';
import type { TransportResult } from '../../core/collect/transport';
import { fetchWithClientCredentials, microsoftTokenUrl, type ClientCredentials } from '../entra_id/collect-token';

export const m365ContentTypes = ['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.SharePoint', 'Audit.General', 'DLP.All'] as const;
type ContentType = (typeof m365ContentTypes)[number];

const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'a GUID');

/** The API keeps content for 7 days; a window never starts closer to that edge than this. */
const retentionMs = 7 * 24 * 3600_000 - 5 * 60_000;
const maxListingPages = 100;

const configSchema = z
  .object({
    tenantId: guid,
    clientId: z.string().min(1),
    clientSecretName: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a Worker secret name (letters, digits, _)').default('M365_CLIENT_SECRET'),
    /** Default: https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token. */
    tokenUrl: z.url().optional(),
    scope: z.string().default('https://manage.office.com/.default'),
    /** manage.office.com; GCC High and DoD tenants use their own hosts. */
    manageBaseUrl: z
      .url()
      .default('https://manage.office.com')
      .transform((u) => u.replace(/\/+$/, '')),
    contentTypes: z.array(z.enum(m365ContentTypes)).min(1).default([...m365ContentTypes]),
    /** Default: the tenant id. */
    publisherIdentifier: guid.optional(),
    lookbackMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
    overlapMinutes: z.number().int().min(0).max(12 * 60).default(60),
    windowMinutes: z.number().int().min(1).max(12 * 60).default(60),
    blobsPerPage: z.number().int().min(1).max(50).default(10),
  })
  .transform((c) => ({ ...c, tokenUrl: c.tokenUrl ?? microsoftTokenUrl(c.tenantId), publisherIdentifier: c.publisherIdentifier ?? c.tenantId }));
export type M365CollectorConfig = z.infer<typeof configSchema>;

const windowSchema = z.object({ start: z.string(), end: z.string() });
const typeStateSchema = z.object({
  subscribed: z.boolean(),
  /** End of the last fully processed window. */
  until: z.string(),
  window: windowSchema.nullable(),
  /** Blobs done in the window in progress and in the overlap of the next one. */
  done: z.array(z.object({ id: z.string(), created: z.string() })),
});
type TypeState = z.infer<typeof typeStateSchema>;
type ListingWindow = z.infer<typeof windowSchema>;

const cursorSchema = z.object({ types: z.record(z.string(), typeStateSchema) });
export type M365Cursor = z.infer<typeof cursorSchema>;

const contentSchema = z.looseObject({ contentId: z.string().min(1), contentUri: z.string().min(1), contentCreated: z.string() });
type ContentEntry = z.infer<typeof contentSchema>;

export const m365ManagementActivityCollector: CollectorDefinition<M365CollectorConfig, M365Cursor> = {
  type: 'm365_management_activity',
  source: 'm365',
  description: 'Microsoft 365 unified audit log (Office 365 Management Activity API)',
  configSchema,
  cursorSchema,
  start(config, now) {
    return { types: Object.fromEntries(config.contentTypes.map((t) => [t, initialState(config, now)])) };
  },
  async fetchPage(config, cursor, deps): Promise<TransportResult<CollectorPage<M365Cursor>>> {
    const clientSecret = deps.secret(config.clientSecretName);
    if (!clientSecret) {
      return { kind: 'failure', message: `the secret ${config.clientSecretName} is not set (wrangler secret put ${config.clientSecretName})` };
    }
    const api = new ManagementApi(config, { tokenUrl: config.tokenUrl, clientId: config.clientId, clientSecret, scope: config.scope }, deps);
    const now = floorToSecond(deps.now);
    const stateOf = (types: M365Cursor['types'], t: ContentType) => types[t] ?? initialState(config, deps.now);
    const contentType = config.contentTypes.find((t) => !caughtUp(stateOf(cursor.types, t), now));
    if (!contentType) return { kind: 'success', value: { records: [], cursor, done: true } };

    const state = stateOf(cursor.types, contentType);
    if (!state.subscribed) {
      const started = await api.startSubscription(contentType);
      if (started.kind !== 'success') return started;
    }
    const window = state.window ?? nextWindow(config, state.until, now);
    const listed = await api.listContent(contentType, window);
    if (listed.kind !== 'success') return listed;

    const doneIds = new Set(state.done.map((d) => d.id));
    const pending = listed.value.filter((c) => !doneIds.has(c.contentId));
    const batch = pending.slice(0, config.blobsPerPage);
    const records: unknown[] = [];
    for (const content of batch) {
      const blob = await api.fetchBlob(content);
      if (blob.kind !== 'success') return blob;
      records.push(...blob.value);
    }
    const done = [...state.done, ...batch.map((c) => ({ id: c.contentId, created: c.contentCreated }))];
    let next: TypeState;
    if (pending.length > batch.length) {
      next = { subscribed: true, until: state.until, window, done };
    } else {
      // Window complete: keep only the blobs that the next window's overlap will list again.
      const nextStart = Date.parse(window.end) - config.overlapMinutes * 60_000;
      next = { subscribed: true, until: window.end, window: null, done: done.filter((d) => Date.parse(d.created) >= nextStart) };
    }
    const types = { ...cursor.types, [contentType]: next };
    return {
      kind: 'success',
      value: { records, cursor: { types }, done: config.contentTypes.every((t) => caughtUp(stateOf(types, t), now)) },
    };
  },
};

function initialState(config: M365CollectorConfig, now: Date): TypeState {
  return { subscribed: false, until: new Date(floorToSecond(now) - config.lookbackMinutes * 60_000).toISOString(), window: null, done: [] };
}

function caughtUp(state: TypeState, now: number): boolean {
  return state.window === null && Date.parse(state.until) >= now;
}

/** `[until - overlap, until + window]`, never before the 7-day retention nor after now; at most 24 hours long. */
function nextWindow(config: M365CollectorConfig, until: string, now: number): ListingWindow {
  const start = Math.max(Date.parse(until) - config.overlapMinutes * 60_000, now - retentionMs);
  const end = Math.min(Math.max(Date.parse(until), start) + config.windowMinutes * 60_000, now);
  return { start: new Date(floorToSecond(new Date(start))).toISOString(), end: new Date(end).toISOString() };
}

function floorToSecond(d: Date): number {
  return Math.floor(d.getTime() / 1000) * 1000;
}

/** The API's documented time format, `YYYY-MM-DDTHH:MM:SS` (UTC). */
function apiTime(iso: string): string {
  return iso.slice(0, 19);
}

/** The API's error code (`{"error": {"code": "AF20024", ...}}`) in a failure message that quotes the body. */
function afCode(message: string): string | null {
  return /"code"\s*:\s*"(AF\d+)"/.exec(message)?.[1] ?? null;
}

class ManagementApi {
  private readonly feed: string;

  constructor(
    private readonly config: M365CollectorConfig,
    private readonly credentials: ClientCredentials,
    private readonly deps: CollectorDeps,
  ) {
    this.feed = `${config.manageBaseUrl}/api/v1.0/${config.tenantId}/activity/feed`;
  }

  async startSubscription(contentType: ContentType): Promise<TransportResult<true>> {
    const url = `${this.feed}/subscriptions/start?${new URLSearchParams({ contentType, PublisherIdentifier: this.config.publisherIdentifier })}`;
    const response = await this.call(url, 'POST', 'Office 365 Management API subscriptions/start');
    if (response.kind === 'success' || (response.kind === 'failure' && afCode(response.message) === 'AF20024')) return { kind: 'success', value: true };
    return response;
  }

  /** Every content blob of the window, following NextPageUri; a missing or disabled subscription is started again once. */
  async listContent(contentType: ContentType, window: ListingWindow): Promise<TransportResult<ContentEntry[]>> {
    const query = new URLSearchParams({ contentType, startTime: apiTime(window.start), endTime: apiTime(window.end), PublisherIdentifier: this.config.publisherIdentifier });
    let url = `${this.feed}/subscriptions/content?${query}`;
    let restarted = false;
    const entries: ContentEntry[] = [];
    for (let page = 0; page < maxListingPages; ) {
      const response = await this.call(url, 'GET', 'Office 365 Management API subscriptions/content');
      if (response.kind === 'failure' && !restarted && ['AF20022', 'AF20023'].includes(afCode(response.message) ?? '')) {
        restarted = true;
        const started = await this.startSubscription(contentType);
        if (started.kind !== 'success') return started;
        continue;
      }
      if (response.kind !== 'success') return response;
      const listed = z.array(contentSchema).safeParse(await response.value.json().catch(() => null));
      if (!listed.success) return { kind: 'failure', message: 'Office 365 Management API subscriptions/content did not answer a list of content blobs' };
      entries.push(...listed.data);
      const next = response.value.headers.get('NextPageUri');
      if (!next) return { kind: 'success', value: entries };
      url = next;
      page++;
    }
    return { kind: 'failure', message: `more than ${maxListingPages} pages of ${contentType} content in one window; lower windowMinutes` };
  }

  async fetchBlob(content: ContentEntry): Promise<TransportResult<unknown[]>> {
    let url: URL;
    try {
      url = new URL(content.contentUri);
    } catch {
      return { kind: 'failure', message: `Office 365 Management API listed a contentUri that is not a URL: ${content.contentUri}` };
    }
    url.searchParams.set('PublisherIdentifier', this.config.publisherIdentifier);
    const response = await this.call(url.toString(), 'GET', 'Office 365 Management API content blob');
    // Expired before it was read (7 days after it became available): nothing more can be had from it.
    if (response.kind === 'failure' && afCode(response.message) === 'AF20051') return { kind: 'success', value: [] };
    if (response.kind !== 'success') return response;
    const records = (await response.value.json().catch(() => null)) as unknown;
    if (!Array.isArray(records)) return { kind: 'failure', message: `Office 365 Management API content blob ${content.contentId} is not a JSON array` };
    return { kind: 'success', value: records };
  }

  private async call(url: string, method: 'GET' | 'POST', what: string): Promise<TransportResult<Response>> {
    if (!sameOrigin(url, this.config.manageBaseUrl)) {
      return { kind: 'failure', message: `${what}: the API pointed to ${safeOrigin(url)}, outside ${this.config.manageBaseUrl}; refusing to send the access token there` };
    }
    const init: { method: string; headers: Record<string, string>; body?: string } =
      method === 'POST' ? { method, headers: { accept: 'application/json', 'content-type': 'application/json' }, body: '{}' } : { method, headers: { accept: 'application/json' } };
    return fetchWithClientCredentials(this.deps.fetch, this.credentials, url, init, what);
  }
}

function sameOrigin(url: string, base: string): boolean {
  try {
    return new URL(url).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
}
