/**
 * LOGIN7 (MS-TDS 2.2.6.4, example in 4.2): a 94-byte fixed part (length, TDS version, packet size, client ids,
 * option flags, then an OffsetLength table of USHORT offset + USHORT character count per string), the UTF-16LE
 * strings, and — with fExtension — a DWORD offset to the FeatureExt block at the very end.
 *
 * Authentication:
 * - SQL login: user name and password; the password is "encrypted" as MS-TDS says — each byte's nibbles swapped,
 *   then XOR 0xA5. That is obfuscation, not protection: the Worker only ever sends it inside TLS.
 * - Entra ID: no user/password; FeatureExt FEDAUTH (FeatureId 0x02, 2.2.6.4 "FEDAUTH") with library
 *   SECURITYTOKEN (0x01) carrying the access token as UTF-16LE, plus the echo of the server's PRELOGIN
 *   FEDAUTHREQUIRED and its NONCE when it sent one.
 *
 * Session options chosen here: fODBC so the session starts with QUOTED_IDENTIFIER and ANSI_NULLS ON (validated
 * SQL may quote identifiers with "…"), fReadOnlyIntent (the adapter only reads), fDatabase fatal so a wrong
 * database name fails the login instead of silently landing in master, and UTF8_SUPPORT (FeatureId 0x0A) so
 * UTF-8 collated VARCHAR columns — what Synapse recommends for Parquet/CSV — arrive as UTF-8.
 */
import { ByteWriter, utf16le } from './bytes';

export const tdsVersion74 = 0x74000004;
export const FeatureId = { FedAuth: 0x02, Utf8Support: 0x0a, Terminator: 0xff } as const;
export const fedAuthLibrarySecurityToken = 0x01;
const fixedLength = 94;

export type Login7Auth =
  | { readonly kind: 'sql'; readonly user: string; readonly password: string }
  | { readonly kind: 'token'; readonly accessToken: string; readonly fedAuthEcho: boolean; readonly nonce?: Uint8Array };

export interface Login7Fields {
  readonly packetSize: number;
  readonly hostName: string;
  readonly appName: string;
  readonly serverName: string;
  readonly libraryName: string;
  readonly database: string;
  readonly auth: Login7Auth;
}

/** The MS-TDS 2.2.6.4 password obfuscation: swap nibbles, XOR 0xA5 — over the UTF-16LE bytes. */
export function obfuscatePassword(password: string): Uint8Array {
  const bytes = utf16le(password);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    bytes[i] = (((b & 0x0f) << 4) | (b >> 4)) ^ 0xa5;
  }
  return bytes;
}

/** The inverse (XOR 0xA5, then swap nibbles): what a server does; used by the loopback fake and tests. */
export function deobfuscatePassword(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]! ^ 0xa5;
    out[i] = ((b & 0x0f) << 4) | (b >> 4);
  }
  return out;
}

function featureExt(auth: Login7Auth): Uint8Array {
  const w = new ByteWriter();
  if (auth.kind === 'token') {
    const token = utf16le(auth.accessToken);
    const nonce = auth.nonce ?? new Uint8Array(0);
    w.u8(FeatureId.FedAuth).u32le(1 + 4 + token.length + nonce.length);
    w.u8((fedAuthLibrarySecurityToken << 1) | (auth.fedAuthEcho ? 1 : 0));
    w.u32le(token.length).bytes(token).bytes(nonce);
  }
  w.u8(FeatureId.Utf8Support).u32le(1).u8(0x01);
  w.u8(FeatureId.Terminator);
  return w.toBytes();
}

export function encodeLogin7(fields: Login7Fields): Uint8Array {
  const sql = fields.auth.kind === 'sql' ? fields.auth : null;
  // Variable part, in OffsetLength order; the extension slot holds the DWORD offset of the FeatureExt block.
  const strings: { kind: 'text' | 'password' | 'extension' | 'empty'; value?: string }[] = [
    { kind: 'text', value: fields.hostName },
    { kind: 'text', value: sql?.user ?? '' },
    { kind: 'password', value: sql?.password ?? '' },
    { kind: 'text', value: fields.appName },
    { kind: 'text', value: fields.serverName },
    { kind: 'extension' },
    { kind: 'text', value: fields.libraryName },
    { kind: 'text', value: '' }, // language: the login's default
    { kind: 'text', value: fields.database },
  ];
  const w = new ByteWriter();
  w.u32le(0); // Length, patched below
  w.u32le(tdsVersion74);
  w.u32le(fields.packetSize);
  w.u32le(0x07000000); // ClientProgVer
  w.u32le(0); // ClientPID
  w.u32le(0); // ConnectionID
  w.u8(0x80 | 0x40 | 0x20); // OptionFlags1: fSetLang, fDatabase (fatal), fUseDB
  w.u8(0x02); // OptionFlags2: fODBC
  w.u8(0x20); // TypeFlags: fReadOnlyIntent
  w.u8(0x10); // OptionFlags3: fExtension
  w.i32le(0); // ClientTimeZone
  w.u32le(0x0409); // ClientLCID
  const tableAt = w.length;
  for (let i = 0; i < strings.length; i++) w.u16le(0).u16le(0);
  w.bytes(new Uint8Array(6)); // ClientID
  w.u16le(0).u16le(0); // ibSSPI, cbSSPI
  w.u16le(0).u16le(0); // ibAtchDBFile, cchAtchDBFile
  w.u16le(0).u16le(0); // ibChangePassword, cchChangePassword
  w.u32le(0); // cbSSPILong
  if (w.length !== fixedLength) throw new Error(`LOGIN7 fixed part is ${w.length} bytes, expected ${fixedLength}`);
  let extensionSlot = -1;
  strings.forEach((s, i) => {
    const at = tableAt + i * 4;
    if (s.kind === 'extension') {
      w.patchU16le(at, w.length);
      w.patchU16le(at + 2, 4);
      extensionSlot = w.length;
      w.u32le(0);
      return;
    }
    const value = s.value ?? '';
    w.patchU16le(at, w.length);
    w.patchU16le(at + 2, value.length);
    w.bytes(s.kind === 'password' ? obfuscatePassword(value) : utf16le(value));
  });
  w.patchU32le(extensionSlot, w.length);
  w.bytes(featureExt(fields.auth));
  w.patchU32le(0, w.length);
  return w.toBytes();
}
