/**
 * Conversations of the query page (tables `nlq_conversations` and `nlq_turns`, migration 0006). Every read and
 * write names the owner: a conversation of another user is indistinguishable from one that does not exist.
 */
import { z } from 'zod';
import type { ConversationTurn } from '../../core/nlq/translator';

export const turnStatuses = ['answered', 'needs_confirmation', 'not_understood', 'refused', 'failed'] as const;
export type TurnStatus = (typeof turnStatuses)[number];

export interface ConversationSummary {
  readonly id: string;
  readonly title: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly turns: number;
}

export interface StoredTurn {
  readonly seq: number;
  readonly question: string;
  readonly sql: string | null;
  readonly explanation: string | null;
  readonly assumptions: string[];
  readonly timeRange: { from: string | null; to: string | null } | null;
  readonly engine: string;
  readonly status: TurnStatus;
  readonly message: string | null;
  readonly rowCount: number | null;
  readonly estimate: { usd: number; bytes: number } | null;
  readonly createdAt: string;
}

export type NewTurn = Omit<StoredTurn, 'seq' | 'createdAt'>;

/** Turns given to translators as history: the last few, answered ones with their SQL. */
export const historyTurns = 6;

const assumptionsSchema = z.array(z.string());

interface TurnRow {
  seq: number;
  question: string;
  sql: string | null;
  explanation: string | null;
  assumptions: string;
  time_from: string | null;
  time_to: string | null;
  engine: string;
  status: TurnStatus;
  message: string | null;
  row_count: number | null;
  estimate_usd: number | null;
  estimate_bytes: number | null;
  created_at: string;
}

export class NlqConversationsRepository {
  constructor(private readonly db: D1Database) {}

  async create(userId: string, firstQuestion: string, now: Date): Promise<string> {
    const id = `conv_${crypto.randomUUID()}`;
    await this.db
      .prepare('INSERT INTO nlq_conversations (id, user_id, title, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)')
      .bind(id, userId, firstQuestion.slice(0, 200), now.toISOString())
      .run();
    return id;
  }

  async exists(id: string, userId: string): Promise<boolean> {
    const row = await this.db.prepare('SELECT 1 AS one FROM nlq_conversations WHERE id = ?1 AND user_id = ?2').bind(id, userId).first();
    return row !== null;
  }

  async list(userId: string, limit = 50): Promise<ConversationSummary[]> {
    const { results } = await this.db
      .prepare(
        `SELECT c.id, c.title, c.created_at, c.updated_at, (SELECT count(*) FROM nlq_turns t WHERE t.conversation_id = c.id) AS turns
         FROM nlq_conversations c WHERE c.user_id = ?1 ORDER BY c.updated_at DESC, c.id LIMIT ?2`,
      )
      .bind(userId, limit)
      .all<{ id: string; title: string; created_at: string; updated_at: string; turns: number }>();
    return results.map((r) => ({ id: r.id, title: r.title, createdAt: r.created_at, updatedAt: r.updated_at, turns: r.turns }));
  }

  /** The conversation with its turns, or null when it does not exist or belongs to someone else. */
  async get(id: string, userId: string): Promise<(ConversationSummary & { turnList: StoredTurn[] }) | null> {
    const conversation = await this.db
      .prepare('SELECT id, title, created_at, updated_at FROM nlq_conversations WHERE id = ?1 AND user_id = ?2')
      .bind(id, userId)
      .first<{ id: string; title: string; created_at: string; updated_at: string }>();
    if (!conversation) return null;
    const turns = await this.turns(id);
    return {
      id: conversation.id,
      title: conversation.title,
      createdAt: conversation.created_at,
      updatedAt: conversation.updated_at,
      turns: turns.length,
      turnList: turns,
    };
  }

  /** The history a follow-up question is translated with: the latest answered turns, oldest first. */
  async history(id: string): Promise<ConversationTurn[]> {
    const { results } = await this.db
      .prepare(
        `SELECT question, sql, time_from, time_to FROM nlq_turns WHERE conversation_id = ?1 AND status = 'answered'
         ORDER BY seq DESC LIMIT ?2`,
      )
      .bind(id, historyTurns)
      .all<{ question: string; sql: string | null; time_from: string | null; time_to: string | null }>();
    return results.reverse().map((r) => ({
      question: r.question,
      sql: r.sql,
      timeRange: r.time_from && r.time_to ? { from: r.time_from, to: r.time_to } : null,
    }));
  }

  async addTurn(id: string, turn: NewTurn, now: Date): Promise<void> {
    const at = now.toISOString();
    await this.db.batch([
      this.db
        .prepare(
          `INSERT INTO nlq_turns (conversation_id, seq, question, sql, explanation, assumptions, time_from, time_to, engine, status,
             message, row_count, estimate_usd, estimate_bytes, created_at)
           VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM nlq_turns WHERE conversation_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)`,
        )
        .bind(
          id,
          turn.question,
          turn.sql,
          turn.explanation,
          JSON.stringify(turn.assumptions),
          turn.timeRange?.from ?? null,
          turn.timeRange?.to ?? null,
          turn.engine,
          turn.status,
          turn.message,
          turn.rowCount,
          turn.estimate?.usd ?? null,
          turn.estimate?.bytes ?? null,
          at,
        ),
      this.db.prepare('UPDATE nlq_conversations SET updated_at = ?2 WHERE id = ?1').bind(id, at),
    ]);
  }

  private async turns(id: string): Promise<StoredTurn[]> {
    const { results } = await this.db
      .prepare('SELECT * FROM nlq_turns WHERE conversation_id = ?1 ORDER BY seq')
      .bind(id)
      .all<TurnRow>();
    return results.map((r) => {
      const assumptions = assumptionsSchema.safeParse(safeJson(r.assumptions));
      return {
        seq: r.seq,
        question: r.question,
        sql: r.sql,
        explanation: r.explanation,
        assumptions: assumptions.success ? assumptions.data : [],
        timeRange: r.time_from || r.time_to ? { from: r.time_from, to: r.time_to } : null,
        engine: r.engine,
        status: r.status,
        message: r.message,
        rowCount: r.row_count,
        estimate: r.estimate_usd !== null ? { usd: r.estimate_usd, bytes: r.estimate_bytes ?? 0 } : null,
        createdAt: r.created_at,
      };
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
