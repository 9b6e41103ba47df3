/**
 * Google Workspace Admin SDK Reports API activity (https://developers.google.com/workspace/admin/reports/v1/reference/activities):
 * `kind: "admin#reports#activity"`, `id{time, uniqueQualifier, applicationName, customerId}`,
 * `actor{callerType, email, profileId, key}`, `ipAddress`, `networkInfo{ipAsn, regionCode, subdivisionCode}`,
 * and `events[{type, name, parameters[{name, value | boolValue | intValue | multiValue | multiIntValue |
 * messageValue | multiMessageValue}]}]`. Event names and parameters per application are listed at
 * https://developers.google.com/workspace/admin/reports/v1/appendix/activity/login (and .../admin, .../drive,
 * .../token, .../saml, .../user-accounts).
 *
 * Some pipelines (Panther's GSuite.ActivityEvent) flatten an activity to one event per record, with `type`,
 * `name` and `parameters` (an object keyed by parameter name) at the top level; we read both shapes.
 *
 * Containers, unwrapped by `expandWorkspaceActivities`: an `activities.list` page
 * (`{"kind": "admin#reports#activities", "items": [...]}`), and an activity holding several events, which becomes
 * one record per event (the activity envelope with `events: [thatEvent]`), so that each event gets its own
 * action and identity action.
 */
import { z } from 'zod';
import { isPlainObject } from '../../core/ingest/split-records';
import { lenient } from '../shared/lenient';

const str = lenient(z.string().nullable());
const numOrStr = lenient(z.union([z.number(), z.string()]).nullable());
/** A list of `{name, value...}` (the API) or an object keyed by name (flattened exports); read with `parameter`. */
const parameters = lenient(z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).nullable());

const activityEvent = z.looseObject({ type: str, name: str, parameters });

export const activitySchema = z.looseObject({
  kind: str,
  id: lenient(
    z.looseObject({ time: str, uniqueQualifier: numOrStr, applicationName: str, customerId: str }).nullable(),
  ),
  actor: lenient(z.looseObject({ callerType: str, email: str, profileId: str, key: str }).nullable()),
  ownerDomain: str,
  ipAddress: str,
  networkInfo: lenient(
    z.looseObject({
      ipAsn: lenient(z.array(z.number()).nullable()),
      regionCode: str,
      subdivisionCode: str,
    }).nullable(),
  ),
  events: lenient(z.array(lenient(activityEvent)).nullable()),
  // Flattened exports
  type: str,
  name: str,
  parameters,
});
export type Activity = z.infer<typeof activitySchema>;
export type ActivityParameters = Activity['parameters'];

/** A parameter's value, whichever of the typed value fields Google used. */
export function parameter(params: ActivityParameters, name: string): unknown {
  if (Array.isArray(params)) {
    for (const p of params) {
      if (isPlainObject(p) && p.name === name) return p.value ?? p.multiValue ?? p.boolValue ?? p.intValue ?? p.multiIntValue;
    }
    return undefined;
  }
  return params ? params[name] : undefined;
}

/**
 * An `activities.list` page → its activities; an activity with several events → one activity per event. An
 * ordinary single-event activity → null (kept as received).
 */
export function expandWorkspaceActivities(value: Record<string, unknown>): unknown[] | null {
  if (value.kind === 'admin#reports#activities') {
    const items = Array.isArray(value.items) ? value.items : [];
    return items.flatMap((item) => (isPlainObject(item) ? (perEvent(item) ?? [item]) : [item]));
  }
  return perEvent(value);
}

/**
 * Marks which event of its activity a split record carries (0-based). Google's `uniqueQualifier` names the
 * activity, not the event, so the parser appends this index to make each event's id unique — collectors
 * de-duplicate by event id, and must not fold an activity's events into one.
 */
export const eventIndexKey = 'mantissaEventIndex';

function perEvent(activity: Record<string, unknown>): unknown[] | null {
  const events = activity.events;
  if (!Array.isArray(events) || events.length < 2) return null;
  return events.map((event, i) => ({ ...activity, events: [event], [eventIndexKey]: i }));
}
