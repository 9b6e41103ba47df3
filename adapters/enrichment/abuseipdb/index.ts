/**
 * AbuseIPDB APIv2 CHECK endpoint (https://docs.abuseipdb.com/#check-endpoint):
 * `GET https://api.abuseipdb.com/api/v2/check?ipAddress=…&maxAgeInDays=90` with headers `Key: <key>` and
 * `Accept: application/json` → `{data: {abuseConfidenceScore, countryCode, isp, usageType, totalReports,
 * lastReportedAt, isTor, isPublic, …}}`. Errors are `{errors: [{detail, status, source?}]}`
 * (https://docs.abuseipdb.com/#error-handling): 401 (bad key) fails, 422 (an address AbuseIPDB will not check)
 * is a cached negative answer, 429 (daily limit) is retryable after Retry-After, or else X-RateLimit-Reset.
 * Note: "abuse confidence 87% (412 reports, last 2026-11-19) · RCS & RDS S.A., RO · Fixed Line ISP · Tor exit".
 */
import { z } from 'zod';
import type { EnrichmentNote } from '../../../core/alerting/notification';
import type { TransportResult } from '../../../core/collect/transport';
import type { EnrichmentProvider } from '../../../core/enrich/provider';
import { ipLookupGuard, noteLine, readJson, readSecret, resetHeaderMs, send, unexpected } from '../../../core/enrich/provider-http';

export interface AbuseipdbOptions {
  readonly keySecret: string;
  readonly maxAgeInDays?: number;
  readonly baseUrl?: string;
  readonly ttlMinutes?: number;
}

export const abuseipdbBaseUrl = 'https://api.abuseipdb.com';

export const abuseipdbCheckSchema = z.object({
  data: z.object({
    ipAddress: z.string(),
    isPublic: z.boolean().optional().catch(undefined),
    abuseConfidenceScore: z.number(),
    countryCode: z.string().nullish().catch(null),
    usageType: z.string().nullish().catch(null),
    isp: z.string().nullish().catch(null),
    isTor: z.boolean().nullish().catch(null),
    totalReports: z.number().nullish().catch(null),
    lastReportedAt: z.string().nullish().catch(null),
  }),
});
export type AbuseipdbCheck = z.infer<typeof abuseipdbCheckSchema>['data'];

export function describeAbuseipdb(d: AbuseipdbCheck): string {
  const reports = d.totalReports ?? 0;
  const last = d.lastReportedAt ? `, last ${d.lastReportedAt.slice(0, 10)}` : '';
  return noteLine([
    `abuse confidence ${d.abuseConfidenceScore}% (${reports === 0 ? 'no reports' : `${reports} report${reports === 1 ? '' : 's'}${last}`})`,
    [d.isp, d.countryCode].filter(Boolean).join(', '),
    d.usageType,
    d.isTor && 'Tor exit',
  ]);
}

export function createAbuseipdbProvider(options: AbuseipdbOptions): EnrichmentProvider {
  const base = (options.baseUrl ?? abuseipdbBaseUrl).replace(/\/+$/, '');
  return {
    id: 'abuseipdb',
    subjects: ['ip'],
    ttlMs: (options.ttlMinutes ?? 24 * 60) * 60_000,
    negativeTtlMs: 24 * 3_600_000,
    async lookup(subject, ctx): Promise<TransportResult<EnrichmentNote | null>> {
      const guard = ipLookupGuard(subject, 'abuseipdb');
      if (guard) return guard;
      const key = readSecret(ctx, options.keySecret, 'abuseipdb');
      if (!key.ok) return key.result;
      const what = 'AbuseIPDB check';
      const query = new URLSearchParams({ ipAddress: subject.value, maxAgeInDays: String(options.maxAgeInDays ?? 90) });
      const sent = await send(ctx, `${base}/api/v2/check?${query}`, { headers: { key: key.value, accept: 'application/json' } }, what);
      if (sent.kind !== 'success') return sent;
      const response = sent.value;
      if (response.status === 422) return { kind: 'success', value: null };
      if (!response.ok) {
        const result = await unexpected(response, what, [key.value]);
        const reset = resetHeaderMs(response.headers.get('x-ratelimit-reset'), ctx.now);
        return result.kind === 'retryable' && result.retryAfterMs === undefined && reset !== undefined ? { ...result, retryAfterMs: reset } : result;
      }
      const parsed = abuseipdbCheckSchema.safeParse(await readJson(response));
      if (!parsed.success) return { kind: 'failure', message: `${what} answered 200 without data.abuseConfidenceScore` };
      if (parsed.data.data.isPublic === false) return { kind: 'success', value: null };
      return { kind: 'success', value: { provider: 'abuseipdb', subject: subject.value, text: describeAbuseipdb(parsed.data.data) } };
    },
  };
}
