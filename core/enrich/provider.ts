/**
 * The contract of an enrichment provider (adapters/enrichment/<provider>/index.ts) and of the cache in front of
 * them (adapters/d1/enrichment-cache-repository.ts). A provider answers for one subject at a time:
 *
 * - `success` with a note (one human line for the alert), or `success` with `null` when it knows nothing about
 *   the subject (not found, reserved address) — a negative answer, cached for `negativeTtlMs`;
 * - `failure` for what retrying will not fix (bad credentials, a missing secret, a refused URL, quota gone);
 * - `retryable` for 429, 5xx and network errors, with the vendor's Retry-After when it gave one.
 *
 * Messages never contain a secret: providers name the secret, never its value (enrichAlert also scrubs every
 * secret value it handed out from the messages it reports).
 */
import type { EnrichmentNote } from '../alerting/notification';
import type { HttpFetch, TransportResult } from '../collect/transport';

export const subjectKinds = ['ip', 'user', 'domain'] as const;
export type SubjectKind = (typeof subjectKinds)[number];

export interface EnrichmentSubject {
  readonly kind: SubjectKind;
  /** The entity as the alert names it: `81.2.69.142`, `alice@example.com`, `login.example.com`. */
  readonly value: string;
}

export interface EnrichmentContext {
  /** fetch() behind the outbound policy (adapters/http/guarded-fetch): https only, no private targets. */
  readonly fetch: HttpFetch;
  /** A Worker secret by name; undefined when it is not set. */
  readonly secret: (name: string) => string | undefined;
  readonly now: Date;
  /** How long one vendor call may take before it is abandoned as retryable (default 5 s): alerts must not wait. */
  readonly timeoutMs?: number;
}

export const defaultLookupTimeoutMs = 5_000;

export interface EnrichmentProvider {
  /** Stable id, also the cache key's first half and the note's `provider`: `geoip`, `maxmind`, `abuseipdb`… */
  readonly id: string;
  readonly subjects: readonly SubjectKind[];
  /** How long a note stays fresh in the cache; 0 = never cached (local lookups such as an MMDB file). */
  readonly ttlMs: number;
  /** How long "nothing known" stays cached; defaults to `min(ttlMs, defaultNegativeTtlMs)`. */
  readonly negativeTtlMs?: number;
  lookup(subject: EnrichmentSubject, ctx: EnrichmentContext): Promise<TransportResult<EnrichmentNote | null>>;
}

export const defaultNegativeTtlMs = 60 * 60_000;

/** A cached answer: a note, or `null` for a cached "nothing known". */
export interface CachedAnswer {
  readonly note: EnrichmentNote | null;
}

export interface EnrichmentCache {
  /** The fresh answer for (provider, subject) at `now`, or undefined when there is none (never asked, or expired). */
  get(provider: string, subject: string, now: Date): Promise<CachedAnswer | undefined>;
  put(provider: string, subject: string, note: EnrichmentNote | null, fetchedAt: Date, expiresAt: Date): Promise<void>;
}
