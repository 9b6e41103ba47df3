/**
 * Rebuild of ITDR state from the lake's events table (`POST /api/identity/rebuild`, `mantissa itdr rebuild`),
 * one bounded page per call so no request outlives its limits:
 *   1. reset — empty the persons' Durable Objects (all persons: page by page over `identity_users`, plus the
 *      org-wide object; one person: that object), and zero their risk rows;
 *   2. replay — page through the identity events in event-time order (keyset on (event_time, event_uid)) and
 *      feed them through the same path as ingest (feed-identity.ts).
 * The cursor carries the phase, the position and the counts, so the caller just sends it back.
 *
 * A single person's rebuild replays that person's own events; detections made by the org-wide detectors
 * (password spray, credential stuffing: many persons at once) are restored only by a rebuild of everyone.
 * Alerts and identity incidents are not duplicated: detection ids are stable, and hits are counted once.
 */
import { z } from 'zod';
import { summarizeIdentityEvent, type IdentityEventSummary } from '../../core/identity/identity-event';
import { canonicalAccount } from '../../core/itdr/resolve';
import type { NormalizedEvent } from '../../core/schema/event';
import type { Env } from '../env';
import { feedIdentityEvents, orgStub, personStub } from './feed-identity';
import { readItdrConfig } from './itdr-config';

export const rebuildRequestSchema = z.strictObject({
  user: z.string().trim().min(1).max(320).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().max(2000).nullable().optional(),
  pageSize: z.number().int().min(1).max(5000).default(1000),
});
export type RebuildRequest = z.infer<typeof rebuildRequestSchema>;

const cursorSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('reset'), after: z.string(), reset: z.number().int() }),
  z.object({
    phase: z.literal('replay'),
    after: z.tuple([z.string(), z.string()]).nullable(),
    reset: z.number().int(),
    replayed: z.number().int(),
    total: z.number().int(),
    detections: z.number().int(),
  }),
]);
type Cursor = z.infer<typeof cursorSchema>;

export interface RebuildPage {
  phase: 'reset' | 'replay' | 'done';
  persons: number;
  reset: number;
  replayed: number;
  total: number;
  detections: number;
  cursor: string | null;
  done: boolean;
}

export class RebuildCursorError extends Error {
  override readonly name = 'RebuildCursorError';
}

const resetPage = 200;
const eventColumns = `event_uid, source, event_time, action, identity_action, outcome, outcome_reason, actor, actor_id, src_ip, src_country,
  src_region, src_city, src_lat, src_lon, src_asn, src_asn_org, user_agent, service, target, target_type, session_id, mfa_factor`;

export async function rebuildPage(env: Env, request: RebuildRequest, now: Date): Promise<RebuildPage> {
  const config = readItdrConfig(env);
  const person = request.user === undefined ? null : canonicalAccount(request.user, config.identity);
  const since = request.since ? new Date(request.since).toISOString() : '';
  const cursor = request.cursor ? decodeCursor(request.cursor) : null;

  if (cursor === null || cursor.phase === 'reset') {
    if (person !== null) {
      await personStub(env, person).reset();
      await env.DB.prepare(
        `UPDATE identity_users SET risk_score = 0, risk_level = 'none', detection_count = 0, last_detection_kind = NULL, last_detection_at = NULL,
                stages = '[]', updated_at = ?2 WHERE person = ?1`,
      )
        .bind(person, now.toISOString())
        .run();
      return replayStart(env, person, since, 1);
    }
    if (cursor === null) await orgStub(env).reset();
    const after = cursor?.after ?? '';
    const { results } = await env.DB.prepare('SELECT person FROM identity_users WHERE person > ?1 ORDER BY person LIMIT ?2')
      .bind(after, resetPage)
      .all<{ person: string }>();
    for (let i = 0; i < results.length; i += 32) {
      await Promise.all(results.slice(i, i + 32).map((r) => personStub(env, r.person).reset()));
    }
    if (results.length > 0) {
      await env.DB.prepare(
        `UPDATE identity_users SET risk_score = 0, risk_level = 'none', detection_count = 0, last_detection_kind = NULL, last_detection_at = NULL,
                stages = '[]', updated_at = ?3 WHERE person > ?1 AND person <= ?2`,
      )
        .bind(after, results.at(-1)!.person, now.toISOString())
        .run();
    }
    const reset = (cursor?.reset ?? 0) + results.length;
    if (results.length === resetPage) {
      const persons = await countPersons(env);
      return { phase: 'reset', persons, reset, replayed: 0, total: 0, detections: 0, cursor: encodeCursor({ phase: 'reset', after: results.at(-1)!.person, reset }), done: false };
    }
    return replayStart(env, null, since, reset);
  }

  // Replay one page.
  const filter = await personFilter(env, person);
  const { results } = await env.DB.prepare(
    `SELECT ${eventColumns} FROM events
      WHERE identity_action IS NOT NULL AND event_time >= ?1 AND (?2 IS NULL OR (event_time, event_uid) > (?2, ?3))
        AND (?4 IS NULL OR lower(actor) IN (SELECT value FROM json_each(?4)) OR lower(target) IN (SELECT value FROM json_each(?4)))
      ORDER BY event_time, event_uid
      LIMIT ?5`,
  )
    .bind(since, cursor.after?.[0] ?? null, cursor.after?.[1] ?? null, filter, request.pageSize)
    .all<Record<string, unknown>>();
  const summaries = results.flatMap((row) => {
    const summary = summaryOfRow(row);
    return summary ? [summary] : [];
  });
  const fed = await feedIdentityEvents(env, summaries, now, person === null ? {} : { onlyPerson: person });
  const last = results.at(-1);
  const replayed = cursor.replayed + results.length;
  const detections = cursor.detections + fed.detections;
  const done = results.length < request.pageSize;
  const persons = person === null ? await countPersons(env) : 1;
  return {
    phase: done ? 'done' : 'replay',
    persons,
    reset: cursor.reset,
    replayed,
    total: Math.max(cursor.total, replayed),
    detections,
    cursor: done || !last ? null : encodeCursor({ ...cursor, after: [String(last.event_time), String(last.event_uid)], replayed, detections }),
    done,
  };
}

async function replayStart(env: Env, person: string | null, since: string, reset: number): Promise<RebuildPage> {
  const filter = await personFilter(env, person);
  const row = await env.DB.prepare(
    `SELECT count(*) AS n FROM events WHERE identity_action IS NOT NULL AND event_time >= ?1
        AND (?2 IS NULL OR lower(actor) IN (SELECT value FROM json_each(?2)) OR lower(target) IN (SELECT value FROM json_each(?2)))`,
  )
    .bind(since, filter)
    .first<{ n: number }>();
  const total = row?.n ?? 0;
  const persons = person === null ? await countPersons(env) : 1;
  const next: Cursor = { phase: 'replay', after: null, reset, replayed: 0, total, detections: 0 };
  return { phase: 'reset', persons, reset, replayed: 0, total, detections: 0, cursor: encodeCursor(next), done: false };
}

/** The accounts whose events belong to one person: the person key and every identity folded into it. */
async function personFilter(env: Env, person: string | null): Promise<string | null> {
  if (person === null) return null;
  const row = await env.DB.prepare('SELECT identities FROM identity_users WHERE person = ?1').bind(person).first<{ identities: string }>();
  const accounts = new Set([person]);
  for (const identity of row ? (JSON.parse(row.identities) as string[]) : []) accounts.add(identity.slice(identity.indexOf(':') + 1));
  const aliases = readItdrConfig(env).identity.aliases;
  for (const [alias, canonical] of Object.entries(aliases)) {
    if (canonical.toLowerCase() === person) accounts.add(alias.slice(alias.indexOf(':') + 1).toLowerCase());
  }
  return JSON.stringify([...accounts]);
}

async function countPersons(env: Env): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM identity_users').first<{ n: number }>())?.n ?? 0;
}

/**
 * A stored event row as the identity summary ingest builds. The row's columns are the normalized event's
 * fields (migrations/0001_init.sql), so the same `summarizeIdentityEvent` applies.
 */
function summaryOfRow(row: Record<string, unknown>): IdentityEventSummary | null {
  return summarizeIdentityEvent(row as unknown as NormalizedEvent & { event_uid: string });
}

function encodeCursor(cursor: Cursor): string {
  return btoa(JSON.stringify(cursor)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function decodeCursor(text: string): Cursor {
  try {
    const padded = text.replaceAll('-', '+').replaceAll('_', '/');
    return cursorSchema.parse(JSON.parse(atob(padded + '='.repeat((4 - (padded.length % 4)) % 4))));
  } catch {
    throw new RebuildCursorError('The cursor is not one this server issued; start again without it.');
  }
}
