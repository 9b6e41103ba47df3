/**
 * API token format and hashing.
 *
 * A token is `mlt_` + 40 base62 characters (≈ 238 bits from the CSPRNG); the prefix lets secret scanners
 * recognise leaked tokens. Only the SHA-256 of a token is stored: a fast hash is right here because the
 * secret is random and long, not a human password (the same choice GitHub makes for its tokens).
 */
const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const tokenPrefix = 'mlt_';
const tokenPattern = /^mlt_[0-9A-Za-z]{40}$/;

export function generateApiToken(): string {
  const out: string[] = [];
  // Rejection sampling keeps every character uniform (256 is not a multiple of 62).
  while (out.length < 40) {
    const bytes = crypto.getRandomValues(new Uint8Array(64));
    for (const b of bytes) {
      if (b < 248 && out.length < 40) out.push(alphabet[b % 62]!);
    }
  }
  return tokenPrefix + out.join('');
}

/** A token this project generated (mlt_ + 40 base62 characters). */
export function looksLikeApiToken(value: string): boolean {
  return tokenPattern.test(value);
}

/**
 * What the server accepts as a bearer secret before looking it up: generated tokens, and operator-chosen
 * bootstrap tokens (`MANTISSA_ADMIN_TOKEN`) of 8–512 visible ASCII characters. Anything else is refused
 * without touching the database.
 */
export function isPlausibleBearerSecret(value: string): boolean {
  return /^[\x21-\x7e]{8,512}$/.test(value);
}

export async function hashApiToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return toHex(new Uint8Array(digest));
}

/** The first characters after the prefix: shown in lists so people can tell tokens apart. */
export function tokenHint(token: string): string {
  return token.slice(0, tokenPrefix.length + 6);
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
}
