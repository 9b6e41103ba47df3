/**
 * GeoIP from a MaxMind DB file (GeoIP2/GeoLite2 City or Country, optionally with an ASN database) kept in R2:
 * no third party sees the address. The file is read with mmdb-lib (the maintained reader behind the `maxmind`
 * package; pure JavaScript over a Node Buffer, available in workerd through nodejs_compat).
 *
 * The parsed reader is cached per isolate and per object, keyed by the object's etag: after `recheckMs` a HEAD
 * request tells whether the file was replaced (a new GeoLite2 release uploaded under the same key), and only then
 * is it downloaded and parsed again. Lookups are local, so answers are not written to the D1 cache (`ttlMs` 0).
 *
 * Formats: https://maxmind.github.io/MaxMind-DB/ (file), https://dev.maxmind.com/geoip/docs/databases/city-and-country/
 * and https://dev.maxmind.com/geoip/docs/databases/asn/ (records).
 */
import { Buffer } from 'node:buffer';
import { Reader } from 'mmdb-lib';
import type { TransportResult } from '../../../core/collect/transport';
import { describeGeoRecord, geoRecordSchema } from '../../../core/enrich/geo-text';
import type { EnrichmentProvider } from '../../../core/enrich/provider';
import { ipLookupGuard } from '../../../core/enrich/provider-http';
import type { EnrichmentNote } from '../../../core/alerting/notification';

/** What the provider needs of an R2 bucket (R2Bucket satisfies it). */
export interface MmdbBucket {
  head(key: string): Promise<{ readonly etag: string } | null>;
  get(key: string): Promise<{ readonly etag: string; arrayBuffer(): Promise<ArrayBuffer> } | null>;
}

export interface GeoipMmdbOptions {
  readonly bucket: MmdbBucket;
  readonly r2Key: string;
  readonly asnR2Key?: string;
  /** How long a loaded file is trusted before its etag is checked again (default 5 minutes). */
  readonly recheckMs?: number;
}

interface LoadedReader {
  readonly etag: string;
  readonly reader: Reader<Record<string, unknown>>;
  checkedAt: number;
}

const loaded = new WeakMap<MmdbBucket, Map<string, LoadedReader>>();
const defaultRecheckMs = 5 * 60_000;

export function createGeoipMmdbProvider(options: GeoipMmdbOptions): EnrichmentProvider {
  const recheckMs = options.recheckMs ?? defaultRecheckMs;
  const keys = [options.r2Key, ...(options.asnR2Key ? [options.asnR2Key] : [])];
  return {
    id: 'geoip',
    subjects: ['ip'],
    ttlMs: 0,
    async lookup(subject, ctx): Promise<TransportResult<EnrichmentNote | null>> {
      const guard = ipLookupGuard(subject, 'geoip');
      if (guard) return guard;
      const record: Record<string, unknown> = {};
      for (const key of keys) {
        const reader = await readerFor(options.bucket, key, ctx.now.getTime(), recheckMs);
        if (reader.kind !== 'success') return reader;
        try {
          Object.assign(record, reader.value.get(subject.value) ?? {});
        } catch (err) {
          return { kind: 'failure', message: `geoip: cannot look up ${subject.value}: ${err instanceof Error ? err.message : String(err)}` };
        }
      }
      const text = describeGeoRecord(geoRecordSchema.parse(record));
      return { kind: 'success', value: text ? { provider: 'geoip', subject: subject.value, text } : null };
    },
  };
}

async function readerFor(bucket: MmdbBucket, key: string, now: number, recheckMs: number): Promise<TransportResult<Reader<Record<string, unknown>>>> {
  let byKey = loaded.get(bucket);
  if (!byKey) loaded.set(bucket, (byKey = new Map()));
  const cached = byKey.get(key);
  try {
    if (cached && now - cached.checkedAt < recheckMs) return { kind: 'success', value: cached.reader };
    if (cached) {
      const head = await bucket.head(key);
      if (head?.etag === cached.etag) {
        cached.checkedAt = now;
        return { kind: 'success', value: cached.reader };
      }
    }
    const object = await bucket.get(key);
    if (!object) return { kind: 'failure', message: `geoip: no MMDB file at R2 key "${key}" (upload one: wrangler r2 object put mantissa-lake/${key} --file GeoLite2-City.mmdb)` };
    let reader: Reader<Record<string, unknown>>;
    try {
      reader = new Reader<Record<string, unknown>>(Buffer.from(await object.arrayBuffer()));
    } catch (err) {
      return { kind: 'failure', message: `geoip: R2 key "${key}" is not a MaxMind DB file: ${err instanceof Error ? err.message : String(err)}` };
    }
    byKey.set(key, { etag: object.etag, reader, checkedAt: now });
    return { kind: 'success', value: reader };
  } catch (err) {
    return { kind: 'retryable', message: `geoip: reading R2 key "${key}" failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}
