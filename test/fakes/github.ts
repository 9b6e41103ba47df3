/**
 * Loopback fake of GitHub's audit log API (https://docs.github.com/en/rest/orgs/orgs#get-the-audit-log-for-an-organization,
 * /enterprises/{enterprise}/audit-log): `GET` with `Authorization: Bearer|token <token>` (401 `Bad credentials`
 * otherwise), a `User-Agent` (403 without one, as GitHub), an optional supported `X-GitHub-Api-Version`,
 * `phrase=created:>=<time>`, `per_page` (default 30, max 100), `order` (default desc) and the opaque `after`
 * cursor given in `Link: <…>; rel="next"` (absent on the last page). Every answer carries `x-ratelimit-*`
 * headers; an exhausted primary limit answers 403 with `x-ratelimit-remaining: 0` and the reset time.
 * It serves the real GitHub audit samples of the corpus, each given a unique `_document_id` and a recent
 * `@timestamp` / `created_at` (milliseconds), as the REST API writes them.
 * Admin: POST /__fake/reset {count?}, /__fake/add {count}, /__fake/rate-limit {times, resetInSeconds},
 * /__fake/fail, GET /__fake/requests.
 */
import { sendJson, startFakeServer, type RunningFake } from './fake-server';
import { corpusRecords, decodeCursor, encodeCursor, type CorpusRecord } from './saas-corpus';

export const githubFakeToken = 'ghp_fakeAuditLogToken000000000000000000';
const supportedVersions = new Set(['2022-11-28', '2026-03-10']);

export async function startGitHubFake(corpusDir: string): Promise<RunningFake> {
  const pool = corpusRecords(corpusDir, 'github-audit', (f) => f.startsWith('panther-analysis')).filter((e) => typeof e.action === 'string');
  let served: CorpusRecord[] = [];
  let base = Date.now();
  let rateLimit = { times: 0, resetInSeconds: 0 };
  const make = (i: number): CorpusRecord => {
    const { at_sign_timestamp: _panthers, ...event } = pool[i % pool.length]!;
    const at = base + i * 10_000;
    return { ...event, '@timestamp': at, created_at: at, _document_id: `fakeDoc${String(i).padStart(6, '0')}-${Buffer.from(String(at)).toString('base64url')}` };
  };
  const reset = (count: number) => {
    base = Date.now() - 2 * 3600_000;
    served = Array.from({ length: count }, (_, i) => make(i));
    rateLimit = { times: 0, resetInSeconds: 0 };
  };
  reset(25);

  return startFakeServer(
    (req, res, url) => {
      const path = /^\/(orgs|enterprises)\/([^/]+)\/audit-log$/.exec(url.pathname);
      if (!path || req.method !== 'GET') return sendJson(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
      if (!req.headers['user-agent']) {
        res.writeHead(403, { 'content-type': 'text/plain' });
        res.end('Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).');
        return;
      }
      const auth = /^(?:Bearer|token)\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
      if (auth?.[1] !== githubFakeToken) return sendJson(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
      const version = req.headers['x-github-api-version'];
      if (typeof version === 'string' && !supportedVersions.has(version)) {
        return sendJson(res, 400, { message: `API version ${version} is not supported.`, documentation_url: 'https://docs.github.com/rest/about-the-rest-api/api-versions', status: '400' });
      }
      const resetAt = Math.floor(Date.now() / 1000) + 3600;
      if (rateLimit.times > 0) {
        rateLimit.times--;
        return sendJson(
          res,
          403,
          { message: 'API rate limit exceeded for user ID 1.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api', status: '403' },
          { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + rateLimit.resetInSeconds), 'x-ratelimit-resource': 'core' },
        );
      }
      const since = /created:>=(\S+)/.exec(url.searchParams.get('phrase') ?? '')?.[1];
      const sinceMs = since ? Date.parse(since) : Number.NEGATIVE_INFINITY;
      if (Number.isNaN(sinceMs)) return sendJson(res, 422, { message: 'Validation Failed', errors: [{ message: `invalid phrase ${since}` }], status: '422' });
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30)));
      const asc = url.searchParams.get('order') === 'asc';
      const matching = served.map((e, i) => ({ e, i })).filter(({ e }) => Number(e['@timestamp']) >= sinceMs);
      if (!asc) matching.reverse();
      const after = url.searchParams.get('after');
      let start = 0;
      if (after) {
        const position = decodeCursor<{ i: number }>(after);
        if (!position || typeof position.i !== 'number') return sendJson(res, 422, { message: 'Invalid cursor', status: '422' });
        start = matching.findIndex(({ i }) => (asc ? i > position.i : i < position.i));
        if (start === -1) start = matching.length;
      }
      const page = matching.slice(start, start + perPage);
      const headers: Record<string, string> = {
        'x-github-api-version-selected': typeof version === 'string' ? version : '2022-11-28',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        'x-ratelimit-used': '1',
        'x-ratelimit-reset': String(resetAt),
        'x-ratelimit-resource': 'core',
      };
      const origin = `http://${req.headers.host}`;
      const link = (rel: string, cursor: string) => {
        const u = new URL(url.pathname, origin);
        for (const [k, v] of url.searchParams) if (k !== 'after' && k !== 'before') u.searchParams.set(k, v);
        u.searchParams.set('after', cursor);
        u.searchParams.set('before', '');
        return `<${u.toString()}>; rel="${rel}"`;
      };
      if (start + perPage < matching.length) headers.link = link('next', encodeCursor({ i: page[page.length - 1]!.i }));
      sendJson(
        res,
        200,
        page.map(({ e }) => e),
        headers,
      );
    },
    (action, body) => {
      const b = (body ?? {}) as { count?: number; times?: number; resetInSeconds?: number };
      if (action === 'reset') reset(b.count ?? 25);
      else if (action === 'add') served.push(...Array.from({ length: b.count ?? 1 }, (_, i) => make(served.length + i)));
      else if (action === 'rate-limit') rateLimit = { times: b.times ?? 1, resetInSeconds: b.resetInSeconds ?? 30 };
      return { served: served.length };
    },
  );
}
