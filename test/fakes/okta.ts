/**
 * Loopback fake of Okta's System Log API (https://developer.okta.com/docs/reference/api/system-log/#list-events):
 * `GET /api/v1/logs` with `Authorization: SSWS <token>` (401 `E0000011 Invalid token provided` otherwise),
 * `since`, `limit` (default 100, max 1000), `sortOrder=ASCENDING`, and the opaque `after` cursor in
 * `Link: <…>; rel="next"` — present on every page in polling mode, empty pages included — plus Okta's
 * X-Rate-Limit-* headers. It serves the real Okta samples of the shared corpus (p_* keys dropped), each given
 * a unique uuid and a recent `published` time, as Okta's own events always have.
 * Admin: POST /__fake/reset {count?} (serve the first `count` events), /__fake/add {count} (new events arrive),
 * /__fake/fail {status, times, retryAfterSeconds}, GET /__fake/requests.
 *
 * Also the Users API's Get User (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/getUser):
 * `GET /api/v1/users/{id or login}` (login case-insensitive) answers the user documents of
 * adapters/enrichment/okta-directory/fixtures/users.json, 404 `E0000007 Not found: Resource not found: … (User)`
 * for anyone else, with the same SSWS check and X-Rate-Limit-* headers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';

export const oktaFakeToken = '00fake-okta-api-token';

function corpusEvents(corpusDir: string): Record<string, unknown>[] {
  const dir = join(corpusDir, 'logs', 'okta');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson') && !f.endsWith('.labels.ndjson'))
    .sort()
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim() !== ''))
    .map((l) => Object.fromEntries(Object.entries(JSON.parse(l) as object).filter(([k]) => !k.startsWith('p_'))) as Record<string, unknown>)
    .filter((e) => typeof e.eventType === 'string');
}

const usersFixture = new URL('../../adapters/enrichment/okta-directory/fixtures/users.json', import.meta.url);

interface FakeOktaUser {
  readonly id: string;
  readonly profile: { readonly login: string };
}

function rateLimitHeaders(): Record<string, string> {
  return { 'x-rate-limit-limit': '120', 'x-rate-limit-remaining': '119', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 60) };
}

export async function startOktaFake(corpusDir: string): Promise<RunningFake> {
  const users = JSON.parse(readFileSync(usersFixture, 'utf8')) as FakeOktaUser[];
  const pool = corpusEvents(corpusDir);
  let served: Record<string, unknown>[] = [];
  let base = Date.now() - 2 * 3600_000;
  const make = (i: number) => ({
    ...pool[i % pool.length]!,
    uuid: `fake-okta-${String(i).padStart(5, '0')}`,
    published: new Date(base + i * 10_000).toISOString(),
  });
  const reset = (count: number) => {
    base = Date.now() - 2 * 3600_000;
    served = Array.from({ length: count }, (_, i) => make(i));
  };
  reset(25);

  return startFakeServer(
    (req, res, url) => {
      const userPath = /^\/api\/v1\/users\/([^/]+)$/.exec(url.pathname);
      if (userPath && req.method === 'GET') {
        if (req.headers.authorization !== `SSWS ${oktaFakeToken}`) {
          return sendJson(res, 401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorLink: 'E0000011', errorId: 'fake', errorCauses: [] });
        }
        const key = decodeURIComponent(userPath[1]!);
        const user = users.find((u) => u.id === key || u.profile.login.toLowerCase() === key.toLowerCase());
        if (!user) {
          return sendJson(res, 404, { errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${key} (User)`, errorLink: 'E0000007', errorId: 'fake', errorCauses: [] }, rateLimitHeaders());
        }
        return sendJson(res, 200, user, rateLimitHeaders());
      }
      if (url.pathname !== '/api/v1/logs' || req.method !== 'GET') return sendJson(res, 404, { errorCode: 'E0000022', errorSummary: 'The endpoint does not support the provided HTTP method' });
      if (req.headers.authorization !== `SSWS ${oktaFakeToken}`) {
        return sendJson(res, 401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorLink: 'E0000011', errorId: 'fake', errorCauses: [] });
      }
      const limit = Math.min(1000, Number(url.searchParams.get('limit') ?? 100));
      const since = url.searchParams.get('since') ?? new Date(Date.now() - 7 * 86_400_000).toISOString();
      const after = Number(url.searchParams.get('after') ?? -1);
      const matching = served.map((e, i) => [i, e] as const).filter(([i, e]) => i > after && String(e.published) >= since);
      const page = matching.slice(0, limit);
      const lastIndex = page.length > 0 ? page[page.length - 1]![0] : after;
      const origin = `http://${req.headers.host}`;
      const next = new URL('/api/v1/logs', origin);
      next.searchParams.set('since', since);
      next.searchParams.set('limit', String(limit));
      next.searchParams.set('sortOrder', 'ASCENDING');
      next.searchParams.set('after', String(lastIndex));
      sendJson(
        res,
        200,
        page.map(([, e]) => e),
        {
          link: `<${origin}${url.pathname}${url.search}>; rel="self", <${next.toString()}>; rel="next"`,
          'x-rate-limit-limit': '120',
          'x-rate-limit-remaining': '119',
          'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 60),
        },
      );
    },
    (action, body) => {
      const count = (body as { count?: number } | null)?.count;
      if (action === 'reset') reset(count ?? 25);
      else if (action === 'add') served.push(...Array.from({ length: count ?? 1 }, (_, i) => make(served.length + i)));
      else if (action === 'next-link-host') return { ok: true };
      return { served: served.length };
    },
  );
}
