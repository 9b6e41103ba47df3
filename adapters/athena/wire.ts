/**
 * Amazon Athena's JSON 1.1 wire format, as the query engine adapter reads it: the response shapes of
 * StartQueryExecution, GetQueryExecution and GetQueryResults (zod), the error body → transport result mapping,
 * and the text → JSON value conversion of result cells. Pure: no I/O here.
 *
 * References (Athena API Reference, 2017-05-18): API_StartQueryExecution, API_GetQueryExecution,
 * API_QueryExecutionStatus, API_AthenaError, API_GetQueryResults, API_ColumnInfo, CommonErrors.
 *
 * Invariants:
 * - Every cell arrives as `VarCharValue` text (a missing `VarCharValue` is SQL NULL); `ColumnInfo.Type` says how
 *   to read it. Integers beyond 2^53 and decimals stay strings (exact), non-finite doubles stay strings (JSON
 *   has no NaN), `timestamp` becomes ISO 8601 UTC (Athena's session zone is UTC), everything else is its text.
 * - Error messages name the credential to check for auth errors and never contain a credential: they are built
 *   from the error type and the service's own message only.
 */
import { z } from 'zod';
import { parseRetryAfter, type TransportResult } from '../../core/collect/transport';

export const startQueryExecutionResponseSchema = z.object({ QueryExecutionId: z.string().min(1) });

export const queryStates = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;

export const getQueryExecutionResponseSchema = z.object({
  QueryExecution: z
    .object({
      QueryExecutionId: z.string(),
      /** DDL | DML | UTILITY: only DML (SELECT) results start with a header row. */
      StatementType: z.string().optional(),
      Status: z
        .object({
          State: z.enum(queryStates),
          StateChangeReason: z.string().optional(),
          AthenaError: z
            .object({ ErrorCategory: z.number().optional(), ErrorType: z.number().optional(), Retryable: z.boolean().optional(), ErrorMessage: z.string().optional() })
            .loose()
            .optional(),
        })
        .loose(),
      Statistics: z.object({ DataScannedInBytes: z.number().optional() }).loose().optional(),
    })
    .loose(),
});
export type QueryExecution = z.infer<typeof getQueryExecutionResponseSchema>['QueryExecution'];

const columnInfoSchema = z.object({ Name: z.string(), Label: z.string().optional(), Type: z.string() }).loose();
const rowSchema = z.object({ Data: z.array(z.object({ VarCharValue: z.string().optional() }).loose()).default([]) });

export const getQueryResultsResponseSchema = z.object({
  NextToken: z.string().optional(),
  ResultSet: z.object({
    Rows: z.array(rowSchema).default([]),
    ResultSetMetadata: z.object({ ColumnInfo: z.array(columnInfoSchema).default([]) }).loose(),
  }),
});
export type ColumnInfo = z.infer<typeof columnInfoSchema>;
export type ResultRow = z.infer<typeof rowSchema>;

const integerTypes = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint']);
const floatTypes = new Set(['double', 'float', 'real']);

/** One result cell as JSON, read by its column's Athena type. */
export function athenaValue(type: string, text: string | undefined): unknown {
  if (text === undefined) return null;
  const base = type.toLowerCase().replace(/\(.*$/, '').trim();
  if (integerTypes.has(base)) {
    const n = Number(text);
    return /^-?\d+$/.test(text) && Number.isSafeInteger(n) ? n : text;
  }
  if (floatTypes.has(base)) {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? n : text;
  }
  if (base === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  if (base === 'timestamp') {
    const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(text);
    return m ? `${m[1]}T${m[2]}Z` : text;
  }
  return text;
}

/** The data rows of a page as JSON, cell i typed by column i. */
export function pageRows(columns: readonly ColumnInfo[], rows: readonly ResultRow[]): unknown[][] {
  return rows.map((row) => columns.map((column, i) => athenaValue(column.Type, row.Data[i]?.VarCharValue)));
}

/** Whether `row` is the header row Athena puts first on the first page of a SELECT: the column labels. */
export function isHeaderRow(columns: readonly ColumnInfo[], row: ResultRow | undefined): boolean {
  return row !== undefined && row.Data.length === columns.length && columns.every((c, i) => row.Data[i]?.VarCharValue === (c.Label ?? c.Name));
}

/** An error's type without the namespace (`com.amazonaws.athena#InvalidRequestException`) or the `:uri` suffix. */
export function errorTypeName(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const name = value.split(':')[0]!.split('#').pop()!.trim();
  return name || undefined;
}

const throttlingTypes = new Set(['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'RequestLimitExceeded']);

/** What to check, by auth error type (AWS common errors plus the signature errors of SigV4 services). */
const credentialHints: Record<string, string> = {
  UnrecognizedClientException: 'Athena does not know this access key: check accessKeyId (and sessionToken, for temporary credentials)',
  InvalidClientTokenId: 'Athena does not know this access key: check accessKeyId (and sessionToken, for temporary credentials)',
  MissingAuthenticationTokenException: 'the request carried no credentials: check accessKeyId and secretAccessKey',
  InvalidSignatureException: 'the request signature did not match: check secretAccessKey (the secret of accessKeyId), the region and the clock',
  SignatureDoesNotMatch: 'the request signature did not match: check secretAccessKey (the secret of accessKeyId), the region and the clock',
  IncompleteSignature: 'the request signature was malformed: check accessKeyId and secretAccessKey',
  IncompleteSignatureException: 'the request signature was malformed: check accessKeyId and secretAccessKey',
  ExpiredTokenException: 'the temporary credentials have expired: renew sessionToken (with its accessKeyId and secretAccessKey)',
  AccessDeniedException:
    'the IAM principal of accessKeyId is not allowed: grant it athena:StartQueryExecution, GetQueryExecution, GetQueryResults and StopQueryExecution on the workgroup, Glue read on the database and S3 read on the lake and write on the output location',
};

/**
 * A non-2xx Athena answer as a transport result. JSON 1.1 errors carry the type in `__type` (or the
 * `x-amzn-ErrorType` header) and the text in `Message` (Athena's own errors) or `message` (AWS's common ones).
 * Throttling is a 400 in this protocol, so the status alone does not say whether to retry.
 */
export function athenaErrorResult(status: number, headers: Headers, bodyText: string, what: string): TransportResult<never> {
  let body: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(bodyText) as unknown;
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    // not JSON (a proxy's error page): the text is the detail
  }
  const type = errorTypeName(typeof body.__type === 'string' ? body.__type : headers.get('x-amzn-errortype'));
  const text = ([body.Message, body.message].find((m): m is string => typeof m === 'string') ?? bodyText.replace(/\s+/g, ' ').trim())
    // A signature mismatch echoes the canonical request, signed headers included (X-Amz-Security-Token): cut it.
    .replace(/\s*The Canonical String for this request[\s\S]*$/, '');
  const detail = `${type ? `${type}: ` : ''}${text}`.slice(0, 400);
  const message = `${what} answered ${status}${detail ? ` (${detail})` : ''}`;
  const hint = type ? credentialHints[type] : undefined;
  if (hint) return { kind: 'failure', message: `${message}: ${hint}` };
  if ((type && throttlingTypes.has(type)) || status === 429 || status >= 500) {
    const reason = typeof body.Reason === 'string' ? ` [${body.Reason}]` : '';
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'));
    return { kind: 'retryable', message: `${message}${reason}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  if (status === 401 || status === 403) return { kind: 'failure', message: `${message}: check accessKeyId, secretAccessKey and sessionToken` };
  return { kind: 'failure', message };
}

/** Why a query ended FAILED or CANCELLED, from its status (StateChangeReason and AthenaError). */
export function queryFailureReason(execution: QueryExecution): string {
  const { StateChangeReason: reason, AthenaError: error } = execution.Status;
  const parts = [reason, error?.ErrorMessage && error.ErrorMessage !== reason ? error.ErrorMessage : undefined].filter((p): p is string => !!p);
  const category = error?.ErrorCategory === 1 ? 'system error' : error?.ErrorCategory === 2 ? 'user error' : error?.ErrorCategory === 3 ? 'other error' : undefined;
  const tags = [category, error?.ErrorType !== undefined ? `type ${error.ErrorType}` : undefined, error?.Retryable ? 'retryable' : undefined].filter(Boolean).join(', ');
  return `${parts.join(' — ') || 'no reason given'}${tags ? ` [${tags}]` : ''}`;
}
