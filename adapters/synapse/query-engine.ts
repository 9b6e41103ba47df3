/**
 * Azure Synapse serverless SQL as a lake query engine (core/lake/query-engine, dialect 'synapse').
 *
 * Why a hand-written TDS client (adapters/synapse/tds) and not `tedious`: serverless SQL speaks only TDS, and a
 * Worker's only raw TCP is cloudflare:sockets. tedious 20 loads @azure/identity and @azure/keyvault-keys (with
 * MSAL: 68 packages, ≈76 MB installed) at module load, requires node:dgram/dns/net/tls, and encrypts by wrapping
 * its socket with node:tls `tls.connect({socket})` + `createSecureContext` (strict mode) or by tunnelling TLS
 * inside PRELOGIN packets through a duplex pair (TDS 7.x) — neither of which workerd's node:tls offers. Its
 * `connector` option does not help: the TLS layering still runs through node:tls. The subset we need (one
 * read-only batch, a dozen data types) is about 1,200 lines (tds/).
 *
 * Transport: TDS 8.0 "strict" — the Worker opens TLS to host:1433 directly (worker-socket.ts, secureTransport
 * 'on'), then speaks TDS inside it; TLS is never negotiated inside TDS. Tests use plain loopback TCP against
 * test/fakes/synapse-tds.ts.
 *
 * Invariants (on top of the port's):
 * - host:port passes the outbound policy (as https://host:port: TLS to that host and port) before any socket
 *   opens; the token request goes through the guarded fetch the Worker passes in.
 * - One connection per run, always closed; a run that exceeds `timeoutMs` or is aborted sends ATTENTION, waits
 *   briefly for the acknowledgment, closes, and is a `failure`.
 * - Refused SQL and refused logins are `failure` with the server's "Msg N, Level L, State S, Line K: …" text;
 *   Azure's transient errors, network errors and token endpoint 5xx are `retryable`.
 * - Secrets (password, client secret, access token) never appear in results or messages.
 */
import { clientCredentialsToken, microsoftTokenUrl } from '../entra_id/collect-token';
import type { HttpFetch, TransportResult } from '../../core/collect/transport';
import type { LakeQueryEngine, LakeRows, LakeRunOptions } from '../../core/lake/query-engine';
import { checkOutboundUrl, type OutboundPolicy } from '../../core/net/outbound-policy';
import { parseSynapseConfig, type SynapseConfig } from './config';
import { TdsClient, TdsRoutingError, TdsServerError, TdsTimeoutError } from './tds/client';
import { TdsUnsupportedTypeError } from './tds/data-types';
import type { TdsSocketFactory } from './tds/packet';
import { TdsProtocolError } from './tds/packet';

/** The Entra ID resource of Azure SQL and Synapse SQL (https://learn.microsoft.com/en-us/azure/azure-sql/database/authentication-aad-service-principal). */
export const azureSqlScope = 'https://database.windows.net/.default';

export interface SynapseDeps {
  /** Opens the byte stream: cloudflare:sockets with TLS in the Worker (worker-socket.ts), node:net in tests. */
  readonly connect: TdsSocketFactory;
  /** fetch behind the outbound guard (adapters/http/guarded-fetch), for the Entra ID token. */
  readonly fetch: HttpFetch;
  /** The Worker's outbound policy, applied to the SQL endpoint's host:port before connecting. */
  readonly outboundPolicy: OutboundPolicy;
  /** How long a cancelled query waits for the server's attention acknowledgment before closing (default 5 s). */
  readonly attentionGraceMs?: number;
}

/**
 * Azure SQL transient error numbers worth a retry (https://learn.microsoft.com/en-us/azure/azure-sql/database/troubleshoot-common-errors-issues):
 * 40197 service error, 40501 service busy, 40613 database unavailable, 49918–49920 not enough resources,
 * 10928/10929 resource limits, 4221 login to read-secondary failed (HADR wait). 4060 (cannot open database) is on
 * SqlClient's list too, but for us it is most often a wrong database name, so it fails with that message.
 */
const transientErrorNumbers = new Set([40197, 40501, 40613, 49918, 49919, 49920, 10928, 10929, 4221]);

/** A promise that rejects at the deadline or on abort; `clear` stops the timer. */
function deadline(timeoutMs: number, signal: AbortSignal | undefined): { promise: Promise<never>; clear: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TdsTimeoutError(`the Synapse query exceeded its ${timeoutMs} ms budget`)), timeoutMs);
    if (signal) {
      onAbort = () => reject(new TdsTimeoutError('the Synapse query was aborted by the caller'));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  promise.catch(() => undefined);
  return {
    promise,
    clear: () => {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    },
  };
}

function describeServerError(err: TdsServerError, config: SynapseConfig): TransportResult<never> {
  const where = `${config.server}:${config.port}/${config.database}`;
  const transient = err.errors.some((e) => transientErrorNumbers.has(e.number));
  if (err.phase === 'login') {
    const hint =
      config.auth.kind === 'sql'
        ? 'check the SQL login name and password'
        : 'check that the app registration is a user of the database (CREATE USER [<app name>] FROM EXTERNAL PROVIDER) and that the token is for https://database.windows.net/';
    const message = `Synapse refused the login to ${where}: ${err.message}${transient ? '' : ` — ${hint}`}`;
    return transient ? { kind: 'retryable', message } : { kind: 'failure', message };
  }
  const message = `Synapse refused the query on ${where}: ${err.message}`;
  return transient ? { kind: 'retryable', message } : { kind: 'failure', message };
}

export function createSynapseQueryEngine(rawConfig: unknown, deps: SynapseDeps): LakeQueryEngine {
  const config = parseSynapseConfig(rawConfig);
  const endpoint = `${config.server}:${config.port}`;

  async function accessToken(fresh: boolean, until: Promise<never>): Promise<TransportResult<{ token: string; cached: boolean }>> {
    if (config.auth.kind !== 'entra') throw new Error('unreachable: SQL login has no token');
    const result = await Promise.race([
      clientCredentialsToken(
        deps.fetch,
        {
          tokenUrl: config.tokenUrl ?? microsoftTokenUrl(config.auth.tenantId),
          clientId: config.auth.clientId,
          clientSecret: config.auth.clientSecret,
          scope: azureSqlScope,
        },
        fresh,
      ),
      until,
    ]);
    if (result.kind === 'success') return result;
    return { ...result, message: `could not get an Entra ID token for Synapse: ${result.message}` };
  }

  async function connectAndLogin(token: string | null, until: Promise<never>): Promise<TdsClient> {
    const opening = deps.connect({ hostname: config.server, port: config.port });
    let stream: Awaited<typeof opening>;
    try {
      stream = await Promise.race([opening, until]);
    } catch (err) {
      // The deadline won: a socket that opens later must still be closed.
      opening.then((late) => late.close(), () => undefined);
      throw err;
    }
    const client = new TdsClient(stream, deps.attentionGraceMs);
    try {
      await client.login({
        serverName: config.server,
        database: config.database,
        auth: config.auth.kind === 'sql' ? { kind: 'sql', user: config.auth.user, password: config.auth.password } : { kind: 'token', accessToken: token ?? '' },
        interrupt: until,
      });
      return client;
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  async function run(sql: string, options: LakeRunOptions): Promise<TransportResult<LakeRows>> {
    if (!Number.isInteger(options.maxRows) || options.maxRows < 0) return { kind: 'failure', message: `maxRows must be a non-negative integer (got ${options.maxRows})` };
    if (!(options.timeoutMs > 0)) return { kind: 'failure', message: `timeoutMs must be positive (got ${options.timeoutMs})` };
    const decision = checkOutboundUrl(`https://${endpoint}`, deps.outboundPolicy);
    if (!decision.ok) return { kind: 'failure', message: `connection to Synapse at ${endpoint} refused by the outbound policy: ${decision.reason}` };

    const limit = deadline(options.timeoutMs, options.signal);
    let client: TdsClient | null = null;
    let phase: 'token' | 'login' | 'query' = 'token';
    try {
      let token: { token: string; cached: boolean } | null = null;
      if (config.auth.kind === 'entra') {
        const got = await accessToken(false, limit.promise);
        if (got.kind !== 'success') return got;
        token = got.value;
      }
      phase = 'login';
      try {
        client = await connectAndLogin(token?.token ?? null, limit.promise);
      } catch (err) {
        // A cached token the server refuses (revoked, or expired early) gets one more try with a new token.
        if (!(err instanceof TdsServerError && err.phase === 'login' && token?.cached)) throw err;
        const fresh = await accessToken(true, limit.promise);
        if (fresh.kind !== 'success') return fresh;
        client = await connectAndLogin(fresh.value.token, limit.promise);
      }
      phase = 'query';
      const result = await client.query(sql, { maxRows: options.maxRows, interrupt: limit.promise });
      const truncated = result.rows.length > options.maxRows;
      return {
        kind: 'success',
        value: { columns: result.columns, rows: truncated ? result.rows.slice(0, options.maxRows) : result.rows, truncated, bytesScanned: null, queryId: null },
      };
    } catch (err) {
      return classifyError(err, phase);
    } finally {
      limit.clear();
      await client?.close();
    }
  }

  function classifyError(err: unknown, phase: 'token' | 'login' | 'query'): TransportResult<never> {
    if (err instanceof TdsTimeoutError) {
      const cancel = phase === 'query' ? (err.cancelled ? '; the server acknowledged the cancel (ATTENTION)' : '; the connection was closed to cancel it') : '';
      return { kind: 'failure', message: `${err.message} (while ${phase === 'query' ? 'running the query' : phase === 'login' ? 'connecting and logging in' : 'getting the Entra ID token'})${cancel}` };
    }
    if (err instanceof TdsServerError) return describeServerError(err, config);
    if (err instanceof TdsUnsupportedTypeError) return { kind: 'failure', message: `Synapse result cannot be read: ${err.message}` };
    if (err instanceof TdsRoutingError) {
      return { kind: 'failure', message: `Synapse at ${endpoint} redirected the connection to ${err.server}:${err.port}; set the server to that host or use the proxy connection policy` };
    }
    if (err instanceof TdsProtocolError) return { kind: 'retryable', message: `Synapse connection to ${endpoint} failed: ${err.message}` };
    const detail = err instanceof Error ? err.message : String(err);
    return { kind: 'retryable', message: `Synapse connection to ${endpoint} failed: ${detail}` };
  }

  return { dialect: 'synapse', run };
}
