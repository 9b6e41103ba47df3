/**
 * Microsoft Teams alert destination: posts an Adaptive Card to a channel through a webhook URL held in a
 * Worker secret — a Workflows webhook ("Post to a channel when a webhook request is received", the supported
 * path: https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook)
 * or a legacy Office 365 connector incoming webhook, which Microsoft is retiring.
 *
 * Answers:
 * - Workflows answer `202 Accepted` (the flow then runs asynchronously); errors come as
 *   `{"error": {"code": "…", "message": "…"}}` with a 4xx.
 * - Legacy connectors answer `200` with body `1`, and report throttling *inside a 200*: "response body needs to
 *   be extracted and read as Connectors do not throw 429s" — the body says "Microsoft Teams endpoint returned
 *   HTTP error 429 …" (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#rate-limiting-for-connectors).
 * - 429 and 5xx (or such a 200) are retryable, with Retry-After when given; other 4xx fail with the body's message.
 *
 * A webhook has no message id to update, so acknowledge/resolve post a short card and receipts carry no id.
 */
import { z } from 'zod';
import { parseRetryAfter, type HttpFetch, type TransportResult } from '../../../core/collect/transport';
import type { AlertNotification } from '../../../core/alerting/notification';
import type { DeliveryContext, DeliveryReceipt, DestinationAdapter } from '../destination';
import { payloadBytes, teamsDocumentedLimitBytes, type TeamsMessage } from './adaptive-card';
import { renderTeamsAlert, renderTeamsLifecycleNote } from './render-teams-card';

export const teamsConfigSchema = z.object({
  /** Worker secret holding the webhook URL (it carries its own signature, `sig=…`, so it is a credential). */
  webhookUrlSecret: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'a Worker secret name, e.g. TEAMS_WEBHOOK_URL (the name, never the value)'),
});
export type TeamsConfig = z.infer<typeof teamsConfigSchema>;

export const teamsDestination: DestinationAdapter<TeamsConfig> = {
  type: 'teams',
  configSchema: teamsConfigSchema,
  // "If more than four requests are made in a second, the client connection is throttled" (add-incoming-webhook).
  // The older connector table also caps 60 per 30 s, 100 per hour and 1800 per day; the pipeline's single
  // window enforces the per-second limit and the answers above cover the rest.
  rateLimit: { requests: 4, perMs: 1000 },
  async deliver(notification, config, ctx) {
    return deliverToTeams(notification, config, ctx);
  },
};

async function deliverToTeams(notification: AlertNotification, config: TeamsConfig, ctx: DeliveryContext): Promise<TransportResult<DeliveryReceipt>> {
  const url = ctx.secret(config.webhookUrlSecret);
  if (!url) return { kind: 'failure', message: `Teams: secret ${config.webhookUrlSecret} is not set` };
  if (!isUrl(url)) return { kind: 'failure', message: `Teams: secret ${config.webhookUrlSecret} does not hold a URL` };
  const message: TeamsMessage = notification.kind === 'trigger' ? renderTeamsAlert(notification) : renderTeamsLifecycleNote(notification);
  const bytes = payloadBytes(message);
  // Only an attribution far beyond what rules may carry could do this; sending it would fail at Teams anyway.
  if (bytes > teamsDocumentedLimitBytes) return { kind: 'failure', message: `Teams: the card is ${bytes} bytes even at its barest, over the ${teamsDocumentedLimitBytes}-byte limit` };
  const answer = await postCard(ctx.fetch, url, message);
  if (answer.kind !== 'success') return answer;
  return { kind: 'success', value: { externalId: null, detail: `posted the ${notification.kind} card to Teams (${answer.value}, ${bytes} bytes)` } };
}

const what = 'Teams webhook';

/** One POST; the result's value is the HTTP status line, for the delivery log. */
async function postCard(fetchImpl: HttpFetch, url: string, message: TeamsMessage): Promise<TransportResult<string>> {
  let response: Response;
  try {
    response = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
  } catch (err) {
    const text = `${what} failed: ${describeError(err)}`;
    // The outbound guard's refusal is configuration, which retrying cannot change.
    return err instanceof Error && err.name === 'OutboundRefusedError' ? { kind: 'failure', message: text } : { kind: 'retryable', message: text };
  }
  const body = (await response.text().catch(() => '')).trim();
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  if (response.ok) {
    const legacy = /returned HTTP error (\d{3})/i.exec(body);
    if (!legacy) return { kind: 'success', value: `${response.status}` };
    return classify(Number(legacy[1]), `${what} answered ${response.status} reporting: ${body.slice(0, 300)}`, retryAfterMs);
  }
  const detail = errorDetail(body);
  return classify(response.status, `${what} answered ${response.status}${detail ? `: ${detail}` : ''}`, retryAfterMs);
}

function classify(status: number, message: string, retryAfterMs: number | undefined): TransportResult<never> {
  if (status === 429 || status >= 500) return retryAfterMs === undefined ? { kind: 'retryable', message } : { kind: 'retryable', message, retryAfterMs };
  return { kind: 'failure', message };
}

const errorBodySchema = z.object({ error: z.union([z.object({ code: z.string().optional(), message: z.string().optional() }), z.string()]) });

/** The message of `{"error": {"code", "message"}}` (Workflows) or `{"error": "…"}`, else the text itself. */
function errorDetail(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body.slice(0, 300);
  }
  const known = errorBodySchema.safeParse(parsed);
  if (!known.success) return body.slice(0, 300);
  const error = known.data.error;
  if (typeof error === 'string') return error.slice(0, 300);
  return [error.code, error.message].filter(Boolean).join(': ').slice(0, 300);
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${err.message} (${code})` : err.message;
}

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
