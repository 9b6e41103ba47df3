/**
 * SQLBatch (MS-TDS 2.2.6.7, example in 4.4): ALL_HEADERS (2.2.5.3) — TotalLength, then one Transaction
 * Descriptor header (HeaderLength 18, HeaderType 0x0002, TransactionDescriptor 0 = auto-commit,
 * OutstandingRequestCount 1), required from TDS 7.2 on — followed by the SQL text in UTF-16LE. The SQL is
 * sent exactly as validated: nothing is concatenated into it.
 */
import { ByteReader, ByteWriter, fromUtf16le, utf16le } from './bytes';

export function encodeSqlBatch(sql: string): Uint8Array {
  const w = new ByteWriter();
  w.u32le(22); // TotalLength of ALL_HEADERS
  w.u32le(18).u16le(0x0002).u64le(0n).u32le(1);
  w.bytes(utf16le(sql));
  return w.toBytes();
}

/** The SQL text of a SQLBatch message (what a server reads; used by the loopback fake). */
export function decodeSqlBatch(payload: Uint8Array): string {
  const total = new ByteReader(payload).u32le();
  return fromUtf16le(payload.subarray(total));
}
