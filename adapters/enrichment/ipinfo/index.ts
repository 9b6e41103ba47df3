/**
 * IPinfo (https://ipinfo.io/developers): `GET https://ipinfo.io/{ip}` with `Authorization: Bearer <token>`.
 * JSON `{ip, hostname, city, region, country, loc, org: "AS15169 Google LLC", postal, timezone}`, plus
 * `privacy: {vpn, proxy, tor, relay, hosting, service}` on plans that include it; private and reserved
 * addresses answer `{ip, bogon: true}` → a cached negative answer. An unknown token is a 403
 * `{status, error: {title, message}}` (failure); the rate limit is a 429 (retryable, with Retry-After when sent).
 */
import { z } from 'zod';
import type { EnrichmentNote } from '../../../core/alerting/notification';
import type { TransportResult } from '../../../core/collect/transport';
import type { EnrichmentProvider } from '../../../core/enrich/provider';
import { ipLookupGuard, noteLine, readJson, readSecret, send, unexpected } from '../../../core/enrich/provider-http';

export interface IpinfoOptions {
  readonly tokenSecret: string;
  readonly baseUrl?: string;
  readonly ttlMinutes?: number;
}

export const ipinfoBaseUrl = 'https://ipinfo.io';

const optionalString = z.string().optional().catch(undefined);
const flag = z.boolean().optional().catch(undefined);
export const ipinfoResponseSchema = z.object({
  ip: z.string(),
  bogon: flag,
  hostname: optionalString,
  city: optionalString,
  region: optionalString,
  country: optionalString,
  org: optionalString,
  privacy: z.object({ vpn: flag, proxy: flag, tor: flag, relay: flag, hosting: flag, service: optionalString }).optional().catch(undefined),
});
export type IpinfoResponse = z.infer<typeof ipinfoResponseSchema>;

export function describeIpinfo(r: IpinfoResponse): string | null {
  const p = r.privacy;
  const line = noteLine([
    [r.city || r.region, r.country].filter(Boolean).join(', '),
    r.org,
    p?.tor && 'Tor exit',
    p?.vpn && (p.service ? `VPN (${p.service})` : 'VPN'),
    p?.proxy && 'proxy',
    p?.relay && 'anonymous relay',
    p?.hosting && 'hosting',
  ]);
  return line === '' ? null : line;
}

export function createIpinfoProvider(options: IpinfoOptions): EnrichmentProvider {
  const base = (options.baseUrl ?? ipinfoBaseUrl).replace(/\/+$/, '');
  return {
    id: 'ipinfo',
    subjects: ['ip'],
    ttlMs: (options.ttlMinutes ?? 7 * 24 * 60) * 60_000,
    negativeTtlMs: 24 * 3_600_000,
    async lookup(subject, ctx): Promise<TransportResult<EnrichmentNote | null>> {
      const guard = ipLookupGuard(subject, 'ipinfo');
      if (guard) return guard;
      const token = readSecret(ctx, options.tokenSecret, 'ipinfo');
      if (!token.ok) return token.result;
      const what = 'IPinfo';
      const sent = await send(ctx, `${base}/${subject.value}`, { headers: { authorization: `Bearer ${token.value}`, accept: 'application/json' } }, what);
      if (sent.kind !== 'success') return sent;
      if (!sent.value.ok) return unexpected(sent.value, what, [token.value]);
      const parsed = ipinfoResponseSchema.safeParse(await readJson(sent.value));
      if (!parsed.success) return { kind: 'failure', message: `${what} answered 200 without an "ip" field` };
      if (parsed.data.bogon) return { kind: 'success', value: null };
      const text = describeIpinfo(parsed.data);
      return { kind: 'success', value: text ? { provider: 'ipinfo', subject: subject.value, text } : null };
    },
  };
}
