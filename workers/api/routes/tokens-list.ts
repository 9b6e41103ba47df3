/** GET /api/tokens — API tokens (never their secrets). Admins only. */
import { TokensRepository } from '../../../adapters/d1/tokens-repository';
import type { App } from '../../app';
import { requirePermission } from '../../middleware/require-permission';

export function registerTokensList(app: App) {
  app.get('/tokens', requirePermission('tokens:manage'), async (c) => {
    return c.json({ tokens: await new TokensRepository(c.env.DB).list() });
  });
}
