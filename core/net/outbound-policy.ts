/**
 * Outbound request policy (SSRF guard). Every request the Worker makes to a URL that came from configuration
 * or a user (webhooks, JWKS, vendor APIs) is checked here first: https only, and never to loopback, private,
 * link-local, CGNAT, multicast or metadata addresses — unless the exact host (or host:port) is on the
 * operator's allow-list (`OUTBOUND_ALLOWLIST`), which is also how tests reach their loopback fakes.
 *
 * Hostnames are checked by name only: a Worker cannot resolve DNS itself. Deployed on Cloudflare, fetch()
 * cannot reach private networks anyway; this guard is what keeps `wrangler dev` and self-hosted workerd safe.
 */
export type OutboundDecision = { ok: true; url: URL } | { ok: false; reason: string };

export interface OutboundPolicy {
  /** Hosts (`host` or `host:port`, lower-case) allowed even when private or plain http. */
  readonly allowHosts: ReadonlySet<string>;
}

export function parseAllowList(value: string | undefined): OutboundPolicy {
  const hosts = (value ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  return { allowHosts: new Set(hosts) };
}

export function checkOutboundUrl(target: string | URL, policy: OutboundPolicy): OutboundDecision {
  let url: URL;
  try {
    url = typeof target === 'string' ? new URL(target) : target;
  } catch {
    return { ok: false, reason: `"${String(target)}" is not a valid URL` };
  }
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const allowed = policy.allowHosts.has(host) || policy.allowHosts.has(`${host}:${url.port}`) || policy.allowHosts.has(url.host.toLowerCase());
  if (url.username || url.password) return { ok: false, reason: 'URLs with embedded credentials are refused' };
  if (url.protocol !== 'https:' && !(allowed && url.protocol === 'http:')) {
    return { ok: false, reason: `only https URLs are allowed (got ${url.protocol.replace(':', '')})` };
  }
  if (allowed) return { ok: true, url };
  const blocked = blockedHostReason(host);
  return blocked ? { ok: false, reason: `${host} is ${blocked}; add it to OUTBOUND_ALLOWLIST to allow it` } : { ok: true, url };
}

function blockedHostReason(host: string): string | null {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'a loopback name';
  if (host === 'metadata.google.internal' || host.endsWith('.internal') || host.endsWith('.local')) {
    return 'an internal name';
  }
  const v4 = parseIpv4(host);
  if (v4) return ipv4Reason(v4);
  if (host.includes(':')) return ipv6Reason(host);
  return null;
}

function parseIpv4(host: string): number[] | null {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number);
}

function ipv4Reason([a, b]: number[]): string | null {
  if (a === 127) return 'a loopback address';
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return 'a private address';
  if (a === 169 && b === 254) return 'a link-local (cloud metadata) address';
  if (a === 100 && b! >= 64 && b! <= 127) return 'a carrier-grade NAT address';
  if (a === 0) return 'an unspecified address';
  if (a! >= 224) return 'a multicast or reserved address';
  return null;
}

function ipv6Reason(host: string): string | null {
  const h = host.toLowerCase();
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return 'a loopback address';
  if (h === '::' ) return 'an unspecified address';
  // IPv4-mapped (::ffff:a.b.c.d or ::ffff:7f00:1): judge the embedded IPv4 address.
  const mapped = /^::ffff:(.+)$/.exec(h)?.[1];
  if (mapped) {
    const v4 = parseIpv4(mapped) ?? hexToIpv4(mapped);
    return v4 ? ipv4Reason(v4) ?? null : 'an IPv4-mapped address';
  }
  if (/^f[cd][0-9a-f]{2}:/.test(h)) return 'a unique-local (private) address';
  if (/^fe[89ab][0-9a-f]:/.test(h)) return 'a link-local address';
  if (h.startsWith('ff')) return 'a multicast address';
  return null;
}

function hexToIpv4(s: string): number[] | null {
  const m = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(s);
  if (!m) return null;
  const hi = parseInt(m[1]!, 16);
  const lo = parseInt(m[2]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255];
}
