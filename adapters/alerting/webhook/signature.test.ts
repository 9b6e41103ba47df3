import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhookBody, verifyWebhookSignature } from './signature';

const secret = 'whsec_test_secret';
const body = '{"version":1,"kind":"trigger","deliveryKey":"alt_1:dst:trigger:1"}';
const timestamp = 1768470127; // 2026-01-15T09:42:07Z
const now = new Date(timestamp * 1000);

describe('signWebhookBody', () => {
  it('is v1= HMAC-SHA256 over "<timestamp>.<body>", as Node computes it', async () => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    expect(await signWebhookBody(secret, timestamp, body)).toBe(`v1=${expected}`);
  });
});

describe('verifyWebhookSignature', () => {
  it('accepts a fresh, correctly signed delivery', async () => {
    const signature = await signWebhookBody(secret, timestamp, body);
    expect(await verifyWebhookSignature({ secret, timestamp: String(timestamp), body, signature, now })).toEqual({ ok: true, timestamp });
  });

  it.each([
    ['a tampered body', { body: body.replace('trigger', 'resolve') }],
    ['the wrong secret', { secret: 'whsec_other' }],
    ['another timestamp than the one signed', { timestamp: String(timestamp + 1) }],
  ])('refuses %s', async (_, override) => {
    const signature = await signWebhookBody(secret, timestamp, body);
    const result = await verifyWebhookSignature({ secret, timestamp: String(timestamp), body, signature, now, ...override });
    expect(result).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it.each([
    ['301 s old', -301],
    ['301 s in the future', 301],
  ])('refuses a timestamp %s (replay window)', async (_, offset) => {
    const signature = await signWebhookBody(secret, timestamp, body);
    const result = await verifyWebhookSignature({ secret, timestamp: String(timestamp), body, signature, now: new Date((timestamp - offset) * 1000) });
    expect(result).toMatchObject({ ok: false, reason: 'stale_timestamp' });
  });

  it('accepts a timestamp at the edge of the window, and honours a narrower one', async () => {
    const signature = await signWebhookBody(secret, timestamp, body);
    const at = new Date((timestamp + 300) * 1000);
    expect(await verifyWebhookSignature({ secret, timestamp: String(timestamp), body, signature, now: at })).toMatchObject({ ok: true });
    expect(await verifyWebhookSignature({ secret, timestamp: String(timestamp), body, signature, now: at, toleranceSeconds: 60 })).toMatchObject({ ok: false, reason: 'stale_timestamp' });
  });

  it.each([
    ['missing', undefined],
    ['without a version', 'deadbeef'],
    ['an unknown version only', `v0=${'a'.repeat(64)}`],
    ['too short', 'v1=abcd'],
    ['not hex', `v1=${'z'.repeat(64)}`],
  ])('refuses a signature header that is %s', async (_, signature) => {
    expect(await verifyWebhookSignature({ secret, timestamp: String(timestamp), body, signature, now })).toMatchObject({ ok: false, reason: 'malformed_signature' });
  });

  it.each([undefined, '', '2026-01-15T09:42:07Z', '-5', '1.5'])('refuses the timestamp %j', async (value) => {
    const signature = await signWebhookBody(secret, timestamp, body);
    expect(await verifyWebhookSignature({ secret, timestamp: value, body, signature, now })).toMatchObject({ ok: false, reason: 'malformed_timestamp' });
  });

  it('accepts any one of several v1 signatures (secret rotation)', async () => {
    const old = await signWebhookBody('whsec_old', timestamp, body);
    const current = await signWebhookBody(secret, timestamp, body);
    expect(await verifyWebhookSignature({ secret, timestamp: String(timestamp), body, signature: `${old}, ${current}`, now })).toMatchObject({ ok: true });
    expect(await verifyWebhookSignature({ secret: 'whsec_third', timestamp: String(timestamp), body, signature: `${old}, ${current}`, now })).toMatchObject({ ok: false, reason: 'mismatch' });
  });
});
