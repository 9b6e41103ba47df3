/**
 * POST /api/identity/rebuild — rebuild ITDR state (the per-person and org-wide Durable Objects) from the
 * events table, one page per call: `{user?, since?, cursor?, pageSize?}` → `{phase, persons, reset, replayed,
 * total, detections, cursor, done}`; send `cursor` back until `done` (`mantissa itdr rebuild` does).
 * Admin only (`identity:manage`): it empties state and re-raises detections.
 */
import { jsonBody, type App } from '../../app';
import { ApiError } from '../../errors';
import { rebuildPage, rebuildRequestSchema, RebuildCursorError } from '../../itdr/rebuild-identity';
import { requirePermission } from '../../middleware/require-permission';

export function registerIdentityRebuild(app: App) {
  app.post('/identity/rebuild', requirePermission('identity:manage'), async (c) => {
    const request = await jsonBody(c, rebuildRequestSchema);
    try {
      return c.json(await rebuildPage(c.env, request, new Date()));
    } catch (err) {
      if (err instanceof RebuildCursorError) throw new ApiError('invalid_input', err.message);
      throw err;
    }
  });
}
