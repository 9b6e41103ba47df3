/**
 * GET /ingest/okta — Okta event hook verification: when an event hook is created or verified, Okta sends a GET
 * with `X-Okta-Verification-Challenge` and the hook's configured Authorization header, and expects
 * `{"verification": "<challenge>"}` back (https://developer.okta.com/docs/concepts/event-hooks/#one-time-verification-request).
 * Deliveries then arrive as POST /ingest/okta (the `data.events` envelope is unwrapped by the ingest path).
 */
import { mayIngest } from '../../../core/auth/roles';
import type { App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';

export function registerOktaEventHookVerify(app: App) {
  app.get('/okta', requirePermission('events:ingest'), (c) => {
    if (!mayIngest(c.get('principal'), 'okta')) throw new ApiError('forbidden', 'This token may not ingest Okta events.');
    const challenge = c.req.header('x-okta-verification-challenge');
    if (!challenge) {
      throw new ApiError('invalid_request', 'Send events with POST; a GET here is Okta’s event hook verification and needs X-Okta-Verification-Challenge.');
    }
    return c.json({ verification: challenge });
  });
}
