/**
 * MaxMind GeoIP2 City web service (https://dev.maxmind.com/geoip/docs/web-services/requests/):
 * `GET https://geoip.maxmind.com/geoip/v2.1/city/{ip}`, HTTP Basic auth with the account id and the license key.
 * The answer is a GeoIP2 City record (https://dev.maxmind.com/geoip/docs/web-services/responses/) described by
 * core/enrich/geo-text: "Ashburn, US · AS14618 AMAZON-AES · hosting provider".
 *
 * Errors are `{code, error}` documents (responses page, "Errors"): IP_ADDRESS_NOT_FOUND (404) and
 * IP_ADDRESS_RESERVED (400) mean MaxMind knows nothing → a cached negative answer; ACCOUNT_ID_REQUIRED,
 * AUTHORIZATION_INVALID, LICENSE_KEY_REQUIRED (401), INSUFFICIENT_FUNDS / OUT_OF_QUERIES (402) and
 * PERMISSION_REQUIRED (403) are failures; 429 and 5xx are retryable (core/collect/transport).
 */
import { z } from 'zod';
import type { EnrichmentNote } from '../../../core/alerting/notification';
import type { TransportResult } from '../../../core/collect/transport';
import { describeGeoRecord, geoRecordSchema } from '../../../core/enrich/geo-text';
import type { EnrichmentProvider } from '../../../core/enrich/provider';
import { ipLookupGuard, readJson, readSecret, send, unexpected } from '../../../core/enrich/provider-http';

export interface MaxmindOptions {
  readonly accountIdSecret: string;
  readonly licenseKeySecret: string;
  readonly baseUrl?: string;
  readonly ttlMinutes?: number;
}

export const maxmindBaseUrl = 'https://geoip.maxmind.com';
const errorSchema = z.object({ code: z.string(), error: z.string().optional() });
const unknownAddressCodes = new Set(['IP_ADDRESS_NOT_FOUND', 'IP_ADDRESS_RESERVED']);

export function createMaxmindProvider(options: MaxmindOptions): EnrichmentProvider {
  const base = (options.baseUrl ?? maxmindBaseUrl).replace(/\/+$/, '');
  return {
    id: 'maxmind',
    subjects: ['ip'],
    ttlMs: (options.ttlMinutes ?? 7 * 24 * 60) * 60_000,
    negativeTtlMs: 24 * 3_600_000,
    async lookup(subject, ctx): Promise<TransportResult<EnrichmentNote | null>> {
      const guard = ipLookupGuard(subject, 'maxmind');
      if (guard) return guard;
      const accountId = readSecret(ctx, options.accountIdSecret, 'maxmind');
      if (!accountId.ok) return accountId.result;
      const licenseKey = readSecret(ctx, options.licenseKeySecret, 'maxmind');
      if (!licenseKey.ok) return licenseKey.result;
      const what = 'MaxMind GeoIP2 City';
      const sent = await send(
        ctx,
        `${base}/geoip/v2.1/city/${subject.value}`,
        { headers: { authorization: `Basic ${btoa(`${accountId.value}:${licenseKey.value}`)}`, accept: 'application/json' } },
        what,
      );
      if (sent.kind !== 'success') return sent;
      const response = sent.value;
      if (response.ok) {
        const record = geoRecordSchema.safeParse(await readJson(response));
        if (!record.success) return { kind: 'failure', message: `${what} answered 200 with a document that is not a City record` };
        const text = describeGeoRecord(record.data);
        return { kind: 'success', value: text ? { provider: 'maxmind', subject: subject.value, text } : null };
      }
      const error = errorSchema.safeParse(await readJson(response.clone()));
      if (error.success && unknownAddressCodes.has(error.data.code) && (response.status === 404 || response.status === 400)) return { kind: 'success', value: null };
      return unexpected(response, what, [licenseKey.value]);
    },
  };
}
