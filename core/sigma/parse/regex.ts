/**
 * Validation of `re` values. RE2 syntax is the only dialect we accept: it runs in linear time in the streaming
 * matcher (re2js) and maps onto the SQL engines' regex functions. Patterns are compiled with RE2JS exactly as
 * the matcher will compile them; features that need backtracking get an error naming the feature.
 */
import { RE2JS } from 're2js';

export interface RegexFlags {
  readonly i: boolean;
  readonly m: boolean;
  readonly s: boolean;
}

const backtrackingFeatures: readonly { readonly pattern: RegExp; readonly name: string }[] = [
  { pattern: /\(\?<?[=!]/, name: 'lookaround assertions ((?=…), (?!…), (?<=…), (?<!…))' },
  { pattern: /\(\?>/, name: 'atomic groups ((?>…))' },
  { pattern: /\(\?\(/, name: 'conditionals ((?(…)…))' },
  { pattern: /\\[1-9]|\\k[<{']/, name: 'backreferences (\\1, \\k<name>)' },
  { pattern: /(?:[*+?}])\+/, name: 'possessive quantifiers (*+, ++, ?+, {n}+)' },
  { pattern: /\\[GZ]/, name: '\\G and \\Z anchors (use \\z or $)' },
];

/** Returns null when RE2 accepts the pattern, else why not. */
export function checkRe2Pattern(source: string, flags: RegexFlags): string | null {
  let compileFlags = 0;
  if (flags.i) compileFlags |= RE2JS.CASE_INSENSITIVE;
  if (flags.m) compileFlags |= RE2JS.MULTILINE;
  if (flags.s) compileFlags |= RE2JS.DOTALL;
  try {
    RE2JS.compile(source, compileFlags);
    return null;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const feature = backtrackingFeatures.find((f) => f.pattern.test(withoutEscapedBackslashes(source)));
    if (feature) return `regular expression uses ${feature.name}, which RE2 does not support (no backtracking): ${detail}`;
    return `regular expression is not valid RE2 syntax: ${detail}`;
  }
}

/** `\\1` is an escaped backslash then "1", not a backreference. */
function withoutEscapedBackslashes(source: string): string {
  return source.replace(/\\\\/g, '');
}
