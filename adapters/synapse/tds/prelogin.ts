/**
 * PRELOGIN (MS-TDS 2.2.6.5, example in 4.1): a table of option tokens — Type (1 byte), Offset and Length (both
 * big-endian USHORT, offsets from the start of the message) — ended by 0xFF, then the option data.
 *
 * The client always speaks TDS 8.0 "strict": TLS is established on the socket before any TDS byte, so the
 * ENCRYPTION option no longer negotiates anything (the server's answer is recorded, never acted on) and TLS is
 * never tunnelled inside PRELOGIN packets — which cloudflare:sockets could not do anyway.
 */
import { ByteReader, ByteWriter } from './bytes';

export const PreloginOption = {
  Version: 0x00,
  Encryption: 0x01,
  InstOpt: 0x02,
  ThreadId: 0x03,
  Mars: 0x04,
  TraceId: 0x05,
  FedAuthRequired: 0x06,
  Nonce: 0x07,
  Terminator: 0xff,
} as const;

export const Encryption = { Off: 0x00, On: 0x01, NotSupported: 0x02, Required: 0x03 } as const;

export interface PreloginFields {
  /** UL_VERSION + US_SUBBUILD: major, minor, build (big-endian USHORT), sub-build. */
  readonly version: { major: number; minor: number; build: number; subBuild: number };
  readonly encryption: number;
  readonly instance?: number;
  readonly threadId?: number;
  readonly mars?: number;
  /** Client: sent (0x01) when it will log in with FEDAUTH; server: whether it wants FEDAUTH (echoed in LOGIN7). */
  readonly fedAuthRequired?: number;
  readonly nonce?: Uint8Array;
}

export function encodePrelogin(fields: PreloginFields): Uint8Array {
  const options: [number, Uint8Array][] = [];
  const v = new ByteWriter().u8(fields.version.major).u8(fields.version.minor).u16be(fields.version.build).u16be(fields.version.subBuild);
  options.push([PreloginOption.Version, v.toBytes()]);
  options.push([PreloginOption.Encryption, Uint8Array.of(fields.encryption)]);
  if (fields.instance !== undefined) options.push([PreloginOption.InstOpt, Uint8Array.of(fields.instance)]);
  if (fields.threadId !== undefined) options.push([PreloginOption.ThreadId, new ByteWriter().u32be(fields.threadId).toBytes()]);
  if (fields.mars !== undefined) options.push([PreloginOption.Mars, Uint8Array.of(fields.mars)]);
  if (fields.fedAuthRequired !== undefined) options.push([PreloginOption.FedAuthRequired, Uint8Array.of(fields.fedAuthRequired)]);
  if (fields.nonce !== undefined) options.push([PreloginOption.Nonce, fields.nonce]);
  const w = new ByteWriter();
  let dataOffset = options.length * 5 + 1;
  for (const [type, data] of options) {
    w.u8(type).u16be(dataOffset).u16be(data.length);
    dataOffset += data.length;
  }
  w.u8(PreloginOption.Terminator);
  for (const [, data] of options) w.bytes(data);
  return w.toBytes();
}

export function decodePrelogin(payload: Uint8Array): PreloginFields {
  const r = new ByteReader(payload);
  const entries: { type: number; offset: number; length: number }[] = [];
  for (;;) {
    const type = r.u8();
    if (type === PreloginOption.Terminator) break;
    entries.push({ type, offset: r.u16be(), length: r.u16be() });
  }
  const data = (offset: number, length: number) => new ByteReader(payload, offset, offset + length);
  let version = { major: 0, minor: 0, build: 0, subBuild: 0 };
  let encryption: number = Encryption.NotSupported;
  const out: { -readonly [K in keyof PreloginFields]?: PreloginFields[K] } = {};
  for (const e of entries) {
    const d = data(e.offset, e.length);
    switch (e.type) {
      case PreloginOption.Version:
        version = { major: d.u8(), minor: d.u8(), build: d.u16be(), subBuild: d.u16be() };
        break;
      case PreloginOption.Encryption:
        encryption = d.u8();
        break;
      case PreloginOption.InstOpt:
        if (e.length > 0) out.instance = d.u8();
        break;
      case PreloginOption.ThreadId:
        if (e.length >= 4) out.threadId = d.u32be();
        break;
      case PreloginOption.Mars:
        if (e.length > 0) out.mars = d.u8();
        break;
      case PreloginOption.FedAuthRequired:
        if (e.length > 0) out.fedAuthRequired = d.u8();
        break;
      case PreloginOption.Nonce:
        if (e.length === 32) out.nonce = d.take(32).slice();
        break;
      default:
        // TRACEID and options from later TDS versions carry nothing this client acts on.
        break;
    }
  }
  return { ...out, version, encryption };
}
