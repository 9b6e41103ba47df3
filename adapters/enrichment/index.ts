/**
 * The enrichment providers an `enrichment:` configuration (core/enrich/config.ts) turns on, in the order their
 * notes appear on an alert: local GeoIP first, then the web services, then the identity provider.
 */
import type { EnrichmentConfig } from '../../core/enrich/config';
import type { EnrichmentProvider } from '../../core/enrich/provider';
import { createAbuseipdbProvider } from './abuseipdb';
import { createGeoipMmdbProvider, type MmdbBucket } from './geoip-mmdb';
import { createIpinfoProvider } from './ipinfo';
import { createMaxmindProvider } from './maxmind';
import { createOktaDirectoryProvider } from './okta-directory';
import { createVirustotalProvider } from './virustotal';

export interface EnrichmentBindings {
  /** The R2 bucket holding MMDB files (LAKE); needed when `geoipMmdb` is configured. */
  readonly mmdbBucket?: MmdbBucket;
}

export type BuildProvidersResult = { ok: true; providers: EnrichmentProvider[] } | { ok: false; message: string };

export function createEnrichmentProviders(config: EnrichmentConfig, bindings: EnrichmentBindings): BuildProvidersResult {
  const providers: EnrichmentProvider[] = [];
  if (config.geoipMmdb) {
    if (!bindings.mmdbBucket) return { ok: false, message: 'enrichment.geoipMmdb needs an R2 bucket binding (LAKE)' };
    providers.push(createGeoipMmdbProvider({ bucket: bindings.mmdbBucket, ...config.geoipMmdb }));
  }
  if (config.maxmind) providers.push(createMaxmindProvider(config.maxmind));
  if (config.ipinfo) providers.push(createIpinfoProvider(config.ipinfo));
  if (config.abuseipdb) providers.push(createAbuseipdbProvider(config.abuseipdb));
  if (config.virustotal) providers.push(createVirustotalProvider(config.virustotal));
  if (config.okta) providers.push(createOktaDirectoryProvider(config.okta));
  return { ok: true, providers };
}
