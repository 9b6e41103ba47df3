/**
 * A loopback receiver for the generic webhook destination, written the way docs/webhook-verification.md tells
 * integrators to write theirs: it checks `X-Mantissa-Signature` with the real `verifyWebhookSignature` (secret
 * `webhookReceiverSecret` unless told otherwise), refuses stale timestamps, requires `X-Mantissa-Delivery` to
 * equal the signed body's `deliveryKey`, and dedupes on it — a delivery seen before is answered 200
 * `{"duplicate": true}` and not recorded again. Used by the adapter's tests and by the delivery pipeline's chaos
 * test, which steers it through the admin API below.
 *
 * Answers (any path, POST only): 200 `{"accepted": true}` for a new delivery; 200 `{"duplicate": true}` for a
 * repeat; 400 `{"error"}` for a body that is not the v1 payload or a delivery header that does not match it;
 * 401 `{"error", "reason"}` for a missing, malformed, stale or wrong signature; 405 for other methods.
 *
 * Admin API (POST or GET, JSON bodies; all counters start at zero after `reset`):
 * - `POST /__fake/reset` — forget deliveries, counters, the request log, injected failures and delays; the
 *   secret goes back to `webhookReceiverSecret`.
 * - `POST /__fake/secret {"secret": "…"}` — verify with another secret from now on.
 * - `POST /__fake/fail {"status": 500, "times": N, "retryAfterSeconds"?: S, "body"?: "…"}` — the next N requests
 *   get that status before any verification; nothing is recorded as delivered (fake-server's generic failure).
 * - `POST /__fake/delay {"ms": M, "times": N, "accept"?: true}` — the next N requests that reach the receiver
 *   are answered M ms late. With `accept: true` (the default) the delivery is recorded *before* the wait — the
 *   receiver did the work but the sender may time out and retry, which is the case dedupe exists for; with
 *   `accept: false` the request is answered 503 after the wait and nothing is recorded.
 * - `GET /__fake/deliveries` — `{"unique": U, "received": R, "duplicates": D, "rejected": X, "deliveries":
 *   [{deliveryKey, kind, alertId, path, attempts, firstReceivedAt}]}`: U distinct deliveries accepted, R
 *   requests that reached the receiver (injected failures excluded), D repeats answered as duplicates, X refused
 *   (401/400), `attempts` = times each delivery arrived.
 * - `GET /__fake/requests` — every raw request as it arrived (method, url, headers, body), injected failures
 *   included.
 */
import type { ServerResponse } from 'node:http';
import { verifyWebhookSignature } from '../../adapters/alerting/webhook/signature';
import { sendJson, startFakeServer, type FakeRequest, type RunningFake } from './fake-server';

export const webhookReceiverSecret = 'whsec_fake_0123456789abcdef0123456789abcdef';

export interface ReceivedDelivery {
  readonly deliveryKey: string;
  readonly kind: string;
  readonly alertId: string;
  readonly path: string;
  attempts: number;
  readonly firstReceivedAt: string;
}

export interface ReceiverSummary {
  readonly unique: number;
  readonly received: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly deliveries: readonly ReceivedDelivery[];
}

function header(req: FakeRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export async function startWebhookReceiver(options: { secret?: string; toleranceSeconds?: number } = {}): Promise<RunningFake> {
  let secret = options.secret ?? webhookReceiverSecret;
  const deliveries = new Map<string, ReceivedDelivery>();
  let received = 0;
  let duplicates = 0;
  let rejected = 0;
  let delay: { ms: number; times: number; accept: boolean } | null = null;

  const reject = (res: ServerResponse, status: number, body: Record<string, unknown>) => {
    rejected++;
    sendJson(res, status, body);
  };

  return startFakeServer(
    async (req, res, url) => {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' });
      received++;
      const pending = delay && delay.times > 0 ? delay : null;
      if (pending) pending.times--;
      if (pending && !pending.accept) {
        await new Promise((r) => setTimeout(r, pending.ms));
        return sendJson(res, 503, { error: 'delayed and refused' });
      }
      const check = await verifyWebhookSignature({
        secret,
        timestamp: header(req, 'x-mantissa-timestamp'),
        signature: header(req, 'x-mantissa-signature'),
        body: req.body,
        ...(options.toleranceSeconds !== undefined ? { toleranceSeconds: options.toleranceSeconds } : {}),
      });
      if (!check.ok) return reject(res, 401, { error: check.message, reason: check.reason });
      let payload: { version?: unknown; deliveryKey?: unknown; kind?: unknown; alert?: { id?: unknown } };
      try {
        payload = JSON.parse(req.body) as typeof payload;
      } catch {
        return reject(res, 400, { error: 'body is not JSON' });
      }
      if (payload.version !== 1 || typeof payload.deliveryKey !== 'string' || typeof payload.kind !== 'string' || typeof payload.alert?.id !== 'string') {
        return reject(res, 400, { error: 'body is not a v1 Mantissa Log delivery' });
      }
      // The header is a convenience copy; only the signed body's deliveryKey is trusted.
      if (header(req, 'x-mantissa-delivery') !== payload.deliveryKey) return reject(res, 400, { error: 'X-Mantissa-Delivery does not match the signed deliveryKey' });
      const seen = deliveries.get(payload.deliveryKey);
      if (seen) {
        seen.attempts++;
        duplicates++;
      } else {
        deliveries.set(payload.deliveryKey, {
          deliveryKey: payload.deliveryKey,
          kind: payload.kind,
          alertId: payload.alert.id,
          path: url.pathname,
          attempts: 1,
          firstReceivedAt: new Date().toISOString(),
        });
      }
      if (pending) await new Promise((r) => setTimeout(r, pending.ms));
      if (res.destroyed) return;
      sendJson(res, 200, seen ? { duplicate: true } : { accepted: true });
    },
    (action, body): unknown => {
      const b = (body ?? {}) as { secret?: string; ms?: number; times?: number; accept?: boolean };
      if (action === 'reset') {
        deliveries.clear();
        received = duplicates = rejected = 0;
        delay = null;
        secret = options.secret ?? webhookReceiverSecret;
      } else if (action === 'secret' && typeof b.secret === 'string') secret = b.secret;
      else if (action === 'delay') delay = { ms: b.ms ?? 1000, times: b.times ?? 1, accept: b.accept ?? true };
      else if (action === 'deliveries') {
        const summary: ReceiverSummary = { unique: deliveries.size, received, duplicates, rejected, deliveries: [...deliveries.values()] };
        return summary;
      }
      return { ok: true };
    },
  );
}
