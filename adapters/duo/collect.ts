/**
 * Cisco Duo Admin API log collectors (https://duo.com/docs/adminapi#logs), every request signed with Duo's
 * signature v5 (collect-signing.ts) for the configured API host only — the secret key and the signatures
 * never go to another host, and nothing a response says (next_offset) can change where a request goes.
 *
 * - `duo_authentication`: `GET /admin/v2/logs/authentication`; `duo_telephony`: `GET /admin/v2/logs/telephony`;
 *   `duo_activity`: `GET /admin/v2/logs/activity`. v2 log endpoints take `mintime`/`maxtime` in milliseconds
 *   (maxtime strictly greater than mintime), `limit` ≤ 1000, `sort=ts:asc`, and page with the `next_offset`
 *   of the response's `metadata` (authentication: `["<ms>", "<txid>"]`; telephony and activity: `"<ms>,<id>"`),
 *   sent back comma-joined. Duo holds back the newest two minutes ("querying for results more recent than two
 *   minutes will return as empty"), so a window ends at now − 2 min, is paged to its end with the same
 *   mintime/maxtime, and the next window starts `overlapSeconds` before that end (duplicates are dropped
 *   downstream by txid / telephony_id / activity_id).
 * - `duo_administrator`: `GET /admin/v1/logs/administrator` with `mintime` in seconds; Duo answers at most
 *   1000 events with `timestamp >= mintime`, oldest first. The next page asks again from the newest timestamp
 *   seen (that second is read twice: events are keyed downstream by a hash of their content, administrator
 *   logs having no id); the run is caught up when a page brings nothing newer than its mintime, and the next
 *   run starts `overlapSeconds` earlier. 1000 events in one second cannot be paged by this API: the collector
 *   then moves to the next second (the only way forward Duo offers) — the one case where events can be missed.
 *
 * Errors come back as `{"code": 40103, "message": "Invalid signature in request credentials", "stat": "FAIL"}`
 * and are reported with Duo's code and message; 429 (Duo's `42901 Too Many Requests`) and 5xx are retried by
 * the runner, honouring Retry-After when Duo sends one, backing off exponentially otherwise (as Duo's own
 * clients do).
 */
import { z } from 'zod';
import type { CollectorDefinition, CollectorDeps, CollectorPage } from '../../core/collect/collector';
import { parseRetryAfter, type TransportResult } from '../../core/collect/transport';
import { duoCanonicalParams, signDuoRequest } from './collect-signing';

/** Duo: "There is an intentional two minute delay in availability of new authentications in the API response." */
export const duoAvailabilityDelayMs = 2 * 60_000;
/** v1 log endpoints answer at most this many events per call. */
export const duoV1PageSize = 1000;

/** `api-xxxxxxxx.duosecurity.com`, or a full origin (`https://…`, or `http://127.0.0.1:port` behind the allow-list). */
const apiHostSchema = z
  .string()
  .min(1)
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a host name (expected api-xxxxxxxx.duosecurity.com)` });
      return z.NEVER;
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
      ctx.addIssue({ code: 'custom', message: `apiHost must be a bare host name such as api-xxxxxxxx.duosecurity.com (got "${value}")` });
      return z.NEVER;
    }
    return url.origin;
  });

const configSchema = z.object({
  apiHost: apiHostSchema,
  /** The Admin API application's integration key (an identifier: `DI…`). */
  integrationKey: z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'an integration key is letters and digits (DI…)'),
  /** Name of the Worker secret holding the application's secret key. */
  secretKeyName: z.string().min(1).default('DUO_SECRET_KEY'),
  lookbackMinutes: z.number().int().min(1).max(60 * 24 * 180).default(60),
  limit: z.number().int().min(1).max(1000).default(1000),
  overlapSeconds: z.number().int().min(0).max(3600).default(120),
});
export type DuoCollectorConfig = z.infer<typeof configSchema>;

const windowCursorSchema = z.object({
  /** Start of the window (ms, inclusive). */
  mintime: z.number().int().nonnegative(),
  /** End of the window being paged (ms), fixed when its first page is asked; null = open the next window. */
  maxtime: z.number().int().nonnegative().nullable(),
  /** Duo's next_offset within the window, comma-joined as it is sent back. */
  nextOffset: z.string().nullable(),
});
type WindowCursor = z.infer<typeof windowCursorSchema>;

const secondsCursorSchema = z.object({ mintime: z.number().int().nonnegative() });
type SecondsCursor = z.infer<typeof secondsCursorSchema>;

const failBodySchema = z.looseObject({ code: z.number().optional(), message: z.string().optional(), message_detail: z.string().optional() });
const okBodySchema = z.looseObject({ stat: z.literal('OK'), response: z.unknown() });
const v2ResponseSchema = z.looseObject({
  metadata: z.looseObject({ next_offset: z.union([z.string(), z.array(z.union([z.string(), z.number()])), z.null()]).optional() }).optional(),
});

/** Calls a Duo Admin API endpoint, signed; Duo's failures become messages with its code. */
async function callDuo(config: DuoCollectorConfig, deps: CollectorDeps, path: string, params: [string, string][]): Promise<TransportResult<unknown>> {
  const secretKey = deps.secret(config.secretKeyName);
  if (!secretKey) return { kind: 'failure', message: `the secret ${config.secretKeyName} is not set (wrangler secret put ${config.secretKeyName})` };
  const origin = new URL(config.apiHost);
  const headers = await signDuoRequest({ integrationKey: config.integrationKey, secretKey, method: 'GET', host: origin.host, path, params, date: new Date() });
  const query = duoCanonicalParams(params);
  const url = `${origin.origin}${path}${query ? `?${query}` : ''}`;
  const what = `Duo ${path}`;
  let response: Response;
  try {
    response = await deps.fetch(url, { headers: { ...headers, accept: 'application/json' } });
  } catch (err) {
    return { kind: 'retryable', message: `${what} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (!response.ok) {
    const fail = failBodySchema.safeParse(body);
    const detail =
      fail.success && fail.data.message
        ? `${fail.data.code ?? ''} ${fail.data.message}${fail.data.message_detail ? ` (${fail.data.message_detail})` : ''}`.trim()
        : text.slice(0, 300);
    const message = `${what} answered ${response.status}${detail ? `: ${detail}` : ''}`;
    if (response.status === 429 || response.status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      return retryAfterMs === undefined ? { kind: 'retryable', message } : { kind: 'retryable', message, retryAfterMs };
    }
    return { kind: 'failure', message };
  }
  const ok = okBodySchema.safeParse(body);
  if (!ok.success) return { kind: 'failure', message: `${what} did not answer {"stat": "OK", "response": …}` };
  return { kind: 'success', value: ok.data.response };
}

function windowStart(config: DuoCollectorConfig, now: Date): WindowCursor {
  return { mintime: now.getTime() - config.lookbackMinutes * 60_000, maxtime: null, nextOffset: null };
}

/** A v2 log endpoint paged with mintime/maxtime windows and next_offset. */
function v2LogCollector(type: string, description: string, path: string, listKey: 'authlogs' | 'items'): CollectorDefinition<DuoCollectorConfig, WindowCursor> {
  return {
    type,
    source: 'duo',
    description,
    configSchema,
    cursorSchema: windowCursorSchema,
    start: windowStart,
    async fetchPage(config, cursor, deps): Promise<TransportResult<CollectorPage<WindowCursor>>> {
      const maxtime = cursor.maxtime ?? deps.now.getTime() - duoAvailabilityDelayMs;
      // Duo requires maxtime > mintime: a run sooner than that after the last window has nothing to ask.
      if (maxtime <= cursor.mintime) return { kind: 'success', value: { records: [], cursor: { ...cursor, maxtime: null, nextOffset: null }, done: true } };
      const params: [string, string][] = [
        ['mintime', String(cursor.mintime)],
        ['maxtime', String(maxtime)],
        ['limit', String(config.limit)],
        ['sort', 'ts:asc'],
      ];
      if (cursor.nextOffset) params.push(['next_offset', cursor.nextOffset]);
      const result = await callDuo(config, deps, path, params);
      if (result.kind !== 'success') return result;
      const response = v2ResponseSchema.safeParse(result.value);
      const records = (result.value as Record<string, unknown> | null)?.[listKey];
      if (!response.success || !Array.isArray(records)) return { kind: 'failure', message: `Duo ${path} did not answer {"${listKey}": [...], "metadata": {...}}` };
      const offset = response.data.metadata?.next_offset;
      const nextOffset = Array.isArray(offset) ? (offset.length > 0 ? offset.join(',') : null) : (offset ?? null);
      if (nextOffset && records.length > 0) {
        return { kind: 'success', value: { records, cursor: { mintime: cursor.mintime, maxtime, nextOffset }, done: false } };
      }
      // The window is read to its end: the next one opens where it closed, minus the overlap.
      const mintime = Math.max(cursor.mintime, maxtime - config.overlapSeconds * 1000);
      return { kind: 'success', value: { records, cursor: { mintime, maxtime: null, nextOffset: null }, done: true } };
    },
  };
}

export const duoAuthenticationCollector = v2LogCollector(
  'duo_authentication',
  'Duo authentication logs (/admin/v2/logs/authentication)',
  '/admin/v2/logs/authentication',
  'authlogs',
);
export const duoTelephonyCollector = v2LogCollector('duo_telephony', 'Duo telephony logs (/admin/v2/logs/telephony)', '/admin/v2/logs/telephony', 'items');
export const duoActivityCollector = v2LogCollector('duo_activity', 'Duo activity logs (/admin/v2/logs/activity)', '/admin/v2/logs/activity', 'items');

function timestampSeconds(record: unknown): number | null {
  const t = (record as { timestamp?: unknown } | null)?.timestamp;
  const n = typeof t === 'number' ? t : typeof t === 'string' && /^\d+$/.test(t) ? Number(t) : NaN;
  return Number.isFinite(n) ? Math.floor(n) : null;
}

export const duoAdministratorCollector: CollectorDefinition<DuoCollectorConfig, SecondsCursor> = {
  type: 'duo_administrator',
  source: 'duo',
  description: 'Duo administrator logs (/admin/v1/logs/administrator)',
  configSchema,
  cursorSchema: secondsCursorSchema,
  start(config, now) {
    return { mintime: Math.floor(now.getTime() / 1000) - config.lookbackMinutes * 60 };
  },
  async fetchPage(config, cursor, deps): Promise<TransportResult<CollectorPage<SecondsCursor>>> {
    const path = '/admin/v1/logs/administrator';
    const result = await callDuo(config, deps, path, [['mintime', String(cursor.mintime)]]);
    if (result.kind !== 'success') return result;
    if (!Array.isArray(result.value)) return { kind: 'failure', message: `Duo ${path} did not answer a list of events` };
    const records = result.value;
    const newest = records.reduce<number | null>((max, r) => {
      const t = timestampSeconds(r);
      return t !== null && (max === null || t > max) ? t : max;
    }, null);
    if (newest === null || newest <= cursor.mintime) {
      if (records.length >= duoV1PageSize) {
        // A full page within one second: the API cannot page inside it, so move on to the next second.
        return { kind: 'success', value: { records, cursor: { mintime: cursor.mintime + 1 }, done: false } };
      }
      // Caught up: the next run re-reads the overlap, for events Duo logs late.
      const mintime = newest === null ? cursor.mintime : Math.max(0, newest - config.overlapSeconds);
      return { kind: 'success', value: { records, cursor: { mintime }, done: true } };
    }
    return { kind: 'success', value: { records, cursor: { mintime: newest }, done: false } };
  },
};
