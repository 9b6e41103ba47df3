/**
 * Vendor timestamps to our canonical form: UTC ISO-8601 with milliseconds. Vendors send ISO with or without
 * a zone, with 0–9 fractional digits, space instead of `T`, or epoch seconds/milliseconds. A time without a
 * zone is UTC (every log source we read documents UTC). Anything else is null, never a guess.
 */
const isoLike =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|UTC|[+-]\d{2}:?\d{2})?$/;

/** Plausible event times: 1990 to 2100. Outside that, a number is more likely an id or a counter. */
const minMs = Date.UTC(1990, 0, 1);
const maxMs = Date.UTC(2100, 0, 1);

export function toIsoMillis(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return fromEpoch(value);
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (/^\d{9,13}(\.\d+)?$/.test(s)) return fromEpoch(Number(s));
  // Micro- and nanosecond epochs (Cloudflare Logpush's default): exact through BigInt, then milliseconds.
  if (/^\d{15,19}$/.test(s)) return fromEpoch(Number(BigInt(s) / (s.length > 17 ? 1_000_000n : 1000n)));
  const m = isoLike.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec = '0', frac = '0', zone] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms);
  // Date.UTC rolls out-of-range parts over (month 13, 25:00); refuse instead of moving the event.
  const parts = new Date(t);
  if (
    Number.isNaN(t) ||
    parts.getUTCMonth() + 1 !== Number(mo) ||
    parts.getUTCDate() !== Number(d) ||
    parts.getUTCHours() !== Number(h) ||
    parts.getUTCMinutes() !== Number(mi)
  ) {
    return null;
  }
  if (zone && zone !== 'Z' && zone !== 'z' && zone !== 'UTC') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.replace(/[+:-]/g, '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return t >= minMs && t < maxMs ? new Date(t).toISOString() : null;
}

function fromEpoch(n: number): string | null {
  // seconds until year 5138, then milliseconds, microseconds, nanoseconds by magnitude
  const ms = n < 1e11 ? n * 1000 : n < 1e14 ? n : n < 1e17 ? n / 1000 : n / 1e6;
  return ms >= minMs && ms < maxMs ? new Date(Math.round(ms)).toISOString() : null;
}
