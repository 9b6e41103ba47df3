/**
 * GitHub webhook delivery (wrapped with its X-GitHub-Event / X-GitHub-Delivery headers, or a bare payload)
 * → normalized event. Pure; never throws.
 *
 * Invariants:
 * - `action` is `<event>.<payload action>` (`organization.member_added`), or the event alone when the payload
 *   has no action (`push`); a bare payload's event is unknown, so its action is `webhook.<payload action>`.
 * - Webhook payloads carry no time of the event itself, only of the objects in them; deliveries are sent as
 *   the event happens, so `event_time` is the arrival time, flagged `event_time_inferred`.
 * - The delivery id (`X-GitHub-Delivery`) is the event id; a redelivery keeps it.
 */
import type { EventDraft, IdentityAction, ParseContext } from '../../core/schema/event';
import { isPlainObject } from '../../core/ingest/split-records';
import { principalName, text } from '../shared/lenient';
import { blankEvent, ocsf, type OcsfClass } from './event-draft';
import { webhookDeliverySchema, webhookPayloadSchema, type WebhookPayload } from './webhook-schema';

export function normalizeWebhookDelivery(record: Record<string, unknown>, ctx: ParseContext, bare: boolean): EventDraft {
  const delivery = bare ? null : webhookDeliverySchema.parse(record);
  const payload = bare ? record : record.payload;
  const p = webhookPayloadSchema.parse(isPlainObject(payload) ? payload : {});
  const event = bare ? 'webhook' : (text(delivery?.x_github_event) ?? 'webhook');
  const payloadAction = text(p.action);
  const action = payloadAction ? `${event}.${payloadAction}` : event;
  const identity = webhookIdentity(action, p);
  const target = webhookTarget(event, p);
  return {
    ...blankEvent(ctx, null, webhookClass(event, identity)),
    event_id: text(delivery?.x_github_delivery),
    action,
    identity_action: identity,
    outcome: 'success',
    actor: principalName(p.sender?.login),
    actor_id: idText(p.sender?.id),
    actor_type: text(p.sender?.type)?.toLowerCase() ?? null,
    service: text(p.organization?.login) ?? text(p.enterprise?.slug) ?? text(p.installation?.account?.login),
    target: target?.[0] ?? null,
    target_type: target?.[1] ?? null,
  };
}

const fixedIdentity: Record<string, IdentityAction> = {
  'organization.member_added': 'privilege_grant',
  'organization.member_removed': 'privilege_revoke',
  'member.added': 'privilege_grant',
  'member.removed': 'privilege_revoke',
  'membership.added': 'privilege_grant',
  'membership.removed': 'privilege_revoke',
  'installation.created': 'oauth_consent',
  'github_app_authorization.revoked': 'token_revoke',
  'personal_access_token_request.approved': 'token_issue',
  'deploy_key.created': 'token_issue',
  'deploy_key.deleted': 'token_revoke',
};

function webhookIdentity(action: string, p: WebhookPayload): IdentityAction | null {
  if (action === 'member.edited') {
    // The collaborator's permission after the edit; `changes.permission.from` holds the one before.
    const permission = p.changes?.permission;
    const to = typeof permission === 'object' && permission !== null ? (permission as Record<string, unknown>).to : undefined;
    const from = typeof permission === 'object' && permission !== null ? (permission as Record<string, unknown>).from : undefined;
    if (text(to) === 'admin') return 'privilege_grant';
    if (text(from) === 'admin') return 'privilege_revoke';
    return null;
  }
  return fixedIdentity[action] ?? null;
}

function webhookClass(event: string, identity: IdentityAction | null): OcsfClass | null {
  switch (event) {
    case 'organization':
    case 'member':
    case 'membership':
    case 'team':
      return identity === 'privilege_grant' || identity === 'privilege_revoke' || event === 'team' ? ocsf.groupManagement : ocsf.entityManagement;
    case 'installation':
    case 'github_app_authorization':
      return ocsf.authentication;
    case 'personal_access_token_request':
    case 'deploy_key':
      return ocsf.accountChange;
    case 'push':
      return ocsf.apiActivity;
    case 'ping':
    case 'webhook':
      return null;
    default:
      return ocsf.entityManagement;
  }
}

/** The account that gained or lost access, else the repository or organization the event is about. */
function webhookTarget(event: string, p: WebhookPayload): [string, string] | null {
  const user = text(p.membership?.user?.login) ?? text(p.member?.login) ?? text(p.personal_access_token_request?.owner?.login);
  if (user) return [principalName(user) ?? user, 'user'];
  if (event === 'team' || event === 'membership') {
    const team = text(p.team?.slug) ?? text(p.team?.name);
    if (team) return [team, 'team'];
  }
  const repo = text(p.repository?.full_name);
  if (repo) return [repo, 'repository'];
  const app = text(p.installation?.app_slug);
  if (app) return [app, 'app'];
  const org = text(p.organization?.login);
  return org ? [org, 'organization'] : null;
}

function idText(value: unknown): string | null {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : text(value);
}
