/**
 * The one place where text from a question (or from the data's values) becomes SQL text.
 *
 * The offline engine returns SQL *text* that the pipeline validates and runs, so user-derived strings cannot be
 * bound parameters; they are emitted as SQLite string literals instead. SQLite string literals have exactly one
 * escape: a single quote is written twice. NUL and other control characters are refused outright (they have no
 * business in an entity name and some drivers truncate at NUL), and so are backslashes (see below), so the result
 * is always one well-formed literal that SQLite and the validator both read back as the same value.
 */

/** Thrown for a value that must never reach SQL; the translator turns it into a refusal. */
export class UnsafeLiteralError extends Error {
  override readonly name = 'UnsafeLiteralError';
}

// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
export const maxLiteralLength = 512;

/** `it's` → `'it''s'`. */
export function sqlString(value: string): string {
  if (controlCharacters.test(value)) throw new UnsafeLiteralError('a value contains control characters');
  if (value.length > maxLiteralLength) throw new UnsafeLiteralError(`a value is longer than ${maxLiteralLength} characters`);
  // SQLite gives backslashes no meaning, but the validator's parser (node-sql-parser) reads them as escapes and
  // regenerates different SQL ('\'' OR 1=1 --' comes back as a tautology), so a value with one is refused.
  if (value.includes('\\')) throw new UnsafeLiteralError('a value contains a backslash');
  return `'${value.replaceAll("'", "''")}'`;
}

/** `('a', 'b')`, for `IN`; duplicates removed, order kept. Never empty. */
export function sqlStringList(values: readonly string[]): string {
  const unique = [...new Set(values)];
  if (unique.length === 0) throw new UnsafeLiteralError('an empty list of values');
  return `(${unique.map(sqlString).join(', ')})`;
}

/**
 * `column` contains `value`, case-insensitively. Written with instr() rather than LIKE so that `%` and `_` in the
 * value are plain characters (the validator's SQL grammar has no LIKE … ESCAPE).
 */
export function sqlContains(column: string, value: string): string {
  return `instr(lower(${column}), ${sqlString(value.toLowerCase())}) > 0`;
}

/** `column = 'v'` or `column IN (...)`, negated when asked (NULLs never match a negated filter either). */
export function sqlEqualsAny(column: string, values: readonly string[], negated = false): string {
  const unique = [...new Set(values)];
  if (unique.length === 1) return negated ? `(${column} IS NOT NULL AND ${column} <> ${sqlString(unique[0]!)})` : `${column} = ${sqlString(unique[0]!)}`;
  return negated ? `(${column} IS NOT NULL AND ${column} NOT IN ${sqlStringList(unique)})` : `${column} IN ${sqlStringList(unique)}`;
}
