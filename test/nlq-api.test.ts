/**
 * Natural-language queries end to end inside workerd: POST /api/query through the real pipeline, validator, D1
 * query runner, partition statistics, answer cache and conversations; the offline engine answering questions;
 * the repair loop and provider fallback through the pipeline's ports on the real D1 adapters; and the hostile
 * SQL suite sent through /api/query and /api/sql with the database checked unchanged afterwards.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../core/auth/roles';
import { answerQuestion } from '../core/nlq/pipeline';
import { nlqSchemaVersion } from '../core/nlq/cache';
import type { TranslateInput, Translation, Translator } from '../core/nlq/translator';
import { hostileQueries } from '../core/sql/hostile-queries';
import { NlqCacheRepository } from '../adapters/d1/nlq-cache-repository';
import { d1PipelinePorts, nlqOptions } from '../workers/api/routes/query-shared';
import { call, callJson, callWithVars, tokensByRole } from './helpers';

interface QueryBody {
  conversationId: string;
  sql: string;
  explanation: string;
  assumptions: string[];
  estimate: { bytes: number; usd: number; rows: number; partitions: number; dialect: string };
  needsConfirmation: boolean;
  columns: string[];
  rows: unknown[][];
  truncated: boolean;
  cached: boolean;
  engine: string;
  error?: { code: string; message: string };
  reason?: string;
  suggestions?: string[];
}

let tokens: Record<Role, string>;
const now = Date.now();
const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();
const daysAgo = (d: number) => new Date(now - d * 86_400_000).toISOString();

/** Generic JSON events: alice fails 3 times and succeeds once, bob fails once; two old events 10 days back. */
const recentEvents = [
  { id: 'n1', timestamp: minutesAgo(50), user: 'alice@acme.test', action: 'login', outcome: 'failure', ip: '203.0.113.5' },
  { id: 'n2', timestamp: minutesAgo(40), user: 'alice@acme.test', action: 'login', outcome: 'failure', ip: '203.0.113.5' },
  { id: 'n3', timestamp: minutesAgo(30), user: 'alice@acme.test', action: 'login', outcome: 'failure', ip: '203.0.113.5' },
  { id: 'n4', timestamp: minutesAgo(20), user: 'alice@acme.test', action: 'login', outcome: 'success', ip: '203.0.113.5' },
  { id: 'n5', timestamp: minutesAgo(10), user: 'bob@acme.test', action: 'login', outcome: 'failure', ip: '198.51.100.7' },
];
const oldEvents = [
  { id: 'o1', timestamp: daysAgo(10), user: 'carol@acme.test', action: 'login', outcome: 'failure', ip: '192.0.2.1' },
  { id: 'o2', timestamp: daysAgo(10), user: 'carol@acme.test', action: 'login', outcome: 'failure', ip: '192.0.2.1' },
];
const ndjson = (events: object[]) => events.map((e) => JSON.stringify(e)).join('\n');

async function ask(token: string, json: Record<string, unknown>) {
  return callJson<QueryBody>('POST', '/api/query', { token, json });
}

async function statsRows(): Promise<number> {
  const row = await env.DB.prepare('SELECT coalesce(sum(rows), 0) AS n FROM partition_stats').first<{ n: number }>();
  return row!.n;
}

beforeAll(async () => {
  tokens = await tokensByRole();
  for (const body of [ndjson(recentEvents), ndjson(oldEvents)]) {
    const res = await call('POST', '/ingest/json', { token: tokens.ingest, body, headers: { 'content-type': 'application/x-ndjson' } });
    expect(res.status).toBe(200);
  }
});

describe('partition statistics at ingest', () => {
  it('counts rows and bytes per source and event hour, in the batch transaction', async () => {
    const { results } = await env.DB.prepare("SELECT source, hour, rows, bytes FROM partition_stats WHERE source = 'json' ORDER BY hour").all<{
      source: string;
      hour: string;
      rows: number;
      bytes: number;
    }>();
    expect(results.reduce((n, r) => n + r.rows, 0)).toBe(recentEvents.length + oldEvents.length);
    expect(results[0]).toMatchObject({ hour: `${daysAgo(10).slice(0, 13)}:00:00.000Z`, rows: 2 });
    for (const r of results) expect(r.bytes).toBeGreaterThan(r.rows * 100);
  });

  it('does not count a re-sent batch twice', async () => {
    const before = await statsRows();
    const res = await call('POST', '/ingest/json', { token: tokens.ingest, body: ndjson(recentEvents), headers: { 'content-type': 'application/x-ndjson' } });
    expect(res.status).toBe(200);
    expect(await statsRows()).toBe(before);
  });
});

describe('POST /api/query with a question (offline engine)', () => {
  it('answers "failed logins by user in the last 24 hours" from the data', async () => {
    const { status, body } = await ask(tokens.analyst, { question: 'failed logins by user in the last 24 hours' });
    expect(status).toBe(200);
    expect(body.engine).toBe('offline');
    expect(body.columns).toEqual(['actor', 'count']);
    expect(body.rows).toEqual([
      ['alice@acme.test', 3],
      ['bob@acme.test', 1],
    ]);
    expect(body.assumptions.some((a) => a.startsWith('the last 24 hours ='))).toBe(true);
    expect(body.conversationId).toMatch(/^conv_/);
    expect(body.estimate).toMatchObject({ dialect: 'd1', rows: recentEvents.length });
    expect(body.needsConfirmation).toBe(false);
  });

  it('answers a follow-up in the same conversation', async () => {
    const first = await ask(tokens.analyst, { question: 'failed logins by user in the last 24 hours' });
    const follow = await ask(tokens.analyst, { question: 'only alice@acme.test', conversationId: first.body.conversationId });
    expect(follow.status).toBe(200);
    expect(follow.body.conversationId).toBe(first.body.conversationId);
    expect(follow.body.sql).toContain("'alice@acme.test'");
    expect(follow.body.rows).toEqual([['alice@acme.test', 3]]);
  });

  it('says when it does not understand, with suggestions, and records the turn', async () => {
    const { status, body } = await ask(tokens.analyst, { question: 'please frobnicate the quux widgets' });
    expect(status).toBe(400);
    expect(body.error?.code).toBe('invalid_input');
    expect(body.suggestions?.length).toBeGreaterThan(0);
    const conversation = await callJson<{ conversation: { turns: { status: string }[] } }>('GET', `/api/query/conversations/${body.conversationId}`, { token: tokens.analyst });
    expect(conversation.body.conversation.turns.map((t) => t.status)).toEqual(['not_understood']);
  });
});

describe('POST /api/query with edited SQL', () => {
  const bounded = `SELECT actor, count(*) AS n FROM events WHERE event_time >= '${daysAgo(30)}' AND event_time < '${new Date(now + 3_600_000).toISOString()}' AND outcome = 'failure' GROUP BY actor ORDER BY actor`;

  it('adds the default window to SQL without a time bound, and says so', async () => {
    const { status, body } = await ask(tokens.analyst, { question: 'failures', sql: "SELECT actor, count(*) AS n FROM events WHERE outcome = 'failure' GROUP BY actor ORDER BY actor" });
    expect(status).toBe(200);
    expect(body.engine).toBe('sql');
    expect(body.rows).toEqual([
      ['alice@acme.test', 3],
      ['bob@acme.test', 1],
    ]);
    expect(body.assumptions[0]).toMatch(/^No time range was given: searched the last 24 hours/);
    expect(body.sql).toMatch(/FROM \(SELECT \* FROM "events" WHERE "event_time" >= '.*' AND "event_time" < '.*'\) AS "events"/);
  });

  it('caches the answer per user: a repeat is cached, another user is not served it', async () => {
    const first = await ask(tokens.analyst, { question: 'failures per user this month', sql: bounded });
    expect(first.body).toMatchObject({ cached: false, rows: [['alice@acme.test', 3], ['bob@acme.test', 1], ['carol@acme.test', 2]] });
    const again = await ask(tokens.analyst, { question: 'Failures per user this month?', sql: bounded });
    expect(again.body).toMatchObject({ cached: true, rows: first.body.rows });
    const viewer = await ask(tokens.viewer, { question: 'failures per user this month', sql: bounded });
    expect(viewer.body.cached).toBe(false);
    const { results } = await env.DB.prepare('SELECT DISTINCT user_id FROM nlq_cache').all();
    expect(results.length).toBeGreaterThanOrEqual(2);
  });

  it('misses the cache after the schema version changes', async () => {
    const cache = new NlqCacheRepository(env.DB, 'd1');
    const { results } = await env.DB.prepare('SELECT key, user_id FROM nlq_cache LIMIT 1').all<{ key: string; user_id: string }>();
    const entry = results[0]!;
    expect(await cache.get(entry.key, entry.user_id, nlqSchemaVersion, new Date())).not.toBeNull();
    expect(await cache.get(entry.key, entry.user_id, `${nlqSchemaVersion}-next`, new Date())).toBeNull();
    expect(await cache.get(entry.key, 'someone-else', nlqSchemaVersion, new Date())).toBeNull();
  });

  it('asks for confirmation above NLQ_CONFIRM_USD and runs only when confirmed', async () => {
    const send = (json: object) =>
      callWithVars({ NLQ_CONFIRM_USD: '0' } as never, 'POST', '/api/query', {
        token: tokens.analyst,
        body: JSON.stringify(json),
        headers: { 'content-type': 'application/json' },
      });
    const sql = `SELECT count(*) AS n FROM events WHERE event_time >= '${daysAgo(30)}'`;
    const unconfirmed = (await (await send({ question: 'count everything', sql })).json()) as QueryBody;
    expect(unconfirmed).toMatchObject({ needsConfirmation: true, rows: [], columns: [] });
    expect(unconfirmed.estimate.usd).toBeGreaterThan(0);
    expect(unconfirmed.estimate.rows).toBe(recentEvents.length + oldEvents.length);
    const confirmed = (await (await send({ question: 'count everything', sql, confirm: true })).json()) as QueryBody;
    expect(confirmed).toMatchObject({ needsConfirmation: false, rows: [[recentEvents.length + oldEvents.length]] });
  });

  it('refuses invalid SQL with the reason, and an engine error as invalid_sql', async () => {
    const refused = await ask(tokens.analyst, { question: 'x', sql: 'SELECT * FROM api_tokens' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 'invalid_sql' }, reason: 'table_not_allowed' });
    const failed = await ask(tokens.analyst, { question: 'x', sql: "SELECT json_extract(actor, '$.a') FROM events" });
    expect(failed.status).toBe(400);
    expect(failed.body.error?.message).toMatch(/^The query failed on the database: .*malformed JSON/i);
  });

  it('validates the body', async () => {
    expect((await ask(tokens.analyst, { question: '' })).status).toBe(400);
    expect((await ask(tokens.analyst, { question: 'x', confirm: 'yes' })).status).toBe(400);
  });
});

describe('conversations', () => {
  it('lists only the caller\'s conversations, newest first', async () => {
    const mine = await ask(tokens.responder, { question: 'failed logins by user in the last 24 hours' });
    const { status, body } = await callJson<{ conversations: { id: string; turns: number; title: string }[] }>('GET', '/api/query/conversations', { token: tokens.responder });
    expect(status).toBe(200);
    expect(body.conversations.map((c) => c.id)).toEqual([mine.body.conversationId]);
    expect(body.conversations[0]).toMatchObject({ turns: 1, title: 'failed logins by user in the last 24 hours' });
  });

  it("answers 404 for another user's conversation, on read and on follow-up", async () => {
    const alices = await ask(tokens.analyst, { question: 'failed logins by user in the last 24 hours' });
    const id = alices.body.conversationId;
    expect((await callJson('GET', `/api/query/conversations/${id}`, { token: tokens.analyst })).status).toBe(200);
    const read = await callJson<{ error: { code: string } }>('GET', `/api/query/conversations/${id}`, { token: tokens.viewer });
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe('not_found');
    const follow = await ask(tokens.viewer, { question: 'only bob@acme.test', conversationId: id });
    expect(follow.status).toBe(404);
    expect((await callJson('GET', '/api/query/conversations/conv_nope', { token: tokens.analyst })).status).toBe(404);
  });

  it('keeps each turn with its SQL, assumptions and estimate', async () => {
    const first = await ask(tokens.admin, { question: 'failed logins by user in the last 24 hours' });
    await ask(tokens.admin, { question: 'only bob@acme.test', conversationId: first.body.conversationId });
    const { body } = await callJson<{ conversation: { turns: { seq: number; question: string; sql: string; status: string; rowCount: number; estimate: { usd: number } }[] } }>(
      'GET',
      `/api/query/conversations/${first.body.conversationId}`,
      { token: tokens.admin },
    );
    expect(body.conversation.turns.map((t) => [t.seq, t.question, t.status, t.rowCount])).toEqual([
      [1, 'failed logins by user in the last 24 hours', 'answered', 2],
      [2, 'only bob@acme.test', 'answered', 1],
    ]);
    expect(body.conversation.turns[1]!.sql).toContain("'bob@acme.test'");
  });
});

describe('security path', () => {
  it.each([
    ['POST', '/api/query'],
    ['GET', '/api/query/conversations'],
    ['GET', '/api/query/conversations/conv_x'],
  ])('%s %s: 401 without a token, 403 for the ingest role', async (method, path) => {
    const json = method === 'POST' ? { question: 'failed logins' } : undefined;
    expect((await call(method, path, { json })).status).toBe(401);
    const forbidden = await callJson<{ error: { code: string } }>(method, path, { token: tokens.ingest, json });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('forbidden');
  });
});

/** A test translator standing in for an LLM provider: answers from a script and records the repair requests. */
class ScriptedLlm implements Translator {
  readonly id = 'scripted-llm';
  readonly repairs: (TranslateInput['repair'] | undefined)[] = [];
  constructor(private readonly script: Translation[]) {}
  async translate(input: TranslateInput): Promise<Translation> {
    this.repairs.push(input.repair);
    return this.script[Math.min(this.repairs.length - 1, this.script.length - 1)]!;
  }
}

const llmSql = (sql: string): Translation => ({ ok: true, sql, explanation: 'scripted', assumptions: [], timeRange: null, engine: 'scripted-llm' });

describe('pipeline on the D1 ports with an LLM translator', () => {
  const request = (userId: string) => ({ question: 'failed logins by user in the last 24 hours', history: [], userId, now: new Date(), confirm: false });

  it('repairs an execution error from D1 and answers with the corrected SQL', async () => {
    const llm = new ScriptedLlm([llmSql("SELECT json_extract(actor, '$.a') AS x FROM events"), llmSql("SELECT actor FROM events WHERE outcome = 'success'")]);
    const outcome = await answerQuestion(request('pipeline-1'), { ...d1PipelinePorts(env, new Date()), primary: llm }, nlqOptions(env));
    expect(outcome.kind).toBe('answered');
    expect(outcome.kind === 'answered' && outcome.answer.rows).toEqual([['alice@acme.test']]);
    expect(llm.repairs[1]?.error).toMatch(/^The database refused the query: .*malformed JSON/i);
  });

  it('falls back to the offline engine when the provider fails', async () => {
    const down: Translator = { id: 'scripted-llm', translate: async () => ({ ok: false, message: 'HTTP 503', suggestions: [], engine: 'scripted-llm', providerFailure: true }) };
    const outcome = await answerQuestion(request('pipeline-2'), { ...d1PipelinePorts(env, new Date()), primary: down }, nlqOptions(env));
    expect(outcome.kind).toBe('answered');
    if (outcome.kind !== 'answered') return;
    expect(outcome.answer).toMatchObject({ engine: 'offline', fallbackFrom: 'scripted-llm', rows: [['alice@acme.test', 3], ['bob@acme.test', 1]] });
    expect(outcome.answer.assumptions[0]).toBe('The scripted-llm provider failed (HTTP 503); the offline engine answered instead.');
  });
});

describe('hostile SQL never runs', () => {
  async function snapshot() {
    const [schema, counts] = await env.DB.batch<Record<string, unknown>>([
      env.DB.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE '_cf_%' ORDER BY type, name"),
      env.DB.prepare(
        'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM api_tokens) AS tokens, (SELECT count(*) FROM alerts) AS alerts, (SELECT group_concat(role) FROM api_tokens) AS roles',
      ),
    ]);
    return { schema: schema!.results, counts: counts!.results };
  }

  let before: Awaited<ReturnType<typeof snapshot>>;
  it('takes a snapshot of the schema and row counts first', async () => {
    before = await snapshot();
    expect(before.schema.length).toBeGreaterThan(10);
  });

  it.each(hostileQueries.map((h, i) => [i + 1, h.reason, h.sql] as const))(
    'hostile input %i (%s) is refused by /api/sql and /api/query',
    async (_n, _reason, sql) => {
      const viaSql = await callJson<{ error?: { code: string } }>('POST', '/api/sql', { token: tokens.admin, json: { sql } });
      const viaQuery = await callJson<{ error?: { code: string } }>('POST', '/api/query', { token: tokens.admin, json: { question: 'hostile', sql } });
      // invalid_request: the 20,001-character input is over the body schema's limit before the validator sees it.
      expect([viaSql.status, viaQuery.status]).toEqual([400, 400]);
      expect(['invalid_sql', 'invalid_request']).toContain(viaSql.body.error?.code);
      expect(['invalid_sql', 'invalid_request']).toContain(viaQuery.body.error?.code);
    },
  );

  it('leaves the schema, the tokens and every row count unchanged', async () => {
    expect(await snapshot()).toEqual(before);
  });
});
