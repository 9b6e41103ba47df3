/**
 * Differential test: for every condition of the predicate catalog (and its negation), the D1 SQL run on
 * node:sqlite (the engine D1 is), confirmed by the matcher when `needsConfirmation`, selects exactly the events
 * the streaming matcher selects; and unconfirmed SQL is a superset whenever it claims to need confirmation.
 * The events are generated from pools of tricky values: case, wildcard characters as literal text, escapes,
 * non-ASCII, Kelvin sign and dotted I, numbers as text, JSON null vs absent, arrays, IPv4/IPv6 edges.
 */
import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { Expr } from '../ir';
import { compileMatcher, type MatchableEvent } from '../match/compile-matcher';
import { not, sigmaRule } from '../pipeline/ir-builders';
import { resolveRule } from '../pipeline/resolve-rule';
import { compileRuleSql } from './compile-sql';
import { catalogMapping, predicateCatalog } from './predicate-catalog';

function eventsDatabase(): DatabaseSync {
  const migration = readFileSync(new URL('../../../migrations/0001_init.sql', import.meta.url), 'utf8');
  const createEvents = /CREATE TABLE events \([\s\S]*?\n\);/.exec(migration)![0];
  const db = new DatabaseSync(':memory:');
  db.exec(createEvents);
  return db;
}

// A small deterministic PRNG: the same events on every run.
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ABSENT = Symbol('absent');
type Pool = readonly unknown[];

const pools: Record<string, Pool> = {
  actor: ['alice@example.com', 'Alice@Example.com', 'ALICE@EXAMPLE.COM', 'alice@example.com ', 'aXice@x.com', 'al%ce@x.com', 'a_ice@y.com', 'bob', 'Bob', 'kilo', 'KILO', '\u212Ailo', '\u0130lice', 'İlice@x.COM', '', null, '7', ' 7', '07', 'alice', 'Alice@Example.co'],
  src_ip: ['10.0.0.1', '10.255.255.255', '11.0.0.0', '9.255.255.255', '010.0.0.1', '10.0.0', '10.0.0.1.5', '10.0.0.256', '192.168.0.0', '192.168.1.255', '192.168.2.0', '2001:db8::1', '2001:DB8:0:0:0:0:0:1', '2001:db9::1', '::ffff:10.0.0.1', '::', 'abc', '', null, '0.0.0.0', '255.255.255.255'],
  src_asn: [13335, 13336, null, 0],
  src_lat: [10.5, 10.75, -3.25, null, 11],
  event_time_inferred: [0, 1],
  message: ['Login failed', 'login FAILED', 'FAILURE', 'login failure', 'x', 'x\ny', 'y\nx', '100%_done', '100x_done', '100%xdone', 'a!b\\c[d]*', 'a!b\\c[d]x', 'mimikatz found', 'MIMIKATZ', 'ÉTÉ chaud', 'été chaud', 'Été chaud', 'an Err here', 'an err here', "it's", 'its', null, 'bob said hi', 'Alice@Example.com wrote'],
  code: [4625, '4625', ' 4625 ', '04625', '4625.0', 4625.5, '4.625e3', 'abc', true, null, ABSENT, [4625]],
  size: [100, 99.5, '100', '1e2', 'x', ABSENT, null, [100], {}, 101, -5, '-0.5'],
  flag: [true, false, 'true', 'TRUE', 'yes', 1, null, ABSENT, 'False'],
  optional: [ABSENT, null, 'x', 0, {}, [], false],
  owner: ['alice@example.com', 'ALICE', 'Alice@Example.com', 'alice@example', 'example.com', '', null, ABSENT, 'Err', 'bob', 'été', 'ÉTÉ'],
  target: [
    ABSENT,
    [],
    [{ alternateId: 'bob@x.com', detail: { tags: ['admin', 'x'] } }, { alternateId: 'BOB@X.COM' }],
    [{}],
    'notarray',
    { alternateId: 'bob@x.com' },
    [null],
    [{ alternateId: null }],
    [{ detail: { tags: [] } }],
    [{ alternateId: 'carol@x.com' }, { alternateId: 'Bob@x.com', detail: { tags: 'admin' } }],
  ],
  tags: [['a', 'b'], [], 'b', ABSENT, [null], ['B']],
  weird: ['v', 'V', ABSENT, 'w'],
  k8s: ['pod-1', 'POD-1', ABSENT, 'pod-2'],
  altActor: ['bob', 'BOB', ABSENT, 'alice'],
  ctor: [ABSENT, ABSENT, 'x'],
  when: ['2026-01-05T14:30:00Z', '2026-01-05 14:59', '2026-01-05T16:30:00+02:00', '2026-01-04T23:30:00-15:00', '2026-01-05t14:30:00Z', '2023-02-31T14:00:00', '14:30', '24:00', 2461046.1, '2461046.1', 1767623400, 'x', '', null, ABSENT, [14]],
};

interface Generated {
  readonly uid: string;
  readonly columns: Record<string, unknown>;
  readonly raw: Record<string, unknown>;
}

function generateEvents(count: number): Generated[] {
  const rnd = prng(20261127);
  const pick = (pool: Pool) => pool[Math.floor(rnd() * pool.length)];
  const events: Generated[] = [];
  for (let i = 0; i < count; i++) {
    const detail: Record<string, unknown> = {};
    const put = (obj: Record<string, unknown>, key: string, value: unknown) => {
      if (value !== ABSENT) obj[key] = value;
    };
    put(detail, 'code', pick(pools.code!));
    put(detail, 'size', pick(pools.size!));
    put(detail, 'flag', pick(pools.flag!));
    put(detail, 'optional', pick(pools.optional!));
    put(detail, 'owner', pick(pools.owner!));
    put(detail, 'weird key', pick(pools.weird!));
    put(detail, 'constructor', pick(pools.ctor!));
    put(detail, 'when', pick(pools.when!));
    const raw: Record<string, unknown> = { detail };
    put(raw, 'target', pick(pools.target!));
    put(raw, 'tags', pick(pools.tags!));
    put(raw, 'k8s.io/name', pick(pools.k8s!));
    const alt = pick(pools.altActor!);
    if (alt !== ABSENT) raw.alt = { actor: alt };
    const columns: Record<string, unknown> = {
      event_uid: `b:${i}`,
      event_id: `e${i}`,
      source: i % 17 === 0 ? 'cloudtrail' : 'okta',
      event_time: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      event_time_inferred: pick(pools.event_time_inferred!),
      ingest_time: '2026-01-01T00:00:00.000Z',
      action: 'test',
      outcome: 'success',
      actor: pick(pools.actor!),
      src_ip: pick(pools.src_ip!),
      src_asn: pick(pools.src_asn!),
      src_lat: pick(pools.src_lat!),
      message: pick(pools.message!),
      raw: JSON.stringify(raw),
      batch_id: 'b',
    };
    events.push({ uid: `b:${i}`, columns, raw });
  }
  return events;
}

const events = generateEvents(600);
const db = eventsDatabase();
{
  const names = Object.keys(events[0]!.columns);
  const insert = db.prepare(`INSERT INTO events (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
  for (const e of events) insert.run(...names.map((n) => e.columns[n] as string | number | null));
}
const storedRows = db.prepare('SELECT * FROM events').all() as Record<string, unknown>[];
const matchable = new Map<string, MatchableEvent>(storedRows.map((row) => [row.event_uid as string, { columns: row, raw: JSON.parse(row.raw as string) }]));

function compare(condition: Expr) {
  const resolved = resolveRule(sigmaRule(condition, { logsource: catalogMapping.logsource }), [catalogMapping], { strict: false });
  if (!resolved.ok) throw new Error(JSON.stringify(resolved.errors));
  const compiled = compileRuleSql(resolved.value, 'd1');
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  const q = compiled.value;
  const rows = db.prepare(q.sql).all(...(q.params as (string | number | null)[])) as Record<string, unknown>[];
  const matcher = compileMatcher(resolved.value);
  const sqlUids = rows.map((r) => r.event_uid as string).sort();
  const confirmed = (q.needsConfirmation ? sqlUids.filter((uid) => matcher(matchable.get(uid)!)) : sqlUids).sort();
  const expected = [...matchable].filter(([, e]) => e.columns.source === 'okta' && matcher(e)).map(([uid]) => uid).sort();
  return { q, sqlUids, confirmed, expected };
}

describe('D1 SQL and the streaming matcher select the same events', () => {
  const cases = predicateCatalog.flatMap((c) => [
    [c.name, c.condition] as const,
    [`NOT (${c.name})`, not(c.condition)] as const,
  ]);
  it.each(cases)('%s', (_name, condition) => {
    const { q, sqlUids, confirmed, expected } = compare(condition);
    expect(confirmed).toEqual(expected);
    if (q.needsConfirmation) expect(sqlUids).toEqual(expect.arrayContaining(expected));
    else expect(sqlUids).toEqual(expected);
  });

  it('exercises both outcomes of every catalog condition on the generated events', () => {
    for (const c of predicateCatalog) {
      const { expected } = compare(c.condition);
      const okta = storedRows.filter((r) => r.source === 'okta').length;
      expect([c.name, expected.length > 0 && expected.length < okta]).toEqual([c.name, true]);
    }
  });
});
