import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv';

describe('toCsv', () => {
  it('writes a header row and one CRLF-ended record per row', () => {
    expect(toCsv(['actor', 'n'], [['alice@acme.test', 3], ['bob@acme.test', 1]])).toBe('actor,n\r\nalice@acme.test,3\r\nbob@acme.test,1\r\n');
  });

  it('writes only the header when there are no rows', () => {
    expect(toCsv(['a', 'b'], [])).toBe('a,b\r\n');
  });

  it.each([
    ['a comma', 'Paris, France', '"Paris, France"'],
    ['a double quote, doubled', 'say "hi"', '"say ""hi"""'],
    ['a newline, kept inside quotes', 'line 1\nline 2', '"line 1\nline 2"'],
    ['a CRLF, kept inside quotes', 'a\r\nb', '"a\r\nb"'],
    ['a leading space', ' x', '" x"'],
    ['a trailing space', 'x ', '"x "'],
  ])('quotes a field with %s', (_name, value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it.each([
    [null, ''],
    [undefined, ''],
    [0, '0'],
    [-5, '-5'],
    [1.5, '1.5'],
    [true, 'true'],
    [{ a: 1, b: 'x' }, '"{""a"":1,""b"":""x""}"'],
    [[1, 2], '"[1,2]"'],
  ])('writes %j as %s', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it.each(['=HYPERLINK("http://evil.test")', '+1+1', '-2+3', '@SUM(A1)', '\tx'])('neutralizes the formula-like text %j', (value) => {
    expect(csvField(value).replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('quotes header names like any field', () => {
    expect(toCsv(['count, total', 'say "x"'], [])).toBe('"count, total","say ""x"""\r\n');
  });

  it('round-trips through a real CSV parser', () => {
    const columns = ['user', 'note', 'n', 'raw'];
    const rows = [
      ['alice@acme.test', 'multi\nline, with "quotes"', 12, null],
      ['bob', '', 0, { k: 'v,"w"' }],
    ];
    const parsed = parse(toCsv(columns, rows), { relax_column_count: false }) as string[][];
    expect(parsed).toEqual([
      columns,
      ['alice@acme.test', 'multi\nline, with "quotes"', '12', ''],
      ['bob', '', '0', '{"k":"v,\\"w\\""}'],
    ]);
  });
});
