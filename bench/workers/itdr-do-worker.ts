/**
 * Bench-only Worker (never deployed) for bench/itdr-do.bench.ts: feeds one batch of identity events through
 * the ITDR Durable Object path (the org-wide object, then each person's object, as workers/itdr/feed-identity.ts
 * does on ingest, without the D1 alert sink) or, as the reference, through the same core engine in this
 * isolate's memory with no object and no storage. `run` names a fresh set of objects per run.
 */
import { defaultItdrConfig } from '../../core/itdr/config';
import { groupEventsByPerson, initialOrgState, initialUserState, processSourceEvents, processUserEvents } from '../../core/itdr/engine';
import type { Detection, OrgItdrState, UserItdrState } from '../../core/itdr/types';
import type { IdentityEventSummary } from '../../core/identity/identity-event';
import type { IdentityOrgState } from '../../durable-objects/identity-org-state';
import type { IdentityUserState } from '../../durable-objects/identity-user-state';

export { IdentityOrgState } from '../../durable-objects/identity-org-state';
export { IdentityUserState } from '../../durable-objects/identity-user-state';

interface BenchEnv {
  IDENTITY_USER: DurableObjectNamespace<IdentityUserState>;
  IDENTITY_ORG: DurableObjectNamespace<IdentityOrgState>;
}

const concurrency = 32;
const memoryOrg = new Map<string, OrgItdrState>();
const memoryUsers = new Map<string, UserItdrState>();

function byPerson(detections: readonly Detection[]): Map<string, Detection[]> {
  const map = new Map<string, Detection[]>();
  for (const d of detections) map.set(d.user, [...(map.get(d.user) ?? []), d]);
  return map;
}

export default {
  async fetch(request: Request, env: BenchEnv): Promise<Response> {
    const url = new URL(request.url);
    const run = url.searchParams.get('run') ?? '0';
    const events = (await request.json()) as IdentityEventSummary[];
    const now = events.at(-1)?.eventTime ?? new Date().toISOString();
    const groups = groupEventsByPerson(events, defaultItdrConfig);
    let detections = 0;
    if (url.pathname === '/do') {
      const org = await env.IDENTITY_ORG.get(env.IDENTITY_ORG.idFromName(`run${run}`)).process(events, now);
      const external = byPerson(org.detections);
      const entries = [...groups];
      for (let i = 0; i < entries.length; i += concurrency) {
        const answers = await Promise.all(
          entries
            .slice(i, i + concurrency)
            .map(([person, list]) =>
              env.IDENTITY_USER.get(env.IDENTITY_USER.idFromName(`run${run}:${person}`)).process(person, list, { org: org.profile, external: external.get(person) ?? [], now }),
            ),
        );
        detections += answers.reduce((n, a) => n + a.detections.length, 0);
      }
    } else {
      const org = processSourceEvents(memoryOrg.get(run) ?? initialOrgState(), events, defaultItdrConfig, now);
      memoryOrg.set(run, org.state);
      const external = byPerson(org.detections);
      for (const [person, list] of groups) {
        const key = `${run}:${person}`;
        const result = processUserEvents(memoryUsers.get(key) ?? initialUserState(person), list, defaultItdrConfig, now, {
          org: { ...org.state.profile, seen: {} },
          external: external.get(person) ?? [],
        });
        memoryUsers.set(key, result.state);
        detections += result.detections.length;
      }
    }
    return Response.json({ events: events.length, persons: groups.size, detections });
  },
};
