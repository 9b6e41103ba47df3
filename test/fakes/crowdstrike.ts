/**
 * Loopback fake of the CrowdStrike Falcon API (FalconPy's reference of the Alerts and OAuth2 collections,
 * https://www.falconpy.io/Service-Collections/Alerts.html, https://www.falconpy.io/Service-Collections/OAuth2.html):
 * - `POST /oauth2/token` (form `client_id`, `client_secret`) → 201 `{access_token, token_type, expires_in: 1799}`;
 *   wrong credentials → 403 `Failed to issue access token - Not Authorized`;
 * - `GET /alerts/queries/alerts/v2?filter&sort&limit&offset` → composite ids with `meta.pagination`; only the FQL
 *   `updated_timestamp:>='…'` (or `>`) and the sort `updated_timestamp|asc` (or `.asc` / desc) are understood;
 *   `offset + limit` beyond 10,000 is refused;
 * - `POST /alerts/entities/alerts/v2` `{"composite_ids": [...]}` (at most 1,000) → the alerts.
 * The API wants `Authorization: Bearer <issued token>` (401 `access denied, invalid bearer token`), and every
 * answer carries `X-RateLimit-Limit` / `-Remaining`; when limited, 429 with `X-RateLimit-RetryAfter` (epoch
 * seconds). It serves the real Falcon alert samples of the corpus (Cribl's alerts v1/v2), each given a unique
 * composite id and recent times with nanoseconds.
 * Admin: POST /__fake/reset {count?}, /__fake/add {count}, /__fake/update {count} (the oldest alerts are updated
 * now), /__fake/rate-limit {times, retryInSeconds}, /__fake/revoke (every token issued so far stops working), /__fake/fail, GET /__fake/requests.
 */
import { randomBytes } from 'node:crypto';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';
import { bearer, corpusRecords, nanoIso, type CorpusRecord } from './saas-corpus';

export const crowdstrikeFakeClient = { id: 'fakefalconclientid00000000000000', secret: 'FakeFalconClientSecret0000000000000000000' };

function meta(extra: Record<string, unknown> = {}) {
  return { query_time: 0.01, powered_by: 'fake-falcon', trace_id: randomBytes(16).toString('hex'), ...extra };
}

export async function startCrowdStrikeFake(corpusDir: string): Promise<RunningFake> {
  const pool = corpusRecords(corpusDir, 'crowdstrike', (f) => f.includes('alerts'));
  const issued = new Set<string>();
  let alerts: { updated: number; alert: CorpusRecord }[] = [];
  let serial = 0;
  let rateLimit = { times: 0, retryInSeconds: 0 };
  const make = (at: number) => {
    const sample = pool[serial % pool.length]!;
    const n = serial++;
    const [cid, , aggregate] = String(sample.composite_id).split(':');
    const id = `ind:${aggregate}:${String(n).padStart(7, '0')}`;
    const time = nanoIso(at - 60_000, n % 1000);
    return {
      updated: at,
      alert: { ...sample, id, composite_id: `${cid}:${id}`, timestamp: time, created_timestamp: time, context_timestamp: time, updated_timestamp: nanoIso(at, n % 1000) },
    };
  };
  const sort = () => alerts.sort((a, b) => a.updated - b.updated);
  const reset = (count: number) => {
    const base = Date.now() - 2 * 3600_000;
    alerts = Array.from({ length: count }, (_, i) => make(base + i * 10_000));
    rateLimit = { times: 0, retryInSeconds: 0 };
  };
  reset(25);

  return startFakeServer(
    (req, res, url) => {
      const limitHeaders = { 'x-ratelimit-limit': '6000', 'x-ratelimit-remaining': '5999' };
      if (url.pathname === '/oauth2/token' && req.method === 'POST') {
        const form = new URLSearchParams(req.body);
        if (form.get('client_id') !== crowdstrikeFakeClient.id || form.get('client_secret') !== crowdstrikeFakeClient.secret) {
          return sendJson(res, 403, { meta: meta(), errors: [{ code: 403, message: 'Failed to issue access token - Not Authorized' }] }, limitHeaders);
        }
        const token = randomBytes(48).toString('base64url');
        issued.add(token);
        return sendJson(res, 201, { access_token: token, token_type: 'bearer', expires_in: 1799 }, limitHeaders);
      }
      const token = bearer(req.headers.authorization);
      if (!token || !issued.has(token)) return sendJson(res, 401, { meta: meta(), errors: [{ code: 401, message: 'access denied, invalid bearer token' }] }, limitHeaders);
      if (rateLimit.times > 0) {
        rateLimit.times--;
        return sendJson(res, 429, { meta: meta(), errors: [{ code: 429, message: 'API rate limit exceeded.' }] }, {
          'x-ratelimit-limit': '6000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-retryafter': String(Math.floor(Date.now() / 1000) + rateLimit.retryInSeconds),
        });
      }

      if (url.pathname === '/alerts/queries/alerts/v2' && req.method === 'GET') {
        const filter = url.searchParams.get('filter') ?? '';
        const m = /^updated_timestamp:(>=?)'([^']+)'$/.exec(filter);
        if (filter !== '' && !m) return sendJson(res, 400, { meta: meta(), errors: [{ code: 400, message: `invalid filter: ${filter}` }], resources: null });
        const bound = m ? Date.parse(m[2]!) : Number.NEGATIVE_INFINITY;
        const sortBy = url.searchParams.get('sort') ?? 'updated_timestamp|desc';
        if (!/^updated_timestamp[|.](asc|desc)$/.test(sortBy)) return sendJson(res, 400, { meta: meta(), errors: [{ code: 400, message: `invalid sort: ${sortBy}` }], resources: null });
        const limit = Number(url.searchParams.get('limit') ?? 100);
        const offset = Number(url.searchParams.get('offset') ?? 0);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000 || !Number.isInteger(offset) || offset < 0 || offset + limit > 10_000) {
          return sendJson(res, 400, { meta: meta(), errors: [{ code: 400, message: 'Invalid pagination: offset + limit must be at most 10000' }], resources: null });
        }
        sort();
        const matching = alerts.filter((a) => (m?.[1] === '>' ? a.updated > bound : a.updated >= bound));
        if (sortBy.endsWith('desc')) matching.reverse();
        const ids = matching.slice(offset, offset + limit).map((a) => String(a.alert.composite_id));
        return sendJson(res, 200, { meta: meta({ pagination: { offset, limit, total: matching.length } }), resources: ids, errors: [] }, limitHeaders);
      }

      if (url.pathname === '/alerts/entities/alerts/v2' && req.method === 'POST') {
        let ids: unknown;
        try {
          ids = (JSON.parse(req.body) as { composite_ids?: unknown }).composite_ids;
        } catch {
          ids = null;
        }
        if (!Array.isArray(ids) || ids.length === 0 || ids.length > 1000) {
          return sendJson(res, 400, { meta: meta(), errors: [{ code: 400, message: 'composite_ids: between 1 and 1000 ids are required' }], resources: null });
        }
        const byId = new Map(alerts.map((a) => [String(a.alert.composite_id), a.alert]));
        const found = ids.map((id) => byId.get(String(id))).filter((a) => a !== undefined);
        return sendJson(res, 200, { meta: meta(), resources: found, errors: [] }, limitHeaders);
      }
      return sendJson(res, 404, { meta: meta(), errors: [{ code: 404, message: 'Not Found' }] }, limitHeaders);
    },
    (action, body) => {
      const b = (body ?? {}) as { count?: number; times?: number; retryInSeconds?: number };
      if (action === 'reset') reset(b.count ?? 25);
      else if (action === 'add') {
        const n = b.count ?? 1;
        alerts.push(...Array.from({ length: n }, (_, i) => make(Date.now() - (n - i) * 1000)));
      } else if (action === 'update') {
        sort();
        const now = Date.now();
        alerts.slice(0, b.count ?? 1).forEach((a, i) => {
          a.updated = now - 1000 + i;
          a.alert = { ...a.alert, status: 'closed', updated_timestamp: nanoIso(a.updated) };
        });
      } else if (action === 'revoke') {
        issued.clear();
      } else if (action === 'rate-limit') rateLimit = { times: b.times ?? 1, retryInSeconds: b.retryInSeconds ?? 30 };
      return { alerts: alerts.length };
    },
  );
}
