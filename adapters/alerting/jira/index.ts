/**
 * Jira Cloud destination (REST API v3, https://developer.atlassian.com/cloud/jira/platform/rest/v3/):
 * - trigger → `POST /rest/api/3/issue`; 201 `{id, key, self}` → receipt externalId = the issue key;
 * - acknowledge → `POST /rest/api/3/issue/{key}/comment` saying who acknowledged;
 * - resolve → `GET /rest/api/3/issue/{key}/transitions`, `POST …/transitions {transition: {id}}` for the transition
 *   named `resolveTransition` (any case), then a comment; without such a transition, the comment only, and the
 *   receipt says so (…/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get and -post).
 * acknowledge and resolve without the trigger's receipt have no issue to update: success, "no issue to update".
 *
 * Answers: 400 `{errorMessages, errors}` → failure with Jira's messages; 401/403/404 → failure; 429 (with
 * Retry-After) and 5xx → retryable (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/).
 * Auth: Basic base64(email:API token) (https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/),
 * or a Bearer token when no email secret is configured.
 */
import { z } from 'zod';
import type { HttpFetch, TransportResult } from '../../../core/collect/transport';
import type { AlertNotification } from '../../../core/alerting/notification';
import { basicAuthorization, callJsonApi, missingSecret } from '../json-api';
import type { DeliveryContext, DeliveryReceipt, DestinationAdapter } from '../destination';
import { jiraConfigSchema, renderJiraComment, renderJiraIssueFields, type JiraConfig } from './render-jira-issue';

export { jiraConfigSchema, type JiraConfig } from './render-jira-issue';

const createdIssueSchema = z.object({ id: z.string(), key: z.string(), self: z.string().optional() });
const transitionsSchema = z.object({ transitions: z.array(z.object({ id: z.string(), name: z.string() })) });
const jiraErrorSchema = z.object({ errorMessages: z.array(z.string()).optional(), errors: z.record(z.string(), z.unknown()).optional() });
const issueKeyPattern = /^[A-Z][A-Z0-9_]*-\d+$/;

export const jiraDestination: DestinationAdapter<JiraConfig> = {
  type: 'jira',
  configSchema: jiraConfigSchema,
  // Jira Cloud limits by cost and per-second bursts per endpoint, without a published fixed number for API-token
  // traffic (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/); 10 requests a second is a
  // conservative pace, and a resolve makes three.
  rateLimit: { requests: 10, perMs: 1000 },
  async deliver(notification, config, ctx): Promise<TransportResult<DeliveryReceipt>> {
    const auth = authorization(config, ctx);
    if (auth.kind !== 'success') return auth;
    const jira = (method: string, path: string, body?: unknown) => callJira(ctx.fetch, auth.value, method, `${config.baseUrl}${path}`, body);

    if (notification.kind === 'trigger') {
      const created = await jira('POST', '/rest/api/3/issue', { fields: renderJiraIssueFields(notification, config) });
      if (created.kind !== 'success') return created;
      const issue = createdIssueSchema.safeParse(await created.value.json().catch(() => null));
      if (!issue.success) return { kind: 'failure', message: `Jira answered ${created.value.status} to POST /rest/api/3/issue without an issue key` };
      return { kind: 'success', value: { externalId: issue.data.key, detail: `created ${issue.data.key}` } };
    }

    const key = ctx.previous?.externalId;
    if (!key) return { kind: 'success', value: { externalId: null, detail: 'no issue to update' } };
    if (!issueKeyPattern.test(key)) return { kind: 'failure', message: `the trigger receipt holds "${key.slice(0, 100)}", which is not a Jira issue key` };
    const issuePath = `/rest/api/3/issue/${encodeURIComponent(key)}`;

    if (notification.kind === 'acknowledge') {
      const commented = await jira('POST', `${issuePath}/comment`, { body: renderJiraComment(notification, null) });
      if (commented.kind !== 'success') return commented;
      return { kind: 'success', value: { externalId: key, detail: `commented on ${key}${byActor(notification)}` } };
    }
    return resolveIssue(notification, config, key, issuePath, jira);
  },
};

type JiraCall = (method: string, path: string, body?: unknown) => Promise<TransportResult<Response>>;

async function resolveIssue(notification: AlertNotification, config: JiraConfig, key: string, issuePath: string, jira: JiraCall): Promise<TransportResult<DeliveryReceipt>> {
  const listed = await jira('GET', `${issuePath}/transitions`);
  if (listed.kind !== 'success') return listed;
  const parsed = transitionsSchema.safeParse(await listed.value.json().catch(() => null));
  if (!parsed.success) return { kind: 'failure', message: `Jira answered GET ${issuePath}/transitions without a transitions list` };
  const wanted = config.resolveTransition.toLowerCase();
  const transition = parsed.data.transitions.find((t) => t.name.trim().toLowerCase() === wanted);
  let note: string | null = null;
  if (transition) {
    const moved = await jira('POST', `${issuePath}/transitions`, { transition: { id: transition.id } });
    if (moved.kind !== 'success') return moved;
  } else {
    const available = parsed.data.transitions.map((t) => `"${t.name}"`).join(', ') || 'none';
    note = `No transition named "${config.resolveTransition}" is available for this issue (available: ${available}); its status was left as it is.`;
  }
  const commented = await jira('POST', `${issuePath}/comment`, { body: renderJiraComment(notification, note) });
  if (commented.kind !== 'success') return commented;
  const detail = transition ? `moved ${key} through "${transition.name}" and commented${byActor(notification)}` : `commented on ${key}${byActor(notification)}; ${note}`;
  return { kind: 'success', value: { externalId: key, detail } };
}

function byActor(notification: AlertNotification): string {
  return notification.actor ? ` (${notification.kind === 'acknowledge' ? 'acknowledged' : 'resolved'} by ${notification.actor.slice(0, 200)})` : '';
}

function authorization(config: JiraConfig, ctx: DeliveryContext): TransportResult<string> {
  const token = ctx.secret(config.apiTokenSecret);
  if (!token) return missingSecret(config.apiTokenSecret);
  if (!config.emailSecret) return { kind: 'success', value: `Bearer ${token}` };
  const email = ctx.secret(config.emailSecret);
  if (!email) return missingSecret(config.emailSecret);
  return { kind: 'success', value: basicAuthorization(email, token) };
}



function callJira(fetchImpl: HttpFetch, authorization: string, method: string, url: string, body?: unknown): Promise<TransportResult<Response>> {
  return callJsonApi(fetchImpl, 'Jira', jiraErrorText, authorization, method, url, body);
}

/** Jira's `{errorMessages: [...], errors: {field: message}}` as one line, e.g. `summary: Summary must be less than 255 characters.` */
function jiraErrorText(body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const answer = jiraErrorSchema.safeParse(parsed);
  if (!answer.success) return null;
  const messages = [...(answer.data.errorMessages ?? []), ...Object.entries(answer.data.errors ?? {}).map(([field, message]) => `${field}: ${String(message)}`)];
  return messages.length > 0 ? messages.join('; ').slice(0, 500) : null;
}
