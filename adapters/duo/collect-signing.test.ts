// Duo signature v5 against the vectors Duo publishes with its reference signer (duosecurity/duo_hmac_python,
// test/test_hmac.py: "the expected Authorization header was calculated using duo_client_python").
import { describe, expect, it } from 'vitest';
import { duoCanonicalParams, duoDate, duoQuote, signDuoRequest } from './collect-signing';

const base = {
  integrationKey: 'DIABCDEFGHIJKLMNOPQR',
  secretKey: 'testtesttesttesttesttesttesttesttesttest',
  method: 'GET',
  host: 'api-xxxxxxxx.duosecurity.com',
  path: '/api/path',
  date: new Date(Date.UTC(2024, 4, 24, 12, 0, 0)),
};

describe('Duo request signing (v5)', () => {
  it('writes the date as Duo does', () => {
    expect(duoDate(base.date)).toBe('Fri, 24 May 2024 12:00:00 -0000');
  });

  it.each([
    [
      'no parameters',
      [],
      {},
      'Basic RElBQkNERUZHSElKS0xNTk9QUVI6YzQ1NDYzOWQ3NWI0ZTNkOTliOGIxZDVlNDFjZDdiYjJkMmQ4YmE1NWY2ODExZjc4NmRmYjBlZGQ0ZmFjZDJmM2E1ZTZkNmM4MzdmMzFmNjgyNjcwNjMyNWI0ZWQ3ZGNkYzVmMTExNjQ5NDhlNTdhNzAzMmE1MjQ5OTBlMDE1ODM=',
    ],
    [
      'one parameter',
      [['foo', 'bar']],
      {},
      'Basic RElBQkNERUZHSElKS0xNTk9QUVI6ODhmZTgwZjNiMjQyYjk5MmY0YjMwMTQwOGQ1MjRhODg2Mjc0ZDNlZDBjNGM3YmQxODRlMWI0ZmYzNzhlNjhlYTA1ZDk0MzNjMDk5MzgwNzhjNDk1MTdhNmM0MjY0Yzk1MGJlOWZmNWNjMjhhZDJkNDQ4Y2VhMjRiYzkzODg3Y2E=',
    ],
    [
      'several parameters and X-Duo headers',
      [
        ['foo', 'bar'],
        ['one', '1'],
        ['bool', 'true'],
      ],
      { 'x-duo-foo': 'bar', 'x-duo-bar': 'foo' },
      'Basic RElBQkNERUZHSElKS0xNTk9QUVI6ZDQ2NTU2NzI2ODAwNDE1ZGM3OGNlZmMzZmI0ZTExZGNmM2VlMTM0MjkwNGYyNzZlZDVjOGUzNDI3ODc4YmQ1Mzc2ZWE2YzU1NTFiOTBiZjcwN2ZhYjUzZjZmMWQyMGExMTQ4OTg4OTg3MDVkMjgyNjg4MjRlZGQwYmU1ZjFkNTM=',
    ],
  ] as const)('matches the reference signature with %s', async (_name, params, duoHeaders, authorization) => {
    const headers = await signDuoRequest({ ...base, params, duoHeaders });
    expect(headers.authorization).toBe(authorization);
    expect(headers['x-duo-date']).toBe('Fri, 24 May 2024 12:00:00 -0000');
  });

  it('encodes every byte but the unreserved characters, in upper-case hex', () => {
    expect(duoQuote("a b/c~d_e.f-g!*'()@ü")).toBe('a%20b%2Fc~d_e.f-g%21%2A%27%28%29%40%C3%BC');
  });

  it('sorts parameters by encoded key, then value, shorter keys first', () => {
    expect(
      duoCanonicalParams([
        ['foo_bar', '2'],
        ['foo', '1'],
        ['realname', 'First Last'],
        ['foo', '0'],
      ]),
    ).toBe('foo=0&foo=1&foo_bar=2&realname=First%20Last');
  });
});
