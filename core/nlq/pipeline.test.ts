import { describe, expect, it } from 'vitest';
import { sqliteSqlSupport } from '../sql/sqlite-sql-support';
import type { AnswerCache, CachedAnswer } from './cache';
import { estimateQueryCost, sumPartitions, type PartitionStat } from './cost';
import { answerQuestion, defaultPipelineOptions, type PipelineOptions, type PipelinePorts, type QueryRows } from './pipeline';
import type { TranslateInput, Translation, Translator } from './translator';

const now = new Date('2026-11-27T12:00:30.000Z');
const options: PipelineOptions = { ...defaultPipelineOptions, dialect: 'd1', schemaVersion: 'test-1' };
const stats: PartitionStat[] = [{ source: 'okta', hour: '2026-11-27T11:00:00.000Z', rows: 4000, bytes: 4_000_000 }];

/** A translator that answers from a script, one entry per call, and records what it was asked. */
class ScriptedTranslator implements Translator {
  readonly calls: TranslateInput[] = [];
  constructor(
    readonly id: string,
    private readonly script: (Translation | Error)[],
  ) {}
  async translate(input: TranslateInput): Promise<Translation> {
    this.calls.push(input);
    const next = this.script[Math.min(this.calls.length - 1, this.script.length - 1)]!;
    if (next instanceof Error) throw next;
    return next;
  }
}

const ok = (sql: string, engine: string, extra: Partial<Extract<Translation, { ok: true }>> = {}): Translation => ({
  ok: true,
  sql,
  explanation: `explains ${sql}`,
  assumptions: [],
  timeRange: null,
  engine,
  ...extra,
});

class MemoryCache implements AnswerCache {
  readonly entries = new Map<string, { userId: string; schemaVersion: string; answer: CachedAnswer; expiresAt: Date }>();
  async get(key: string, userId: string, schemaVersion: string, at: Date) {
    const e = this.entries.get(key);
    return e && e.userId === userId && e.schemaVersion === schemaVersion && e.expiresAt > at ? e.answer : null;
  }
  async put(key: string, entry: { userId: string; schemaVersion: string; answer: CachedAnswer; now: Date; expiresAt: Date }) {
    this.entries.set(key, entry);
  }
}

function ports(overrides: Partial<PipelinePorts> & { runs?: string[]; runResult?: (sql: string) => QueryRows }): PipelinePorts {
  const runs = overrides.runs ?? [];
  return {
    primary: null,
    offline: new ScriptedTranslator('offline', [ok("SELECT count(*) AS n FROM events WHERE outcome = 'failure'", 'offline')]),
    sql: sqliteSqlSupport(),
    entityValues: async () => ({ users: ['alice'], countries: ['US'], sources: ['okta'], actions: ['user.session.start'] }),
    estimate: async (scope) => estimateQueryCost('d1', scope, sumPartitions(stats, scope)),
    run: async (sql) => {
      runs.push(sql);
      return overrides.runResult ? overrides.runResult(sql) : { columns: ['n'], rows: [[3]], truncated: false };
    },
    cache: null,
    ...overrides,
  };
}

const ask = (question: string, extra: Partial<Parameters<typeof answerQuestion>[0]> = {}) => ({
  question,
  history: [],
  userId: 'tok_alice',
  now,
  confirm: false,
  ...extra,
});

describe('answerQuestion', () => {
  it('answers with the offline engine, adding the default window, a LIMIT and an estimate', async () => {
    const runs: string[] = [];
    const outcome = await answerQuestion(ask('how many failed logins?'), ports({ runs }), options);
    expect(outcome.kind).toBe('answered');
    if (outcome.kind !== 'answered') return;
    const { answer } = outcome;
    expect(answer.sql).toBe(
      `SELECT COUNT(*) AS "n" FROM (SELECT * FROM "events" WHERE "event_time" >= '2026-11-26T12:01:00.000Z' AND "event_time" < '2026-11-27T12:01:00.000Z') AS "events" WHERE "outcome" = 'failure' LIMIT 1000`,
    );
    expect(runs).toEqual([answer.sql]);
    expect(answer.assumptions).toEqual(['No time range was given: searched the last 24 hours (2026-11-26 12:01 to 2026-11-27 12:01 UTC).']);
    expect(answer).toMatchObject({ engine: 'offline', cached: false, rows: [[3]], columns: ['n'], fallbackFrom: null, params: [] });
    expect(answer.estimate).toMatchObject({ rows: 4000, bytes: 4_000_000, dialect: 'd1' });
    expect(answer.timeRange).toEqual({ from: '2026-11-26T12:01:00.000Z', to: '2026-11-27T12:01:00.000Z' });
  });

  it('passes "now" (the end of its minute), the dialect, history and entity values to the translator', async () => {
    const offline = new ScriptedTranslator('offline', [ok('SELECT 1', 'offline')]);
    const history = [{ question: 'failed logins', sql: 'SELECT 1', timeRange: null }];
    await answerQuestion(ask('only admins', { history }), ports({ offline }), options);
    expect(offline.calls[0]).toMatchObject({ question: 'only admins', history, dialect: 'd1', now: new Date('2026-11-27T12:01:00.000Z') });
    expect(offline.calls[0]!.values.users).toEqual(['alice']);
  });

  it("keeps the translator's time range and says so when its SQL lacked the bound", async () => {
    const range = { from: '2026-11-20T00:00:00.000Z', to: '2026-11-27T00:00:00.000Z' };
    const offline = new ScriptedTranslator('offline', [ok('SELECT actor FROM events', 'offline', { timeRange: range })]);
    const outcome = await answerQuestion(ask('who logged in last week'), ports({ offline }), options);
    expect(outcome.kind === 'answered' && outcome.answer.assumptions[0]).toBe(
      'The SQL had no time bound; it was limited to the requested range 2026-11-20 00:00 to 2026-11-27 00:00 UTC.',
    );
    expect(outcome.kind === 'answered' && outcome.answer.timeRange).toEqual(range);
  });

  it('leaves a bounded query alone and keeps its own LIMIT', async () => {
    const sql = "SELECT actor FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' LIMIT 5";
    const offline = new ScriptedTranslator('offline', [ok(sql, 'offline')]);
    const outcome = await answerQuestion(ask('x'), ports({ offline }), options);
    expect(outcome.kind === 'answered' && outcome.answer.sql).toBe(`SELECT "actor" FROM "events" WHERE "event_time" >= '2026-11-27T00:00:00.000Z' LIMIT 5`);
    expect(outcome.kind === 'answered' && outcome.answer.assumptions).toEqual([]);
  });

  it('returns the offline engine\'s refusal with its suggestions', async () => {
    const offline = new ScriptedTranslator('offline', [{ ok: false, message: 'I do not know "frobnicate".', suggestions: ['failed logins today'], engine: 'offline' }]);
    const outcome = await answerQuestion(ask('frobnicate'), ports({ offline }), options);
    expect(outcome).toEqual({ kind: 'not_understood', message: 'I do not know "frobnicate".', suggestions: ['failed logins today'], engine: 'offline' });
  });

  it('never repairs the offline engine: invalid SQL is refused at once', async () => {
    const offline = new ScriptedTranslator('offline', [ok('SELECT * FROM sqlite_master', 'offline')]);
    const runs: string[] = [];
    const outcome = await answerQuestion(ask('x'), ports({ offline, runs }), options);
    expect(outcome).toMatchObject({ kind: 'refused', reason: 'table_not_allowed', engine: 'offline' });
    expect(offline.calls).toHaveLength(1);
    expect(runs).toEqual([]);
  });
});

describe('LLM engines', () => {
  it('repair validation errors up to twice, feeding back the SQL and the error', async () => {
    const llm = new ScriptedTranslator('anthropic', [
      ok('SELECT * FROM api_tokens', 'anthropic'),
      ok('SELECT actr FROM events', 'anthropic'),
      ok('SELECT actor FROM events', 'anthropic'),
    ]);
    const outcome = await answerQuestion(ask('who?'), ports({ primary: llm }), options);
    expect(outcome.kind).toBe('answered');
    expect(llm.calls.map((c) => c.repair?.sql ?? null)).toEqual([null, 'SELECT * FROM api_tokens', 'SELECT actr FROM events']);
    expect(llm.calls[1]!.repair!.error).toContain('Table "api_tokens" is not queryable');
    expect(llm.calls[2]!.repair!.error).toContain('Unknown column "actr"');
  });

  it('give up after two repairs and never run the refused SQL', async () => {
    const llm = new ScriptedTranslator('openai', [ok('DROP TABLE events', 'openai')]);
    const runs: string[] = [];
    const outcome = await answerQuestion(ask('drop it'), ports({ primary: llm, runs }), options);
    expect(outcome).toMatchObject({ kind: 'refused', reason: 'not_select', engine: 'openai' });
    expect(llm.calls).toHaveLength(3);
    expect(runs).toEqual([]);
  });

  it('repair execution errors too', async () => {
    const llm = new ScriptedTranslator('openai', [ok("SELECT json_extract(raw, '$.a') FROM events", 'openai'), ok('SELECT actor FROM events', 'openai')]);
    let attempt = 0;
    const outcome = await answerQuestion(
      ask('x'),
      ports({
        primary: llm,
        runResult: () => {
          if (attempt++ === 0) throw new Error('malformed JSON');
          return { columns: ['actor'], rows: [['alice']], truncated: false };
        },
      }),
      options,
    );
    expect(outcome.kind === 'answered' && outcome.answer.rows).toEqual([['alice']]);
    expect(llm.calls[1]!.repair!.error).toBe('The database refused the query: malformed JSON');
  });

  it('fall back to the offline engine on a provider failure, and say so', async () => {
    const llm = new ScriptedTranslator('anthropic', [{ ok: false, message: 'HTTP 529 overloaded', suggestions: [], engine: 'anthropic', providerFailure: true }]);
    const outcome = await answerQuestion(ask('failed logins'), ports({ primary: llm }), options);
    expect(outcome.kind).toBe('answered');
    if (outcome.kind !== 'answered') return;
    expect(outcome.answer.engine).toBe('offline');
    expect(outcome.answer.fallbackFrom).toBe('anthropic');
    expect(outcome.answer.assumptions[0]).toBe('The anthropic provider failed (HTTP 529 overloaded); the offline engine answered instead.');
  });

  it('treat a thrown error as a provider failure', async () => {
    const llm = new ScriptedTranslator('openai', [new Error('fetch failed')]);
    const outcome = await answerQuestion(ask('failed logins'), ports({ primary: llm }), options);
    expect(outcome.kind === 'answered' && outcome.answer.fallbackFrom).toBe('openai');
  });

  it('do not fall back when the provider understood but refused the question', async () => {
    const llm = new ScriptedTranslator('openai', [{ ok: false, message: 'Not a question about logs.', suggestions: [], engine: 'openai' }]);
    const offline = new ScriptedTranslator('offline', [ok('SELECT 1', 'offline')]);
    const outcome = await answerQuestion(ask('write a poem'), ports({ primary: llm, offline }), options);
    expect(outcome.kind).toBe('not_understood');
    expect(offline.calls).toHaveLength(0);
  });
});

describe('cost confirmation', () => {
  const pricey = { ...options, confirmAboveUsd: 0 };

  it('returns needs_confirmation without running when the estimate is over the limit', async () => {
    const runs: string[] = [];
    const outcome = await answerQuestion(ask('x'), ports({ runs }), pricey);
    expect(outcome.kind).toBe('needs_confirmation');
    expect(runs).toEqual([]);
    if (outcome.kind === 'needs_confirmation') {
      expect(outcome.answer).toMatchObject({ needsConfirmation: true, rows: [], columns: [] });
      expect(outcome.answer.estimate.usd).toBeGreaterThan(0);
      expect(outcome.answer.assumptions.at(-1)).toContain('confirm: true');
    }
  });

  it('runs it when confirmed', async () => {
    const runs: string[] = [];
    const outcome = await answerQuestion(ask('x', { confirm: true }), ports({ runs }), pricey);
    expect(outcome.kind).toBe('answered');
    expect(runs).toHaveLength(1);
  });
});

describe('edited SQL', () => {
  it('runs the analyst\'s SQL through the same validation and bounds, without translating', async () => {
    const offline = new ScriptedTranslator('offline', [ok('SELECT 1', 'offline')]);
    const outcome = await answerQuestion(ask('failed logins', { sql: "SELECT actor FROM events WHERE source = 'okta'" }), ports({ offline }), options);
    expect(offline.calls).toHaveLength(0);
    expect(outcome.kind === 'answered' && outcome.answer.engine).toBe('sql');
    expect(outcome.kind === 'answered' && outcome.answer.sql).toContain(`"event_time" >= '2026-11-26T12:01:00.000Z'`);
  });

  it('refuses edited SQL that the validator refuses, without repair', async () => {
    const outcome = await answerQuestion(ask('x', { sql: 'SELECT 1; DROP TABLE events' }), ports({}), options);
    expect(outcome).toMatchObject({ kind: 'refused', reason: 'multiple_statements', engine: 'sql' });
  });
});

describe('cache', () => {
  it('answers a repeated question from the cache, per user', async () => {
    const cache = new MemoryCache();
    const runs: string[] = [];
    const first = await answerQuestion(ask('failed logins'), ports({ cache, runs }), options);
    const second = await answerQuestion(ask('Failed logins?', { now: new Date('2026-11-27T12:00:59.000Z') }), ports({ cache, runs }), options);
    expect(first.kind === 'answered' && first.answer.cached).toBe(false);
    expect(second.kind === 'answered' && second.answer.cached).toBe(true);
    expect(second.kind === 'answered' && second.answer.rows).toEqual([[3]]);
    expect(runs).toHaveLength(1);
    const bob = await answerQuestion(ask('failed logins', { userId: 'tok_bob' }), ports({ cache, runs }), options);
    expect(bob.kind === 'answered' && bob.answer.cached).toBe(false);
    expect(runs).toHaveLength(2);
  });

  it('misses after the schema version changes and after the TTL', async () => {
    const cache = new MemoryCache();
    const runs: string[] = [];
    await answerQuestion(ask('failed logins'), ports({ cache, runs }), options);
    await answerQuestion(ask('failed logins'), ports({ cache, runs }), { ...options, schemaVersion: 'test-2' });
    expect(runs).toHaveLength(2);
    const short = { ...options, cacheTtlSeconds: 0 };
    const fresh = new MemoryCache();
    await answerQuestion(ask('failed logins'), ports({ cache: fresh, runs }), short);
    await answerQuestion(ask('failed logins'), ports({ cache: fresh, runs }), short);
    expect(runs).toHaveLength(4);
  });

  it('keeps "last 7 days" and "last 30 days" apart', async () => {
    const cache = new MemoryCache();
    const runs: string[] = [];
    const translator = (days: number) =>
      new ScriptedTranslator('offline', [
        ok(`SELECT count(*) FROM events WHERE event_time >= '${new Date(now.getTime() - days * 86_400_000).toISOString()}'`, 'offline'),
      ]);
    await answerQuestion(ask('failed logins in the last 7 days'), ports({ cache, runs, offline: translator(7) }), options);
    await answerQuestion(ask('failed logins in the last 30 days'), ports({ cache, runs, offline: translator(30) }), options);
    expect(runs).toHaveLength(2);
    expect(cache.entries.size).toBe(2);
  });
});

describe('users the entity values do not list', () => {
  const request = { question: 'failed logins of lucas.howard', history: [], userId: 'u1', now, confirm: false };

  it('are looked up for the question and passed to the translator with the listed values', async () => {
    const offline = new ScriptedTranslator('offline', [ok("SELECT count(*) AS n FROM events WHERE actor = 'lucas.howard@acme.test'", 'offline')]);
    const asked: string[][] = [];
    const outcome = await answerQuestion(
      request,
      ports({
        offline,
        lookupUsers: async (candidates) => {
          asked.push(candidates.map((c) => c.value));
          return ['lucas.howard@acme.test', 'alice'];
        },
      }),
      options,
    );
    expect(outcome.kind).toBe('answered');
    expect(asked).toEqual([['lucas.howard']]);
    expect(offline.calls[0]!.values.users).toEqual(['alice', 'lucas.howard@acme.test']);
  });

  it('do not stop the question when the lookup fails', async () => {
    const offline = new ScriptedTranslator('offline', [ok('SELECT count(*) AS n FROM events', 'offline')]);
    const outcome = await answerQuestion(request, ports({ offline, lookupUsers: async () => Promise.reject(new Error('D1 down')) }), options);
    expect(outcome.kind).toBe('answered');
    expect(offline.calls[0]!.values.users).toEqual(['alice']);
  });

  it('are not looked up when the question names none', async () => {
    let called = false;
    await answerQuestion({ ...request, question: 'how many failed logins' }, ports({ lookupUsers: async () => ((called = true), []) }), options);
    expect(called).toBe(false);
  });
});
