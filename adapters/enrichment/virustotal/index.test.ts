import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guardedFetch } from '../../http/guarded-fetch';
import { parseAllowList } from '../../../core/net/outbound-policy';
import type { EnrichmentContext, EnrichmentSubject } from '../../../core/enrich/provider';
import type { RunningFake } from '../../../test/fakes/fake-server';
import { startVirustotalFake, virustotalFakeKey } from '../../../test/fakes/virustotal';
import { createVirustotalProvider } from './index';

let fake: RunningFake;
beforeAll(async () => {
  fake = await startVirustotalFake();
});
afterAll(() => fake.close());
beforeEach(() => admin('reset'));

async function admin(action: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${fake.origin}/__fake/${action}`, { method: action === 'requests' ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}
const requests = () => admin('requests') as Promise<{ url: string; headers: Record<string, string> }[]>;

function ctx(values: Record<string, string> = { VIRUSTOTAL_API_KEY: virustotalFakeKey }): EnrichmentContext {
  return { fetch: guardedFetch(parseAllowList(`127.0.0.1:${fake.port}`)), secret: (n) => values[n], now: new Date('2026-11-20T12:00:00.000Z') };
}
const lookup = (subject: EnrichmentSubject, c = ctx()) => createVirustotalProvider({ keySecret: 'VIRUSTOTAL_API_KEY', baseUrl: fake.origin }).lookup(subject, c);
const ip = (value: string): EnrichmentSubject => ({ kind: 'ip', value });

describe('virustotal provider against the API v3 fake', () => {
  it('describes an address from last_analysis_stats, reputation and AS', async () => {
    expect(await lookup(ip('92.55.146.245'))).toEqual({
      kind: 'success',
      value: { provider: 'virustotal', subject: '92.55.146.245', text: 'VirusTotal 5/94 engines malicious, 1 suspicious · reputation -12 · AS8708 RCS & RDS S.A. · RO' },
    });
    expect(await lookup(ip('52.207.21.207'))).toMatchObject({ value: { text: 'VirusTotal 0/94 engines malicious · AS14618 AMAZON-AES · US' } });
    const [req] = await requests();
    expect([req!.url, req!.headers['x-apikey']]).toEqual(['/api/v3/ip_addresses/92.55.146.245', virustotalFakeKey]);
  });

  it('describes a domain with its registrar and registration date', async () => {
    expect(await lookup({ kind: 'domain', value: 'acme-okta-verify.com' })).toMatchObject({
      value: { text: 'VirusTotal 9/94 engines malicious, 2 suspicious · reputation -41 · registrar NameCheap, Inc. · registered 2025-11-17' },
    });
    expect((await requests())[0]!.url).toBe('/api/v3/domains/acme-okta-verify.com');
  });

  it('answers "nothing known" for NotFoundError', async () => {
    expect(await lookup({ kind: 'domain', value: 'never-seen.example.org' })).toEqual({ kind: 'success', value: null });
    expect(await lookup(ip('81.2.69.142'))).toEqual({ kind: 'success', value: null });
  });

  it('fails on WrongCredentialsError without repeating the key', async () => {
    const result = await lookup(ip('92.55.146.245'), ctx({ VIRUSTOTAL_API_KEY: 'wrong-virustotal-key-0000' }));
    expect(result).toMatchObject({ kind: 'failure', message: expect.stringContaining('WrongCredentialsError') });
    expect(JSON.stringify(result)).not.toContain('wrong-virustotal-key-0000');
  });

  it('treats QuotaExceededError (429) as retryable', async () => {
    await admin('quota', { remaining: 0 });
    expect(await lookup(ip('92.55.146.245'))).toMatchObject({ kind: 'retryable', message: expect.stringContaining('QuotaExceededError') });
  });

  it('keeps Retry-After on a 429 and treats a 503 as retryable', async () => {
    await admin('fail', { status: 429, times: 1, retryAfterSeconds: 15, body: JSON.stringify({ error: { code: 'TooManyRequestsError', message: 'Too many requests' } }) });
    expect(await lookup(ip('92.55.146.245'))).toMatchObject({ kind: 'retryable', retryAfterMs: 15_000 });
    await admin('fail', { status: 503, times: 1, body: JSON.stringify({ error: { code: 'TransientError', message: 'try again' } }) });
    expect(await lookup(ip('92.55.146.245'))).toMatchObject({ kind: 'retryable', message: expect.stringContaining('TransientError') });
  });

  it('fails naming a missing secret, before any request', async () => {
    expect(await lookup(ip('92.55.146.245'), ctx({}))).toEqual({ kind: 'failure', message: 'virustotal: the secret VIRUSTOTAL_API_KEY is not set (wrangler secret put VIRUSTOTAL_API_KEY)' });
    expect(await requests()).toEqual([]);
  });

  it('never sends a private address or a malformed domain', async () => {
    expect(await lookup(ip('192.168.1.1'))).toEqual({ kind: 'success', value: null });
    expect(await lookup({ kind: 'domain', value: 'x/../../users' })).toMatchObject({ kind: 'failure', message: 'virustotal: "x/../../users" is not a domain name' });
    expect(await requests()).toEqual([]);
  });
});
