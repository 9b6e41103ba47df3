/**
 * Reads an alerting request in English ("alert when a user fails login 5+ times in 10 minutes") into an
 * `AlertIntent`: which events (an identity action, the AWS root user, a vendor event), narrowed by outcome,
 * log source and country, and — when the request counts — a threshold, a time span, a group-by and, for
 * "20 different users", the field whose distinct values are counted.
 *
 * The events are understood through the offline NLQ engine's vocabulary (`../offline/vocabulary`) and its
 * countries, so both engines read "failed logins", "MFA push denials" or "North Korea" alike; a few alerting
 * phrasings that are verbs rather than nouns ("removes an MFA factor", "an admin role is granted") come first.
 *
 * Invariant (as in the offline engine): a word the reader cannot place makes it refuse, naming the word; it
 * never drops part of a request silently.
 */
import { countryPatterns } from '../offline/entities';
import type { Country } from '../offline/countries';
import { concepts, fillerWords } from '../offline/vocabulary';

export type GroupField = 'actor' | 'src_ip' | 'source' | 'src_country';
export type SigmaLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';

/** What to select, before counting. */
export type EventKind =
  | { readonly kind: 'identity'; readonly actions: readonly string[]; readonly label: string; readonly adminOnly: boolean }
  | { readonly kind: 'vendor_action'; readonly action: string; readonly label: string }
  | { readonly kind: 'denied'; readonly label: string }
  | { readonly kind: 'aws_root'; readonly label: string }
  | { readonly kind: 'aws_console_no_mfa'; readonly label: string };

export interface AlertCount {
  readonly gte: number;
  /** How the request said it ("5+", "more than 3"), for the description. */
  readonly phrase: string;
  /** value_count: the field whose distinct values are counted ("20 different users" → actor). */
  readonly distinct: GroupField | null;
}

export interface AlertIntent {
  readonly events: EventKind;
  readonly outcome: 'success' | 'failure' | null;
  readonly sources: readonly string[];
  readonly country: { readonly country: Country; readonly negated: boolean } | null;
  readonly count: AlertCount | null;
  /** Sigma timespan ("10m", "1h"), null when the request has none. */
  readonly timespan: string | null;
  readonly timespanLabel: string | null;
  /** Correlation group-by fields, in the order the request named them. */
  readonly groupBy: readonly GroupField[];
  readonly level: SigmaLevel | null;
  readonly assumptions: readonly string[];
}

export type RequestReading = { ok: true; intent: AlertIntent } | { ok: false; message: string };

const numberWords: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11,
  twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, hundred: 100,
};
const numberPattern = String.raw`(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred)`;

function numberOf(word: string): number {
  return /^\d+$/.test(word) ? Number(word) : numberWords[word]!;
}

/** Log sources by the names analysts use, longest first; ids are the `source` column values. */
const sourceNames: readonly [string, string][] = [
  ['aws cloudtrail', 'cloudtrail'], ['amazon web services', 'cloudtrail'], ['cloudtrail', 'cloudtrail'], ['aws', 'cloudtrail'],
  ['azure active directory', 'entra_id'], ['microsoft entra id', 'entra_id'], ['entra id', 'entra_id'], ['azure ad', 'entra_id'], ['entra', 'entra_id'], ['entra_id', 'entra_id'],
  ['google workspace', 'google_workspace'], ['g suite', 'google_workspace'], ['gsuite', 'google_workspace'], ['google_workspace', 'google_workspace'],
  ['microsoft 365', 'm365'], ['office 365', 'm365'], ['o365', 'm365'], ['m365', 'm365'],
  ['azure activity', 'azure_activity'], ['azure_activity', 'azure_activity'],
  ['google cloud', 'gcp_audit'], ['gcp_audit', 'gcp_audit'], ['gcp', 'gcp_audit'],
  ['kubernetes', 'kubernetes_audit'], ['k8s', 'kubernetes_audit'],
  ['1password', 'onepassword'], ['onepassword', 'onepassword'],
  ['okta', 'okta'], ['duo', 'duo'], ['onelogin', 'onelogin'], ['github', 'github'], ['slack', 'slack'], ['crowdstrike', 'crowdstrike'],
  ['jamf', 'jamf'], ['snowflake', 'snowflake'], ['salesforce', 'salesforce'], ['cloudflare', 'cloudflare'],
];

const groupNouns: readonly [string, GroupField][] = [
  [String.raw`(?:source\s+)?ip(?:\s+address(?:es)?)?s?|(?:source\s+)?address(?:es)?|hosts?|machines?`, 'src_ip'],
  [String.raw`users?|accounts?|identit(?:y|ies)|persons?|people|actors?|principals?|employees?|usernames?`, 'actor'],
  [String.raw`countr(?:y|ies)|locations?|geos?`, 'src_country'],
  [String.raw`(?:identity\s+|log\s+)?(?:sources?|providers?|idps?|tenants?|vendors?)`, 'source'],
];

/** Words that only frame an alerting request. */
const alertWords = new Set(
  `alert alerts alerting notify notified notification notifications warn warning page paging raise flag detect detection
  trigger triggers fire fires create rule when whenever if someone anyone somebody anybody times attempts attempt
  tries try total more there happens gets get got under inside span space window period amount`
    .split(/\s+/)
    .filter((w) => w !== ''),
);

/** Every country phrase, longest first, so "north korea" is read before "korea". */
const countryPhrases: readonly { phrase: string; country: Country }[] = countryPatterns
  .flatMap((p) => p.phrases.map((phrase) => ({ phrase, country: p.country })))
  .sort((a, b) => b.phrase.length - a.phrase.length);

/** Alerting phrasings that are verbs, read before the query vocabulary. */
const alertConcepts: readonly { pattern: RegExp; events: EventKind; outcome?: 'success' | 'failure'; bruteForce?: boolean }[] = [
  {
    pattern: /\b(?:aws\s+)?console\s+(?:log-?ins?|sign-?ins?|logons?)\s+(?:without|with\s+no|no|w\/o)\s+(?:mfa|2fa|multi-?factor)\b/,
    events: { kind: 'aws_console_no_mfa', label: 'AWS console sign-ins without MFA' },
  },
  {
    pattern: /\b(?:aws\s+)?root\s+(?:account|user|credentials?|login|sign-?in)s?\b|\broot\b/,
    events: { kind: 'aws_root', label: 'AWS root user activity' },
  },
  {
    pattern: /\b(?:remov(?:e|es|ed|ing)|delet(?:e|es|ed|ing)|deactivat(?:e|es|ed|ing)|disabl(?:e|es|ed|ing)|reset(?:s|ting)?)\s+(?:an?\s+|their\s+|the\s+|his\s+|her\s+|a\s+user'?s\s+)?(?:mfa|2fa|multi-?factor|second)(?:\s+(?:factors?|devices?|methods?))?\b|\b(?:remov(?:e|es|ed|ing)|delet(?:e|es|ed|ing)|reset(?:s|ting)?)\s+(?:an?\s+|their\s+|the\s+)?factors?\b|\b(?:mfa|2fa)\s+(?:factors?\s+|devices?\s+|methods?\s+)?(?:removed|deleted|reset|deactivated|disabled|removals?)\b/,
    events: { kind: 'identity', actions: ['factor_remove'], label: 'MFA factor removals', adminOnly: false },
  },
  {
    pattern: /\b(?:admin(?:istrator)?|super\s*-?\s*admin(?:istrator)?|privileged|owner)\s+(?:roles?|rights|privileges?|access|permissions?)\s+(?:grants?|granted|assigned|assignments?|given|added)\b|\b(?:grant(?:s|ed|ing)?|assign(?:s|ed|ing)?|giv(?:e|es|en|ing)|gave|add(?:s|ed|ing)?)\s+(?:\S+\s+)?(?:an?\s+|the\s+)?(?:admin(?:istrator)?|super\s*-?\s*admin(?:istrator)?)(?:\s+(?:roles?|rights|privileges?|access|permissions?))?\b|\bmade\s+(?:an?\s+)?admin(?:istrator)?\b|\bpromoted\s+to\s+admin(?:istrator)?\b/,
    events: { kind: 'identity', actions: ['privilege_grant'], label: 'administrator role grants', adminOnly: true },
  },
  {
    pattern: /\b(?:api\s+|access\s+)?(?:tokens?|keys?)\s+(?:created|issued|generated|minted|creations?)\b|\b(?:creat(?:e|es|ed|ing)|issu(?:e|es|ed|ing)|generat(?:e|es|ed|ing)|mint(?:s|ed)?)\s+(?:an?\s+|new\s+)*(?:api\s+|access\s+)?(?:tokens?|keys?)\b/,
    events: { kind: 'identity', actions: ['token_issue'], label: 'API tokens or access keys issued', adminOnly: false },
  },
  {
    pattern: /\b(?:brute[\s-]?forc(?:e|es|ed|ing)|password\s+guessing)(?:\s+attacks?|\s+attempts?)?\b/,
    events: { kind: 'identity', actions: ['auth_failure'], label: 'failed sign-ins', adminOnly: false },
    bruteForce: true,
  },
];

/** Verb forms analysts use in alerting requests, brought to the forms the vocabulary reads. */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[“”]/g, '"')
    .replace(/[’]/g, "'")
    .replace(/[,;:!?"()]/g, ' ')
    .replace(/\.(?=\s|$)/g, ' ')
    .replace(/\bfail(?:s|ed|ing)?\s+(?:to\s+)?(?:log\s*in|login|sign\s*in|signin|log\s*on|logon|authenticate)\b/g, 'failed to log in')
    .replace(/\bfail(?:s|ed|ing)?\s+(?:an?\s+)?(?:mfa|2fa)(?:\s+(?:push(?:es)?|challenges?|prompts?))?\b/g, 'denied mfa')
    .replace(/\b(sign|log)s\s+(in|on)\b/g, '$1ed $2')
    .replace(/\bauthenticates\b/g, 'logged in')
    .replace(/\b(?:is|are|was|were|gets|get|got|been|being|has|have)\s+(?=[a-z]+ed\b|granted\b|given\b|reset\b|denied\b)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function readAlertRequest(request: string): RequestReading {
  if (request.trim() === '') return { ok: false, message: 'The request is empty.' };
  if (request.length > 500) return { ok: false, message: 'The request is too long (500 characters at most); describe one alert.' };
  const assumptions: string[] = [];
  let text = ` ${codesToNames(request)} `;
  text = ` ${normalise(text)} `;
  const take = (pattern: RegExp): RegExpExecArray | null => {
    const match = pattern.exec(text);
    if (match) text = `${text.slice(0, match.index)} ${text.slice(match.index + match[0].length)} `;
    return match;
  };

  // Severity: "critical", "as high severity", "priority high".
  let level: SigmaLevel | null = null;
  const severity = take(/\b(?:(?:as|with|at)\s+)?(?:an?\s+)?(critical|urgent|high|medium|moderate|low|informational|info)(?:[\s-]+(?:severity|priority|level|sev))?(?:\s+(?:alerts?|rule))?\b|\b(?:severity|priority|level)\s+(?:of\s+)?(critical|high|medium|low|informational)\b/);
  if (severity) {
    const word = severity[1] ?? severity[2]!;
    level = word === 'urgent' ? 'critical' : word === 'moderate' ? 'medium' : word === 'info' ? 'informational' : (word as SigmaLevel);
  }

  // Time span before counts: "over 10 minutes" is a span, "over 10" a count.
  let timespan: string | null = null;
  let timespanLabel: string | null = null;
  const span =
    take(new RegExp(String.raw`\b(?:(?:in|within|over|during|inside|across|under|per)\s+)?(?:the\s+(?:span|space)\s+of\s+)?(?:an?\s+|one\s+|the\s+|a\s+single\s+)?(?:${numberPattern}[\s-]*)?(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?)(?:\s+(?:window|period|span|interval))?\b`)) ??
    take(new RegExp(String.raw`\b(?:(?:in|within|over|during|inside|across|per)\s+)?(?:an?\s+)?(\d+)(s|m|h|d)(?:\s+(?:window|period|span))?\b`));
  if (span) {
    const amount = span[1] === undefined ? 1 : numberOf(span[1]);
    const unit = span[2]!.charAt(0) as 's' | 'm' | 'h' | 'd';
    const ms = amount * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit];
    if (amount < 1 || ms > 30 * 86_400_000) return { ok: false, message: `The time span "${span[0].trim()}" is out of range: use between 1 second and 30 days.` };
    timespan = `${amount}${unit}`;
    const unitWord = { s: 'second', m: 'minute', h: 'hour', d: 'day' }[unit];
    timespanLabel = amount === 1 ? `one ${unitWord}` : `${amount} ${unitWord}s`;
  }

  // "20 different users": a distinct count.
  let count: AlertCount | null = null;
  const distinctNouns = groupNouns.map(([p]) => `(${p})`).join('|');
  const distinct =
    take(new RegExp(String.raw`\b(at\s+least\s+|more\s+than\s+|over\s+|>=?\s*)?${numberPattern}\s*(\+|\s+or\s+more)?\s+(?:different|distinct|unique|separate|various)\s+(?:${distinctNouns})\b`)) ??
    // "5 users" (no adjective) only with a number of two or more that does not follow a preposition ("for 1 user").
    take(new RegExp(String.raw`(?<!\b(?:for|from|per|by|against|to|on|in|with)\s)\b(at\s+least\s+|more\s+than\s+|over\s+|>=?\s*)?([2-9]|\d\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred)\s*(\+|\s+or\s+more)?\s+(?:${distinctNouns})\b`));
  if (distinct) {
    const n = numberOf(distinct[2]!);
    const strict = /more|over|>(?!=)/.test(distinct[1] ?? '');
    const field = groupNouns[[4, 5, 6, 7].findIndex((i) => distinct[i] !== undefined)]![1];
    count = { gte: strict ? n + 1 : n, phrase: distinct[0].trim().replace(/\s+/g, ' '), distinct: field };
  }

  // The events: alerting verbs first, then the query vocabulary.
  let events: EventKind | null = null;
  let outcome: 'success' | 'failure' | null = null;
  let bruteForce = false;
  for (const concept of alertConcepts) {
    if (take(concept.pattern)) {
      events = concept.events;
      outcome = concept.outcome ?? null;
      bruteForce = concept.bruteForce ?? false;
      break;
    }
  }
  if (events === null) {
    for (const concept of concepts) {
      if (!take(concept.pattern)) continue;
      const read = eventsOfConcept(concept.key, concept.sql, concept.label);
      if (read === null) return { ok: false, message: `"${concept.label}" cannot be turned into a Sigma rule yet.` };
      events = read;
      outcome = concept.outcome ?? null;
      break;
    }
  }
  // Group-by: "per user", "for one user", "from one IP", "in one identity source", "a user" (the subject).
  let groupBy: GroupField[] = [];
  let subjectIsOneUser = false;
  for (const [noun, field] of groupNouns) {
    const singular = String.raw`(?:one|a|an|the\s+same|a\s+single|single|any|each|every|any\s+one|one\s+single|the|some)`;
    const grouped =
      take(new RegExp(String.raw`\b(?:per|by|for\s+each|for\s+every|grouped\s+by|group\s+by)\s+(?:${noun})\b`)) ??
      take(new RegExp(String.raw`\b(?:for|from|against|on|in|by|to|targeting|with)\s+${singular}\s+(?:${noun})\b`));
    if (grouped && !groupBy.includes(field)) groupBy.push(field);
    // The subject ("a user fails …", "someone signs in …") groups by user only when nothing else groups.
    if (field === 'actor' && (take(new RegExp(String.raw`\b(?:${singular})\s+(?:${noun})\b`)) ?? take(/\b(?:someone|anyone|somebody|anybody|a\s+person)\b/))) subjectIsOneUser = true;
  }
  if (groupBy.length === 0 && subjectIsOneUser && count?.distinct !== 'actor') groupBy = ['actor'];

  // Plain counts: "5+ times", "more than 3", "at least 10", "5 or more".
  if (count === null) {
    const strict = take(new RegExp(String.raw`\b(?:more\s+than|over|greater\s+than|exceeds?|exceeding|above)\s+${numberPattern}(?:\s+times)?\b|>\s*(\d+)`));
    const atLeast = strict ? null : take(new RegExp(String.raw`\b(?:at\s+least|no\s+fewer\s+than|a\s+minimum\s+of|minimum\s+of)\s+${numberPattern}(?:\s+times)?\b|(?:>=|≥)\s*(\d+)|\b${numberPattern}\s*(?:\+|\s+or\s+more|\s+and\s+up)(?:\s+times)?(?=\s|$)`));
    const bare = strict || atLeast ? null : take(/\b(\d+)(?:\s+times)?\b|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred)\b/);
    const match = strict ?? atLeast ?? bare;
    if (match) {
      const word = match.slice(1).find((g) => g !== undefined)!;
      const n = numberOf(word);
      count = { gte: strict ? n + 1 : n, phrase: match[0].trim().replace(/\s+/g, ' '), distinct: null };
    }
  }
  if (count !== null && count.gte < 1) return { ok: false, message: 'A count threshold must be at least 1.' };
  if (count !== null && count.gte > 100_000) return { ok: false, message: 'A count threshold above 100,000 is out of range.' };

  // Sources.
  const sources: string[] = [];
  for (const [name, id] of sourceNames) {
    const m = take(new RegExp(String.raw`\b(?:(?:in|from|on|via|through|using|for)\s+)?${name.replace(/\s+/g, String.raw`\s+`)}\b`));
    if (m && !sources.includes(id)) sources.push(id);
  }

  // Country, possibly negated ("outside the US", "not from Russia").
  let country: AlertIntent['country'] = null;
  for (const { phrase, country: named } of countryPhrases) {
    const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, String.raw`\s+`);
    const m = take(new RegExp(String.raw`(?:\b(outside(?:\s+of)?|not\s+(?:from|in)|except(?:\s+from)?|other\s+than|anywhere\s+but)\s+|\b(?:from|in|located\s+in)\s+)?(?:the\s+)?\b${escaped}(?=[\s.,]|$)`));
    if (!m) continue;
    if (country && country.country !== named) return { ok: false, message: 'The request names more than one country; describe one country (or "outside" one) per rule.' };
    country = { country: named, negated: m[1] !== undefined };
  }

  // Outcome words the concept did not hold ("failed password resets").
  const failure = take(/\b(?:fail(?:s|ed|ing|ures?)?|unsuccessful(?:ly)?|errors?|denied)\b/);
  const success = failure ? null : take(/\b(?:succe(?:ss|ssful|ssfully|eded|eds|ed)|successes)\b/);
  if (failure) outcome = 'failure';
  if (success) outcome = 'success';
  if (events === null) {
    return { ok: false, message: 'Could not tell which events to alert on. Name them: failed sign-ins, sign-ins, MFA push denials, admin role grants, MFA factor removals, API tokens created, root account use …' };
  }
  if (events.kind === 'identity' && events.actions.length === 3 && events.actions.includes('auth_failure')) {
    if (outcome === 'failure') events = { ...events, actions: ['auth_failure'], label: 'failed sign-ins' };
    else if (outcome === 'success') events = { ...events, actions: ['auth_success', 'session_start'], label: 'successful sign-ins' };
    else events = { ...events, label: 'sign-ins (any outcome)' };
    outcome = null;
  }

  if ((events.kind === 'aws_root' || events.kind === 'aws_console_no_mfa') && sources.some((source) => source !== 'cloudtrail')) {
    return { ok: false, message: `${events.label} is recorded by AWS CloudTrail only; it cannot be narrowed to ${sources.filter((x) => x !== 'cloudtrail').join(', ')}.` };
  }

  const leftover = text
    .split(/\s+/)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w !== '' && !fillerWords.has(w) && !alertWords.has(w));
  if (leftover.length > 0) {
    return { ok: false, message: `Could not place ${leftover.map((w) => `"${w}"`).join(', ')} in an alert rule; rephrase without ${leftover.length === 1 ? 'it' : 'them'} or use one of the phrasings below.` };
  }

  if (bruteForce && count === null) {
    // As rules/sigma/identity/mr_identity_brute_force_single_account.yml.
    count = { gte: 10, phrase: 'brute force', distinct: null };
    if (timespan === null) {
      timespan = '10m';
      timespanLabel = '10 minutes';
    }
    if (groupBy.length === 0) groupBy = ['actor'];
    assumptions.push('brute force is read as 10 or more failed sign-ins for one user within 10 minutes, as the stored brute-force rule counts');
  }

  // Counting needs a window and a window needs a count.
  if (count !== null && timespan === null) {
    timespan = '1h';
    timespanLabel = 'one hour';
    assumptions.push('no time span was given: counted within one hour');
  }
  if (count === null && timespan !== null) {
    return { ok: false, message: `A time span (${timespanLabel ?? ''}) needs a count: say how many events within it ("5 or more times in ${timespanLabel ?? '10 minutes'}").` };
  }
  if (count?.distinct && groupBy.includes(count.distinct)) {
    return { ok: false, message: 'The request counts distinct values of the same field it groups by; group by another field ("20 different users from one IP").' };
  }
  if (count !== null && groupBy.length === 0) assumptions.push('no grouping was given: events are counted across all users and sources together');

  return {
    ok: true,
    intent: { events, outcome, sources, country, count, timespan, timespanLabel, groupBy: count === null ? [] : groupBy, level, assumptions },
  };
}

/** The identity actions a query-vocabulary concept stands for, from its SQL. */
function eventsOfConcept(key: string, sql: string, label: string): EventKind | null {
  if (key === 'no_mfa') return { kind: 'aws_console_no_mfa', label: 'AWS console sign-ins without MFA' };
  if (key === 'denied') return { kind: 'denied', label: 'denied requests' };
  const single = /^identity_action = '([a-z_]+)'$/.exec(sql);
  if (single) return { kind: 'identity', actions: [single[1]!], label, adminOnly: false };
  const list = /^identity_action IN \(([^)]+)\)$/.exec(sql);
  if (list) return { kind: 'identity', actions: [...list[1]!.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!), label, adminOnly: false };
  const action = /^action = '([^']+)'$/.exec(sql);
  if (action) return { kind: 'vendor_action', action: action[1]!, label };
  return null;
}

/** Country codes are read only in capitals ("US", not "us"), so they are replaced before lower-casing. */
function codesToNames(text: string): string {
  let out = text;
  for (const pattern of countryPatterns) {
    for (const code of pattern.codes) out = out.replace(new RegExp(String.raw`\b${code}\b`, 'g'), pattern.country.name);
  }
  return out;
}
