/**
 * Loopback fake of the 1Password Events API (https://developer.1password.com/docs/events-api/reference/):
 * `POST /api/v1|v2/auditevents`, `/signinattempts`, `/itemusages` with `Authorization: Bearer <token>` (401
 * `{"Error": {"Message": "Unauthorized"}}` otherwise; a token reads only the features it was issued for). The
 * body is a reset cursor `{"limit": 1–1000 (default 100), "start_time": "<RFC 3339>"}` or `{"cursor": "…"}`
 * (400 when neither parses); every answer is `{cursor, has_more, items}`, the cursor staying usable once caught
 * up (https://developer.1password.com/docs/events-api/pagination). It serves the real 1Password samples of the
 * corpus — Cribl's audit events, Panther's sign-in attempts and item usages — each given a unique `uuid` and a
 * recent `timestamp` with nanoseconds, as 1Password writes them.
 * Admin: POST /__fake/reset {count?} (per feed), /__fake/add {count} (per feed), /__fake/fail, GET /__fake/requests.
 */
import { randomBytes } from 'node:crypto';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';
import { bearer, corpusRecords, decodeCursor, encodeCursor, nanoIso, type CorpusRecord } from './saas-corpus';

export const onePasswordFakeToken = 'eyJhbGciOiJFUzI1NiIsImtpZCI6ImZha2UifQ.eyJmZWF0dXJlcyI6WyJzaWduaW5hdHRlbXB0cyIsIml0ZW11c2FnZXMiLCJhdWRpdGV2ZW50cyJdfQ.fake-events-token';
/** A token issued for audit events only. */
export const onePasswordAuditOnlyToken = 'eyJhbGciOiJFUzI1NiIsImtpZCI6ImZha2UifQ.eyJmZWF0dXJlcyI6WyJhdWRpdGV2ZW50cyJdfQ.audit-only';

const feeds = ['auditevents', 'signinattempts', 'itemusages'] as const;
type Feed = (typeof feeds)[number];
interface Position {
  feed: Feed;
  after: number;
  limit: number;
  start: number;
}

/** 1Password's uuids: 26 characters of base32. */
function opUuid(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return Array.from(randomBytes(26), (b) => alphabet[b % 32]).join('');
}

export async function startOnePasswordFake(corpusDir: string): Promise<RunningFake> {
  const pools: Record<Feed, CorpusRecord[]> = {
    auditevents: corpusRecords(corpusDir, '1password', (f) => f.includes('auditevents')),
    signinattempts: corpusRecords(corpusDir, '1password', (f) => f.includes('SignInAttempt')),
    itemusages: corpusRecords(corpusDir, '1password', (f) => f.includes('ItemUsage')),
  };
  const tokens = new Map<string, ReadonlySet<Feed>>([
    [onePasswordFakeToken, new Set(feeds)],
    [onePasswordAuditOnlyToken, new Set<Feed>(['auditevents'])],
  ]);
  let served: Record<Feed, { at: number; event: CorpusRecord }[]> = { auditevents: [], signinattempts: [], itemusages: [] };
  const make = (feed: Feed, i: number, at: number): { at: number; event: CorpusRecord } => {
    const sample = pools[feed][i % pools[feed].length]!;
    return { at, event: { ...sample, uuid: opUuid(), timestamp: nanoIso(at, i % 1000) } };
  };
  const reset = (count: number) => {
    const base = Date.now() - 2 * 3600_000;
    served = Object.fromEntries(feeds.map((f) => [f, Array.from({ length: count }, (_, i) => make(f, i, base + i * 10_000))])) as typeof served;
  };
  reset(12);

  return startFakeServer(
    (req, res, url) => {
      const m = /^\/api\/v[12]\/(auditevents|signinattempts|itemusages)$/.exec(url.pathname);
      if (!m || req.method !== 'POST') return sendJson(res, 404, { Error: { Message: 'Not Found' } });
      const feed = m[1] as Feed;
      const token = bearer(req.headers.authorization);
      if (!token || !tokens.get(token)?.has(feed)) return sendJson(res, 401, { Error: { Message: 'Unauthorized' } });
      let body: { cursor?: unknown; limit?: unknown; start_time?: unknown };
      try {
        body = JSON.parse(req.body || 'null') as typeof body;
      } catch {
        return sendJson(res, 400, { Error: { Message: 'Bad Request' } });
      }
      let position: Position | null;
      if (typeof body?.cursor === 'string') {
        position = decodeCursor<Position>(body.cursor);
        if (!position || position.feed !== feed) return sendJson(res, 400, { Error: { Message: 'invalid cursor' } });
      } else {
        const limit = body?.limit === undefined ? 100 : Number(body.limit);
        const start = body?.start_time === undefined ? Date.now() - 3600_000 : Date.parse(String(body.start_time));
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000 || Number.isNaN(start)) return sendJson(res, 400, { Error: { Message: 'Bad Request' } });
        position = { feed, after: -1, limit, start };
      }
      const { after, limit, start } = position;
      const matching = served[feed].map((s, i) => ({ ...s, i })).filter((s) => s.i > after && s.at >= start);
      const page = matching.slice(0, limit);
      const next: Position = { feed, after: page.length > 0 ? page[page.length - 1]!.i : after, limit, start };
      sendJson(res, 200, { cursor: encodeCursor(next), has_more: matching.length > limit, items: page.map((s) => s.event) });
    },
    (action, body) => {
      const count = (body as { count?: number } | null)?.count;
      if (action === 'reset') reset(count ?? 12);
      else if (action === 'add') {
        const n = count ?? 1;
        for (const f of feeds) served[f].push(...Array.from({ length: n }, (_, i) => make(f, served[f].length + i, Date.now() - (n - i) * 1000)));
      }
      return Object.fromEntries(feeds.map((f) => [f, served[f].length]));
    },
  );
}
