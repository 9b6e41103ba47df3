/**
 * The transport shared by the identity responders (adapters/<idp>/respond.ts): sends one API request with the
 * provider's credentials through the guarded fetch, retries 429/5xx through `withRetries` (honouring the wait the
 * provider asks for), retries a 401 once with a fresh token when the token was a cached one, and records every
 * request in the audit steps. The provider supplies how it authorizes, how long it asks to wait, which answers are
 * throttling, and how its error bodies read.
 *
 * Invariants: requests only go to `baseUrl` + a path built by the responder (user keys are URL-encoded); steps
 * hold the method, path and status only; secrets and tokens stay in headers and are never put in messages.
 */
import { OutboundRefusedError } from '../http/guarded-fetch';
import { withRetries, type HttpFetch, type TransportResult } from '../../core/collect/transport';
import {
  failureReasonForStatus,
  responseRetryPolicy,
  type ResponseContext,
  type ResponseFailureReason,
  type ResponseStep,
} from '../../core/identity/respond';

export interface VendorAnswer {
  readonly status: number;
  /** The parsed JSON body; null when empty or not JSON. */
  readonly body: unknown;
  readonly headers: Headers;
}

export type Authorization = TransportResult<{ headers: Record<string, string>; cached: boolean }>;

export interface VendorDialect {
  /** The API's origin and base path, without a trailing slash. */
  readonly baseUrl: string;
  /** Credentials for a request; `fresh` asks for a new token (after a 401 to a cached one). */
  authorize(fetchImpl: HttpFetch, fresh: boolean): Promise<Authorization>;
  /** Whether an answer is throttling or a passing server error worth retrying. */
  isRetryable(answer: VendorAnswer): boolean;
  /** How long the provider asks us to wait before retrying, if it says. */
  retryAfterMs(answer: VendorAnswer): number | undefined;
  /** The provider's error message from its error body. */
  errorMessage(answer: VendorAnswer): string;
}

export interface VendorFailure {
  readonly reason: ResponseFailureReason;
  readonly status: number | null;
  readonly message: string;
}

export type VendorOutcome = { kind: 'answer'; answer: VendorAnswer } | { kind: 'failure'; failure: VendorFailure };

export class VendorSession {
  readonly steps: ResponseStep[] = [];
  private readonly fetch: HttpFetch;
  private refused: OutboundRefusedError | null = null;

  constructor(
    private readonly dialect: VendorDialect,
    private readonly ctx: ResponseContext,
  ) {
    // Token endpoints are called through transports that turn every thrown error into a value: remember an outbound
    // refusal so that it is reported as one, not retried as a network error.
    this.fetch = async (url, init) => {
      try {
        return await ctx.fetch(url, init);
      } catch (err) {
        if (err instanceof OutboundRefusedError) this.refused = err;
        throw err;
      }
    };
  }

  /** Sends `method path` (path and query, appended to the base URL) and answers the final answer, whatever its status. */
  async send(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<VendorOutcome> {
    const label = `${method} ${path}`;
    let attempt = 0;
    let failure: VendorFailure | null = null;
    let lastStatus: number | null = null;
    const result = await withRetries<VendorAnswer>(
      async () => {
        attempt++;
        let auth = await this.authorize(false);
        if (auth.kind !== 'success') return this.authFailure(auth, (f) => (failure = f));
        for (let renewed = false; ; renewed = true) {
          let response: Response;
          try {
            response = await this.fetch(`${this.dialect.baseUrl}${path}`, {
              method,
              headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...auth.value.headers },
              ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            });
          } catch (err) {
            this.steps.push({ request: label, status: null, attempt });
            const message = err instanceof Error ? err.message : String(err);
            if (err instanceof OutboundRefusedError) {
              failure = { reason: 'refused', status: null, message };
              return { kind: 'failure', message };
            }
            failure = { reason: 'network', status: null, message: `${label} failed: ${message}` };
            return { kind: 'retryable', message: failure.message };
          }
          const answer = await readAnswer(response);
          this.steps.push({ request: label, status: answer.status, attempt });
          lastStatus = answer.status;
          if (answer.status === 401 && auth.value.cached && !renewed) {
            auth = await this.authorize(true);
            if (auth.kind !== 'success') return this.authFailure(auth, (f) => (failure = f));
            continue;
          }
          if (this.dialect.isRetryable(answer)) {
            const message = this.dialect.errorMessage(answer);
            failure = { reason: 'rate_limited', status: answer.status, message };
            const wait = this.dialect.retryAfterMs(answer);
            return wait === undefined ? { kind: 'retryable', message } : { kind: 'retryable', message, retryAfterMs: wait };
          }
          failure = null;
          return { kind: 'success', value: answer };
        }
      },
      this.ctx.retry ?? responseRetryPolicy,
      this.ctx.sleep,
    );
    if (result.kind === 'success') return { kind: 'answer', answer: result.value };
    const f: VendorFailure = failure ?? { reason: 'network', status: lastStatus, message: result.message };
    return { kind: 'failure', failure: f.reason === 'rate_limited' || f.reason === 'network' ? { ...f, message: `${f.message} (gave up after ${attempt} attempts)` } : f };
  }

  /** A failure for an answer that is not what the action needed, with the provider's message. */
  failureOf(answer: VendorAnswer): VendorFailure {
    return { reason: failureReasonForStatus(answer.status), status: answer.status, message: this.dialect.errorMessage(answer) };
  }

  private async authorize(fresh: boolean): Promise<Authorization> {
    this.refused = null;
    return this.dialect.authorize(this.fetch, fresh);
  }

  private authFailure(auth: Exclude<Authorization, { kind: 'success' }>, set: (f: VendorFailure) => void): TransportResult<VendorAnswer> {
    if (this.refused) {
      set({ reason: 'refused', status: null, message: this.refused.message });
      return { kind: 'failure', message: this.refused.message };
    }
    if (auth.kind === 'retryable') {
      set({ reason: / answered \d{3}\b/.test(auth.message) ? 'rate_limited' : 'network', status: null, message: auth.message });
      return auth;
    }
    set({ reason: 'unauthorized', status: null, message: auth.message });
    return { kind: 'failure', message: auth.message };
  }
}

async function readAnswer(response: Response): Promise<VendorAnswer> {
  const text = await response.text().catch(() => '');
  let body: unknown = null;
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = text.slice(0, 500);
    }
  }
  return { status: response.status, body, headers: response.headers };
}

/** A bounded, single-line rendering of an error text for messages. */
export function clip(text: string, max = 400): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
