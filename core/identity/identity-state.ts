/** Wire shapes of a user's identity state (the Durable Object's RPC answers and inputs). */
import { z } from 'zod';
import type { IdentityEventSummary } from './identity-event';

/** Identity events kept per user; older ones are dropped (the events table keeps everything). */
export const identityEventsKept = 200;

export const containmentSchema = z.object({
  playbookRunId: z.string(),
  reason: z.string(),
  containedAt: z.string(),
  containedBy: z.string(),
});
export type Containment = z.infer<typeof containmentSchema>;

export interface IdentitySnapshot {
  readonly user: string;
  /** Identity events ever recorded for this user (not only the ones kept). */
  readonly eventCount: number;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly containment: Containment | null;
  /** The most recent identity events, newest first, at most `identityEventsKept`. */
  readonly events: IdentityEventSummary[];
}
