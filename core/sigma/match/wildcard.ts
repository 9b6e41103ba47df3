/**
 * Sigma wildcard patterns (`*` any characters, `?` one character) compiled to string tests, without a regex
 * engine: equality, prefix, suffix, substring, or a segment scan for several `*`. `?` counts code points, as
 * SQL's `_` does. Every test is linear or O(value × pattern) in the worst case of many `*` with `?`, never
 * exponential. The caller folds case on both sides beforehand.
 */
import type { Pattern } from '../ir';

export type TextTest = (text: string) => boolean;

type Token = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'any' } | { readonly kind: 'one' };

function tokens(pattern: Pattern): Token[] {
  const out: Token[] = [];
  for (const part of pattern) {
    const last = out.at(-1);
    if (part.kind === 'text') {
      if (part.text === '') continue;
      if (last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + part.text };
      else out.push({ kind: 'text', text: part.text });
    } else if (part.kind === 'anyChars') {
      if (last?.kind !== 'any') out.push({ kind: 'any' });
    } else out.push({ kind: 'one' });
  }
  return out;
}

/** The literal of a wildcard-free pattern, else null. */
export function literalOf(pattern: Pattern): string | null {
  let text = '';
  for (const part of pattern) {
    if (part.kind !== 'text') return null;
    text += part.text;
  }
  return text;
}

export function compileWildcard(pattern: Pattern): TextTest {
  const toks = tokens(pattern);
  if (toks.some((t) => t.kind === 'one')) return codePointGlob(toks);
  // Only text and `*`: anchored first/last segments, greedy leftmost middle segments (correct for `*`).
  if (toks.length === 0) return (text) => text === '';
  if (toks.length === 1) {
    const t = toks[0]!;
    if (t.kind === 'any') return () => true;
    const lit = (t as { text: string }).text;
    return (text) => text === lit;
  }
  const first = toks[0]!;
  const last = toks.at(-1)!;
  const prefix = first.kind === 'text' ? first.text : '';
  const suffix = last.kind === 'text' ? last.text : '';
  const middle = toks.slice(first.kind === 'text' ? 1 : 0, last.kind === 'text' ? -1 : undefined).flatMap((t) => (t.kind === 'text' ? [t.text] : []));
  const minLength = prefix.length + suffix.length + middle.reduce((n, m) => n + m.length, 0);
  if (middle.length === 0) {
    if (prefix && suffix) return (text) => text.length >= prefix.length + suffix.length && text.startsWith(prefix) && text.endsWith(suffix);
    if (prefix) return (text) => text.startsWith(prefix);
    if (suffix) return (text) => text.endsWith(suffix);
    return () => true;
  }
  if (middle.length === 1 && !prefix && !suffix) {
    const m = middle[0]!;
    return (text) => text.includes(m);
  }
  return (text) => {
    if (text.length < minLength || !text.startsWith(prefix) || !text.endsWith(suffix)) return false;
    let at = prefix.length;
    const stop = text.length - suffix.length;
    for (const m of middle) {
      const found = text.indexOf(m, at);
      if (found === -1 || found + m.length > stop) return false;
      at = found + m.length;
    }
    return true;
  };
}

/** Glob over code points with `?`: the classic two-pointer match with backtracking to the last `*`. */
function codePointGlob(toks: readonly Token[]): TextTest {
  // Expand to one entry per code point: a number (code point), -1 for `?`, -2 for `*`.
  const pat: number[] = [];
  for (const t of toks) {
    if (t.kind === 'any') pat.push(-2);
    else if (t.kind === 'one') pat.push(-1);
    else for (const ch of t.text) pat.push(ch.codePointAt(0)!);
  }
  return (text) => {
    const s: number[] = [];
    for (const ch of text) s.push(ch.codePointAt(0)!);
    let i = 0;
    let p = 0;
    let star = -1;
    let mark = 0;
    while (i < s.length) {
      if (p < pat.length && (pat[p] === -1 || pat[p] === s[i])) {
        i++;
        p++;
      } else if (p < pat.length && pat[p] === -2) {
        star = p++;
        mark = i;
      } else if (star !== -1) {
        p = star + 1;
        i = ++mark;
      } else return false;
    }
    while (p < pat.length && pat[p] === -2) p++;
    return p === pat.length;
  };
}
