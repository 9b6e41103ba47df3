/** DELETE /api/tokens/:id — revoke a token at once. */
import { TokensRepository } from '../../../adapters/d1/tokens-repository';
import type { App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';

export function registerTokensRevoke(app: App) {
  app.delete('/tokens/:id', requirePermission('tokens:manage'), async (c) => {
    const row = await new TokensRepository(c.env.DB).revoke(c.req.param('id'), new Date());
    if (!row) throw new ApiError('not_found', `No active token ${c.req.param('id')}.`);
    return c.json(row);
  });
}
