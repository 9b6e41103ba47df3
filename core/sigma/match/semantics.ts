/**
 * The value semantics every backend of the Sigma engine implements: the streaming matcher in JavaScript here,
 * the SQL dialects in `../sql` (a differential test holds D1 and the matcher to the same answers).
 *
 * - Text value of a field: a string is itself; a number its JavaScript decimal form; a boolean `true`/`false`;
 *   null, absent, objects and arrays have no text (text predicates do not match them).
 * - Case-insensitive (Sigma's default) compares `foldCase` of both sides: Unicode lower-casing, except U+0130
 *   (İ) and U+212A (Kelvin sign), the only characters whose lower case is ASCII, which stay themselves. That
 *   keeps ASCII folding (all SQLite has) exact; the lake engines' LOWER() folds those two as well, so there
 *   they select a slight superset.
 * - Numeric value: a number, or a string whose whole text is a JSON number (surrounding JSON whitespace
 *   allowed): `"4625"` equals 4625, `"04625"`, `"0x10"` and `"1e"` are not numbers.
 * - IP addresses: strict dotted-quad IPv4 (no leading zeros) or RFC 4291 IPv6 text (with `::` and a trailing
 *   dotted quad); the version is the syntax (`:` → IPv6), so a v4 network never matches IPv6 text.
 */

/** Sigma's case folding (see the module header). */
export function foldCase(s: string): string {
  const lower = s.toLowerCase();
  // U+0130 lengthens the string; U+212A would leave a 'k' where the input had none.
  if (lower.length === s.length && (lower === s || s.indexOf('\u212A') === -1)) return lower;
  let out = '';
  for (const ch of s) out += ch === '\u0130' || ch === '\u212A' ? ch : ch.toLowerCase();
  return out;
}

/**
 * Whether comparing `toLowerCase()` of a value with this (folded) literal can differ from comparing `foldCase`:
 * only when the literal holds k, i, a combining dot above, the two special characters, or when the pattern
 * counts characters. Lets the matcher skip the special-character scan on most predicates.
 */
export function needsStrictFold(foldedLiteral: string, countsCharacters: boolean): boolean {
  if (countsCharacters) return true;
  for (const ch of ['k', 'i', '\u0307', '\u0130', '\u212A']) if (foldedLiteral.includes(ch)) return true;
  return false;
}

/** A character whose case variants differ (SQLite's ASCII-only LIKE/lower cannot fold it). */
export function isCasedChar(ch: string): boolean {
  return ch.toLowerCase() !== ch || ch.toUpperCase() !== ch;
}


/** The JSON-number grammar as a regular expression (RE2 / Java / ICU compatible), for the SQL dialects. */
export const jsonNumberPattern = '^[ \\t\\n\\r]*-?(0|[1-9][0-9]*)([.][0-9]+)?([eE][+-]?[0-9]+)?[ \\t\\n\\r]*$';

const isDigit = (c: number) => c >= 48 && c <= 57;
const isJsonSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** The number a text spells in JSON-number grammar (surrounding JSON whitespace allowed), else undefined. */
export function numberFromText(text: string): number | undefined {
  let i = 0;
  let end = text.length;
  while (i < end && isJsonSpace(text.charCodeAt(i))) i++;
  while (end > i && isJsonSpace(text.charCodeAt(end - 1))) end--;
  const start = i;
  if (text.charCodeAt(i) === 45) i++;
  if (i >= end || !isDigit(text.charCodeAt(i))) return undefined;
  if (text.charCodeAt(i) === 48) i++;
  else while (i < end && isDigit(text.charCodeAt(i))) i++;
  if (i < end && text.charCodeAt(i) === 46) {
    i++;
    if (i >= end || !isDigit(text.charCodeAt(i))) return undefined;
    while (i < end && isDigit(text.charCodeAt(i))) i++;
  }
  if (i < end && (text.charCodeAt(i) | 32) === 101) {
    i++;
    if (i < end && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++;
    if (i >= end || !isDigit(text.charCodeAt(i))) return undefined;
    while (i < end && isDigit(text.charCodeAt(i))) i++;
  }
  return i === end ? Number(text.slice(start, end)) : undefined;
}

/** Text value of a JSON value (see the module header); undefined when it has none. */
export function textOf(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return undefined;
  }
}

export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return numberFromText(value);
  return undefined;
}

// ---- IP addresses -----------------------------------------------------------------------------------------

/** Strict dotted quad (no leading zeros, octets ≤ 255) → 32-bit unsigned integer. */
export function parseIpv4(text: string): number | undefined {
  let value = 0;
  let octets = 0;
  let i = 0;
  while (octets < 4) {
    const start = i;
    let octet = 0;
    while (i < text.length && isDigit(text.charCodeAt(i)) && i - start < 3) octet = octet * 10 + text.charCodeAt(i++) - 48;
    const digits = i - start;
    if (digits === 0 || (digits > 1 && text.charCodeAt(start) === 48) || octet > 255) return undefined;
    value = value * 256 + octet;
    octets++;
    if (octets < 4) {
      if (text.charCodeAt(i) !== 46) return undefined;
      i++;
    }
  }
  return i === text.length ? value : undefined;
}

function hexGroupValue(p: string): number | undefined {
  if (p.length < 1 || p.length > 4) return undefined;
  let v = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i) | 32;
    const d = isDigit(p.charCodeAt(i)) ? p.charCodeAt(i) - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return undefined;
    v = v * 16 + d;
  }
  return v;
}

/** IPv6 text → eight 16-bit groups. */
export function parseIpv6(text: string): number[] | undefined {
  if (!text.includes(':')) return undefined;
  let head = text;
  let tail4: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) !== -1) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail4 = [Math.floor(v4 / 65536), v4 % 65536];
    head = text.slice(0, lastColon + 1);
    // "::1.2.3.4" leaves "::" ; "a::1.2.3.4" leaves "a::"; "a:b:...:1.2.3.4" leaves a trailing single ":".
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const width = 8 - tail4.length;
  const doubleColon = head.indexOf('::');
  let groups: number[];
  if (doubleColon === -1) {
    const parts = head === '' ? [] : head.split(':');
    if (parts.length !== width) return undefined;
    groups = [];
    for (const p of parts) {
      const v = hexGroupValue(p);
      if (v === undefined) return undefined;
      groups.push(v);
    }
  } else {
    if (head.indexOf('::', doubleColon + 1) !== -1) return undefined;
    const left = head.slice(0, doubleColon);
    const right = head.slice(doubleColon + 2);
    const leftParts = left === '' ? [] : left.split(':');
    const rightParts = right === '' ? [] : right.split(':');
    if (leftParts.length + rightParts.length > width - 1) return undefined;
    const parse = (ps: string[]) => {
      const out: number[] = [];
      for (const p of ps) {
        const v = hexGroupValue(p);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    };
    const l = parse(leftParts);
    const r = parse(rightParts);
    if (!l || !r) return undefined;
    groups = [...l, ...new Array<number>(width - l.length - r.length).fill(0), ...r];
  }
  return [...groups, ...tail4];
}

export interface Ipv4Range {
  readonly version: 4;
  readonly first: number;
  readonly last: number;
}

export interface Ipv6Range {
  readonly version: 6;
  /** Network address groups (host bits cleared) and the prefix length. */
  readonly groups: readonly number[];
  readonly prefix: number;
}

/** The address range of a CIDR predicate; undefined when the network text is not an address of its version. */
export function cidrRange(version: 4 | 6, network: string, prefix: number): Ipv4Range | Ipv6Range | undefined {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (version === 4 ? 32 : 128)) return undefined;
  if (version === 4) {
    const address = parseIpv4(network);
    if (address === undefined) return undefined;
    const size = 2 ** (32 - prefix);
    const first = Math.floor(address / size) * size;
    return { version: 4, first, last: first + size - 1 };
  }
  const groups = parseIpv6(network);
  if (!groups) return undefined;
  return { version: 6, groups: maskGroups(groups, prefix), prefix };
}

function maskGroups(groups: readonly number[], prefix: number): number[] {
  return groups.map((g, i) => {
    const bits = Math.max(0, Math.min(16, prefix - i * 16));
    return bits === 0 ? 0 : bits === 16 ? g : g & (0xffff << (16 - bits)) & 0xffff;
  });
}

export function ipv6InRange(groups: readonly number[], range: Ipv6Range): boolean {
  const masked = maskGroups(groups, range.prefix);
  for (let i = 0; i < 8; i++) if (masked[i] !== range.groups[i]) return false;
  return true;
}
