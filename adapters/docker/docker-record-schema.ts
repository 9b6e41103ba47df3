/**
 * Docker Engine records, two feeds:
 *
 * - Engine events, from `GET /events` (https://docs.docker.com/reference/api/engine/version/v1.47/#tag/System/operation/SystemEvents)
 *   or `docker events --format '{{json .}}'` (https://docs.docker.com/reference/cli/docker/system/events/):
 *   `{Type, Action, Actor: {ID, Attributes}, scope, time, timeNano}`, plus the deprecated `status`, `id`, `from`
 *   that engines still send for container and image events (and that are all older engines send).
 *   Exec actions carry the command: `"Action": "exec_start: sh -c id"`.
 * - Container log lines of the json-file logging driver (https://docs.docker.com/engine/logging/drivers/json-file/):
 *   `{"log": "…\n", "stream": "stdout" | "stderr", "time": "<RFC 3339 with nanoseconds>", "attrs"?: {…}}`.
 */
import { z } from 'zod';
import { lenient } from '../shared/lenient';

export const engineEventSchema = z.looseObject({
  Type: lenient(z.string()),
  Action: lenient(z.string()),
  Actor: lenient(z.looseObject({ ID: lenient(z.string()), Attributes: lenient(z.record(z.string(), z.unknown())) })),
  scope: lenient(z.string()),
  time: lenient(z.union([z.number(), z.string()])),
  timeNano: lenient(z.union([z.number(), z.string()])),
  status: lenient(z.string()),
  id: lenient(z.string()),
  from: lenient(z.string()),
});
export type EngineEvent = z.infer<typeof engineEventSchema>;

export const jsonFileLogLineSchema = z.looseObject({
  log: lenient(z.string()),
  stream: lenient(z.string()),
  time: lenient(z.string()),
  attrs: lenient(z.record(z.string(), z.unknown())),
});
export type JsonFileLogLine = z.infer<typeof jsonFileLogLineSchema>;

export type DockerRecord = { feed: 'engine_event'; event: EngineEvent } | { feed: 'container_log'; line: JsonFileLogLine };

/** Which feed a record belongs to, by its shape; null when it is neither. */
export function readDockerRecord(record: Record<string, unknown>): DockerRecord | null {
  if ('Type' in record || 'Action' in record || 'Actor' in record || (typeof record.status === 'string' && typeof record.id === 'string')) {
    return { feed: 'engine_event', event: engineEventSchema.parse(record) };
  }
  if (typeof record.log === 'string' && ('stream' in record || 'time' in record)) {
    return { feed: 'container_log', line: jsonFileLogLineSchema.parse(record) };
  }
  return null;
}
