/**
 * Signing and verifying generic webhook deliveries (docs/webhook-verification.md). Pure WebCrypto
 * (`crypto.subtle`), so the same code runs in workerd, in Node ≥ 20 and in the tests' receiver fake.
 *
 * Scheme (v1): `X-Mantissa-Timestamp: <unix seconds>` and `X-Mantissa-Signature: v1=<hex>` where `<hex>` is
 * HMAC-SHA256, keyed with the destination's secret, over the bytes `<timestamp>.<raw body>`. Signing the
 * timestamp with the body lets a receiver refuse replays: a captured request stops verifying once its timestamp
 * leaves the tolerance window, and inside the window the signed `deliveryKey` in the body is what it dedupes on.
 *
 * Invariants: the comparison is constant-time (`crypto.subtle.verify` compares the MACs itself, the way the
 * Web Crypto spec requires for HMAC verification); a malformed header is refused before any MAC is computed;
 * several `v1=` entries separated by commas are accepted (any one matching), so a sender may sign with two
 * secrets while a receiver rotates.
 */
const encoder = new TextEncoder();

export const signatureVersion = 'v1';
export const defaultToleranceSeconds = 300;

function importHmacKey(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** The string that is MAC'd: `<timestamp>.<raw body>`. */
function signedPayload(timestamp: number | string, body: string): Uint8Array<ArrayBuffer> {
  // Copied into a plain ArrayBuffer-backed view: what WebCrypto's BufferSource takes in every runtime's typings.
  return new Uint8Array(encoder.encode(`${timestamp}.${body}`));
}

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, the value of `X-Mantissa-Signature`. */
export async function signWebhookBody(secret: string, timestamp: number, body: string): Promise<string> {
  const key = await importHmacKey(secret, 'sign');
  const mac = await crypto.subtle.sign('HMAC', key, signedPayload(timestamp, body));
  return `${signatureVersion}=${toHex(new Uint8Array(mac))}`;
}

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'malformed_timestamp' | 'stale_timestamp' | 'malformed_signature' | 'mismatch'; message: string };

export interface VerifyWebhookSignatureInput {
  readonly secret: string;
  /** The `X-Mantissa-Timestamp` header as received. */
  readonly timestamp: string | null | undefined;
  /** The raw request body, exactly as received (before any JSON parsing). */
  readonly body: string;
  /** The `X-Mantissa-Signature` header as received. */
  readonly signature: string | null | undefined;
  /** The receiver's clock (default: now). */
  readonly now?: Date;
  /** How far the timestamp may be from `now`, either way (default 300 s). */
  readonly toleranceSeconds?: number;
}

/** Verifies one delivery's signature and freshness; never throws for bad input. */
export async function verifyWebhookSignature(input: VerifyWebhookSignatureInput): Promise<SignatureCheck> {
  const { secret, body, toleranceSeconds = defaultToleranceSeconds } = input;
  const rawTimestamp = (input.timestamp ?? '').trim();
  if (!/^\d{1,12}$/.test(rawTimestamp)) {
    return { ok: false, reason: 'malformed_timestamp', message: 'X-Mantissa-Timestamp must be unix seconds' };
  }
  const timestamp = Number(rawTimestamp);
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    return { ok: false, reason: 'stale_timestamp', message: `timestamp is more than ${toleranceSeconds} s away from now (replayed or clock skew)` };
  }
  const candidates = (input.signature ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${signatureVersion}=`))
    .map((part) => part.slice(signatureVersion.length + 1));
  if (candidates.length === 0 || !candidates.every((c) => /^[0-9a-f]{64}$/i.test(c))) {
    return { ok: false, reason: 'malformed_signature', message: 'X-Mantissa-Signature must be v1=<64 hex digits>' };
  }
  const key = await importHmacKey(secret, 'verify');
  const data = signedPayload(rawTimestamp, body);
  let matched = false;
  // Every candidate is checked (no early exit), so the time taken does not depend on which one matched.
  for (const candidate of candidates) {
    if (await crypto.subtle.verify('HMAC', key, hexToBytes(candidate), data)) matched = true;
  }
  return matched ? { ok: true, timestamp } : { ok: false, reason: 'mismatch', message: 'signature does not match the body and timestamp' };
}
