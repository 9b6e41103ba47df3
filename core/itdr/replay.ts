/**
 * In-memory replay of identity events through the ITDR core, in the order the hosts use (types.ts): per batch,
 * the org-wide state first, then every person with the org's detections about them. Used by the demo-dataset
 * measurements, the benchmark and rebuilds from the lake; a Durable Object host does the same with the states
 * in storage.
 *
 * Batches must be given in time order (a replay of the lake reads it in time order); within a batch any order.
 */
import type { ItdrConfig } from './config';
import { groupEventsByPerson, initialOrgState, initialUserState, processSourceEvents, processUserEvents } from './engine';
import type { Detection, IncidentChange, ItdrEvent, OrgItdrState, UserItdrState } from './types';

export interface ReplayBatchResult {
  readonly detections: Detection[];
  readonly incidentChanges: { person: string; change: Exclude<IncidentChange, { action: 'none' }> }[];
}

export class ItdrReplay {
  org: OrgItdrState = initialOrgState();
  readonly users = new Map<string, UserItdrState>();

  constructor(private readonly config: ItdrConfig) {}

  /** Processes one batch; `now` is the batch's processing time (at least its latest event time). */
  ingest(events: readonly ItdrEvent[], now: string): ReplayBatchResult {
    const source = processSourceEvents(this.org, events, this.config, now);
    this.org = source.state;
    const external = new Map<string, Detection[]>();
    for (const d of source.detections) {
      const list = external.get(d.user);
      if (list) list.push(d);
      else external.set(d.user, [d]);
    }
    const byPerson = groupEventsByPerson(events, this.config);
    for (const person of external.keys()) if (!byPerson.has(person)) byPerson.set(person, []);
    const detections: Detection[] = [];
    const incidentChanges: ReplayBatchResult['incidentChanges'] = [];
    for (const [person, personEvents] of byPerson) {
      const state = this.users.get(person) ?? initialUserState(person);
      const result = processUserEvents(state, personEvents, this.config, now, { org: this.org.profile, external: external.get(person) ?? [] });
      this.users.set(person, result.state);
      detections.push(...result.detections);
      if (result.incidentChange.action !== 'none') incidentChanges.push({ person, change: result.incidentChange });
    }
    return { detections, incidentChanges };
  }
}
