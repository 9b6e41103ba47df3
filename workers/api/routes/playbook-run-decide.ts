/**
 * POST /api/playbooks/runs/:id/decision — approve or reject a waiting run. The requester can never approve
 * their own run (four eyes), checked here on the server, whatever the UI shows.
 */
import { z } from 'zod';
import { approvalEventType, type ApprovalPayload } from '../../../core/soar/contain-user';
import { PlaybookRunsRepository } from '../../../adapters/d1/playbook-runs-repository';
import { jsonBody, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';
import { playbookRunView } from './playbook-runs-shared';

const decisionSchema = z.object({
  approve: z.boolean(),
  comment: z.string().trim().max(2000).optional(),
});

export function registerPlaybookRunDecide(app: App) {
  app.post('/playbooks/runs/:id/decision', requirePermission('playbooks:approve'), async (c) => {
    const id = c.req.param('id');
    const body = await jsonBody(c, decisionSchema);
    const principal = c.get('principal');
    const runs = new PlaybookRunsRepository(c.env.DB);
    const row = await runs.get(id);
    if (!row) throw new ApiError('not_found', `No playbook run ${id}.`);
    if (row.requestedBy === principal.id) {
      throw new ApiError('forbidden', 'You requested this run; someone else must approve or reject it.');
    }
    if (row.status !== 'waiting_approval') {
      throw new ApiError('conflict', `Run ${id} is ${row.status}, not waiting for approval.`);
    }
    const payload: ApprovalPayload = { approve: body.approve, decidedBy: principal.name, comment: body.comment ?? null };
    const decided = await runs.decide(id, { approve: body.approve, decidedBy: principal.name, comment: payload.comment }, new Date());
    if (!decided) throw new ApiError('conflict', `Run ${id} was decided by someone else a moment ago.`);
    try {
      await (await c.env.PLAYBOOKS.get(id)).sendEvent({ type: approvalEventType, payload });
    } catch (err) {
      // The workflow never heard the decision: put the run back so the decision can be made again.
      await runs.setStatus(id, 'waiting_approval', new Date());
      throw err;
    }
    const updated = await runs.get(id);
    return c.json(playbookRunView(updated ?? row));
  });
}
