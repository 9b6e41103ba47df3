/** One exchange in the Ask thread: the question and where its answer stands. */
import type { ApiError } from '../api/api-client';
import type { QueryAnswer, QueryConversationTurn } from '../api/api-types';

interface EntryBase {
  /** Unique within the page's lifetime (React key, and the target of "Run anyway"). */
  key: number;
  question: string;
  /** How the question was put: asked, edited SQL run, a priced query confirmed, or a stored turn run again. */
  via: 'question' | 'edited-sql' | 'confirmed' | 'rerun';
}

export type ThreadEntry =
  | (EntryBase & { phase: 'asking' })
  | (EntryBase & { phase: 'answered'; answer: QueryAnswer })
  | (EntryBase & { phase: 'not-understood'; message: string; suggestions: string[]; engine: string | null })
  | (EntryBase & { phase: 'error'; error: ApiError; sql: string | null })
  /** A turn of a reopened conversation: its SQL and outcome, without rows (the API does not keep them). */
  | (EntryBase & { phase: 'stored'; turn: QueryConversationTurn });
