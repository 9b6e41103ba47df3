/**
 * Loopback fake of the Jamf Pro API's action logs (Jamf Pro 11.34, https://developer.jamf.com/jamf-pro/changelog/1134-additions)
 * and its OAuth client credentials (https://developer.jamf.com/jamf-pro/docs/client-credentials):
 * - `POST /api/oauth/token` (form `grant_type=client_credentials`, `client_id`, `client_secret`) → `{access_token,
 *   scope, token_type: "Bearer", expires_in}`; wrong credentials → 401 `{"error": "invalid_client"}`;
 * - `GET /api/v1/action-logs?page&page-size&sort&filter` with `Authorization: Bearer` (401 `{"httpStatus": 401,
 *   "errors": []}` otherwise) → `{totalCount, results}`; `page` counts from 0, `page-size` defaults to 100, `sort`
 *   defaults to `createdTime:desc`, and the RSQL filter understands `createdTime` compared with `>=`, `>`,
 *   `=ge=`, `=gt=` (an unsupported field or a malformed query is a 400, as documented).
 * The shared corpus has no Jamf sample: it serves the parser's fixture (the documented ActionLogDetailV1
 * example of adapters/jamf/fixtures/api-history.ndjson), each copy given a unique `id` and a recent
 * `createdTime`.
 * Admin: POST /__fake/reset {count?}, /__fake/add {count}, /__fake/revoke (every token issued so far stops working), /__fake/fail, GET /__fake/requests.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';
import { bearer, type CorpusRecord } from './saas-corpus';

export const jamfFakeClient = { id: '6e9b5f2c-0000-4000-8000-fakejamfclient', secret: 'FakeJamfClientSecret-0000000000000000000000000' };

function actionLogSamples(): CorpusRecord[] {
  const fixture = new URL('../../adapters/jamf/fixtures/api-history.ndjson', import.meta.url);
  return readFileSync(fixture, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CorpusRecord)
    .filter((r) => 'actionType' in r);
}

function jamfTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function startJamfFake(_corpusDir: string): Promise<RunningFake> {
  const pool = actionLogSamples();
  const issued = new Set<string>();
  let served: { at: number; log: CorpusRecord }[] = [];
  let nextId = 8470;
  const make = (at: number) => ({ at, log: { ...pool[nextId % pool.length]!, id: String(nextId++), createdTime: jamfTime(at) } });
  const reset = (count: number) => {
    const base = Math.floor((Date.now() - 2 * 3600_000) / 1000) * 1000;
    served = Array.from({ length: count }, (_, i) => make(base + i * 10_000));
  };
  reset(25);

  return startFakeServer(
    (req, res, url) => {
      if (url.pathname === '/api/oauth/token' && req.method === 'POST') {
        const form = new URLSearchParams(req.body);
        if (form.get('grant_type') !== 'client_credentials') return sendJson(res, 400, { error: 'unsupported_grant_type' });
        if (form.get('client_id') !== jamfFakeClient.id || form.get('client_secret') !== jamfFakeClient.secret) return sendJson(res, 401, { error: 'invalid_client' });
        const token = randomBytes(32).toString('base64url');
        issued.add(token);
        return sendJson(res, 200, { access_token: token, scope: 'api-role:1', token_type: 'Bearer', expires_in: 59 });
      }
      if (url.pathname !== '/api/v1/action-logs' || req.method !== 'GET') return sendJson(res, 404, { httpStatus: 404, errors: [] });
      const token = bearer(req.headers.authorization);
      if (!token || !issued.has(token)) return sendJson(res, 401, { httpStatus: 401, errors: [] });
      const invalid = (code: string, description: string) => sendJson(res, 400, { httpStatus: 400, errors: [{ code, field: null, description, id: '0' }] });

      const page = Number(url.searchParams.get('page') ?? 0);
      const size = Number(url.searchParams.get('page-size') ?? 100);
      if (!Number.isInteger(page) || page < 0 || !Number.isInteger(size) || size < 1 || size > 2000) return invalid('INVALID_PAGE_SIZE', 'page or page-size out of range');
      const sort = url.searchParams.get('sort') ?? 'createdTime:desc';
      if (!/^createdTime:(asc|desc)$/.test(sort)) return invalid('INVALID_SORT_FIELD', `unsupported sort: ${sort}`);
      const filter = url.searchParams.get('filter') ?? '';
      let keep = (_at: number) => true;
      if (filter !== '') {
        const m = /^createdTime(>=|>|=ge=|=gt=)"?([^"]+)"?$/.exec(filter);
        const bound = m ? Date.parse(m[2]!) : Number.NaN;
        if (!m || Number.isNaN(bound)) return invalid('INVALID_RSQL_FILTER', `unsupported or malformed filter: ${filter}`);
        const strict = m[1] === '>' || m[1] === '=gt=';
        keep = (at) => (strict ? at > bound : at >= bound);
      }
      const matching = served.filter((s) => keep(s.at)).sort((a, b) => a.at - b.at);
      if (sort.endsWith('desc')) matching.reverse();
      sendJson(res, 200, { totalCount: matching.length, results: matching.slice(page * size, page * size + size).map((s) => s.log) });
    },
    (action, body) => {
      const count = (body as { count?: number } | null)?.count;
      if (action === 'reset') reset(count ?? 25);
      else if (action === 'add') {
        const n = count ?? 1;
        const now = Math.floor(Date.now() / 1000) * 1000;
        served.push(...Array.from({ length: n }, (_, i) => make(now - (n - i) * 1000)));
      }
      else if (action === 'revoke') issued.clear();
      return { served: served.length };
    },
  );
}
