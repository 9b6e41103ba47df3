/**
 * Lenient field readers for vendor payloads. Real logs break their own documentation (a number where a string
 * was promised, `"null"` for null, keys in a different case after a pipeline touched them); a parser reads
 * what is usable and treats the rest as absent rather than rejecting the event.
 */
import type { z } from 'zod';

/** A zod field that becomes undefined instead of failing when the vendor sent the wrong type. */
export function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

/** A non-empty string, with vendors' textual nulls (`"null"`, `"None"`, `"-"`) treated as absent. */
export function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (s === '' || s === 'null' || s === 'None' || s === 'undefined' || s === '-') return null;
  return s;
}

export function finiteNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

export function integer(value: unknown): number | null {
  const n = finiteNumber(value);
  return n !== null && Number.isInteger(n) ? n : null;
}

/** Emails are compared case-insensitively everywhere, so they are stored lower-cased. */
export function principalName(value: unknown): string | null {
  const s = text(value);
  if (!s) return null;
  return s.includes('@') ? s.toLowerCase() : s;
}

/** Restores documented key casing when an upstream pipeline lower-cased top-level keys. */
export function restoreKeyCase(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const key of keys) {
    const lower = key.toLowerCase();
    if (lower !== key && !(key in record) && lower in record) {
      out ??= { ...record };
      out[key] = record[lower];
    }
  }
  return out ?? record;
}

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const ipv6 = /^[0-9a-fA-F:]+(:\d{1,3}(\.\d{1,3}){3})?$/;

/** An IPv4 or IPv6 address, or null (CloudTrail puts service names like `s3.amazonaws.com` in the IP field). */
export function ipAddress(value: unknown): string | null {
  const s = text(value);
  if (!s) return null;
  if (ipv4.test(s)) return s;
  if (s.includes(':') && ipv6.test(s)) return s.toLowerCase();
  return null;
}
