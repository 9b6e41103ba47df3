/**
 * Identity response actions: what SOAR asks an identity provider to do to a user it believes compromised, and the
 * auditable record of what the provider was asked and answered. The provider adapters (adapters/okta/respond.ts,
 * adapters/entra_id/respond.ts, adapters/google_workspace/respond.ts) implement `IdentityResponder`;
 * docs/itdr.md ("Response actions") says which vendor calls each action makes and the permissions they need.
 *
 * Invariants every responder keeps:
 * - an action is idempotent: repeating it after it succeeded answers `ok: true` (with `alreadyDone` when the
 *   provider's state shows nothing was left to do), never an error;
 * - every API request sent is listed in `steps` (method, path and query, status, attempt) — never a header, a body
 *   or a secret — so the result can be stored as the audit record of the action (token-endpoint requests are not
 *   listed);
 * - a failure carries the vendor's own error message and a `reason` SOAR can act on (retry later, fix permissions,
 *   ignore an unknown user).
 */
import type { HttpFetch, RetryPolicy } from '../collect/transport';

export const responseActions = ['terminate_sessions', 'revoke_tokens', 'disable_account', 'force_password_reset', 'require_mfa_reenrolment'] as const;
export type ResponseAction = (typeof responseActions)[number];

export const responseProviders = ['okta', 'entra_id', 'google_workspace'] as const;
export type ResponseProvider = (typeof responseProviders)[number];

/** One HTTP request a responder sent, as recorded for the audit trail. */
export interface ResponseStep {
  /** `METHOD /path?query` on the provider's API (the origin is the responder's configured one). */
  readonly request: string;
  /** HTTP status answered; null when no answer came (network error, refused by the outbound guard). */
  readonly status: number | null;
  /** 1 for the first try; retries of the same request (429, 5xx) count up. */
  readonly attempt: number;
}

export type ResponseFailureReason =
  /** The secret the responder needs is not set. */
  | 'not_configured'
  /** The provider refused our credentials (bad token, bad client secret, key not delegated). */
  | 'unauthorized'
  /** Authenticated, but not allowed to do this (a missing permission, scope or admin role). */
  | 'forbidden'
  /** The provider has no such user. */
  | 'not_found'
  /** Still throttled (429) or failing (5xx) after the retries. */
  | 'rate_limited'
  /** The provider refused the request for another reason (its message says why). */
  | 'vendor_error'
  /** The outbound guard refused the URL (not https, private address not on OUTBOUND_ALLOWLIST). */
  | 'refused'
  /** No answer after the retries (DNS, connection reset, timeout). */
  | 'network';

interface ResultBase {
  readonly action: ResponseAction;
  readonly provider: ResponseProvider;
  /** The responder's configured id (several tenants of one provider may be configured). */
  readonly responderId: string;
  /** The user as asked (login or email). */
  readonly user: string;
  readonly steps: readonly ResponseStep[];
}

export interface ResponseSuccess extends ResultBase {
  readonly ok: true;
  /** The provider's own id of the user (Okta `00u…`, Entra object id, Google numeric id). */
  readonly userId: string;
  /** True when the provider's state showed the action had nothing left to do (a repeat). */
  readonly alreadyDone: boolean;
  /** What was done, in words (e.g. "suspended (status ACTIVE → SUSPENDED)"). */
  readonly details: string;
}

export interface ResponseFailure extends ResultBase {
  readonly ok: false;
  readonly userId: string | null;
  readonly reason: ResponseFailureReason;
  /** Last HTTP status, null when none. */
  readonly status: number | null;
  /** The provider's error (Okta errorCode/errorSummary, Graph error.code/message, Google error.message) or ours. */
  readonly message: string;
}

export type ResponseResult = ResponseSuccess | ResponseFailure;

/** What a responder is given to run: the guarded fetch, the Worker's secrets, and how to retry. */
export interface ResponseContext {
  /** fetch() behind the outbound guard (adapters/http/guarded-fetch.ts). */
  readonly fetch: HttpFetch;
  /** A Worker secret by name; undefined when not set. */
  readonly secret: (name: string) => string | undefined;
  readonly retry?: RetryPolicy;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface IdentityResponder {
  readonly provider: ResponseProvider;
  readonly id: string;
  /** The Worker secret names the responder reads (for "is it configured" checks and error messages). */
  readonly secretNames: readonly string[];
  perform(action: ResponseAction, user: string, ctx: ResponseContext): Promise<ResponseResult>;
}

/** Response actions are retried more briefly than collectors: a containment waits on them. */
export const responseRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

/** The failure reason of an HTTP status that is not a success (after retries). */
export function failureReasonForStatus(status: number): ResponseFailureReason {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429 || status >= 500) return 'rate_limited';
  return 'vendor_error';
}

/** One line per result, for logs and run summaries: never secrets, only what the audit record already holds. */
export function describeResponseResult(r: ResponseResult): string {
  return r.ok
    ? `${r.provider}/${r.responderId} ${r.action} ${r.user}: ${r.alreadyDone ? 'already done' : 'done'} — ${r.details}`
    : `${r.provider}/${r.responderId} ${r.action} ${r.user}: failed (${r.reason}${r.status === null ? '' : `, HTTP ${r.status}`}) — ${r.message}`;
}
