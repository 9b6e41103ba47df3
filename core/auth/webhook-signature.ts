/**
 * HMAC-SHA256 webhook signatures, as GitHub sends them (`X-Hub-Signature-256: sha256=<hex>` over the exact
 * body bytes, https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries). Verified
 * with WebCrypto's constant-time `verify`, never by comparing strings.
 */
export async function verifyHmacSha256Hex(secret: string, body: Uint8Array, signatureHex: string): Promise<boolean> {
  if (!/^[0-9a-f]{64}$/i.test(signatureHex)) return false;
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const signature = Uint8Array.from(signatureHex.match(/../g)!.map((h) => parseInt(h, 16)));
  return crypto.subtle.verify('HMAC', key, signature, body as Uint8Array<ArrayBuffer>);
}

export async function signHmacSha256Hex(secret: string, body: Uint8Array | string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes as Uint8Array<ArrayBuffer>));
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join('');
}
