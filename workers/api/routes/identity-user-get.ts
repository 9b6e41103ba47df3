/** GET /api/identity/users/:id — the user's identity state from their Durable Object. */
import { identityUserIdSchema } from '../../../core/identity/identity-event';
import { validate, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';

export function registerIdentityUserGet(app: App) {
  app.get('/identity/users/:id', requirePermission('identity:read'), async (c) => {
    const user = validate(identityUserIdSchema, c.req.param('id'), 'path.id');
    const stub = c.env.IDENTITY_USER.get(c.env.IDENTITY_USER.idFromName(user));
    const snapshot = await stub.snapshot(user);
    if (snapshot.eventCount === 0 && !snapshot.containment) {
      throw new ApiError('not_found', `No identity events have been seen for ${user}.`);
    }
    return c.json(snapshot);
  });
}
