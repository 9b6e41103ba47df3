/** GET /api/query/conversations and GET /api/query/conversations/:id — the caller's own conversations only. */
import { z } from 'zod';
import { NlqConversationsRepository } from '../../../adapters/d1/nlq-conversations-repository';
import { queryParams, type App } from '../../app';
import { ApiError } from '../../errors';
import { requirePermission } from '../../middleware/require-permission';

const listSchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export function registerQueryConversations(app: App) {
  app.get('/query/conversations', requirePermission('events:query'), async (c) => {
    const { limit } = queryParams(c, listSchema);
    const conversations = await new NlqConversationsRepository(c.env.DB).list(c.get('principal').id, limit);
    return c.json({ conversations });
  });

  app.get('/query/conversations/:id', requirePermission('events:query'), async (c) => {
    const id = c.req.param('id');
    const conversation = await new NlqConversationsRepository(c.env.DB).get(id, c.get('principal').id);
    // Another user's conversation answers exactly like a missing one: its existence is not disclosed.
    if (!conversation) throw new ApiError('not_found', `No conversation ${id}.`);
    const { turnList, ...summary } = conversation;
    return c.json({ conversation: { ...summary, turns: turnList } });
  });
}
