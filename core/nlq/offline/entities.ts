/**
 * Entities in a question resolved against the values present in the data (`EntityValues`): users, countries,
 * log sources, services and action names. Matching is exact on a normalised form (case, separators, plural
 * "s"), through aliases the engine knows (country codes, "aws" = the CloudTrail source, a person's first name
 * when only one person has it), and never by distance: a near miss ("paisly") becomes a suggestion, not an answer.
 */
import type { EntityValues } from '../translator';
import { countries, type Country } from './countries';

export interface Person {
  /** "paisley.brown": the local part of an email, the session name of a role session, an IAM user name. */
  readonly key: string;
  /** Every stored actor value that is this person (Okta email, IAM user, role sessions). */
  readonly values: readonly string[];
  readonly first: string | null;
  readonly last: string | null;
}

export interface EntityIndex {
  readonly people: ReadonlyMap<string, Person>;
  /** Lower-case stored actor value → that value (exact mentions of an email or an IAM user). */
  readonly actorValues: ReadonlyMap<string, string>;
  /** "paisley" → people with that first name. */
  readonly firstNames: ReadonlyMap<string, readonly Person[]>;
  /** "paisley brown" → person. */
  readonly fullNames: ReadonlyMap<string, Person>;
  readonly countriesInData: readonly string[];
  readonly sources: readonly string[];
  /** Alias (lower case, spaces) → source id. */
  readonly sourceAliases: ReadonlyMap<string, string>;
  readonly services: readonly string[];
  /** Alias (lower case) → service values. */
  readonly serviceAliases: ReadonlyMap<string, readonly string[]>;
  /** Phrase (lower case) → action value: the action itself and its camelCase words ("stop logging"). */
  readonly actionPhrases: ReadonlyMap<string, string>;
  readonly ips: ReadonlySet<string>;
}

const cache = new WeakMap<EntityValues, EntityIndex>();

/** Words that are never read as a person's first name or a service alias, whatever the data holds. */
const reservedWords = new Set([
  'admin', 'admins', 'root', 'user', 'users', 'login', 'logins', 'events', 'event', 'failed', 'okta', 'aws',
  'cloudtrail', 'logs', 'log', 'signin', 'sign', 'console', 'unknown', 'monitoring', 'all', 'top', 'last', 'first',
  'service', 'services', 'app', 'apps', 'account', 'accounts',
]);

export function personKey(actor: string): string | null {
  const lower = actor.toLowerCase();
  const at = lower.indexOf('@');
  if (at > 0) return lower.slice(0, at);
  const slash = lower.lastIndexOf('/');
  if (slash >= 0) {
    // Role sessions "EngineerAccess/paisley.brown"; not workload identities such as "repo:org/x:ref".
    if (lower.includes(':')) return null;
    return lower.slice(slash + 1);
  }
  if (lower.includes(':')) return null;
  return lower;
}

export function entityIndex(values: EntityValues): EntityIndex {
  const cached = cache.get(values);
  if (cached) return cached;
  const byKey = new Map<string, string[]>();
  const actorValues = new Map<string, string>();
  for (const actor of values.users) {
    actorValues.set(actor.toLowerCase(), actor);
    const key = personKey(actor);
    if (key === null || key === '') continue;
    const list = byKey.get(key) ?? [];
    list.push(actor);
    byKey.set(key, list);
  }
  const people = new Map<string, Person>();
  const firstNames = new Map<string, Person[]>();
  const fullNames = new Map<string, Person>();
  for (const [key, list] of byKey) {
    const parts = /^([a-z]+)\.([a-z]+)$/.exec(key);
    const person: Person = { key, values: list, first: parts?.[1] ?? null, last: parts?.[2] ?? null };
    people.set(key, person);
    if (person.first && person.last) {
      fullNames.set(`${person.first} ${person.last}`, person);
      if (!reservedWords.has(person.first)) firstNames.set(person.first, [...(firstNames.get(person.first) ?? []), person]);
    }
  }

  const sourceAliases = new Map<string, string>();
  for (const source of values.sources) {
    sourceAliases.set(source.toLowerCase(), source);
    sourceAliases.set(source.toLowerCase().replaceAll('_', ' '), source);
  }
  if (values.sources.includes('cloudtrail')) {
    for (const alias of ['aws', 'amazon', 'aws cloudtrail', 'amazon web services']) sourceAliases.set(alias, 'cloudtrail');
  }
  if (values.sources.includes('entra_id')) for (const alias of ['entra', 'azure ad', 'azure active directory']) sourceAliases.set(alias, 'entra_id');
  if (values.sources.includes('google_workspace')) sourceAliases.set('gsuite', 'google_workspace');

  // Without the data's services (an older pipeline), AWS service hosts are still known by name.
  const awsHosts = ['s3', 'ec2', 'iam', 'lambda', 'sts', 'dynamodb', 'cloudformation', 'ssm', 'kms', 'rds', 'sns', 'sqs', 'secretsmanager'];
  const services = values.services ?? (values.sources.includes('cloudtrail') ? awsHosts.map((h) => `${h}.amazonaws.com`) : []);
  const serviceAliases = new Map<string, string[]>();
  const addService = (alias: string, service: string) => {
    const a = alias.toLowerCase().trim();
    if (a.length < 2 || reservedWords.has(a) || sourceAliases.has(a)) return;
    const list = serviceAliases.get(a) ?? [];
    if (!list.includes(service)) list.push(service);
    serviceAliases.set(a, list);
  };
  for (const service of services) {
    const lower = service.toLowerCase();
    addService(lower, service);
    const host = /^([a-z0-9-]+)\.amazonaws\.com$/.exec(lower);
    if (host) addService(host[1]!, service);
    addService(lower.replace(/\.(com|io|net)$/, ''), service);
    addService(lower.replace(/\s+-\s+.*$/, ''), service);
    // "Okta Admin Console" is also "admin console" when its first word names a log source.
    const [head, ...tail] = lower.split(/\s+/);
    if (tail.length > 0 && sourceAliases.has(head!)) addService(tail.join(' '), service);
    const firstWord = lower.split(/[\s.]+/)[0]!;
    if (firstWord.length >= 3 && firstWord !== lower) addService(firstWord, service);
  }
  // A first word shared by several services ("okta dashboard", "okta admin console") is no alias.
  for (const [alias, list] of serviceAliases) if (list.length > 1 && !services.some((s) => s.toLowerCase() === alias)) serviceAliases.delete(alias);

  const actionPhrases = new Map<string, string>();
  for (const action of values.actions) {
    actionPhrases.set(action.toLowerCase(), action);
    if (/^[A-Z][A-Za-z0-9]+$/.test(action)) {
      const words = action
        .replace(/\d{8}(v\d+)?$/, '')
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .toLowerCase();
      // "list users" or "get object" are how analysts ask for lists: those need the exact name (ListUsers).
      if (words.includes(' ') && !/^(?:list|get|show|find|describe)\s/.test(words)) {
        actionPhrases.set(words, action);
        if (/\blogin\b/.test(words)) for (const v of ['sign in', 'sign-in', 'signin', 'log-in']) actionPhrases.set(words.replace('login', v), action);
      }
    }
  }

  const index: EntityIndex = {
    people,
    actorValues,
    firstNames,
    fullNames,
    countriesInData: values.countries,
    sources: values.sources,
    sourceAliases,
    services,
    serviceAliases,
    actionPhrases,
    ips: new Set(values.ips ?? []),
  };
  cache.set(values, index);
  return index;
}

/** The stored values that mean this country: its name and its codes, as far as they occur in the data. */
export function countryValues(country: Country, index: EntityIndex): string[] {
  const present = index.countriesInData.filter((c) => [country.name, country.alpha2, country.alpha3].some((v) => v.toLowerCase() === c.toLowerCase()));
  return present.length > 0 ? present : [country.name];
}

/** Codes that are also everyday capitalised words, never read as a country. */
const ambiguousCodes = new Set(['IN', 'IT', 'ID', 'NO', 'MY', 'AT', 'BE', 'TO', 'OR', 'AM', 'AS', 'IS', 'ME', 'CA', 'CO', 'PE', 'MA', 'SA', 'PH', 'TH', 'NG', 'ES', 'DE']);

export interface CountryPattern {
  readonly country: Country;
  /** Lower-case phrases matched on the lower-cased text. */
  readonly phrases: readonly string[];
  /** Codes matched case-sensitively on the original text. */
  readonly codes: readonly string[];
}

export const countryPatterns: readonly CountryPattern[] = countries.map((country) => ({
  country,
  phrases: [country.name.toLowerCase(), ...country.aliases],
  codes: [country.alpha3, ...(ambiguousCodes.has(country.alpha2) ? [] : [country.alpha2])],
}));

/** Lower-case, then the Levenshtein distance, bounded (for suggestions only). */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      best = Math.min(best, current[j]!);
    }
    if (best > max) return max + 1;
    previous = current;
  }
  return previous[b.length]!;
}
