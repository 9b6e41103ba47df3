/**
 * Distances between sign-in places and the VPN / cloud-egress allow-list.
 *
 * Places come from the normalized event's `src_lat`/`src_lon` (the provider's or our enrichment's
 * geolocation of the source IP); events without coordinates take no part in travel and distance checks.
 */
import { parseIpAddress, type IpAddress } from '../net/special-purpose-ip';

const EARTH_RADIUS_KM = 6371.0088; // mean Earth radius (IUGG)

export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

/** Great-circle distance in km (haversine formula). */
export function haversineKm(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function placeOf(e: { lat: number | null; lon: number | null }): LatLon | null {
  return e.lat !== null && e.lon !== null && Number.isFinite(e.lat) && Number.isFinite(e.lon) ? { lat: e.lat, lon: e.lon } : null;
}

interface Cidr {
  readonly address: IpAddress;
  readonly bits: number;
}

function parseCidr(text: string): Cidr | null {
  const [addr, bitsText] = text.trim().split('/');
  const address = addr ? parseIpAddress(addr) : null;
  if (!address) return null;
  const max = address.version === 4 ? 32 : 128;
  const bits = bitsText === undefined ? max : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) return null;
  return { address, bits };
}

function inCidr(ip: IpAddress, cidr: Cidr): boolean {
  if (ip.version !== cidr.address.version) return false;
  let bits = cidr.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((ip.bytes[i] ?? 0) & mask) !== ((cidr.address.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** A compiled allow-list: `matches(ip, asn)` is true for VPN / cloud-egress traffic. Invalid CIDRs are ignored. */
export class EgressAllowList {
  private readonly cidrs: Cidr[];
  private readonly asns: Set<number>;
  private readonly cache = new Map<string, boolean>();

  constructor(cidrs: readonly string[], asns: readonly number[]) {
    this.cidrs = cidrs.map(parseCidr).filter((c): c is Cidr => c !== null);
    this.asns = new Set(asns);
  }

  matches(ip: string | null, asn: number | null): boolean {
    if (asn !== null && this.asns.has(asn)) return true;
    if (ip === null || this.cidrs.length === 0) return false;
    let hit = this.cache.get(ip);
    if (hit === undefined) {
      const parsed = parseIpAddress(ip);
      hit = parsed !== null && this.cidrs.some((c) => inCidr(parsed, c));
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(ip, hit);
    }
    return hit;
  }
}
