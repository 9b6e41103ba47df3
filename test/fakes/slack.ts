/**
 * Loopback fake of Slack's Audit Logs API (https://docs.slack.dev/reference/audit-logs-api/methods-actions-reference):
 * `GET /audit/v1/logs` with `Authorization: Bearer xoxp-…` (401 `{"ok": false, "error": "invalid_authentication"}`
 * otherwise), `oldest` / `latest` (epoch seconds, inclusive), `limit` (default 100, at most 9999) and the opaque
 * `cursor` of `response_metadata.next_cursor` (empty on the last page; 400 `invalid_cursor` when garbled).
 * Entries come newest first, as Slack lists them. It serves the real Slack audit samples of the corpus, each
 * given a unique `id` and a recent `date_create` (epoch seconds).
 * Admin: POST /__fake/reset {count?}, /__fake/add {count}, /__fake/fail, GET /__fake/requests.
 */
import { randomUUID } from 'node:crypto';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';
import { bearer, corpusRecords, decodeCursor, encodeCursor, type CorpusRecord } from './saas-corpus';

export const slackFakeToken = 'xoxp-0000000000-1111111111-2222222222-fakeauditlogstoken';

export async function startSlackFake(corpusDir: string): Promise<RunningFake> {
  const pool = corpusRecords(corpusDir, 'slack-audit', (f) => f.includes('AuditLogs')).filter((e) => typeof e.action === 'string');
  let served: CorpusRecord[] = [];
  let base = 0;
  const make = (i: number, at = base + i * 10): CorpusRecord => ({ ...pool[i % pool.length]!, id: randomUUID(), date_create: at });
  const reset = (count: number) => {
    base = Math.floor(Date.now() / 1000) - 2 * 3600;
    served = Array.from({ length: count }, (_, i) => make(i));
  };
  reset(25);

  return startFakeServer(
    (req, res, url) => {
      if (url.pathname !== '/audit/v1/logs' || req.method !== 'GET') return sendJson(res, 404, { ok: false, error: 'unknown_method' });
      if (bearer(req.headers.authorization) !== slackFakeToken) return sendJson(res, 401, { ok: false, error: 'invalid_authentication' });
      const oldest = Number(url.searchParams.get('oldest') ?? 0);
      const latest = Number(url.searchParams.get('latest') ?? Number.MAX_SAFE_INTEGER);
      const limit = Number(url.searchParams.get('limit') ?? 100);
      if (!Number.isInteger(limit) || limit < 1 || limit > 9999) return sendJson(res, 400, { ok: false, error: 'invalid_range' });
      // Newest first; ties in time keep a stable order by position.
      const matching = served
        .map((e, i) => ({ e, i }))
        .filter(({ e }) => Number(e.date_create) >= oldest && Number(e.date_create) <= latest)
        .reverse();
      let start = 0;
      const cursor = url.searchParams.get('cursor');
      if (cursor) {
        const position = decodeCursor<{ before: number }>(cursor);
        if (!position || typeof position.before !== 'number') return sendJson(res, 400, { ok: false, error: 'invalid_cursor' });
        start = matching.findIndex(({ i }) => i < position.before);
        if (start === -1) start = matching.length;
      }
      const page = matching.slice(start, start + limit);
      const more = start + limit < matching.length;
      sendJson(res, 200, {
        entries: page.map(({ e }) => e),
        response_metadata: { next_cursor: more ? encodeCursor({ before: page[page.length - 1]!.i }) : '' },
      });
    },
    (action, body) => {
      const count = (body as { count?: number } | null)?.count;
      if (action === 'reset') reset(count ?? 25);
      else if (action === 'add') {
        // New entries happen now (in the last seconds), after everything served so far.
        const n = count ?? 1;
        const now = Math.floor(Date.now() / 1000);
        served.push(...Array.from({ length: n }, (_, i) => make(served.length + i, now - n + i)));
      }
      return { served: served.length };
    },
  );
}
