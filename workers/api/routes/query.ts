/**
 * POST /api/query — a question in plain English (or SQL edited from a previous answer) answered with validated,
 * time-bounded, costed SQL and its rows (core/nlq/pipeline.ts). Each call is a turn of a conversation owned by
 * the caller; a conversationId of another user is a 404, as if it did not exist.
 */
import { z } from 'zod';
import { NlqCacheRepository } from '../../../adapters/d1/nlq-cache-repository';
import { NlqConversationsRepository, type NewTurn } from '../../../adapters/d1/nlq-conversations-repository';
import { answerQuestion, type PipelineOutcome, type QueryAnswer } from '../../../core/nlq/pipeline';
import { jsonBody, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';
import { nlqOptions, pipelinePorts } from './query-shared';

export const queryRequestSchema = z.object({
  question: z.string().trim().min(1, 'ask a question').max(2000),
  conversationId: z.string().min(1).max(100).optional(),
  confirm: z.boolean().default(false),
  /** SQL edited by the analyst, run instead of translating the question (validated like any other). */
  sql: z.string().min(1).max(20_000).optional(),
});

export function registerQuery(app: App) {
  app.post('/query', requirePermission('events:query'), async (c) => {
    const body = await jsonBody(c, queryRequestSchema);
    const userId = c.get('principal').id;
    const options = nlqOptions(c.env);
    const conversations = new NlqConversationsRepository(c.env.DB);
    const now = new Date();

    if (body.conversationId && !(await conversations.exists(body.conversationId, userId))) {
      throw new ApiError('not_found', `No conversation ${body.conversationId}.`);
    }
    const history = body.conversationId ? await conversations.history(body.conversationId) : [];
    const outcome = await answerQuestion(
      { question: body.question, history, userId, now, confirm: body.confirm, ...(body.sql !== undefined ? { sql: body.sql } : {}) },
      pipelinePorts(c.env, now),
      options,
    );

    const conversationId = body.conversationId ?? (await conversations.create(userId, body.question, now));
    await conversations.addTurn(conversationId, turnOf(body.question, outcome), now);
    if (outcome.kind === 'answered' && !outcome.answer.cached) {
      // Expired and other-version entries go a few at a time, after the answer is sent.
      c.executionCtx.waitUntil(new NlqCacheRepository(c.env.DB, options.dialect).purge(now, options.schemaVersion, 100));
    }

    switch (outcome.kind) {
      case 'answered':
      case 'needs_confirmation':
        return c.json({ conversationId, ...view(outcome.answer) });
      case 'not_understood':
        throw new ApiError('invalid_input', outcome.message, { conversationId, engine: outcome.engine, suggestions: outcome.suggestions });
      case 'refused':
        throw new ApiError('invalid_sql', outcome.message, { conversationId, engine: outcome.engine, reason: outcome.reason, sql: outcome.sql });
      case 'failed':
        throw new ApiError('invalid_sql', `The query failed on the database: ${engineMessage(outcome.message)}`, {
          conversationId,
          engine: outcome.engine,
          sql: outcome.sql,
        });
    }
  });
}

function view(answer: QueryAnswer) {
  return {
    sql: answer.sql,
    params: answer.params,
    explanation: answer.explanation,
    assumptions: answer.assumptions,
    estimate: {
      bytes: answer.estimate.bytes,
      usd: answer.estimate.usd,
      rows: answer.estimate.rows,
      partitions: answer.estimate.partitions,
      dialect: answer.estimate.dialect,
      basis: answer.estimate.basis,
    },
    needsConfirmation: answer.needsConfirmation,
    columns: answer.columns,
    rows: answer.rows,
    rowCount: answer.rows.length,
    truncated: answer.truncated,
    cached: answer.cached,
    engine: answer.engine,
    fallbackFrom: answer.fallbackFrom,
    timeRange: answer.timeRange,
  };
}

function turnOf(question: string, outcome: PipelineOutcome): NewTurn {
  switch (outcome.kind) {
    case 'answered':
    case 'needs_confirmation': {
      const a = outcome.answer;
      return {
        question,
        sql: a.sql,
        explanation: a.explanation,
        assumptions: [...a.assumptions],
        timeRange: a.timeRange,
        engine: a.engine,
        status: outcome.kind,
        message: null,
        rowCount: outcome.kind === 'answered' ? a.rows.length : null,
        estimate: { usd: a.estimate.usd, bytes: a.estimate.bytes },
      };
    }
    case 'not_understood':
      return { ...emptyTurn(question, outcome.engine), status: 'not_understood', message: outcome.message };
    case 'refused':
    case 'failed':
      return { ...emptyTurn(question, outcome.engine), status: outcome.kind, message: outcome.message };
  }
}

function emptyTurn(question: string, engine: string) {
  return { question, sql: null, explanation: null, assumptions: [], timeRange: null, engine, rowCount: null, estimate: null };
}

function engineMessage(message: string): string {
  // D1 prefixes messages with its own plumbing ("D1_ERROR: "); keep the SQLite part. Lake engines' messages pass as they are.
  return message.replace(/^D1_\w+:\s*/, '').replace(/:\s*SQLITE_\w+$/, '');
}
