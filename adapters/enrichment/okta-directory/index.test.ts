import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../http/guarded-fetch';
import { parseAllowList } from '../../../core/net/outbound-policy';
import type { EnrichmentContext } from '../../../core/enrich/provider';
import type { RunningFake } from '../../../test/fakes/fake-server';
import { oktaFakeToken, startOktaFake } from '../../../test/fakes/okta';
import { createOktaDirectoryProvider } from './index';

const corpusDir = process.env.MANTISSA_CORPUS ?? fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));

let fake: RunningFake;
beforeAll(async () => {
  fake = await startOktaFake(corpusDir);
});
afterAll(() => fake.close());
beforeEach(() => admin('reset'));

async function admin(action: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${fake.origin}/__fake/${action}`, { method: action === 'requests' ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}
const requests = () => admin('requests') as Promise<{ url: string; headers: Record<string, string> }[]>;

const now = new Date('2026-11-20T12:00:00.000Z');
function ctx(values: Record<string, string> = { OKTA_API_TOKEN: oktaFakeToken }): EnrichmentContext {
  return { fetch: guardedFetch(parseAllowList(`127.0.0.1:${fake.port}`)), secret: (n) => values[n], now };
}
const provider = (baseUrl = fake.origin) => createOktaDirectoryProvider({ baseUrl, tokenSecret: 'OKTA_API_TOKEN' });
const lookup = (login: string, c = ctx()) => provider().lookup({ kind: 'user', value: login }, c);

describe('okta-directory provider against the Okta Users API fake', () => {
  it('describes a user: role, manager, status, last login, password change, creation', async () => {
    expect(await lookup('homer.simpson@duff.com')).toEqual({
      kind: 'success',
      value: {
        provider: 'okta',
        subject: 'homer.simpson@duff.com',
        text: 'Safety Inspector, Sector 7G · manager Montgomery Burns · ACTIVE · last login 2026-11-19 · password changed 2026-08-14 · created 2019-06-03',
      },
    });
    const [req] = await requests();
    expect([req!.url, req!.headers.authorization]).toEqual(['/api/v1/users/homer.simpson%40duff.com', `SSWS ${oktaFakeToken}`]);
  });

  it.each([
    ['PETER.GRIFFIN@company.com', 'Shipping Clerk, Pawtucket Brewery · manager Angela · SUSPENDED · last login 2026-11-18 · password changed 2021-02-11 · created 2021-02-11'],
    ['tracey_stone@acme.io', 'Accounts Payable Specialist, Finance · LOCKED_OUT · last login 2026-11-12 · created 2024-03-04'],
    ['jdoe@acme.com', 'PROVISIONED · never logged in · created 2026-11-15'],
  ])('describes %s', async (login, text) => {
    expect(await lookup(login)).toMatchObject({ kind: 'success', value: { text } });
  });

  it('answers "nothing known" for E0000007 (no such user)', async () => {
    expect(await lookup('nobody@acme.io')).toEqual({ kind: 'success', value: null });
  });

  it('fails on E0000011 (invalid token) without repeating the token', async () => {
    const result = await lookup('homer.simpson@duff.com', ctx({ OKTA_API_TOKEN: '00wrong-okta-token-abcdef' }));
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('E0000011') });
    expect(JSON.stringify(result)).not.toContain('00wrong-okta-token-abcdef');
  });

  it('treats 429 as retryable after Retry-After, and after X-Rate-Limit-Reset when Okta sends only that', async () => {
    await admin('fail', { status: 429, times: 1, retryAfterSeconds: 20, body: JSON.stringify({ errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' }) });
    expect(await lookup('homer.simpson@duff.com')).toMatchObject({ kind: 'retryable', retryAfterMs: 20_000, message: expect.stringContaining('E0000047') });
    const reset = String(Math.floor(now.getTime() / 1000) + 45);
    const stub = async () => new Response('{"errorCode":"E0000047"}', { status: 429, headers: { 'x-rate-limit-reset': reset } });
    expect(await provider().lookup({ kind: 'user', value: 'a@b.io' }, { fetch: stub, secret: () => oktaFakeToken, now })).toMatchObject({ kind: 'retryable', retryAfterMs: 45_000 });
  });

  it('treats a 500 as retryable', async () => {
    await admin('fail', { status: 500, times: 1 });
    expect(await lookup('homer.simpson@duff.com')).toMatchObject({ kind: 'retryable', message: expect.stringContaining('answered 500') });
  });

  it('fails naming a missing secret, before any request', async () => {
    expect(await lookup('homer.simpson@duff.com', ctx({}))).toEqual({ kind: 'failure', message: 'okta: the secret OKTA_API_TOKEN is not set (wrangler secret put OKTA_API_TOKEN)' });
    expect(await requests()).toEqual([]);
  });

  it('refuses a configured base URL pointing at the cloud metadata address (SSRF)', async () => {
    const result = await provider('http://169.254.169.254').lookup({ kind: 'user', value: 'homer.simpson@duff.com' }, ctx());
    expect(result).toEqual({ kind: 'failure', message: 'Okta /api/v1/users: outbound request refused: only https URLs are allowed (got http)' });
    const https = await provider('https://169.254.169.254').lookup({ kind: 'user', value: 'homer.simpson@duff.com' }, ctx());
    expect(https).toMatchObject({ kind: 'failure', message: expect.stringContaining('link-local (cloud metadata) address') });
  });

  it('keeps serving the System Log as before', async () => {
    const res = await fetch(`${fake.origin}/api/v1/logs?limit=2`, { headers: { authorization: `SSWS ${oktaFakeToken}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as unknown[]).length).toBe(2);
  });
});
