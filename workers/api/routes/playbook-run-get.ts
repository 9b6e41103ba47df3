/** GET /api/playbooks/runs/:id — a run with its live Workflow status. */
import { PlaybookRunsRepository } from '../../../adapters/d1/playbook-runs-repository';
import type { App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';
import { playbookRunView } from './playbook-runs-shared';

export function registerPlaybookRunGet(app: App) {
  app.get('/playbooks/runs/:id', requirePermission('playbooks:read'), async (c) => {
    const id = c.req.param('id');
    const row = await new PlaybookRunsRepository(c.env.DB).get(id);
    if (!row) throw new ApiError('not_found', `No playbook run ${id}.`);
    let workflow: unknown;
    try {
      workflow = await (await c.env.PLAYBOOKS.get(id)).status();
    } catch (err) {
      workflow = { status: 'unknown', error: String(err) };
    }
    return c.json(playbookRunView(row, workflow));
  });
}
