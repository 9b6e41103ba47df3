/**
 * The contract every alert destination implements (adapters/alerting/<type>/index.ts exports one
 * `DestinationAdapter`). The delivery pipeline (workers/detect/deliver-*) owns queues, retries, rate limits and
 * the delivery log; an adapter owns only its system's wire format and one HTTP exchange per call:
 *
 * - `configSchema` validates the destination's entry of the routing document (non-secret settings, and the
 *   *names* of Worker secrets holding tokens or secret URLs — never the secret values).
 * - `deliver` sends one notification and classifies the answer: `success` (with what the system returned to
 *   refer to the same object later: a Jira issue key, a ServiceNow sys_id, a Slack message ts), `failure`
 *   (a 4xx that retrying will not fix, a missing secret), `retryable` (429, 5xx, timeout, network; with
 *   Retry-After when the system gave one).
 * - `previous` is the receipt of this destination's `trigger` delivery for the same alert, so `acknowledge`
 *   and `resolve` can update the same issue or message; null when there was none (then the adapter either
 *   sends a standalone message or, for systems that need the object, returns `success` with a detail saying
 *   there was nothing to update).
 * - `rateLimit` is the system's documented sending limit for one destination (the pipeline enforces it).
 */
import type { z } from 'zod';
import type { HttpFetch, TransportResult } from '../../core/collect/transport';
import type { AlertNotification } from '../../core/alerting/notification';

export const destinationTypes = ['slack', 'teams', 'pagerduty', 'jira', 'servicenow', 'email', 'webhook'] as const;
export type DestinationType = (typeof destinationTypes)[number];

export interface DeliveryReceipt {
  /** The system's id for what was created or updated (issue key, sys_id, message ts, provider message id). */
  readonly externalId: string | null;
  /** A human-readable note for the delivery log, e.g. "created ACME-123". */
  readonly detail: string;
}

/** The Cloudflare Email Workers `send_email` binding, as the email adapter needs it. */
export interface EmailBinding {
  send(message: { from: string; to: string; raw: string | ReadableStream }): Promise<unknown>;
}

export interface DeliveryContext {
  /** fetch behind the outbound policy (adapters/http/guarded-fetch): https only, no private targets unless allow-listed. */
  readonly fetch: HttpFetch;
  /** A Worker secret by name; undefined when unset (an adapter answers `failure` naming the missing secret). */
  readonly secret: (name: string) => string | undefined;
  readonly now: Date;
  /** The `trigger` receipt of this alert at this destination, for acknowledge/resolve. */
  readonly previous: DeliveryReceipt | null;
  /** Email Workers binding, when configured (`SEND_EMAIL`). */
  readonly sendEmail?: EmailBinding;
}

export interface RateLimit {
  /** At most `requests` deliveries per `perMs` milliseconds to one destination. */
  readonly requests: number;
  readonly perMs: number;
}

export interface DestinationAdapter<C = unknown> {
  readonly type: DestinationType;
  /** Validates the destination's settings in the routing document (`type` and `id` are checked by the router). */
  readonly configSchema: z.ZodType<C>;
  readonly rateLimit: RateLimit;
  deliver(notification: AlertNotification, config: C, ctx: DeliveryContext): Promise<TransportResult<DeliveryReceipt>>;
}
