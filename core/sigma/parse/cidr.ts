/**
 * The `cidr` modifier's value: an IPv4 or IPv6 network, normalized to its network address (host bits cleared)
 * and prefix length. IPv6 comes out in RFC 5952 form (lowercase, longest zero run compressed) so backends can
 * compare networks as text. Like Python's ipaddress, IPv4 octets with leading zeros are refused (ambiguous:
 * octal for some parsers), and so are zone ids.
 */

export interface CidrNetwork {
  readonly version: 4 | 6;
  readonly network: string;
  readonly prefix: number;
  /** The value had host bits set (e.g. 10.1.2.3/8); the network was derived from it. */
  readonly hostBitsSet: boolean;
}

export function parseCidr(value: string): CidrNetwork | { readonly error: string } {
  const text = value.trim();
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? null : text.slice(slash + 1);
  const version = address.includes(':') ? 6 : 4;
  const bits = version === 4 ? parseIpv4(address) : parseIpv6(address);
  if (!bits) return { error: `'${value}' is not an IPv${version} address` };
  const width = version === 4 ? 32 : 128;
  let prefix = width;
  if (prefixText !== null) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > width) return { error: `'${value}' has an invalid prefix length (0–${width} for IPv${version})` };
    prefix = Number(prefixText);
  }
  const network = bits.map((bit, i) => (i < prefix ? bit : 0));
  const hostBitsSet = network.some((bit, i) => bit !== bits[i]);
  return { version, network: version === 4 ? formatIpv4(network) : formatIpv6(network), prefix, hostBitsSet };
}

function parseIpv4(text: string): number[] | null {
  const octets = text.split('.');
  if (octets.length !== 4) return null;
  const bits: number[] = [];
  for (const octet of octets) {
    if (!/^(0|[1-9]\d{0,2})$/.test(octet) || Number(octet) > 255) return null;
    bits.push(...toBits(Number(octet), 8));
  }
  return bits;
}

function parseIpv6(text: string): number[] | null {
  if (text.includes('%')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string): string[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    const last = groups[groups.length - 1] as string;
    if (last.includes('.')) {
      const v4 = parseIpv4(last);
      if (!v4) return null;
      groups.splice(groups.length - 1, 1, bitsToHex(v4.slice(0, 16)), bitsToHex(v4.slice(16)));
    }
    return groups;
  };
  const head = groupsOf(halves[0] as string);
  const tail = halves.length === 2 ? groupsOf(halves[1] as string) : [];
  if (!head || !tail) return null;
  // An embedded IPv4 address may only end the address.
  if (halves.length === 2 && (halves[0] as string).includes('.')) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  const bits: number[] = [];
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
    bits.push(...toBits(parseInt(group, 16), 16));
  }
  return bits;
}

function toBits(n: number, width: number): number[] {
  const bits: number[] = [];
  for (let i = width - 1; i >= 0; i -= 1) bits.push((n >> i) & 1);
  return bits;
}

function fromBits(bits: readonly number[]): number {
  return bits.reduce((n, bit) => n * 2 + bit, 0);
}

function bitsToHex(bits: readonly number[]): string {
  return fromBits(bits).toString(16);
}

function formatIpv4(bits: readonly number[]): string {
  return [0, 8, 16, 24].map((i) => fromBits(bits.slice(i, i + 8))).join('.');
}

function formatIpv6(bits: readonly number[]): string {
  const groups = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => fromBits(bits.slice(i * 16, i * 16 + 16)));
  // RFC 5952: compress the longest run of two or more zero groups (the first one on a tie).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
