/**
 * Docker Engine event or json-file container log line → normalized event. Pure; never throws.
 *
 * Engine events: `action` is `<Type>.<verb>` (`container.start`, `container.exec_start`, `image.pull`), because
 * verbs repeat across object types (`create`, `destroy`, `delete`); the exec command or health status that Docker
 * appends to the verb (`exec_start: sh -c id`) becomes `message`. Docker emits an event after the fact, so an
 * event is a success unless it reports one: `die`/`exec_die` with a non-zero `exitCode`, `oom`, `health_status:
 * unhealthy`. Docker names no user; `target` is the object (container name, image reference, network name).
 * Log lines: `action` is the stream (`stdout`, `stderr`), `message` the line without its newline.
 */
import type { EventDraft, Outcome, ParseContext, ParseResult, RecordParser } from '../../core/schema/event';
import { toIsoMillis } from '../../core/schema/time';
import { isPlainObject } from '../../core/ingest/split-records';
import { finiteNumber, integer, text } from '../shared/lenient';
import { readDockerRecord, type EngineEvent, type JsonFileLogLine } from './docker-record-schema';

export const normalizeDockerRecord: RecordParser = (record, ctx): ParseResult => {
  if (!isPlainObject(record)) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `expected a Docker engine event or json-file log line (a JSON object), got ${Array.isArray(record) ? 'an array' : typeof record}`,
    };
  }
  const docker = readDockerRecord(record);
  if (!docker) {
    return {
      ok: false,
      reason: 'unrecognized_shape',
      message: 'not a Docker record: neither an engine event (Type, Action, Actor, or status with id) nor a json-file log line (log with stream or time)',
    };
  }
  return { ok: true, event: docker.feed === 'engine_event' ? engineEvent(docker.event, ctx) : containerLogLine(docker.line, ctx) };
};

function engineEvent(e: EngineEvent, ctx: ParseContext): EventDraft {
  const rawAction = text(e.Action) ?? text(e.status) ?? 'unknown';
  const colon = rawAction.indexOf(':');
  const verb = colon === -1 ? rawAction : rawAction.slice(0, colon);
  const detail = colon === -1 ? null : text(rawAction.slice(colon + 1));
  // Engines before API 1.22 send only status/id/from, for container events (`from` is the image) and image events.
  const type = text(e.Type) ?? (text(e.from) ? 'container' : null);
  const attributes = e.Actor?.Attributes;
  const exitCode = integer(attributes?.exitCode);
  const outcome = outcomeOf(verb, exitCode, detail);
  const classification = classify(type, verb);
  const time = eventTime(e);

  return {
    event_id: null,
    source: ctx.source,
    event_time: time ?? ctx.ingestTime,
    event_time_inferred: time === null,
    ingest_time: ctx.ingestTime,
    class_uid: classification?.[0] ?? null,
    class_name: classification?.[1] ?? null,
    action: type ? `${type}.${verb}` : verb,
    identity_action: null,
    outcome,
    outcome_reason: outcome === 'failure' ? (exitCode !== null ? `exit code ${exitCode}` : (detail ?? verb)) : null,
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
    // A container's image is the application it runs.
    service: type === 'container' ? (text(attributes?.image) ?? text(e.from)) : null,
    // An image's ID is its full reference (`nginx:1.27`); its `name` attribute drops the tag.
    target: type === 'image' ? (text(e.Actor?.ID) ?? text(attributes?.name)) : (text(attributes?.name) ?? text(e.Actor?.ID) ?? text(e.id)),
    target_type: type,
    // Ties exec_create, exec_start and exec_die of one exec together.
    session_id: text(attributes?.execID),
    mfa_factor: null,
    message: detail,
  };
}

function containerLogLine(line: JsonFileLogLine, ctx: ParseContext): EventDraft {
  const time = toIsoMillis(line.time);
  return {
    event_id: null,
    source: ctx.source,
    event_time: time ?? ctx.ingestTime,
    event_time_inferred: time === null,
    ingest_time: ctx.ingestTime,
    class_uid: null,
    class_name: null,
    action: text(line.stream) ?? 'log',
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
    // json-file lines do not name their container (the file path does); `--log-opt tag`/labels may add attrs.
    target: text(line.attrs?.tag) ?? text(line.attrs?.name),
    target_type: null,
    session_id: null,
    mfa_factor: null,
    message: text(line.log),
  };
}

/** `timeNano` (nanoseconds since the epoch) when present, else `time` (seconds). */
function eventTime(e: EngineEvent): string | null {
  const nanos = finiteNumber(e.timeNano);
  if (nanos !== null) return toIsoMillis(Math.floor(nanos / 1e6));
  return toIsoMillis(finiteNumber(e.time));
}

function outcomeOf(verb: string, exitCode: number | null, detail: string | null): Outcome {
  if (verb === 'die' || verb === 'exec_die') return exitCode === null ? 'unknown' : exitCode === 0 ? 'success' : 'failure';
  if (verb === 'oom') return 'failure';
  if (verb === 'health_status') return detail === 'healthy' ? 'success' : detail === 'unhealthy' ? 'failure' : 'unknown';
  return 'success';
}

const containerLifecycle = new Set(['create', 'start', 'restart', 'stop', 'die', 'kill', 'destroy', 'pause', 'unpause', 'oom', 'update', 'rename']);

/** OCSF: an exec runs a process; a container's lifecycle is an application's (6002). Other objects have no class. */
function classify(type: string | null, verb: string): [number, string] | null {
  if (type !== 'container') return null;
  if (verb.startsWith('exec_')) return [1007, 'Process Activity'];
  return containerLifecycle.has(verb) ? [6002, 'Application Lifecycle'] : null;
}
