/**
 * The entity-values snapshot inside workerd (adapters/d1/nlq-entity-values.ts, migration 0009): the cron computes
 * the values questions resolve names against into one row; requests read that row, and compute it themselves only
 * when there is none or it is too old.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  entitySnapshotMaxAgeMs,
  entitySnapshotRefreshMs,
  entityValuesFor,
  lookupActors,
  refreshEntityValues,
  storedEntityValues,
} from '../adapters/d1/nlq-entity-values';
import type { Role } from '../core/auth/roles';
import { call, callJson, tokensByRole } from './helpers';

let tokens: Record<Role, string>;
const now = new Date();
const at = (ms: number) => new Date(now.getTime() + ms);

async function ingest(user: string, id: string) {
  const event = { id, timestamp: new Date(now.getTime() - 60_000).toISOString(), user, action: 'login', outcome: 'success', ip: '203.0.113.9' };
  const res = await call('POST', '/ingest/json', { token: tokens.ingest, body: JSON.stringify(event), headers: { 'content-type': 'application/x-ndjson' } });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  tokens = await tokensByRole();
  await ingest('first.user@acme.test', 'ev-1');
  for (const [user, id] of [
    ['lucas.howard@acme.test', 'ev-3'],
    ['paisley.brown@acme.test', 'ev-4'],
    ['paisley.green@acme.test', 'ev-5'],
    ['EngineerAccess/lars.lopez', 'ev-6'],
    ['Role/axb.c', 'ev-7'], // would match the candidate a_b.c if "_" stayed a LIKE wildcard
  ] as const) {
    await ingest(user, id);
  }
});

beforeEach(async () => {
  await env.DB.prepare('DELETE FROM nlq_entity_values').run();
});

describe('the NLQ entity-values snapshot', () => {
  it('is computed by the cron and stored in one row', async () => {
    expect(await storedEntityValues(env.DB)).toBeNull();
    expect(await refreshEntityValues(env.DB, now)).toBe(true);
    const stored = await storedEntityValues(env.DB);
    expect(stored!.computedAt).toBe(now.toISOString());
    expect(stored!.values.users).toContain('first.user@acme.test');
    expect(stored!.values.sources).toContain('json');
  });

  it('is recomputed by the cron only once the refresh interval has passed', async () => {
    await refreshEntityValues(env.DB, now);
    expect(await refreshEntityValues(env.DB, at(entitySnapshotRefreshMs - 1000))).toBe(false);
    expect(await refreshEntityValues(env.DB, at(entitySnapshotRefreshMs + 1000))).toBe(true);
  });

  it('serves requests from the snapshot: a name first seen after it resolves at the next refresh', async () => {
    await refreshEntityValues(env.DB, now);
    await ingest('late.user@acme.test', 'ev-2');
    expect((await entityValuesFor(env.DB, at(60_000))).users).not.toContain('late.user@acme.test');
    await refreshEntityValues(env.DB, at(entitySnapshotRefreshMs + 1000));
    expect((await entityValuesFor(env.DB, at(entitySnapshotRefreshMs + 2000))).users).toContain('late.user@acme.test');
  });

  it('is computed and stored by a request when there is none, or when the cron has not refreshed it for too long', async () => {
    const values = await entityValuesFor(env.DB, now);
    expect(values.users).toContain('first.user@acme.test');
    expect((await storedEntityValues(env.DB))!.computedAt).toBe(now.toISOString());
    const later = at(entitySnapshotMaxAgeMs + 1000);
    await entityValuesFor(env.DB, later);
    expect((await storedEntityValues(env.DB))!.computedAt).toBe(later.toISOString());
  });

  it('recomputes a snapshot row that does not parse instead of failing the question', async () => {
    await env.DB.prepare("INSERT INTO nlq_entity_values (id, snapshot, computed_at) VALUES (1, '{not json', ?1)").bind(now.toISOString()).run();
    expect((await entityValuesFor(env.DB, now)).users).toContain('first.user@acme.test');
    expect(await storedEntityValues(env.DB)).not.toBeNull();
  });
});

describe('looking up users the snapshot does not list', () => {
  it('finds an account by its email, a first name by its accounts, and a role session by its suffix', async () => {
    expect(await lookupActors(env.DB, [{ value: 'lucas.howard', kind: 'account' }], now)).toEqual(['lucas.howard@acme.test']);
    expect((await lookupActors(env.DB, [{ value: 'paisley', kind: 'first_name' }], now)).sort()).toEqual(['paisley.brown@acme.test', 'paisley.green@acme.test']);
    expect(await lookupActors(env.DB, [{ value: 'lars.lopez', kind: 'account' }], now)).toEqual(['EngineerAccess/lars.lopez']);
  });

  it('treats LIKE wildcards in a candidate as characters', async () => {
    expect(await lookupActors(env.DB, [{ value: 'a_b.c', kind: 'account' }], now)).toEqual([]);
  });

  it('lets /api/query answer about a user the snapshot does not list', async () => {
    await env.DB.prepare("INSERT INTO nlq_entity_values (id, snapshot, computed_at) VALUES (1, ?1, ?2)")
      .bind(JSON.stringify({ users: ['first.user@acme.test'], countries: [], sources: ['json'], actions: ['login'], ips: [] }), new Date().toISOString())
      .run();
    const { status, body } = await callJson<{ rows: unknown[][]; sql: string }>('POST', '/api/query', {
      token: tokens.analyst,
      json: { question: 'how many logins by lucas.howard today' },
    });
    expect(status).toBe(200);
    expect(body.sql).toContain("'lucas.howard@acme.test'");
    expect(body.rows).toEqual([[1]]);
  });
});
