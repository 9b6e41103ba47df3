import { readFileSync, writeFileSync } from 'node:fs';
import { Reader } from 'mmdb-lib';
import { describe, expect, it } from 'vitest';
import type { NotificationAlert } from '../../../core/alerting/notification';
import { enrichAlert } from '../../../core/enrich/enrich-alert';
import type { EnrichmentContext } from '../../../core/enrich/provider';
import { writeMmdb } from './fixtures/mmdb-writer';
import { asnFixture, asnMetadata, asnNetworks, cityFixture, cityMetadata, cityNetworks } from './fixtures/test-databases';
import { createGeoipMmdbProvider, type MmdbBucket } from './index';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

describe('fixture databases', () => {
  it.each([
    [cityFixture, () => writeMmdb(cityNetworks, cityMetadata)],
    [asnFixture, () => writeMmdb(asnNetworks, asnMetadata)],
  ])('%s is what mmdb-writer makes of test-databases.ts', (name, write) => {
    const bytes = write();
    if (process.env.MANTISSA_WRITE_FIXTURES === '1') writeFileSync(fixture(name), bytes);
    expect(Buffer.from(readFileSync(fixture(name))).equals(Buffer.from(bytes))).toBe(true);
  });

  it('reads back with the maintained reader (mmdb-lib), IPv4 and IPv6, with the metadata', () => {
    const city = new Reader<Record<string, unknown>>(readFileSync(fixture(cityFixture)));
    expect(city.metadata).toMatchObject({ databaseType: 'GeoIP2-City', ipVersion: 6, recordSize: 24, binaryFormatMajorVersion: 2, languages: ['en', 'ja', 'ro'] });
    expect(city.get('92.55.146.245')).toEqual({
      city: { geoname_id: 683506, names: { en: 'Bucharest', ro: 'București' } },
      continent: { code: 'EU', geoname_id: 6255148, names: { en: 'Europe' } },
      country: { iso_code: 'RO', geoname_id: 798549, names: { en: 'Romania' } },
      location: { accuracy_radius: 20, latitude: 44.4323, longitude: 26.1063, time_zone: 'Europe/Bucharest' },
      subdivisions: [{ iso_code: 'B', geoname_id: 683504, names: { en: 'Bucureşti' } }],
    });
    expect(city.getWithPrefixLength('52.207.21.207')).toEqual([expect.objectContaining({ city: expect.objectContaining({ names: { en: 'Ashburn' } }) }), 16]);
    expect(city.get('2a02:cf40::7')).toMatchObject({ city: { names: { en: 'Amsterdam' } } });
    expect(city.get('52.208.0.1')).toBeNull();
    expect(city.get('8.8.8.8')).toBeNull();
    const asn = new Reader<Record<string, unknown>>(readFileSync(fixture(asnFixture)));
    expect(asn.get('99.108.5.25')).toEqual({ autonomous_system_number: 7018, autonomous_system_organization: 'ATT-INTERNET4' });
  });
});

/** An R2 bucket stand-in: objects with etags, counting reads. */
function bucket(objects: Record<string, Uint8Array>) {
  const store = new Map(Object.entries(objects).map(([k, v]) => [k, { bytes: v, etag: `etag-${k}-1` }]));
  const calls = { head: 0, get: 0 };
  const b: MmdbBucket = {
    async head(key) {
      calls.head++;
      const o = store.get(key);
      return o ? { etag: o.etag } : null;
    },
    async get(key) {
      calls.get++;
      const o = store.get(key);
      return o ? { etag: o.etag, arrayBuffer: async () => o.bytes.slice().buffer } : null;
    },
  };
  const replace = (key: string, bytes: Uint8Array) => store.set(key, { bytes, etag: `etag-${key}-${Date.now()}-${Math.random()}` });
  return { bucket: b, calls, replace };
}

const cityBytes = () => new Uint8Array(readFileSync(fixture(cityFixture)));
const asnBytes = () => new Uint8Array(readFileSync(fixture(asnFixture)));
const ctxAt = (ms: number): EnrichmentContext => ({
  fetch: async () => {
    throw new Error('the MMDB provider never calls out');
  },
  secret: () => undefined,
  now: new Date(ms),
});
const t0 = Date.parse('2026-11-20T12:00:00.000Z');

describe('geoip-mmdb provider', () => {
  it('describes an address from the City and ASN databases', async () => {
    const { bucket: b } = bucket({ 'geoip/city.mmdb': cityBytes(), 'geoip/asn.mmdb': asnBytes() });
    const provider = createGeoipMmdbProvider({ bucket: b, r2Key: 'geoip/city.mmdb', asnR2Key: 'geoip/asn.mmdb' });
    const lookup = (ip: string) => provider.lookup({ kind: 'ip', value: ip }, ctxAt(t0));
    expect(await lookup('52.207.21.207')).toEqual({ kind: 'success', value: { provider: 'geoip', subject: '52.207.21.207', text: 'Ashburn, US · AS14618 AMAZON-AES' } });
    expect(await lookup('92.55.146.245')).toMatchObject({ value: { text: 'Bucharest, RO · AS8708 RCS & RDS S.A.' } });
    expect(await lookup('194.88.246.242')).toMatchObject({ value: { text: 'Coupvray, FR' } });
    expect(await lookup('218.56.201.220')).toMatchObject({ value: { text: 'CN' } });
    expect(await lookup('2a02:cf40::7')).toMatchObject({ value: { text: 'Amsterdam, NL' } });
    expect(await lookup('8.8.8.8')).toEqual({ kind: 'success', value: null });
  });

  it('parses the file once per etag and reloads it when it is replaced', async () => {
    const { bucket: b, calls, replace } = bucket({ 'city.mmdb': cityBytes() });
    const provider = createGeoipMmdbProvider({ bucket: b, r2Key: 'city.mmdb', recheckMs: 60_000 });
    await provider.lookup({ kind: 'ip', value: '52.207.21.207' }, ctxAt(t0));
    await provider.lookup({ kind: 'ip', value: '52.207.21.207' }, ctxAt(t0 + 1_000));
    expect(calls).toEqual({ head: 0, get: 1 });
    await provider.lookup({ kind: 'ip', value: '52.207.21.207' }, ctxAt(t0 + 61_000));
    expect(calls).toEqual({ head: 1, get: 1 });
    replace('city.mmdb', asnBytes());
    const after = await provider.lookup({ kind: 'ip', value: '52.207.21.207' }, ctxAt(t0 + 200_000));
    expect(calls).toEqual({ head: 2, get: 2 });
    expect(after).toMatchObject({ value: { text: 'AS14618 AMAZON-AES' } });
  });

  it('fails with the key named when the object is missing or is not an MMDB file', async () => {
    const { bucket: b } = bucket({ 'broken.mmdb': new TextEncoder().encode('this is not a database') });
    const missing = await createGeoipMmdbProvider({ bucket: b, r2Key: 'geoip/GeoLite2-City.mmdb' }).lookup({ kind: 'ip', value: '8.8.8.8' }, ctxAt(t0));
    expect(missing).toMatchObject({ kind: 'failure', message: expect.stringContaining('no MMDB file at R2 key "geoip/GeoLite2-City.mmdb"') });
    const broken = await createGeoipMmdbProvider({ bucket: b, r2Key: 'broken.mmdb' }).lookup({ kind: 'ip', value: '8.8.8.8' }, ctxAt(t0));
    expect(broken).toMatchObject({ kind: 'failure', message: expect.stringContaining('is not a MaxMind DB file') });
  });

  it('reports an R2 outage as retryable', async () => {
    const down: MmdbBucket = {
      head: async () => null,
      get: async () => {
        throw new Error('R2 internal error');
      },
    };
    expect(await createGeoipMmdbProvider({ bucket: down, r2Key: 'city.mmdb' }).lookup({ kind: 'ip', value: '8.8.8.8' }, ctxAt(t0))).toEqual({
      kind: 'retryable',
      message: 'geoip: reading R2 key "city.mmdb" failed: R2 internal error',
    });
  });

  it('is never asked about a private address by enrichAlert', async () => {
    const { bucket: b, calls } = bucket({ 'city.mmdb': cityBytes() });
    const provider = createGeoipMmdbProvider({ bucket: b, r2Key: 'city.mmdb' });
    const alert = { entities: { users: [], ips: ['10.0.0.1', '192.168.1.1', '127.0.0.1'], hosts: [] }, enrichment: [] } as unknown as NotificationAlert;
    const outcome = await enrichAlert(alert, [provider], null, ctxAt(t0));
    expect(outcome.lookups).toBe(0);
    expect(calls).toEqual({ head: 0, get: 0 });
  });
});
