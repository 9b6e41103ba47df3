/**
 * Cloudflare Logpush record → normalized event. Pure; never throws. The dataset is detected from the record's
 * fields (logpush-schema.ts, detectLogpushDataset), then the record is read with that dataset's schema — one
 * lenient parse per record.
 *
 * Invariants:
 * - `action` is `<dataset>` or `<dataset>.<the dataset's own verb>` (`firewall_events.block`,
 *   `access_requests.login`, `gateway_dns.blockedByCategory`): Logpush records carry no event name and no
 *   dataset name, and the verbs collide across datasets, so the prefix is what tells a rule which feed it is.
 * - A block or challenge is `outcome: failure` with the verb (and the rule or policy) as `outcome_reason`.
 * - Country codes are upper-cased: http_requests sends `us`, Gateway sends `US`; rules compare them.
 */
import type { EventDraft, IdentityAction, Outcome, ParseResult, RecordParser } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { finiteNumber, integer, ipAddress, principalName, text } from '../shared/lenient';
import {
  detectLogpushDataset,
  readLogpushRecord,
  type AccessRequestRecord,
  type AuditLogRecord,
  type FirewallEventRecord,
  type GatewayDnsRecord,
  type GatewayHttpRecord,
  type GatewayNetworkRecord,
  type HttpRequestRecord,
} from './logpush-schema';

type Fields = Omit<EventDraft, 'source' | 'event_time' | 'event_time_inferred' | 'ingest_time'>;

const empty: Fields = {
  event_id: null,
  class_uid: null,
  class_name: null,
  action: 'unknown',
  identity_action: null,
  outcome: 'unknown',
  outcome_reason: null,
  severity: null,
  actor: null,
  actor_id: null,
  actor_name: null,
  actor_type: null,
  src_ip: null,
  src_country: null,
  src_region: null,
  src_city: null,
  src_lat: null,
  src_lon: null,
  src_asn: null,
  src_asn_org: null,
  user_agent: null,
  service: null,
  target: null,
  target_type: null,
  session_id: null,
  mfa_factor: null,
  message: null,
};

export const normalizeLogpushRecord: RecordParser = (value, ctx): ParseResult => {
  if (!isPlainObject(value)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a Cloudflare Logpush record (a JSON object), got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`,
    };
  }
  const detected = detectLogpushDataset(value);
  if (!detected) {
    return {
      ok: false,
      reason: 'unrecognized_shape',
      message:
        'not a Cloudflare Logpush record of a supported dataset: it has none of the fields of http_requests (RayID, ClientIP, EdgeStartTimestamp…), ' +
        'firewall_events (Kind, RuleID, Datetime…), access_requests (AppDomain, CreatedAt…), gateway_dns/http/network (QueryName, URL, SourceIP…) or audit_logs (ActionType, ActorEmail, When…)',
    };
  }
  const { dataset, record } = detected;
  let fields: Fields;
  let time: unknown;
  switch (dataset) {
    case 'http_requests': {
      const r = readLogpushRecord(dataset, record);
      fields = httpRequest(r);
      time = r.EdgeStartTimestamp ?? r.EdgeEndTimestamp;
      break;
    }
    case 'firewall_events': {
      const r = readLogpushRecord(dataset, record);
      fields = firewallEvent(r);
      time = r.Datetime;
      break;
    }
    case 'access_requests': {
      const r = readLogpushRecord(dataset, record);
      fields = accessRequest(r);
      time = r.CreatedAt;
      break;
    }
    case 'gateway_dns': {
      const r = readLogpushRecord(dataset, record);
      fields = gatewayDns(r);
      time = r.Datetime;
      break;
    }
    case 'gateway_http': {
      const r = readLogpushRecord(dataset, record);
      fields = gatewayHttp(r);
      time = r.Datetime;
      break;
    }
    case 'gateway_network': {
      const r = readLogpushRecord(dataset, record);
      fields = gatewayNetwork(r);
      time = r.Datetime;
      break;
    }
    case 'audit_logs': {
      const r = readLogpushRecord(dataset, record);
      fields = auditLog(r);
      time = r.When ?? r.ActionTimestamp;
      break;
    }
  }
  const eventTime = logpushTime(time);
  const event: EventDraft = {
    ...fields,
    source: ctx.source,
    event_time: eventTime ?? ctx.ingestTime,
    event_time_inferred: eventTime === null,
    ingest_time: ctx.ingestTime,
  };
  return { ok: true, event };
};

/**
 * Logpush timestamps per the job's `timestamp_format`: Unix nanoseconds (default, 19 digits), Unix seconds,
 * RFC 3339 text; milli- and microseconds are read too. Nanoseconds exceed a double's integer precision, which
 * costs nothing at millisecond resolution.
 */
export function logpushTime(value: unknown): string | null {
  if (typeof value === 'number') return toIsoMillis(epochToMillisOrSeconds(value));
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (s.length >= 14 && s.length <= 19 && /^\d+$/.test(s)) return toIsoMillis(epochToMillisOrSeconds(Number(s)));
  return toIsoMillis(s);
}

/** toIsoMillis reads seconds and milliseconds; nano- and microseconds are scaled to milliseconds first. */
function epochToMillisOrSeconds(n: number): number {
  if (n >= 1e17) return n / 1e6;
  if (n >= 1e14) return n / 1e3;
  return n;
}

function action(dataset: string, verb: string | null): string {
  return verb ? `${dataset}.${verb}` : dataset;
}

function country(value: unknown): string | null {
  const s = text(value);
  return s && s.length <= 3 ? s.toUpperCase() : s;
}

/** Cloudflare security verbs (firewall_events Action, http_requests SecurityAction) → outcome of the request. */
export function securityOutcome(verb: string | null): Outcome {
  if (!verb) return 'unknown';
  const v = verb.toLowerCase();
  // challengeSolved, jschallengeBypassed, managedChallengeSkipped…: the visitor got through
  if (v.endsWith('solved') || v.endsWith('bypassed') || v.endsWith('skipped')) return 'success';
  if (v === 'allow' || v === 'bypass' || v === 'log' || v === 'skip' || v === 'rewrite') return 'success';
  if (v.includes('block') || v.includes('challenge') || v.includes('connectionclose') || v.endsWith('failed') || v === 'drop' || v.endsWith('issued')) {
    return 'failure';
  }
  return 'unknown';
}

/** Gateway verbs (Action, ResolverDecision: `block`, `blockedByCategory`, `allowedOnNoPolicyMatch`…). */
function gatewayOutcome(verb: string | null): Outcome {
  if (!verb) return 'unknown';
  const v = verb.toLowerCase();
  if (v.startsWith('block') || v === 'drop' || v.includes('refused')) return 'failure';
  if (v.startsWith('allow') || v.startsWith('override') || v === 'isolate' || v === 'noscan' || v === 'bypass' || v === 'noisolate' || v.startsWith('resolved')) {
    return 'success';
  }
  return 'unknown';
}

function reasonFor(outcome: Outcome, verb: string | null, by: string | null): string | null {
  if (outcome !== 'failure' || !verb) return null;
  return by ? `${verb} by ${by}` : verb;
}

function httpStatusOutcome(status: number | null): Outcome {
  if (status === null || status <= 0) return 'unknown';
  return status < 400 ? 'success' : 'failure';
}

function httpRequest(r: HttpRequestRecord): Fields {
  const verb = meaningful(text(r.SecurityAction)) ?? meaningful(text(r.WAFAction));
  const security = securityOutcome(verb);
  const status = integer(r.EdgeResponseStatus);
  const outcome = security === 'failure' ? 'failure' : httpStatusOutcome(status);
  const ruleName = text(r.SecurityRuleDescription) ?? text(r.WAFRuleMessage);
  const ruleId = text(r.SecurityRuleID);
  const rule = ruleName ? `rule "${ruleName}"` : ruleId ? `rule ${ruleId}` : null;
  const host = text(r.ClientRequestHost);
  const path = text(r.ClientRequestURI) ?? text(r.ClientRequestPath);
  const method = text(r.ClientRequestMethod);
  return {
    ...empty,
    event_id: text(r.RayID),
    class_uid: 4002,
    class_name: 'HTTP Activity',
    action: action('http_requests', verb),
    outcome,
    outcome_reason: security === 'failure' ? reasonFor('failure', verb, rule) : outcome === 'failure' ? `HTTP ${status}` : null,
    src_ip: ipAddress(r.ClientIP),
    src_country: country(r.ClientCountry),
    src_region: text(r.ClientRegionCode),
    src_city: text(r.ClientCity),
    src_lat: finiteNumber(r.ClientLatitude),
    src_lon: finiteNumber(r.ClientLongitude),
    src_asn: integer(r.ClientASN),
    user_agent: text(r.ClientRequestUserAgent),
    service: host,
    target: path,
    target_type: path ? 'url_path' : null,
    message: method && path ? `${method} ${host ?? ''}${path}${status !== null ? ` → ${status}` : ''}` : null,
  };
}

/** `unknown` and empty verbs mean "no security action" in http_requests. */
function meaningful(verb: string | null): string | null {
  return verb && verb.toLowerCase() !== 'unknown' ? verb : null;
}

function firewallEvent(r: FirewallEventRecord): Fields {
  const verb = text(r.Action);
  const outcome = securityOutcome(verb);
  const source = text(r.Source);
  const rule = text(r.RuleID);
  const by = source && rule ? `${source} rule ${rule}` : source ?? (rule ? `rule ${rule}` : null);
  const path = text(r.ClientRequestPath);
  const query = text(r.ClientRequestQuery);
  return {
    ...empty,
    event_id: text(r.RayID),
    // A firewall event is a security rule's match on a request (one per matching rule, MatchIndex ordering
    // them), not the request itself — that is http_requests, joined on RayID.
    class_uid: 2004,
    class_name: 'Detection Finding',
    action: action('firewall_events', verb),
    outcome,
    outcome_reason: reasonFor(outcome, verb, by),
    src_ip: ipAddress(r.ClientIP),
    src_country: country(r.ClientCountry),
    src_asn: integer(r.ClientASN),
    src_asn_org: text(r.ClientASNDescription),
    user_agent: text(r.ClientRequestUserAgent),
    service: text(r.ClientRequestHost),
    target: path ? (query ? `${path}${query.startsWith('?') ? '' : '?'}${query}` : path) : null,
    target_type: path ? 'url_path' : null,
    message: text(r.Description),
  };
}

function accessRequest(r: AccessRequestRecord): Fields {
  const verb = text(r.Action);
  const allowed = flag(r.Allowed);
  const isLogout = verb?.toLowerCase() === 'logout';
  let identity: IdentityAction | null = null;
  let outcome: Outcome = 'unknown';
  if (isLogout) {
    identity = 'session_end';
    outcome = allowed === false ? 'failure' : 'success';
  } else if (allowed !== null) {
    identity = allowed ? 'auth_success' : 'auth_failure';
    outcome = allowed ? 'success' : 'failure';
  }
  return {
    ...empty,
    event_id: text(r.RayID),
    class_uid: 3002,
    class_name: 'Authentication',
    action: action('access_requests', verb),
    identity_action: identity,
    outcome,
    outcome_reason: outcome === 'failure' ? 'denied by Access policy (Allowed: false)' : null,
    actor: principalName(r.Email),
    actor_id: text(r.UserUID),
    src_ip: ipAddress(r.IPAddress),
    src_country: country(r.Country),
    service: text(r.AppDomain),
    target: text(r.AppUUID),
    target_type: text(r.AppUUID) ? 'access_application' : null,
  };
}

function gatewayDns(r: GatewayDnsRecord): Fields {
  const verb = text(r.ResolverDecision) ?? text(r.Action);
  const outcome = gatewayOutcome(verb);
  return {
    ...empty,
    event_id: text(r.QueryID),
    class_uid: 4003,
    class_name: 'DNS Activity',
    action: action('gateway_dns', verb),
    outcome,
    outcome_reason: reasonFor(outcome, verb, policyName(r.PolicyName)),
    actor: principalName(r.Email),
    actor_id: text(r.UserID),
    src_ip: ipAddress(r.SrcIP),
    src_country: country(r.SrcIPCountryCode),
    target: text(r.QueryName),
    target_type: text(r.QueryName) ? 'domain' : null,
    message: text(r.QueryName) ? `${text(r.QueryTypeName) ?? 'DNS'} ${text(r.QueryName)}` : null,
  };
}

function gatewayHttp(r: GatewayHttpRecord): Fields {
  const verb = text(r.Action);
  const outcome = gatewayOutcome(verb);
  const status = integer(r.HTTPStatusCode);
  return {
    ...empty,
    event_id: text(r.RequestID),
    class_uid: 4002,
    class_name: 'HTTP Activity',
    action: action('gateway_http', verb),
    outcome,
    outcome_reason: reasonFor(outcome, verb, text(r.BlockedFileName) ? `file ${text(r.BlockedFileName)} (${text(r.BlockedFileReason) ?? 'blocked'})` : policyName(r.PolicyName)),
    actor: principalName(r.Email),
    actor_id: text(r.UserID),
    src_ip: ipAddress(r.SourceIP),
    src_country: country(r.SourceIPCountryCode),
    user_agent: text(r.UserAgent),
    service: text(r.HTTPHost),
    target: text(r.URL),
    target_type: text(r.URL) ? 'url' : null,
    session_id: text(r.SessionID),
    message: text(r.HTTPMethod) && text(r.URL) ? `${text(r.HTTPMethod)} ${text(r.URL)}${status ? ` → ${status}` : ''}` : null,
  };
}

function gatewayNetwork(r: GatewayNetworkRecord): Fields {
  const verb = text(r.Action);
  const outcome = gatewayOutcome(verb);
  const destination = ipAddress(r.DestinationIP);
  const port = integer(r.DestinationPort);
  return {
    ...empty,
    event_id: text(r.SessionID),
    class_uid: 4001,
    class_name: 'Network Activity',
    action: action('gateway_network', verb),
    outcome,
    outcome_reason: reasonFor(outcome, verb, policyName(r.PolicyName)),
    actor: principalName(r.Email),
    actor_id: text(r.UserID),
    src_ip: ipAddress(r.SourceIP),
    src_country: country(r.SourceIPCountryCode),
    service: text(r.SNI),
    target: destination ? (port !== null ? `${destination.includes(':') ? `[${destination}]` : destination}:${port}` : destination) : null,
    target_type: destination ? 'network_endpoint' : null,
    session_id: text(r.SessionID),
    message: text(r.TransportProtocol) && destination ? `${text(r.TransportProtocol)} to ${destination}${port !== null ? ` port ${port}` : ''}` : null,
  };
}

function auditLog(r: AuditLogRecord): Fields {
  const verb = text(r.ActionType);
  const result = auditResult(r.ActionResult);
  const type = verb?.toLowerCase();
  let identity: IdentityAction | null = null;
  if (type === 'login' && result !== 'unknown') identity = result === 'success' ? 'auth_success' : 'auth_failure';
  if (type === 'logout') identity = 'session_end';
  const resourceType = text(r.ResourceType);
  return {
    ...empty,
    event_id: text(r.ID) ?? text(r.AuditLogID),
    class_uid: identity ? 3002 : 6003,
    class_name: identity ? 'Authentication' : 'API Activity',
    action: action('audit_logs', verb),
    identity_action: identity,
    outcome: result,
    actor: principalName(r.ActorEmail),
    actor_id: text(r.ActorID),
    actor_type: text(r.ActorType),
    src_ip: ipAddress(r.ActorIP) ?? ipAddress(r.ActorIPAddress),
    service: text(r.ResourceProduct),
    target: text(r.ResourceID),
    target_type: resourceType,
    message: text(r.ActionDescription),
  };
}

function auditResult(value: unknown): Outcome {
  const v = flag(value);
  if (v !== null) return v ? 'success' : 'failure';
  const s = text(value)?.toLowerCase();
  if (s === 'success' || s === 'succeeded') return 'success';
  if (s === 'failure' || s === 'failed') return 'failure';
  return 'unknown';
}

function flag(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  const s = text(value)?.toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  return null;
}

function policyName(value: unknown): string | null {
  const name = text(value);
  return name ? `policy "${name}"` : null;
}
