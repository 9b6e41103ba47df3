/**
 * GET /api/identity/users/:id — everything ITDR knows about one person, from their Durable Object: risk with
 * its breakdown, detections, kill-chain stages and incident, baseline, sessions, attack timeline, sign-in map
 * and risk history, plus the recent identity events and containment. `:id` may be any of the person's
 * identities (an email, a provider login): it is resolved with the deployment's identity aliases.
 */
import { identityUserIdSchema } from '../../../core/identity/identity-event';
import { canonicalAccount } from '../../../core/itdr/resolve';
import { validate, type App } from '../../app';
import { ApiError } from '../../errors';
import { personStub } from '../../itdr/feed-identity';
import { readItdrConfig } from '../../itdr/itdr-config';
import { requirePermission } from '../../middleware/require-permission';

export function registerIdentityUserGet(app: App) {
  app.get('/identity/users/:id', requirePermission('identity:read'), async (c) => {
    const id = validate(identityUserIdSchema, c.req.param('id'), 'path.id');
    const person = canonicalAccount(id, readItdrConfig(c.env).identity);
    const view = await personStub(c.env, person).view(person, new Date().toISOString());
    if (view.eventCount === 0 && !view.containment && view.detections.length === 0) {
      throw new ApiError('not_found', `No identity events have been seen for ${id}.`);
    }
    return c.json(view);
  });
}
