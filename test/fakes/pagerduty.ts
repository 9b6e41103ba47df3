/**
 * Loopback fake of PagerDuty's Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/;
 * source text: PagerDuty/developer-docs `docs/events-API-v2/01-Overview.md`, `02-Trigger-Events.md`):
 * `POST /v2/enqueue` with a JSON event. It validates what the documentation states — `routing_key` (32
 * characters, and one this fake knows), `event_action` (trigger | acknowledge | resolve), `dedup_key` ≤ 255,
 * `payload.summary` (required, ≤ 1024), `payload.source` (required), `payload.severity` (critical | error |
 * warning | info), `payload.timestamp` (ISO 8601 when given), `links[].href`, and the 512 KB body limit — and
 * answers 202 `{status: "success", message: "Event processed", dedup_key}` or 400
 * `{status: "invalid event", message: "Event object is invalid", errors: [...]}`.
 *
 * Alerts follow the documented de-duplication: a trigger opens an alert for its dedup_key or adds to the open
 * one; acknowledge and resolve apply to the open alert and are dropped (still 202) when there is none; a
 * trigger after a resolve opens a new alert. A trigger without dedup_key gets a generated one.
 * Admin: POST /__fake/reset, /__fake/alerts (every alert, oldest first), /__fake/fail, GET /__fake/requests.
 */
import { randomUUID } from 'node:crypto';
import { sendJson, startFakeServer, type RunningFake } from './fake-server';

/** The integration key this fake knows (32 characters, as PagerDuty's are). */
export const pagerDutyFakeRoutingKey = 'mantissafakepagerdutyroutingkey1';

export type PagerDutyAlertState = 'triggered' | 'acknowledged' | 'resolved';

export interface PagerDutyFakeAlert {
  dedup_key: string;
  state: PagerDutyAlertState;
  summary: string;
  source: string;
  severity: string;
  component?: string;
  group?: string;
  class?: string;
  custom_details?: unknown;
  links?: unknown;
  client?: string;
  client_url?: string;
  /** Every event applied to this alert, in order. */
  actions: string[];
}

const actions = ['trigger', 'acknowledge', 'resolve'];
const severities = ['critical', 'error', 'warning', 'info'];
const maxBodyBytes = 512 * 1024;

export async function startPagerDutyFake(): Promise<RunningFake> {
  let alerts: PagerDutyFakeAlert[] = [];
  const openAlert = (key: string) => alerts.find((a) => a.dedup_key === key && a.state !== 'resolved');
  const invalid = (res: Parameters<typeof sendJson>[0], errors: string[]) => sendJson(res, 400, { status: 'invalid event', message: 'Event object is invalid', errors });

  return startFakeServer(
    (req, res, url) => {
      if (url.pathname !== '/v2/enqueue' || req.method !== 'POST') return sendJson(res, 404, { status: 'not found', message: 'Not Found' });
      if (Buffer.byteLength(req.body) > maxBodyBytes) return invalid(res, ['Event payload is larger than the 512 KB limit']);
      let event: Record<string, unknown>;
      try {
        const parsed = JSON.parse(req.body) as unknown;
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        event = parsed as Record<string, unknown>;
      } catch {
        return sendJson(res, 400, { status: 'invalid event', message: 'Event object is invalid', errors: ['Could not parse the request body as JSON'] });
      }
      const errors = validateEvent(event);
      if (errors.length > 0) return invalid(res, errors);
      if (event.routing_key !== pagerDutyFakeRoutingKey) return invalid(res, ['Invalid routing key']);

      const action = event.event_action as string;
      const key = typeof event.dedup_key === 'string' && event.dedup_key !== '' ? event.dedup_key : randomUUID().replace(/-/g, '');
      const open = openAlert(key);
      if (action === 'trigger') {
        const payload = event.payload as Record<string, unknown>;
        if (open) open.actions.push('trigger');
        else {
          alerts.push({
            dedup_key: key,
            state: 'triggered',
            summary: payload.summary as string,
            source: payload.source as string,
            severity: payload.severity as string,
            ...pick(payload, ['component', 'group', 'class']),
            custom_details: payload.custom_details,
            links: event.links,
            ...pick(event, ['client', 'client_url']),
            actions: ['trigger'],
          });
        }
      } else if (open) {
        // "While an incident is acknowledged, it won't generate any additional notifications"; resolve closes it.
        open.state = action === 'acknowledge' ? 'acknowledged' : 'resolved';
        open.actions.push(action);
      }
      sendJson(res, 202, { status: 'success', message: 'Event processed', dedup_key: key });
    },
    (action) => {
      if (action === 'reset') alerts = [];
      return action === 'alerts' || action === 'reset' ? alerts : { unknown: action };
    },
  );
}

function validateEvent(event: Record<string, unknown>): string[] {
  const errors: string[] = [];
  if (typeof event.routing_key !== 'string') errors.push("'routing_key' is missing or blank");
  else if (event.routing_key.length !== 32) errors.push("Length of 'routing_key' is incorrect (should be 32 characters)");
  if (typeof event.event_action !== 'string' || !actions.includes(event.event_action)) errors.push("'event_action' is invalid (must be one of trigger, acknowledge, resolve)");
  if (event.dedup_key !== undefined) {
    if (typeof event.dedup_key !== 'string') errors.push("'dedup_key' must be a string");
    else if (event.dedup_key.length > 255) errors.push("'dedup_key' is too long (maximum is 255 characters)");
  }
  if (event.event_action !== 'trigger') {
    if (typeof event.dedup_key !== 'string' || event.dedup_key === '') errors.push("'dedup_key' is required for acknowledge and resolve events");
    return errors;
  }
  const payload = event.payload;
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return [...errors, "'payload' is missing or not an object"];
  const p = payload as Record<string, unknown>;
  if (typeof p.summary !== 'string' || p.summary.trim() === '') errors.push("'payload.summary' is missing or blank");
  else if (p.summary.length > 1024) errors.push("'payload.summary' is too long (maximum is 1024 characters)");
  if (typeof p.source !== 'string' || p.source.trim() === '') errors.push("'payload.source' is missing or blank");
  if (typeof p.severity !== 'string' || !severities.includes(p.severity)) errors.push("'payload.severity' is invalid (must be one of critical, error, warning, info)");
  if (p.timestamp !== undefined && (typeof p.timestamp !== 'string' || Number.isNaN(Date.parse(p.timestamp)))) errors.push("'payload.timestamp' is not a valid ISO 8601 timestamp");
  for (const field of ['component', 'group', 'class'] as const) {
    if (p[field] !== undefined && typeof p[field] !== 'string') errors.push(`'payload.${field}' must be a string`);
  }
  if (p.custom_details !== undefined && (typeof p.custom_details !== 'object' || p.custom_details === null)) errors.push("'payload.custom_details' must be an object");
  if (event.links !== undefined) {
    const links = event.links;
    if (!Array.isArray(links) || links.some((l) => !l || typeof (l as { href?: unknown }).href !== 'string')) errors.push("'links' must be a list of objects with an 'href'");
  }
  return errors;
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => typeof source[k] === 'string').map((k) => [k, source[k] as string]));
}
