/**
 * The `contain-user` playbook: collect the user's recent activity as evidence, wait for a human decision, and
 * on approval ask every configured identity provider to contain the user (`containmentResponseActions`, see
 * docs/itdr.md) and mark the user as contained in their identity state. Steps are named so that tests (and the
 * Workflow's history) can refer to them: collect-evidence → approval (waitForEvent) → respond-identity-providers →
 * contain-user.
 */
import { z } from 'zod';
import type { ResponseAction } from '../identity/respond';

export const playbookNames = ['contain-user'] as const;

export const containUserParamsSchema = z.object({
  runId: z.string().min(1),
  userId: z
    .string()
    .trim()
    .min(1)
    .max(320)
    .transform((s) => s.toLowerCase()),
  reason: z.string().trim().min(1).max(2000),
  requestedBy: z.string().min(1),
});
export type ContainUserParams = z.infer<typeof containUserParamsSchema>;

export const startContainUserSchema = z.object({
  playbook: z.enum(playbookNames),
  userId: containUserParamsSchema.shape.userId,
  reason: containUserParamsSchema.shape.reason,
});

export const approvalEventType = 'approval';
export const approvalTimeout = '24 hours';

export const approvalPayloadSchema = z.object({
  approve: z.boolean(),
  decidedBy: z.string().min(1),
  comment: z.string().max(2000).nullable(),
});
export type ApprovalPayload = z.infer<typeof approvalPayloadSchema>;

/** How far back the evidence snapshot reaches, and how many events it keeps. */
export const evidenceWindowDays = 7;
export const evidenceMaxEvents = 500;

/**
 * What containment asks of each identity provider, in this order: end the sessions and tokens an attacker may hold,
 * then disable the account. Password reset and MFA re-enrolment are left to a human (they need the user reached).
 */
export const containmentResponseActions: readonly ResponseAction[] = ['terminate_sessions', 'revoke_tokens', 'disable_account'];

export const stepNames = {
  collectEvidence: 'collect-evidence',
  markWaiting: 'await-approval',
  approval: 'approval',
  respond: 'respond-identity-providers',
  containUser: 'contain-user',
  recordRejection: 'record-rejection',
  recordTimeout: 'record-timeout',
} as const;
