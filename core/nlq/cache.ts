/**
 * The answer cache of natural-language queries.
 *
 * Invariants:
 * - The key is a SHA-256 over a canonical form of the question that keeps everything that changes the answer:
 *   numbers ("last 7 days" ≠ "last 30 days"), negations ("failed" ≠ "not failed", "didn't" = "did not"),
 *   entities (names, IPs, countries stay as typed, lower-cased) — plus the RESOLVED time range, the SQL that
 *   runs, the conversation context (earlier turns' SQL, so a follow-up like "only admins" never collides across
 *   conversations), the dialect, the schema version and the user id.
 * - A user never reads another user's entry: the user id is in the key AND checked on read.
 * - A schema change (a column added to a queryable table) changes `nlqSchemaVersion`, so every older entry
 *   misses; entries also expire after their TTL.
 */
import { queryableCatalog } from '../sql/query-policy';
import type { ConversationTurn } from './translator';
import type { QueryDialect } from './dialect';

/**
 * Bumped by hand when the meaning of stored answers changes without a catalog change (e.g. a normalizer fix that
 * rewrote a column's values).
 */
export const nlqAnswerRevision = 1;

/** Version of what answers are computed over: the queryable tables and columns, plus the revision above. */
export const nlqSchemaVersion = `${nlqAnswerRevision}.${fnv1a(JSON.stringify(Object.entries(queryableCatalog).sort()))}`;

const numberWords: Record<string, string> = {
  zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10',
  eleven: '11', twelve: '12', fifteen: '15', twenty: '20', thirty: '30', forty: '40', fifty: '50', hundred: '100',
};

/** Words that never change an answer: politeness and lead-ins. Negations and quantities are never in here. */
const fillers = new Set(['please', 'pls', 'kindly', 'hey', 'hi']);

/**
 * The canonical form of a question: NFKC, lower case, contractions expanded ("didn't" → "did not", "can't" →
 * "can not"), number words as digits, punctuation other than what belongs to a value (IPs, emails, dates,
 * decimals, hyphenated or underscored names) turned into spaces, fillers dropped, whitespace collapsed.
 */
export function canonicalQuestion(question: string): string {
  let text = question.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'");
  text = text
    .replace(/\bcan't\b/g, 'can not')
    .replace(/\bwon't\b/g, 'will not')
    .replace(/\bcannot\b/g, 'can not')
    .replace(/n't\b/g, ' not');
  const tokens = text
    // keep . : @ / - _ inside a token (1.2.3.4, a@b.c, 2026-11-01, 10:30, entra_id); drop them at its edges
    .split(/[^\p{L}\p{N}.:@/_+-]+/u)
    .map((t) => t.replace(/^[.:@/_+-]+|[.:@/_+-]+$/g, ''))
    .filter((t) => t !== '' && !fillers.has(t))
    .map((t) => numberWords[t] ?? t);
  return tokens.join(' ');
}

export interface CacheKeyInput {
  readonly question: string;
  /** Earlier turns of the conversation (their SQL is what a follow-up refines). */
  readonly history: readonly ConversationTurn[];
  /** The resolved time range the answer covers (null: no time range). */
  readonly timeRange: { readonly from: string | null; readonly to: string | null } | null;
  readonly sql: string;
  readonly dialect: QueryDialect;
  readonly schemaVersion: string;
  readonly userId: string;
}

/** The material that is hashed, exposed for tests and debugging. */
export function cacheKeyMaterial(input: CacheKeyInput): string {
  return JSON.stringify([
    'nlq-answer',
    input.schemaVersion,
    input.dialect,
    input.userId,
    canonicalQuestion(input.question),
    input.timeRange ? [input.timeRange.from, input.timeRange.to] : null,
    input.history.map((turn) => turn.sql),
    input.sql,
  ]);
}

export async function cacheKey(input: CacheKeyInput): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(cacheKeyMaterial(input)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** What is kept of an answer: everything the API returns except `cached` itself. */
export interface CachedAnswer {
  readonly sql: string;
  readonly explanation: string;
  readonly assumptions: readonly string[];
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  readonly truncated: boolean;
  readonly engine: string;
}

/** Storage of cached answers (adapters/d1/nlq-cache-repository.ts). */
export interface AnswerCache {
  get(key: string, userId: string, schemaVersion: string, now: Date): Promise<CachedAnswer | null>;
  put(key: string, entry: { userId: string; schemaVersion: string; answer: CachedAnswer; now: Date; expiresAt: Date }): Promise<void>;
}

/** 32-bit FNV-1a, hex: a short stable fingerprint (not a security boundary). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
