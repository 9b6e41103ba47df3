/**
 * BigQuery's error answers → TransportResult failures an operator can act on. Errors are Google's envelope
 * `{error: {code, message, status, errors: [{reason, message, domain, location, locationType}]}}`, the `reason`
 * being the documented code (https://cloud.google.com/bigquery/docs/error-messages; quotas:
 * https://cloud.google.com/bigquery/docs/troubleshoot-quotas):
 * - retryable: HTTP 429 and 5xx, and `rateLimitExceeded` (a 403 for a short-term limit), `backendError`,
 *   `internalError`, `jobBackendError`, `jobInternalError` — with the server's Retry-After when it sent one;
 * - failure: `invalidQuery` (BigQuery's message names the line and column, "… at [1:8]"), `bytesBilledLimitExceeded`,
 *   401, `accessDenied`, `billingNotEnabled`, `quotaExceeded` (a long-term limit: retrying within minutes is
 *   pointless), `notFound` and everything else, each saying what to check.
 */
import { z } from 'zod';
import { parseRetryAfter, type TransportResult } from '../../core/collect/transport';

export const errorProtoSchema = z.object({
  reason: z.string().optional(),
  message: z.string().optional(),
  location: z.string().optional(),
});
export type ErrorProto = z.infer<typeof errorProtoSchema>;

const errorEnvelopeSchema = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    errors: z.array(errorProtoSchema).optional(),
  }),
});

const retryableReasons = new Set(['rateLimitExceeded', 'backendError', 'internalError', 'jobBackendError', 'jobInternalError']);

export interface ErrorScope {
  readonly projectId: string;
  readonly dataset: string;
  readonly clientEmail: string;
}

/** Reads a non-2xx BigQuery answer into a failure or a retryable result. */
export async function bigQueryErrorResult(response: Response, what: string, scope: ErrorScope): Promise<TransportResult<never>> {
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // Proxies and load balancers answer HTML or text; the status still classifies it.
  }
  const envelope = errorEnvelopeSchema.safeParse(body);
  const first = envelope.success ? envelope.data.error.errors?.[0] : undefined;
  const reason = first?.reason ?? (envelope.success ? envelope.data.error.status : undefined);
  const message = (first?.message ?? (envelope.success ? envelope.data.error.message : undefined) ?? text.slice(0, 300)) || 'no error message';
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  const status = response.status;
  if (status === 429 || status >= 500 || (reason !== undefined && retryableReasons.has(reason))) {
    const detail = `${what} answered ${status}${reason ? ` ${reason}` : ''}: ${message}`;
    return retryAfterMs === undefined ? { kind: 'retryable', message: detail } : { kind: 'retryable', message: detail, retryAfterMs };
  }
  return { kind: 'failure', message: describeFailure(status, reason, message, what, scope) };
}

/** A job that ended in error (errorResult, or an error among `errors` of a finished query). */
export function jobErrorFailure(error: ErrorProto, what: string, scope: ErrorScope): TransportResult<never> {
  return { kind: 'failure', message: describeFailure(400, error.reason, error.message ?? 'the job failed without a message', what, scope) };
}

function describeFailure(status: number, reason: string | undefined, message: string, what: string, scope: ErrorScope): string {
  const head = `${what} answered ${status}${reason ? ` ${reason}` : ''}`;
  switch (reason) {
    case 'invalidQuery':
      return `BigQuery rejected the query: ${message}`;
    case 'bytesBilledLimitExceeded':
      return `BigQuery refused to run the query: ${message} (maximumBytesBilled caps what one query may bill; narrow the time range or raise the cap)`;
    case 'accessDenied':
      return `${head}: ${message} — check that ${scope.clientEmail} has roles/bigquery.jobUser on project ${scope.projectId} and roles/bigquery.dataViewer on dataset ${scope.dataset}`;
    case 'billingNotEnabled':
      return `${head}: ${message} — enable billing for project ${scope.projectId}, or point projectId at a project that has it`;
    case 'quotaExceeded':
      return `${head}: ${message} — a long-term BigQuery quota is used up; wait at least 10 minutes or request a higher quota for project ${scope.projectId}`;
    case 'notFound':
      return `${head}: ${message} — check projectId (${scope.projectId}), dataset (${scope.dataset}) and location`;
    default:
      if (status === 401) return `${head}: ${message} — BigQuery refused the access token of ${scope.clientEmail}; check that the service account and its key are enabled`;
      if (status === 403) return `${head}: ${message} — check the BigQuery API is enabled for project ${scope.projectId} and ${scope.clientEmail} may use it`;
      return `${head}: ${message}`;
  }
}
