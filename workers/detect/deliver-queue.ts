/**
 * The `ALERT_DELIVERIES` queue consumer: sends one recorded delivery (workers/detect/deliveries.ts) through
 * its destination adapter, exactly once as far as we can make it:
 *
 * - The row is claimed with a lease (`status = 'sending'`, `lease_until`) in one conditional UPDATE: a second
 *   message for the same key, from the cron's re-queue or the queue's own redelivery, finds it taken or done
 *   and is acknowledged without sending.
 * - A retryable answer (429, 5xx, timeout, network) puts the row back to `pending` with `not_before` after an
 *   exponential backoff (or the system's Retry-After) and retries the message with that delay; a failure, or
 *   too many attempts, marks it `failed` with the reason. Every attempt is in the row (the delivery log).
 * - Each destination's documented rate limit is enforced across consumers by its DeliveryRateLimiter.
 * - Adapters receive the destination's idempotency key (`deliveryKey`; PagerDuty's dedup_key, ServiceNow's
 *   correlation_id, the webhook's X-Mantissa-Delivery), so a send whose answer was lost is recognised as a
 *   repeat by systems that support it. Slack, Teams, Jira and email cannot dedupe: there a lost answer after a
 *   successful send (the consumer dying between the two) can repeat one message — docs/alerting.md says so.
 */
import { guardedFetch } from '../../adapters/http/guarded-fetch';
import { destinationAdapters } from '../../adapters/alerting/registry';
import type { DeliveryContext, DeliveryReceipt } from '../../adapters/alerting/destination';
import { compileRedactionPolicy, redactAlert } from '../../core/alerting/redact';
import { enrichAlert } from '../../core/enrich/enrich-alert';
import { createEnrichmentProviders } from '../../adapters/enrichment';
import { EnrichmentCacheRepository } from '../../adapters/d1/enrichment-cache-repository';
import { EmailMessage } from 'cloudflare:email';
import type { AlertNotification, NotificationAlert, NotificationKind } from '../../core/alerting/notification';
import type { Severity } from '../../core/schema/event';
import type { HttpFetch } from '../../core/collect/transport';
import { readConfig, type Env } from '../env';
import type { DeliveryMessage } from './deliveries';
import { loadRouting } from './routing-store';

export const maxDeliveryAttempts = 8;
const leaseMs = 120_000;
/** The queue refuses delays over 12 hours. */
const maxQueueDelaySeconds = 12 * 3600;

export type DeliveryOutcome =
  | { kind: 'done'; status: 'sent' | 'failed' | 'skipped'; detail: string }
  | { kind: 'later'; delaySeconds: number; detail: string };

interface DeliveryRow {
  id: string;
  delivery_key: string;
  alert_id: string;
  destination_id: string;
  destination_type: string;
  kind: NotificationKind;
  status: string;
  attempts: number;
  not_before: string;
  lease_until: string | null;
}

export async function handleDeliveryBatch(batch: MessageBatch<DeliveryMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      const outcome = await deliverOne(env, message.body.deliveryKey, new Date());
      if (outcome.kind === 'later') message.retry({ delaySeconds: outcome.delaySeconds });
      else message.ack();
    } catch (err) {
      // D1 unavailable, a bug: the row keeps its state; the queue retries the message and the cron re-queues.
      console.error(JSON.stringify({ level: 'error', msg: 'alert delivery crashed', deliveryKey: message.body.deliveryKey, error: String(err) }));
      message.retry({ delaySeconds: 30 });
    }
  }
}

/** Sends one delivery if it is due and nobody else holds it; returns what to do with its message. */
export async function deliverOne(env: Env, deliveryKey: string, now: Date): Promise<DeliveryOutcome> {
  const iso = now.toISOString();
  const claimed = await env.DB.prepare(
    `UPDATE alert_deliveries SET status = 'sending', lease_until = ?3, attempts = attempts + 1, updated_at = ?2
     WHERE delivery_key = ?1 AND status IN ('pending', 'sending') AND not_before <= ?2 AND (lease_until IS NULL OR lease_until < ?2)
     RETURNING *`,
  )
    .bind(deliveryKey, iso, new Date(now.getTime() + leaseMs).toISOString())
    .first<DeliveryRow>();
  if (!claimed) return unclaimable(env, deliveryKey, now);

  const finish = async (status: 'sent' | 'failed', fields: { error?: string; receipt?: DeliveryReceipt }) => {
    await env.DB.prepare(
      `UPDATE alert_deliveries SET status = ?2, lease_until = NULL, last_error = ?3, external_id = coalesce(?4, external_id), detail = ?5,
              sent_at = CASE WHEN ?2 = 'sent' THEN ?6 ELSE sent_at END, updated_at = ?6 WHERE id = ?1`,
    )
      .bind(claimed.id, status, fields.error ?? null, fields.receipt?.externalId ?? null, fields.receipt?.detail ?? fields.error ?? null, new Date().toISOString())
      .run();
  };
  const later = async (delayMs: number, error: string | null, countAttempt: boolean): Promise<DeliveryOutcome> => {
    const notBefore = new Date(now.getTime() + delayMs).toISOString();
    await env.DB.prepare(
      `UPDATE alert_deliveries SET status = 'pending', lease_until = NULL, not_before = ?2, last_error = coalesce(?3, last_error),
              attempts = attempts - ?4, updated_at = ?5 WHERE id = ?1`,
    )
      .bind(claimed.id, notBefore, error, countAttempt ? 0 : 1, iso)
      .run();
    return { kind: 'later', delaySeconds: Math.min(maxQueueDelaySeconds, Math.max(1, Math.ceil(delayMs / 1000))), detail: error ?? 'rate limited' };
  };

  const routing = await loadRouting(env);
  const destination = routing?.destinations.get(claimed.destination_id);
  const adapter = destination ? destinationAdapters[destination.type] : undefined;
  if (!routing || !destination || !adapter) {
    const error = `destination "${claimed.destination_id}" is no longer in the routing document`;
    await finish('failed', { error });
    return { kind: 'done', status: 'failed', detail: error };
  }

  const wait = await env.DELIVERY_RATE_LIMITER.get(env.DELIVERY_RATE_LIMITER.idFromName(destination.id)).take(adapter.rateLimit);
  if (wait > 0) return later(wait, null, false);

  const notification = await buildNotification(env, claimed, routing.document.baseUrl ?? null, now);
  if (!notification) {
    await finish('failed', { error: `alert ${claimed.alert_id} no longer exists` });
    return { kind: 'done', status: 'failed', detail: 'alert gone' };
  }
  const secret = (name: string): string | undefined => {
    const value = (env as unknown as Record<string, unknown>)[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const redaction = compileRedactionPolicy(routing.document.redaction, secret);
  if (!redaction.ok) {
    // Never send unredacted: a broken redaction policy holds every delivery until it is fixed.
    return later(backoffMs(env, claimed.attempts), `redaction policy: ${redaction.message}`, true);
  }
  const outbound = guardedFetch(readConfig(env).outbound);
  const enriched = await enrich(env, routing.document.enrichment, notification.alert, { fetch: outbound, secret, now });
  const ctx: DeliveryContext = {
    fetch: withTimeout(outbound, deliveryTimeoutMs(env)),
    secret,
    // The wall clock of this attempt (webhook signatures are checked against it), not the scheduling time.
    now: new Date(),
    previous: claimed.kind === 'trigger' ? null : await triggerReceipt(env.DB, claimed),
    ...emailBinding(env),
  };
  const redacted = { ...notification, alert: redactAlert(enriched, redaction.compiled) };
  const result = await adapter.deliver(redacted, destination.config, ctx);
  if (result.kind === 'success') {
    await finish('sent', { receipt: result.value });
    return { kind: 'done', status: 'sent', detail: result.value.detail };
  }
  if (result.kind === 'retryable' && claimed.attempts < maxDeliveryAttempts) {
    return later(result.retryAfterMs ?? backoffMs(env, claimed.attempts), result.message, true);
  }
  const error = result.kind === 'retryable' ? `${result.message} (gave up after ${claimed.attempts} attempts)` : result.message;
  await finish('failed', { error });
  return { kind: 'done', status: 'failed', detail: error };
}

/** Why a message's row could not be claimed, and what to do with the message. */
async function unclaimable(env: Env, deliveryKey: string, now: Date): Promise<DeliveryOutcome> {
  const row = await env.DB.prepare('SELECT status, not_before, lease_until FROM alert_deliveries WHERE delivery_key = ?1')
    .bind(deliveryKey)
    .first<{ status: string; not_before: string; lease_until: string | null }>();
  if (!row) return { kind: 'done', status: 'skipped', detail: 'no such delivery' };
  if (row.status === 'sent' || row.status === 'failed') return { kind: 'done', status: 'skipped', detail: `already ${row.status}` };
  const notBefore = Date.parse(row.not_before);
  if (notBefore > now.getTime()) return { kind: 'later', delaySeconds: Math.min(maxQueueDelaySeconds, Math.ceil((notBefore - now.getTime()) / 1000)), detail: 'not due yet' };
  // Held by a live lease: the holder finishes it, or the cron re-queues it when the lease expires.
  return { kind: 'done', status: 'skipped', detail: 'held by another consumer' };
}

function backoffMs(env: Env, attempts: number): number {
  const base = Number((env as unknown as Record<string, unknown>).DELIVERY_BACKOFF_MS ?? 30_000);
  return Math.min(3_600_000, base * 2 ** Math.max(0, attempts - 1));
}

function deliveryTimeoutMs(env: Env): number {
  return Number((env as unknown as Record<string, unknown>).DELIVERY_TIMEOUT_MS ?? 10_000);
}

/** A destination that does not answer in time is a retryable failure, not a stuck consumer. */
function withTimeout(fetchImpl: HttpFetch, ms: number): HttpFetch {
  return (url, init = {}) => fetchImpl(url, { ...init, signal: AbortSignal.timeout(ms) });
}

async function triggerReceipt(db: D1Database, row: DeliveryRow): Promise<DeliveryReceipt | null> {
  const found = await db
    .prepare(
      `SELECT external_id, detail FROM alert_deliveries
       WHERE alert_id = ?1 AND destination_id = ?2 AND kind = 'trigger' AND status = 'sent' ORDER BY sent_at DESC LIMIT 1`,
    )
    .bind(row.alert_id, row.destination_id)
    .first<{ external_id: string | null; detail: string | null }>();
  return found ? { externalId: found.external_id, detail: found.detail ?? '' } : null;
}

interface AlertForNotification {
  id: string;
  rule_id: string;
  rule_name: string;
  title: string;
  severity: Severity;
  status: NotificationAlert['status'];
  entities: string;
  first_seen: string;
  last_seen: string;
  count: number;
  tags: string;
  sources: string;
  evidence: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  attribution: string | null;
}

async function buildNotification(env: Env, row: DeliveryRow, baseUrl: string | null, now: Date): Promise<AlertNotification | null> {
  const alert = await env.DB.prepare(
    `SELECT a.*, r.attribution AS attribution FROM alerts AS a LEFT JOIN detection_rules AS r ON r.id = a.rule_id WHERE a.id = ?1`,
  )
    .bind(row.alert_id)
    .first<AlertForNotification>();
  if (!alert) return null;
  const entities = JSON.parse(alert.entities) as { users?: string[]; ips?: string[]; hosts?: string[] };
  const base = (baseUrl ?? publicUrl(env)).replace(/\/+$/, '');
  const notificationAlert: NotificationAlert = {
    id: alert.id,
    ruleId: alert.rule_id,
    ruleName: alert.rule_name,
    title: alert.title,
    severity: alert.severity,
    status: alert.status,
    entities: { users: entities.users ?? [], ips: entities.ips ?? [], hosts: entities.hosts ?? [] },
    firstSeen: alert.first_seen,
    lastSeen: alert.last_seen,
    count: alert.count,
    // Opaque and stable per alert: shared by its trigger, acknowledge and resolve; carries no entity.
    dedupKey: `mantissa-${alert.id}`,
    tags: JSON.parse(alert.tags) as string[],
    sources: JSON.parse(alert.sources) as string[],
    evidence: (JSON.parse(alert.evidence) as Record<string, unknown>[]).slice(0, 10),
    url: `${base}/alerts?id=${encodeURIComponent(alert.id)}`,
    attribution: alert.attribution,
    summary: null,
    enrichment: [],
  };
  const at = row.kind === 'acknowledge' ? alert.acknowledged_at : row.kind === 'resolve' ? alert.resolved_at : alert.last_seen;
  const actor = row.kind === 'acknowledge' ? alert.acknowledged_by : row.kind === 'resolve' ? alert.resolved_by : null;
  return { kind: row.kind, alert: notificationAlert, deliveryKey: row.delivery_key, at: at ?? now.toISOString(), actor };
}

/** The optional `send_email` binding (wrangler.toml `[[send_email]] name = "SEND_EMAIL"`, docs/alerting.md). */
function emailBinding(env: Env): { sendEmail?: NonNullable<DeliveryContext['sendEmail']> } {
  const binding = (env as unknown as { SEND_EMAIL?: SendEmail }).SEND_EMAIL;
  return binding ? { sendEmail: { send: ({ from, to, raw }) => binding.send(new EmailMessage(from, to, raw)) } } : {};
}

/**
 * Context for the alert's entities from the configured providers (GeoIP, threat intelligence, the directory),
 * cached in D1. Never holds up or fails a delivery: a provider problem is logged (without secrets) and the
 * alert goes without that note.
 */
async function enrich(
  env: Env,
  config: Parameters<typeof createEnrichmentProviders>[0],
  alert: NotificationAlert,
  ctx: { fetch: HttpFetch; secret: (name: string) => string | undefined; now: Date },
): Promise<NotificationAlert> {
  const built = createEnrichmentProviders(config, { mmdbBucket: env.LAKE });
  if (!built.ok) {
    console.error(JSON.stringify({ level: 'error', msg: 'enrichment is misconfigured; alerts go without it', error: built.message }));
    return alert;
  }
  if (built.providers.length === 0) return alert;
  const outcome = await enrichAlert(alert, built.providers, new EnrichmentCacheRepository(env.DB), ctx, { maxSubjects: config.maxSubjectsPerAlert });
  if (outcome.problems.length > 0) console.error(JSON.stringify({ level: 'warn', msg: 'enrichment lookups failed', problems: outcome.problems }));
  return outcome.alert;
}

function publicUrl(env: Env): string {
  const value = (env as unknown as Record<string, unknown>).PUBLIC_URL;
  return typeof value === 'string' && value !== '' ? value : 'http://127.0.0.1:8787';
}
