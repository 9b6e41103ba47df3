/**
 * TDS data types: TYPE_INFO in COLMETADATA (MS-TDS 2.2.5.6) and the matching TYPE_VARBYTE values in ROW/NBCROW
 * (2.2.5.2.3), decoded to JSON values.
 *
 * Supported (what a lake SELECT returns): INT1/INT2/INT4/INT8, INTN, BIT/BITN, FLT4/FLT8/FLTN, DECIMALN/NUMERICN,
 * BIGVARCHR/BIGCHAR, NVARCHAR/NCHAR (incl. (max) as PLP, 2.2.5.2.3), DATEN, DATETIME2N, DATETIMN/DATETIME,
 * GUID. Any other type is a `TdsUnsupportedTypeError` naming the type, raised when COLMETADATA arrives, so the
 * analyst learns which column to CAST rather than getting garbled values.
 *
 * Value invariants: integers beyond ±(2^53 − 1) and decimals with more than 15 significant digits stay strings;
 * BIT is a boolean; dates are `YYYY-MM-DD`, date-times ISO 8601 with a `Z` (the lake stores UTC and SQL Server
 * date-time types carry no zone); GUIDs are lower-case canonical strings.
 */
import { fromUtf16le, type ByteReader } from './bytes';

export const TdsType = {
  NULL: 0x1f,
  INT1: 0x30,
  BIT: 0x32,
  INT2: 0x34,
  INT4: 0x38,
  DATETIM4: 0x3a,
  FLT4: 0x3b,
  MONEY: 0x3c,
  DATETIME: 0x3d,
  FLT8: 0x3e,
  MONEY4: 0x7a,
  INT8: 0x7f,
  GUID: 0x24,
  INTN: 0x26,
  DATEN: 0x28,
  TIMEN: 0x29,
  DATETIME2N: 0x2a,
  DATETIMEOFFSETN: 0x2b,
  BITN: 0x68,
  DECIMALN: 0x6a,
  NUMERICN: 0x6c,
  FLTN: 0x6d,
  MONEYN: 0x6e,
  DATETIMN: 0x6f,
  BIGVARBIN: 0xa5,
  BIGVARCHR: 0xa7,
  BIGBINARY: 0xad,
  BIGCHAR: 0xaf,
  NVARCHAR: 0xe7,
  NCHAR: 0xef,
  XML: 0xf1,
  UDT: 0xf0,
  TEXT: 0x23,
  IMAGE: 0x22,
  NTEXT: 0x63,
  SSVARIANT: 0x62,
} as const;

const typeNames: Record<number, string> = Object.fromEntries(Object.entries(TdsType).map(([k, v]) => [v, k]));

export function tdsTypeName(type: number): string {
  return typeNames[type] ?? `0x${type.toString(16).padStart(2, '0')}`;
}

export class TdsUnsupportedTypeError extends Error {
  override readonly name = 'TdsUnsupportedTypeError';
}

/** SQL collation (2.2.5.1.2): LCID in bits 0–19, flags in 20–27 (fUTF8 is bit 26, TDS 7.4+), then SortId. */
export interface Collation {
  readonly lcid: number;
  readonly utf8: boolean;
  readonly sortId: number;
}

export type TypeInfo =
  | { readonly kind: 'fixed'; readonly type: number; readonly size: number }
  | { readonly kind: 'bytelen'; readonly type: number; readonly size: number }
  | { readonly kind: 'decimal'; readonly type: number; readonly size: number; readonly precision: number; readonly scale: number }
  | { readonly kind: 'date'; readonly type: number }
  | { readonly kind: 'datetime2'; readonly type: number; readonly scale: number }
  | { readonly kind: 'text'; readonly type: number; readonly maxBytes: number; readonly unicode: boolean; readonly collation: Collation; readonly plp: boolean };

const fixedSizes: Record<number, number> = {
  [TdsType.INT1]: 1,
  [TdsType.BIT]: 1,
  [TdsType.INT2]: 2,
  [TdsType.INT4]: 4,
  [TdsType.INT8]: 8,
  [TdsType.FLT4]: 4,
  [TdsType.FLT8]: 8,
  [TdsType.DATETIME]: 8,
};

export function readCollation(r: ByteReader): Collation {
  const info = r.u32le();
  const sortId = r.u8();
  return { lcid: info & 0xfffff, utf8: ((info >>> 26) & 1) === 1, sortId };
}

/** Reads TYPE_INFO; `column` names the column in the error for a type we do not decode. */
export function readTypeInfo(r: ByteReader, column: string): TypeInfo {
  const type = r.u8();
  const fixed = fixedSizes[type];
  if (fixed !== undefined) return { kind: 'fixed', type, size: fixed };
  switch (type) {
    case TdsType.INTN:
    case TdsType.BITN:
    case TdsType.FLTN:
    case TdsType.DATETIMN:
    case TdsType.GUID:
      return { kind: 'bytelen', type, size: r.u8() };
    case TdsType.DECIMALN:
    case TdsType.NUMERICN: {
      const size = r.u8();
      const precision = r.u8();
      const scale = r.u8();
      return { kind: 'decimal', type, size, precision, scale };
    }
    case TdsType.DATEN:
      return { kind: 'date', type };
    case TdsType.DATETIME2N:
      return { kind: 'datetime2', type, scale: r.u8() };
    case TdsType.BIGVARCHR:
    case TdsType.BIGCHAR:
    case TdsType.NVARCHAR:
    case TdsType.NCHAR: {
      const maxBytes = r.u16le();
      const collation = readCollation(r);
      const unicode = type === TdsType.NVARCHAR || type === TdsType.NCHAR;
      return { kind: 'text', type, maxBytes, unicode, collation, plp: maxBytes === 0xffff };
    }
    default:
      throw new TdsUnsupportedTypeError(
        `column "${column}" has SQL Server type ${tdsTypeName(type)}, which this adapter does not decode; CAST it to NVARCHAR, BIGINT, FLOAT or DATETIME2 in the query`,
      );
  }
}

const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

function jsonInteger(v: bigint): number | string {
  return v > maxSafe || v < -maxSafe ? v.toString() : Number(v);
}

/** 0001-01-01T00:00Z in epoch ms: DATE and DATETIME2 count days from it (Date.UTC maps years 0–99 to 1900+). */
const day0001 = (() => {
  const d = new Date(0);
  d.setUTCFullYear(1, 0, 1);
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
})();
const day1900 = Date.UTC(1900, 0, 1);
const msPerDay = 86_400_000;

function isoDate(ms: number): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  return `${String(y).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

function isoTime(totalUnits: bigint, scale: number): string {
  const perSecond = 10n ** BigInt(scale);
  const seconds = totalUnits / perSecond;
  const fraction = totalUnits % perSecond;
  const hh = seconds / 3600n;
  const mm = (seconds % 3600n) / 60n;
  const ss = seconds % 60n;
  const base = `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
  return scale > 0 ? `${base}.${fraction.toString().padStart(scale, '0')}` : base;
}

/** TIME byte length by scale (2.2.5.4.2): 0–2 → 3, 3–4 → 4, 5–7 → 5. */
export function timeByteLength(scale: number): number {
  return scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
}

function decodeGuid(b: Uint8Array): string {
  // The first three groups are little-endian (Windows GUID layout), the last two as stored.
  const order = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15];
  return order.map((i) => (i < 0 ? '-' : b[i]!.toString(16).padStart(2, '0'))).join('');
}

function decodeDecimal(r: ByteReader, size: number, precision: number, scale: number): number | string {
  const sign = r.u8();
  const magnitude = r.uintLE(size - 1);
  const digits = magnitude.toString().padStart(scale + 1, '0');
  const text = `${sign === 1 ? '' : '-'}${scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits}`;
  if (magnitude === 0n) return 0;
  // Up to 15 significant digits survive a double exactly; beyond that the exact text is the value.
  return precision <= 15 ? Number(text) : text;
}

const windows1252High = [
  0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
  0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
];

/** Primary language ids whose Windows code page is 1252 (Western European), from the LCID tables SQL Server uses. */
const cp1252Languages = new Set([0x03, 0x06, 0x07, 0x09, 0x0a, 0x0b, 0x0c, 0x0f, 0x10, 0x13, 0x14, 0x16, 0x1d, 0x21, 0x2d, 0x36, 0x38, 0x3e, 0x41, 0x56]);

function decodeWindows1252(b: Uint8Array): string {
  let s = '';
  for (const byte of b) s += String.fromCharCode(byte >= 0x80 && byte <= 0x9f ? windows1252High[byte - 0x80]! : byte);
  return s;
}

const utf8Decoder = new TextDecoder('utf-8');

export function decodeText(bytes: Uint8Array, info: Extract<TypeInfo, { kind: 'text' }>, column: string): string {
  if (info.unicode) return fromUtf16le(bytes);
  if (info.collation.utf8) return utf8Decoder.decode(bytes);
  if (cp1252Languages.has(info.collation.lcid & 0x3ff)) return decodeWindows1252(bytes);
  throw new TdsUnsupportedTypeError(
    `column "${column}" is VARCHAR in a collation with LCID 0x${info.collation.lcid.toString(16)} (not code page 1252 or UTF-8); CAST it to NVARCHAR or use a *_UTF8 collation`,
  );
}

/** PLP value (2.2.5.2.3): ULONGLONG total length (all ones = NULL), then chunks of ULONG length, ended by 0. */
function readPlp(r: ByteReader): Uint8Array | null {
  const total = r.u64le();
  if (total === 0xffffffffffffffffn) return null;
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const n = r.u32le();
    if (n === 0) break;
    const part = r.take(n);
    parts.push(part);
    size += n;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Reads one value of `info` from a ROW (NBCROW skips NULL columns before calling this). */
export function readValue(r: ByteReader, info: TypeInfo, column: string): unknown {
  switch (info.kind) {
    case 'fixed':
      return readFixed(r, info.type, info.size);
    case 'bytelen': {
      const len = r.u8();
      if (len === 0) return null;
      if (info.type === TdsType.GUID) return decodeGuid(r.take(16));
      if (info.type === TdsType.BITN) return r.u8() !== 0;
      if (info.type === TdsType.INTN) {
        const typeForLen: Record<number, number> = { 1: TdsType.INT1, 2: TdsType.INT2, 4: TdsType.INT4, 8: TdsType.INT8 };
        return readFixed(r, typeForLen[len] ?? badLength(column, len), len);
      }
      if (info.type === TdsType.FLTN) return readFixed(r, len === 4 ? TdsType.FLT4 : len === 8 ? TdsType.FLT8 : badLength(column, len), len);
      if (info.type === TdsType.DATETIMN) {
        if (len === 8) return readFixed(r, TdsType.DATETIME, 8);
        if (len === 4) {
          const days = r.u16le();
          const minutes = r.u16le();
          return new Date(day1900 + days * msPerDay + minutes * 60_000).toISOString();
        }
        return badLength(column, len);
      }
      return badLength(column, len);
    }
    case 'decimal': {
      const len = r.u8();
      return len === 0 ? null : decodeDecimal(r, len, info.precision, info.scale);
    }
    case 'date': {
      const len = r.u8();
      if (len === 0) return null;
      return isoDate(day0001 + Number(r.uintLE(3)) * msPerDay);
    }
    case 'datetime2': {
      const len = r.u8();
      if (len === 0) return null;
      const time = r.uintLE(timeByteLength(info.scale));
      const days = Number(r.uintLE(3));
      return `${isoDate(day0001 + days * msPerDay)}T${isoTime(time, info.scale)}Z`;
    }
    case 'text': {
      let bytes: Uint8Array | null;
      if (info.plp) bytes = readPlp(r);
      else {
        const len = r.u16le();
        bytes = len === 0xffff ? null : r.take(len);
      }
      return bytes === null ? null : decodeText(bytes, info, column);
    }
  }
}

function badLength(column: string, len: number): never {
  throw new TdsUnsupportedTypeError(`column "${column}": unexpected value length ${len}`);
}

function readFixed(r: ByteReader, type: number, size: number): unknown {
  switch (type) {
    case TdsType.INT1:
      return r.u8();
    case TdsType.BIT:
      return r.u8() !== 0;
    case TdsType.INT2:
      return r.i16le();
    case TdsType.INT4:
      return r.i32le();
    case TdsType.INT8:
      return jsonInteger(r.i64le());
    case TdsType.FLT4:
      return r.f32le();
    case TdsType.FLT8:
      return r.f64le();
    case TdsType.DATETIME: {
      // Days since 1900-01-01, then 1/300-second ticks since midnight (2.2.5.5.1.8).
      const days = r.i32le();
      const ticks = r.u32le();
      const ms = Math.round((ticks * 10) / 3);
      return new Date(day1900 + days * msPerDay + ms).toISOString();
    }
    default:
      throw new TdsUnsupportedTypeError(`type ${tdsTypeName(type)} of size ${size} is not decoded`);
  }
}
