import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../http/guarded-fetch';
import { parseAllowList } from '../../../core/net/outbound-policy';
import type { NotificationAlert } from '../../../core/alerting/notification';
import { enrichAlert } from '../../../core/enrich/enrich-alert';
import type { EnrichmentContext } from '../../../core/enrich/provider';
import type { RunningFake } from '../../../test/fakes/fake-server';
import { abuseipdbFakeKey, startAbuseipdbFake } from '../../../test/fakes/abuseipdb';
import { createAbuseipdbProvider } from './index';

let fake: RunningFake;
beforeAll(async () => {
  fake = await startAbuseipdbFake();
});
afterAll(() => fake.close());
beforeEach(() => admin('reset'));

async function admin(action: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${fake.origin}/__fake/${action}`, { method: action === 'requests' ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}
const requests = () => admin('requests') as Promise<{ url: string; headers: Record<string, string> }[]>;

const now = new Date('2026-11-20T12:00:00.000Z');
function ctx(values: Record<string, string> = { ABUSEIPDB_KEY: abuseipdbFakeKey }, at = now): EnrichmentContext {
  return { fetch: guardedFetch(parseAllowList(`127.0.0.1:${fake.port}`)), secret: (n) => values[n], now: at };
}
const provider = () => createAbuseipdbProvider({ keySecret: 'ABUSEIPDB_KEY', baseUrl: fake.origin });
const lookup = (ip: string, c = ctx()) => provider().lookup({ kind: 'ip', value: ip }, c);

describe('abuseipdb provider against the APIv2 check fake', () => {
  it('describes a reported address and sends the documented request', async () => {
    expect(await lookup('92.55.146.245')).toEqual({
      kind: 'success',
      value: { provider: 'abuseipdb', subject: '92.55.146.245', text: 'abuse confidence 87% (412 reports, last 2026-11-19) · RCS & RDS S.A., RO · Fixed Line ISP · Tor exit' },
    });
    const [req] = await requests();
    expect(req!.url).toBe('/api/v2/check?ipAddress=92.55.146.245&maxAgeInDays=90');
    expect([req!.headers.key, req!.headers.accept]).toEqual([abuseipdbFakeKey, 'application/json']);
  });

  it('says so when an address has never been reported', async () => {
    expect(await lookup('52.207.21.207')).toMatchObject({ value: { text: 'abuse confidence 0% (no reports) · Amazon Technologies Inc., US · Data Center/Web Hosting/Transit' } });
  });

  it('answers "nothing known" for an address AbuseIPDB refuses to check (422)', async () => {
    await admin('fail', { status: 422, times: 1, body: JSON.stringify({ errors: [{ detail: 'The ip address must be a valid IPv4 or IPv6 address (e.g. 8.8.8.8 or 2001:4860:4860::8888).', status: 422, source: { parameter: 'ipAddress' } }] }) });
    expect(await lookup('81.2.69.142')).toEqual({ kind: 'success', value: null });
  });

  it('fails on a wrong key, and neither the provider nor enrichAlert repeats it even when the body echoes it', async () => {
    const wrong = 'wrong-abuseipdb-key-9f8e7d6c5b4a';
    const plain = await lookup('92.55.146.245', ctx({ ABUSEIPDB_KEY: wrong }));
    expect(plain).toMatchObject({ kind: 'failure', message: expect.stringContaining('Authentication failed') });
    expect(JSON.stringify(plain)).not.toContain(wrong);

    await admin('fail', { status: 401, times: 2, body: JSON.stringify({ errors: [{ detail: `API key ${wrong} is revoked`, status: 401 }] }) });
    const echoed = await lookup('92.55.146.245', ctx({ ABUSEIPDB_KEY: wrong }));
    expect(echoed).toMatchObject({ kind: 'failure', message: expect.stringContaining('API key [secret] is revoked') });
    const alert = { entities: { users: [], ips: ['92.55.146.245'], hosts: [] }, enrichment: [] } as unknown as NotificationAlert;
    const outcome = await enrichAlert(alert, [provider()], null, ctx({ ABUSEIPDB_KEY: wrong }));
    expect(outcome.problems).toHaveLength(1);
    expect(JSON.stringify(outcome)).not.toContain(wrong);
  });

  it('is retryable after Retry-After once the daily limit is used up, with the X-RateLimit headers seen', async () => {
    await admin('limit', { remaining: 0 });
    const result = await lookup('92.55.146.245');
    expect(result).toMatchObject({ kind: 'retryable', retryAfterMs: 3_600_000, message: expect.stringContaining('Daily rate limit of 1000 requests exceeded') });
  });

  it('falls back to X-RateLimit-Reset when a 429 has no Retry-After', async () => {
    const reset = Math.floor(now.getTime() / 1000) + 120;
    const fetchStub = async () => new Response('{"errors":[{"detail":"Too Many Requests","status":429}]}', { status: 429, headers: { 'x-ratelimit-reset': String(reset) } });
    const result = await provider().lookup({ kind: 'ip', value: '92.55.146.245' }, { fetch: fetchStub, secret: () => abuseipdbFakeKey, now });
    expect(result).toMatchObject({ kind: 'retryable', retryAfterMs: 120_000 });
  });

  it('treats a 500 as retryable', async () => {
    await admin('fail', { status: 500, times: 1 });
    expect(await lookup('92.55.146.245')).toMatchObject({ kind: 'retryable', message: expect.stringContaining('answered 500') });
  });

  it('fails naming a missing secret, before any request', async () => {
    expect(await lookup('92.55.146.245', ctx({}))).toEqual({ kind: 'failure', message: 'abuseipdb: the secret ABUSEIPDB_KEY is not set (wrangler secret put ABUSEIPDB_KEY)' });
    expect(await requests()).toEqual([]);
  });

  it('never sends a private address, alone or through enrichAlert', async () => {
    expect(await lookup('172.16.4.2')).toEqual({ kind: 'success', value: null });
    const alert = { entities: { users: [], ips: ['10.1.1.1', '192.168.10.20', 'fe80::1'], hosts: [] }, enrichment: [] } as unknown as NotificationAlert;
    expect((await enrichAlert(alert, [provider()], null, ctx())).lookups).toBe(0);
    expect(await requests()).toEqual([]);
  });
});
