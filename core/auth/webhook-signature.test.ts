import { describe, expect, it } from 'vitest';
import { signHmacSha256Hex, verifyHmacSha256Hex } from './webhook-signature';

describe('HMAC-SHA256 webhook signatures', () => {
  // GitHub's documented test vector: secret "It's a Secret to Everybody", payload "Hello, World!".
  const secret = "It's a Secret to Everybody";
  const body = new TextEncoder().encode('Hello, World!');
  const expected = '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  it('matches GitHub’s published example', async () => {
    expect(await signHmacSha256Hex(secret, body)).toBe(expected);
    expect(await verifyHmacSha256Hex(secret, body, expected)).toBe(true);
  });

  it.each([
    ['another secret', 'wrong', expected],
    ['a tampered body', secret, expected.replace(/^7/, '8')],
    ['a malformed signature', secret, 'sha256=abc'],
  ])('refuses %s', async (_label, key, signature) => {
    expect(await verifyHmacSha256Hex(key, body, signature)).toBe(false);
  });
});
