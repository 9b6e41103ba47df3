/**
 * Jamf Pro action log collector: `GET {server}/api/v1/action-logs` (Jamf Pro 11.34+,
 * https://developer.jamf.com/jamf-pro/changelog/1134-additions) — the mass actions run in Jamf Pro (wipe,
 * lock, delete, unmanage), who ran them and on what — with `page`, `page-size`, `sort=createdTime:asc` and an
 * RSQL `filter=createdTime>="…"` (https://developer.jamf.com/jamf-pro/docs/filtering-with-rsql). Jamf Pro
 * offers no pageable audit or access log (the web UI's logs reach SIEMs through the Log Stream); this is the
 * closest feed the jamf parser reads that the API serves with paging.
 *
 * Authentication: an API client (Settings → API roles and clients) with OAuth client credentials,
 * `POST {server}/api/oauth/token` (form `grant_type=client_credentials`, `client_id`, `client_secret`,
 * https://developer.jamf.com/jamf-pro/docs/client-credentials) → a bearer token valid `expires_in` seconds,
 * cached per isolate by (token URL, client id).
 *
 * A window is a fixed filter paged in ascending time (new actions land after the window's pages, never
 * inside them); when a page comes back short the window is complete and the next one starts at the newest
 * `createdTime` minus an overlap. Entries seen twice are dropped downstream by their `id` — so an action's
 * later status (PENDING → COMPLETED) is not stored again.
 *
 * Rate limits: Jamf publishes no numbers for the Jamf Pro API; a 429 or 5xx is retried with backoff, for as long
 * as `Retry-After` says when Jamf sends one. The client secret only goes to the configured server's token
 * endpoint, the bearer token only to the same origin.
 */
import { z } from 'zod';
import type { CollectorDefinition, CollectorDeps, CollectorPage } from '../../core/collect/collector';
import { classifyResponse, fetchResult, type TransportResult } from '../../core/collect/transport';
import { toIsoMillis } from '../../core/schema/time';

const configSchema = z.object({
  /** `https://<instance>.jamfcloud.com` or the on-premises server URL. */
  baseUrl: z.url().transform((u) => u.replace(/\/+$/, '')),
  clientId: z.string().min(1),
  clientSecretName: z.string().default('JAMF_CLIENT_SECRET'),
  lookbackMinutes: z.number().int().min(1).max(60 * 24 * 365).default(24 * 60),
  overlapMinutes: z.number().int().min(0).max(24 * 60).default(10),
  pageSize: z.number().int().min(1).max(2000).default(200),
});
type JamfConfig = z.infer<typeof configSchema>;

const cursorSchema = z.object({
  /** The window's lower bound on createdTime (inclusive). */
  since: z.string(),
  /** Next page of the window (0-based, as Jamf counts). */
  page: z.number().int().min(0),
  newest: z.string().nullable(),
});
type JamfCursor = z.infer<typeof cursorSchema>;

const tokenResponseSchema = z.looseObject({ access_token: z.string().min(1), expires_in: z.number().optional() });
const listResponseSchema = z.looseObject({ totalCount: z.number().optional(), results: z.array(z.looseObject({ createdTime: z.unknown().optional() })) });

interface CachedToken {
  readonly token: string;
  readonly secret: string;
  readonly expiresAt: number;
}

/** Bearer tokens per isolate, by `${tokenUrl} ${clientId}`; an entry is only used with the secret it came from. */
const tokenCache = new Map<string, CachedToken>();

async function bearerToken(config: JamfConfig, secret: string, deps: CollectorDeps): Promise<TransportResult<string>> {
  const tokenUrl = `${config.baseUrl}/api/oauth/token`;
  const key = `${tokenUrl} ${config.clientId}`;
  const cached = tokenCache.get(key);
  if (cached && cached.secret === secret && cached.expiresAt > deps.now.getTime()) return { kind: 'success', value: cached.token };
  const response = await fetchResult(
    deps.fetch,
    tokenUrl,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: config.clientId, client_secret: secret }).toString(),
    },
    'Jamf Pro /api/oauth/token',
  );
  if (response.kind !== 'success') return response;
  const parsed = tokenResponseSchema.safeParse(await response.value.json().catch(() => null));
  if (!parsed.success) return { kind: 'failure', message: 'Jamf Pro /api/oauth/token did not answer an access token' };
  // Jamf's tokens are short-lived (a minute by default): keep a margin so one does not expire mid-request.
  const lifetimeMs = Math.max(0, (parsed.data.expires_in ?? 60) - 10) * 1000;
  tokenCache.set(key, { token: parsed.data.access_token, secret, expiresAt: deps.now.getTime() + lifetimeMs });
  return { kind: 'success', value: parsed.data.access_token };
}

/** RSQL wants the time quoted; Jamf writes createdTime to the second (`2026-06-17T09:14:00Z`), so the bound is too. */
function windowFilter(since: string): string {
  const seconds = Math.floor(Date.parse(since) / 1000) * 1000;
  return `createdTime>="${new Date(seconds).toISOString().replace(/\.000Z$/, 'Z')}"`;
}

export const jamfActionLogsCollector: CollectorDefinition<JamfConfig, JamfCursor> = {
  type: 'jamf_action_logs',
  source: 'jamf',
  description: 'Jamf Pro API action logs (/api/v1/action-logs, Jamf Pro 11.34+)',
  configSchema,
  cursorSchema,
  start(config, now) {
    return { since: new Date(now.getTime() - config.lookbackMinutes * 60_000).toISOString(), page: 0, newest: null };
  },
  async fetchPage(config, cursor, deps): Promise<TransportResult<CollectorPage<JamfCursor>>> {
    const secret = deps.secret(config.clientSecretName);
    if (!secret) return { kind: 'failure', message: `the secret ${config.clientSecretName} is not set (wrangler secret put ${config.clientSecretName})` };
    const token = await bearerToken(config, secret, deps);
    if (token.kind !== 'success') return token;
    const params = new URLSearchParams({
      page: String(cursor.page),
      'page-size': String(config.pageSize),
      sort: 'createdTime:asc',
      filter: windowFilter(cursor.since),
    });
    const what = 'Jamf Pro /api/v1/action-logs';
    let response: Response;
    try {
      response = await deps.fetch(`${config.baseUrl}/api/v1/action-logs?${params}`, { headers: { authorization: `Bearer ${token.value}`, accept: 'application/json' } });
    } catch (err) {
      return { kind: 'retryable', message: `${what} failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (response.status === 401) {
      // The cached token expired or was invalidated: forget it, and retry with a new one.
      tokenCache.delete(`${config.baseUrl}/api/oauth/token ${config.clientId}`);
      return { kind: 'retryable', message: `${what} answered 401: ${(await response.text().catch(() => '')).slice(0, 300)} (the token was refused; a new one is requested)` };
    }
    const result = await classifyResponse(response, what);
    if (result.kind !== 'success') return result;
    const list = listResponseSchema.safeParse(await result.value.json().catch(() => null));
    if (!list.success) return { kind: 'failure', message: `${what} did not answer {totalCount, results}` };
    const records = list.data.results;
    const newest = records.reduce<string | null>((max, r) => {
      const t = toIsoMillis(r.createdTime);
      return t && (!max || t > max) ? t : max;
    }, cursor.newest);
    const read = (cursor.page + 1) * config.pageSize;
    const complete = records.length < config.pageSize || (list.data.totalCount !== undefined && read >= list.data.totalCount);
    if (!complete) return { kind: 'success', value: { records, cursor: { since: cursor.since, page: cursor.page + 1, newest }, done: false } };
    const since = newest ? new Date(Math.max(Date.parse(cursor.since), Date.parse(newest) - config.overlapMinutes * 60_000)).toISOString() : cursor.since;
    return { kind: 'success', value: { records, cursor: { since, page: 0, newest }, done: true } };
  },
};

