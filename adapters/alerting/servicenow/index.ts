/**
 * ServiceNow destination: incidents through the Table API
 * (https://docs.servicenow.com/bundle/utah-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html):
 * - trigger → `GET /api/now/table/incident?sysparm_query=correlation_id=<id>^active=true^state!=6&sysparm_limit=1`
 *   and, when no open incident of this alert exists, `POST /api/now/table/incident`; 201 `{result: {sys_id,
 *   number}}` → receipt externalId = sys_id. The lookup is what keeps a retried trigger (after a lost answer)
 *   from creating a second incident.
 * - acknowledge → `PATCH /api/now/table/incident/{sys_id}` state 2 (In Progress) with a work note;
 * - resolve → the same PATCH with state 6 (Resolved), close_code and close_notes, which the base system's data
 *   policy makes mandatory for a resolved incident.
 * acknowledge and resolve without the trigger's receipt have no incident to update: success, "no incident to update".
 *
 * Answers `{error: {message, detail}, status: "failure"}`: 400, 401, 403, 404 → failure with ServiceNow's
 * message; 429 (with Retry-After, per the instance's rate-limit rules) and 5xx → retryable.
 */
import { z } from 'zod';
import type { HttpFetch, TransportResult } from '../../../core/collect/transport';
import { basicAuthorization, callJsonApi, missingSecret } from '../json-api';
import type { DeliveryContext, DeliveryReceipt, DestinationAdapter } from '../destination';
import {
  incidentState,
  openIncidentQuery,
  renderServiceNowIncident,
  renderServiceNowUpdate,
  serviceNowConfigSchema,
  serviceNowCorrelationId,
  type ServiceNowConfig,
} from './render-servicenow-incident';

export { serviceNowConfigSchema, type ServiceNowConfig } from './render-servicenow-incident';

const incidentRef = z.object({ sys_id: z.string().regex(/^[0-9a-f]{32}$/), number: z.string().optional() });
const oneResult = z.object({ result: incidentRef });
const listResult = z.object({ result: z.array(incidentRef) });
const serviceNowErrorSchema = z.object({ error: z.object({ message: z.string().nullish(), detail: z.string().nullish() }) });

export const serviceNowDestination: DestinationAdapter<ServiceNowConfig> = {
  type: 'servicenow',
  configSchema: serviceNowConfigSchema,
  // Inbound REST rate limits are rules each instance defines (per user, role or all users, counted per hour) and
  // answers with 429 and Retry-After
  // (https://docs.servicenow.com/bundle/washingtondc-api-reference/page/integrate/inbound-rest/concept/inbound-REST-API-rate-limiting.html);
  // there is no published default, so 5 a second is a conservative pace. A trigger makes two requests.
  rateLimit: { requests: 5, perMs: 1000 },
  async deliver(notification, config, ctx): Promise<TransportResult<DeliveryReceipt>> {
    const auth = authorization(config, ctx);
    if (auth.kind !== 'success') return auth;
    const table = `${config.instanceUrl}/api/now/table/incident`;
    const call = (method: string, url: string, body?: unknown) => callServiceNow(ctx.fetch, auth.value, method, url, body);

    if (notification.kind === 'trigger') {
      const correlationId = await serviceNowCorrelationId(notification.alert.dedupKey);
      const query = new URLSearchParams({ sysparm_query: openIncidentQuery(correlationId), sysparm_limit: '1', sysparm_fields: 'sys_id,number' });
      const found = await call('GET', `${table}?${query}`);
      if (found.kind !== 'success') return found;
      const existing = listResult.safeParse(await found.value.json().catch(() => null));
      if (!existing.success) return { kind: 'failure', message: 'ServiceNow answered GET /api/now/table/incident without a result list' };
      const open = existing.data.result[0];
      if (open) return { kind: 'success', value: { externalId: open.sys_id, detail: `reused ${open.number ?? open.sys_id}, the open incident of this alert (correlation_id ${correlationId})` } };

      const created = await call('POST', `${table}?sysparm_fields=sys_id,number`, renderServiceNowIncident(notification, config, correlationId));
      if (created.kind !== 'success') return created;
      const incident = oneResult.safeParse(await created.value.json().catch(() => null));
      if (!incident.success) return { kind: 'failure', message: `ServiceNow answered ${created.value.status} to POST /api/now/table/incident without a sys_id` };
      return { kind: 'success', value: { externalId: incident.data.result.sys_id, detail: `created ${incident.data.result.number ?? incident.data.result.sys_id}` } };
    }

    const sysId = ctx.previous?.externalId;
    if (!sysId) return { kind: 'success', value: { externalId: null, detail: 'no incident to update' } };
    if (!/^[0-9a-f]{32}$/.test(sysId)) return { kind: 'failure', message: `the trigger receipt holds "${sysId.slice(0, 100)}", which is not a ServiceNow sys_id` };
    const body = renderServiceNowUpdate(notification, config);
    const updated = await call('PATCH', `${table}/${sysId}?sysparm_fields=sys_id,number,state`, body);
    if (updated.kind !== 'success') return updated;
    const incident = oneResult.safeParse(await updated.value.json().catch(() => null));
    const name = incident.success ? (incident.data.result.number ?? sysId) : sysId;
    const detail = body.state === incidentState.inProgress ? `set ${name} to In Progress` : `resolved ${name} (close code "${config.resolveCloseCode}")`;
    return { kind: 'success', value: { externalId: sysId, detail: notification.actor ? `${detail} for ${notification.actor.slice(0, 200)}` : detail } };
  },
};

function authorization(config: ServiceNowConfig, ctx: DeliveryContext): TransportResult<string> {
  if (config.oauthTokenSecret) {
    const token = ctx.secret(config.oauthTokenSecret);
    return token ? { kind: 'success', value: `Bearer ${token}` } : missingSecret(config.oauthTokenSecret);
  }
  // The schema guarantees both names are set when no OAuth token is configured.
  const [userName, passwordName] = [config.usernameSecret ?? '', config.passwordSecret ?? ''];
  const user = ctx.secret(userName);
  if (!user) return missingSecret(userName);
  const password = ctx.secret(passwordName);
  if (!password) return missingSecret(passwordName);
  return { kind: 'success', value: basicAuthorization(user, password) };
}



function callServiceNow(fetchImpl: HttpFetch, authorization: string, method: string, url: string, body?: unknown): Promise<TransportResult<Response>> {
  return callJsonApi(fetchImpl, 'ServiceNow', serviceNowErrorText, authorization, method, url, body);
}

/** ServiceNow's `{error: {message, detail}}` as `message: detail`, e.g. `User Not Authenticated: Required to provide Auth information`. */
function serviceNowErrorText(body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const answer = serviceNowErrorSchema.safeParse(parsed);
  if (!answer.success) return null;
  const parts = [answer.data.error.message, answer.data.error.detail].map((p) => p?.trim()).filter(Boolean);
  return parts.length > 0 ? parts.join(': ').slice(0, 500) : null;
}
