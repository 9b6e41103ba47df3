// Encoders/decoders of the TDS client on byte fixtures from MS-TDS section 4 (examples) and hand-built streams
// following the section 2 grammars, including tokens split across packets at every byte.
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, fromHex, toHex, utf16le } from './bytes';
import { readValue, type TypeInfo } from './data-types';
import { deobfuscatePassword, encodeLogin7, obfuscatePassword } from './login7';
import { decodePacketHeader, encodePackets, PacketReader, PacketType, type TdsByteStream } from './packet';
import { decodePrelogin, encodePrelogin } from './prelogin';
import { decodeSqlBatch, encodeSqlBatch } from './sql-batch';
import { TokenStreamParser, type TdsToken } from './tokens';

// MS-TDS 4.1 "Pre-Login Request": the whole packet, header included.
const msTdsPrelogin = fromHex(`
  12 01 00 2F 00 00 01 00 00 00 1A 00 06 01 00 20
  00 01 02 00 21 00 01 03 00 22 00 04 04 00 26 00
  01 FF 09 00 00 00 00 00 01 00 B8 0D 00 00 01`);

// MS-TDS 4.2 "Login Request" (TDS 7.2, host "skostov1", user "sa", app "OSQL-32", library "ODBC").
const msTdsLogin7 = fromHex(`
  10 01 00 90 00 00 01 00 88 00 00 00 02 00 09 72
  00 10 00 00 00 00 00 07 00 01 00 00 00 00 00 00
  E0 03 00 00 00 00 00 00 09 04 00 00 5E 00 08 00
  6E 00 02 00 72 00 00 00 72 00 07 00 80 00 00 00
  80 00 00 00 80 00 04 00 88 00 00 00 88 00 00 00
  00 50 8B E2 B7 8F 88 00 00 00 88 00 00 00 88 00
  00 00 00 00 00 00 73 00 6B 00 6F 00 73 00 74 00
  6F 00 76 00 31 00 73 00 61 00 4F 00 53 00 51 00
  4C 00 2D 00 33 00 32 00 4F 00 44 00 42 00 43 00`);

// MS-TDS 4.12 "Bulk Load": its data is a token stream — COLMETADATA (one BIT column "c1"), ROW (0), DONE.
const msTdsBulkTokens = fromHex(`81 01 00 00 00 00 00 05 00 32 02 63 00 31 00 D1 00 FD 00 00 00 00 00 00 00 00 00 00 00 00`);

function allTokens(bytes: Uint8Array, splitEvery = bytes.length): TdsToken[] {
  const parser = new TokenStreamParser();
  const out: TdsToken[] = [];
  for (let at = 0; at < bytes.length; at += splitEvery) {
    parser.push(bytes.slice(at, at + splitEvery));
    for (let t = parser.next(); t; t = parser.next()) out.push(t);
  }
  expect(parser.buffered).toBe(0);
  return out;
}

describe('packets (MS-TDS 2.2.3)', () => {
  it('frames the MS-TDS 4.1 PRELOGIN byte for byte', () => {
    const payload = encodePrelogin({ version: { major: 9, minor: 0, build: 0, subBuild: 0 }, encryption: 0x01, instance: 0, threadId: 0xb80d0000, mars: 1 });
    const [packet, ...more] = encodePackets(PacketType.Prelogin, payload, 4096);
    expect(more).toHaveLength(0);
    expect(toHex(packet!)).toBe(toHex(msTdsPrelogin));
  });

  it('decodes the MS-TDS 4.1 PRELOGIN header and options', () => {
    expect(decodePacketHeader(msTdsPrelogin)).toEqual({ type: 0x12, status: 0x01, length: 0x2f, spid: 0, packetId: 1 });
    expect(decodePrelogin(msTdsPrelogin.subarray(8))).toEqual({
      version: { major: 9, minor: 0, build: 0, subBuild: 0 },
      encryption: 1,
      instance: 0,
      threadId: 0xb80d0000,
      mars: 1,
    });
  });

  it('splits a message into packets of the packet size with EOM only on the last, numbered from 1', () => {
    const message = Uint8Array.from({ length: 1200 }, (_, i) => i & 0xff);
    const packets = encodePackets(PacketType.SqlBatch, message, 512);
    expect(packets.map((p) => p.length)).toEqual([512, 512, 1200 - 2 * 504 + 8]);
    expect(packets.map((p) => decodePacketHeader(p).status)).toEqual([0, 0, 1]);
    expect(packets.map((p) => decodePacketHeader(p).packetId)).toEqual([1, 2, 3]);
  });

  it('reassembles a message whatever the socket chunking', async () => {
    const message = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff);
    const wire = encodePackets(PacketType.TabularResult, message, 512).flatMap((p) => Array.from(p));
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < wire.length; at += 37) chunks.push(Uint8Array.from(wire.slice(at, at + 37)));
    const stream: TdsByteStream = { read: async () => chunks.shift() ?? null, write: async () => undefined, close: async () => undefined };
    const got = await new PacketReader(stream).readMessage();
    expect(got.type).toBe(PacketType.TabularResult);
    expect(toHex(got.payload)).toBe(toHex(message));
  });

  it('keeps a read that lost a race for the next call, losing no bytes', async () => {
    let deliver: (b: Uint8Array) => void = () => undefined;
    const first = new Promise<Uint8Array>((r) => (deliver = r));
    let reads = 0;
    const stream: TdsByteStream = { read: () => (reads++ === 0 ? first : Promise.resolve(null)), write: async () => undefined, close: async () => undefined };
    const reader = new PacketReader(stream);
    await expect(reader.readPacket(Promise.reject(new Error('deadline')))).rejects.toThrow('deadline');
    deliver(encodePackets(PacketType.TabularResult, Uint8Array.of(0xfd), 512)[0]!);
    expect((await reader.readPacket()).payload).toEqual(Uint8Array.of(0xfd));
    expect(reads).toBe(1);
  });
});

describe('LOGIN7 (MS-TDS 2.2.6.4)', () => {
  it('lays out the fixed part and OffsetLength table as the MS-TDS 4.2 example does', () => {
    const example = new ByteReader(msTdsLogin7.subarray(8));
    expect(example.u32le()).toBe(0x88);
    const ours = encodeLogin7({
      packetSize: 4096,
      hostName: 'skostov1',
      appName: 'OSQL-32',
      serverName: '',
      libraryName: 'ODBC',
      database: '',
      auth: { kind: 'sql', user: 'sa', password: '' },
    });
    const r = new ByteReader(ours);
    expect(r.u32le()).toBe(ours.length);
    expect(r.u32le()).toBe(0x74000004); // TDS 7.4, little-endian on the wire like the example's 0x72090002
    expect(r.u32le()).toBe(4096);
    // Offsets and lengths of host, user, password, app name — as in the example, host name starts at 94 (0x5E).
    const table = (bytes: Uint8Array) => Array.from({ length: 4 }, (_, i) => new ByteReader(bytes, 36 + i * 4).u16le());
    expect(table(ours)).toEqual(table(msTdsLogin7.subarray(8)));
    expect(table(ours)).toEqual([0x5e, 0x6e, 0x72, 0x72]);
    expect(Array.from(ours.subarray(0x5e, 0x5e + 16))).toEqual(Array.from(msTdsLogin7.subarray(8 + 0x5e, 8 + 0x5e + 16)));
  });

  it('obfuscates the password as MS-TDS says (swap nibbles, XOR 0xA5) and the server can undo it', () => {
    // 'a' = 0x61 → 0x16 → 0xB3; its high UTF-16 byte 0x00 → 0xA5.
    expect(toHex(obfuscatePassword('a'))).toBe('b3a5');
    expect(new TextDecoder('utf-16le').decode(deobfuscatePassword(obfuscatePassword('Päss w0rd;{x}')))).toBe('Päss w0rd;{x}');
  });

  it('puts the FEDAUTH SECURITYTOKEN feature, echo bit, token and nonce at the end', () => {
    const nonce = Uint8Array.from({ length: 32 }, (_, i) => i);
    const login = encodeLogin7({
      packetSize: 4096,
      hostName: 'h',
      appName: 'a',
      serverName: 's',
      libraryName: 'l',
      database: 'd',
      auth: { kind: 'token', accessToken: 'tok', fedAuthEcho: true, nonce },
    });
    const r = new ByteReader(login, 36 + 5 * 4);
    const ibExtension = r.u16le();
    expect(r.u16le()).toBe(4);
    const featureAt = new ByteReader(login, ibExtension).u32le();
    const f = new ByteReader(login, featureAt);
    expect(f.u8()).toBe(0x02);
    expect(f.u32le()).toBe(1 + 4 + 6 + 32);
    expect(f.u8()).toBe((0x01 << 1) | 1);
    expect(f.u32le()).toBe(6);
    expect(toHex(f.take(6))).toBe(toHex(utf16le('tok')));
    expect(toHex(f.take(32))).toBe(toHex(nonce));
    expect([f.u8(), f.u32le(), f.u8(), f.u8()]).toEqual([0x0a, 1, 1, 0xff]);
    expect(f.remaining).toBe(0);
    // No user name or password travels with a token.
    expect(new ByteReader(login, 42).u16le()).toBe(0);
    expect(new ByteReader(login, 46).u16le()).toBe(0);
  });
});

describe('SQLBatch (MS-TDS 2.2.6.7)', () => {
  it('prefixes ALL_HEADERS with one transaction descriptor header and round-trips the text', () => {
    const batch = encodeSqlBatch('SELECT 1');
    expect(toHex(batch.subarray(0, 22))).toBe('16000000' + '12000000' + '0200' + '0000000000000000' + '01000000');
    expect(decodeSqlBatch(batch)).toBe('SELECT 1');
  });
});

describe('token stream (MS-TDS 2.2.7)', () => {
  it('parses the MS-TDS 4.12 COLMETADATA/ROW/DONE stream', () => {
    expect(allTokens(msTdsBulkTokens)).toEqual([
      { kind: 'colmetadata', columns: [{ name: 'c1', type: { kind: 'fixed', type: 0x32, size: 1 } }] },
      { kind: 'row', values: [false] },
      { kind: 'done', token: 0xfd, status: 0, rowCount: 0n },
    ]);
  });

  it('parses the same tokens fed one byte at a time', () => {
    expect(allTokens(msTdsBulkTokens, 1)).toEqual(allTokens(msTdsBulkTokens));
  });

  it('reads ERROR, ENVCHANGE packet size and LOGINACK', () => {
    const w = new ByteWriter();
    const err = new ByteWriter().i32le(207).u8(1).u8(16).usVarchar("Invalid column name 'x'.").bVarchar('srv').bVarchar('').u32le(1);
    w.u8(0xaa).u16le(err.length).bytes(err.toBytes());
    const env = new ByteWriter().u8(4).bVarchar('8000').bVarchar('4096');
    w.u8(0xe3).u16le(env.length).bytes(env.toBytes());
    const ack = new ByteWriter().u8(1).u32be(0x74000004).bVarchar('Microsoft SQL Server').u8(12).u8(0).u8(7).u8(0xd0);
    w.u8(0xad).u16le(ack.length).bytes(ack.toBytes());
    expect(allTokens(w.toBytes(), 3)).toEqual([
      { kind: 'error', message: { number: 207, state: 1, class: 16, message: "Invalid column name 'x'.", serverName: 'srv', procName: '', line: 1 } },
      { kind: 'envchange', type: 4, newValue: '8000' },
      { kind: 'loginack', tdsVersion: 0x74000004, progName: 'Microsoft SQL Server' },
    ]);
  });

  it('honours the NBCROW null bitmap', () => {
    const w = new ByteWriter().u8(0x81).u16le(3);
    for (const name of ['a', 'b', 'c']) w.u32le(0).u16le(1).u8(0x26).u8(4).bVarchar(name);
    w.u8(0xd2).u8(0b101).u8(4).i32le(-7);
    expect(allTokens(w.toBytes()).at(-1)).toEqual({ kind: 'row', values: [null, -7, null] });
  });

  it('names the column and type it cannot decode', () => {
    const w = new ByteWriter().u8(0x81).u16le(1).u32le(0).u16le(1).u8(0x6e).u8(8).bVarchar('price');
    expect(() => allTokens(w.toBytes())).toThrow(/column "price" has SQL Server type MONEYN/);
  });

  it('refuses a token it cannot skip, naming it', () => {
    expect(() => allTokens(Uint8Array.of(0x88, 0, 0))).toThrow(/unexpected TDS token 0x88/);
  });
});

describe('values (MS-TDS 2.2.5.5)', () => {
  const utf8: TypeInfo = { kind: 'text', type: 0xa7, maxBytes: 0xffff, unicode: false, collation: { lcid: 0x409, utf8: true, sortId: 0 }, plp: true };
  const read = (info: TypeInfo, hex: string) => readValue(new ByteReader(fromHex(hex)), info, 'c');

  it.each<[string, TypeInfo, string, unknown]>([
    ['BIGINT beyond 2^53 stays a string', { kind: 'bytelen', type: 0x26, size: 8 }, '08 ff ff ff ff ff ff ff 7f', '9223372036854775807'],
    ['negative INT', { kind: 'bytelen', type: 0x26, size: 4 }, '04 fe ff ff ff', -2],
    ['DECIMAL(5,2) -123.45', { kind: 'decimal', type: 0x6a, size: 5, precision: 5, scale: 2 }, '05 00 39 30 00 00', -123.45],
    ['DECIMAL(38,0) 2^124 − 1 stays exact text', { kind: 'decimal', type: 0x6a, size: 17, precision: 38, scale: 0 }, '11 01 ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff 0f', '21267647932558653966460912964485513215'],
    ['DATE 2024-02-29', { kind: 'date', type: 0x28 }, '03 80 46 0b', '2024-02-29'],
    ['DATETIME2(7)', { kind: 'datetime2', type: 0x2a, scale: 7 }, '08 07 a5 1c 23 57 80 46 0b', '2024-02-29T10:23:45.1234567Z'],
    ['DATETIME 1900-01-01 00:00:01', { kind: 'bytelen', type: 0x6f, size: 8 }, '08 00 00 00 00 2c 01 00 00', '1900-01-01T00:00:01.000Z'],
    ['GUID (mixed-endian groups)', { kind: 'bytelen', type: 0x24, size: 16 }, '10 33 22 11 00 55 44 77 66 88 99 aa bb cc dd ee ff', '00112233-4455-6677-8899-aabbccddeeff'],
    ['PLP in chunks', utf8, '05 00 00 00 00 00 00 00 02 00 00 00 68 c3 03 00 00 00 a9 6c 6f 00 00 00 00', 'hélo'],
    ['PLP NULL', utf8, 'ff ff ff ff ff ff ff ff', null],
  ])('%s', (_name, info, hex, expected) => {
    expect(read(info, hex)).toEqual(expected);
  });

  it('decodes a code page 1252 VARCHAR (SQL_Latin1_General_CP1)', () => {
    const info: TypeInfo = { kind: 'text', type: 0xa7, maxBytes: 100, unicode: false, collation: { lcid: 0x409, utf8: false, sortId: 52 }, plp: false };
    expect(read(info, '04 00 80 e9 93 94')).toBe('€é“”');
  });

  it('refuses a VARCHAR in a code page it does not decode, naming the column', () => {
    const info: TypeInfo = { kind: 'text', type: 0xa7, maxBytes: 100, unicode: false, collation: { lcid: 0x411, utf8: false, sortId: 0 }, plp: false };
    expect(() => read(info, '01 00 41')).toThrow(/column "c" is VARCHAR in a collation with LCID 0x411/);
  });
});
