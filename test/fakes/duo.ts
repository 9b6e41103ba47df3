/**
 * Loopback fake of Duo's Admin API log endpoints (https://duo.com/docs/adminapi#logs):
 * - authentication: every request must carry `Authorization: Basic <ikey>:<hex HMAC-SHA512>` of the v5
 *   canonical request (date, method, host, path, sorted encoded parameters, SHA-512 of the body and of the
 *   X-Duo-* headers), recomputed here independently of the collector's signer (node:crypto). An unknown key
 *   answers 401 `40102 Invalid integration key in request credentials`, a wrong signature 401 `40103 Invalid
 *   signature in request credentials`, a date more than 5 minutes off 401 `40105 Bad request timestamp`;
 * - `GET /admin/v2/logs/authentication`, `/admin/v2/logs/telephony`, `/admin/v2/logs/activity`: mintime and
 *   maxtime in ms (400 `40002 Invalid request parameters` unless maxtime > mintime), `limit` (default 100,
 *   max 1000), `sort` (`ts:desc` default, `ts:asc`), `next_offset` (`<ms>,<id>`) returned in `metadata` — an
 *   array for authentication logs, a string for telephony and activity, null at the end — and nothing newer
 *   than two minutes before the fake's clock (Duo's availability delay);
 * - `GET /admin/v1/logs/administrator`: `mintime` in seconds, events with `timestamp >= mintime`, oldest
 *   first, at most 1000 per call (`pageSize` can lower it so that tests page without thousands of events);
 * - rate limiting: 429 `{"code": 42901, "message": "Too Many Requests", "stat": "FAIL"}`.
 * Records are the Duo samples of the shared corpus (p_* keys dropped), re-timed to recent times and given
 * unique txid / telephony_id / activity_id, as the real API never repeats them.
 *
 * Admin: POST /__fake/reset {count?, pageSize?, pairAt?} (each log gets `count` events over the last two hours;
 * event `pairAt` at the same time as the one before it),
 * /__fake/add {log, count, agoSeconds?} (new events at the fake's clock minus agoSeconds), /__fake/clock
 * {offsetSeconds} (moves the fake's clock), /__fake/rate-limit {times}, /__fake/next-offset {value} (the next
 * v2 page answers this next_offset), /__fake/fail, GET /__fake/requests.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { sendJson, startFakeServer, type FakeRequest, type RunningFake } from './fake-server';

export const duoFakeIntegrationKey = 'DIWJ8X6AEYOR5OMC6TQ1';
export const duoFakeSecretKey = 'Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zLJ4Ep';

type LogName = 'authentication' | 'telephony' | 'activity' | 'administrator';

interface FakeEvent {
  /** Position in time (ms) and the id Duo pages by. */
  readonly ts: number;
  readonly id: string;
  readonly record: Record<string, unknown>;
}

function samples(corpusDir: string, files: string[], keep: (r: Record<string, unknown>) => boolean): Record<string, unknown>[] {
  const dir = join(corpusDir, 'logs', 'duo');
  return files
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
    .filter((l) => l.trim() !== '')
    .map((l) => Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_'))) as Record<string, unknown>)
    .filter(keep);
}

/** `2025-09-29T09:15:42.123456+00:00`, as Duo writes isotimestamp / ts. */
function duoIso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000+00:00`;
}

/** Duo's parameter encoding (Python's urllib.parse.quote(v, '~')). */
function quote(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha512 = (text: string) => createHash('sha512').update(text, 'utf8').digest('hex');

/** Recomputes the v5 canonical request of what arrived, as Duo does. */
function canonicalOf(req: FakeRequest, url: URL): { canonical: string; date: string } {
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(',') : (v ?? '');
  };
  const date = header('x-duo-date') || header('date');
  const params = [...url.searchParams.entries()]
    .map(([k, v]) => [quote(k), quote(v)] as const)
    .sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const duoHeaders = Object.keys(req.headers)
    .filter((h) => h.toLowerCase().startsWith('x-duo-'))
    .map((h) => h.toLowerCase())
    .sort()
    .flatMap((h) => [h, header(h)])
    .join('\0');
  const canonical = [date, req.method.toUpperCase(), header('host').toLowerCase(), url.pathname, params, sha512(req.body), sha512(duoHeaders)].join('\n');
  return { canonical, date };
}

function fail(res: ServerResponse, status: number, code: number, message: string, detail?: string): void {
  sendJson(res, status, { code, message, ...(detail ? { message_detail: detail } : {}), stat: 'FAIL' });
}

export async function startDuoFake(corpusDir: string): Promise<RunningFake> {
  const pools: Record<LogName, Record<string, unknown>[]> = {
    // v2-shaped authentication samples (access_device/user objects); the v1-shaped ones belong to another endpoint.
    authentication: samples(corpusDir, ['cribl.cribl-duo-rest-io.duo_authentication_docs_sample.ndjson', 'panther-analysis.Duo.Authentication.ndjson'], (r) => 'user' in r || 'txid' in r),
    telephony: samples(corpusDir, ['cribl.cribl-duo-rest-io.duo_telephony_docs_sample.ndjson'], (r) => 'context' in r),
    activity: samples(corpusDir, ['cribl.cribl-duo-rest-io.duo_activity_docs_sample.ndjson'], (r) => 'activity_id' in r),
    administrator: samples(
      corpusDir,
      ['cribl.cribl-duo-rest-io.duo_admin_docs_sample.ndjson', 'panther-analysis.Duo.Administrator.ndjson', 'streamalert.duo.administrator.ndjson'],
      (r) => typeof r.action === 'string',
    ),
  };
  const logs: Record<LogName, FakeEvent[]> = { authentication: [], telephony: [], activity: [], administrator: [] };
  let clockOffsetMs = 0;
  let pageSize = 1000;
  let rateLimited = 0;
  let forcedNextOffset: string | null = null;
  let made = 0;
  const now = () => Date.now() + clockOffsetMs;

  const make = (log: LogName, ts: number): FakeEvent => {
    const pool = pools[log];
    const sample = pool[made++ % pool.length]!;
    const id = randomUUID();
    const seconds = Math.floor(ts / 1000);
    switch (log) {
      case 'authentication':
        return { ts, id, record: { ...sample, txid: id, timestamp: seconds, isotimestamp: duoIso(ts) } };
      case 'telephony':
        return { ts, id, record: { ...sample, telephony_id: id, txid: randomUUID(), ts: duoIso(ts) } };
      case 'activity':
        return { ts, id, record: { ...sample, activity_id: id, ts: duoIso(ts) } };
      case 'administrator':
        // v1 timestamps are whole seconds; the ids only order the fake's list (Duo gives none).
        return { ts: seconds * 1000, id, record: { ...sample, timestamp: seconds, isotimestamp: new Date(seconds * 1000).toISOString().replace('.000Z', '+00:00') } };
    }
  };
  const order = (a: FakeEvent, b: FakeEvent) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  /** `count` events per log over the last two hours; with `pairAt`, that event shares its predecessor's time. */
  const reset = (count: number, pairAt?: number) => {
    made = 0;
    const base = now() - 2 * 3600_000;
    const at = (i: number) => base + (pairAt !== undefined && i >= pairAt ? i - 1 : i) * 61_000 + 137;
    for (const log of Object.keys(logs) as LogName[]) {
      logs[log] = Array.from({ length: count }, (_, i) => make(log, at(i))).sort(order);
    }
  };
  reset(25);

  function authenticate(req: FakeRequest, url: URL, res: ServerResponse): boolean {
    const auth = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (!auth) {
      fail(res, 401, 40101, 'Missing request credentials');
      return false;
    }
    const [ikey, signature] = Buffer.from(auth, 'base64').toString('utf8').split(':');
    if (ikey !== duoFakeIntegrationKey) {
      fail(res, 401, 40102, 'Invalid integration key in request credentials');
      return false;
    }
    const { canonical, date } = canonicalOf(req, url);
    const expected = createHmac('sha512', duoFakeSecretKey).update(canonical, 'utf8').digest('hex');
    if (!signature || signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
      fail(res, 401, 40103, 'Invalid signature in request credentials');
      return false;
    }
    // The request date is checked against the real clock: the fake's clock only moves its data.
    const at = Date.parse(date);
    if (Number.isNaN(at) || Math.abs(at - Date.now()) > 300_000) {
      fail(res, 401, 40105, 'Bad request timestamp');
      return false;
    }
    return true;
  }

  function v2(log: 'authentication' | 'telephony' | 'activity', url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const mintime = Number(q.get('mintime'));
    const maxtime = Number(q.get('maxtime'));
    if (!q.has('mintime') || !Number.isInteger(mintime)) return fail(res, 400, 40002, 'Invalid request parameters', 'mintime');
    if (!q.has('maxtime') || !Number.isInteger(maxtime) || maxtime <= mintime) return fail(res, 400, 40002, 'Invalid request parameters', 'maxtime');
    const limit = Number(q.get('limit') ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return fail(res, 400, 40002, 'Invalid request parameters', 'limit');
    const sort = q.get('sort') ?? 'ts:desc';
    if (sort !== 'ts:asc' && sort !== 'ts:desc') return fail(res, 400, 40002, 'Invalid request parameters', 'sort');
    const visibleUntil = Math.min(maxtime, now() - 120_000);
    let matching = logs[log].filter((e) => e.ts >= mintime && e.ts <= visibleUntil);
    if (sort === 'ts:desc') matching = [...matching].reverse();
    const offset = q.get('next_offset');
    if (offset !== null) {
      const [ms, id] = offset.split(',');
      const at = matching.findIndex((e) => String(e.ts) === ms && e.id === id);
      if (at === -1) return fail(res, 400, 40002, 'Invalid request parameters', 'next_offset');
      matching = matching.slice(at + 1);
    }
    const page = matching.slice(0, limit);
    const last = page[page.length - 1];
    let nextOffset: string[] | string | null = matching.length > limit && last ? [String(last.ts), last.id] : null;
    if (forcedNextOffset !== null) {
      nextOffset = forcedNextOffset.split(',');
      forcedNextOffset = null;
    }
    const total = logs[log].filter((e) => e.ts >= mintime && e.ts <= visibleUntil).length;
    const metadata =
      log === 'authentication'
        ? { next_offset: nextOffset, total_objects: total }
        : { next_offset: Array.isArray(nextOffset) ? nextOffset.join(',') : nextOffset, total_objects: { relation: 'eq', value: total } };
    sendJson(res, 200, { stat: 'OK', response: { [log === 'authentication' ? 'authlogs' : 'items']: page.map((e) => e.record), metadata } });
  }

  function administrator(url: URL, res: ServerResponse): void {
    const raw = url.searchParams.get('mintime') ?? '0';
    if (!/^\d+$/.test(raw)) return fail(res, 400, 40002, 'Invalid request parameters', 'mintime');
    const mintime = Number(raw) * 1000;
    const page = logs.administrator.filter((e) => e.ts >= mintime && e.ts <= now()).slice(0, pageSize);
    sendJson(res, 200, { stat: 'OK', response: page.map((e) => e.record) });
  }

  return startFakeServer(
    (req, res, url) => {
      const route: Record<string, LogName> = {
        '/admin/v2/logs/authentication': 'authentication',
        '/admin/v2/logs/telephony': 'telephony',
        '/admin/v2/logs/activity': 'activity',
        '/admin/v1/logs/administrator': 'administrator',
      };
      const log = route[url.pathname];
      if (!log || req.method !== 'GET') return fail(res, 404, 40401, 'Resource not found');
      if (!authenticate(req, url, res)) return;
      if (rateLimited > 0) {
        rateLimited--;
        return fail(res, 429, 42901, 'Too Many Requests');
      }
      if (log === 'administrator') administrator(url, res);
      else v2(log, url, res);
    },
    (action, body) => {
      const b = (body ?? {}) as { count?: number; pageSize?: number; pairAt?: number; log?: LogName; agoSeconds?: number; offsetSeconds?: number; times?: number; value?: string };
      if (action === 'reset') {
        clockOffsetMs = 0;
        rateLimited = 0;
        forcedNextOffset = null;
        pageSize = b.pageSize ?? 1000;
        reset(b.count ?? 25, b.pairAt);
      } else if (action === 'add') {
        const log = b.log ?? 'authentication';
        const at = now() - (b.agoSeconds ?? 0) * 1000;
        logs[log] = [...logs[log], ...Array.from({ length: b.count ?? 1 }, (_, i) => make(log, at - i * 1000))].sort(order);
      } else if (action === 'clock') clockOffsetMs = (b.offsetSeconds ?? 0) * 1000;
      else if (action === 'rate-limit') rateLimited = b.times ?? 1;
      else if (action === 'next-offset') forcedNextOffset = b.value ?? null;
      return Object.fromEntries(Object.entries(logs).map(([k, v]) => [k, v.length]));
    },
  );
}
