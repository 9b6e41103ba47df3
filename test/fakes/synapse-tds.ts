/**
 * Loopback fake of an Azure Synapse serverless SQL endpoint, speaking TDS 7.4 over plain TCP (node:net), plus
 * the Microsoft identity platform token endpoint for its Entra ID logins. The Worker always wraps TDS in TLS
 * (TDS 8.0 strict, adapters/synapse/worker-socket.ts); the fake skips TLS because the framing above it is
 * identical. MS-TDS sections followed (https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-tds/):
 * - 2.2.3.1 packet header (type, status EOM, big-endian length and SPID, packet id); the fake answers with the
 *   packet size it negotiated (ENVCHANGE type 4, 2.2.7.9) — 512 bytes by default, so results span many packets —
 *   and records the largest packet the client sent after login, so tests can check the client honours it;
 * - 2.2.6.5 PRELOGIN: answers VERSION, ENCRYPTION, INSTOPT, THREADID, MARS and, when the client offered
 *   FEDAUTHREQUIRED, FEDAUTHREQUIRED = 1 and a random 32-byte NONCE that LOGIN7 must echo;
 * - 2.2.6.4 LOGIN7: reads the OffsetLength table, de-obfuscates the SQL password (XOR 0xA5, then swap nibbles),
 *   or reads FeatureExt FEDAUTH (library SECURITYTOKEN, fFedAuthEcho, token, nonce); checks the database;
 *   failure is ERROR 18456 class 14 "Login failed for user '…'." + DONE with DONE_ERROR (what SQL Server sends:
 *   https://learn.microsoft.com/en-us/sql/relational-databases/errors-events/mssqlserver-18456-database-engine-error);
 *   success is LOGINACK (2.2.7.14), ENVCHANGE database / packet size / collation, INFO 5701, FEATUREEXTACK, DONE;
 * - 2.2.6.7 SQLBatch with ALL_HEADERS: scripted answers by exact SQL text — COLMETADATA (2.2.7.4), ROW (2.2.7.19)
 *   or NBCROW (2.2.7.17, null bitmap) with the TYPE_INFO/values of 2.2.5.4–2.2.5.6 (INTN, BITN, FLTN, fixed INT/FLT,
 *   DECIMALN, BIGVARCHR/NVARCHAR incl. PLP for (max), BIGCHAR/NCHAR, DATEN, DATETIME2N, DATETIMN, GUID, MONEYN),
 *   DONE with DONE_COUNT; or ERROR (2.2.7.10: number, state, class, message, server, procedure, line) + DONE
 *   with DONE_ERROR; unscripted SQL is Msg 208 "Invalid object name";
 * - 2.2.1.7 / 2.2.2.9 ATTENTION: stops sending rows at the next row boundary and acknowledges with DONE carrying
 *   DONE_ATTN; rows are streamed packet by packet with socket back-pressure, so a cancelled result is really cut.
 * Token endpoint: `POST /{tenant}/oauth2/v2.0/token`, client credentials, scope https://database.windows.net/.default
 * (AADSTS7000215 for a wrong secret, AADSTS700016 for an unknown client), answers `{token_type, expires_in,
 * access_token}`; issued tokens are what the TDS server accepts (`revokeTokens()` forgets them). Tokens are
 * ≈ 2.6 k characters, so a LOGIN7 carrying one (UTF-16) takes two 4,096-byte packets, as large real tokens do.
 */
import { randomBytes } from 'node:crypto';
import { connect as netConnect, createServer, type Server, type Socket } from 'node:net';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';
import { ByteReader, ByteWriter, concatBytes, fromUtf16le, utf16le } from '../../adapters/synapse/tds/bytes';
import { encodePackets, PacketReader, PacketType, packetStatusEom, type TdsByteStream, type TdsSocketFactory } from '../../adapters/synapse/tds/packet';
import { decodePrelogin, encodePrelogin } from '../../adapters/synapse/tds/prelogin';
import { decodeSqlBatch } from '../../adapters/synapse/tds/sql-batch';

export const synapseFakeDatabase = 'mantissa_lake';
export const synapseFakeSqlLogin = { user: 'mantissa_reader', password: 'Päss w0rd;{x}' };
export const synapseFakeTenant = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
export const synapseFakeClient = { clientId: '0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a', clientSecret: 'fake~synapse~secret' };

// ---------------------------------------------------------------------------------------------------------------
// Scripted results
// ---------------------------------------------------------------------------------------------------------------

export type FakeColumnType =
  | 'tinyint' | 'smallint' | 'int' | 'bigint' | 'bit' | 'real' | 'float'
  | 'tinyint!' | 'smallint!' | 'int!' | 'bigint!' | 'bit!' | 'real!' | 'float!'
  | `decimal(${number},${number})`
  | 'varchar(100)' | 'varchar(max)' | 'varchar1252(100)' | 'char(10)'
  | 'nvarchar(100)' | 'nvarchar(max)' | 'nchar(10)'
  | `datetime2(${number})` | 'datetime' | 'date' | 'uniqueidentifier' | 'money';

export interface FakeColumn {
  readonly name: string;
  readonly type: FakeColumnType;
}

export type FakeAnswer =
  | {
      readonly columns: readonly FakeColumn[];
      /** Rows, or a generator for large results. */
      readonly rows: readonly (readonly unknown[])[] | { readonly count: number; readonly row: (i: number) => readonly unknown[] };
      readonly nbcRow?: boolean;
      /** Wait this long before answering (a slow query); ATTENTION ends the wait. */
      readonly delayMs?: number;
      /** Never acknowledge ATTENTION (a server that stopped answering): the client must close the connection. */
      readonly ignoreAttention?: boolean;
      /** Statements before the SELECT (e.g. SET options): each answered by a DONE with DONE_MORE and an INFO. */
      readonly leadingStatements?: number;
    }
  | { readonly error: { readonly number: number; readonly state: number; readonly class: number; readonly message: string; readonly line: number } };

export interface FakeStats {
  logins: { user: string | null; token: boolean; database: string; ok: boolean; packetSize: number; packets: number }[];
  batches: string[];
  attentions: number;
  rowsSent: number;
  maxClientPacketAfterLogin: number;
  clientPacketsAfterLogin: number;
  tokenRequests: { clientId: string; scope: string }[];
}

export interface SynapseFake {
  readonly port: number;
  readonly tokenUrl: string;
  readonly stats: FakeStats;
  script(sql: string, answer: FakeAnswer): void;
  /** Forgets issued Entra ID tokens, as if revoked: the next login with a cached token fails. */
  revokeTokens(): void;
  /** When false, valid tokens are refused too (the app is not a user of the database). */
  acceptTokenLogins(accept: boolean): void;
  /** Answers successful logins with ENVCHANGE routing (type 20, Azure's redirect policy) to host:port. */
  routeLoginsTo(target: { host: string; port: number } | null): void;
  /** Makes the token endpoint answer `status` to the next `times` requests. */
  failTokenEndpoint(status: number, times: number): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Server-side encoders (independent of the client's decoders on purpose: the client only decodes tokens)
// ---------------------------------------------------------------------------------------------------------------

const Token = { ColMetadata: 0x81, Row: 0xd1, NbcRow: 0xd2, Done: 0xfd, Error: 0xaa, Info: 0xab, LoginAck: 0xad, EnvChange: 0xe3, FeatureExtAck: 0xae };
const DONE_MORE = 0x01;
const DONE_ERROR = 0x02;
const DONE_COUNT = 0x10;
const DONE_ATTN = 0x20;

/** Latin1_General_100_CI_AS_SC_UTF8: LCID 0x409, IgnoreCase|IgnoreKana|IgnoreWidth, fUTF8 (bit 26), version 2. */
const utf8Collation = (() => {
  const w = new ByteWriter().u32le(0x0409 | ((0x01 | 0x08 | 0x10 | 0x40) << 20) | (2 << 28)).u8(0);
  return w.toBytes();
})();
/** SQL_Latin1_General_CP1_CI_AS: LCID 0x409, SortId 52 (code page 1252). */
const cp1252Collation = new ByteWriter().u32le(0x0409 | ((0x01 | 0x08 | 0x10) << 20)).u8(52).toBytes();

function done(w: ByteWriter, status: number, rowCount = 0n): void {
  w.u8(Token.Done).u16le(status).u16le(0xc1).u64le(rowCount);
}

function serverMessage(w: ByteWriter, token: number, m: { number: number; state: number; class: number; message: string; line: number }): void {
  const body = new ByteWriter().i32le(m.number).u8(m.state).u8(m.class).usVarchar(m.message).bVarchar('synapse-fake-ondemand').bVarchar('').u32le(m.line);
  w.u8(token).u16le(body.length).bytes(body.toBytes());
}

function envChange(w: ByteWriter, type: number, newValue: string, oldValue: string): void {
  const body = new ByteWriter().u8(type).bVarchar(newValue).bVarchar(oldValue);
  w.u8(Token.EnvChange).u16le(body.length).bytes(body.toBytes());
}

function decimalSize(precision: number): number {
  return precision <= 9 ? 5 : precision <= 19 ? 9 : precision <= 28 ? 13 : 17;
}

function typeInfo(w: ByteWriter, type: FakeColumnType): void {
  const fixed: Record<string, number> = { 'tinyint!': 0x30, 'bit!': 0x32, 'smallint!': 0x34, 'int!': 0x38, 'real!': 0x3b, 'float!': 0x3e, 'bigint!': 0x7f };
  const intn: Record<string, number> = { tinyint: 1, smallint: 2, int: 4, bigint: 8 };
  if (fixed[type] !== undefined) w.u8(fixed[type]);
  else if (intn[type] !== undefined) w.u8(0x26).u8(intn[type]);
  else if (type === 'bit') w.u8(0x68).u8(1);
  else if (type === 'real') w.u8(0x6d).u8(4);
  else if (type === 'float') w.u8(0x6d).u8(8);
  else if (type === 'money') w.u8(0x6e).u8(8);
  else if (type === 'datetime') w.u8(0x6f).u8(8);
  else if (type === 'date') w.u8(0x28);
  else if (type === 'uniqueidentifier') w.u8(0x24).u8(16);
  else if (type.startsWith('datetime2(')) w.u8(0x2a).u8(Number(/\((\d+)\)/.exec(type)![1]));
  else if (type.startsWith('decimal(')) {
    const [p, s] = /(\d+),(\d+)/.exec(type)!.slice(1).map(Number) as [number, number];
    w.u8(0x6a).u8(decimalSize(p)).u8(p).u8(s);
  } else if (type === 'varchar(100)') w.u8(0xa7).u16le(100).bytes(utf8Collation);
  else if (type === 'varchar1252(100)') w.u8(0xa7).u16le(100).bytes(cp1252Collation);
  else if (type === 'varchar(max)') w.u8(0xa7).u16le(0xffff).bytes(utf8Collation);
  else if (type === 'char(10)') w.u8(0xaf).u16le(10).bytes(utf8Collation);
  else if (type === 'nvarchar(100)') w.u8(0xe7).u16le(200).bytes(utf8Collation);
  else if (type === 'nvarchar(max)') w.u8(0xe7).u16le(0xffff).bytes(utf8Collation);
  else if (type === 'nchar(10)') w.u8(0xef).u16le(20).bytes(utf8Collation);
  else throw new Error(`fake: unknown column type ${type}`);
}

const day0001 = (() => {
  const d = new Date(0);
  d.setUTCFullYear(1, 0, 1);
  return d.getTime();
})();

function encodeCp1252(s: string): Uint8Array {
  const high: Record<number, number> = { 0x20ac: 0x80, 0x2019: 0x92, 0x201c: 0x93, 0x201d: 0x94, 0x2013: 0x96, 0x2014: 0x97 };
  return Uint8Array.from(Array.from(s, (ch) => {
    const c = ch.charCodeAt(0);
    if (c < 0x100 && (c < 0x80 || c > 0x9f)) return c;
    const b = high[c];
    if (b === undefined) throw new Error(`fake: ${ch} is not in code page 1252`);
    return b;
  }));
}

function writePlp(w: ByteWriter, bytes: Uint8Array): void {
  // Known total length, then the data in chunks of at most 1000 bytes (the client must join chunks), then 0.
  w.u64le(BigInt(bytes.length));
  for (let at = 0; at < bytes.length; at += 1000) {
    const chunk = bytes.subarray(at, at + 1000);
    w.u32le(chunk.length).bytes(chunk);
  }
  w.u32le(0);
}

function guidBytes(text: string): Uint8Array {
  const hex = text.replace(/-/g, '');
  const b = Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
  // Data1..Data3 little-endian on the wire (2.2.5.5.1.9 / Windows GUID layout).
  return Uint8Array.of(b[3]!, b[2]!, b[1]!, b[0]!, b[5]!, b[4]!, b[7]!, b[6]!, ...b.subarray(8));
}

/** Writes one non-null value, or the type's NULL form when `nullInRow` (ROW tokens carry NULLs inline). */
function value(w: ByteWriter, type: FakeColumnType, v: unknown): void {
  const isNull = v === null || v === undefined;
  const fixedWriters: Record<string, (x: unknown) => void> = {
    'tinyint!': (x) => w.u8(Number(x)),
    'bit!': (x) => w.u8(x ? 1 : 0),
    'smallint!': (x) => w.u16le(Number(x) & 0xffff),
    'int!': (x) => w.i32le(Number(x)),
    'bigint!': (x) => w.i64le(BigInt(x as string | number | bigint)),
    'real!': (x) => w.f32le(Number(x)),
    'float!': (x) => w.f64le(Number(x)),
  };
  const fixed = fixedWriters[type];
  if (fixed) {
    if (isNull) throw new Error(`fake: ${type} cannot be NULL`);
    fixed(v);
    return;
  }
  if (type === 'varchar(max)' || type === 'nvarchar(max)') {
    if (isNull) w.u64le(0xffffffffffffffffn);
    else writePlp(w, type === 'varchar(max)' ? new TextEncoder().encode(String(v)) : utf16le(String(v)));
    return;
  }
  if (type === 'varchar(100)' || type === 'varchar1252(100)' || type === 'char(10)' || type === 'nvarchar(100)' || type === 'nchar(10)') {
    if (isNull) {
      w.u16le(0xffff);
      return;
    }
    let s = String(v);
    if (type === 'char(10)') s = s.padEnd(10, ' ');
    if (type === 'nchar(10)') s = s.padEnd(10, ' ');
    const bytes = type.startsWith('n') ? utf16le(s) : type === 'varchar1252(100)' ? encodeCp1252(s) : new TextEncoder().encode(s);
    w.u16le(bytes.length).bytes(bytes);
    return;
  }
  if (isNull) {
    w.u8(0);
    return;
  }
  const intn: Record<string, number> = { tinyint: 1, smallint: 2, int: 4, bigint: 8 };
  if (intn[type] !== undefined) {
    const n = intn[type];
    w.u8(n);
    if (n === 1) w.u8(Number(v));
    else if (n === 2) w.u16le(Number(v) & 0xffff);
    else if (n === 4) w.i32le(Number(v));
    else w.i64le(BigInt(v as string | number | bigint));
  } else if (type === 'bit') w.u8(1).u8(v ? 1 : 0);
  else if (type === 'real') w.u8(4).f32le(Number(v));
  else if (type === 'float') w.u8(8).f64le(Number(v));
  else if (type === 'money') w.u8(8).u32le(0).u32le(Math.round(Number(v) * 10000));
  else if (type === 'uniqueidentifier') w.u8(16).bytes(guidBytes(String(v)));
  else if (type === 'date') {
    const days = Math.round((Date.parse(`${String(v)}T00:00:00Z`) - day0001) / 86_400_000);
    w.u8(3).u8(days & 0xff).u8((days >> 8) & 0xff).u8((days >> 16) & 0xff);
  } else if (type === 'datetime') {
    const ms = Date.parse(String(v));
    const day1900 = Date.UTC(1900, 0, 1);
    const days = Math.floor((ms - day1900) / 86_400_000);
    const msOfDay = ms - day1900 - days * 86_400_000;
    w.u8(8).i32le(days).u32le(Math.round((msOfDay * 3) / 10));
  } else if (type.startsWith('datetime2(')) {
    // "YYYY-MM-DDTHH:MM:SS[.fffffff]" → TIME in 10^-scale s units (3–5 bytes by scale), then DATE (3 bytes).
    const scale = Number(/\((\d+)\)/.exec(type)![1]);
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?/.exec(String(v));
    if (!m) throw new Error(`fake: bad datetime2 ${String(v)}`);
    const fraction = (m[5] ?? '').padEnd(scale, '0').slice(0, scale);
    const units = (BigInt(Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4])) * 10n ** BigInt(scale)) + BigInt(fraction || '0');
    const timeLen = scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
    const days = Math.round((Date.parse(`${m[1]}T00:00:00Z`) - day0001) / 86_400_000);
    w.u8(timeLen + 3);
    for (let i = 0; i < timeLen; i++) w.u8(Number((units >> BigInt(8 * i)) & 0xffn));
    w.u8(days & 0xff).u8((days >> 8) & 0xff).u8((days >> 16) & 0xff);
  } else if (type.startsWith('decimal(')) {
    const [p, s] = /(\d+),(\d+)/.exec(type)!.slice(1).map(Number) as [number, number];
    const text = String(v);
    const negative = text.startsWith('-');
    const [whole, frac = ''] = text.replace('-', '').split('.');
    let magnitude = BigInt(`${whole}${frac.padEnd(s, '0').slice(0, s)}`);
    const size = decimalSize(p);
    w.u8(size).u8(negative ? 0 : 1);
    for (let i = 0; i < size - 1; i++) {
      w.u8(Number(magnitude & 0xffn));
      magnitude >>= 8n;
    }
  } else throw new Error(`fake: cannot encode ${type}`);
}

function colMetadata(w: ByteWriter, columns: readonly FakeColumn[]): void {
  w.u8(Token.ColMetadata).u16le(columns.length);
  for (const c of columns) {
    w.u32le(0).u16le(0x0001 | 0x0008); // UserType 0; Flags: Nullable, Updateable unknown
    typeInfo(w, c.type);
    w.bVarchar(c.name);
  }
}

function row(w: ByteWriter, columns: readonly FakeColumn[], values: readonly unknown[], nbc: boolean): void {
  if (nbc) {
    const bitmap = new Uint8Array(Math.ceil(columns.length / 8));
    values.forEach((v, i) => {
      if (v === null || v === undefined) bitmap[i >> 3]! |= 1 << (i & 7);
    });
    w.u8(Token.NbcRow).bytes(bitmap);
    columns.forEach((c, i) => {
      if (values[i] !== null && values[i] !== undefined) value(w, c.type, values[i]);
    });
  } else {
    w.u8(Token.Row);
    columns.forEach((c, i) => value(w, c.type, values[i]));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Sockets
// ---------------------------------------------------------------------------------------------------------------

/** A TdsByteStream over a node:net socket (chunks queued until read). */
export function nodeByteStream(socket: Socket): TdsByteStream {
  const chunks: Uint8Array[] = [];
  const waiters: ((v: Uint8Array | null) => void)[] = [];
  let ended = false;
  let failure: Error | null = null;
  const failWaiters: ((e: Error) => void)[] = [];
  socket.on('data', (d: Buffer) => {
    const chunk = new Uint8Array(d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength));
    const w = waiters.shift();
    failWaiters.shift();
    if (w) w(chunk);
    else chunks.push(chunk);
  });
  const end = () => {
    ended = true;
    while (waiters.length) {
      waiters.shift()!(null);
      failWaiters.shift();
    }
  };
  socket.on('end', end);
  socket.on('close', end);
  socket.on('error', (e) => {
    failure = e;
    while (failWaiters.length) {
      failWaiters.shift()!(e);
      waiters.shift();
    }
  });
  return {
    read: () =>
      new Promise<Uint8Array | null>((resolve, reject) => {
        const c = chunks.shift();
        if (c) return resolve(c);
        if (failure) return reject(failure);
        if (ended) return resolve(null);
        waiters.push(resolve);
        failWaiters.push(reject);
      }),
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        socket.write(bytes, (err) => (err ? reject(err) : resolve()));
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => socket.destroy(), 200).unref();
      }),
  };
}

/** The Node tests' socket factory: plain TCP to the loopback fake (the Worker's is TLS, worker-socket.ts). */
export const nodeTdsSocketFactory: TdsSocketFactory = ({ hostname, port }) =>
  new Promise((resolve, reject) => {
    const socket = netConnect({ host: hostname, port }, () => {
      socket.off('error', reject);
      resolve(nodeByteStream(socket));
    });
    socket.once('error', reject);
  });

// ---------------------------------------------------------------------------------------------------------------
// The TDS server
// ---------------------------------------------------------------------------------------------------------------

interface Login7 {
  user: string;
  password: string;
  database: string;
  packetSize: number;
  fedAuth: { library: number; echo: boolean; token: string; nonce: Uint8Array | null } | null;
}

function parseLogin7(payload: Uint8Array): Login7 {
  const r = new ByteReader(payload);
  r.u32le(); // Length
  r.u32le(); // TDSVersion
  const packetSize = r.u32le();
  r.skip(12); // ClientProgVer, ClientPID, ConnectionID
  r.u8(); // OptionFlags1
  r.u8(); // OptionFlags2
  r.u8(); // TypeFlags
  const flags3 = r.u8();
  r.skip(8); // ClientTimeZone, ClientLCID
  const slot = () => ({ offset: r.u16le(), length: r.u16le() });
  const [, user, password, , , extension, , , database] = Array.from({ length: 9 }, slot) as { offset: number; length: number }[];
  const text = (s: { offset: number; length: number }) => fromUtf16le(payload.subarray(s.offset, s.offset + s.length * 2));
  const pw = payload.slice(password!.offset, password!.offset + password!.length * 2);
  for (let i = 0; i < pw.length; i++) {
    const b = pw[i]! ^ 0xa5;
    pw[i] = ((b & 0x0f) << 4) | (b >> 4);
  }
  let fedAuth: Login7['fedAuth'] = null;
  if (flags3 & 0x10) {
    const featureAt = new ByteReader(payload, extension!.offset).u32le();
    const f = new ByteReader(payload, featureAt);
    for (;;) {
      const id = f.u8();
      if (id === 0xff) break;
      const data = new ByteReader(f.take(f.u32le()));
      if (id === 0x02) {
        const options = data.u8();
        const tokenLength = data.u32le();
        const token = fromUtf16le(data.take(tokenLength));
        fedAuth = { library: options >> 1, echo: (options & 1) === 1, token, nonce: data.remaining >= 32 ? data.take(32).slice() : null };
      }
    }
  }
  return { user: text(user!), password: fromUtf16le(pw), database: text(database!), packetSize, fedAuth };
}

interface Connection {
  socket: Socket;
  stream: TdsByteStream;
  packetSize: number;
  loggedIn: boolean;
  attention: boolean;
  onAttention: (() => void) | null;
  messages: { type: number; payload: Uint8Array; packets: number }[];
  onMessage: (() => void) | null;
}

export async function startSynapseTdsFake(options: { packetSize?: number } = {}): Promise<SynapseFake> {
  const negotiatedPacketSize = options.packetSize ?? 512;
  const scripts = new Map<string, FakeAnswer>();
  const validTokens = new Set<string>();
  let tokenCounter = 0;
  let tokenLoginsAccepted = true;
  let routeTo: { host: string; port: number } | null = null;
  const stats: FakeStats = { logins: [], batches: [], attentions: 0, rowsSent: 0, maxClientPacketAfterLogin: 0, clientPacketsAfterLogin: 0, tokenRequests: [] };

  async function send(conn: Connection, bytes: Uint8Array, eom = true): Promise<void> {
    const packets = encodePackets(PacketType.TabularResult, bytes, conn.packetSize, 53);
    if (!eom) packets[packets.length - 1]![1] = 0;
    for (const p of packets) await conn.stream.write(p);
  }

  async function nextMessage(conn: Connection): Promise<{ type: number; payload: Uint8Array; packets: number } | null> {
    for (;;) {
      const m = conn.messages.shift();
      if (m) return m;
      if (conn.socket.destroyed) return null;
      await new Promise<void>((resolve) => {
        conn.onMessage = resolve;
        conn.socket.once('close', resolve);
      });
      conn.onMessage = null;
    }
  }

  async function readLoop(conn: Connection): Promise<void> {
    const reader = new PacketReader(conn.stream);
    const parts: Uint8Array[] = [];
    try {
      for (;;) {
        const p = await reader.readPacket();
        if (conn.loggedIn) {
          stats.clientPacketsAfterLogin++;
          stats.maxClientPacketAfterLogin = Math.max(stats.maxClientPacketAfterLogin, p.payload.length + 8);
        }
        if (p.type === PacketType.Attention) {
          stats.attentions++;
          conn.attention = true;
          conn.onAttention?.();
          continue;
        }
        parts.push(p.payload);
        if (p.status & packetStatusEom) {
          const packets = parts.length;
          conn.messages.push({ type: p.type, payload: concatBytes(parts.splice(0)), packets });
          conn.onMessage?.();
        }
      }
    } catch {
      // connection closed
    }
  }

  async function login(conn: Connection, nonce: Uint8Array | null, fedAuthOffered: boolean): Promise<boolean> {
    const m = await nextMessage(conn);
    if (!m || m.type !== PacketType.Login7) return false;
    const l = parseLogin7(m.payload);
    const w = new ByteWriter();
    let failure: string | null = null;
    if (l.fedAuth) {
      const nonceOk = nonce === null || (l.fedAuth.nonce !== null && Buffer.from(l.fedAuth.nonce).equals(Buffer.from(nonce)));
      if (l.fedAuth.library !== 0x01 || l.fedAuth.echo !== fedAuthOffered || !nonceOk || !validTokens.has(l.fedAuth.token) || !tokenLoginsAccepted) failure = '<token-identified principal>';
    } else if (l.user !== synapseFakeSqlLogin.user || l.password !== synapseFakeSqlLogin.password) failure = l.user;
    if (!failure && l.database !== synapseFakeDatabase) {
      serverMessage(w, Token.Error, { number: 4060, state: 1, class: 11, message: `Cannot open database "${l.database}" requested by the login. The login failed.`, line: 1 });
      failure = l.fedAuth ? '<token-identified principal>' : l.user;
    }
    stats.logins.push({ user: l.fedAuth ? null : l.user, token: l.fedAuth !== null, database: l.database, ok: failure === null, packetSize: l.packetSize, packets: m.packets });
    if (failure !== null) {
      serverMessage(w, Token.Error, { number: 18456, state: 1, class: 14, message: `Login failed for user '${failure}'.`, line: 1 });
      done(w, DONE_ERROR);
      await send(conn, w.toBytes());
      return false;
    }
    const ack = new ByteWriter().u8(1).u32be(0x74000004).bVarchar('Microsoft SQL Server').u8(12).u8(0).u8(0x07).u8(0xd0);
    w.u8(Token.LoginAck).u16le(ack.length).bytes(ack.toBytes());
    envChange(w, 1, synapseFakeDatabase, 'master');
    serverMessage(w, Token.Info, { number: 5701, state: 2, class: 0, message: `Changed database context to '${synapseFakeDatabase}'.`, line: 1 });
    const collation = new ByteWriter().u8(7).u8(5).bytes(utf8Collation).u8(0);
    w.u8(Token.EnvChange).u16le(collation.length).bytes(collation.toBytes());
    envChange(w, 4, String(negotiatedPacketSize), String(l.packetSize));
    if (routeTo) {
      // 2.2.7.9 routing: Type 20, RoutingDataValueLength, Protocol 0 (TCP), port, US_VARCHAR server; old value 0.
      const data = new ByteWriter().u8(0).u16le(routeTo.port).usVarchar(routeTo.host);
      const body = new ByteWriter().u8(20).u16le(data.length).bytes(data.toBytes()).u16le(0);
      w.u8(Token.EnvChange).u16le(body.length).bytes(body.toBytes());
    }
    w.u8(Token.FeatureExtAck);
    if (l.fedAuth) w.u8(0x02).u32le(0);
    w.u8(0x0a).u32le(1).u8(1).u8(0xff);
    done(w, 0);
    await send(conn, w.toBytes());
    conn.packetSize = negotiatedPacketSize;
    conn.loggedIn = true;
    return true;
  }

  async function answer(conn: Connection, sql: string): Promise<void> {
    stats.batches.push(sql);
    conn.attention = false;
    const script = scripts.get(sql) ?? {
      error: { number: 208, state: 1, class: 16, message: `Invalid object name '${sql.split(/\s+/).slice(-1)[0] ?? ''}'.`, line: 1 },
    };
    const w = new ByteWriter();
    if ('error' in script) {
      serverMessage(w, Token.Error, script.error);
      done(w, DONE_ERROR | DONE_COUNT);
      await send(conn, w.toBytes());
      return;
    }
    if (script.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, script.delayMs);
        if (script.ignoreAttention) conn.socket.once('close', () => clearTimeout(timer));
        else
          conn.onAttention = () => {
            clearTimeout(timer);
            resolve();
          };
      });
      conn.onAttention = null;
      if (conn.socket.destroyed) return;
    }
    if (conn.attention) {
      done(w, DONE_ATTN);
      await send(conn, w.toBytes());
      return;
    }
    for (let i = 0; i < (script.leadingStatements ?? 0); i++) {
      serverMessage(w, Token.Info, { number: 0, state: 1, class: 0, message: `statement ${i + 1} done`, line: i + 1 });
      done(w, DONE_MORE);
    }
    colMetadata(w, script.columns);
    const count = Array.isArray(script.rows) ? script.rows.length : (script.rows as { count: number }).count;
    const rowAt = (i: number) => (Array.isArray(script.rows) ? script.rows[i]! : (script.rows as { row: (i: number) => readonly unknown[] }).row(i));
    const room = conn.packetSize - 8;
    let pending = w;
    let sent = 0;
    for (let i = 0; i < count; i++) {
      if (conn.attention) break;
      row(pending, script.columns, rowAt(i), script.nbcRow ?? false);
      sent++;
      // Send whole packets as they fill; the tail (always ending on a row boundary) stays pending.
      if (pending.length >= room * 4) {
        const bytes = pending.toBytes();
        const cut = bytes.length - (bytes.length % room);
        await send(conn, bytes.subarray(0, cut), false);
        pending = new ByteWriter().bytes(bytes.subarray(cut));
        await new Promise((r) => setImmediate(r));
      }
    }
    stats.rowsSent += sent;
    if (conn.attention) done(pending, DONE_ATTN);
    else done(pending, DONE_COUNT, BigInt(sent));
    await send(conn, pending.toBytes());
  }

  async function serve(socket: Socket): Promise<void> {
    const conn: Connection = { socket, stream: nodeByteStream(socket), packetSize: 4096, loggedIn: false, attention: false, onAttention: null, messages: [], onMessage: null };
    socket.on('error', () => undefined);
    void readLoop(conn);
    const pre = await nextMessage(conn);
    if (!pre || pre.type !== PacketType.Prelogin) return void socket.destroy();
    const client = decodePrelogin(pre.payload);
    const fedAuthOffered = client.fedAuthRequired === 0x01;
    const nonce = fedAuthOffered ? new Uint8Array(randomBytes(32)) : null;
    await send(
      conn,
      encodePrelogin({
        version: { major: 12, minor: 0, build: 2000, subBuild: 0 },
        encryption: 0x01,
        instance: 0,
        threadId: 0,
        mars: 0,
        ...(fedAuthOffered ? { fedAuthRequired: 0x01 } : {}),
        ...(nonce ? { nonce } : {}),
      }),
    );
    if (!(await login(conn, nonce, fedAuthOffered))) return void socket.end();
    for (;;) {
      const m = await nextMessage(conn);
      if (!m) return;
      if (m.type === PacketType.SqlBatch) await answer(conn, decodeSqlBatch(m.payload));
    }
  }

  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    void serve(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fake: no port');

  const tokens: RunningFake = await startFakeServer(
    (req, res, url) => {
      const m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
      if (req.method !== 'POST' || !m) return sendJson(res, 404, { error: 'not_found' });
      const form = new URLSearchParams(req.body);
      const clientId = form.get('client_id') ?? '';
      const scope = form.get('scope') ?? '';
      stats.tokenRequests.push({ clientId, scope });
      if (m[1] !== synapseFakeTenant) {
        return sendJson(res, 400, { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${m[1]}' not found.` });
      }
      if (form.get('grant_type') !== 'client_credentials') return sendJson(res, 400, { error: 'unsupported_grant_type' });
      if (clientId !== synapseFakeClient.clientId) {
        return sendJson(res, 400, { error: 'unauthorized_client', error_description: `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.` });
      }
      if (form.get('client_secret') !== synapseFakeClient.clientSecret) {
        return sendJson(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
      }
      if (scope !== 'https://database.windows.net/.default') {
        return sendJson(res, 400, { error: 'invalid_scope', error_description: `AADSTS1002012: The provided value for scope ${scope} is not valid.` });
      }
      const token = `eyJ0eXAiOiJKV1QifQ.synapse-${++tokenCounter}-${'x'.repeat(2600)}.sig`;
      validTokens.add(token);
      sendJson(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
    },
    () => ({ ok: true }),
  );

  return {
    port: address.port,
    tokenUrl: `${tokens.origin}/${synapseFakeTenant}/oauth2/v2.0/token`,
    stats,
    script: (sql, a) => void scripts.set(sql, a),
    revokeTokens: () => validTokens.clear(),
    routeLoginsTo: (target) => {
      routeTo = target;
    },
    acceptTokenLogins: (accept) => {
      tokenLoginsAccepted = accept;
    },
    failTokenEndpoint: async (status, times) => {
      await fetch(`${tokens.origin}/__fake/fail`, { method: 'POST', body: JSON.stringify({ status, times }) });
    },
    close: async () => {
      await tokens.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open client sockets would keep close() waiting.
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
