/**
 * Sigma strings: `*` and `?` are wildcards, `\` escapes them and itself (rules spec, "Escape Character").
 * A backslash before any other character stays a backslash, so `C:\Windows` needs no escaping; `\\*` is a
 * backslash then a wildcard, `\\\*` a backslash then a star. The result is a Pattern (ir.ts) whose text
 * parts are literal: backends never re-interpret characters inside them.
 */
import type { Pattern, PatternPart } from '../ir';

const escapeChar = '\\';

export function parseSigmaString(raw: string): PatternPart[] {
  const parts: PatternPart[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw[i] as string;
    if (c === escapeChar) {
      const next = raw[i + 1];
      if (next === '*' || next === '?' || next === escapeChar) {
        text += next;
        i += 1;
      } else {
        text += c;
      }
    } else if (c === '*') {
      flush();
      parts.push({ kind: 'anyChars' });
    } else if (c === '?') {
      flush();
      parts.push({ kind: 'oneChar' });
    } else {
      text += c;
    }
  }
  flush();
  return parts;
}

/** Canonical form: adjacent texts merged, empty texts dropped, runs of `*` collapsed (`**` matches what `*` does). */
export function normalizePattern(parts: readonly PatternPart[]): Pattern {
  const out: PatternPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.kind === 'text') {
      if (part.text === '') continue;
      if (last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + part.text };
      else out.push({ kind: 'text', text: part.text });
    } else if (part.kind === 'anyChars') {
      if (last?.kind !== 'anyChars') out.push({ kind: 'anyChars' });
    } else {
      out.push({ kind: 'oneChar' });
    }
  }
  return out;
}

export function hasWildcards(parts: readonly PatternPart[]): boolean {
  return parts.some((p) => p.kind !== 'text');
}

/** The text of a pattern without wildcards. */
export function plainText(parts: readonly PatternPart[]): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
}

export function withLeadingWildcard(parts: readonly PatternPart[]): PatternPart[] {
  return parts[0]?.kind === 'anyChars' ? [...parts] : [{ kind: 'anyChars' }, ...parts];
}

export function withTrailingWildcard(parts: readonly PatternPart[]): PatternPart[] {
  return parts[parts.length - 1]?.kind === 'anyChars' ? [...parts] : [...parts, { kind: 'anyChars' }];
}

/** Maps every text part to alternatives and returns the cartesian product, in order. */
export function expandTextParts(
  parts: readonly PatternPart[],
  expand: (text: string) => readonly (readonly PatternPart[])[],
  limit: number,
): PatternPart[][] | 'too_many' {
  let results: PatternPart[][] = [[]];
  for (const part of parts) {
    const options = part.kind === 'text' ? expand(part.text) : [[part]];
    if (results.length * options.length > limit) return 'too_many';
    const next: PatternPart[][] = [];
    for (const prefix of results) for (const option of options) next.push([...prefix, ...option]);
    results = next;
  }
  return results;
}
