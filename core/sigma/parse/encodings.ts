/**
 * The encoding modifiers (modifiers appendix, "Encoding"): utf16le/wide, utf16be, utf16 (with byte order mark),
 * base64 and base64offset. Written out instead of using TextEncoder/btoa so core stays free of runtime APIs.
 *
 * Byte strings are JavaScript strings whose code units are all 0–255 (one per byte): that is what the utf16
 * modifiers produce, what base64 consumes after them, and what a pattern holds if a utf16 value is matched
 * without base64 (e.g. `cmd` → "c\u0000m\u0000d\u0000", as pySigma does).
 */

export function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    const cp = char.codePointAt(0) as number;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return bytes;
}

export function byteString(bytes: readonly number[]): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

export function bytesOfByteString(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) bytes.push(text.charCodeAt(i) & 0xff);
  return bytes;
}

/** UTF-16 code units of `text` as bytes, little- or big-endian (surrogate pairs come out as the pair, as UTF-16 wants). */
export function utf16Bytes(text: string, endian: 'le' | 'be'): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (endian === 'le') bytes.push(unit & 0xff, unit >> 8);
    else bytes.push(unit >> 8, unit & 0xff);
  }
  return bytes;
}

export const utf16LeByteOrderMark: readonly number[] = [0xff, 0xfe];

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] as number;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    out += alphabet[b0 >> 2];
    out += alphabet[((b0 & 0x03) << 4) | ((b1 ?? 0) >> 4)];
    out += b1 === undefined ? '=' : alphabet[((b1 & 0x0f) << 2) | ((b2 ?? 0) >> 6)];
    out += b2 === undefined ? '=' : alphabet[b2 & 0x3f];
  }
  return out;
}

const offsetStarts = [0, 2, 3] as const;
const offsetEnds = [undefined, -3, -2] as const;

/**
 * The three base64 forms of `bytes` at offsets 0, 1 and 2 inside a longer encoded text, each cut to the
 * characters that do not depend on the surrounding bytes (same cut as pySigma, on the byte length).
 */
export function base64Offsets(bytes: readonly number[]): string[] {
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift += 1) {
    const encoded = base64([...new Array<number>(shift).fill(0x20), ...bytes]);
    const end = offsetEnds[(bytes.length + shift) % 3];
    out.push(encoded.slice(offsetStarts[shift], end === undefined ? undefined : encoded.length + end));
  }
  return out;
}
