/**
 * Words of a question that may name a user the entity values do not list. The values hold the 500 most frequent
 * actors of the last 30 days (adapters/d1/nlq-entity-values); in an organisation of thousands, "lucas.howard" or
 * "svc-backup-sync" is often not among them, and a translator that cannot place the name must refuse. These
 * candidates are looked up in the data by the pipeline's `lookupUsers` port (an index range per candidate), and
 * what is found joins the values for this question only.
 *
 * Candidates, lower-cased, at most `maxUserCandidates`, none already known:
 * - tokens with a separator inside (`paisley.brown`, `svc-backup-sync`, `j_doe`), minus a trailing possessive;
 * - two adjacent words written like a first and last name (`leah torres` → `leah.torres`);
 * - single words of 3+ letters that are not common question words (a first name: `paisley` → `paisley.*`).
 * Emails, IP addresses, dates and numbers are not candidates: emails and IPs are literal already.
 */
import type { EntityValues } from './translator';

export const maxUserCandidates = 12;

export interface UserCandidate {
  /** What to look for: an account (`paisley.brown`), or a first name whose accounts start with `<name>.`. */
  readonly value: string;
  readonly kind: 'account' | 'first_name';
}

/** Words of questions that never name a person (question words, SIEM vocabulary, time words). */
const commonWords = new Set(
  `a about above across after again against all also an and any are as at be been before being below between both but by
  can could did do does doing down during each few for from further had has have having he her here hers him his how
  i if in into is it its just me more most my no nor not now of off on once only or other our out over own same she
  should so some such than that the their them then there these they this those through to too under until up very
  was we were what when where which while who whom why will with would you your yours show list find get give tell
  count many much number total top first last least latest recent ever never every per each times time day days
  week weeks month months year years hour hours minute minutes today yesterday ago since between during monday
  tuesday wednesday thursday friday saturday sunday january february march april may june july august september
  october november december login logins logged log logs sign signin signins signed failed failure failures fail
  success successful succeeded denied deny allowed event events user users account accounts admin admins
  administrator root ip ips address addresses country countries city cities source sources service services action
  actions outcome outcomes mfa factor push pushes okta aws cloudtrail console api key keys token tokens session
  sessions password passwords reset change changes changed group groups role roles policy policies access
  accessed outside inside without with only except excluding including by via than over under unique distinct
  different new old same trend trends chart graph breakdown grouped group split alert alerts rule rules severity
  high medium low critical open closed status assigned unassigned whose which ones them those these again more
  less fewer most least did does do done use used using what where who why how`
    .split(/\s+/)
    .filter((w) => w !== ''),
);

const ipLike = /^\d{1,3}(\.\d{1,3}){3}$|:.*:/;
const dateLike = /^\d{4}-\d{2}(-\d{2})?$|^\d+([./-]\d+)*$/;

export function userCandidates(question: string, values: Pick<EntityValues, 'users'>): UserCandidate[] {
  const known = new Set<string>();
  const knownFirstNames = new Set<string>();
  for (const actor of values.users) {
    const lower = actor.toLowerCase();
    const key = lower.includes('/') ? lower.slice(lower.lastIndexOf('/') + 1) : lower.split('@')[0]!;
    known.add(lower);
    known.add(key);
    const first = /^([a-z]+)\.[a-z]+$/.exec(key)?.[1];
    if (first) knownFirstNames.add(first);
  }
  const out = new Map<string, UserCandidate>();
  const add = (candidate: UserCandidate) => {
    if (out.size >= maxUserCandidates || out.has(candidate.value) || known.has(candidate.value)) return;
    if (candidate.kind === 'first_name' && knownFirstNames.has(candidate.value)) return;
    out.set(candidate.value, candidate);
  };

  // Double-quoted values are literal already; possessives ("paisley's") and punctuation around words are not names.
  const text = question.toLowerCase().replace(/"[^"]*"/g, ' ');
  const tokens = text
    .split(/\s+/)
    .map((t) => t.replace(/^[^\w]+|[^\w]+$/g, '').replace(/['’]s$/, ''))
    .filter((t) => t !== '');

  for (const token of tokens) {
    if (token.includes('@') || ipLike.test(token) || dateLike.test(token)) continue;
    if (/^[a-z0-9][\w.+-]*[._-][\w.+-]*[a-z0-9]$/.test(token) && /[a-z]/.test(token)) add({ value: token, kind: 'account' });
  }
  for (let i = 0; i + 1 < tokens.length; i++) {
    const [a, b] = [tokens[i]!, tokens[i + 1]!];
    if (/^[a-z]{2,}$/.test(a) && /^[a-z]{2,}$/.test(b) && !commonWords.has(a) && !commonWords.has(b)) add({ value: `${a}.${b}`, kind: 'account' });
  }
  for (const token of tokens) {
    if (/^[a-z]{3,}$/.test(token) && !commonWords.has(token)) add({ value: token, kind: 'first_name' });
  }
  return [...out.values()];
}
