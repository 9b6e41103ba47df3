/** GET /api/identity/users?q= — accounts seen in identity events, most recently active first. */
import { z } from 'zod';
import { queryParams, type App } from '../../app';
import { requirePermission } from '../../middleware/require-permission';

const listQuerySchema = z.object({
  q: z.string().trim().max(320).default(''),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export function registerIdentityUsersList(app: App) {
  app.get('/identity/users', requirePermission('identity:read'), async (c) => {
    const { q, limit } = queryParams(c, listQuerySchema);
    // The LIKE pattern is bound, and its wildcards escaped, so a search cannot widen itself.
    const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const { results } = await c.env.DB.prepare(
      `SELECT lower(actor) AS user, count(*) AS events, max(event_time) AS lastSeen,
              sum(identity_action IN ('auth_failure', 'mfa_deny')) AS failures
         FROM events
        WHERE identity_action IS NOT NULL AND actor IS NOT NULL AND lower(actor) LIKE ?1 ESCAPE '\\'
        GROUP BY lower(actor)
        ORDER BY lastSeen DESC
        LIMIT ?2`,
    )
      .bind(pattern, limit)
      .all<{ user: string; events: number; lastSeen: string; failures: number }>();
    return c.json({ users: results });
  });
}
