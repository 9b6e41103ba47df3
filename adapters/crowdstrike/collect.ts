/**
 * CrowdStrike Falcon Alerts collector (https://www.falconpy.io/Service-Collections/Alerts.html; CrowdStrike's
 * own reference is in the Falcon console, behind a login):
 * 1. OAuth2 client credentials, `POST {base}/oauth2/token` (form `client_id`, `client_secret`) → a bearer
 *    token valid `expires_in` seconds (30 minutes), cached per isolate by (token URL, client id);
 * 2. `GET {base}/alerts/queries/alerts/v2?filter=updated_timestamp:>='…'&sort=updated_timestamp|asc&limit&offset`
 *    → composite ids (`offset + limit` may not pass 10,000);
 * 3. `POST {base}/alerts/entities/alerts/v2` `{"composite_ids": [...]}` → the alerts.
 * The API client needs the **Alerts: Read** scope. Base URLs by cloud: https://api.crowdstrike.com (US-1),
 * https://api.us-2.crowdstrike.com, https://api.eu-1.crowdstrike.com, https://api.laggar.gcw.crowdstrike.com.
 *
 * Paging is by key: each query asks for alerts updated at or after the last one read (`since`), skipping the
 * ones already read at exactly that time (`offset`), so alerts updated while paging (which move to the end)
 * never shift a page. Once caught up, the next run starts again at the newest `updated_timestamp` minus an
 * overlap (alerts are indexed a little late). Alerts seen twice are dropped downstream by `composite_id` — an
 * alert updated after it was stored is therefore not stored again.
 *
 * Rate limits: a 429 carries `X-RateLimit-RetryAfter` (epoch seconds); the wait runs until then. A 401 from
 * the API (token expired or revoked) drops the cached token and is retried with a new one. The client secret
 * only goes to the configured base URL's token endpoint, the bearer token only to the same origin.
 */
import { z } from 'zod';
import type { CollectorDefinition, CollectorDeps, CollectorPage } from '../../core/collect/collector';
import { classifyResponse, type TransportResult } from '../../core/collect/transport';
import { toIsoMillis } from '../../core/schema/time';

const configSchema = z.object({
  baseUrl: z.url().default('https://api.crowdstrike.com').transform((u) => u.replace(/\/+$/, '')),
  clientId: z.string().min(1),
  clientSecretName: z.string().default('CROWDSTRIKE_CLIENT_SECRET'),
  lookbackMinutes: z.number().int().min(1).max(60 * 24 * 90).default(60),
  overlapMinutes: z.number().int().min(0).max(24 * 60).default(5),
  /** Alerts per page: ids per query and per entities request (which takes at most 1,000). */
  limit: z.number().int().min(1).max(1000).default(500),
});
type CrowdStrikeConfig = z.infer<typeof configSchema>;

const cursorSchema = z.object({
  /** Lower bound (inclusive) on updated_timestamp: the time of the last alert read. */
  since: z.string(),
  /** Alerts already read whose updated_timestamp is exactly `since`. */
  offset: z.number().int().min(0),
  /** Newest updated_timestamp read so far; the next run restarts from it, minus the overlap. */
  newest: z.string().nullable(),
});
type CrowdStrikeCursor = z.infer<typeof cursorSchema>;

/** The query endpoint refuses offset + limit beyond this. */
const maxQueryWindow = 10_000;

const queryResponseSchema = z.looseObject({ resources: z.array(z.string()).nullable() });
const entitiesResponseSchema = z.looseObject({ resources: z.array(z.looseObject({ updated_timestamp: z.unknown().optional() })).nullable() });
const tokenResponseSchema = z.looseObject({ access_token: z.string().min(1), expires_in: z.number().optional() });

interface CachedToken {
  readonly token: string;
  readonly secret: string;
  readonly expiresAt: number;
}

/** Bearer tokens per isolate, by `${tokenUrl} ${clientId}`; an entry is only used with the secret it came from. */
const tokenCache = new Map<string, CachedToken>();

/** CrowdStrike answers 429 with `X-RateLimit-RetryAfter`, an epoch time in seconds. */
export async function classifyFalconResponse(response: Response, what: string, now = Date.now()): Promise<TransportResult<Response>> {
  const result = await classifyResponse(response, what);
  if (result.kind !== 'retryable' || response.status !== 429) return result;
  const until = Number(response.headers.get('x-ratelimit-retryafter'));
  return Number.isFinite(until) && until > 0 ? { ...result, retryAfterMs: Math.max(0, until * 1000 - now) } : result;
}

async function call(deps: CollectorDeps, url: string, init: RequestInit, what: string, onUnauthorized?: () => void): Promise<TransportResult<Response>> {
  let response: Response;
  try {
    response = await deps.fetch(url, init);
  } catch (err) {
    return { kind: 'retryable', message: `${what} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  const result = await classifyFalconResponse(response, what);
  if (result.kind === 'failure' && response.status === 401 && onUnauthorized) {
    // The cached token expired or was revoked: forget it, and retry with a new one.
    onUnauthorized();
    return { kind: 'retryable', message: `${result.message} (the token was refused; a new one is requested)` };
  }
  return result;
}

async function bearerToken(config: CrowdStrikeConfig, secret: string, deps: CollectorDeps): Promise<TransportResult<string>> {
  const tokenUrl = `${config.baseUrl}/oauth2/token`;
  const key = `${tokenUrl} ${config.clientId}`;
  const cached = tokenCache.get(key);
  if (cached && cached.secret === secret && cached.expiresAt > deps.now.getTime()) return { kind: 'success', value: cached.token };
  const response = await call(
    deps,
    tokenUrl,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ client_id: config.clientId, client_secret: secret }).toString(),
    },
    'CrowdStrike /oauth2/token',
  );
  if (response.kind !== 'success') return response;
  const parsed = tokenResponseSchema.safeParse(await response.value.json().catch(() => null));
  if (!parsed.success) return { kind: 'failure', message: 'CrowdStrike /oauth2/token did not answer an access token' };
  // Renew a minute early so that a token never expires between two calls of one page.
  const lifetimeMs = Math.max(0, (parsed.data.expires_in ?? 1799) - 60) * 1000;
  tokenCache.set(key, { token: parsed.data.access_token, secret, expiresAt: deps.now.getTime() + lifetimeMs });
  return { kind: 'success', value: parsed.data.access_token };
}

export const crowdstrikeAlertsCollector: CollectorDefinition<CrowdStrikeConfig, CrowdStrikeCursor> = {
  type: 'crowdstrike_alerts',
  source: 'crowdstrike',
  description: 'CrowdStrike Falcon Alerts API v2 (/alerts/queries/alerts/v2, /alerts/entities/alerts/v2)',
  configSchema,
  cursorSchema,
  start(config, now) {
    return { since: new Date(now.getTime() - config.lookbackMinutes * 60_000).toISOString(), offset: 0, newest: null };
  },
  async fetchPage(config, cursor, deps): Promise<TransportResult<CollectorPage<CrowdStrikeCursor>>> {
    const secret = deps.secret(config.clientSecretName);
    if (!secret) return { kind: 'failure', message: `the secret ${config.clientSecretName} is not set (wrangler secret put ${config.clientSecretName})` };
    const token = await bearerToken(config, secret, deps);
    if (token.kind !== 'success') return token;
    const headers = { authorization: `Bearer ${token.value}`, accept: 'application/json' };
    const forgetToken = () => tokenCache.delete(`${config.baseUrl}/oauth2/token ${config.clientId}`);

    const params = new URLSearchParams({
      filter: `updated_timestamp:>='${cursor.since}'`,
      sort: 'updated_timestamp|asc',
      limit: String(config.limit),
      offset: String(cursor.offset),
    });
    const queryWhat = 'CrowdStrike /alerts/queries/alerts/v2';
    const query = await call(deps, `${config.baseUrl}/alerts/queries/alerts/v2?${params}`, { headers }, queryWhat, forgetToken);
    if (query.kind !== 'success') return query;
    const ids = queryResponseSchema.safeParse(await query.value.json().catch(() => null));
    if (!ids.success) return { kind: 'failure', message: `${queryWhat} did not answer {meta, resources}` };
    const compositeIds = ids.data.resources ?? [];
    if (compositeIds.length === 0) {
      const since = cursor.newest ? new Date(Date.parse(cursor.newest) - config.overlapMinutes * 60_000).toISOString() : cursor.since;
      return { kind: 'success', value: { records: [], cursor: { since, offset: 0, newest: cursor.newest }, done: true } };
    }
    if (cursor.offset + compositeIds.length > maxQueryWindow) {
      return { kind: 'failure', message: `more than ${maxQueryWindow} CrowdStrike alerts share the updated_timestamp ${cursor.since}; the query API cannot page past them` };
    }

    const entitiesWhat = 'CrowdStrike /alerts/entities/alerts/v2';
    const entities = await call(
      deps,
      `${config.baseUrl}/alerts/entities/alerts/v2`,
      { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ composite_ids: compositeIds }) },
      entitiesWhat,
      forgetToken,
    );
    if (entities.kind !== 'success') return entities;
    const alerts = entitiesResponseSchema.safeParse(await entities.value.json().catch(() => null));
    if (!alerts.success) return { kind: 'failure', message: `${entitiesWhat} did not answer {meta, resources}` };
    const records = alerts.data.resources ?? [];

    // The ids come sorted by updated_timestamp; the entities endpoint does not promise their order.
    const times = records.map((a) => toIsoMillis(a.updated_timestamp)).filter((t): t is string => t !== null);
    const last = times.reduce<string | null>((max, t) => (!max || t > max ? t : max), null);
    if (last === null || last < cursor.since) {
      return { kind: 'failure', message: `${entitiesWhat} answered alerts without a usable updated_timestamp` };
    }
    const cursorAfter =
      last === cursor.since
        ? { since: cursor.since, offset: cursor.offset + compositeIds.length }
        : { since: last, offset: times.filter((t) => t === last).length };
    const newest = cursor.newest && cursor.newest > last ? cursor.newest : last;
    return { kind: 'success', value: { records, cursor: { ...cursorAfter, newest }, done: false } };
  },
};

