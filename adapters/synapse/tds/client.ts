/**
 * A minimal TDS 7.4 client over a TdsByteStream: PRELOGIN → LOGIN7 (SQL login or Entra ID access token) →
 * one SQLBatch, reading the token stream incrementally (MS-TDS 3.2.5 client state machine, reduced to what a
 * read-only lake query needs: no transactions, no RPC, no MARS).
 *
 * Invariants:
 * - Every wait on the server can be interrupted by the caller's deadline (`interrupt`, a promise that only
 *   rejects). A query interrupted after its batch went out is cancelled with ATTENTION (2.2.1.7) and the client
 *   then reads, discarding, until the DONE carrying DONE_ATTN (2.2.2.9), within a short grace period.
 * - Rows are kept until `maxRows + 1`; then ATTENTION stops the server and nothing more is kept, so a huge result
 *   costs at most one extra row plus what was already in flight.
 * - Messages leave in packets no bigger than the negotiated packet size (ENVCHANGE type 4 after LOGIN7).
 * - Only the first result set is returned; the validated SQL is one SELECT.
 */
import { encodeLogin7, type Login7Auth } from './login7';
import { encodePackets, PacketReader, PacketType, TdsProtocolError, defaultPacketSize, type TdsByteStream } from './packet';
import { decodePrelogin, encodePrelogin, Encryption } from './prelogin';
import { encodeSqlBatch } from './sql-batch';
import { DoneStatus, EnvChangeType, TokenStreamParser, TokenType, type ServerMessage, type TdsToken } from './tokens';

/** The server answered with ERROR tokens (class ≥ 11): a refused login or query. */
export class TdsServerError extends Error {
  override readonly name = 'TdsServerError';
  constructor(
    readonly phase: 'login' | 'query',
    readonly errors: readonly ServerMessage[],
  ) {
    super(errors.map((e) => `Msg ${e.number}, Level ${e.class}, State ${e.state}, Line ${e.line}: ${e.message}`).join(' | '));
  }
}

/** The caller's deadline passed. `cancelled` says whether the server acknowledged the ATTENTION. */
export class TdsTimeoutError extends Error {
  override readonly name = 'TdsTimeoutError';
  constructor(
    message: string,
    readonly cancelled = false,
  ) {
    super(message);
  }
}

/** The login was answered with ENVCHANGE routing (Azure's redirect policy) to another host. */
export class TdsRoutingError extends Error {
  override readonly name = 'TdsRoutingError';
  constructor(
    readonly server: string,
    readonly port: number,
  ) {
    super(`the server redirected the connection to ${server}:${port}`);
  }
}

export interface TdsLoginOptions {
  readonly serverName: string;
  readonly database: string;
  readonly auth: { readonly kind: 'sql'; readonly user: string; readonly password: string } | { readonly kind: 'token'; readonly accessToken: string };
  readonly appName?: string;
  readonly interrupt?: Promise<never>;
}

export interface TdsQueryResult {
  readonly columns: string[];
  readonly rows: unknown[][];
  /** More rows existed than were kept (the client stopped at maxRows + 1 and cancelled). */
  readonly cancelledEarly: boolean;
}

/** How long to wait for the attention acknowledgment before giving up and closing the connection. */
export const attentionGraceMs = 5_000;

export class TdsClient {
  private readonly reader: PacketReader;
  private readonly parser = new TokenStreamParser();
  packetSize = defaultPacketSize;
  database: string | null = null;

  constructor(
    private readonly stream: TdsByteStream,
    private readonly graceMs = attentionGraceMs,
  ) {
    this.reader = new PacketReader(stream);
  }

  private async send(type: number, message: Uint8Array): Promise<void> {
    // One write per packet: a packet is never coalesced with the next by this code.
    for (const packet of encodePackets(type, message, this.packetSize)) await this.stream.write(packet);
  }

  private async nextToken(interrupt?: Promise<never>): Promise<TdsToken> {
    for (;;) {
      const token = this.parser.next();
      if (token) return token;
      const packet = await this.reader.readPacket(interrupt);
      if (packet.type !== PacketType.TabularResult) throw new TdsProtocolError(`expected a tabular result packet, got type 0x${packet.type.toString(16)}`);
      this.parser.push(packet.payload);
    }
  }

  async login(options: TdsLoginOptions): Promise<void> {
    const fedAuth = options.auth.kind === 'token';
    await this.send(
      PacketType.Prelogin,
      encodePrelogin({
        version: { major: 1, minor: 0, build: 0, subBuild: 0 },
        encryption: Encryption.On,
        instance: 0,
        threadId: 0,
        mars: 0,
        ...(fedAuth ? { fedAuthRequired: 0x01 } : {}),
      }),
    );
    const response = await this.reader.readMessage(options.interrupt);
    if (response.type !== PacketType.TabularResult) throw new TdsProtocolError(`expected a PRELOGIN response, got packet type 0x${response.type.toString(16)}`);
    const prelogin = decodePrelogin(response.payload);
    const auth: Login7Auth =
      options.auth.kind === 'sql'
        ? options.auth
        : { kind: 'token', accessToken: options.auth.accessToken, fedAuthEcho: prelogin.fedAuthRequired === 0x01, ...(prelogin.nonce ? { nonce: prelogin.nonce } : {}) };
    await this.send(
      PacketType.Login7,
      encodeLogin7({
        packetSize: defaultPacketSize,
        hostName: 'mantissa-log',
        appName: options.appName ?? 'Mantissa Log',
        serverName: options.serverName,
        libraryName: 'mantissa-tds',
        database: options.database,
        auth,
      }),
    );
    const errors: ServerMessage[] = [];
    let loggedIn = false;
    let routing: { server: string; port: number } | null = null;
    let newPacketSize = this.packetSize;
    for (;;) {
      const token = await this.nextToken(options.interrupt);
      if (token.kind === 'loginack') loggedIn = true;
      else if (token.kind === 'error') errors.push(token.message);
      else if (token.kind === 'envchange') {
        if (token.type === EnvChangeType.PacketSize) newPacketSize = Number(token.newValue);
        else if (token.type === EnvChangeType.Database) this.database = token.newValue;
        else if (token.type === EnvChangeType.Routing && token.routing) routing = token.routing;
      } else if (token.kind === 'done' && !(token.status & DoneStatus.More)) break;
    }
    if (!loggedIn || errors.some((e) => e.class >= 11)) throw new TdsServerError('login', errors.length ? errors : [noAck]);
    if (routing) throw new TdsRoutingError(routing.server, routing.port);
    if (!Number.isInteger(newPacketSize) || newPacketSize < 512 || newPacketSize > 32767) {
      throw new TdsProtocolError(`the server set an invalid packet size ${newPacketSize}`);
    }
    // 2.2.6.4: the new packet size applies to messages after the login response.
    this.packetSize = newPacketSize;
  }

  async query(sql: string, options: { maxRows: number; interrupt?: Promise<never> }): Promise<TdsQueryResult> {
    await this.send(PacketType.SqlBatch, encodeSqlBatch(sql));
    let columns: string[] | null = null;
    let resultSets = 0;
    const rows: unknown[][] = [];
    const errors: ServerMessage[] = [];
    let attentionSent = false;
    try {
      for (;;) {
        const token = await this.nextToken(options.interrupt);
        if (attentionSent) {
          if (token.kind === 'done' && token.status & DoneStatus.Attention) break;
          continue;
        }
        if (token.kind === 'colmetadata') {
          resultSets++;
          if (resultSets === 1) columns = token.columns.map((c) => c.name);
        } else if (token.kind === 'row') {
          if (resultSets !== 1) continue;
          rows.push(token.values);
          if (rows.length > options.maxRows) {
            await this.send(PacketType.Attention, new Uint8Array(0));
            attentionSent = true;
          }
        } else if (token.kind === 'error') errors.push(token.message);
        else if (token.kind === 'done' && token.token === TokenType.Done && !(token.status & DoneStatus.More)) break;
      }
    } catch (err) {
      if (!(err instanceof TdsTimeoutError)) throw err;
      throw await this.cancelAfterTimeout(err, attentionSent);
    }
    if (errors.some((e) => e.class >= 11)) throw new TdsServerError('query', errors);
    return { columns: columns ?? [], rows, cancelledEarly: attentionSent };
  }

  /** Sends ATTENTION (unless already sent) and waits briefly for its acknowledgment. */
  private async cancelAfterTimeout(timeout: TdsTimeoutError, attentionSent: boolean): Promise<TdsTimeoutError> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TdsTimeoutError('no attention acknowledgment')), this.graceMs);
    });
    grace.catch(() => undefined);
    try {
      if (!attentionSent) await this.send(PacketType.Attention, new Uint8Array(0));
      for (;;) {
        const token = await this.nextToken(grace);
        if (token.kind === 'done' && token.status & DoneStatus.Attention) return new TdsTimeoutError(timeout.message, true);
      }
    } catch {
      return new TdsTimeoutError(timeout.message, false);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.stream.close().catch(() => undefined);
  }
}

const noAck: ServerMessage = {
  number: 0,
  state: 0,
  class: 16,
  message: 'the server ended the login without a LOGINACK',
  serverName: '',
  procName: '',
  line: 0,
};
