/** GET /api/playbooks/runs — recent playbook runs. */
import { z } from 'zod';
import { PlaybookRunsRepository } from '../../../adapters/d1/playbook-runs-repository';
import { queryParams, type App } from '../../app';
import { requirePermission } from '../../middleware/require-permission';
import { playbookRunView } from './playbook-runs-shared';

const listQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export function registerPlaybookRunsList(app: App) {
  app.get('/playbooks/runs', requirePermission('playbooks:read'), async (c) => {
    const { limit } = queryParams(c, listQuerySchema);
    const rows = await new PlaybookRunsRepository(c.env.DB).list(limit);
    return c.json({ runs: rows.map((r) => playbookRunView(r)) });
  });
}
