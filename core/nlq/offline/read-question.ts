/**
 * Reads one question into a `Reading`: the shape it asks for, the filters and time range it names, and whether
 * it reads as a follow-up of the previous turn. Recognizers run in a fixed order (quoted values, emails, IPs,
 * time, shape, event concepts, entities, group-by) and consume what they understand; the words left over must all
 * be filler, otherwise the reading fails and names the words it could not place.
 */
import type { EntityValues } from '../translator';
import { countryPatterns, countryValues, editDistance, entityIndex, type EntityIndex, type Person } from './entities';
import { defaultListLimit, defaultTopLimit, dimensionLabels, maxLimit, type Dimension, type Filter, type Shape } from './plan';
import { Sentence } from './sentence';
import { sqlContains, sqlEqualsAny, sqlString } from './sql-literal';
import { readTimeRange, type TimeRange } from './time-range';
import { alertDimensionNouns, concepts, dimensionNouns, fillerWords } from './vocabulary';

export interface Reading {
  readonly table: 'events' | 'alerts' | null;
  readonly shape: Shape | null;
  /** Group-by dimensions named with "by …"/"per …" (applied to whatever shape the question or its parent has). */
  readonly groupBy: readonly Dimension[];
  readonly filters: readonly Filter[];
  readonly time: TimeRange | null;
  readonly assumptions: readonly string[];
  /** Starts like a follow-up ("only …", "now by …", "what about …") or refers back ("them", "those"). */
  readonly followUp: boolean;
  /** A 'most' / 'least' ranking word without its own dimension ("which user had the most …"). */
  readonly ranking: { readonly order: 'most' | 'least'; readonly limit: number | null } | null;
}

export interface ReadFailure {
  readonly message: string;
  /** Replacement questions: the same question with a near-miss word corrected or an ambiguity resolved. */
  readonly alternatives: readonly string[];
}

export type ReadResult = { ok: true; reading: Reading } | { ok: false; failure: ReadFailure };

/** How far back an account's use of the admin console makes it an admin. */
export const adminLookbackDays = 90;

const numberWords: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, fifteen: 15, twenty: 20,
  fifty: 50, hundred: 100,
};
const countPattern = String.raw`(\d+|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|fifty|hundred)`;

function toNumber(word: string | undefined): number | null {
  if (word === undefined) return null;
  const n = /^\d+$/.test(word) ? Number(word) : numberWords[word];
  return n === undefined || !Number.isFinite(n) ? null : n;
}

const negationTail = /(?:\b(?:not|non|excluding|exclude|except(?:\s+for)?|other\s+than|without|but\s+not|apart\s+from|besides|aside\s+from|never)\s*-?\s*(?:(?:the|from|in|for|by|of|any|to|a|an)\s+)*)$/;
/** "outside" negates only places (countries, addresses). */
const placeNegationTail = /(?:\b(?:not|non|excluding|exclude|except(?:\s+for)?|other\s+than|outside(?:\s+of)?|without|but\s+not|apart\s+from|besides|aside\s+from|never)\s*-?\s*(?:(?:the|from|in|for|by|of|any|to|a|an)\s+)*)$/;

class Failure extends Error {
  constructor(
    message: string,
    readonly alternatives: readonly string[] = [],
  ) {
    super(message);
  }
}

const compiled = new Map<string, RegExp>();
/** Regular expressions built from vocabularies are compiled once per process, not once per question. */
function rx(source: string, flags = ''): RegExp {
  const key = `${flags}/${source}`;
  let re = compiled.get(key);
  if (!re) {
    re = new RegExp(source, flags);
    compiled.set(key, re);
  }
  return re;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Blanks a negation word just before `index` (e.g. "outside the" before "US") and says whether there was one. */
function takeNegationBefore(sentence: Sentence, index: number, place = false): boolean {
  const before = sentence.lower.slice(0, index);
  const m = (place ? placeNegationTail : negationTail).exec(before);
  if (!m || m[0].trim() === '') return false;
  sentence.consume(m.index, m.index + m[0].length);
  return true;
}

interface ValueGroup {
  readonly include: string[];
  readonly exclude: string[];
  readonly labels: string[];
  readonly negLabels: string[];
}

function group(map: Map<string, ValueGroup>, key: string): ValueGroup {
  let g = map.get(key);
  if (!g) {
    g = { include: [], exclude: [], labels: [], negLabels: [] };
    map.set(key, g);
  }
  return g;
}

const alternations = new Map<string, { re: string; of: (text: string) => Dimension | null }>();
function dimensionAlternation(table: 'events' | 'alerts'): { re: string; of: (text: string) => Dimension | null } {
  let found = alternations.get(table);
  if (!found) {
    found = buildDimensionAlternation(table);
    alternations.set(table, found);
  }
  return found;
}

function buildDimensionAlternation(table: 'events' | 'alerts'): { re: string; of: (text: string) => Dimension | null } {
  const nouns = table === 'alerts' ? alertDimensionNouns : dimensionNouns;
  // Not the start of a dotted or slashed name ("user.session.start", "users/x").
  const re = `(?:${nouns.map(([p]) => `(?:${p})`).join('|')})(?![.@/-]?\\w)`;
  const compiled = nouns.map(([p, d]) => [new RegExp(`^(?:${p})$`), d] as const);
  return {
    re,
    of: (text: string) => {
      const t = text.trim().replace(/\s+/g, ' ');
      for (const [r, d] of compiled) if (r.test(t)) return d;
      return null;
    },
  };
}

export function readQuestion(question: string, values: EntityValues, now: Date): ReadResult {
  try {
    return { ok: true, reading: read(question, values, now) };
  } catch (err) {
    if (err instanceof Failure) return { ok: false, failure: { message: err.message, alternatives: err.alternatives } };
    throw err;
  }
}

function read(question: string, values: EntityValues, now: Date): Reading {
  const sentence = new Sentence(question);
  if (sentence.original === '') throw new Failure('The question is empty.');
  if (sentence.original.length > 500) throw new Failure('The question is longer than 500 characters; ask one thing at a time.');
  const index = entityIndex(values);
  const assumptions: string[] = [];
  const filters: Filter[] = [];
  const groups = new Map<string, ValueGroup>();
  let shape: Shape | null = null;
  let ranking: Reading['ranking'] = null;
  const groupBy: Dimension[] = [];

  const followUp =
    /^\s*(?:and\s+|but\s+|ok(?:ay)?,?\s+|so\s+)?(?:only|just|now|what\s+about|how\s+about|and\s+for|same\s+(?:for|but|thing|question|query)|instead|also|then|excluding|exclude|except|without|but|and)\b/.test(sentence.lower) ||
    /\b(?:them|those|these|ones|that list|same)\b/.test(sentence.lower);
  sentence.takeAll(/^\s*(?:and\s+|but\s+|ok(?:ay)?,?\s+|so\s+)?(?:what|how)\s+about\b/);
  sentence.takeAll(/\b(?:break|broken|split)\s+(?:it\s+|them\s+|that\s+|this\s+)?down\b/);

  // 1. quoted values: looked up in every list of values; never read as words.
  for (const m of sentence.takeAll(/(?:^|(?<=[\s(,:=]))(["'`])((?:(?!\1).){1,200})\1(?=$|[\s?.,;:)!])/)) {
    const raw = sentence.originalAt(m.index, m.index + m[0].length).trim().slice(1, -1);
    const negated = takeNegationBefore(sentence, m.index);
    resolveQuoted(raw, negated, sentence, m.index, index, groups);
  }

  // 2. emails
  for (const m of sentence.takeAll(/\b[a-z0-9][a-z0-9._%+'-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)+\b/)) {
    const negated = takeNegationBefore(sentence, m.index);
    const stored = index.actorValues.get(m[0]);
    const g = group(groups, 'actor');
    const value = stored ?? sentence.originalAt(m.index, m.index + m[0].length);
    (negated ? g.exclude : g.include).push(value);
    (negated ? g.negLabels : g.labels).push(value);
    if (!stored) assumptions.push(`${value} does not appear in the data's users; the filter is kept as written`);
  }

  // 3. IP addresses (before time: "0/24" is no date) and IPv4 prefixes
  for (const m of sentence.takeAll(/\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(8|16|24|32))?\b/)) {
    const octets = [m[1], m[2], m[3], m[4]].map(Number);
    if (octets.some((o) => o > 255)) throw new Failure(`"${m[0]}" is not an IPv4 address.`);
    const negated = takeNegationBefore(sentence, m.index, true);
    const bits = m[5] ? Number(m[5]) : 32;
    if (bits === 32) {
      const g = group(groups, 'ip');
      (negated ? g.exclude : g.include).push(octets.join('.'));
      (negated ? g.negLabels : g.labels).push(octets.join('.'));
    } else {
      const prefix = `${octets.slice(0, bits / 8).join('.')}.`;
      const sql = `substr(src_ip, 1, ${prefix.length}) = ${sqlString(prefix)}`;
      const notSql = `substr(src_ip, 1, ${prefix.length}) <> ${sqlString(prefix)}`;
      filters.push({ key: `ip_prefix:${prefix}`, sql: negated ? notSql : sql, label: `${negated ? 'not ' : ''}from ${m[0]}` });
    }
  }
  for (const m of [...sentence.lower.matchAll(/(?<![\w:.])([0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})(?![\w:.])/g)]) {
    const text = m[1]!;
    const groups8 = text.split(':');
    const valid = (text.includes('::') ? groups8.length <= 8 && text.split('::').length === 2 : groups8.length === 8) && /[0-9a-f]/.test(text);
    if (!valid) continue;
    sentence.consume(m.index, m.index + m[0].length);
    const negated = takeNegationBefore(sentence, m.index, true);
    const g = group(groups, 'ip');
    (negated ? g.exclude : g.include).push(text);
    (negated ? g.negLabels : g.labels).push(text);
  }

  // 4. time
  const time = readTimeRange(sentence, now);
  if (!time.ok) throw new Failure(time.message);

  // 5. table
  const table: 'events' | 'alerts' | null = sentence.take(/\b(?:security\s+)?alerts?\b|\bdetections?\s+(?:fired|triggered)\b/) ? 'alerts' : null;
  const dims = dimensionAlternation(table ?? 'events');

  // 6. shape
  const passive = sentence.take(
    rx(String.raw`\b(?:which|what|who)\s+(?:(${dims.re})\s+)?(?:were|was|got|have\s+been|has\s+been|had\s+been)\s+(granted|given|created|disabled|deactivated|suspended|enabled|activated|deleted|removed)\b`),
  );
  if (passive) {
    // "which users were granted admin": the account acted on is the event's target, not its actor.
    shape = { kind: 'group', dimensions: ['target'], limit: null, order: 'most' };
    assumptions.push('the accounts an action was done to are the events\' targets');
    const verb = passive[2]!;
    const rest = verb === 'granted' || verb === 'given' ? 'granted' : verb;
    sentence.consume(passive.index, passive.index + passive[0].length);
    pushPassiveConcept(rest, filters, assumptions, sentence);
  }
  if (table !== 'alerts') {
    readServicesSourcesActions(sentence, index, groups, assumptions);
    readConcepts(sentence, filters, assumptions);
  }
  if (!shape) {
    const top = sentence.take(rx(String.raw`\b(?:the\s+)?(?:(top|most\s+(?:common|frequent|active|targeted|used|popular|seen)|busiest|noisiest|leading)|(least\s+(?:common|frequent|active|used|seen)|rarest|bottom))\s+(?:${countPattern}\s+)?(${dims.re})\b`));
    if (top) {
      const d = dims.of(top[4]!);
      if (d) {
        const n = toNumber(top[3]);
        const singular = !/s$|people$/.test(top[4]!.trim()) || /status$|address$/.test(top[4]!.trim());
        shape = { kind: 'group', dimensions: [d], limit: n ?? (singular ? 1 : defaultTopLimit), order: top[2] ? 'least' : 'most' };
      }
    }
  }
  if (!shape) {
    // "users with the most failed logins"
    const withMost = sentence.take(rx(String.raw`\b(${dims.re})\s+(?:with|having|that\s+had|who\s+had|that\s+have|who\s+have|which\s+had)\s+(?:the\s+)?(most|fewest|least)\b`));
    if (withMost) {
      const d = dims.of(withMost[1]!);
      if (d) {
        const singular = !/s$|people$/.test(withMost[1]!.trim()) || /status$|address$/.test(withMost[1]!.trim());
        shape = { kind: 'group', dimensions: [d], limit: null, order: 'most' };
        ranking = { order: withMost[2] === 'most' ? 'most' : 'least', limit: singular ? 1 : defaultTopLimit };
      }
    }
  }
  if (!shape && sentence.take(/\b(?:which|what)(?=\s+(?:admins?|administrators?)\b)/)) {
    shape = { kind: 'group', dimensions: ['actor'], limit: null, order: 'most' };
  }
  if (!shape && sentence.take(/\b(?:show|list|display|see|give\s+me)\s+(?:me\s+)?(?:all\s+(?:of\s+)?)?(?:them|those|these|the\s+events|the\s+rows|the\s+details)\b/)) {
    shape = { kind: 'list', limit: defaultListLimit, order: 'newest' };
  }
  // "Did anyone …?", "Any failed logins …?", "Was there any activity …?": answered with how many
  if (!shape && sentence.take(/^\s*(?:(?:did|does|do|has|have|had)\b(?:\s+(?:there\s+been\s+)?(?:any(?:one|body|thing)?|some(?:one|body))\b)?|(?:is|are|was|were)\s+(?:there\s+)?(?:any(?:one|body|thing)?|some(?:one|body))\b|(?:are|were|is|was)\s+there\b|any\b)/)) {
    shape = { kind: 'count' };
    assumptions.push('a yes-or-no question is answered with how many events match (0 = no)');
  }
  const countDistinct = shape ? null : sentence.take(rx(String.raw`\b(?:how\s+many|number\s+of|count(?:\s+of)?(?:\s+the)?|total(?:\s+number\s+of)?)\s+(?:distinct\s+|unique\s+|different\s+|individual\s+|separate\s+)?(${dims.re})\b`));
  if (countDistinct) {
    const d = dims.of(countDistinct[1]!);
    if (d) shape = { kind: 'count_distinct', dimension: d };
  }
  if (!shape && sentence.take(/\b(?:how\s+many(?:\s+times)?|number\s+of|count(?:\s+of)?|total(?:\s+number\s+of)?|how\s+often|tally)\b/)) shape = { kind: 'count' };
  if (!shape) {
    const nLatest = sentence.take(rx(String.raw`\b(?:the\s+)?${countPattern}\s+(most\s+recent|latest|newest|last|first|earliest|oldest)\b`));
    if (nLatest) {
      const n = toNumber(nLatest[1]);
      if (n === null || n < 1 || n > maxLimit) throw new Failure(`"${nLatest[0]}" asks for ${nLatest[1]} rows; ask for 1 to ${maxLimit}.`);
      shape = { kind: 'list', limit: n, order: /first|earliest|oldest/.test(nLatest[2]!) ? 'oldest' : 'newest' };
    }
  }
  if (!shape) {
    const lastN = sentence.take(rx(String.raw`\b(?:the\s+)?(first|earliest|oldest|last|latest|newest|most\s+recent)\s+${countPattern}\b`));
    if (lastN) {
      const n = toNumber(lastN[2]);
      if (n === null || n < 1 || n > maxLimit) throw new Failure(`"${lastN[0]}" asks for ${lastN[2]} rows; ask for 1 to ${maxLimit}.`);
      shape = { kind: 'list', limit: n, order: /first|earliest|oldest/.test(lastN[1]!) ? 'oldest' : 'newest' };
    }
  }
  if (!shape) {
    const when = sentence.take(/\bwhen\b/);
    const which = sentence.take(/\b(?:the\s+)?(?:(first|earliest)|(last|latest|most\s+recent(?:ly)?|final))(?:\s+time)?\b(?!\s+\d)/);
    const timeWord = !when && which && /\btime\b/.test(which[0]);
    if (when || timeWord) {
      shape = { kind: 'when', which: which ? (which[1] ? 'first' : 'last') : 'both' };
    } else if (which) {
      // "the last failed login" = that event; "the latest logins" = newest first
      const after = sentence.lower.slice(which.index + which[0].length).trim().split(/\s+/).slice(0, 3);
      const plural = after.some((w) => /^(?:[a-z-]+s|people)$/.test(w) && !/(?:ss|us)$/.test(w));
      shape = { kind: 'list', limit: plural ? defaultListLimit : 1, order: which[1] ? 'oldest' : 'newest' };
    }
  }
  if (!shape || shape.kind === 'count') {
    const trend = sentence.take(/\b(?:per|by|each|every|a)\s+(hour|day)\b|\b(hourly|daily)\b|\bover\s+time\b|\btrends?(?:\s+over\s+time)?\b|\btime\s*-?\s*line\b|\bhistogram\b|\b(day|hour)\s+by\s+(?:day|hour)\b/);
    if (trend) {
      const word = trend[1] ?? trend[2] ?? trend[3] ?? '';
      const bucket = /hour/.test(word) ? 'hour' : word === '' ? null : 'day';
      shape = { kind: 'trend', bucket: bucket ?? trendBucket(time.range, assumptions), dimensions: [] };
    }
  }
  if (!shape) {
    const whichDim = sentence.take(rx(String.raw`\b(?:which|what|list(?:\s+(?:all|the|of))*|show(?:\s+me)?(?:\s+(?:all|the|every))*|give\s+me(?:\s+(?:all|the))*|name(?:\s+the)?|distinct|unique|different)\s+(?:(?:distinct|unique|different)\s+)?(${dims.re})\b`));
    if (whichDim) {
      const d = dims.of(whichDim[1]!);
      if (d) {
        const singular = !/s$|people$/.test(whichDim[1]!.trim()) || /status$|address$/.test(whichDim[1]!.trim());
        shape = { kind: 'group', dimensions: [d], limit: null, order: 'most' };
        if (singular && /^\s*(?:which|what)/.test(whichDim[0])) ranking = { order: 'most', limit: 1 };
      }
    }
  }
  if (!shape && sentence.take(/\bwho(?:'s|\s+is|\s+are|\s+has|\s+have)?\b/)) shape = { kind: 'group', dimensions: ['actor'], limit: null, order: 'most' };
  if (!shape && sentence.take(/\bwhere\b/)) {
    shape = { kind: 'group', dimensions: ['src_country', 'src_city'], limit: null, order: 'most' };
    sentence.take(/\bfrom\s*\??\s*$/);
  }
  // "which user logged in most recently": the latest event shows who
  if (shape !== null && (shape as Shape).kind === 'list') sentence.take(rx(String.raw`\b(?:which|what|who)\s+(?:${dims.re})?`));
  // "… with the most failed logins", "the most", "most often"
  const most = sentence.take(/\b(?:with\s+|had\s+|has\s+|have\s+|having\s+|did\s+)?(?:the\s+)?(most|fewest|least)(?:\s+(?:often|times|number\s+of))?\b/);
  if (most) {
    const order = most[1] === 'most' ? 'most' : 'least';
    ranking = { order, limit: ranking?.limit ?? (shape?.kind === 'group' && shape.limit !== null ? shape.limit : null) };
  }

  // 7. event concepts and alert attributes
  if (table === 'alerts') {
    readAlertAttributes(sentence, filters);
  } else {
    readCountries(sentence, index, groups, assumptions);
    readAdminRoot(sentence, filters, assumptions);
    readPeople(sentence, index, groups, assumptions);
    readOutcome(sentence, filters);
    if (sentence.take(/\b(?:high|critical|medium|low)\s+severity\b|\bseverity\s+(?:high|critical|medium|low)\b/)) {
      throw new Failure('Event severity is only recorded by a few sources; ask about alerts by severity instead.', []);
    }
  }

  // "which countries did users log in from": the users are everyone
  sentence.takeAll(/\b(?:did|do|have|had|were|are)\s+(?:users|people|employees|accounts|our\s+users)\b/);
  sentence.takeAll(/\b(?:the\s+)?number\s+of\b/);

  // 8. group-by dimensions
  const by = rx(String.raw`\b(?:by|per|for\s+each|for\s+every|each|across|grouped\s+by|group(?:ed)?\s+by|broken\s+down\s+by|breakdown\s+by|split\s+by|down\s+by|and)\s+(?:the\s+|their\s+)?(${dims.re})\b`);
  for (;;) {
    const m = sentence.take(by);
    if (!m) break;
    const d = dims.of(m[1]!);
    if (!d) break;
    if (/^\s*and\b/.test(m[0]) && groupBy.length === 0) {
      throw new Failure(`I read "${m[0].trim()}" but not what it adds to; say "by ${dimensionLabels[d]}".`);
    }
    if (!groupBy.includes(d)) groupBy.push(d);
  }
  if (groupBy.length > 2) throw new Failure('Group by at most two things at once.');

  // Resolved value groups become filters.
  for (const [key, g] of groups) filters.push(...valueFilters(key, g));

  // 9. whatever is left must be filler
  const left = sentence.remainingWords().filter((w) => !fillerWords.has(w) && !/^'s$/.test(w));
  if (left.length > 0) throw new Failure(unknownWordsMessage(left, table), nearMisses(question, left, index));

  return { table, shape, groupBy, filters, time: time.range, assumptions, followUp, ranking };
}

function trendBucket(range: TimeRange | null, assumptions: string[]): 'hour' | 'day' {
  const hours = range ? (Date.parse(range.to) - Date.parse(range.from)) / 3_600_000 : Infinity;
  const bucket = hours <= 48 ? 'hour' : 'day';
  assumptions.push(`"over time" is counted per ${bucket}${bucket === 'hour' ? ' (the range is two days or less)' : ''}`);
  return bucket;
}

function pushPassiveConcept(verb: string, filters: Filter[], assumptions: string[], sentence: Sentence): void {
  const byVerb: Record<string, [string, string]> = {
    granted: ["identity_action = 'privilege_grant'", 'privilege grants'],
    created: ["identity_action = 'account_create'", 'accounts created'],
    disabled: ["identity_action = 'account_disable'", 'accounts disabled'],
    deactivated: ["identity_action = 'account_disable'", 'accounts disabled'],
    suspended: ["identity_action = 'account_disable'", 'accounts disabled'],
    enabled: ["identity_action = 'account_enable'", 'accounts enabled'],
    activated: ["identity_action = 'account_enable'", 'accounts enabled'],
    deleted: ["identity_action = 'account_delete'", 'accounts deleted'],
    removed: ["identity_action = 'account_delete'", 'accounts deleted'],
  };
  const [sql, label] = byVerb[verb]!;
  filters.push({ key: 'category', sql, label });
  // "granted admin (rights|privileges)": the object of the grant is what the category already says.
  if (verb === 'granted') sentence.take(/\b(?:(?:super\s*)?admin(?:istrator)?|privileges?|roles?|permissions?)(?:\s+(?:rights|privileges?|roles?|access))?\b/);
  void assumptions;
}

function readConcepts(sentence: Sentence, filters: Filter[], assumptions: string[]): void {
  const categories: Filter[] = [];
  let outcome: 'success' | 'failure' | null = null;
  for (const concept of concepts) {
    for (;;) {
      const m = sentence.take(concept.pattern);
      if (!m) break;
      if (takeNegationBefore(sentence, m.index)) {
        throw new Failure(`I cannot exclude "${m[0]}" reliably; ask for what you want to see instead.`);
      }
      if (concept.key === 'category') {
        if (!categories.some((c) => c.sql === concept.sql)) categories.push({ key: 'category', sql: concept.sql, label: concept.label });
      } else if (!filters.some((f) => f.key === concept.key)) {
        filters.push({ key: concept.key, sql: concept.sql, label: concept.label });
      }
      if (concept.outcome) {
        if (outcome && outcome !== concept.outcome) throw new Failure('The question asks for both failed and successful events; ask for one, or for all with "by outcome".');
        outcome = concept.outcome;
      }
      if (concept.assumption && !assumptions.includes(concept.assumption)) assumptions.push(concept.assumption);
    }
  }
  if (categories.length === 1) filters.push(categories[0]!);
  if (categories.length > 1) {
    filters.push({ key: 'category', sql: `(${categories.map((c) => c.sql).join(' OR ')})`, label: categories.map((c) => c.label).join(' or ') });
  }
  if (outcome) filters.push(outcomeFilter(outcome, false));
}

function outcomeFilter(outcome: 'success' | 'failure', negated: boolean): Filter {
  const word = outcome === 'failure' ? 'failed' : 'successful';
  return { key: 'outcome', sql: negated ? `outcome <> ${sqlString(outcome)}` : `outcome = ${sqlString(outcome)}`, label: negated ? `not ${word}` : word };
}

function readOutcome(sentence: Sentence, filters: Filter[]): void {
  const failed = /\b(?:failed|failures?|unsuccessful|errors?|erroring|failing|fail|fails)\b/;
  const success = /\b(?:successful(?:ly)?|succeeded|successes|success|succeeding)\b/;
  for (const [re, outcome] of [[failed, 'failure'], [success, 'success']] as const) {
    for (;;) {
      const m = sentence.take(re);
      if (!m) break;
      const negated = takeNegationBefore(sentence, m.index);
      const existing = filters.findIndex((f) => f.key === 'outcome');
      const next = outcomeFilter(outcome, negated);
      if (existing >= 0 && filters[existing]!.sql !== next.sql) throw new Failure('The question names two different outcomes; ask for one.');
      if (existing < 0) filters.push(next);
    }
  }
}

function readAdminRoot(sentence: Sentence, filters: Filter[], assumptions: string[]): void {
  const root = sentence.take(/\b(?:the\s+)?(?:aws\s+)?root(?:\s+(?:user|account|credentials?))?\b/);
  if (root) {
    const negated = takeNegationBefore(sentence, root.index);
    filters.push({ key: 'root', sql: negated ? "(actor_type IS NULL OR actor_type <> 'Root')" : "actor_type = 'Root'", label: negated ? 'not by the AWS root user' : 'by the AWS root user' });
  }
  const admin = sentence.take(/\b(?:admins?|administrators?|admin\s+(?:users?|accounts?)|privileged\s+(?:users?|accounts?)|super\s*admins?)\b/);
  if (admin) {
    const negated = takeNegationBefore(sentence, admin.index) || /\bnon\b/.test(sentence.lower.slice(Math.max(0, admin.index - 5), admin.index));
    // The admin set is read over a fixed lookback ending with the question's range, so that "admins this week"
    // includes an admin who last opened the console last month; bounded, so the pipeline need not bound it.
    const adminsIn = (r: { to: string }) =>
      `SELECT actor FROM events WHERE action = 'user.session.access_admin_app' AND event_time >= ${sqlString(new Date(Date.parse(r.to) - adminLookbackDays * 86_400_000).toISOString())} AND event_time < ${sqlString(r.to)}`;
    const sqlFor = negated
      ? (r: { to: string }) => `(actor NOT IN (${adminsIn(r)}) AND (actor_type IS NULL OR actor_type <> 'Root'))`
      : (r: { to: string }) => `(actor IN (${adminsIn(r)}) OR actor_type = 'Root')`;
    filters.push({ key: 'admin', sql: sqlFor({ to: '9999-12-31T00:00:00.000Z' }), sqlFor, label: negated ? 'by non-admins' : 'by admins' });
    assumptions.push(`admins = accounts that opened the Okta Admin Console (user.session.access_admin_app) in the ${adminLookbackDays} days up to the end of the time range, and the AWS root user`);
  }
}

function readServicesSourcesActions(sentence: Sentence, index: EntityIndex, groups: Map<string, ValueGroup>, assumptions: string[]): void {
  if (index.actionPhrases.has('consolelogin')) {
    for (const m of sentence.takeAll(/\b(?:the\s+)?aws\s+(?:management\s+)?console(?:\s+(?:sign-?ins?|log-?ins?|logins?|logons?))?\b/)) {
      const negated = takeNegationBefore(sentence, m.index);
      const g = group(groups, 'action');
      (negated ? g.exclude : g.include).push('ConsoleLogin');
      (negated ? g.negLabels : g.labels).push('ConsoleLogin');
      if (!assumptions.includes('the AWS console = ConsoleLogin events')) assumptions.push('the AWS console = ConsoleLogin events');
    }
  }
  const add = (column: string, negated: boolean, values: readonly string[], label: string) => {
    const g = group(groups, column);
    (negated ? g.exclude : g.include).push(...values);
    (negated ? g.negLabels : g.labels).push(label);
  };
  eachPhrase(sentence, index.actionPhrases, true, (value, _phrase, negated) => add('action', negated, [value], value));
  eachPhrase(sentence, index.serviceAliases, false, (services, alias, negated) => {
    add('service', negated, services, services.join(' or '));
    if (services.length === 1 && services[0]!.toLowerCase() !== alias) assumptions.push(`"${alias}" = the service ${services[0]}`);
  });
  eachPhrase(sentence, index.sourceAliases, false, (source, alias, negated) => {
    add('source', negated, [source], source);
    if (alias !== source) assumptions.push(`"${alias}" = the ${source} log source`);
  });
}

/**
 * Takes every occurrence of each phrase of `phrases` (longest first, so "aws cloudtrail" wins over "aws"), as a
 * whole word or words (any whitespace between them; with `plurals`, a multi-word phrase may end in s/es/ed), and
 * calls `found` with its value and whether a negation precedes it.
 */
function eachPhrase<T>(sentence: Sentence, phrases: ReadonlyMap<string, T>, plurals: boolean, found: (value: T, phrase: string, negated: boolean) => void): void {
  for (const phrase of [...phrases.keys()].sort((a, b) => b.length - a.length)) {
    if (!sentence.lower.includes(phrase.split(' ')[0]!)) continue;
    const suffix = plurals && phrase.includes(' ') ? '(?:s|es|ed)?' : '';
    const re = rx(`(?<![\\w.@/-])${escapeRegex(phrase).replace(/ /g, '\\s+')}${suffix}(?![\\w@/-]|\\.\\w)`);
    for (;;) {
      const m = sentence.take(re);
      if (!m) break;
      found(phrases.get(phrase)!, phrase, takeNegationBefore(sentence, m.index));
    }
  }
}

const countryPhrases = countryPatterns
  .flatMap((p) => p.phrases.map((phrase) => ({ phrase, name: p.country.name })))
  .sort((a, b) => b.phrase.length - a.phrase.length);

function readCountries(sentence: Sentence, index: EntityIndex, groups: Map<string, ValueGroup>, assumptions: string[]): void {
  for (const { phrase, name } of countryPhrases) {
    if (!sentence.lower.includes(phrase.split(' ')[0]!)) continue;
    const re = rx(`(?<![\\w-])(?:the\\s+)?${escapeRegex(phrase).replace(/ /g, '\\s+')}(?:\\s+(?:ips?|ip\\s+addresses|addresses|networks?))?(?![\\w-])`);
    for (;;) {
      const m = sentence.take(re);
      if (!m) break;
      addCountry(sentence, m.index, name, index, groups, assumptions, phrase);
    }
  }
  for (const pattern of countryPatterns) {
    for (const code of pattern.codes) {
      if (!sentence.original.includes(code)) continue;
      const re = rx(`(?<![\\w.])${code}(?![\\w-])`, 'g');
      for (const m of sentence.original.matchAll(re)) {
        const span = sentence.lower.slice(m.index, m.index + code.length);
        if (span.trim() !== code.toLowerCase()) continue; // consumed by something else
        sentence.consume(m.index, m.index + code.length);
        addCountry(sentence, m.index, pattern.country.name, index, groups, assumptions, code);
      }
    }
  }
}

function addCountry(sentence: Sentence, at: number, name: string, index: EntityIndex, groups: Map<string, ValueGroup>, assumptions: string[], said: string): void {
  const negated = takeNegationBefore(sentence, at, true);
  const country = countryPatterns.find((p) => p.country.name === name)!.country;
  const stored = countryValues(country, index);
  const g = group(groups, 'country');
  (negated ? g.exclude : g.include).push(...stored);
  (negated ? g.negLabels : g.labels).push(name);
  if (said.toLowerCase() !== name.toLowerCase()) assumptions.push(`"${said}" = ${name}`);
  if (!index.countriesInData.some((c) => stored.includes(c))) assumptions.push(`no events in the data come from ${name}`);
  if (negated) assumptions.push(`outside ${name} leaves out events whose country is unknown (sources without geolocation, e.g. CloudTrail)`);
}

function readPeople(sentence: Sentence, index: EntityIndex, groups: Map<string, ValueGroup>, assumptions: string[]): void {
  const tokens = /(?<![\w.@/-])([a-z0-9][a-z0-9._+/-]*[a-z0-9])(?:'s)?(?![\w@/-]|\.\w)/g;
  for (const m of [...sentence.lower.matchAll(tokens)]) {
    const token = m[1]!;
    if (sentence.lower.slice(m.index, m.index + token.length) !== token) continue; // consumed meanwhile
    let person: Person | undefined;
    let exact: string | undefined;
    let end = m.index + m[0].length;
    const next = /^\s+([a-z]+)(?:'s)?(?![\w@/-])/.exec(sentence.lower.slice(end));
    if (next && index.fullNames.has(`${token} ${next[1]}`)) {
      person = index.fullNames.get(`${token} ${next[1]}`);
      end += next[0].length;
    } else if (index.actorValues.has(token) && (token.includes('/') || !index.people.has(token))) {
      exact = index.actorValues.get(token);
    } else if (index.people.has(token)) {
      person = index.people.get(token);
    } else if (index.firstNames.has(token)) {
      const people = index.firstNames.get(token)!;
      if (people.length > 1) {
        const names = people.map((p) => p.key);
        throw new Failure(
          `"${token}" could be ${names.length} users: ${names.join(', ')}. Which one?`,
          names.map((n) => sentence.original.replace(rx(`\\b${escapeRegex(token)}\\b`, 'i'), n)),
        );
      }
      person = people[0];
      assumptions.push(`"${token}" = ${person!.key}`);
    } else {
      continue;
    }
    sentence.consume(m.index, end);
    const negated = takeNegationBefore(sentence, m.index);
    const g = group(groups, 'actor');
    const valuesOf = exact ? [exact] : person!.values;
    (negated ? g.exclude : g.include).push(...valuesOf);
    (negated ? g.negLabels : g.labels).push(exact ?? person!.key);
    if (person && person.values.length > 1) assumptions.push(`${person.key} = ${person.values.join(', ')}`);
  }
}

function resolveQuoted(raw: string, negated: boolean, sentence: Sentence, at: number, index: EntityIndex, groups: Map<string, ValueGroup>): void {
  const lower = raw.toLowerCase();
  const add = (key: string, values: readonly string[], label: string) => {
    const g = group(groups, key);
    (negated ? g.exclude : g.include).push(...values);
    (negated ? g.negLabels : g.labels).push(label);
  };
  const actor = index.actorValues.get(lower);
  if (actor) return add('actor', [actor], actor);
  const person = index.people.get(lower) ?? index.fullNames.get(lower);
  if (person) return add('actor', person.values, person.key);
  const action = index.actionPhrases.get(lower);
  if (action) return add('action', [action], action);
  const services = index.serviceAliases.get(lower);
  if (services) return add('service', services, services.join(' or '));
  const source = index.sourceAliases.get(lower);
  if (source) return add('source', [source], source);
  const country = countryPatterns.find((p) => p.country.name.toLowerCase() === lower || p.phrases.includes(lower));
  if (country) return add('country', countryValues(country.country, index), country.country.name);
  if (index.ips.has(raw)) return add('ip', [raw], raw);
  // An unknown quoted value is only usable where the question says what it is.
  const before = sentence.lower.slice(0, at);
  if (/\b(?:user|actor|account|principal|by|for)\s*$/.test(before)) {
    sentence.consume(before.search(/\b(?:user|actor|account|principal|by|for)\s*$/), at);
    return add('actor', [raw], raw);
  }
  if (/\b(?:action|event\s+type|event\s+name|operation)\s*$/.test(before)) return add('action', [raw], raw);
  if (/\b(?:service|app|application)\s*$/.test(before)) return add('service', [raw], raw);
  if (/\buser\s*-?\s*agent\s*(?:contains|containing|like|with)?\s*$/.test(before)) {
    const g = group(groups, 'user_agent_contains');
    (negated ? g.exclude : g.include).push(raw);
    (negated ? g.negLabels : g.labels).push(raw);
    sentence.consume(before.search(/\buser\s*-?\s*agent\s*(?:contains|containing|like|with)?\s*$/), at);
    return;
  }
  throw new Failure(`I do not know what "${raw}" is: it is not a user, country, source, service or action in the data. Say what it is, e.g. user "${raw}".`);
}

const columnOfKey: Record<string, string> = {
  actor: 'actor', ip: 'src_ip', country: 'src_country', source: 'source', service: 'service', action: 'action',
};
const wordsOfKey: Record<string, [string, string]> = {
  actor: ['by', 'not by'], ip: ['from', 'not from'], country: ['from', 'outside'], source: ['in', 'not in'],
  service: ['in', 'not in'], action: ['with action', 'with action other than'], user_agent_contains: ['user agent containing', 'user agent not containing'],
};

function valueFilters(key: string, g: ValueGroup): Filter[] {
  const out: Filter[] = [];
  const [yes, no] = wordsOfKey[key] ?? [key, `not ${key}`];
  if (key === 'user_agent_contains') {
    if (g.include.length > 0) out.push({ key, sql: g.include.map((v) => sqlContains('user_agent', v)).join(' OR '), label: `${yes} ${g.labels.join(' or ')}` });
    if (g.exclude.length > 0) {
      out.push({ key: `${key}:not`, sql: `(user_agent IS NULL OR (${g.exclude.map((v) => sqlContains('user_agent', v).replace(/ > 0$/, ' = 0')).join(' AND ')}))`, label: `${no} ${g.negLabels.join(' or ')}` });
    }
    return out;
  }
  const column = columnOfKey[key]!;
  if (g.include.length > 0) out.push({ key, sql: sqlEqualsAny(column, g.include), label: `${yes} ${g.labels.join(' or ')}` });
  if (g.exclude.length > 0) out.push({ key: `${key}:not`, sql: sqlEqualsAny(column, g.exclude, true), label: `${no} ${g.negLabels.join(' and ')}` });
  return out;
}

function readAlertAttributes(sentence: Sentence, filters: Filter[]): void {
  const severities: string[] = [];
  for (const m of sentence.takeAll(/\b(critical|high|medium|low|info(?:rmational)?)(?:\s*(?:-|\/|or|and|,)\s*(critical|high|medium|low))?(?:\s+severity|\s+sev|\s+priority)?\b/)) {
    for (const s of [m[1], m[2]]) if (s) severities.push(s.startsWith('info') ? 'info' : s);
    takeNegationBefore(sentence, m.index);
  }
  if (severities.length > 0) filters.push({ key: 'severity', sql: sqlEqualsAny('severity', severities), label: `${severities.join(' or ')} severity` });
  const statuses: string[] = [];
  for (const m of sentence.takeAll(/\b(open|unresolved|active|acknowledged|acked|closed|resolved|false\s+positives?)\b/)) {
    const word = m[1]!;
    const negated = takeNegationBefore(sentence, m.index);
    if (negated) throw new Failure(`I cannot exclude the status "${word}"; name the statuses you want (open, acknowledged, closed, false positive).`);
    statuses.push(/open|unresolved|active/.test(word) ? 'open' : /ack/.test(word) ? 'acknowledged' : /closed|resolved/.test(word) ? 'closed' : 'false_positive');
  }
  if (statuses.length > 0) filters.push({ key: 'status', sql: sqlEqualsAny('status', statuses), label: statuses.join(' or ') });
}

function unknownWordsMessage(words: readonly string[], table: 'events' | 'alerts' | null): string {
  const quoted = words.slice(0, 5).map((w) => `"${w}"`).join(', ');
  const where = table === 'alerts' ? 'alerts (severity, status, rule, time)' : 'events (users, IPs, countries, sources, services, actions, outcomes, MFA, admins, time)';
  return `I could not understand ${quoted} in this question. The offline engine answers questions about ${where}; rephrase, or configure an LLM provider for open-ended questions.`;
}

/** The question with one unknown word replaced by a close known value (a user, country, action …). */
function nearMisses(question: string, words: readonly string[], index: EntityIndex): string[] {
  const candidates = new Set<string>([
    ...index.people.keys(),
    ...index.firstNames.keys(),
    ...index.sourceAliases.keys(),
    ...[...index.serviceAliases.keys()].filter((k) => !k.includes(' ')),
    ...countryPatterns.flatMap((p) => p.phrases.filter((x) => !x.includes(' '))),
    ...[...index.actionPhrases.keys()].filter((k) => !k.includes(' ')),
    'logins', 'failed', 'successful', 'admins', 'denied', 'mfa', 'country', 'user', 'users', 'countries', 'actions',
    'services', 'sources', 'yesterday', 'today', 'week', 'month', 'hour', 'hours', 'days',
  ]);
  const out: string[] = [];
  for (const word of words) {
    let best: string | null = null;
    let bestDistance = word.length <= 4 ? 1 : 2;
    for (const c of candidates) {
      const d = editDistance(word, c, bestDistance);
      if (d <= bestDistance && d > 0 && (best === null || d < bestDistance)) {
        best = c;
        bestDistance = d;
      }
    }
    if (best) out.push(question.replace(rx(`\\b${escapeRegex(word)}\\b`, 'i'), best));
  }
  return out;
}
