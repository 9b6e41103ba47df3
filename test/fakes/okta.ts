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
 *
 * And the user-management calls of the identity responder (adapters/okta/respond.ts), on a per-user state the test
 * can read (POST /__fake/directory): `DELETE /api/v1/users/{id}/sessions[?oauthTokens=true]` (204; clears sessions, and
 * the OAuth tokens too with oauthTokens=true), `GET /api/v1/users/{id}/clients` and
 * `DELETE /api/v1/users/{id}/clients/{clientId}/tokens`, `GET /api/v1/users/{id}/factors`,
 * `POST /api/v1/users/{id}/lifecycle/{suspend|deactivate|reset_password|reset_factors}` with Okta's state rules
 * (only ACTIVE users are suspended: 400 E0000001 otherwise; reset_password moves the user to RECOVERY and, with
 * sendEmail=true, "sends" an email counted in the state). A second API token, `oktaFakeReadOnlyToken`, belongs to a
 * read-only administrator: reads work, changes answer 403 E0000006. POST /__fake/throttle {times} answers the next
 * requests 429 E0000047 with X-Rate-Limit-Reset, as Okta does. POST /__fake/reset restores the directory.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';

export const oktaFakeToken = '00fake-okta-api-token';
/** An API token of a read-only administrator: GETs work, user changes are refused (403 E0000006). */
export const oktaFakeReadOnlyToken = '00fake-okta-readonly-token';

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
  readonly status: string;
  readonly profile: { readonly login: string };
}

/** What the responder changes about a user, as Okta keeps it. */
export interface FakeOktaUserState {
  status: string;
  sessions: number;
  clients: { client_id: string; client_name: string; tokens: number }[];
  factors: { id: string; factorType: string; provider: string; status: string }[];
  resetEmailsSent: number;
}

function initialDirectory(users: FakeOktaUser[]): Map<string, FakeOktaUserState> {
  return new Map(
    users.map((u, i) => [
      u.id,
      {
        status: u.status,
        sessions: i === 0 ? 2 : 1,
        clients:
          i === 0
            ? [
                { client_id: '0oa1slackAPPx697', client_name: 'Slack', tokens: 2 },
                { client_id: '0oa1zoomAPP0x697', client_name: 'Zoom', tokens: 1 },
              ]
            : [],
        factors:
          i === 0
            ? [
                { id: 'opf1pushFACTx697', factorType: 'push', provider: 'OKTA', status: 'ACTIVE' },
                { id: 'mbl1smsFACT0x697', factorType: 'sms', provider: 'OKTA', status: 'ACTIVE' },
              ]
            : [{ id: `uft1totp${i}x697`, factorType: 'token:software:totp', provider: 'GOOGLE', status: 'ACTIVE' }],
        resetEmailsSent: 0,
      },
    ]),
  );
}

function oktaError(res: ServerResponse, status: number, errorCode: string, errorSummary: string, headers: Record<string, string> = {}) {
  sendJson(res, status, { errorCode, errorSummary, errorLink: errorCode, errorId: `oae${randomUUID().replace(/-/g, '').slice(0, 20)}`, errorCauses: [] }, { ...rateLimitHeaders(), ...headers });
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
  let directory = initialDirectory(users);
  let throttled = 0;
  const findUser = (key: string) => users.find((u) => u.id === key || u.profile.login.toLowerCase() === key.toLowerCase());

  return startFakeServer(
    (req, res, url) => {
      if (throttled > 0 && url.pathname.startsWith('/api/v1/users/')) {
        throttled--;
        return oktaError(res, 429, 'E0000047', 'API call exceeded rate limit due to too many requests.', {
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 1),
        });
      }
      const manage = /^\/api\/v1\/users\/([^/]+)\/(sessions|clients|factors|lifecycle\/(suspend|deactivate|reset_password|reset_factors)|clients\/([^/]+)\/tokens)$/.exec(url.pathname);
      if (manage) {
        const token = req.headers.authorization;
        if (token !== `SSWS ${oktaFakeToken}` && token !== `SSWS ${oktaFakeReadOnlyToken}`) return oktaError(res, 401, 'E0000011', 'Invalid token provided');
        const key = decodeURIComponent(manage[1]!);
        const user = findUser(key);
        const state = user ? directory.get(user.id) : undefined;
        if (!user || !state) return oktaError(res, 404, 'E0000007', `Not found: Resource not found: ${key} (User)`);
        const route = `${req.method} ${manage[2]!.startsWith('clients/') ? 'clients/{clientId}/tokens' : manage[2]}`;
        if (req.method !== 'GET' && token !== `SSWS ${oktaFakeToken}`) return oktaError(res, 403, 'E0000006', 'You do not have permission to perform the requested action');
        switch (route) {
          case 'DELETE sessions':
            state.sessions = 0;
            if (url.searchParams.get('oauthTokens') === 'true') state.clients = [];
            res.writeHead(204, rateLimitHeaders());
            res.end();
            return;
          case 'GET clients':
            return sendJson(
              res,
              200,
              state.clients.filter((c) => c.tokens > 0).map((c) => ({ client_id: c.client_id, client_name: c.client_name, client_uri: null, logo_uri: null, _links: { tokens: { href: `http://${req.headers.host}/api/v1/users/${user.id}/clients/${c.client_id}/tokens` } } })),
              rateLimitHeaders(),
            );
          case 'DELETE clients/{clientId}/tokens': {
            const client = state.clients.find((c) => c.client_id === decodeURIComponent(manage[4]!));
            if (!client) return oktaError(res, 404, 'E0000007', `Not found: Resource not found: ${manage[4]} (AppInstance)`);
            state.clients = state.clients.filter((c) => c !== client);
            res.writeHead(204, rateLimitHeaders());
            res.end();
            return;
          }
          case 'GET factors':
            return sendJson(res, 200, state.factors, rateLimitHeaders());
          case 'POST lifecycle/suspend':
            if (state.status !== 'ACTIVE') return oktaError(res, 400, 'E0000001', 'Api validation failed: Cannot suspend a user that is not active');
            state.status = 'SUSPENDED';
            state.sessions = 0;
            return sendJson(res, 200, {}, rateLimitHeaders());
          case 'POST lifecycle/deactivate':
            state.status = 'DEPROVISIONED';
            state.sessions = 0;
            return sendJson(res, 200, {}, rateLimitHeaders());
          case 'POST lifecycle/reset_password': {
            if (!['ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT'].includes(state.status)) {
              return oktaError(res, 403, 'E0000038', 'This operation is not allowed in the user\'s current status.');
            }
            state.status = 'RECOVERY';
            const sendEmail = url.searchParams.get('sendEmail') !== 'false';
            if (sendEmail) state.resetEmailsSent++;
            return sendJson(res, 200, sendEmail ? {} : { resetPasswordUrl: `http://${req.headers.host}/reset_password/drpFAKE${randomUUID()}` }, rateLimitHeaders());
          }
          case 'POST lifecycle/reset_factors':
            state.factors = [];
            return sendJson(res, 200, {}, rateLimitHeaders());
          default:
            return oktaError(res, 405, 'E0000022', 'The endpoint does not support the provided HTTP method');
        }
      }
      const userPath = /^\/api\/v1\/users\/([^/]+)$/.exec(url.pathname);
      if (userPath && req.method === 'GET') {
        if (req.headers.authorization !== `SSWS ${oktaFakeToken}` && req.headers.authorization !== `SSWS ${oktaFakeReadOnlyToken}`) {
          return sendJson(res, 401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorLink: 'E0000011', errorId: 'fake', errorCauses: [] });
        }
        const key = decodeURIComponent(userPath[1]!);
        const user = findUser(key);
        if (!user) {
          return sendJson(res, 404, { errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${key} (User)`, errorLink: 'E0000007', errorId: 'fake', errorCauses: [] }, rateLimitHeaders());
        }
        return sendJson(res, 200, { ...user, status: directory.get(user.id)?.status ?? user.status }, rateLimitHeaders());
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
      if (action === 'reset') {
        reset(count ?? 25);
        directory = initialDirectory(users);
        throttled = 0;
      } else if (action === 'directory') return Object.fromEntries(directory);
      else if (action === 'throttle') throttled = (body as { times?: number } | null)?.times ?? 1;
      else if (action === 'add') served.push(...Array.from({ length: count ?? 1 }, (_, i) => make(served.length + i)));
      else if (action === 'next-link-host') return { ok: true };
      return { served: served.length };
    },
  );
}
