/**
 * What the offline engine understood, before it becomes SQL: the table, the answer's shape, the filters and the
 * time range. Follow-up questions ("only admins", "now by country", "what about last month?") edit the previous
 * turn's plan, so a plan keeps each filter under a key that a follow-up can replace.
 */
import type { TimeRange } from './time-range';

export type EventDimension =
  | 'actor'
  | 'src_country'
  | 'src_city'
  | 'src_ip'
  | 'source'
  | 'service'
  | 'action'
  | 'outcome'
  | 'user_agent'
  | 'target'
  | 'src_asn_org'
  | 'mfa_factor'
  | 'identity_action'
  | 'actor_type'
  | 'severity';
export type AlertDimension = 'severity' | 'status' | 'rule_name' | 'assignee';
export type Dimension = EventDimension | AlertDimension;

export interface Filter {
  /** What the filter is about; a follow-up naming the same key replaces it (a new country replaces the old one). */
  readonly key: string;
  /** A boolean SQL expression over the plan's table, literals escaped by sql-literal.ts. */
  readonly sql: string;
  /** "failed", "from Romania", "by paisley.brown" … for the explanation. */
  readonly label: string;
  /** When the expression depends on the resolved time range (a bounded subquery), it is built from it instead. */
  readonly sqlFor?: (range: { readonly from: string; readonly to: string }) => string;
}

export type Shape =
  | { readonly kind: 'list'; readonly limit: number; readonly order: 'newest' | 'oldest' }
  | { readonly kind: 'count' }
  | { readonly kind: 'count_distinct'; readonly dimension: Dimension }
  | {
      readonly kind: 'group';
      readonly dimensions: readonly Dimension[];
      readonly limit: number | null;
      readonly order: 'most' | 'least';
      /** What each group reports besides its key: a row count (default), distinct values of a column, or times. */
      readonly metric?: { readonly kind: 'count' } | { readonly kind: 'distinct'; readonly dimension: Dimension } | { readonly kind: 'when'; readonly which: 'first' | 'last' | 'both' };
    }
  | { readonly kind: 'trend'; readonly bucket: 'hour' | 'day'; readonly dimensions: readonly Dimension[] }
  | { readonly kind: 'when'; readonly which: 'first' | 'last' | 'both' };

export interface QueryPlan {
  readonly table: 'events' | 'alerts';
  readonly shape: Shape;
  readonly filters: readonly Filter[];
  /** Null: no time named (the default window applies when rendered). */
  readonly time: TimeRange | null;
  readonly assumptions: readonly string[];
}

export const defaultListLimit = 1000;
export const defaultTopLimit = 10;
export const maxLimit = 10_000;

export const dimensionLabels: Record<Dimension, string> = {
  actor: 'user',
  src_country: 'country',
  src_city: 'city',
  src_ip: 'source IP',
  source: 'log source',
  service: 'service',
  action: 'action',
  outcome: 'outcome',
  user_agent: 'user agent',
  target: 'target',
  src_asn_org: 'network (ASN organisation)',
  mfa_factor: 'MFA factor',
  identity_action: 'identity action',
  actor_type: 'principal type',
  severity: 'severity',
  status: 'status',
  rule_name: 'rule',
  assignee: 'assignee',
};
