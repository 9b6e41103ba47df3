/**
 * Ingest → lake → SQL, end to end inside workerd: the real Worker, D1 with migrations, R2, and the identity
 * Durable Object. Fixtures are real Okta and CloudTrail samples (see the fixtures README in each adapter folder).
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import oktaFixture from '../adapters/okta/fixtures/system-log.ndjson?raw';
import cloudTrailLogFile from '../adapters/cloudtrail/fixtures/log-file.json?raw';
import { tables } from '../adapters/d1/schema';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import type { Role } from '../core/auth/roles';
import { call, callJson, callWithVars, gzip, sql, tokensByRole } from './helpers';

interface IngestAnswer {
  batchId: string;
  accepted: number;
  rejected: number;
  events: number;
  duplicate: boolean;
  errors: { line: number; message: string }[];
  error?: { code: string; message: string };
}

let tokens: Record<Role, string>;
const oktaLines = oktaFixture.trim().split('\n').length;

async function ingest(source: string, body: BodyInit, headers: Record<string, string> = {}, token = tokens.ingest) {
  return callJson<IngestAnswer>('POST', `/ingest/${source}`, { token, body, headers: { 'content-type': 'application/x-ndjson', ...headers } });
}

async function count(where = "source = 'okta'") {
  return (await sql(tokens.analyst, `SELECT count(*) AS n FROM events WHERE ${where}`)).rows[0]![0];
}

beforeAll(async () => {
  tokens = await tokensByRole();
});

describe('POST /ingest/okta', () => {
  let first: IngestAnswer;

  it('accepts every line of the real Okta samples and stores each once', async () => {
    const res = await ingest('okta', oktaFixture);
    first = res.body;
    expect(res.status).toBe(200);
    expect(first).toMatchObject({ accepted: oktaLines, rejected: 0, events: oktaLines, duplicate: false, errors: [] });
    expect(await count()).toBe(oktaLines);
  });

  it('treats a re-sent batch as a duplicate and stores nothing twice', async () => {
    const res = await ingest('okta', oktaFixture);
    expect(res.body).toMatchObject({ batchId: first.batchId, accepted: oktaLines, duplicate: true });
    expect(await count()).toBe(oktaLines);
  });

  it('writes the raw batch to R2 under the Hive partition of its arrival, and normalized rows by event hour', async () => {
    const raw = await env.LAKE.list({ prefix: 'raw/source=okta/' });
    const rawKey = raw.objects.map((o) => o.key).find((k) => k.endsWith(`/${first.batchId}.ndjson.gz`));
    expect(rawKey).toMatch(/^raw\/source=okta\/date=\d{4}-\d{2}-\d{2}\/hour=\d{2}\//);
    const stored = await env.LAKE.get(rawKey!);
    const text = await new Response(stored!.body.pipeThrough(new DecompressionStream('gzip'))).text();
    expect(text).toBe(oktaFixture);
    const normalized = await env.LAKE.list({ prefix: 'events/source=okta/date=2022-03-22/' });
    expect(normalized.objects.length).toBeGreaterThan(0);
  });

  it('keeps the good lines of a batch with bad ones, and dead-letters each bad line with its error', async () => {
    const body = ['{"eventType":"user.session.start","published":"2026-02-01T10:00:00Z","uuid":"dl-1"}', 'not json', '[1,2]', '{"eventType":"user.session.end","uuid":"dl-2"}'].join('\n');
    const res = await ingest('okta', body);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.errors).toEqual([
      { line: 2, message: expect.stringMatching(/^line 2: not valid JSON/) },
      { line: 3, message: 'line 3: expected an Okta System Log event (a JSON object), got an array' },
    ]);
    expect(await count("event_id IN ('dl-1', 'dl-2')")).toBe(2);
    const dlq = await env.LAKE.list({ prefix: 'deadletter/source=okta/' });
    expect(dlq.objects).toHaveLength(1);
    const lines = (await (await env.LAKE.get(dlq.objects[0]!.key))!.text()).trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      { line: 2, error: expect.stringContaining('not valid JSON'), record: 'not json' },
      { line: 3, error: expect.stringContaining('got an array'), record: '[1,2]' },
    ]);
  });

  it('answers 400 with every line error when no line is acceptable, and still keeps them', async () => {
    const res = await ingest('okta', 'nope\n{broken');
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('invalid_input');
    expect(res.body.errors.map((e) => e.line)).toEqual([1, 2]);
    expect((await env.LAKE.list({ prefix: 'deadletter/source=okta/' })).objects).toHaveLength(2);
    const again = await ingest('okta', 'nope\n{broken');
    expect([again.status, again.body.duplicate, again.body.errors.length]).toEqual([400, true, 2]);
  });

  it('accepts gzip, JSON arrays and an Idempotency-Key', async () => {
    const gz = await ingest('okta', await gzip('{"eventType":"a","uuid":"gz-1"}\n'), { 'content-encoding': 'gzip' });
    expect(gz.body.accepted).toBe(1);
    const arr = await ingest('okta', '[{"eventType":"a","uuid":"arr-1"},{"eventType":"b","uuid":"arr-2"}]', { 'content-type': 'application/json' });
    expect(arr.body.accepted).toBe(2);
    const keyed = await ingest('okta', '{"eventType":"a","uuid":"key-1"}', { 'idempotency-key': 'sender-batch-7' });
    const retried = await ingest('okta', '{"eventType":"a","uuid":"key-1"}\n', { 'idempotency-key': 'sender-batch-7' });
    expect([keyed.body.duplicate, retried.body.duplicate]).toEqual([false, true]);
    expect(await count("event_id IN ('gz-1', 'arr-1', 'arr-2', 'key-1')")).toBe(4);
  });

  it.each([
    ['an empty body', '', {}, 400, 'invalid_request'],
    ['an unsupported encoding', '{"a":1}', { 'content-encoding': 'br' }, 415, 'unsupported_media_type'],
    ['broken gzip', 'not gzip', { 'content-encoding': 'gzip' }, 400, 'invalid_request'],
    ['a bad Idempotency-Key', '{"a":1}', { 'idempotency-key': 'has spaces' }, 400, 'invalid_request'],
    ['a truncated JSON array', '[{"a":1},', {}, 400, 'invalid_input'],
  ])('refuses %s', async (_label, body, headers, status, code) => {
    const res = await ingest('okta', body, headers);
    expect([res.status, res.body.error?.code]).toEqual([status, code]);
  });

  it('names the known sources for an unknown one', async () => {
    const res = await ingest('nosuch', '{}', {}, tokens.admin);
    expect(res.status).toBe(404);
    expect(res.body.error?.message).toContain('okta, entra_id');
  });

  it('refuses viewers', async () => {
    expect((await ingest('okta', '{}', {}, tokens.viewer)).status).toBe(403);
  });

  it('answers 413 over the size limit, compressed or decompressed', async () => {
    const vars = { MAX_INGEST_BYTES: '2048' };
    const big = `${'{"eventType":"x"}\n'.repeat(200)}`;
    const plain = await callWithVars(vars, 'POST', '/ingest/okta', { token: tokens.ingest, body: big });
    expect(plain.status).toBe(413);
    const bomb = await gzip(' '.repeat(50_000));
    expect(bomb.byteLength).toBeLessThan(2048);
    const res = await callWithVars(vars, 'POST', '/ingest/okta', { token: tokens.ingest, body: bomb, headers: { 'content-encoding': 'gzip' } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/decompresses to more than 10240 bytes/);
  });

  it('stores nothing of a batch it refuses with 413', async () => {
    const before = await count('1 = 1');
    const batches = await env.DB.prepare('SELECT count(*) AS n FROM ingest_batches').first<{ n: number }>();
    const rawBefore = (await env.LAKE.list({ prefix: 'raw/' })).objects.length;
    const big = Array.from({ length: 300 }, (_, i) => JSON.stringify({ eventType: 'x', uuid: `big-${i}` })).join('\n');
    const res = await callWithVars({ MAX_INGEST_BYTES: '2048' }, 'POST', '/ingest/okta', { token: tokens.ingest, body: big });
    expect(res.status).toBe(413);
    expect(await count('1 = 1')).toBe(before);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM ingest_batches').first<{ n: number }>())!.n).toBe(batches!.n);
    expect((await env.LAKE.list({ prefix: 'raw/' })).objects.length).toBe(rawBefore);
  });
});

describe('push deliveries in their senders’ envelopes', () => {
  it('unwraps a Kubernetes audit webhook EventList', async () => {
    const event = (n: number) => ({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: `k8s-${n}`, stage: 'ResponseComplete', verb: 'create', user: { username: 'alice' }, objectRef: { resource: 'pods', namespace: 'default' }, responseStatus: { code: 201 }, requestReceivedTimestamp: '2026-03-01T00:00:00.000000Z' });
    const body = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [event(1), event(2)] });
    const res = await ingest('kubernetes_audit', body, { 'content-type': 'application/json' });
    expect(res.body).toMatchObject({ accepted: 2, events: 2 });
    expect(await count("source = 'kubernetes_audit'")).toBe(2);
  });

  it('unwraps an Okta event hook delivery', async () => {
    const body = JSON.stringify({ eventType: 'com.okta.event_hook', eventTypeVersion: '1.0', data: { events: [{ uuid: 'hook-1', eventType: 'user.session.start', published: '2026-03-01T00:00:00.000Z', outcome: { result: 'SUCCESS' } }] } });
    const res = await ingest('okta', body, { 'content-type': 'application/json' });
    expect(res.body).toMatchObject({ accepted: 1 });
    expect(await count("event_id = 'hook-1'")).toBe(1);
  });
});

describe('durability when D1 fails', () => {
  const body = '{"eventType":"user.session.start","uuid":"outage-1","published":"2026-03-01T00:00:00Z"}\n{"eventType":"user.session.end","uuid":"outage-2"}';
  // D1 answers the claim but fails the transaction that stores the rows, as during an outage.
  const failingDb = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'batch') return () => Promise.reject(new Error('D1_ERROR: simulated outage'));
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });

  it('answers 503 when the database write fails, keeping the raw batch in R2', async () => {
    const res = await callWithVars({ DB: failingDb }, 'POST', '/ingest/okta', { token: tokens.ingest, body });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/safe in R2 .* retry the same request/);
    expect(await count("event_id LIKE 'outage-%'")).toBe(0);
    const pending = await env.DB.prepare("SELECT status, raw_key FROM ingest_batches WHERE status = 'pending'").all();
    expect(pending.results).toHaveLength(1);
  });

  it('replays the batch from R2 on the next cron run, once', async () => {
    const { replayPendingBatches, replayAfterMs } = await import('../workers/ingest/ingest-batch');
    const later = new Date(Date.now() + replayAfterMs + 60_000);
    expect(await replayPendingBatches(env, later)).toEqual({ replayed: 1, abandoned: 0, failed: 0 });
    expect(await count("event_id LIKE 'outage-%'")).toBe(2);
    expect(await replayPendingBatches(env, later)).toEqual({ replayed: 0, abandoned: 0, failed: 0 });
    const retry = await ingest('okta', body);
    expect([retry.status, retry.body.duplicate]).toEqual([200, true]);
    expect(await count("event_id LIKE 'outage-%'")).toBe(2);
  });

  it('keeps no claim for a body that could not be read at all', async () => {
    await ingest('okta', '[{"broken": ');
    const { results } = await env.DB.prepare("SELECT count(*) AS n FROM ingest_batches WHERE status = 'pending'").all<{ n: number }>();
    expect(results[0]!.n).toBe(0);
  });
});

describe('POST /ingest/cloudtrail', () => {
  it('unwraps a {"Records": [...]} log file', async () => {
    const records = (JSON.parse(cloudTrailLogFile) as { Records: unknown[] }).Records.length;
    const res = await ingest('cloudtrail', cloudTrailLogFile, { 'content-type': 'application/json' });
    expect(res.body).toMatchObject({ accepted: records, events: records });
    expect(await count("source = 'cloudtrail'")).toBe(records);
  });
});

describe('identity state', () => {
  it('feeds identity events to the user’s Durable Object', async () => {
    const { status, body } = await callJson<{ user: string; eventCount: number; events: { identityAction: string }[] }>(
      'GET',
      `/api/identity/users/${encodeURIComponent('Homer.Simpson@duff.com')}`,
      { token: tokens.viewer },
    );
    expect(status).toBe(200);
    expect(body.user).toBe('homer.simpson@duff.com');
    expect(body.events.map((e) => e.identityAction)).toContain('mfa_accept');
  });

  it('lists users seen in identity events, with a search that cannot widen itself', async () => {
    const { body } = await callJson<{ users: { user: string }[] }>('GET', '/api/identity/users?q=homer', { token: tokens.viewer });
    expect(body.users.map((u) => u.user)).toContain('homer@springfield.gov');
    const wildcard = await callJson<{ users: unknown[] }>('GET', '/api/identity/users?q=%25', { token: tokens.viewer });
    expect(wildcard.body.users).toEqual([]);
  });

  it('answers 404 for a user never seen, whatever the id holds', async () => {
    expect((await call('GET', '/api/identity/users/nobody@nowhere.test', { token: tokens.viewer })).status).toBe(404);
    expect((await call('GET', '/api/identity/users/%25zz%2F..', { token: tokens.viewer })).status).toBe(404);
  });
});

describe('POST /api/sql', () => {
  it('answers columns, rows, row count, truncation and time', async () => {
    const res = await callJson<{ columns: string[]; rows: unknown[][]; rowCount: number; truncated: boolean; elapsedMs: number }>(
      'POST',
      '/api/sql',
      { token: tokens.viewer, json: { sql: "SELECT action, actor FROM events WHERE source = 'okta' ORDER BY event_time", limit: 3 } },
    );
    expect(res.status).toBe(200);
    expect(res.body.columns).toEqual(['action', 'actor']);
    expect(res.body.rows).toHaveLength(3);
    expect(res.body).toMatchObject({ rowCount: 3, truncated: true });
    expect(res.body.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('reads vendor fields from raw with JSON functions', async () => {
    const res = await sql(tokens.analyst, "SELECT json_extract(raw, '$.eventType') AS t FROM events WHERE event_id = 'c2d6cda1-6641-11f0-b8ab-e7cc1dd1a43e'");
    expect(res.rows).toEqual([['user.account.privilege.grant']]);
  });

  it.each([
    ['DROP TABLE events', /Only SELECT/],
    ['DELETE FROM events', /Only SELECT/],
    ['SELECT 1; DELETE FROM events', /single SELECT/],
    ['SELECT * FROM api_tokens', /not queryable/],
    ['PRAGMA table_list', /could not be parsed/],
  ])('refuses %s with 400 invalid_sql', async (statement, message) => {
    const res = await callJson<{ error: { code: string; message: string } }>('POST', '/api/sql', { token: tokens.admin, json: { sql: statement } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_sql');
    expect(res.body.error.message).toMatch(message);
    expect(await count('1 = 1')).toBeGreaterThan(0);
  });

  it('refuses an unknown column instead of reading it as text', async () => {
    const res = await callJson<{ error: { code: string; message: string } }>('POST', '/api/sql', {
      token: tokens.analyst,
      json: { sql: 'SELECT no_such_column FROM events' },
    });
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_sql']);
    expect(res.body.error.message).toContain('Unknown column "no_such_column"');
  });

  it('reports an engine error as invalid_sql with the database’s reason', async () => {
    const res = await callJson<{ error: { code: string; message: string } }>('POST', '/api/sql', {
      token: tokens.analyst,
      json: { sql: 'SELECT json(actor) FROM events WHERE actor IS NOT NULL' },
    });
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_sql']);
    expect(res.body.error.message).toMatch(/^The query failed on the database: .*malformed JSON/);
  });
});

describe('GET /api/sources', () => {
  it('reports per-source ingest statistics and events received today', async () => {
    const { body } = await callJson<{ sources: { id: string; accepted: number; rejected: number; eventsToday: number }[]; collectorsError: string | null }>(
      'GET',
      '/api/sources',
      { token: tokens.viewer },
    );
    const okta = body.sources.find((s) => s.id === 'okta')!;
    expect(okta.accepted).toBeGreaterThanOrEqual(oktaLines);
    expect(okta.rejected).toBe(4);
    expect(okta.eventsToday).toBeGreaterThanOrEqual(oktaLines);
    expect(body.collectorsError).toBeNull();
  });

  it('shows configured collectors with their health, and a broken COLLECTORS setting', async () => {
    const configured = { COLLECTORS: JSON.stringify([{ id: 'okta-main', type: 'okta', orgUrl: 'https://acme.okta.com' }]) };
    const res = await callWithVars(configured, 'GET', '/api/sources', { token: tokens.viewer });
    const body = (await res.json()) as { sources: { id: string; collectors: { id: string; lastSuccessAt: string | null }[] }[] };
    expect(body.sources.find((s) => s.id === 'okta')!.collectors).toEqual([expect.objectContaining({ id: 'okta-main', lastSuccessAt: null })]);
    const broken = await callWithVars({ COLLECTORS: '[{"id":"x","type":"nope"}]' }, 'GET', '/api/sources', { token: tokens.viewer });
    expect(((await broken.json()) as { collectorsError: string }).collectorsError).toContain('unknown type "nope"');
  });
});

describe('D1 schema', () => {
  it('matches the validator’s catalog of queryable columns', async () => {
    const { queryableCatalog } = await import('../core/sql/query-policy');
    for (const [table, columns] of Object.entries(queryableCatalog)) {
      const { results } = await env.DB.prepare('SELECT name FROM pragma_table_info(?1)').bind(table).all<{ name: string }>();
      expect(results.map((r) => r.name).sort(), table).toEqual([...columns].sort());
    }
  });

  it('matches the Drizzle table definitions column for column', async () => {
    for (const table of Object.values(tables)) {
      const config = getTableConfig(table);
      const { results } = await env.DB.prepare(`SELECT name, "notnull" FROM pragma_table_info(?1)`).bind(config.name).all<{ name: string; notnull: number }>();
      expect(results.map((r) => r.name).sort(), config.name).toEqual(config.columns.map((c) => c.name).sort());
      for (const column of config.columns) {
        expect(results.find((r) => r.name === column.name)?.notnull === 1, `${config.name}.${column.name} NOT NULL`).toBe(column.notNull && !column.primary ? true : results.find((r) => r.name === column.name)?.notnull === 1);
      }
    }
  });
});
