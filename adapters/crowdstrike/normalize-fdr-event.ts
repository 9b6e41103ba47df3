/**
 * Falcon Data Replicator event → normalized event. Pure; never throws.
 *
 * Invariants:
 * - `action` is the sensor's `event_simpleName` (or, for streaming-API events replicated through FDR, their
 *   `ExternalApiType`).
 * - `event_time` is when the event happened on the host (`ContextTimeStamp`, a process's `ProcessStartTime`),
 *   else when the cloud received it (`UTCTimestamp`, `timestamp`).
 * - For network events the source is the side that opened the connection: the host for outbound
 *   connections, the remote address for accepted (inbound) ones.
 */
import type { EventDraft, IdentityAction, Outcome, ParseContext } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { ipAddress, principalName, text } from '../shared/lenient';
import { blankEvent, detectionMessage, falconSeverity, ocsf, type OcsfClass } from './event-draft';
import { fdrEventSchema, fdrFields } from './telemetry-schema';

export function normalizeFdrEvent(record: Record<string, unknown>, ctx: ParseContext): EventDraft {
  const fields = fdrFields(record);
  const e = fdrEventSchema.parse(fields);
  const name = text(e.event_simpleName) ?? text(fields.event_simplename) ?? text(e.ExternalApiType) ?? text(fields.fdr_event_type) ?? text(e.name) ?? 'unknown';
  const kind = eventKind(name);
  const time = toIsoMillis(e.ContextTimeStamp) ?? toIsoMillis(e.ProcessStartTime) ?? toIsoMillis(e.UTCTimestamp) ?? toIsoMillis(e.timestamp);
  const host = text(e.ComputerName) ?? text(e.Hostname) ?? text(e.HostnameField);
  const local = ipAddress(e.LocalAddressIP4) ?? ipAddress(e.LocalAddressIP6);
  const remote = ipAddress(e.RemoteAddressIP4) ?? ipAddress(e.RemoteAddressIP6);
  const inbound = name.startsWith('NetworkAccept') || name.startsWith('NetworkReceiveAccept') || String(e.ConnectionDirection) === '1';
  const outcome: Outcome = kind.identity === 'auth_failure' ? 'failure' : kind.identity ? 'success' : 'unknown';
  const sessionId = e.SessionId;
  const event: EventDraft = {
    ...blankEvent(ctx, time, kind.cls),
    event_id: text(e.id) ?? text(e.CompositeId),
    action: name,
    identity_action: kind.identity,
    outcome,
    severity: kind.cls === ocsf.detectionFinding ? falconSeverity(e.SeverityName, e.Severity) : null,
    actor: principalName(e.UserName) ?? principalName(e.UserPrincipal),
    actor_id: text(e.UserSid),
    src_ip: kind.cls === ocsf.networkActivity ? (inbound ? remote : local) : kind.cls === ocsf.authentication ? (remote ?? ipAddress(e.aip)) : ipAddress(e.aip),
    session_id: typeof sessionId === 'number' ? String(sessionId) : text(sessionId),
    message: kind.cls === ocsf.detectionFinding ? detectionMessage(text(e.Name), text(e.Description)) : text(e.CommandLine),
  };
  switch (kind.cls) {
    case ocsf.dnsActivity: {
      const domain = text(e.DomainName);
      return { ...event, target: domain?.endsWith('.') ? domain.slice(0, -1) : domain, target_type: domain ? 'domain' : null };
    }
    case ocsf.networkActivity: {
      const peer = inbound ? local : remote;
      return { ...event, target: peer, target_type: peer ? 'ip' : null };
    }
    case ocsf.processActivity: {
      const image = text(e.ImageFileName);
      return { ...event, target: image, target_type: image ? 'process' : null };
    }
    default:
      return { ...event, target: host, target_type: host ? 'device' : null };
  }
}

interface EventKind {
  cls: OcsfClass | null;
  identity: IdentityAction | null;
}

const logonIdentity: Record<string, IdentityAction> = {
  UserLogon: 'auth_success',
  UserLogonFailed: 'auth_failure',
  UserLogonFailed2: 'auth_failure',
  UserLogoff: 'session_end',
};

/** OCSF class and identity action of an FDR event name. */
function eventKind(name: string): EventKind {
  const identity = logonIdentity[name];
  if (identity) return { cls: ocsf.authentication, identity };
  if (name.startsWith('ProcessRollup') || name === 'SyntheticProcessRollup2' || name === 'EndOfProcess') return { cls: ocsf.processActivity, identity: null };
  if (name === 'DnsRequest' || name === 'SuspiciousDnsRequest') return { cls: ocsf.dnsActivity, identity: null };
  if (name.startsWith('Network')) return { cls: ocsf.networkActivity, identity: null };
  if (name.endsWith('DetectionSummaryEvent') || name.endsWith('DetectionSummary')) return { cls: ocsf.detectionFinding, identity: null };
  if (name.endsWith('Written') || name.startsWith('FileDelete') || name.startsWith('FileOpen')) return { cls: ocsf.fileSystemActivity, identity: null };
  return { cls: null, identity: null };
}
