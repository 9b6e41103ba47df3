/**
 * The tabular-result token stream (MS-TDS 2.2.7), parsed incrementally: bytes from each packet are pushed, and
 * `next()` returns the next whole token or null while one is still incomplete (a token may span packets, and a
 * ROW of a wide (max) column may span many). Tokens handled:
 * LOGINACK 0xAD, ENVCHANGE 0xE3 (database, packet size, collation, routing…), INFO 0xAB, ERROR 0xAA,
 * COLMETADATA 0x81, ROW 0xD1, NBCROW 0xD2 (null bitmap, 2.2.7.19), DONE 0xFD / DONEPROC 0xFE / DONEINPROC 0xFF,
 * FEATUREEXTACK 0xAE; ORDER, COLINFO, TABNAME, SSPI, RETURNSTATUS, SESSIONSTATE and FEDAUTHINFO are skipped by
 * their length. Anything else is a protocol error naming the token: without its length it cannot be skipped.
 *
 * Invariant: the parser's state (current columns) changes only when a whole token has been read.
 */
import { ByteReader, concatBytes, NeedMoreBytes } from './bytes';
import { TdsProtocolError } from './packet';
import { readTypeInfo, readValue, tdsTypeName, TdsType, TdsUnsupportedTypeError, type TypeInfo } from './data-types';

export const TokenType = {
  ColMetadata: 0x81,
  Row: 0xd1,
  NbcRow: 0xd2,
  Done: 0xfd,
  DoneProc: 0xfe,
  DoneInProc: 0xff,
  Error: 0xaa,
  Info: 0xab,
  LoginAck: 0xad,
  FeatureExtAck: 0xae,
  EnvChange: 0xe3,
  Order: 0xa9,
  ColInfo: 0xa5,
  TabName: 0xa4,
  Sspi: 0xed,
  ReturnStatus: 0x79,
  SessionState: 0xe4,
  FedAuthInfo: 0xee,
} as const;

export const DoneStatus = { More: 0x0001, Error: 0x0002, InXact: 0x0004, Count: 0x0010, Attention: 0x0020, ServerError: 0x0100 } as const;
export const EnvChangeType = { Database: 1, Language: 2, CharSet: 3, PacketSize: 4, SqlCollation: 7, Routing: 20 } as const;

export interface ServerMessage {
  readonly number: number;
  readonly state: number;
  readonly class: number;
  readonly message: string;
  readonly serverName: string;
  readonly procName: string;
  readonly line: number;
}

export interface ColumnMeta {
  readonly name: string;
  readonly type: TypeInfo;
}

export type TdsToken =
  | { readonly kind: 'loginack'; readonly tdsVersion: number; readonly progName: string }
  | { readonly kind: 'envchange'; readonly type: number; readonly newValue: string; readonly routing?: { readonly server: string; readonly port: number } }
  | { readonly kind: 'info' | 'error'; readonly message: ServerMessage }
  | { readonly kind: 'colmetadata'; readonly columns: readonly ColumnMeta[] }
  | { readonly kind: 'row'; readonly values: unknown[] }
  | { readonly kind: 'done'; readonly token: number; readonly status: number; readonly rowCount: bigint }
  | { readonly kind: 'featureextack'; readonly features: ReadonlyMap<number, Uint8Array> }
  | { readonly kind: 'skipped'; readonly token: number };

/** Types whose TYPE_INFO layout is known but whose values this client does not decode (see data-types.ts). */
function readUnsupportedTypeInfo(r: ByteReader, type: number): boolean {
  switch (type) {
    case TdsType.MONEY:
    case TdsType.MONEY4:
    case TdsType.DATETIM4:
    case TdsType.NULL:
      return true;
    case TdsType.MONEYN:
    case TdsType.TIMEN:
    case TdsType.DATETIMEOFFSETN:
      r.u8();
      return true;
    case TdsType.BIGVARBIN:
    case TdsType.BIGBINARY:
      r.u16le();
      return true;
    default:
      return false;
  }
}

function readColumn(r: ByteReader, index: number): ColumnMeta {
  r.u32le(); // UserType
  r.u16le(); // Flags
  const start = r.pos;
  try {
    const type = readTypeInfo(r, `#${index + 1}`);
    return { type, name: r.bVarchar() };
  } catch (err) {
    if (!(err instanceof TdsUnsupportedTypeError)) throw err;
    // Re-read the type byte: when its TYPE_INFO layout is known, read on to the column name for the message.
    r.pos = start;
    const type = r.u8();
    if (!readUnsupportedTypeInfo(r, type)) throw err;
    const name = r.bVarchar();
    throw new TdsUnsupportedTypeError(
      `column "${name}" has SQL Server type ${tdsTypeName(type)}, which this adapter does not decode; CAST it to NVARCHAR, BIGINT, FLOAT or DATETIME2 in the query`,
    );
  }
}

function readServerMessage(r: ByteReader): ServerMessage {
  const length = r.u16le();
  const body = new ByteReader(r.take(length));
  return {
    number: body.i32le(),
    state: body.u8(),
    class: body.u8(),
    message: body.usVarchar(),
    serverName: body.bVarchar(),
    procName: body.bVarchar(),
    line: body.u32le(),
  };
}

function readEnvChange(r: ByteReader): TdsToken {
  const length = r.u16le();
  const body = new ByteReader(r.take(length));
  const type = body.u8();
  if (type === EnvChangeType.Routing) {
    // 2.2.7.9: RoutingDataValueLength, then Protocol (0 = TCP), ProtocolProperty (port), AlternateServer.
    body.u16le();
    body.u8();
    const port = body.u16le();
    const server = body.usVarchar();
    return { kind: 'envchange', type, newValue: `${server}:${port}`, routing: { server, port } };
  }
  if (type === EnvChangeType.SqlCollation) {
    const value = body.bVarbyte();
    return { kind: 'envchange', type, newValue: Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('') };
  }
  if (type <= 6 || type === 13 || type === 19) return { kind: 'envchange', type, newValue: body.bVarchar() };
  return { kind: 'envchange', type, newValue: '' };
}

export class TokenStreamParser {
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private columns: readonly ColumnMeta[] | null = null;

  push(bytes: Uint8Array): void {
    const rest = this.buf.subarray(this.pos);
    this.buf = rest.length === 0 ? bytes : concatBytes([rest, bytes]);
    this.pos = 0;
  }

  /** Bytes received but not yet consumed by a whole token. */
  get buffered(): number {
    return this.buf.length - this.pos;
  }

  next(): TdsToken | null {
    if (this.pos >= this.buf.length) return null;
    const r = new ByteReader(this.buf, this.pos);
    let token: TdsToken;
    try {
      token = this.readToken(r);
    } catch (err) {
      if (err instanceof NeedMoreBytes) return null;
      throw err;
    }
    this.pos = r.pos;
    if (token.kind === 'colmetadata') this.columns = token.columns;
    return token;
  }

  private readToken(r: ByteReader): TdsToken {
    const type = r.u8();
    switch (type) {
      case TokenType.ColMetadata: {
        const count = r.u16le();
        if (count === 0xffff) return { kind: 'colmetadata', columns: [] };
        const columns: ColumnMeta[] = [];
        for (let i = 0; i < count; i++) columns.push(readColumn(r, i));
        return { kind: 'colmetadata', columns };
      }
      case TokenType.Row:
      case TokenType.NbcRow: {
        const columns = this.columns;
        if (!columns) throw new TdsProtocolError('ROW token before COLMETADATA');
        let nulls: Uint8Array | null = null;
        if (type === TokenType.NbcRow) nulls = r.take(Math.ceil(columns.length / 8));
        const values = columns.map((c, i) => (nulls && (nulls[i >> 3]! >> (i & 7)) & 1 ? null : readValue(r, c.type, c.name)));
        return { kind: 'row', values };
      }
      case TokenType.Done:
      case TokenType.DoneProc:
      case TokenType.DoneInProc: {
        const status = r.u16le();
        r.u16le(); // CurCmd
        return { kind: 'done', token: type, status, rowCount: r.u64le() };
      }
      case TokenType.Error:
      case TokenType.Info:
        return { kind: type === TokenType.Error ? 'error' : 'info', message: readServerMessage(r) };
      case TokenType.LoginAck: {
        const length = r.u16le();
        const body = new ByteReader(r.take(length));
        body.u8(); // Interface
        const tdsVersion = body.u32be();
        return { kind: 'loginack', tdsVersion, progName: body.bVarchar() };
      }
      case TokenType.EnvChange:
        return readEnvChange(r);
      case TokenType.FeatureExtAck: {
        const features = new Map<number, Uint8Array>();
        for (;;) {
          const id = r.u8();
          if (id === 0xff) break;
          features.set(id, r.take(r.u32le()));
        }
        return { kind: 'featureextack', features };
      }
      case TokenType.Order:
      case TokenType.ColInfo:
      case TokenType.TabName:
      case TokenType.Sspi:
        r.skip(r.u16le());
        return { kind: 'skipped', token: type };
      case TokenType.SessionState:
      case TokenType.FedAuthInfo:
        r.skip(r.u32le());
        return { kind: 'skipped', token: type };
      case TokenType.ReturnStatus:
        r.skip(4);
        return { kind: 'skipped', token: type };
      default:
        throw new TdsProtocolError(`unexpected TDS token 0x${type.toString(16).padStart(2, '0')} in the server's response`);
    }
  }
}

/** "Msg 207, Level 16, State 1, Line 1: Invalid column name 'x'." — the way SQL Server tools print it. */
export function formatServerMessage(m: ServerMessage): string {
  return `Msg ${m.number}, Level ${m.class}, State ${m.state}, Line ${m.line}: ${m.message}`;
}

