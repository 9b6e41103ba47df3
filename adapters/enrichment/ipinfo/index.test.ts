import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../http/guarded-fetch';
import { parseAllowList } from '../../../core/net/outbound-policy';
import type { EnrichmentContext } from '../../../core/enrich/provider';
import type { RunningFake } from '../../../test/fakes/fake-server';
import { ipinfoFakeToken, startIpinfoFake } from '../../../test/fakes/ipinfo';
import { createIpinfoProvider, describeIpinfo } from './index';

let fake: RunningFake;
beforeAll(async () => {
  fake = await startIpinfoFake();
});
afterAll(() => fake.close());
beforeEach(() => admin('reset'));

async function admin(action: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${fake.origin}/__fake/${action}`, { method: action === 'requests' ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}
const requests = () => admin('requests') as Promise<{ url: string; headers: Record<string, string> }[]>;

function ctx(values: Record<string, string> = { IPINFO_TOKEN: ipinfoFakeToken }): EnrichmentContext {
  return { fetch: guardedFetch(parseAllowList(`127.0.0.1:${fake.port}`)), secret: (n) => values[n], now: new Date('2026-11-20T12:00:00.000Z') };
}
const lookup = (ip: string, c = ctx()) => createIpinfoProvider({ tokenSecret: 'IPINFO_TOKEN', baseUrl: fake.origin }).lookup({ kind: 'ip', value: ip }, c);

describe('ipinfo provider against the IPinfo fake', () => {
  it('describes an address with place, AS and privacy flags', async () => {
    expect(await lookup('52.207.21.207')).toEqual({ kind: 'success', value: { provider: 'ipinfo', subject: '52.207.21.207', text: 'Ashburn, US · AS14618 Amazon.com, Inc.' } });
    expect(await lookup('92.55.146.245')).toMatchObject({ value: { text: 'Bucharest, RO · AS8708 RCS & RDS S.A. · Tor exit · VPN' } });
    const [req] = await requests();
    expect([req!.url, req!.headers.authorization]).toEqual(['/52.207.21.207', `Bearer ${ipinfoFakeToken}`]);
  });

  it('answers "nothing known" when IPinfo has nothing but the address', async () => {
    expect(await lookup('81.2.69.142')).toEqual({ kind: 'success', value: null });
  });

  it('answers "nothing known" for a bogon without treating it as an error', async () => {
    // enrichAlert never sends a bogon; a direct call is answered by the guard, and a bogon answer is understood too.
    expect(describeIpinfo({ ip: '10.0.0.1', bogon: true })).toBeNull();
    expect(await lookup('10.0.0.1')).toEqual({ kind: 'success', value: null });
    expect(await requests()).toEqual([]);
  });

  it('fails on an unknown token without repeating it', async () => {
    const result = await lookup('52.207.21.207', ctx({ IPINFO_TOKEN: 'not-the-right-token' }));
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('answered 403') });
    expect(JSON.stringify(result)).toContain('Unknown token');
    expect(JSON.stringify(result)).not.toContain('not-the-right-token');
  });

  it('treats the rate limit (429) as retryable after Retry-After', async () => {
    await admin('fail', { status: 429, times: 1, retryAfterSeconds: 60, body: JSON.stringify({ status: 429, error: { title: 'Rate limit exceeded', message: 'Upgrade to increase your usage limits' } }) });
    expect(await lookup('52.207.21.207')).toMatchObject({ kind: 'retryable', retryAfterMs: 60_000, message: expect.stringContaining('Rate limit exceeded') });
  });

  it('treats a 502 as retryable', async () => {
    await admin('fail', { status: 502, times: 1 });
    expect(await lookup('52.207.21.207')).toMatchObject({ kind: 'retryable', message: expect.stringContaining('answered 502') });
  });

  it('fails naming a missing secret, before any request', async () => {
    expect(await lookup('52.207.21.207', ctx({}))).toEqual({ kind: 'failure', message: 'ipinfo: the secret IPINFO_TOKEN is not set (wrangler secret put IPINFO_TOKEN)' });
    expect(await requests()).toEqual([]);
  });

  it('is refused by the outbound guard for a private base URL', async () => {
    const result = await createIpinfoProvider({ tokenSecret: 'IPINFO_TOKEN', baseUrl: 'http://10.0.0.8:8080' }).lookup({ kind: 'ip', value: '52.207.21.207' }, ctx());
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('refused') });
  });
});

describe('ipinfo provider timing out', () => {
  it('gives up after the context timeout and reports a retryable error', async () => {
    const hanging = (_url: string | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error)));
    const result = await createIpinfoProvider({ tokenSecret: 'IPINFO_TOKEN' }).lookup(
      { kind: 'ip', value: '52.207.21.207' },
      { fetch: hanging, secret: () => ipinfoFakeToken, now: new Date(), timeoutMs: 50 },
    );
    expect(result).toEqual({ kind: 'retryable', message: 'IPinfo did not answer within 50 ms' });
  });
});
