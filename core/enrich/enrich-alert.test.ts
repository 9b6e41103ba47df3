import { describe, expect, it } from 'vitest';
import type { EnrichmentNote, NotificationAlert } from '../alerting/notification';
import type { TransportResult } from '../collect/transport';
import { alertSubjects, enrichAlert } from './enrich-alert';
import { scrubSecrets } from './provider-http';
import { enrichmentConfigSchema } from './config';
import type { CachedAnswer, EnrichmentCache, EnrichmentContext, EnrichmentProvider, EnrichmentSubject, SubjectKind } from './provider';

const now = new Date('2026-11-20T12:00:00.000Z');

function alertWith(entities: Partial<NotificationAlert['entities']>, enrichment: EnrichmentNote[] = []): NotificationAlert {
  return {
    id: 'alt_1',
    ruleId: 'r1',
    ruleName: 'Rule',
    title: 'Title',
    severity: 'high',
    status: 'open',
    entities: { users: [], ips: [], hosts: [], ...entities },
    firstSeen: now.toISOString(),
    lastSeen: now.toISOString(),
    count: 1,
    dedupKey: 'r1:x',
    tags: [],
    sources: ['okta'],
    evidence: [],
    url: 'https://mantissa.example/alerts/alt_1',
    attribution: null,
    summary: null,
    enrichment,
  };
}

/** A provider answering from a table; records what it was asked. */
function stubProvider(
  id: string,
  subjects: SubjectKind[],
  answer: (s: EnrichmentSubject, ctx: EnrichmentContext) => TransportResult<EnrichmentNote | null> | Promise<TransportResult<EnrichmentNote | null>>,
  ttlMs = 3_600_000,
  negativeTtlMs?: number,
) {
  const asked: string[] = [];
  const provider: EnrichmentProvider = {
    id,
    subjects,
    ttlMs,
    ...(negativeTtlMs !== undefined ? { negativeTtlMs } : {}),
    async lookup(subject, ctx) {
      asked.push(subject.value);
      return answer(subject, ctx);
    },
  };
  return { provider, asked };
}

const note = (provider: string) => (s: EnrichmentSubject): TransportResult<EnrichmentNote | null> => ({ kind: 'success', value: { provider, subject: s.value, text: `${provider} knows ${s.value}` } });

/** The cache's contract, in memory. */
function memoryCache() {
  const rows = new Map<string, { note: EnrichmentNote | null; expiresAt: number }>();
  const cache: EnrichmentCache = {
    async get(provider, subject, at): Promise<CachedAnswer | undefined> {
      const row = rows.get(`${provider}|${subject}`);
      return row && row.expiresAt > at.getTime() ? { note: row.note } : undefined;
    },
    async put(provider, subject, n, _fetchedAt, expiresAt) {
      rows.set(`${provider}|${subject}`, { note: n, expiresAt: expiresAt.getTime() });
    },
  };
  return { cache, rows };
}

const ctx = (secrets: Record<string, string> = {}, at = now): EnrichmentContext => ({
  fetch: async () => {
    throw new Error('no network in this test');
  },
  secret: (name) => secrets[name],
  now: at,
});

describe('alertSubjects', () => {
  const all = new Set<SubjectKind>(['ip', 'user', 'domain']);

  it('keeps public IPs, users and domains, in that order, and says why it skipped the rest', () => {
    const { subjects, skipped } = alertSubjects(
      {
        entities: {
          users: ['Tracey_Stone@acme.io', 'unknown', 'tracey_stone@acme.io'],
          ips: ['10.0.0.5', '92.55.146.245', '192.168.1.1', '127.0.0.1', 'not-an-ip', '2A02:CF40::7', '203.0.113.9'],
          hosts: ['laptop-0042', 'evil.example.net', 'dc01.corp', '52.207.21.207', 'build.internal'],
        },
      },
      all,
      10,
    );
    expect(subjects).toEqual([
      { kind: 'ip', value: '92.55.146.245' },
      { kind: 'ip', value: '2a02:cf40::7' },
      { kind: 'ip', value: '52.207.21.207' },
      { kind: 'user', value: 'tracey_stone@acme.io' },
      { kind: 'domain', value: 'evil.example.net' },
    ]);
    expect(skipped).toEqual([
      { subject: '10.0.0.5', reason: 'private address' },
      { subject: '192.168.1.1', reason: 'private address' },
      { subject: '127.0.0.1', reason: 'loopback address' },
      { subject: 'not-an-ip', reason: 'not an IP address' },
      { subject: '203.0.113.9', reason: 'documentation (TEST-NET-3) address' },
      { subject: 'unknown', reason: 'not a user name' },
      { subject: 'laptop-0042', reason: 'not a domain name' },
      { subject: 'dc01.corp', reason: 'an internal name' },
      { subject: 'build.internal', reason: 'an internal name' },
    ]);
  });

  it('stops at the limit and counts only kinds some provider handles', () => {
    const entities = { users: ['a@x.io', 'b@x.io'], ips: ['81.2.69.142', '81.2.69.143', '81.2.69.144'], hosts: [] };
    const limited = alertSubjects({ entities }, all, 2);
    expect(limited.subjects.map((s) => s.value)).toEqual(['81.2.69.142', '81.2.69.143']);
    expect(limited.skipped.filter((s) => s.reason.startsWith('over the limit')).map((s) => s.subject)).toEqual(['81.2.69.144', 'a@x.io', 'b@x.io']);
    expect(alertSubjects({ entities }, new Set<SubjectKind>(['user']), 2).subjects.map((s) => s.value)).toEqual(['a@x.io', 'b@x.io']);
  });
});

describe('enrichAlert', () => {
  it('adds one note per provider and subject, in a stable order', async () => {
    const geo = stubProvider('geoip', ['ip'], note('geoip'));
    const idp = stubProvider('okta', ['user'], note('okta'));
    const { alert, problems, lookups } = await enrichAlert(
      alertWith({ ips: ['81.2.69.142'], users: ['alice@acme.io'] }, [{ provider: 'manual', subject: 'x', text: 'kept' }]),
      [idp.provider, geo.provider],
      memoryCache().cache,
      ctx(),
    );
    expect(problems).toEqual([]);
    expect(lookups).toBe(2);
    expect(alert.enrichment).toEqual([
      { provider: 'manual', subject: 'x', text: 'kept' },
      { provider: 'geoip', subject: '81.2.69.142', text: 'geoip knows 81.2.69.142' },
      { provider: 'okta', subject: 'alice@acme.io', text: 'okta knows alice@acme.io' },
    ]);
  });

  it('never asks a provider about a private or reserved address', async () => {
    const geo = stubProvider('geoip', ['ip'], note('geoip'));
    const { alert, skipped } = await enrichAlert(alertWith({ ips: ['10.1.2.3', '192.168.0.10', '127.0.0.1', '169.254.169.254', 'fd00::1'] }), [geo.provider], null, ctx());
    expect(geo.asked).toEqual([]);
    expect(alert.enrichment).toEqual([]);
    expect(skipped).toHaveLength(5);
  });

  it('looks up once and answers the second alert on the same IP from the cache', async () => {
    const geo = stubProvider('geoip', ['ip'], note('geoip'));
    const { cache } = memoryCache();
    await enrichAlert(alertWith({ ips: ['81.2.69.142'] }), [geo.provider], cache, ctx());
    const second = await enrichAlert(alertWith({ ips: ['81.2.69.142'] }), [geo.provider], cache, ctx());
    expect(geo.asked).toEqual(['81.2.69.142']);
    expect(second).toMatchObject({ lookups: 0, cacheHits: 1 });
    expect(second.alert.enrichment).toEqual([{ provider: 'geoip', subject: '81.2.69.142', text: 'geoip knows 81.2.69.142' }]);
  });

  it('caches "nothing known" for the shorter negative TTL', async () => {
    const ti = stubProvider('abuseipdb', ['ip'], () => ({ kind: 'success', value: null }), 24 * 3_600_000, 60_000);
    const { cache, rows } = memoryCache();
    await enrichAlert(alertWith({ ips: ['81.2.69.142'] }), [ti.provider], cache, ctx());
    expect(rows.get('abuseipdb|81.2.69.142')).toEqual({ note: null, expiresAt: now.getTime() + 60_000 });
    await enrichAlert(alertWith({ ips: ['81.2.69.142'] }), [ti.provider], cache, ctx({}, new Date(now.getTime() + 59_000)));
    expect(ti.asked).toHaveLength(1);
    await enrichAlert(alertWith({ ips: ['81.2.69.142'] }), [ti.provider], cache, ctx({}, new Date(now.getTime() + 61_000)));
    expect(ti.asked).toHaveLength(2);
  });

  it('does not cache a provider with ttlMs 0 or an error', async () => {
    let calls = 0;
    const flaky = stubProvider('ipinfo', ['ip'], () => (++calls === 1 ? { kind: 'retryable', message: 'ipinfo answered 429', retryAfterMs: 2000 } : note('ipinfo')({ kind: 'ip', value: '81.2.69.142' })));
    const local = stubProvider('geoip', ['ip'], note('geoip'), 0);
    const { cache, rows } = memoryCache();
    const first = await enrichAlert(alertWith({ ips: ['81.2.69.142'] }), [flaky.provider, local.provider], cache, ctx());
    expect(first.problems).toEqual([{ provider: 'ipinfo', subject: '81.2.69.142', kind: 'retryable', message: 'ipinfo answered 429', retryAfterMs: 2000 }]);
    expect(first.alert.enrichment.map((n) => n.provider)).toEqual(['geoip']);
    expect([...rows.keys()]).toEqual([]);
    await enrichAlert(alertWith({ ips: ['81.2.69.142'] }), [flaky.provider, local.provider], cache, ctx());
    expect([flaky.asked.length, local.asked.length]).toEqual([2, 2]);
    expect([...rows.keys()]).toEqual(['ipinfo|81.2.69.142']);
  });

  it('keeps going when a provider throws or the cache is down, and stops asking a failing provider', async () => {
    const broken = stubProvider('virustotal', ['ip'], () => ({ kind: 'failure', message: 'virustotal answered 401: WrongCredentialsError' }));
    const throwing = stubProvider('maxmind', ['ip'], () => {
      throw new Error('boom');
    });
    const fine = stubProvider('geoip', ['ip'], note('geoip'));
    const downCache: EnrichmentCache = {
      get: async () => {
        throw new Error('D1_ERROR: no such table');
      },
      put: async () => {
        throw new Error('D1_ERROR: no such table');
      },
    };
    const { alert, problems } = await enrichAlert(alertWith({ ips: ['81.2.69.142', '52.207.21.207'] }), [broken.provider, throwing.provider, fine.provider], downCache, ctx());
    expect(broken.asked).toEqual(['81.2.69.142']);
    expect(throwing.asked).toEqual(['81.2.69.142']);
    expect(alert.enrichment.map((n) => n.subject)).toEqual(['81.2.69.142', '52.207.21.207']);
    expect(problems.filter((p) => p.kind !== 'cache')).toEqual([
      { provider: 'virustotal', subject: '81.2.69.142', kind: 'failure', message: 'virustotal answered 401: WrongCredentialsError' },
      { provider: 'maxmind', subject: '81.2.69.142', kind: 'failure', message: 'maxmind threw: boom' },
    ]);
    expect(problems.some((p) => p.kind === 'cache' && p.message.includes('cache read failed'))).toBe(true);
  });

  it('scrubs every secret value it handed out from the problems it reports', async () => {
    const echo = stubProvider('ipinfo', ['ip'], (_s, c) => {
      const token = c.secret('IPINFO_TOKEN')!;
      return { kind: 'failure', message: `ipinfo answered 403: {"error":"token ${token} (${btoa(token)}) is not valid"}` };
    });
    const { problems } = await enrichAlert(alertWith({ ips: ['81.2.69.142'] }), [echo.provider], null, ctx({ IPINFO_TOKEN: 'tok_9f8e7d6c5b4a' }));
    expect(problems[0]!.message).toBe('ipinfo answered 403: {"error":"token [secret] ([secret]) is not valid"}');
  });

  it('does not add a note the alert already carries', async () => {
    const geo = stubProvider('geoip', ['ip'], note('geoip'));
    const existing = { provider: 'geoip', subject: '81.2.69.142', text: 'from the first delivery' };
    const { alert } = await enrichAlert(alertWith({ ips: ['81.2.69.142'] }, [existing]), [geo.provider], null, ctx());
    expect(alert.enrichment).toEqual([existing]);
  });

  it('honours the subject limit', async () => {
    const geo = stubProvider('geoip', ['ip'], note('geoip'));
    const { skipped } = await enrichAlert(alertWith({ ips: ['81.2.69.142', '81.2.69.143', '81.2.69.144'] }), [geo.provider], null, ctx(), { maxSubjects: 2 });
    expect(geo.asked).toEqual(['81.2.69.142', '81.2.69.143']);
    expect(skipped).toEqual([{ subject: '81.2.69.144', reason: 'over the limit of 2 subjects per alert' }]);
  });
});

describe('scrubSecrets', () => {
  it('ignores very short values and caps long messages', () => {
    expect(scrubSecrets('a b c', new Set(['b']))).toBe('a b c');
    expect(scrubSecrets('x'.repeat(600), new Set())).toHaveLength(501);
  });
});

describe('enrichmentConfigSchema', () => {
  it('defaults the subject limit to 5 and turns providers on by their section', () => {
    expect(enrichmentConfigSchema.parse({})).toEqual({ maxSubjectsPerAlert: 5 });
    const config = enrichmentConfigSchema.parse({ okta: { baseUrl: 'https://acme.okta.com/', tokenSecret: 'OKTA_API_TOKEN' }, abuseipdb: { keySecret: 'ABUSEIPDB_KEY' } });
    expect(config.okta).toEqual({ baseUrl: 'https://acme.okta.com', tokenSecret: 'OKTA_API_TOKEN' });
    expect(config.abuseipdb).toEqual({ keySecret: 'ABUSEIPDB_KEY', maxAgeInDays: 90 });
  });

  it.each([
    [{ ipinfo: { token: 'abc' } }, 'ipinfo'],
    [{ virustotal: { keySecret: 'has space' } }, 'keySecret'],
    [{ okta: { baseUrl: 'not a url', tokenSecret: 'T' } }, 'baseUrl'],
    [{ maxSubjectsPerAlert: 0 }, 'maxSubjectsPerAlert'],
    [{ shodan: {} }, ''],
  ])('rejects %j', (input, path) => {
    const parsed = enrichmentConfigSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.')).join(' ')).toContain(path);
  });
});
