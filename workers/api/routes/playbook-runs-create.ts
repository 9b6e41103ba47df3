/** POST /api/playbooks/runs — start a playbook (a Workflow instance) that will wait for approval. */
import { startContainUserSchema, type ContainUserParams } from '../../../core/soar/contain-user';
import { PlaybookRunsRepository } from '../../../adapters/d1/playbook-runs-repository';
import { jsonBody, type App } from '../../app';
import { requirePermission } from '../../middleware/require-permission';
import { playbookRunView } from './playbook-runs-shared';

export function registerPlaybookRunsCreate(app: App) {
  app.post('/playbooks/runs', requirePermission('playbooks:run'), async (c) => {
    const input = await jsonBody(c, startContainUserSchema);
    const principal = c.get('principal');
    const now = new Date();
    const runId = `run_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`;
    const params: ContainUserParams = { runId, userId: input.userId, reason: input.reason, requestedBy: principal.id };
    const runs = new PlaybookRunsRepository(c.env.DB);
    // The row exists before the instance, so the workflow's first status update always has a row to update.
    const row = await runs.create({
      id: runId,
      playbook: input.playbook,
      params: JSON.stringify({ userId: input.userId, reason: input.reason }),
      status: 'running',
      requestedBy: principal.id,
      requestedByName: principal.name,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    try {
      await c.env.PLAYBOOKS.create({ id: runId, params });
    } catch (err) {
      await runs.setStatus(runId, 'errored', new Date(), { error: `could not start the workflow: ${String(err)}` });
      throw err;
    }
    return c.json(playbookRunView(row), 202);
  });
}
