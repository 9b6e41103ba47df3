/**
 * Snowflake ACCOUNT_USAGE collectors (LOGIN_HISTORY, QUERY_HISTORY) over the SQL API
 * (https://docs.snowflake.com/en/developer-guide/sql-api/reference):
 * - key-pair authentication (https://docs.snowflake.com/en/developer-guide/sql-api/authenticating): a JWT
 *   signed RS256 with the user's private key, `iss` = `<ACCOUNT>.<USER>.SHA256:<base64 SHA-256 of the public
 *   key's DER>`, `sub` = `<ACCOUNT>.<USER>`, valid at most an hour, sent as `Authorization: Bearer` with
 *   `X-Snowflake-Authorization-Token-Type: KEYPAIR_JWT`;
 * - `POST /api/v2/statements` with a SELECT whose lower time bound is a bind variable (never SQL built from
 *   values); a 200 carries the first result partition, a 202 (still running after ~45 s) a statement handle
 *   that the next run polls with `GET /api/v2/statements/{handle}`;
 * - further partitions with `GET /api/v2/statements/{handle}?partition=N`
 *   (https://docs.snowflake.com/en/developer-guide/sql-api/handling-responses). Rows are arrays of strings
 *   typed by `resultSetMetaData.rowType`; they become objects keyed by the (upper-case) column names, the
 *   snowflake parser's shape, with timestamps written as ISO 8601.
 *
 * ACCOUNT_USAGE views lag: up to 2 hours for LOGIN_HISTORY, 45 minutes for QUERY_HISTORY
 * (https://docs.snowflake.com/en/sql-reference/account-usage#data-latency). Each window therefore starts that
 * much before the newest row read; rows read twice are dropped downstream by EVENT_ID / QUERY_ID.
 * The user's role needs access to the SNOWFLAKE database (IMPORTED PRIVILEGES, or the GOVERNANCE_VIEWER /
 * SECURITY_VIEWER database roles) and a warehouse to run on.
 */
import { exportJWK, importJWK, importPKCS8, SignJWT, type JWK } from 'jose';
import { z } from 'zod';
import type { CollectorDefinition, CollectorDeps, CollectorPage } from '../../core/collect/collector';
import { classifyResponse, type TransportResult } from '../../core/collect/transport';
import { toIsoMillis } from '../../core/schema/time';

const configSchema = z.object({
  /** Account identifier: `myorg-myaccount` or a locator such as `xy12345.us-east-2.aws`. */
  account: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a Snowflake account identifier'),
  /** Defaults to https://<account>.snowflakecomputing.com. */
  baseUrl: z.url().optional(),
  user: z.string().min(1),
  privateKeySecretName: z.string().default('SNOWFLAKE_PRIVATE_KEY'),
  warehouse: z.string().optional(),
  role: z.string().optional(),
  lookbackMinutes: z.number().int().min(1).max(60 * 24 * 365).default(24 * 60),
  /** How far each window reaches back behind the newest row (the view's latency); defaults per view. */
  overlapMinutes: z.number().int().min(0).max(24 * 60).optional(),
  statementTimeoutSeconds: z.number().int().min(1).max(604_800).default(600),
});
type SnowflakeConfig = z.infer<typeof configSchema>;

const columnSchema = z.object({ name: z.string(), type: z.string() });
type Column = z.infer<typeof columnSchema>;

const cursorSchema = z.object({
  /** Lower bound (exclusive) on the view's time column for the next statement. */
  since: z.string(),
  newest: z.string().nullable(),
  /** The running or partly read statement. */
  handle: z.string().nullable(),
  /** Next partition to read; 0 = the statement has not answered yet. */
  partition: z.number().int().min(0),
  partitions: z.number().int().min(0),
  columns: z.array(columnSchema).nullable(),
});
type SnowflakeCursor = z.infer<typeof cursorSchema>;

const resultSchema = z.looseObject({
  statementHandle: z.string().optional(),
  message: z.string().optional(),
  resultSetMetaData: z
    .looseObject({
      rowType: z.array(z.looseObject({ name: z.string(), type: z.string() })),
      partitionInfo: z.array(z.unknown()).optional(),
    })
    .optional(),
  data: z.array(z.array(z.string().nullable())).nullable().optional(),
});

interface View {
  readonly name: 'LOGIN_HISTORY' | 'QUERY_HISTORY';
  readonly timeColumn: string;
  readonly latencyMinutes: number;
}

const views = {
  login: { name: 'LOGIN_HISTORY', timeColumn: 'EVENT_TIMESTAMP', latencyMinutes: 120 },
  query: { name: 'QUERY_HISTORY', timeColumn: 'START_TIME', latencyMinutes: 45 },
} as const satisfies Record<string, View>;

/** The statement of a view: fixed text, the time bound bound as epoch milliseconds (binding "1"). */
export function viewStatement(view: View): string {
  return `SELECT * FROM SNOWFLAKE.ACCOUNT_USAGE.${view.name} WHERE ${view.timeColumn} > TO_TIMESTAMP_LTZ(?, 3) ORDER BY ${view.timeColumn}`;
}

const fingerprints = new Map<string, { key: CryptoKey; fingerprint: string }>();

/** The private key and `SHA256:<base64 of SHA-256 over the public key's DER>`, as Snowflake computes it. */
async function keyAndFingerprint(pem: string): Promise<{ key: CryptoKey; fingerprint: string }> {
  const cached = fingerprints.get(pem);
  if (cached) return cached;
  const key = await importPKCS8(pem.replace(/\\n/g, '\n').trim(), 'RS256', { extractable: true });
  const jwk: JWK = await exportJWK(key);
  const publicKey = (await importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e }, 'RS256')) as CryptoKey;
  const der = new Uint8Array((await crypto.subtle.exportKey('spki', publicKey)) as ArrayBuffer);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der));
  const entry = { key, fingerprint: `SHA256:${btoa(String.fromCharCode(...digest))}` };
  fingerprints.set(pem, entry);
  return entry;
}

/** `xy12345.us-east-2.aws` → `XY12345`: the JWT names the account without region or cloud. */
export function jwtAccount(account: string): string {
  return account.split('.')[0]!.toUpperCase();
}

async function keyPairJwt(config: SnowflakeConfig, pem: string, now: Date): Promise<string> {
  const { key, fingerprint } = await keyAndFingerprint(pem);
  const qualifiedUser = `${jwtAccount(config.account)}.${config.user.toUpperCase()}`;
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(`${qualifiedUser}.${fingerprint}`)
    .setSubject(qualifiedUser)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 59 * 60)
    .sign(key);
}

/** SQL API cells are strings; timestamps are epoch seconds with 9 decimals (TIMESTAMP_TZ adds ` <offset + 1440>`). */
export function snowflakeCell(value: string | null, type: string): string | null {
  if (value === null) return null;
  const t = type.toLowerCase();
  if (t !== 'timestamp_ltz' && t !== 'timestamp_ntz' && t !== 'timestamp_tz') return value;
  const m = /^(\d+)(?:\.(\d{1,9}))?(?: (\d+))?$/.exec(value);
  if (!m) return value;
  const offsetMinutes = m[3] !== undefined ? Number(m[3]) - 1440 : 0;
  const wall = new Date(Number(m[1]) * 1000 + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const zone = offsetMinutes === 0 ? 'Z' : `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0')}:${String(Math.abs(offsetMinutes) % 60).padStart(2, '0')}`;
  return `${wall}.${(m[2] ?? '').padEnd(9, '0')}${zone}`;
}

function rowsToRecords(data: (string | null)[][], columns: Column[]): Record<string, string | null>[] {
  return data.map((row) => Object.fromEntries(columns.map((c, i) => [c.name, snowflakeCell(row[i] ?? null, c.type)])));
}

function collectorFor(kind: keyof typeof views): CollectorDefinition<SnowflakeConfig, SnowflakeCursor> {
  const view = views[kind];
  const what = `Snowflake SQL API (${view.name})`;

  function finished(config: SnowflakeConfig, cursor: SnowflakeCursor, newest: string | null): SnowflakeCursor {
    const overlapMs = (config.overlapMinutes ?? view.latencyMinutes) * 60_000;
    const since = newest ? new Date(Math.max(Date.parse(cursor.since), Date.parse(newest) - overlapMs)).toISOString() : cursor.since;
    return { since, newest, handle: null, partition: 0, partitions: 0, columns: null };
  }

  function newestOf(records: Record<string, string | null>[], previous: string | null): string | null {
    return records.reduce<string | null>((max, r) => {
      const t = toIsoMillis(r[view.timeColumn]);
      return t && (!max || t > max) ? t : max;
    }, previous);
  }

  return {
    type: `snowflake_${view.name.toLowerCase()}`,
    source: 'snowflake',
    description: `Snowflake SNOWFLAKE.ACCOUNT_USAGE.${view.name} (SQL API, key-pair JWT)`,
    configSchema,
    cursorSchema,
    start(config, now) {
      return { since: new Date(now.getTime() - config.lookbackMinutes * 60_000).toISOString(), newest: null, handle: null, partition: 0, partitions: 0, columns: null };
    },
    async fetchPage(config, cursor, deps): Promise<TransportResult<CollectorPage<SnowflakeCursor>>> {
      const pem = deps.secret(config.privateKeySecretName);
      if (!pem) return { kind: 'failure', message: `the secret ${config.privateKeySecretName} is not set (wrangler secret put ${config.privateKeySecretName})` };
      let jwt: string;
      try {
        jwt = await keyPairJwt(config, pem, deps.now);
      } catch (err) {
        return { kind: 'failure', message: `the secret ${config.privateKeySecretName} is not a PKCS#8 PEM RSA private key (${err instanceof Error ? err.message : String(err)})` };
      }
      const base = (config.baseUrl ?? `https://${config.account.toLowerCase()}.snowflakecomputing.com`).replace(/\/+$/, '');
      const headers = {
        authorization: `Bearer ${jwt}`,
        'x-snowflake-authorization-token-type': 'KEYPAIR_JWT',
        accept: 'application/json',
        'user-agent': 'mantissa-log-collector/1.0',
      };

      let response: TransportResult<Response>;
      if (cursor.handle === null) {
        const body = {
          statement: viewStatement(view),
          timeout: config.statementTimeoutSeconds,
          bindings: { '1': { type: 'FIXED', value: String(Date.parse(cursor.since)) } },
          ...(config.warehouse ? { warehouse: config.warehouse } : {}),
          ...(config.role ? { role: config.role } : {}),
        };
        response = await send(deps, `${base}/api/v2/statements`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }, what);
      } else {
        const query = cursor.columns ? `?partition=${cursor.partition}` : '';
        response = await send(deps, `${base}/api/v2/statements/${encodeURIComponent(cursor.handle)}${query}`, { headers }, what);
        if (response.kind === 'failure' && /answered (404|410|422)/.test(response.message)) {
          // The statement failed, was cancelled, or its results expired (after 24 hours): run it again.
          return { kind: 'success', value: { records: [], cursor: { ...cursor, handle: null, partition: 0, partitions: 0, columns: null }, done: false } };
        }
      }
      if (response.kind !== 'success') return response;

      const status = response.value.status;
      const parsed = resultSchema.safeParse(await response.value.json().catch(() => null));
      if (!parsed.success) return { kind: 'failure', message: `${what} did not answer a result set` };
      if (status === 202) {
        // Still running: the next run asks again with the handle (polling here would spin through the run).
        const handle = parsed.data.statementHandle ?? cursor.handle;
        if (!handle) return { kind: 'failure', message: `${what} answered 202 without a statement handle` };
        return { kind: 'success', value: { records: [], cursor: { ...cursor, handle, partition: 0, partitions: 0, columns: null }, done: true } };
      }

      let columns = cursor.columns;
      let partitions = cursor.partitions;
      let handle = cursor.handle;
      if (!columns) {
        const meta = parsed.data.resultSetMetaData;
        if (!meta) return { kind: 'failure', message: `${what} answered without resultSetMetaData` };
        columns = meta.rowType.map((c) => ({ name: c.name, type: c.type }));
        partitions = Math.max(1, meta.partitionInfo?.length ?? 1);
        handle = parsed.data.statementHandle ?? handle;
      }
      const records = rowsToRecords(parsed.data.data ?? [], columns);
      const newest = newestOf(records, cursor.newest);
      const partition = cursor.columns ? cursor.partition + 1 : 1;
      if (partition < partitions && handle) {
        return { kind: 'success', value: { records, cursor: { since: cursor.since, newest, handle, partition, partitions, columns }, done: false } };
      }
      return { kind: 'success', value: { records, cursor: finished(config, cursor, newest), done: true } };
    },
  };
}

async function send(deps: CollectorDeps, url: string, init: RequestInit, what: string): Promise<TransportResult<Response>> {
  try {
    return await classifyResponse(await deps.fetch(url, init), what);
  } catch (err) {
    return { kind: 'retryable', message: `${what} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export const snowflakeLoginHistoryCollector = collectorFor('login');
export const snowflakeQueryHistoryCollector = collectorFor('query');
