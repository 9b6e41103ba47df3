/** The wire view of a playbook run, shared by the playbook routes. */
import type { PlaybookRunRow } from '../../../adapters/d1/playbook-runs-repository';

export function playbookRunView(row: PlaybookRunRow, workflowStatus?: unknown) {
  return {
    id: row.id,
    playbook: row.playbook,
    params: JSON.parse(row.params) as unknown,
    status: row.status,
    requestedBy: row.requestedByName,
    requestedById: row.requestedBy,
    decidedBy: row.decidedBy,
    decision: row.decision,
    decisionComment: row.decisionComment,
    result: row.result ? (JSON.parse(row.result) as unknown) : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ...(workflowStatus !== undefined ? { workflow: workflowStatus } : {}),
  };
}
