/**
 * The enrichment cache in D1 (migrations/0005_enrichment_cache.sql, adapters/d1/enrichment-cache-repository.ts)
 * behind enrichAlert, inside workerd: TTL expiry, negative answers, one vendor call for two alerts about the same
 * address — and the MMDB provider reading a database from R2 with mmdb-lib under nodejs_compat.
 */
import { env } from 'cloudflare:workers';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { EnrichmentCacheRepository } from '../adapters/d1/enrichment-cache-repository';
import { enrichmentCache } from '../adapters/d1/enrichment-schema';
import { createGeoipMmdbProvider } from '../adapters/enrichment/geoip-mmdb';
import { writeMmdb } from '../adapters/enrichment/geoip-mmdb/fixtures/mmdb-writer';
import { asnMetadata, asnNetworks, cityMetadata, cityNetworks } from '../adapters/enrichment/geoip-mmdb/fixtures/test-databases';
import type { EnrichmentNote, NotificationAlert } from '../core/alerting/notification';
import type { TransportResult } from '../core/collect/transport';
import { enrichAlert } from '../core/enrich/enrich-alert';
import type { EnrichmentContext, EnrichmentProvider } from '../core/enrich/provider';

const t0 = new Date('2026-11-20T12:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const ctx = (now = t0): EnrichmentContext => ({
  fetch: async () => {
    throw new Error('no network here');
  },
  secret: () => undefined,
  now,
});

function alertAbout(ips: string[], users: string[] = []): NotificationAlert {
  return {
    id: `alt_${ips.join('_')}`,
    ruleId: 'okta-brute-force',
    ruleName: 'Okta brute force',
    title: 'Brute force',
    severity: 'high',
    status: 'open',
    entities: { users, ips, hosts: [] },
    firstSeen: t0.toISOString(),
    lastSeen: t0.toISOString(),
    count: 12,
    dedupKey: `okta-brute-force:${ips.join(',')}`,
    tags: [],
    sources: ['okta'],
    evidence: [],
    url: 'https://mantissa.example/alerts/x',
    attribution: null,
    summary: null,
    enrichment: [],
  };
}

/** A provider that answers from a function and counts its calls. */
function counting(id: string, answer: (value: string) => EnrichmentNote | null, ttlMs = 3_600_000, negativeTtlMs = 60_000) {
  const calls: string[] = [];
  const provider: EnrichmentProvider = {
    id,
    subjects: ['ip', 'user'],
    ttlMs,
    negativeTtlMs,
    async lookup(subject): Promise<TransportResult<EnrichmentNote | null>> {
      calls.push(subject.value);
      return { kind: 'success', value: answer(subject.value) };
    },
  };
  return { provider, calls };
}

const cache = () => new EnrichmentCacheRepository(env.DB);

beforeEach(async () => {
  await env.DB.prepare('DELETE FROM enrichment_cache').run();
});

describe('enrichment_cache table', () => {
  it('matches its Drizzle definition column for column', async () => {
    const config = getTableConfig(enrichmentCache);
    const { results } = await env.DB.prepare(`SELECT name, "notnull", pk FROM pragma_table_info(?1)`).bind(config.name).all<{ name: string; notnull: number; pk: number }>();
    expect(results.map((r) => r.name).sort()).toEqual(config.columns.map((c) => c.name).sort());
    for (const column of config.columns) expect(results.find((r) => r.name === column.name)!.notnull === 1, column.name).toBe(column.notNull);
    expect(results.filter((r) => r.pk > 0).map((r) => r.name)).toEqual(['provider', 'subject']);
  });
});

describe('EnrichmentCacheRepository', () => {
  it('returns a note until it expires, then nothing', async () => {
    const note = { provider: 'abuseipdb', subject: '92.55.146.245', text: 'abuse confidence 87% (412 reports)' };
    await cache().put('abuseipdb', '92.55.146.245', note, t0, at(60_000));
    expect(await cache().get('abuseipdb', '92.55.146.245', at(59_999))).toEqual({ note });
    expect(await cache().get('abuseipdb', '92.55.146.245', at(60_000))).toBeUndefined();
    expect(await cache().get('maxmind', '92.55.146.245', t0)).toBeUndefined();
  });

  it('stores a negative answer as NULL and overwrites a row in place', async () => {
    await cache().put('okta', 'nobody@acme.io', null, t0, at(900_000));
    expect(await cache().get('okta', 'nobody@acme.io', t0)).toEqual({ note: null });
    const row = await env.DB.prepare('SELECT note_json, fetched_at, expires_at FROM enrichment_cache WHERE provider = ?1 AND subject = ?2').bind('okta', 'nobody@acme.io').first();
    expect(row).toEqual({ note_json: null, fetched_at: t0.toISOString(), expires_at: at(900_000).toISOString() });
    const note = { provider: 'okta', subject: 'nobody@acme.io', text: 'ACTIVE' };
    await cache().put('okta', 'nobody@acme.io', note, at(1_000_000), at(2_000_000));
    expect(await cache().get('okta', 'nobody@acme.io', at(1_500_000))).toEqual({ note });
    expect((await env.DB.prepare('SELECT count(*) AS n FROM enrichment_cache').first<{ n: number }>())!.n).toBe(1);
  });

  it('treats a row it cannot read as a miss', async () => {
    await env.DB.prepare('INSERT INTO enrichment_cache VALUES (?1, ?2, ?3, ?4, ?5)').bind('ipinfo', '1.1.1.1', '{"text":', t0.toISOString(), at(60_000).toISOString()).run();
    expect(await cache().get('ipinfo', '1.1.1.1', t0)).toBeUndefined();
  });

  it('purges expired rows only', async () => {
    await cache().put('a', 'x', null, t0, at(1_000));
    await cache().put('a', 'y', null, t0, at(10_000));
    expect(await cache().purgeExpired(at(5_000))).toBe(1);
    const { results } = await env.DB.prepare('SELECT subject FROM enrichment_cache').all<{ subject: string }>();
    expect(results.map((r) => r.subject)).toEqual(['y']);
  });
});

describe('enrichAlert with the D1 cache', () => {
  it('makes one lookup for two alerts on the same IP', async () => {
    const geo = counting('geo', (ip) => ({ provider: 'geo', subject: ip, text: 'Bucharest, RO' }));
    const first = await enrichAlert(alertAbout(['92.55.146.245']), [geo.provider], cache(), ctx());
    const second = await enrichAlert(alertAbout(['92.55.146.245', '10.0.0.7']), [geo.provider], cache(), ctx(at(1_000)));
    expect(geo.calls).toEqual(['92.55.146.245']);
    expect([first.lookups, second.lookups, second.cacheHits]).toEqual([1, 0, 1]);
    expect(second.alert.enrichment).toEqual([{ provider: 'geo', subject: '92.55.146.245', text: 'Bucharest, RO' }]);
  });

  it('asks again once the TTL has passed', async () => {
    const geo = counting('geo', (ip) => ({ provider: 'geo', subject: ip, text: 'somewhere' }), 60_000);
    await enrichAlert(alertAbout(['52.207.21.207']), [geo.provider], cache(), ctx());
    await enrichAlert(alertAbout(['52.207.21.207']), [geo.provider], cache(), ctx(at(30_000)));
    await enrichAlert(alertAbout(['52.207.21.207']), [geo.provider], cache(), ctx(at(60_001)));
    expect(geo.calls).toHaveLength(2);
  });

  it('caches "nothing known" for the negative TTL only', async () => {
    const idp = counting('okta', () => null, 3_600_000, 15 * 60_000);
    const alert = alertAbout([], ['ghost@acme.io']);
    const first = await enrichAlert(alert, [idp.provider], cache(), ctx());
    expect(first.alert.enrichment).toEqual([]);
    expect(await cache().get('okta', 'ghost@acme.io', t0)).toEqual({ note: null });
    await enrichAlert(alert, [idp.provider], cache(), ctx(at(14 * 60_000)));
    expect(idp.calls).toHaveLength(1);
    await enrichAlert(alert, [idp.provider], cache(), ctx(at(16 * 60_000)));
    expect(idp.calls).toHaveLength(2);
  });
});

describe('geoip-mmdb provider in workerd', () => {
  it('reads City and ASN databases from R2 with mmdb-lib and enriches an alert', async () => {
    await env.LAKE.put('enrichment/test/city.mmdb', writeMmdb(cityNetworks, cityMetadata));
    await env.LAKE.put('enrichment/test/asn.mmdb', writeMmdb(asnNetworks, asnMetadata));
    const geoip = createGeoipMmdbProvider({ bucket: env.LAKE, r2Key: 'enrichment/test/city.mmdb', asnR2Key: 'enrichment/test/asn.mmdb' });
    const { alert, problems } = await enrichAlert(alertAbout(['52.207.21.207', '192.168.1.1', '2a02:cf40::7']), [geoip], cache(), ctx());
    expect(problems).toEqual([]);
    expect(alert.enrichment).toEqual([
      { provider: 'geoip', subject: '52.207.21.207', text: 'Ashburn, US · AS14618 AMAZON-AES' },
      { provider: 'geoip', subject: '2a02:cf40::7', text: 'Amsterdam, NL' },
    ]);
    // Local lookups are not written to D1 (ttlMs 0).
    expect((await env.DB.prepare('SELECT count(*) AS n FROM enrichment_cache').first<{ n: number }>())!.n).toBe(0);
  });
});
