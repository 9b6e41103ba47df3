import { describe, expect, it } from 'vitest';
import { parseAllowList } from '../../core/net/outbound-policy';
import { guardedFetch, OutboundRefusedError } from './guarded-fetch';

/** A stand-in network: answers by URL and records what each hop received. */
function network(routes: Record<string, () => Response>) {
  const seen: { url: string; method: string; authorization: string | null; body: string | null }[] = [];
  const fetchImpl = (async (url: URL, init: RequestInit) => {
    const headers = new Headers(init.headers);
    seen.push({ url: url.toString(), method: init.method ?? 'GET', authorization: headers.get('authorization'), body: (init.body as string | undefined) ?? null });
    const route = routes[url.toString()];
    return route ? route() : new Response('not found', { status: 404 });
  }) as unknown as typeof fetch;
  return { seen, fetchImpl };
}

const redirect = (status: number, location: string) => () => new Response(null, { status, headers: { location } });
const policy = parseAllowList('');

describe('guardedFetch', () => {
  it('refuses a private target before sending anything', async () => {
    const { seen, fetchImpl } = network({});
    await expect(guardedFetch(policy, fetchImpl)('https://169.254.169.254/latest')).rejects.toBeInstanceOf(OutboundRefusedError);
    expect(seen).toEqual([]);
  });

  it('refuses a redirect to a private address', async () => {
    const { fetchImpl } = network({ 'https://api.vendor.test/x': redirect(302, 'http://127.0.0.1/steal') });
    await expect(guardedFetch(policy, fetchImpl)('https://api.vendor.test/x')).rejects.toThrow(/redirect refused/);
  });

  it('keeps the token on a same-origin redirect and drops it when the redirect leaves the origin', async () => {
    const { seen, fetchImpl } = network({
      'https://api.vendor.test/a': redirect(307, '/b'),
      'https://api.vendor.test/b': redirect(307, 'https://cdn.elsewhere.test/c'),
      'https://cdn.elsewhere.test/c': () => new Response('ok'),
    });
    const res = await guardedFetch(policy, fetchImpl)('https://api.vendor.test/a', { headers: { authorization: 'Bearer secret' } });
    expect(await res.text()).toBe('ok');
    expect(seen.map((s) => [s.url, s.authorization])).toEqual([
      ['https://api.vendor.test/a', 'Bearer secret'],
      ['https://api.vendor.test/b', 'Bearer secret'],
      ['https://cdn.elsewhere.test/c', null],
    ]);
  });

  it('turns a 303 after a POST into a GET without a body', async () => {
    const { seen, fetchImpl } = network({
      'https://api.vendor.test/post': redirect(303, '/result'),
      'https://api.vendor.test/result': () => new Response('done'),
    });
    await guardedFetch(policy, fetchImpl)('https://api.vendor.test/post', { method: 'POST', body: 'x=1' });
    expect(seen.map((s) => [s.method, s.body])).toEqual([
      ['POST', 'x=1'],
      ['GET', null],
    ]);
  });

  it('refuses a cross-origin 307 that would resend a body holding a secret', async () => {
    const { seen, fetchImpl } = network({ 'https://auth.vendor.test/token': redirect(307, 'https://other.test/token') });
    await expect(guardedFetch(policy, fetchImpl)('https://auth.vendor.test/token', { method: 'POST', body: 'client_secret=s3cret' })).rejects.toThrow(/would resend the request body/);
    expect(seen.map((s) => s.url)).toEqual(['https://auth.vendor.test/token']);
  });

  it('gives up after five redirects', async () => {
    const { fetchImpl } = network({ 'https://api.vendor.test/loop': redirect(302, '/loop') });
    await expect(guardedFetch(policy, fetchImpl)('https://api.vendor.test/loop')).rejects.toThrow(/more than 5 redirects/);
  });
});
