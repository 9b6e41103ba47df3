/**
 * The vocabulary the mapping files are written in, and a reference reading of that data (the tests use it;
 * pipeline/resolve-field.ts reads the same data, except the `.*` entries below).
 *
 * - `column('src_ip')` names a column of `events`; `json('target[].alternateId')` a path into `raw`, `[]`
 *   marking a step whose value is an array (any element may match).
 * - `knownFields` entries use the same dotted syntax. An entry ending in `.*` admits every path below it: a
 *   vendor object whose keys are the caller's or the API's own (CloudTrail `requestParameters`, Kubernetes
 *   `requestObject`); steps below it are read as plain keys unless a concrete entry gives their shape. The
 *   concrete paths our samples show below such an object are listed too, so a reader that treats `*` as a
 *   plain key still knows them.
 * - `lookupField(mapping, name)` is how a Sigma field name resolves: the mapping's `fields` first, then
 *   `knownFields` (the raw path of the same name, with the array steps the entry records); `null` when the
 *   mapping lists known fields and the name is not one of them (strict mode's "unmapped field"). A mapping
 *   without `knownFields` resolves every name to the raw path of the same name.
 *
 * Vendor keys that contain a dot (`authorization.k8s.io/decision`, claim URIs) cannot be written in a dotted
 * path and are never listed; rules cannot name them (neither can Sigma).
 */
import type { NormalizedEvent } from '../../schema/event';
import type { FieldTarget, JsonPathStep, LogsourceMapping } from '../ir';

export type EventColumn = Exclude<keyof NormalizedEvent, 'raw'>;

export function column(name: EventColumn): FieldTarget {
  return { kind: 'column', column: name };
}

/** `a.b[].c` → steps; throws on an empty step, which is a defect in the mapping data, not in a rule. */
export function parseFieldPath(path: string): JsonPathStep[] {
  return path.split('.').map((segment) => {
    const array = segment.endsWith('[]');
    const key = array ? segment.slice(0, -2) : segment;
    if (key === '' || key.includes('[')) throw new Error(`invalid field path step '${segment}' in '${path}'`);
    return { key, array };
  });
}

export function json(path: string): FieldTarget {
  return { kind: 'json', path: parseFieldPath(path) };
}

/**
 * Every shape of a path whose `[?]` steps hold a list in some records and a single value in others (CloudTrail's
 * XML-derived parameters, IAM policy documents: `Statement`, `Principal.AWS`): `a[?].b` → `[a[].b, a.b]`. An
 * array step reads a single value as missing, so both shapes must be listed.
 */
export function listOrSingle(path: string): FieldTarget[] {
  let variants = [''];
  for (const segment of path.split('.')) {
    const dot = (prefix: string) => (prefix === '' ? '' : `${prefix}.`);
    variants = segment.endsWith('[?]')
      ? variants.flatMap((v) => [`${dot(v)}${segment.slice(0, -3)}[]`, `${dot(v)}${segment.slice(0, -3)}`])
      : variants.map((v) => `${dot(v)}${segment}`);
  }
  return variants.map(json);
}

/** The Sigma field name a known path answers to: its steps without the array markers. */
export function plainPath(path: string): string {
  return path.replaceAll('[]', '');
}

/** The steps of `field` if `knownFields` admits it, else null. A concrete entry wins over a `.*` subtree. */
export function knownFieldSteps(knownFields: readonly string[], field: string): JsonPathStep[] | null {
  let subtree: { prefix: string; entry: string } | null = null;
  for (const entry of knownFields) {
    if (entry.endsWith('.*')) {
      const base = entry.slice(0, -2);
      const prefix = plainPath(base);
      if (field.startsWith(`${prefix}.`) && (subtree === null || prefix.length > subtree.prefix.length)) subtree = { prefix, entry: base };
    } else if (plainPath(entry) === field) {
      return parseFieldPath(entry);
    }
  }
  if (subtree === null) return null;
  // Below the subtree, the longest concrete entry that is a prefix of the field still gives the array shape.
  let steps = parseFieldPath(subtree.entry);
  for (const entry of knownFields) {
    const plain = plainPath(entry);
    if (!entry.endsWith('.*') && field.startsWith(`${plain}.`) && plain.split('.').length > steps.length) steps = parseFieldPath(entry);
  }
  const rest = field.split('.').slice(steps.length);
  return [...steps, ...rest.map((key) => ({ key, array: false }))];
}

/** How a Sigma field name resolves in a mapping (see the module header); null = unmapped. */
export function lookupField(mapping: LogsourceMapping, field: string): readonly FieldTarget[] | null {
  const explicit = mapping.fields[field];
  if (explicit !== undefined) return isTargetList(explicit) ? explicit : [explicit];
  if (mapping.knownFields === undefined) return [json(field)];
  const steps = knownFieldSteps(mapping.knownFields, field);
  return steps === null ? null : [{ kind: 'json', path: steps }];
}

function isTargetList(value: FieldTarget | readonly FieldTarget[]): value is readonly FieldTarget[] {
  return Array.isArray(value);
}

/**
 * For a source whose records arrive both bare and nested under one key of a delivery envelope (CloudTrail
 * records in an EventBridge event keep the event in `raw`, the record under `detail`; Entra ID diagnostic
 * exports put the Graph resource under `properties`): every known path, bare or nested, reads both places.
 * `{eventName: [eventName, detail.eventName], 'detail.eventName': [eventName, detail.eventName]}`.
 */
export function nestedAlternates(knownFields: readonly string[], envelope: string): Record<string, FieldTarget[]> {
  const inner = new Map<string, string>();
  for (const entry of knownFields) {
    if (entry.endsWith('.*')) continue;
    const plain = plainPath(entry);
    if (plain === envelope) continue;
    const nested = plain.startsWith(`${envelope}.`);
    const innerEntry = nested ? entry.slice(entry.indexOf('.') + 1) : entry;
    const key = plainPath(innerEntry);
    const seen = inner.get(key);
    if (seen === undefined || markerCount(innerEntry) > markerCount(seen)) inner.set(key, innerEntry);
  }
  const envelopeEntry = knownFields.find((e) => plainPath(e) === envelope) ?? envelope;
  const fields: Record<string, FieldTarget[]> = {};
  for (const [key, entry] of inner) {
    const targets = [json(entry), json(`${envelopeEntry}.${entry}`)];
    fields[key] = targets;
    fields[`${envelope}.${key}`] = targets;
  }
  return fields;
}

function markerCount(entry: string): number {
  return entry.split('[]').length - 1;
}

/** `{alias + path: path}` for every concrete known path: vendor fields as another tool's export prefixes them. */
export function prefixedAliases(knownFields: readonly string[], alias: string, under = ''): Record<string, FieldTarget> {
  const fields: Record<string, FieldTarget> = {};
  for (const entry of knownFields) {
    if (entry.endsWith('.*')) continue;
    const plain = plainPath(entry);
    if (under !== '' && !plain.startsWith(`${under}.`) && plain !== under) continue;
    fields[`${alias}${plain}`] = json(entry);
  }
  return fields;
}

/**
 * Names other Sigma taxonomies and our own rules use for the concepts our columns hold (Sigma's proxy and
 * firewall fields, ECS), resolved to the column. A name is left out of a mapping when the vendor has a field
 * of that name (its first step is a top-level vendor key), so vendor rules keep their meaning.
 */
const normalizedNames: Readonly<Record<string, EventColumn>> = {
  // our columns, by their own names
  identity_action: 'identity_action',
  outcome: 'outcome',
  outcome_reason: 'outcome_reason',
  actor: 'actor',
  actor_id: 'actor_id',
  actor_name: 'actor_name',
  actor_type: 'actor_type',
  src_ip: 'src_ip',
  src_country: 'src_country',
  src_region: 'src_region',
  src_city: 'src_city',
  src_asn: 'src_asn',
  src_asn_org: 'src_asn_org',
  user_agent: 'user_agent',
  service: 'service',
  target: 'target',
  target_type: 'target_type',
  session_id: 'session_id',
  mfa_factor: 'mfa_factor',
  severity: 'severity',
  class_uid: 'class_uid',
  event_time: 'event_time',
  action: 'action',
  message: 'message',
  // Sigma taxonomy (network, firewall, proxy and webserver categories)
  SourceIp: 'src_ip',
  'c-ip': 'src_ip',
  'c-useragent': 'user_agent',
  'cs-user-agent': 'user_agent',
  'cs-username': 'actor',
  // Elastic Common Schema
  'source.ip': 'src_ip',
  'source.geo.country_iso_code': 'src_country',
  'source.as.number': 'src_asn',
  'user.name': 'actor',
  'user.id': 'actor_id',
  'user_agent.original': 'user_agent',
  'event.outcome': 'outcome',
  'event.action': 'action',
};

export function normalizedColumnFields(knownFields: readonly string[]): Record<string, FieldTarget> {
  const topKeys = new Set(knownFields.map((entry) => plainPath(entry).split('.')[0]));
  const fields: Record<string, FieldTarget> = {};
  for (const [name, col] of Object.entries(normalizedNames)) {
    if (!topKeys.has(name.split('.')[0])) fields[name] = column(col);
  }
  return fields;
}
