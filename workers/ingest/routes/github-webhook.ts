/**
 * POST /ingest/webhooks/github — GitHub webhook deliveries (organisation or repository webhooks, or a GitHub
 * App). GitHub cannot send an Authorization header, so the delivery's `X-Hub-Signature-256` HMAC over the exact
 * body, keyed with GITHUB_WEBHOOK_SECRET, is the credential (verified by `githubWebhookAuthenticator` in the
 * authenticate middleware, before this handler runs). The delivery GUID is the idempotency key, so GitHub's
 * redeliveries are stored once.
 */
import { verifyHmacSha256Hex } from '../../../core/auth/webhook-signature';
import { sourceAdapters } from '../../../adapters/sources';
import { readBody, type App } from '../../app';
import { ApiError } from '../../errors';
import type { WebhookAuthenticator } from '../../middleware/authenticate';
import { requirePermission } from '../../middleware/require-permission';
import { ingestBatch } from '../ingest-batch';

export const githubWebhookPath = '/ingest/webhooks/github';

export const githubWebhookAuthenticator: WebhookAuthenticator = async (c) => {
  const secret = c.get('config').githubWebhookSecret;
  if (!secret) {
    throw new ApiError('unauthenticated', 'GitHub webhooks are not configured here: set the GITHUB_WEBHOOK_SECRET secret.');
  }
  const header = c.req.header('x-hub-signature-256');
  if (!header?.startsWith('sha256=')) {
    throw new ApiError('unauthenticated', 'A GitHub webhook delivery must carry X-Hub-Signature-256 (set a secret on the webhook).');
  }
  const body = await readBody(c.req.raw, c.get('config').maxIngestBytes);
  if (!(await verifyHmacSha256Hex(secret, body, header.slice('sha256='.length)))) {
    throw new ApiError('unauthenticated', 'The X-Hub-Signature-256 signature does not match the body and GITHUB_WEBHOOK_SECRET.');
  }
  c.set('verifiedBody', body);
  return { id: 'webhook:github', name: 'GitHub webhook', role: 'ingest', source: 'github', via: 'webhook' };
};

export function registerGithubWebhook(app: App) {
  app.post('/webhooks/github', requirePermission('events:ingest'), async (c) => {
    const adapter = sourceAdapters.get('github');
    if (!adapter) throw new ApiError('not_found', 'This build has no GitHub parser.');
    const body = c.get('verifiedBody');
    if (!body) throw new Error('github webhook handler ran without a verified body');
    const event = c.req.header('x-github-event') ?? 'unknown';
    const delivery = c.req.header('x-github-delivery') ?? null;
    if (event === 'ping') return c.json({ ok: true, message: 'pong: the webhook is connected' });
    let payload: unknown;
    try {
      payload = JSON.parse(new TextDecoder().decode(body));
    } catch {
      throw new ApiError('invalid_input', 'The webhook body is not JSON: choose content type application/json on the webhook.');
    }
    const record = JSON.stringify({ x_github_event: event, x_github_delivery: delivery, payload });
    const result = await ingestBatch(c.env, {
      adapter,
      body: new TextEncoder().encode(record),
      idempotencyKey: delivery && /^[A-Za-z0-9._:-]{1,128}$/.test(delivery) ? `github-delivery:${delivery}` : null,
      principal: c.get('principal'),
    });
    return c.json(result);
  });
}
