import { describe, expect, it } from 'vitest';
import { validateQuery } from '../../sql/validate-query';
import { analystQueryPolicy } from '../../sql/query-policy';
import { sqlContains, sqlEqualsAny, sqlString, sqlStringList, UnsafeLiteralError } from './sql-literal';

describe('sqlString', () => {
  it.each([
    ['plain', "'plain'"],
    ["o'brien", "'o''brien'"],
    ["''", "''''''"],
    ["x' OR 1=1 --", "'x'' OR 1=1 --'"],
    ["'); DROP TABLE events; --", "'''); DROP TABLE events; --'"],
    ['semi;colon /* c */', "'semi;colon /* c */'"],
    ['ünïcødé 名前', "'ünïcødé 名前'"],
  ])('writes %j as the literal %s', (value, literal) => {
    expect(sqlString(value)).toBe(literal);
  });

  it.each(["o'brien", "x' OR 1=1 --", "'); DROP TABLE events; --", "a'';b", "--", "/*", "' UNION SELECT name FROM sqlite_master --"])(
    'keeps %j one literal that the validator parses back to the same value',
    (value) => {
      const checked = validateQuery(`SELECT actor FROM events WHERE actor = ${sqlString(value)}`, analystQueryPolicy());
      expect(checked.ok).toBe(true);
      if (checked.ok) expect(checked.sql).toContain(sqlString(value));
    },
  );

  it('refuses control characters and NUL', () => {
    expect(() => sqlString('a\u0000b')).toThrow(UnsafeLiteralError);
    expect(() => sqlString('a\u001bb')).toThrow(UnsafeLiteralError);
  });

  it('refuses backslashes, which the validator\'s parser would read as escapes', () => {
    expect(() => sqlString("\\' OR 1=1 --")).toThrow(UnsafeLiteralError);
    expect(() => sqlString('CORP\\alice')).toThrow(UnsafeLiteralError);
  });

  it('refuses values longer than 512 characters', () => {
    expect(() => sqlString('x'.repeat(513))).toThrow(UnsafeLiteralError);
  });
});

describe('lists and predicates', () => {
  it('builds IN lists without duplicates and refuses an empty list', () => {
    expect(sqlStringList(['a', "b'c", 'a'])).toBe("('a', 'b''c')");
    expect(() => sqlStringList([])).toThrow(UnsafeLiteralError);
  });

  it('negates without matching NULLs', () => {
    expect(sqlEqualsAny('src_country', ['United States'], true)).toBe("(src_country IS NOT NULL AND src_country <> 'United States')");
    expect(sqlEqualsAny('actor', ['a', 'b'])).toBe("actor IN ('a', 'b')");
  });

  it('matches substrings literally, % and _ included', () => {
    expect(sqlContains('user_agent', "Py_thon%'")).toBe("instr(lower(user_agent), 'py_thon%''') > 0");
  });
});
