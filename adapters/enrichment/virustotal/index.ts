/**
 * VirusTotal API v3: `GET https://www.virustotal.com/api/v3/ip_addresses/{ip}` (https://docs.virustotal.com/reference/ip-info)
 * and `GET …/api/v3/domains/{domain}` (https://docs.virustotal.com/reference/domain-info) with header `x-apikey`.
 * Objects (https://docs.virustotal.com/reference/ip-object, …/domains-object) carry `last_analysis_stats
 * {malicious, suspicious, harmless, undetected, timeout}`, `reputation`, and for addresses `as_owner`, `asn`,
 * `country`; for domains `registrar` and `creation_date`. Errors are `{error: {code, message}}`
 * (https://docs.virustotal.com/reference/errors): NotFoundError 404 → a cached negative answer;
 * WrongCredentialsError / AuthenticationRequiredError 401 and ForbiddenError 403 fail; QuotaExceededError and
 * TooManyRequestsError 429 are retryable.
 */
import { z } from 'zod';
import type { EnrichmentNote } from '../../../core/alerting/notification';
import type { TransportResult } from '../../../core/collect/transport';
import type { EnrichmentProvider } from '../../../core/enrich/provider';
import { ipLookupGuard, noteLine, readJson, readSecret, send, unexpected } from '../../../core/enrich/provider-http';

export interface VirustotalOptions {
  readonly keySecret: string;
  readonly baseUrl?: string;
  readonly ttlMinutes?: number;
}

export const virustotalBaseUrl = 'https://www.virustotal.com';

const count = z.number().int().nonnegative().catch(0).default(0);
export const virustotalObjectSchema = z.object({
  data: z.object({
    id: z.string(),
    type: z.string(),
    attributes: z.object({
      last_analysis_stats: z.object({ malicious: count, suspicious: count, harmless: count, undetected: count, timeout: count }).optional().catch(undefined),
      reputation: z.number().optional().catch(undefined),
      as_owner: z.string().optional().catch(undefined),
      asn: z.number().optional().catch(undefined),
      country: z.string().optional().catch(undefined),
      registrar: z.string().optional().catch(undefined),
      creation_date: z.number().optional().catch(undefined),
    }),
  }),
});
export type VirustotalAttributes = z.infer<typeof virustotalObjectSchema>['data']['attributes'];

const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) });

export function describeVirustotal(a: VirustotalAttributes): string {
  const s = a.last_analysis_stats;
  const engines = s ? s.malicious + s.suspicious + s.harmless + s.undetected + s.timeout : 0;
  const verdict = !s || engines === 0 ? 'not analysed yet' : `${s.malicious}/${engines} engines malicious${s.suspicious ? `, ${s.suspicious} suspicious` : ''}`;
  return noteLine([
    `VirusTotal ${verdict}`,
    a.reputation !== undefined && a.reputation !== 0 && `reputation ${a.reputation}`,
    a.as_owner && `${a.asn !== undefined ? `AS${a.asn} ` : ''}${a.as_owner}`,
    a.country,
    a.registrar && `registrar ${a.registrar}`,
    a.creation_date !== undefined && `registered ${new Date(a.creation_date * 1000).toISOString().slice(0, 10)}`,
  ]);
}

export function createVirustotalProvider(options: VirustotalOptions): EnrichmentProvider {
  const base = (options.baseUrl ?? virustotalBaseUrl).replace(/\/+$/, '');
  return {
    id: 'virustotal',
    subjects: ['ip', 'domain'],
    ttlMs: (options.ttlMinutes ?? 24 * 60) * 60_000,
    negativeTtlMs: 6 * 3_600_000,
    async lookup(subject, ctx): Promise<TransportResult<EnrichmentNote | null>> {
      if (subject.kind === 'user') return { kind: 'success', value: null };
      if (subject.kind === 'ip') {
        const guard = ipLookupGuard(subject, 'virustotal');
        if (guard) return guard;
      } else if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i.test(subject.value)) {
        return { kind: 'failure', message: `virustotal: "${subject.value.slice(0, 100)}" is not a domain name` };
      }
      const key = readSecret(ctx, options.keySecret, 'virustotal');
      if (!key.ok) return key.result;
      const collection = subject.kind === 'ip' ? 'ip_addresses' : 'domains';
      const what = `VirusTotal ${collection}`;
      const sent = await send(ctx, `${base}/api/v3/${collection}/${encodeURIComponent(subject.value).replace(/%3A/gi, ':')}`, { headers: { 'x-apikey': key.value, accept: 'application/json' } }, what);
      if (sent.kind !== 'success') return sent;
      const response = sent.value;
      if (!response.ok) {
        const error = errorSchema.safeParse(await readJson(response.clone()));
        if (response.status === 404 && error.success && error.data.error.code === 'NotFoundError') return { kind: 'success', value: null };
        return unexpected(response, what, [key.value]);
      }
      const parsed = virustotalObjectSchema.safeParse(await readJson(response));
      if (!parsed.success) return { kind: 'failure', message: `${what} answered 200 without data.attributes` };
      return { kind: 'success', value: { provider: 'virustotal', subject: subject.value, text: describeVirustotal(parsed.data.data.attributes) } };
    },
  };
}
