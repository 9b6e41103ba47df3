/**
 * Generic JSON events: any JSON object is one. There is no vendor schema to validate against, so this module
 * is the reading contract instead — which top-level keys (any letter case, plus dotted ECS-style keys written
 * flat) feed which column, in order of precedence, and which nested objects are looked into, one level deep.
 *
 * Invariants:
 * - The search reads each top-level key once (one map lookup, lower-cased only on a miss) and the handful of
 *   nested objects named below; it never walks the object, so its cost does not grow with nesting.
 * - For each column the first candidate (in the order listed) with a usable value wins; a candidate present
 *   but unusable (an unparseable time, a hostname where an IP is wanted) gives way to the next.
 */
import { z } from 'zod';

/** What a record must be: a JSON object. Its values are read by the candidate tables, not by a schema. */
export const jsonEventSchema = z.record(z.string(), z.unknown());
export type JsonEvent = z.infer<typeof jsonEventSchema>;

export const fieldCandidates = {
  time: ['@timestamp', 'timestamp', 'time', 'ts', 'eventtime', 'event_time', 'datetime', 'date', 'created_at', 'createdat'],
  actor: ['user', 'username', 'user_name', 'actor', 'email', 'principal', 'user.name', 'user.email'],
  actorId: ['user_id', 'userid', 'actor_id', 'principal_id', 'user.id'],
  srcIp: ['src_ip', 'source_ip', 'client_ip', 'ip', 'remote_addr', 'sourceipaddress', 'ipaddress', 'srcip', 'clientip', 'remote_ip', 'source.ip', 'client.ip', 'source', 'client'],
  action: ['action', 'event', 'event_type', 'eventname', 'type', 'eventtype', 'event.action'],
  outcome: ['outcome', 'result', 'status', 'success', 'event.outcome', 'event'],
  eventId: ['id', 'event_id', 'uuid', 'eventid', 'event.id', 'event'],
  reason: ['reason', 'error', 'error_message', 'errormessage', 'failure_reason'],
  userAgent: ['user_agent', 'useragent', 'http_user_agent', 'user_agent.original'],
  service: ['service', 'service_name', 'app', 'application', 'service.name'],
  target: ['target', 'resource'],
  session: ['session_id', 'sessionid'],
  message: ['message', 'msg'],
  severity: ['severity', 'level', 'log.level', 'log'],
} as const satisfies Record<string, readonly string[]>;

export type FieldKind = keyof typeof fieldCandidates;

/**
 * Nested objects looked into (one level), by the key that holds them:
 * - `user`, `actor`, `principal` → email, else name, username, login, displayName (actor); id (actor_id)
 * - `event` (ECS) → action, outcome, id
 * - `source`, `client` (ECS) → ip, else address
 * - `outcome` (Okta-like) → result; reason
 * - `error` → message (outcome_reason)
 * - `user_agent` (ECS) → original; `service` → name; `log` (ECS) → level
 * - `target`, `resource` → email, else name, id; type (target_type)
 */
export const personKeys = ['email', 'name', 'username', 'login', 'displayName'] as const;
