/**
 * The normalized event: one row of the `events` table, whatever the source.
 *
 * Invariants:
 * - Every field but the ids, `source`, `event_time`, `ingest_time`, `action`, `outcome` and `raw` may be null:
 *   a parser fills what the vendor gives and never invents a value.
 * - Times are UTC ISO-8601 with milliseconds (`2026-11-27T16:18:41.000Z`) so that text comparison orders them.
 * - `raw` is the vendor's event exactly as received (JSON text), so rules written against vendor field names
 *   still match through `json_extract(raw, '$.path')`.
 * - `actor` is the human-meaningful principal (an email or login, lower-cased when it is an email);
 *   `actor_id` is the vendor's stable id for it.
 */
import { z } from 'zod';

export const sourceIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'source ids are lower_snake_case, e.g. okta, entra_id, cloudtrail');
export type SourceId = z.infer<typeof sourceIdSchema>;

export const outcomes = ['success', 'failure', 'unknown'] as const;
export type Outcome = (typeof outcomes)[number];

export const severities = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

/**
 * Identity view: what an identity-provider event means for the account, shared by every provider.
 * Null for events that are not about an identity's authentication, session, factors or privileges.
 */
export const identityActions = [
  'auth_success',
  'auth_failure',
  'mfa_challenge',
  'mfa_accept',
  'mfa_deny',
  'session_start',
  'session_end',
  'privilege_grant',
  'privilege_revoke',
  'account_create',
  'account_enable',
  'account_disable',
  'account_delete',
  'password_change',
  'password_reset',
  'token_issue',
  'token_revoke',
  'oauth_consent',
  'factor_enroll',
  'factor_remove',
] as const;
export type IdentityAction = (typeof identityActions)[number];

const isoTime = z.iso.datetime({ offset: false, precision: 3 });

export const normalizedEventSchema = z.object({
  /** The vendor's own event id, or a content hash when the vendor gives none. Not unique across sources. */
  event_id: z.string().min(1),
  source: sourceIdSchema,
  event_time: isoTime,
  /** True when the vendor's event carried no usable time and `event_time` is the time we received it. */
  event_time_inferred: z.boolean(),
  ingest_time: isoTime,
  /** OCSF class (https://schema.ocsf.io/classes): 3002 Authentication, 3001 Account Change, 6003 API Activity… */
  class_uid: z.number().int().nullable(),
  class_name: z.string().nullable(),
  /** The vendor's name for what happened: Okta `eventType`, CloudTrail `eventName`. */
  action: z.string().min(1),
  identity_action: z.enum(identityActions).nullable(),
  outcome: z.enum(outcomes),
  outcome_reason: z.string().nullable(),
  severity: z.enum(severities).nullable(),
  actor: z.string().nullable(),
  actor_id: z.string().nullable(),
  actor_name: z.string().nullable(),
  actor_type: z.string().nullable(),
  src_ip: z.string().nullable(),
  src_country: z.string().nullable(),
  src_region: z.string().nullable(),
  src_city: z.string().nullable(),
  src_lat: z.number().nullable(),
  src_lon: z.number().nullable(),
  src_asn: z.number().int().nullable(),
  src_asn_org: z.string().nullable(),
  user_agent: z.string().nullable(),
  /** The service or application acted on: `s3.amazonaws.com`, an Okta app name. */
  service: z.string().nullable(),
  target: z.string().nullable(),
  target_type: z.string().nullable(),
  session_id: z.string().nullable(),
  mfa_factor: z.string().nullable(),
  message: z.string().nullable(),
  raw: z.string(),
});
export type NormalizedEvent = z.infer<typeof normalizedEventSchema>;

/** Column order of the `events` table (after the storage key `event_uid`), as written by the repository. */
export const eventColumns = Object.keys(normalizedEventSchema.shape) as (keyof NormalizedEvent)[];

/**
 * What a parser makes of one record: a normalized event whose `event_id` may be null when the vendor gave
 * none (the ingest pipeline then derives one from the record's content, which needs an async hash), and
 * whose `raw` may be left out for JSON records: the pipeline then stores the record's text as received.
 * Parsers of text formats (syslog lines, CSV rows) set `raw` to a JSON object of the vendor's native fields,
 * so that rules written against vendor field names can read them with json_extract.
 */
export type EventDraft = Omit<NormalizedEvent, 'event_id' | 'raw'> & { event_id: string | null; raw?: string };

/** What a parser returns for one input record: never throws, a bad record is an error value. */
export type ParseResult =
  | { ok: true; event: EventDraft }
  | { ok: false; reason: 'invalid_json' | 'not_an_object' | 'unrecognized_shape' | 'invalid_field'; message: string };

/** Context every parser receives: the source id it runs for and when the batch arrived. */
export interface ParseContext {
  readonly source: SourceId;
  readonly ingestTime: string;
}

/** A source's parser: pure, one decoded JSON record in, one normalized event or an error out. */
export type RecordParser = (record: unknown, ctx: ParseContext) => ParseResult;
