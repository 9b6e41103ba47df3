import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../http/guarded-fetch';
import { parseAllowList } from '../../../core/net/outbound-policy';
import type { EnrichmentContext } from '../../../core/enrich/provider';
import type { RunningFake } from '../../../test/fakes/fake-server';
import { maxmindFakeAccountId, maxmindFakeLicenseKey, startMaxmindFake } from '../../../test/fakes/maxmind';
import { createMaxmindProvider } from './index';

let fake: RunningFake;
beforeAll(async () => {
  fake = await startMaxmindFake();
});
afterAll(() => fake.close());
beforeEach(() => admin('reset'));

async function admin(action: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${fake.origin}/__fake/${action}`, { method: action === 'requests' ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}
const requests = () => admin('requests') as Promise<{ url: string; headers: Record<string, string> }[]>;

const secrets = { MAXMIND_ACCOUNT_ID: maxmindFakeAccountId, MAXMIND_LICENSE_KEY: maxmindFakeLicenseKey };
function ctx(values: Record<string, string> = secrets): EnrichmentContext {
  return { fetch: guardedFetch(parseAllowList(`127.0.0.1:${fake.port}`)), secret: (n) => values[n], now: new Date('2026-11-20T12:00:00.000Z') };
}
const provider = () => createMaxmindProvider({ accountIdSecret: 'MAXMIND_ACCOUNT_ID', licenseKeySecret: 'MAXMIND_LICENSE_KEY', baseUrl: fake.origin });
const lookup = (ip: string, c = ctx()) => provider().lookup({ kind: 'ip', value: ip }, c);

describe('maxmind provider against the GeoIP2 web service fake', () => {
  it('describes a known address with place, network and traits', async () => {
    expect(await lookup('52.207.21.207')).toEqual({
      kind: 'success',
      value: { provider: 'maxmind', subject: '52.207.21.207', text: 'Ashburn, US · AS14618 AMAZON-AES · hosting provider' },
    });
    expect(await lookup('92.55.146.245')).toMatchObject({ value: { text: 'Bucharest, RO · AS8708 RCS & RDS S.A. · anonymous VPN' } });
    const [req] = await requests();
    expect(req!.url).toBe('/geoip/v2.1/city/52.207.21.207');
    expect(req!.headers.authorization).toBe(`Basic ${Buffer.from(`${maxmindFakeAccountId}:${maxmindFakeLicenseKey}`).toString('base64')}`);
  });

  it('answers "nothing known" for IP_ADDRESS_NOT_FOUND', async () => {
    expect(await lookup('81.2.69.142')).toEqual({ kind: 'success', value: null });
  });

  it('fails on AUTHORIZATION_INVALID without repeating the license key', async () => {
    const result = await lookup('52.207.21.207', ctx({ ...secrets, MAXMIND_LICENSE_KEY: 'wrong-license-key-value' }));
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('answered 401') });
    expect(JSON.stringify(result)).toContain('AUTHORIZATION_INVALID');
    expect(JSON.stringify(result)).not.toContain('wrong-license-key-value');
  });

  it('fails when the account is OUT_OF_QUERIES (402)', async () => {
    await admin('fail', { status: 402, times: 1, body: JSON.stringify({ code: 'OUT_OF_QUERIES', error: 'The license key you have provided is out of queries.' }) });
    expect(await lookup('52.207.21.207')).toMatchObject({ kind: 'failure', message: expect.stringContaining('OUT_OF_QUERIES') });
  });

  it.each([
    [429, 30, { kind: 'retryable', retryAfterMs: 30_000 }],
    [500, undefined, { kind: 'retryable' }],
    [503, 5, { kind: 'retryable', retryAfterMs: 5_000 }],
  ])('treats %i as retryable', async (status, retryAfterSeconds, expected) => {
    await admin('fail', { status, times: 1, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) });
    expect(await lookup('52.207.21.207')).toMatchObject(expected);
  });

  it('fails naming a missing secret, before any request', async () => {
    expect(await lookup('52.207.21.207', ctx({ MAXMIND_ACCOUNT_ID: maxmindFakeAccountId }))).toEqual({
      kind: 'failure',
      message: 'maxmind: the secret MAXMIND_LICENSE_KEY is not set (wrangler secret put MAXMIND_LICENSE_KEY)',
    });
    expect(await requests()).toEqual([]);
  });

  it('never sends a private or reserved address', async () => {
    for (const ip of ['10.0.0.1', '192.168.1.1', '127.0.0.1', '::1', '100.64.1.1']) expect(await lookup(ip)).toEqual({ kind: 'success', value: null });
    expect(await requests()).toEqual([]);
  });

  it('refuses to put something that is not an address into the URL', async () => {
    expect(await lookup('../../admin')).toMatchObject({ kind: 'failure', message: 'maxmind: "../../admin" is not an IP address' });
    expect(await requests()).toEqual([]);
  });

  it('is refused by the outbound guard when the base URL is not allow-listed', async () => {
    const blocked = createMaxmindProvider({ accountIdSecret: 'MAXMIND_ACCOUNT_ID', licenseKeySecret: 'MAXMIND_LICENSE_KEY', baseUrl: 'http://169.254.169.254' });
    const result = await blocked.lookup({ kind: 'ip', value: '52.207.21.207' }, ctx());
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('refused') });
  });
});
