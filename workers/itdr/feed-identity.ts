/**
 * The ITDR host path for one batch of identity events (ingest, or a page of a rebuild): the org-wide
 * Durable Object runs the cross-person detectors first, then each person's Durable Object (named by the
 * resolved person key) runs the per-person engine with the org profile and the detections about them, then
 * the answers become alerts, identity incidents and risky-user rows (itdr-sink.ts).
 *
 * The events are already durable in D1 and R2 when this runs; every step is idempotent per event uid, so a
 * retry or a replay changes nothing.
 */
import type { IdentityEventSummary } from '../../core/identity/identity-event';
import type { PersonProcessAnswer } from '../../core/identity/identity-state';
import { groupEventsByPerson } from '../../core/itdr/engine';
import type { Detection } from '../../core/itdr/types';
import { orgStateName } from '../../durable-objects/identity-org-state';
import type { Env } from '../env';
import { readItdrConfig } from './itdr-config';
import { sinkPersonAnswers, type SinkSummary } from './itdr-sink';

export interface FeedOptions {
  /** Only this person's events go to their object (a single-person rebuild); the org object is not fed. */
  readonly onlyPerson?: string;
}

export interface FeedSummary extends SinkSummary {
  readonly persons: number;
  readonly failed: number;
}

const concurrency = 32;

export function personStub(env: Env, person: string) {
  return env.IDENTITY_USER.get(env.IDENTITY_USER.idFromName(person));
}

export function orgStub(env: Env) {
  return env.IDENTITY_ORG.get(env.IDENTITY_ORG.idFromName(orgStateName));
}

export async function feedIdentityEvents(env: Env, events: readonly IdentityEventSummary[], now: Date, options: FeedOptions = {}): Promise<FeedSummary> {
  const empty = { persons: 0, failed: 0, detections: 0, newAlerts: 0, incidentsOpened: 0, incidentsEscalated: 0 };
  if (events.length === 0) return empty;
  const config = readItdrConfig(env);
  const iso = now.toISOString();
  const groups = groupEventsByPerson(events, config);
  if (options.onlyPerson !== undefined) {
    for (const person of [...groups.keys()]) if (person !== options.onlyPerson) groups.delete(person);
  }

  const org = options.onlyPerson === undefined ? await orgStub(env).process([...events], iso) : { detections: [], profile: await orgStub(env).profile() };
  const external = new Map<string, Detection[]>();
  for (const d of org.detections) {
    const list = external.get(d.user);
    if (list) list.push(d);
    else external.set(d.user, [d]);
    if (!groups.has(d.user)) groups.set(d.user, []);
  }

  const answers: PersonProcessAnswer[] = [];
  let failed = 0;
  const entries = [...groups];
  for (let i = 0; i < entries.length; i += concurrency) {
    const results = await Promise.allSettled(
      entries
        .slice(i, i + concurrency)
        .map(([person, list]) => personStub(env, person).process(person, list, { org: org.profile, external: external.get(person) ?? [], now: iso })),
    );
    for (const r of results) {
      if (r.status === 'fulfilled') answers.push(r.value);
      else {
        failed++;
        console.error(JSON.stringify({ level: 'error', msg: 'identity state update failed', error: String(r.reason) }));
      }
    }
  }
  const sunk = await sinkPersonAnswers(env, answers, now);
  return { ...sunk, persons: answers.length, failed };
}
