/**
 * PlaybookWorkflow: runs a playbook as a Cloudflare Workflow, one named step at a time, with a human
 * approval (`waitForEvent`) before anything changes. Each step is durable and retried by the runtime; the
 * D1 `playbook_runs` row mirrors the status for the UI.
 */
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from 'cloudflare:workers';
import { playbookEvidenceKey } from '../../core/lake/keys';
import {
  approvalEventType,
  approvalPayloadSchema,
  approvalTimeout,
  containUserParamsSchema,
  evidenceMaxEvents,
  evidenceWindowDays,
  stepNames,
  type ContainUserParams,
} from '../../core/soar/contain-user';
import { PlaybookRunsRepository } from '../../adapters/d1/playbook-runs-repository';
import { canonicalAccount } from '../../core/itdr/resolve';
import { personStub } from '../itdr/feed-identity';
import { readItdrConfig } from '../itdr/itdr-config';
import { containAtIdentityProviders, type IdentityContainmentSummary } from './contain-at-identity-providers';

export interface ContainUserResult {
  status: 'complete' | 'rejected' | 'timed_out';
  evidenceKey: string;
  evidenceEvents: number;
  decidedBy?: string;
  /** What each configured identity provider was asked and answered (empty when none is configured). */
  identityResponses?: IdentityContainmentSummary;
}

export class PlaybookWorkflow extends WorkflowEntrypoint<Cloudflare.Env, ContainUserParams> {
  override async run(event: Readonly<WorkflowEvent<ContainUserParams>>, step: WorkflowStep): Promise<ContainUserResult> {
    const params = containUserParamsSchema.parse(event.payload);
    const runs = new PlaybookRunsRepository(this.env.DB);

    const evidence = await step.do(stepNames.collectEvidence, async () => {
      const since = new Date(Date.now() - evidenceWindowDays * 86_400_000).toISOString();
      const { results } = await this.env.DB.prepare(
        `SELECT event_time, source, action, identity_action, outcome, src_ip, src_country, src_city, user_agent, target
           FROM events
          WHERE (lower(actor) = ?1 OR lower(target) = ?1) AND event_time >= ?2
          ORDER BY event_time DESC
          LIMIT ?3`,
      )
        .bind(params.userId, since, evidenceMaxEvents)
        .all();
      const key = playbookEvidenceKey(params.runId);
      await this.env.LAKE.put(
        key,
        JSON.stringify({ runId: params.runId, userId: params.userId, collectedAt: new Date().toISOString(), since, events: results }),
        { httpMetadata: { contentType: 'application/json' } },
      );
      return { key, events: results.length };
    });

    await step.do(stepNames.markWaiting, async () => {
      await runs.setStatus(params.runId, 'waiting_approval', new Date());
    });

    let decision;
    try {
      const approval = await step.waitForEvent(stepNames.approval, { type: approvalEventType, timeout: approvalTimeout });
      decision = approvalPayloadSchema.parse(approval.payload);
    } catch (err) {
      if (!isTimeout(err)) throw err;
      await step.do(stepNames.recordTimeout, async () => {
        await runs.setStatus(params.runId, 'timed_out', new Date(), { evidenceKey: evidence.key });
      });
      return { status: 'timed_out', evidenceKey: evidence.key, evidenceEvents: evidence.events };
    }

    if (!decision.approve) {
      await step.do(stepNames.recordRejection, async () => {
        await runs.setStatus(params.runId, 'rejected', new Date(), { evidenceKey: evidence.key, decidedBy: decision.decidedBy });
      });
      return { status: 'rejected', evidenceKey: evidence.key, evidenceEvents: evidence.events, decidedBy: decision.decidedBy };
    }

    const identityResponses = await step.do(stepNames.respond, async () => containAtIdentityProviders(this.env, params.userId));

    await step.do(stepNames.containUser, async () => {
      // The person's object is named by the same resolution the ITDR feed and the Identity page use (aliases,
      // DOMAIN\user, default domain): naming it by the raw id would contain an object nobody reads.
      const person = canonicalAccount(params.userId, readItdrConfig(this.env).identity);
      await personStub(this.env, person).setContainment(person, {
        playbookRunId: params.runId,
        reason: params.reason,
        containedAt: new Date().toISOString(),
        containedBy: decision.decidedBy,
      });
      await runs.setStatus(params.runId, 'complete', new Date(), {
        evidenceKey: evidence.key,
        evidenceEvents: evidence.events,
        contained: person,
        decidedBy: decision.decidedBy,
        identityResponses,
      });
    });
    return { status: 'complete', evidenceKey: evidence.key, evidenceEvents: evidence.events, decidedBy: decision.decidedBy, identityResponses };
  }
}

function isTimeout(err: unknown): boolean {
  return /timed? ?out|timeout/i.test(err instanceof Error ? `${err.name} ${err.message}` : String(err));
}
