/** POST /api/tokens — create an API token; the secret is in this answer and nowhere else, ever. */
import { z } from 'zod';
import { roles } from '../../../core/auth/roles';
import { sourceIdSchema } from '../../../core/schema/event';
import { TokensRepository } from '../../../adapters/d1/tokens-repository';
import { jsonBody, type App } from '../../app';
import { requirePermission } from '../../middleware/require-permission';

const createTokenSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: z.enum(roles),
    source: z.union([sourceIdSchema, z.literal('*')]).optional(),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .refine((t) => (t.role === 'ingest') === (t.source !== undefined), {
    message: 'ingest tokens need a source (a source id or "*"); other roles take none',
    path: ['source'],
  });

export function registerTokensCreate(app: App) {
  app.post('/tokens', requirePermission('tokens:manage'), async (c) => {
    const input = await jsonBody(c, createTokenSchema);
    const now = new Date();
    const { token, view } = await new TokensRepository(c.env.DB).create({
      name: input.name,
      role: input.role,
      source: input.source ?? null,
      expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString() : null,
      createdBy: c.get('principal').id,
      now,
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ token, ...view }, 201);
  });
}
