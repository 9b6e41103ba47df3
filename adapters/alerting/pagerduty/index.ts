/**
 * PagerDuty destination: one Events API v2 event per lifecycle step (`POST {apiBase}/v2/enqueue`,
 * https://developer.pagerduty.com/docs/events-api-v2/trigger-events/). trigger, acknowledge and resolve of one
 * alert share one dedup_key, so PagerDuty keeps one alert (and incident) for it.
 *
 * Answers (Events API v2 overview, "Response Codes & Retry Logic"): 202 → success (externalId = dedup_key);
 * 400 → failure with PagerDuty's `errors`; 429 → retryable; 5xx and network errors → retryable. The outbound
 * guard refusing the URL is a failure: retrying cannot change the configuration.
 */
import { z } from 'zod';
import { classifyResponse, type HttpFetch, type TransportResult } from '../../../core/collect/transport';
import { OutboundRefusedError } from '../../http/guarded-fetch';
import type { DeliveryReceipt, DestinationAdapter } from '../destination';
import { enqueueAnswerSchema, pagerDutyDedupKey, renderPagerDutyEvent, type PagerDutyEvent } from './render-pagerduty-event';

/** A Worker secret's name (upper-case, as `wrangler secret put` examples write them), never the key itself. */
const secretName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'the name of a Worker secret (e.g. PAGERDUTY_ROUTING_KEY), not the key itself');

export const pagerDutyConfigSchema = z.object({
  routingKeySecret: secretName.default('PAGERDUTY_ROUTING_KEY'),
  /** `https://events.eu.pagerduty.com` for the EU service region; tests point it at the loopback fake. */
  apiBase: z
    .url()
    .default('https://events.pagerduty.com')
    .transform((u) => u.replace(/\/+$/, '')),
});
export type PagerDutyConfig = z.infer<typeof pagerDutyConfigSchema>;

const requestTimeoutMs = 10_000;

export const pagerDutyDestination: DestinationAdapter<PagerDutyConfig> = {
  type: 'pagerduty',
  configSchema: pagerDutyConfigSchema,
  // "The Events v2 API has a limit of approximately 120 calls/minute per integration key."
  // (https://github.com/PagerDuty/developer-docs/blob/main/docs/events-API-v2/05-Rate-Limits.md)
  rateLimit: { requests: 120, perMs: 60_000 },
  async deliver(notification, config, ctx): Promise<TransportResult<DeliveryReceipt>> {
    const routingKey = ctx.secret(config.routingKeySecret);
    if (!routingKey) return { kind: 'failure', message: `the secret ${config.routingKeySecret} is not set (wrangler secret put ${config.routingKeySecret})` };
    const dedupKey = await pagerDutyDedupKey(notification.alert.dedupKey);
    const event = renderPagerDutyEvent(notification, routingKey, dedupKey);
    const sent = await postEvent(ctx.fetch, `${config.apiBase}/v2/enqueue`, event);
    if (sent.kind !== 'success') return sent;
    const answer = enqueueAnswerSchema.safeParse(await sent.value.json().catch(() => null));
    const key = answer.success && answer.data.dedup_key ? answer.data.dedup_key : dedupKey;
    return { kind: 'success', value: { externalId: key, detail: `PagerDuty accepted ${event.event_action} (dedup_key ${key})` } };
  },
};

const what = 'PagerDuty Events API';

async function postEvent(fetchImpl: HttpFetch, url: string, event: PagerDutyEvent): Promise<TransportResult<Response>> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
  } catch (err) {
    const message = `${what} failed: ${err instanceof Error ? err.message : String(err)}`;
    return err instanceof OutboundRefusedError ? { kind: 'failure', message } : { kind: 'retryable', message };
  }
  const classified = await classifyResponse(response.clone(), what);
  if (classified.kind === 'success') return classified;
  const vendor = pagerDutyErrorText(await response.text().catch(() => ''));
  return vendor ? { ...classified, message: `${what} answered ${response.status}: ${vendor}` } : classified;
}

/** `Event object is invalid: Length of 'routing_key' is incorrect (should be 32 characters)`, or null. */
function pagerDutyErrorText(body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const answer = enqueueAnswerSchema.safeParse(parsed);
  if (!answer.success || !answer.data.message) return null;
  const errors = (answer.data.errors ?? []).map(String).filter(Boolean);
  return (errors.length > 0 ? `${answer.data.message}: ${errors.join('; ')}` : answer.data.message).slice(0, 500);
}
