/**
 * Identity resolution: one canonical person key for the same human across providers, so `alice@corp.com` on
 * Okta, `Alice@corp.onmicrosoft.com` on Entra ID, `alice` on Duo and her Okta user id are one person.
 *
 * Rules, in order (first match wins):
 *   1. a configured alias for the provider id (`<source>:<actorId>` or `<source>:<subject>`), then for the
 *      subject itself;
 *   2. `DOMAIN\user` and `user@domain`: lower-cased, the domain mapped through `domainAliases`;
 *   3. a bare login gets `defaultDomain` when configured;
 *   4. otherwise the lower-cased subject (or `<source>:<actorId>` when there is no subject).
 * Invariants: pure, deterministic, idempotent (resolving a canonical key returns it unchanged) and total
 * (never throws); the person key is what the per-user Durable Object is named by.
 */
import type { ItdrConfig } from './config';
import type { ItdrEvent } from './types';

export type IdentityResolutionConfig = ItdrConfig['identity'];

const caches = new WeakMap<IdentityResolutionConfig, { names: Map<string, string>; hasAliases: boolean }>();
function cacheOf(config: IdentityResolutionConfig): { names: Map<string, string>; hasAliases: boolean } {
  let cache = caches.get(config);
  if (!cache) {
    cache = { names: new Map(), hasAliases: Object.keys(config.aliases).length > 0 };
    caches.set(config, cache);
  }
  return cache;
}

/** The canonical form of an account name, without provider context (memoised per configuration). */
export function canonicalAccount(name: string, config: IdentityResolutionConfig): string {
  const cache = cacheOf(config).names;
  let key = cache.get(name);
  if (key === undefined) {
    key = canonicalize(name, config);
    if (cache.size >= 100_000) cache.clear();
    cache.set(name, key);
  }
  return key;
}

function canonicalize(name: string, config: IdentityResolutionConfig): string {
  let key = name.trim().toLowerCase();
  const alias = config.aliases[key];
  if (alias !== undefined) return alias.toLowerCase();
  const backslash = key.indexOf('\\');
  if (backslash > 0) key = key.slice(backslash + 1);
  const at = key.lastIndexOf('@');
  if (at > 0) {
    const local = key.slice(0, at);
    const domain = key.slice(at + 1);
    key = `${local}@${config.domainAliases[domain]?.toLowerCase() ?? domain}`;
  } else if (config.defaultDomain && key.length > 0 && !key.includes(':')) {
    key = `${key}@${config.defaultDomain.toLowerCase()}`;
  }
  return config.aliases[key]?.toLowerCase() ?? key;
}

/** The person an identity event is about, or null when the event names nobody. */
export function resolvePerson(event: Pick<ItdrEvent, 'source' | 'subject' | 'actor' | 'actorId'>, config: IdentityResolutionConfig): string | null {
  const subject = event.subject ?? event.actor;
  if (cacheOf(config).hasAliases) {
    const subjectIsActor = subject !== null && event.actor !== null && subject.toLowerCase() === event.actor.toLowerCase();
    if (subjectIsActor && event.actorId) {
      const byId = config.aliases[`${event.source}:${event.actorId}`.toLowerCase()];
      if (byId !== undefined) return byId.toLowerCase();
    }
    if (subject) {
      const bySourceName = config.aliases[`${event.source}:${subject}`.toLowerCase()];
      if (bySourceName !== undefined) return bySourceName.toLowerCase();
    }
  }
  if (subject) return canonicalAccount(subject, config);
  if (event.actorId) return `${event.source}:${event.actorId}`.toLowerCase();
  return null;
}

/** Groups events by resolved person, keeping each person's events in input order. */
export function groupByPerson<E extends Pick<ItdrEvent, 'source' | 'subject' | 'actor' | 'actorId'>>(
  events: readonly E[],
  config: IdentityResolutionConfig,
): Map<string, E[]> {
  const byPerson = new Map<string, E[]>();
  for (const event of events) {
    const person = resolvePerson(event, config);
    if (person === null) continue;
    const list = byPerson.get(person);
    if (list) list.push(event);
    else byPerson.set(person, [event]);
  }
  return byPerson;
}
