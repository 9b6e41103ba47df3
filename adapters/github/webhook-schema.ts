/**
 * GitHub webhook deliveries (https://docs.github.com/en/webhooks/webhook-events-and-payloads). The event name
 * and delivery id travel in HTTP headers (`X-GitHub-Event`, `X-GitHub-Delivery`), so the webhook route wraps
 * each delivery before calling the parser:
 *
 *   { "x_github_event": "<X-GitHub-Event>", "x_github_delivery": "<X-GitHub-Delivery>", "payload": { …body… } }
 *
 * A bare payload (no wrapper) is accepted too when it has the `sender` every payload carries; its event name is
 * then unknown.
 *
 * Invariants: every field is optional and lenient; only the objects common to payloads are described (sender,
 * repository, organization, enterprise, installation) plus those naming who gained or lost access (member,
 * membership, team, changes).
 */
import { z } from 'zod';
import { isPlainObject } from '../../core/ingest/split-records';
import { lenient } from '../shared/lenient';

const str = lenient(z.string().nullable());
const id = lenient(z.union([z.string(), z.number()]).nullable());

const account = z.looseObject({ login: str, id, type: str, email: str, name: str });

export const webhookPayloadSchema = z.looseObject({
  action: str,
  sender: lenient(account.nullable()),
  repository: lenient(z.looseObject({ full_name: str, name: str, visibility: str }).nullable()),
  organization: lenient(z.looseObject({ login: str, id }).nullable()),
  enterprise: lenient(z.looseObject({ slug: str, name: str }).nullable()),
  installation: lenient(z.looseObject({ id, app_slug: str, account: lenient(account.nullable()) }).nullable()),
  /** `member` (repository collaborators) and `membership` (team) events */
  member: lenient(account.nullable()),
  /** `organization` events: the member added, removed or invited */
  membership: lenient(z.looseObject({ user: lenient(account.nullable()), role: str, state: str }).nullable()),
  team: lenient(z.looseObject({ name: str, slug: str }).nullable()),
  /** `member.edited`: the collaborator's permission before and after */
  changes: lenient(z.record(z.string(), z.unknown()).nullable()),
  /** `github_app_authorization`, `personal_access_token_request` */
  personal_access_token_request: lenient(z.looseObject({ id, owner: lenient(account.nullable()) }).nullable()),
  key: lenient(z.looseObject({ id, title: str }).nullable()),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

export const webhookDeliverySchema = z.looseObject({
  x_github_event: str,
  x_github_delivery: str,
});

export function isWebhookDelivery(record: Record<string, unknown>): boolean {
  return 'x_github_event' in record || 'x_github_delivery' in record;
}

/** A webhook body posted without the wrapper: every payload names its `sender`; audit log events never do. */
export function isBareWebhookPayload(record: Record<string, unknown>): boolean {
  return isPlainObject(record.sender) && typeof record.sender.login === 'string';
}
