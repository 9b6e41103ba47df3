/**
 * IP address parsing and the IANA special-purpose address registries
 * (https://www.iana.org/assignments/iana-ipv4-special-registry/, …/iana-ipv6-special-registry/): which addresses
 * are not globally routable — private, loopback, link-local, CGNAT, documentation, benchmarking, multicast,
 * reserved. Enrichment uses it to never ask a third party about an internal address (the lookup would leak our
 * network layout and cannot return anything useful).
 *
 * Pure and strict: an address is parsed completely or not at all (`10.0.0.1x` and `1.2.3` are not addresses),
 * IPv6 is accepted in every RFC 4291 text form (`::` compression, embedded dotted IPv4, a `%zone` suffix), and an
 * IPv4-mapped or IPv4-compatible IPv6 address is judged by the IPv4 address it carries.
 */

export type IpAddress = { readonly version: 4; readonly bytes: Uint8Array } | { readonly version: 6; readonly bytes: Uint8Array };

/** Parses an IPv4 or IPv6 address in text form; null when `text` is not exactly one address. */
export function parseIpAddress(text: string): IpAddress | null {
  const trimmed = text.trim();
  const v4 = parseIpv4Bytes(trimmed);
  if (v4) return { version: 4, bytes: v4 };
  const v6 = parseIpv6Bytes(trimmed.replace(/^\[|\]$/g, ''));
  return v6 ? { version: 6, bytes: v6 } : null;
}

function parseIpv4Bytes(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    // Leading zeros are refused: `010.0.0.1` is octal to some parsers and decimal to others.
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return null;
    bytes[i] = Number(part);
  }
  return bytes;
}

function parseIpv6Bytes(input: string): Uint8Array | null {
  const text = input.replace(/%[0-9A-Za-z._~-]+$/, '');
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || text.length > 45) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string): number[] | null => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4Bytes(part);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(part)) {
        out.push(parseInt(part, 16));
      } else return null;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 255;
  });
  return bytes;
}

interface Range {
  readonly prefix: Uint8Array;
  readonly bits: number;
  readonly name: string;
}

const v4 = (a: number, b: number, c: number, d: number, bits: number, name: string): Range => ({ prefix: new Uint8Array([a, b, c, d]), bits, name });
const v6 = (text: string, bits: number, name: string): Range => ({ prefix: parseIpv6Bytes(text)!, bits, name });

/** IANA IPv4 special-purpose registry entries that are not globally reachable, plus multicast and class E. */
const ipv4Ranges: readonly Range[] = [
  v4(0, 0, 0, 0, 8, 'this-network'),
  v4(10, 0, 0, 0, 8, 'private'),
  v4(100, 64, 0, 0, 10, 'shared (CGNAT)'),
  v4(127, 0, 0, 0, 8, 'loopback'),
  v4(169, 254, 0, 0, 16, 'link-local'),
  v4(172, 16, 0, 0, 12, 'private'),
  v4(192, 0, 0, 0, 24, 'IETF protocol assignments'),
  v4(192, 0, 2, 0, 24, 'documentation (TEST-NET-1)'),
  v4(192, 88, 99, 0, 24, '6to4 relay anycast (deprecated)'),
  v4(192, 168, 0, 0, 16, 'private'),
  v4(198, 18, 0, 0, 15, 'benchmarking'),
  v4(198, 51, 100, 0, 24, 'documentation (TEST-NET-2)'),
  v4(203, 0, 113, 0, 24, 'documentation (TEST-NET-3)'),
  v4(224, 0, 0, 0, 4, 'multicast'),
  v4(240, 0, 0, 0, 4, 'reserved'),
];

/** IANA IPv6 special-purpose registry entries that are not globally reachable, plus multicast and site-local. */
const ipv6Ranges: readonly Range[] = [
  v6('::', 128, 'unspecified'),
  v6('::1', 128, 'loopback'),
  v6('64:ff9b:1::', 48, 'local-use IPv4/IPv6 translation'),
  v6('100::', 64, 'discard-only'),
  v6('2001::', 23, 'IETF protocol assignments'),
  v6('2001:db8::', 32, 'documentation'),
  v6('3fff::', 20, 'documentation'),
  v6('5f00::', 16, 'segment routing SIDs'),
  v6('fc00::', 7, 'unique-local (private)'),
  v6('fe80::', 10, 'link-local'),
  v6('fec0::', 10, 'site-local (deprecated)'),
  v6('ff00::', 8, 'multicast'),
];

function inRange(bytes: Uint8Array, range: Range): boolean {
  const full = range.bits >> 3;
  for (let i = 0; i < full; i++) if (bytes[i] !== range.prefix[i]) return false;
  const rest = range.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (bytes[full]! & mask) === (range.prefix[full]! & mask);
}

/**
 * Why `address` is not a public, globally routable address (`private`, `loopback`, `documentation (TEST-NET-3)`…),
 * or null when it is one. Not an address at all → `not an IP address`.
 */
export function specialPurposeReason(address: string | IpAddress): string | null {
  const ip = typeof address === 'string' ? parseIpAddress(address) : address;
  if (!ip) return 'not an IP address';
  if (ip.version === 4) return ipv4Ranges.find((r) => inRange(ip.bytes, r))?.name ?? null;
  const b = ip.bytes;
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible, deprecated): judge the IPv4 address inside.
  if (zeros(0, 10) && ((b[10] === 0xff && b[11] === 0xff) || (b[10] === 0 && b[11] === 0 && !zeros(12, 14)))) {
    return specialPurposeReason({ version: 4, bytes: b.slice(12) });
  }
  // 2002::/16 (6to4) embeds an IPv4 address in bits 16–48.
  if (b[0] === 0x20 && b[1] === 0x02) return specialPurposeReason({ version: 4, bytes: b.slice(2, 6) });
  return ipv6Ranges.find((r) => inRange(b, r))?.name ?? null;
}

/** True for an address a third party could know something about (a valid, globally routable IP). */
export function isPublicIpAddress(address: string): boolean {
  return specialPurposeReason(address) === null;
}
