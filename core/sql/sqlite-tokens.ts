/**
 * SQLite's own lexing of quoted tokens and comments (https://www.sqlite.org/lang_expr.html#literal_values_constants_,
 * lang_keywords.html): '…' strings and "…" / `…` identifiers end at the first unpaired quote (a doubled quote is
 * the quote itself), […] identifiers at the first `]`, `--` comments at the end of the line, `/* … *\/` at the
 * closing mark. A backslash is an ordinary character everywhere.
 *
 * The validator parses with node-sql-parser, which reads a backslash in a quoted token as an escape; where the two
 * lexers disagree, the checked tree and what SQLite runs differ (`'x\' UNION SELECT sql FROM sqlite_master --'` is
 * one string to the parser, a UNION over the schema to SQLite). This module lets the validator refuse such input
 * and check that the SQL it regenerates has no comment, no statement separator and no backslash inside a quoted
 * token, as SQLite reads it.
 */

export interface SqliteTokenScan {
  /** Quoted tokens (strings and quoted identifiers) holding a backslash, with their offsets. */
  readonly backslashQuoted: { readonly offset: number; readonly text: string }[];
  /** Offsets of comments (`--` or `/*`) outside quoted tokens. */
  readonly comments: number[];
  /** Offsets of `;` outside quoted tokens and comments. */
  readonly semicolons: number[];
  /** A quoted token or block comment left open at the end. */
  readonly unterminated: boolean;
}

const closers: Readonly<Record<string, string>> = { "'": "'", '"': '"', '`': '`', '[': ']' };

export function scanSqliteTokens(sql: string): SqliteTokenScan {
  const backslashQuoted: { offset: number; text: string }[] = [];
  const comments: number[] = [];
  const semicolons: number[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const close = closers[c];
    if (close) {
      const start = i;
      i++;
      for (;;) {
        if (i >= sql.length) return { backslashQuoted, comments, semicolons, unterminated: true };
        if (sql[i] === close) {
          // A doubled quote is the quote itself; `]` cannot be doubled.
          if (close !== ']' && sql[i + 1] === close) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      const text = sql.slice(start, i);
      if (text.includes('\\')) backslashQuoted.push({ offset: start, text });
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      comments.push(i);
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      comments.push(i);
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) return { backslashQuoted, comments, semicolons, unterminated: true };
      i = end + 2;
      continue;
    }
    if (c === ';') semicolons.push(i);
    i++;
  }
  return { backslashQuoted, comments, semicolons, unterminated: false };
}
