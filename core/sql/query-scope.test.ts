import { describe, expect, it } from 'vitest';
import { analystQueryPolicy } from './query-policy';
import { addEventTimeBound, addRowLimit, analyzeQueryScope } from './query-scope';
import { validateQuery } from './validate-query';

const now = new Date('2026-11-27T12:00:00.000Z');
const day = { from: '2026-11-26T12:00:00.000Z', to: '2026-11-27T12:00:00.000Z' };

/** The scope helpers take validator output (identifiers double-quoted), as the pipeline does. */
function validated(sql: string): string {
  const result = validateQuery(sql, analystQueryPolicy());
  if (!result.ok) throw new Error(result.message);
  return result.sql;
}

describe('analyzeQueryScope', () => {
  it.each([
    ["SELECT * FROM events WHERE event_time >= '2026-11-20T00:00:00.000Z'", true, { from: '2026-11-20T00:00:00.000Z', to: now.toISOString() }],
    ["SELECT * FROM events WHERE event_time > datetime('now', '-7 days')", true, { from: '2026-11-20T12:00:00.000Z', to: now.toISOString() }],
    ["SELECT * FROM events WHERE event_time BETWEEN '2026-10-01' AND '2026-11-01'", true, { from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' }],
    ["SELECT * FROM events e WHERE '2026-11-01T00:00:00Z' <= e.event_time AND e.event_time < '2026-11-02T00:00:00Z'", true, { from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' }],
    ["SELECT * FROM events WHERE event_time < '2026-11-01'", false, null],
    ["SELECT * FROM events WHERE event_time >= '2026-11-01' OR actor = 'x'", false, null],
    ['SELECT * FROM events', false, null],
    ["SELECT * FROM events WHERE event_time >= (SELECT max(event_time) FROM events WHERE event_time > '2026-11-01')", true, null],
  ])('%s → bounded %s', (sql, bounded, range) => {
    const scope = analyzeQueryScope(validated(sql), now);
    expect(scope.timeBounded).toBe(bounded);
    expect(scope.range).toEqual(range);
  });

  it('finds the sources a query is restricted to', () => {
    expect(analyzeQueryScope(validated("SELECT * FROM events WHERE source = 'okta'"), now).sources).toEqual(['okta']);
    expect(analyzeQueryScope(validated("SELECT * FROM events WHERE source IN ('okta', 'duo') AND actor = 'a'"), now).sources).toEqual(['duo', 'okta']);
    expect(analyzeQueryScope(validated("SELECT * FROM events WHERE source = 'okta' OR source = 'duo'"), now).sources).toBeNull();
    expect(
      analyzeQueryScope(validated("SELECT actor FROM events WHERE source = 'okta' UNION SELECT actor FROM events"), now).sources,
    ).toBeNull();
  });

  it('says when a query does not read events', () => {
    expect(analyzeQueryScope(validated('SELECT * FROM alerts'), now)).toMatchObject({ readsEvents: false, timeBounded: true });
  });
});

describe('addEventTimeBound', () => {
  it('bounds every unbounded read of events and keeps aliases and joins', () => {
    const sql = validated("SELECT e.actor, a.title FROM events e LEFT JOIN alerts a ON a.title = e.actor WHERE e.outcome = 'failure'");
    const bounded = addEventTimeBound(sql, day, now);
    expect(bounded.added).toBe(true);
    expect(bounded.sql).toBe(
      `SELECT "e"."actor", "a"."title" FROM (SELECT * FROM "events" WHERE "event_time" >= '2026-11-26T12:00:00.000Z' AND "event_time" < '2026-11-27T12:00:00.000Z') AS "e" LEFT JOIN "alerts" AS "a" ON "a"."title" = "e"."actor" WHERE "e"."outcome" = 'failure'`,
    );
    expect(analyzeQueryScope(bounded.sql, now)).toMatchObject({ timeBounded: true, range: day });
  });

  it('leaves a bounded query alone and bounds only the unbounded arm of a UNION', () => {
    const bounded = validated("SELECT actor FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z'");
    expect(addEventTimeBound(bounded, day, now)).toEqual({ sql: bounded, added: false });
    const union = addEventTimeBound(validated("SELECT actor FROM events WHERE event_time >= '2026-11-27T00:00:00.000Z' UNION SELECT actor FROM events"), day, now);
    expect(union.sql.match(/2026-11-26T12/g)).toHaveLength(1);
    expect(analyzeQueryScope(union.sql, now).timeBounded).toBe(true);
  });

  it('bounds reads inside subqueries and CTEs', () => {
    const sql = addEventTimeBound(validated('WITH x AS (SELECT actor FROM events) SELECT * FROM x WHERE actor IN (SELECT actor FROM events)'), day, now).sql;
    expect(sql.match(/"event_time" >= '2026-11-26T12:00:00.000Z'/g)).toHaveLength(2);
    expect(validateQuery(sql, analystQueryPolicy()).ok).toBe(true);
  });

  it('refuses to splice anything but an ISO instant', () => {
    expect(() => addEventTimeBound(validated('SELECT * FROM events'), { from: "x' OR 1=1 --", to: day.to }, now)).toThrow(/ISO/);
  });
});

describe('addRowLimit', () => {
  it('adds a LIMIT only where none is written', () => {
    expect(addRowLimit(validated('SELECT actor FROM events'), 1000)).toEqual({ sql: 'SELECT "actor" FROM "events" LIMIT 1000', added: true });
    expect(addRowLimit(validated('SELECT actor FROM events LIMIT 5'), 1000).added).toBe(false);
  });
});
