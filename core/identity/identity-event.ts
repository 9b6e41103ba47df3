/**
 * The identity view of a normalized event, as kept in each user's Durable Object, and the rule for whose
 * account an event is about.
 */
import { z } from 'zod';
import { identityActions, type NormalizedEvent } from '../schema/event';

export const identityEventSummarySchema = z.object({
  eventUid: z.string(),
  eventTime: z.string(),
  source: z.string(),
  action: z.string(),
  identityAction: z.enum(identityActions),
  outcome: z.string(),
  actor: z.string().nullable(),
  srcIp: z.string().nullable(),
  country: z.string().nullable(),
  city: z.string().nullable(),
  userAgent: z.string().nullable(),
  // Added for identity threat detection (core/itdr). Defaulted, so summaries stored before they existed still parse.
  /** The account the event is about (see identitySubject), lower-cased. */
  subject: z.string().nullable().default(null),
  /** The provider's stable id for the actor (Okta user id, Entra object id). */
  actorId: z.string().nullable().default(null),
  outcomeReason: z.string().nullable().default(null),
  region: z.string().nullable().default(null),
  lat: z.number().nullable().default(null),
  lon: z.number().nullable().default(null),
  asn: z.number().int().nullable().default(null),
  asnOrg: z.string().nullable().default(null),
  /** The provider's session id (Okta externalSessionId, Entra session id), for session tracking. */
  sessionId: z.string().nullable().default(null),
  mfaFactor: z.string().nullable().default(null),
  /** The application acted on (an Okta app, an OAuth client). */
  service: z.string().nullable().default(null),
  /** What the action was done to: the account granted a role, the token or client issued. */
  target: z.string().nullable().default(null),
  targetType: z.string().nullable().default(null),
});
export type IdentityEventSummary = z.infer<typeof identityEventSummarySchema>;

/** Actions done *to* an account (by an admin or the system): the subject is the target, not the actor. */
const targetSubjectActions = new Set([
  'privilege_grant',
  'privilege_revoke',
  'account_create',
  'account_enable',
  'account_disable',
  'account_delete',
  'password_reset',
  'factor_remove',
]);
const userTargetTypes = new Set(['User', 'IAMUser', 'Admin']);

/** The account (lower-cased) an identity event is about, or null if it is not an identity event. */
export function identitySubject(event: NormalizedEvent): string | null {
  if (!event.identity_action) return null;
  const targetIsUser = event.target !== null && userTargetTypes.has(event.target_type ?? '');
  const subject = targetSubjectActions.has(event.identity_action) && targetIsUser ? event.target : event.actor;
  return subject ? subject.toLowerCase() : null;
}

export function summarizeIdentityEvent(event: NormalizedEvent & { event_uid: string }): IdentityEventSummary | null {
  if (!event.identity_action) return null;
  return {
    eventUid: event.event_uid,
    eventTime: event.event_time,
    source: event.source,
    action: event.action,
    identityAction: event.identity_action,
    outcome: event.outcome,
    actor: event.actor,
    srcIp: event.src_ip,
    country: event.src_country,
    city: event.src_city,
    userAgent: event.user_agent,
    subject: identitySubject(event),
    actorId: event.actor_id,
    outcomeReason: event.outcome_reason,
    region: event.src_region,
    lat: event.src_lat,
    lon: event.src_lon,
    asn: event.src_asn,
    asnOrg: event.src_asn_org,
    sessionId: event.session_id,
    mfaFactor: event.mfa_factor,
    service: event.service,
    target: event.target,
    targetType: event.target_type,
  };
}

/** Groups a batch's identity events by subject, so each user's state is updated once per batch. */
export function groupIdentityEvents(
  events: readonly (NormalizedEvent & { event_uid: string })[],
): Map<string, IdentityEventSummary[]> {
  const bySubject = new Map<string, IdentityEventSummary[]>();
  for (const event of events) {
    const subject = identitySubject(event);
    const summary = summarizeIdentityEvent(event);
    if (!subject || !summary) continue;
    const list = bySubject.get(subject);
    if (list) list.push(summary);
    else bySubject.set(subject, [summary]);
  }
  return bySubject;
}

export const identityUserIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(320)
  .transform((s) => s.toLowerCase());
