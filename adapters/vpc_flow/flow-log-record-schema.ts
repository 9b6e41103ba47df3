/**
 * Amazon VPC Flow Logs records (https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html): lines of
 * space-separated fields, `-` where a field does not apply.
 *
 * - The default format is the 14 version-2 fields in the documented order.
 * - A custom format names its fields in any order; files delivered to S3 start with a header line of those
 *   names, which the ingest splitter reads (`textHeader`) so that the lines after it reach the parser as objects
 *   keyed by the names. Without a header, a line is read positionally only when it has exactly the fields of one
 *   version in the documented order (the "all fields" selection of that version).
 * - JSON records (exports and Panther's samples) use camelCase (`srcAddr`, `dstPort`, `subNetId`, `status` for
 *   log-status) or the native names; keys are matched without case, hyphens or underscores.
 */

/** Every field in documented order, with the version that introduced it. */
export const flowLogFields = [
  // version 2 (the default format)
  'version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes',
  'start', 'end', 'action', 'log-status',
  // version 3
  'vpc-id', 'subnet-id', 'instance-id', 'tcp-flags', 'type', 'pkt-srcaddr', 'pkt-dstaddr',
  // version 4
  'region', 'az-id', 'sublocation-type', 'sublocation-id',
  // version 5
  'pkt-src-aws-service', 'pkt-dst-aws-service', 'flow-direction', 'traffic-path',
  // version 7 (there is no version 6)
  'ecs-cluster-arn', 'ecs-cluster-name', 'ecs-container-instance-arn', 'ecs-container-instance-id', 'ecs-container-id',
  'ecs-second-container-id', 'ecs-service-name', 'ecs-task-definition-arn', 'ecs-task-arn', 'ecs-task-id',
  // version 8
  'reject-reason',
] as const;

/** The "all fields" line of each version: the leading fields of `flowLogFields` up to that version's last. */
const layoutByVersion = new Map<string, readonly string[]>(
  Object.entries({ '2': 14, '3': 21, '4': 25, '5': 29, '7': 39, '8': 40 }).map(([version, count]) => [version, flowLogFields.slice(0, count)]),
);

/** The field names of a line read positionally, or null when its length fits no documented layout. */
export function positionalLayout(version: string, fieldCount: number): readonly string[] | null {
  const layout = layoutByVersion.get(version);
  return layout?.length === fieldCount ? layout : null;
}

/** Names a header line must include at least one of; data values never are one of these. */
const anchorFields = new Set(['version', 'srcaddr', 'dstaddr', 'action', 'log-status', 'interface-id', 'account-id', 'start', 'end']);
const fieldName = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * A header line names fields (`version account-id interface-id srcaddr …`): every token is a lower-case field
 * name and at least one is a core field. Names newer than this list are accepted so that a new AWS field does not
 * turn a header into a dead letter. Returns the names, or null for a data line.
 */
export function flowLogHeader(line: string): string[] | null {
  const names = line.trim().split(/\s+/);
  let anchored = false;
  for (const name of names) {
    if (!fieldName.test(name)) return null;
    if (anchorFields.has(name)) anchored = true;
  }
  return anchored ? names : null;
}

/** Keys, canonical as below, that name a record as a flow log record; `account` and `status` are Panther's. */
export const knownCanonicalKeys = new Set<string>([...flowLogFields.map(canonicalKey), 'account', 'status']);

/** `srcAddr`, `srcaddr`, `src_addr`, `pkt-srcaddr` → `srcaddr`, `pktsrcaddr`. */
export function canonicalKey(key: string): string {
  return key.replace(/[-_]/g, '').toLowerCase();
}

/** A record's fields by key without case, hyphens or underscores: `srcAddr`, `srcaddr`, `src_addr` → `srcaddr`. */
export function fieldsByCanonicalKey(record: Record<string, unknown>): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  for (const [key, value] of Object.entries(record)) fields.set(canonicalKey(key), value);
  return fields;
}
