/**
 * Salesforce EventLogFile row (CSV line or pipeline-parsed JSON) → normalized event. Pure; never throws.
 *
 * Invariants:
 * - A CSV row (every value a string, as the CSV reader delivers it) gets `raw` = its columns as JSON, so rules
 *   can read `$.EVENT_TYPE`, `$.LOGIN_STATUS`… A JSON row leaves `raw` to the pipeline; a JSON row that
 *   happens to hold only strings gets the same object re-serialized, which is the same data.
 * - Login rows succeed only with `LOGIN_STATUS = LOGIN_NO_ERROR`; other rows use REQUEST_STATUS (S success;
 *   F, A, N failure), SUCCESS (1/0) or the HTTP STATUS_CODE, in that order; LoginAs and Logout rows without
 *   any of these are successes (the row exists because the session began or ended).
 * - LoginAs is read as the start of an impersonation session: the actor is the administrator
 *   (DELEGATED_USER_*), the target the user logged in as (USER_ID).
 */
import type { EventDraft, IdentityAction, Outcome, ParseContext } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { ipAddress, principalName, text } from '../shared/lenient';
import { blankEvent, ocsf, type OcsfClass } from './event-draft';
import { eventLogFileRowSchema, expandCompactTimestamp, type EventLogFileRow } from './event-log-file-schema';

export function normalizeEventLogFileRow(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const r = eventLogFileRowSchema.parse(record);
  const eventType = text(r.EVENT_TYPE) ?? 'unknown';
  const time = toIsoMillis(r.TIMESTAMP_DERIVED) ?? toIsoMillis(expandCompactTimestamp(r.TIMESTAMP));
  const isLogin = eventType === 'Login';
  const outcome = rowOutcome(r, eventType);
  const identity = rowIdentity(eventType, outcome);
  const loginAs = eventType === 'LoginAs';
  const event: EventDraft = {
    ...blankEvent(ctx, time, classOf(eventType)),
    event_id: text(r.REQUEST_ID),
    action: eventType,
    identity_action: identity,
    outcome,
    outcome_reason: isLogin ? text(r.LOGIN_STATUS) : text(r.EXCEPTION_MESSAGE),
    actor: loginAs
      ? principalName(r.DELEGATED_USER_NAME) ?? text(r.DELEGATED_USER_ID_DERIVED) ?? text(r.DELEGATED_USER_ID)
      : principalName(r.USER_NAME) ?? text(r.USER_ID_DERIVED) ?? text(r.USER_ID),
    actor_id: loginAs ? text(r.DELEGATED_USER_ID_DERIVED) ?? text(r.DELEGATED_USER_ID) : text(r.USER_ID_DERIVED) ?? text(r.USER_ID),
    actor_type: loginAs ? null : text(r.USER_TYPE),
    src_ip: ipAddress(r.SOURCE_IP) ?? ipAddress(r.CLIENT_IP),
    user_agent: userAgent(r.USER_AGENT) ?? userAgent(r.BROWSER_TYPE),
    service: text(r.CLIENT_NAME) ?? text(r.CONNECTED_APP_ID) ?? text(r.API_TYPE),
    session_id: text(r.SESSION_KEY) ?? text(r.LOGIN_KEY),
    mfa_factor: text(r.AUTHENTICATION_METHOD_REFERENCE),
    message: text(r.QUERY),
    ...rowTarget(r, eventType),
  };
  if (everyValueIsText(record)) event.raw = JSON.stringify(record);
  return event;
}

function rowOutcome(r: EventLogFileRow, eventType: string): Outcome {
  if (eventType === 'Login') {
    const status = text(r.LOGIN_STATUS);
    return status === null ? 'unknown' : status === 'LOGIN_NO_ERROR' ? 'success' : 'failure';
  }
  switch (text(r.REQUEST_STATUS)) {
    case 'S':
    case 'Success':
      return 'success';
    case 'F':
    case 'A':
    case 'N':
      return 'failure';
  }
  const success = typeof r.SUCCESS === 'string' ? r.SUCCESS.trim() : r.SUCCESS;
  if (success === '1' || success === 1 || success === true) return 'success';
  if (success === '0' || success === 0 || success === false) return 'failure';
  const status = Number(r.STATUS_CODE);
  if (Number.isInteger(status) && status >= 200 && status < 600) return status < 400 ? 'success' : 'failure';
  // A LoginAs or Logout row is written only once the session began or ended.
  return eventType === 'LoginAs' || eventType === 'Logout' ? 'success' : 'unknown';
}

function rowIdentity(eventType: string, outcome: Outcome): IdentityAction | null {
  switch (eventType) {
    case 'Login':
      return outcome === 'success' ? 'auth_success' : outcome === 'failure' ? 'auth_failure' : null;
    case 'LoginAs':
      return 'session_start';
    case 'Logout':
      return 'session_end';
    default:
      return null;
  }
}

const apiEventTypes = new Set([
  'API',
  'ApiTotalUsage',
  'RestApi',
  'ApexRestApi',
  'ApexSoap',
  'ApexCallout',
  'BulkApi',
  'BulkApi2',
  'BulkApiRequest',
  'MetadataApiOperation',
  'AsyncReportRun',
]);
const webEventTypes = new Set([
  'URI',
  'LightningPageView',
  'LightningInteraction',
  'Report',
  'ReportExport',
  'Dashboard',
  'ContentTransfer',
  'ContentDistribution',
  'DocumentAttachmentDownloads',
  'VisualforceRequest',
]);

function classOf(eventType: string): OcsfClass | null {
  if (eventType === 'Login' || eventType === 'LoginAs' || eventType === 'Logout') return ocsf.authentication;
  if (apiEventTypes.has(eventType)) return ocsf.apiActivity;
  if (webEventTypes.has(eventType)) return ocsf.webResources;
  return null;
}

function rowTarget(r: EventLogFileRow, eventType: string): Pick<EventDraft, 'target' | 'target_type'> {
  if (eventType === 'LoginAs') {
    const user = principalName(r.USER_NAME) ?? text(r.USER_ID_DERIVED) ?? text(r.USER_ID);
    return { target: user, target_type: user ? 'user' : null };
  }
  if (eventType === 'Login' || eventType === 'Logout') return { target: null, target_type: null };
  // ApexCallout names the external endpoint in URL; its URI is Salesforce's internal CALLOUT-LOG.
  const url = text(r.URL);
  if (url) return { target: url, target_type: 'url' };
  const uri = text(r.URI);
  if (uri) return { target: uri, target_type: 'uri' };
  const entity = text(r.ENTITY_NAME);
  return { target: entity, target_type: entity ? 'entity' : null };
}

/** Some event types put a numeric client code in USER_AGENT / BROWSER_TYPE instead of the header. */
function userAgent(value: unknown): string | null {
  const s = text(value);
  return s === null || /^\d+$/.test(s) ? null : s;
}

function everyValueIsText(record: Record<string, unknown>): boolean {
  for (const key in record) if (typeof record[key] !== 'string') return false;
  return true;
}
