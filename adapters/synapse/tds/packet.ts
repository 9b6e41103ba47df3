/**
 * TDS packets (MS-TDS 2.2.3 "Packets"): an 8-byte header — Type, Status, Length (big-endian, header included),
 * SPID (big-endian), PacketID, Window — then up to `packetSize - 8` bytes of the message. A message is split
 * into as many packets as it needs; the last one carries Status EOM (0x01).
 *
 * The byte stream under the packets is whatever the caller opened: in the Worker a TLS socket from
 * cloudflare:sockets (TDS 8.0 "strict": TLS first, then TDS), in Node tests a plain loopback TCP socket.
 *
 * Invariant: a PacketReader has at most one read outstanding on the stream. A read that loses a race against a
 * deadline stays pending and is reused by the next call, so no bytes are lost when the caller stops waiting
 * (it then sends ATTENTION and keeps reading, MS-TDS 2.2.1.7).
 */
import { ByteReader, concatBytes } from './bytes';

export const PacketType = {
  SqlBatch: 0x01,
  TabularResult: 0x04,
  Attention: 0x06,
  Login7: 0x10,
  Prelogin: 0x12,
} as const;

export const packetStatusEom = 0x01;
export const packetHeaderLength = 8;
/** The packet size every connection starts with, until ENVCHANGE type 4 says otherwise (MS-TDS 2.2.6.4). */
export const defaultPacketSize = 4096;

/** What the TDS client needs from a socket: bytes in, bytes out, close. `read` resolves null at end of stream. */
export interface TdsByteStream {
  read(): Promise<Uint8Array | null>;
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** Opens a byte stream to host:port: cloudflare:sockets with TLS in the Worker, node:net in tests. */
export type TdsSocketFactory = (target: { readonly hostname: string; readonly port: number }) => Promise<TdsByteStream>;

export interface TdsPacket {
  readonly type: number;
  readonly status: number;
  readonly spid: number;
  readonly packetId: number;
  readonly payload: Uint8Array;
}

export class TdsProtocolError extends Error {
  override readonly name = 'TdsProtocolError';
}

/** Splits one message into packets of at most `packetSize` bytes, numbered from 1 (modulo 256). */
export function encodePackets(type: number, message: Uint8Array, packetSize: number, spid = 0): Uint8Array[] {
  const room = packetSize - packetHeaderLength;
  if (room <= 0) throw new TdsProtocolError(`packet size ${packetSize} leaves no room for data`);
  const packets: Uint8Array[] = [];
  let offset = 0;
  let id = 1;
  do {
    const chunk = message.subarray(offset, offset + room);
    offset += chunk.length;
    const last = offset >= message.length;
    const packet = new Uint8Array(packetHeaderLength + chunk.length);
    const view = new DataView(packet.buffer);
    packet[0] = type;
    packet[1] = last ? packetStatusEom : 0;
    view.setUint16(2, packet.length, false);
    view.setUint16(4, spid, false);
    packet[6] = id & 0xff;
    packet[7] = 0;
    packet.set(chunk, packetHeaderLength);
    packets.push(packet);
    id++;
  } while (offset < message.length);
  return packets;
}

export function decodePacketHeader(bytes: Uint8Array): { type: number; status: number; length: number; spid: number; packetId: number } {
  const r = new ByteReader(bytes, 0, packetHeaderLength);
  const type = r.u8();
  const status = r.u8();
  const length = r.u16be();
  const spid = r.u16be();
  const packetId = r.u8();
  return { type, status, length, spid, packetId };
}

export class PacketReader {
  private buffer: Uint8Array = new Uint8Array(0);
  private pending: Promise<Uint8Array | null> | null = null;

  constructor(private readonly stream: TdsByteStream) {}

  private async chunk(interrupt?: Promise<never>): Promise<Uint8Array | null> {
    this.pending ??= this.stream.read();
    const value = interrupt ? await Promise.race([this.pending, interrupt]) : await this.pending;
    this.pending = null;
    return value;
  }

  /** The next packet; `interrupt` (a promise that only rejects) lets a deadline stop the wait. */
  async readPacket(interrupt?: Promise<never>): Promise<TdsPacket> {
    for (;;) {
      if (this.buffer.length >= packetHeaderLength) {
        const header = decodePacketHeader(this.buffer);
        if (header.length < packetHeaderLength) throw new TdsProtocolError(`packet length ${header.length} is shorter than its header`);
        if (this.buffer.length >= header.length) {
          const payload = this.buffer.slice(packetHeaderLength, header.length);
          this.buffer = this.buffer.subarray(header.length);
          return { type: header.type, status: header.status, spid: header.spid, packetId: header.packetId, payload };
        }
      }
      const next = await this.chunk(interrupt);
      if (next === null) throw new TdsProtocolError('the server closed the connection');
      this.buffer = this.buffer.length === 0 ? next : concatBytes([this.buffer, next]);
    }
  }

  /** A whole message: packets up to and including the one with EOM, payloads joined. */
  async readMessage(interrupt?: Promise<never>): Promise<{ type: number; spid: number; payload: Uint8Array }> {
    const parts: Uint8Array[] = [];
    for (;;) {
      const packet = await this.readPacket(interrupt);
      parts.push(packet.payload);
      if (packet.status & packetStatusEom) return { type: packet.type, spid: packet.spid, payload: concatBytes(parts) };
    }
  }
}
