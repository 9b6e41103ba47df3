import { describe, expect, it } from 'vitest';
import { hostileQueries, neutralisedQueries } from './hostile-queries';
import { analystQueryPolicy } from './query-policy';
import { validateQuery } from './validate-query';

const policy = analystQueryPolicy();

describe('hostile SQL', () => {
  it('has at least 100 distinct hostile inputs', () => {
    expect(new Set(hostileQueries.map((h) => h.sql)).size).toBeGreaterThanOrEqual(100);
  });

  it.each(hostileQueries.map((h) => [h.sql.length > 160 ? `${h.sql.slice(0, 160)}…` : h.sql, h.reason, h.sql] as const))(
    'refuses %s (%s) with a reason',
    (_label, reason, sql) => {
      const result = validateQuery(sql, policy);
      expect(result.ok ? `accepted as ${result.sql}` : result.reason).toBe(reason);
      if (!result.ok) expect(result.message).toMatch(/\w.{20,}/);
    },
  );
});

describe('comments that hide statements', () => {
  it.each(neutralisedQueries)('%s runs as one SELECT without the commented text', (sql) => {
    const result = validateQuery(sql, policy);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.sql).not.toMatch(/DROP|DELETE|--|\/\*/i);
      expect(result.sql).toMatch(/^SELECT /);
    }
  });
});

describe('refusal messages', () => {
  it('says a big LIMIT is refused, not clamped', () => {
    const result = validateQuery('SELECT * FROM events LIMIT 50000', policy);
    expect(result.ok ? '' : result.message).toBe(
      'LIMIT 50000 is refused (not clamped): at most 10,000 rows may be asked for; write LIMIT 10000 or less.',
    );
  });

  it('names an internal table as such', () => {
    const result = validateQuery('SELECT * FROM sqlite_schema', policy);
    expect(result.ok ? '' : result.message).toContain('"sqlite_schema" is not queryable. It is an internal table of the database.');
  });

  it('explains why a self-referencing CTE is refused', () => {
    const result = validateQuery('WITH c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c', policy);
    expect(result.ok ? '' : result.message).toBe('The CTE "c" refers to itself, which makes it recursive; recursive CTEs are not allowed.');
  });

  it('names the printf width it refused', () => {
    const result = validateQuery("SELECT printf('%5000d', 1) FROM events", policy);
    expect(result.ok ? '' : result.message).toContain('"5000"');
  });
});

describe('still accepted', () => {
  it.each([
    'SELECT * FROM events LIMIT 10000',
    'SELECT * FROM events LIMIT 10 OFFSET 20',
    "SELECT printf('%5.2f %s', 1.5, actor) FROM events",
    'SELECT * FROM events WHERE EXISTS (SELECT 1 FROM alerts WHERE alerts.title = events.actor)',
    'WITH a AS (SELECT actor FROM events), b AS (SELECT actor FROM a) SELECT * FROM b',
    'SELECT a.actor FROM events a JOIN events b ON a.actor = b.actor JOIN events c ON c.actor = a.actor',
    'SELECT "actor", "src_ip" FROM events',
  ])('%s', (sql) => {
    const result = validateQuery(sql, policy);
    expect(result.ok ? 'ok' : result.message).toBe('ok');
  });
});
