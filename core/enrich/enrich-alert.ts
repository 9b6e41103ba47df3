/**
 * Adds context to an alert's entities before it is redacted and routed (ARCHITECTURE.md, data path step 5).
 *
 * Invariants:
 * - Never fails the alert: a provider that fails, throws or times out contributes no note and is reported in
 *   `problems` (provider, subject, message — with every secret value the providers were handed scrubbed out)
 *   for the caller to log. A cache that fails is reported the same way and bypassed.
 * - Bounded: at most `maxSubjects` subjects per alert (default 5, see core/enrich/config.ts), taken in the order
 *   IPs, users, domains; the rest are listed in `skipped`. Only kinds some configured provider handles count.
 * - Never asks a third party about an internal subject: private, loopback, link-local, CGNAT, documentation and
 *   other special-purpose addresses (core/net/special-purpose-ip), single-label host names and internal DNS
 *   suffixes (.local, .internal, .corp, .lan, .home.arpa…) are skipped before any lookup.
 * - Cached per (provider, subject): notes for the provider's `ttlMs`, "nothing known" for its `negativeTtlMs`.
 *   Errors are not cached. A provider that fails stops being asked for the rest of this alert, so a rate-limited
 *   or misconfigured vendor costs one request per alert, not one per subject.
 */
import type { EnrichmentNote, NotificationAlert } from '../alerting/notification';
import { parseIpAddress, specialPurposeReason } from '../net/special-purpose-ip';
import { scrubSecrets } from './provider-http';
import {
  defaultNegativeTtlMs,
  type EnrichmentCache,
  type EnrichmentContext,
  type EnrichmentProvider,
  type EnrichmentSubject,
  type SubjectKind,
} from './provider';

export const defaultMaxSubjectsPerAlert = 5;

export interface EnrichmentProblem {
  readonly provider: string;
  readonly subject: string;
  /** `failure`/`retryable` from the provider, `cache` when the cache could not be read or written. */
  readonly kind: 'failure' | 'retryable' | 'cache';
  readonly message: string;
  readonly retryAfterMs?: number;
}

export interface SkippedSubject {
  readonly subject: string;
  readonly reason: string;
}

export interface EnrichmentOutcome {
  readonly alert: NotificationAlert;
  readonly problems: readonly EnrichmentProblem[];
  readonly skipped: readonly SkippedSubject[];
  /** Provider calls made (cache misses). */
  readonly lookups: number;
  readonly cacheHits: number;
}

export interface EnrichOptions {
  readonly maxSubjects?: number;
}

const notAUser = new Set(['', '-', 'unknown', 'anonymous', 'n/a', 'null', 'none']);
const internalSuffixes = ['.local', '.localhost', '.internal', '.intranet', '.corp', '.lan', '.home', '.home.arpa', '.private', '.test', '.example', '.invalid', '.arpa'];

/** The subjects of an alert worth looking up, in lookup order, and why the others are not looked up. */
export function alertSubjects(
  alert: Pick<NotificationAlert, 'entities'>,
  kinds: ReadonlySet<SubjectKind>,
  maxSubjects: number,
): { subjects: EnrichmentSubject[]; skipped: SkippedSubject[] } {
  const candidates: EnrichmentSubject[] = [];
  const skipped: SkippedSubject[] = [];
  const seen = new Set<string>();
  const add = (kind: SubjectKind, value: string) => {
    const key = `${kind}:${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (kinds.has(kind)) candidates.push({ kind, value });
  };
  const addIp = (raw: string) => {
    const ip = parseIpAddress(raw);
    if (!ip) return void skipped.push({ subject: raw, reason: 'not an IP address' });
    const reason = specialPurposeReason(ip);
    if (reason) return void skipped.push({ subject: raw, reason: `${reason} address` });
    add('ip', ip.version === 6 ? raw.trim().replace(/^\[|\]$/g, '').toLowerCase() : raw.trim());
  };
  for (const ip of alert.entities.ips) addIp(ip);
  for (const user of alert.entities.users) {
    const value = user.trim();
    if (notAUser.has(value.toLowerCase())) skipped.push({ subject: user, reason: 'not a user name' });
    else add('user', value.toLowerCase());
  }
  for (const host of alert.entities.hosts) {
    const value = host.trim().toLowerCase().replace(/\.$/, '');
    if (parseIpAddress(value)) addIp(value);
    else if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/.test(value)) skipped.push({ subject: host, reason: 'not a domain name' });
    else if (internalSuffixes.some((s) => value.endsWith(s))) skipped.push({ subject: host, reason: 'an internal name' });
    else add('domain', value);
  }
  const order: SubjectKind[] = ['ip', 'user', 'domain'];
  candidates.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  for (const over of candidates.slice(maxSubjects)) skipped.push({ subject: over.value, reason: `over the limit of ${maxSubjects} subjects per alert` });
  return { subjects: candidates.slice(0, maxSubjects), skipped };
}

/** Looks up the alert's subjects with every provider that handles them; returns the alert with the notes added. */
export async function enrichAlert(
  alert: NotificationAlert,
  providers: readonly EnrichmentProvider[],
  cache: EnrichmentCache | null,
  ctx: EnrichmentContext,
  options: EnrichOptions = {},
): Promise<EnrichmentOutcome> {
  const maxSubjects = options.maxSubjects ?? defaultMaxSubjectsPerAlert;
  const kinds = new Set(providers.flatMap((p) => p.subjects));
  const { subjects, skipped } = alertSubjects(alert, kinds, maxSubjects);
  const handedOut = new Set<string>();
  const scopedCtx: EnrichmentContext = {
    ...ctx,
    secret: (name) => {
      const value = ctx.secret(name);
      if (value) handedOut.add(value);
      return value;
    },
  };
  const problems: EnrichmentProblem[] = [];
  const notes = new Map<string, EnrichmentNote>();
  let lookups = 0;
  let cacheHits = 0;

  await Promise.all(
    providers.map(async (provider) => {
      for (const subject of subjects.filter((s) => provider.subjects.includes(s.kind))) {
        const cacheable = cache !== null && provider.ttlMs > 0;
        if (cacheable) {
          try {
            const hit = await cache.get(provider.id, subject.value, ctx.now);
            if (hit) {
              cacheHits++;
              if (hit.note) notes.set(`${subject.value}\u0000${provider.id}`, hit.note);
              continue;
            }
          } catch (err) {
            problems.push({ provider: provider.id, subject: subject.value, kind: 'cache', message: `enrichment cache read failed: ${errorText(err)}` });
          }
        }
        lookups++;
        const result = await provider.lookup(subject, scopedCtx).catch((err: unknown) => ({ kind: 'failure' as const, message: `${provider.id} threw: ${errorText(err)}` }));
        if (result.kind !== 'success') {
          problems.push({
            provider: provider.id,
            subject: subject.value,
            kind: result.kind,
            message: result.message,
            ...(result.kind === 'retryable' && result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
          });
          break;
        }
        if (result.value) notes.set(`${subject.value}\u0000${provider.id}`, result.value);
        if (cacheable) {
          const ttl = result.value ? provider.ttlMs : (provider.negativeTtlMs ?? Math.min(provider.ttlMs, defaultNegativeTtlMs));
          try {
            await cache.put(provider.id, subject.value, result.value, ctx.now, new Date(ctx.now.getTime() + ttl));
          } catch (err) {
            problems.push({ provider: provider.id, subject: subject.value, kind: 'cache', message: `enrichment cache write failed: ${errorText(err)}` });
          }
        }
      }
    }),
  );

  // Notes in a stable order: subjects as looked up, then providers as configured.
  const ordered = subjects.flatMap((s) => providers.map((p) => notes.get(`${s.value}\u0000${p.id}`)).filter((n): n is EnrichmentNote => n !== undefined));
  const existing = new Set(alert.enrichment.map((n) => `${n.subject}\u0000${n.provider}`));
  const added = ordered.filter((n) => !existing.has(`${n.subject}\u0000${n.provider}`));
  return {
    alert: added.length === 0 ? alert : { ...alert, enrichment: [...alert.enrichment, ...added] },
    problems: problems.map((p) => ({ ...p, message: scrubSecrets(p.message, handedOut) })),
    skipped,
    lookups,
    cacheHits,
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
