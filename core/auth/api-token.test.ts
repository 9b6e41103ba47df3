import { describe, expect, it } from 'vitest';
import { generateApiToken, hashApiToken, isPlausibleBearerSecret, looksLikeApiToken, tokenHint } from './api-token';

describe('api tokens', () => {
  it('generates distinct well-formed tokens', () => {
    const a = generateApiToken();
    const b = generateApiToken();
    expect(looksLikeApiToken(a)).toBe(true);
    expect(a).not.toBe(b);
  });

  it('hashes to the SHA-256 hex digest', async () => {
    // sha256("abc")
    expect(await hashApiToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('rejects strings that are not tokens', () => {
    expect(looksLikeApiToken('mlt_short')).toBe(false);
    expect(looksLikeApiToken(`xyz_${'a'.repeat(40)}`)).toBe(false);
  });

  it('accepts operator-chosen secrets of visible ASCII only', () => {
    expect(isPlausibleBearerSecret('local-admin-token')).toBe(true);
    expect(isPlausibleBearerSecret(generateApiToken())).toBe(true);
    expect(isPlausibleBearerSecret('short')).toBe(false);
    expect(isPlausibleBearerSecret('has space inside')).toBe(false);
    expect(isPlausibleBearerSecret('x'.repeat(513))).toBe(false);
  });

  it('shows only a short hint', () => {
    expect(tokenHint('mlt_abcdefghijkl')).toBe('mlt_abcdef');
  });
});
