/**
 * The contract between the natural-language pipeline (core/nlq/pipeline.ts) and the engines that turn a question
 * into SQL: the offline semantic parser (core/nlq/offline/) and the LLM providers (core/nlq/llm/ over
 * adapters/llm/<provider>/). The pipeline validates, costs, caches and runs whatever a translator returns; a
 * translator never executes SQL itself (except through `probe`, for the LLM repair loop).
 */
import type { QueryDialect } from './dialect';

/** One earlier turn of the conversation, oldest first. */
export interface ConversationTurn {
  readonly question: string;
  /** The SQL that answered it (validated), or null when the turn was refused. */
  readonly sql: string | null;
  /** The resolved time range the turn used, ISO instants, so "what about last month?" can shift it. */
  readonly timeRange?: { readonly from: string; readonly to: string } | null;
}

/** Values present in the data, so entities in a question ("alice", "Germany", "okta") resolve to real values. */
export interface EntityValues {
  readonly users: readonly string[];
  readonly countries: readonly string[];
  readonly sources: readonly string[];
  readonly actions: readonly string[];
  readonly ips?: readonly string[];
  /** Services and applications acted on (`events.service`: "s3.amazonaws.com", "Salesforce.com"), for "in Slack". */
  readonly services?: readonly string[];
}

export interface TranslateInput {
  readonly question: string;
  readonly history: readonly ConversationTurn[];
  /** "now" for time phrases: every relative phrase resolves against it (UTC). */
  readonly now: Date;
  readonly dialect: QueryDialect;
  readonly values: EntityValues;
  /** Re-translate after the validator or the engine refused the previous attempt (LLM repair loop). */
  readonly repair?: { readonly sql: string; readonly error: string };
}

export type Translation =
  | {
      readonly ok: true;
      readonly sql: string;
      /** Plain-English restatement of what will be answered. */
      readonly explanation: string;
      /** Every assumption made, e.g. "this week = since Monday 00:00 UTC". */
      readonly assumptions: readonly string[];
      /** The time range the SQL covers, when it has one (for the cache key and follow-ups). */
      readonly timeRange: { readonly from: string; readonly to: string } | null;
      /** Which engine answered: 'offline' or a provider id ('anthropic', 'openai', 'workers-ai', …). */
      readonly engine: string;
    }
  | {
      readonly ok: false;
      /** Why the question was not understood (or the provider failed), for the analyst. */
      readonly message: string;
      /** Close questions this engine can answer. */
      readonly suggestions: readonly string[];
      readonly engine: string;
      /** True when the provider itself failed (network, auth, rate limit): the pipeline falls back offline. */
      readonly providerFailure?: boolean;
    };

export interface Translator {
  readonly id: string;
  translate(input: TranslateInput): Promise<Translation>;
}
