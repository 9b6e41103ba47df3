/**
 * 1Password Events API collector (https://developer.1password.com/docs/events-api/reference/): `POST
 * {base}/api/v2/auditevents`, `/api/v2/signinattempts` and `/api/v2/itemusages` with a bearer token (a JWT
 * issued by an Events Reporting integration, scoped to the features it may read). The base URL depends on the
 * account's region: https://events.1password.com, https://events.1password.ca, https://events.1password.eu,
 * https://events.ent.1password.com.
 *
 * Pagination (https://developer.1password.com/docs/events-api/pagination): the first request of each feed sends
 * a reset cursor `{"limit": N, "start_time": "<RFC 3339>"}`, every later one `{"cursor": "…"}` from the previous
 * answer, which always returns a cursor and `has_more`. The cursor stays valid once caught up, so it is kept
 * and polled again on the next run: no time window, no overlap. The feeds are read one after another; a run is
 * done when the last feed has nothing more.
 *
 * Rate limits: 600 requests a minute and 30,000 an hour; a 429 is retried (with `Retry-After` when given).
 * Only the configured base URL is called: 1Password's cursor is a value, never a URL.
 */
import { z } from 'zod';
import type { CollectorDefinition, CollectorPage } from '../../core/collect/collector';
import { fetchResult, type TransportResult } from '../../core/collect/transport';

export const onePasswordFeeds = ['auditevents', 'signinattempts', 'itemusages'] as const;
type Feed = (typeof onePasswordFeeds)[number];

const configSchema = z.object({
  baseUrl: z.url().default('https://events.1password.com').transform((u) => u.replace(/\/+$/, '')),
  tokenSecret: z.string().default('ONEPASSWORD_EVENTS_TOKEN'),
  feeds: z
    .array(z.enum(onePasswordFeeds))
    .min(1)
    .default([...onePasswordFeeds])
    .refine((f) => new Set(f).size === f.length, { message: 'a feed is listed twice' }),
  lookbackMinutes: z.number().int().min(1).max(60 * 24 * 120).default(60),
  limit: z.number().int().min(1).max(1000).default(1000),
});
type OnePasswordConfig = z.infer<typeof configSchema>;

const cursorSchema = z.object({
  /** Index in `feeds` of the feed to read next. */
  feed: z.number().int().min(0),
  /** 1Password's continuing cursor per feed; absent until the feed's first (reset) request. */
  cursors: z.partialRecord(z.enum(onePasswordFeeds), z.string()),
  /** Start time of the reset cursor of a feed read for the first time. */
  startTime: z.string(),
});
type OnePasswordCursor = z.infer<typeof cursorSchema>;

const responseSchema = z.looseObject({ cursor: z.string(), has_more: z.boolean(), items: z.array(z.unknown()).nullable().optional() });

export const onePasswordEventsCollector: CollectorDefinition<OnePasswordConfig, OnePasswordCursor> = {
  type: 'onepassword_events',
  source: 'onepassword',
  description: '1Password Events API (audit events, sign-in attempts, item usages)',
  configSchema,
  cursorSchema,
  start(config, now) {
    return { feed: 0, cursors: {}, startTime: new Date(now.getTime() - config.lookbackMinutes * 60_000).toISOString() };
  },
  async fetchPage(config, cursor, deps): Promise<TransportResult<CollectorPage<OnePasswordCursor>>> {
    const token = deps.secret(config.tokenSecret);
    if (!token) return { kind: 'failure', message: `the secret ${config.tokenSecret} is not set (wrangler secret put ${config.tokenSecret})` };
    const index = cursor.feed % config.feeds.length;
    const feed: Feed = config.feeds[index]!;
    const previous = cursor.cursors[feed];
    const body = previous ? { cursor: previous } : { limit: config.limit, start_time: cursor.startTime };
    const what = `1Password /api/v2/${feed}`;
    const response = await fetchResult(
      deps.fetch,
      `${config.baseUrl}/api/v2/${feed}`,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) },
      what,
    );
    if (response.kind !== 'success') return response;
    const parsed = responseSchema.safeParse(await response.value.json().catch(() => null));
    if (!parsed.success) return { kind: 'failure', message: `${what} did not answer {cursor, has_more, items}` };
    const cursors = { ...cursor.cursors, [feed]: parsed.data.cursor };
    const records = parsed.data.items ?? [];
    if (parsed.data.has_more) return { kind: 'success', value: { records, cursor: { ...cursor, feed: index, cursors }, done: false } };
    const last = index === config.feeds.length - 1;
    return { kind: 'success', value: { records, cursor: { ...cursor, feed: last ? 0 : index + 1, cursors }, done: last } };
  },
};
